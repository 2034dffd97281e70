/** The policy engine's public API: parsing, matching, conditions, evaluation and the judgments built on them. */
export { parsePolicy, toPolicyDocument, PRINCIPAL_TYPES } from './parse.js';
export type {
  PolicyCondition,
  PolicyDocument,
  PolicyEffect,
  PolicyParseErrorCode,
  PolicyParseFailure,
  PolicyParseResult,
  PolicyPrincipal,
  PolicyStatement,
  PrincipalType,
} from './parse.js';
export { truthAnd, truthNot, truthOr } from './truth.js';
export type { Truth } from './truth.js';
export { completeContext, lookupConditionKey } from './context.js';
export type { ConditionContext, ContextValue, KeyLookup } from './context.js';
export {
  accountOfPrincipal,
  actionMatches,
  arnMatches,
  matchPattern,
  patternCovers,
  principalMatches,
  resourceMatches,
} from './match.js';
export type { RequestPrincipal } from './match.js';
export { cidrContains, isNonPublicCidr, parseCidr, parseIpAddress } from './ip.js';
export { evaluateCondition, evaluateKey, parseOperator } from './conditions.js';
export type { ConditionEvaluation, ParsedOperator } from './conditions.js';
export { evaluateActions, evaluateRequest, statementApplies } from './evaluate.js';
export type { AccessRequest, Decision, EvaluationResult, PolicySet, StatementMatch } from './evaluate.js';
export { assessNarrowing, PUBLIC_NARROWING_KEYS } from './narrowing.js';
export type { ConditionAssessment } from './narrowing.js';
export { analyzePublicAccess, bucketPolicyIsPublic, findCrossAccountGrants, S3_ACCESS_LEVEL_ACTIONS } from './public.js';
export type { CrossAccountGrant, PublicAccessAnalysis, PublicGrant, S3AccessLevel } from './public.js';
export { describeExposure, judgePolicyExposure, judgeSharingExposure } from './exposure.js';
export type { ExposedStatement, ExposureLevel, ExposureScope, PolicyExposure, SharingExposure, SharingList } from './exposure.js';
export {
  ADMIN_NOT_ACTION_LIMIT,
  analyzeTrustPolicy,
  findAdminStatements,
  findPrivilegeEscalation,
  findServiceWildcards,
  PRIVILEGE_ESCALATION_PATHS,
  SENSITIVE_SERVICES,
} from './analysis.js';
export {
  ADMIN_EXCLUSION_LIMIT,
  effectiveActionAccess,
  findEffectiveAdmin,
  findEffectiveServiceWildcards,
  patternWitness,
  policySetView,
  resourcesOfAction,
} from './effective.js';
export type { ActionAccess, EffectiveAdmin, EffectiveGrant, EffectiveOptions, EffectiveServiceWildcard, GrantingStatement, PolicySetView } from './effective.js';
export type {
  AdminStatement,
  EscalationFinding,
  EscalationPath,
  ServiceWildcardGrant,
  TrustFinding,
  TrustFindingKind,
} from './analysis.js';
