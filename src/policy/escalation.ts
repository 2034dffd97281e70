/**
 * Privilege-escalation paths: sets of IAM actions that together let a principal grant itself
 * more access (the combinations published by Rhino Security Labs and used by the field's
 * scanners). A principal's documents are judged together, because the actions of one path are
 * often spread over several policies, and wildcards count (`iam:*` grants every IAM path).
 */
import { actionMatches } from './match.js';
import { toPolicyDocument, type PolicyDocument, type PolicyParseFailure, type PolicyStatement } from './parse.js';

export interface EscalationPath {
  id: string;
  /** What an attacker does with the combination. */
  description: string;
  /** Every one of these must be allowed. */
  actions: readonly string[];
}

const path = (id: string, actions: string[], description: string): EscalationPath => ({ id, actions, description });

export const PRIVILEGE_ESCALATION_PATHS: readonly EscalationPath[] = [
  path('CreatePolicyVersion', ['iam:CreatePolicyVersion'], 'write a new default version of a managed policy attached to oneself'),
  path('SetDefaultPolicyVersion', ['iam:SetDefaultPolicyVersion'], 'switch a managed policy to a more permissive existing version'),
  path('PassRole+EC2', ['iam:PassRole', 'ec2:RunInstances'], 'launch an instance with a more privileged role and use its credentials'),
  path('PassRole+Lambda', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], 'run code as a more privileged role through a new Lambda function'),
  path('PassRole+LambdaEventSource', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], 'run a new Lambda function as a privileged role from an event source'),
  path('UpdateFunctionCode', ['lambda:UpdateFunctionCode'], 'replace the code of a function that runs as a more privileged role'),
  path('PassRole+Glue', ['iam:PassRole', 'glue:CreateDevEndpoint'], 'create a Glue development endpoint with a more privileged role'),
  path('UpdateDevEndpoint', ['glue:UpdateDevEndpoint'], 'add an SSH key to an existing Glue endpoint and use its role'),
  path('PassRole+CloudFormation', ['iam:PassRole', 'cloudformation:CreateStack'], 'create a stack whose resources are made by a more privileged role'),
  path('PassRole+DataPipeline', ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], 'run commands through a pipeline as a more privileged role'),
  path('PassRole+ECS', ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], 'run a container task as a more privileged role'),
  path('PassRole+SageMaker', ['iam:PassRole', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], 'open a notebook that runs as a more privileged role'),
  path('PutUserPolicy', ['iam:PutUserPolicy'], 'write an inline policy onto a user, oneself included'),
  path('PutGroupPolicy', ['iam:PutGroupPolicy'], 'write an inline policy onto a group one belongs to'),
  path('PutRolePolicy', ['iam:PutRolePolicy'], 'write an inline policy onto a role one can use'),
  path('AttachUserPolicy', ['iam:AttachUserPolicy'], 'attach AdministratorAccess to a user, oneself included'),
  path('AttachGroupPolicy', ['iam:AttachGroupPolicy'], 'attach AdministratorAccess to a group one belongs to'),
  path('AttachRolePolicy', ['iam:AttachRolePolicy'], 'attach AdministratorAccess to a role one can use'),
  path('CreateAccessKey', ['iam:CreateAccessKey'], 'create access keys for another, more privileged user'),
  path('CreateLoginProfile', ['iam:CreateLoginProfile'], 'give a more privileged user a console password'),
  path('UpdateLoginProfile', ['iam:UpdateLoginProfile'], 'reset the console password of a more privileged user'),
  path('UpdateAssumeRolePolicy+AssumeRole', ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], 'trust oneself in a privileged role and assume it'),
  path('AddUserToGroup', ['iam:AddUserToGroup'], 'join a more privileged group'),
];

export interface GrantingStatement {
  policyIndex: number;
  statementIndex: number;
  sid: string | undefined;
  /** The pattern that grants the action (for NotAction, the statement's exclusion list). */
  pattern: string;
  conditional: boolean;
}

export interface EscalationFinding {
  path: EscalationPath;
  /** For each action of the path, the Allow statements that grant it. */
  grants: { action: string; statements: GrantingStatement[] }[];
}

export interface EscalationAnalysis {
  findings: EscalationFinding[];
  invalidPolicies: { policyIndex: number; error: PolicyParseFailure }[];
}

function grantingPattern(statement: PolicyStatement, action: string): string | undefined {
  if (statement.action) return statement.action.find((pattern) => actionMatches(pattern, action));
  const excluded = (statement.notAction ?? []).some((pattern) => actionMatches(pattern, action));
  return excluded ? undefined : `NotAction ${(statement.notAction ?? []).join(', ')}`;
}

/** A Deny on every resource with no condition removes the action whatever the request. */
function unconditionallyDenied(documents: { document: PolicyDocument }[], action: string): boolean {
  return documents.some(({ document }) =>
    document.statements.some(
      (statement) =>
        statement.effect === 'Deny' &&
        Object.keys(statement.condition).length === 0 &&
        (statement.resource?.includes('*') ?? false) &&
        grantingPattern(statement, action) !== undefined,
    ),
  );
}

/** Escalation paths fully granted by the given documents of one principal (user, group or role). */
export function findPrivilegeEscalation(policies: readonly unknown[]): EscalationAnalysis {
  const documents: { document: PolicyDocument; policyIndex: number }[] = [];
  const invalidPolicies: EscalationAnalysis['invalidPolicies'] = [];
  policies.forEach((raw, policyIndex) => {
    const parsed = toPolicyDocument(raw);
    if (parsed.ok) documents.push({ document: parsed.document, policyIndex });
    else invalidPolicies.push({ policyIndex, error: parsed });
  });

  const grantsFor = (action: string): GrantingStatement[] => {
    if (unconditionallyDenied(documents, action)) return [];
    const statements: GrantingStatement[] = [];
    for (const { document, policyIndex } of documents) {
      for (const statement of document.statements) {
        if (statement.effect !== 'Allow') continue;
        const pattern = grantingPattern(statement, action);
        if (pattern === undefined) continue;
        statements.push({
          policyIndex,
          statementIndex: statement.index,
          sid: statement.sid,
          pattern,
          conditional: Object.keys(statement.condition).length > 0,
        });
      }
    }
    return statements;
  };

  const findings: EscalationFinding[] = [];
  for (const escalation of PRIVILEGE_ESCALATION_PATHS) {
    const grants = escalation.actions.map((action) => ({ action, statements: grantsFor(action) }));
    if (grants.every((grant) => grant.statements.length > 0)) findings.push({ path: escalation, grants });
  }
  return { findings, invalidPolicies };
}
