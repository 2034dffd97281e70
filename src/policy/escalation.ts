/**
 * Privilege-escalation paths: sets of IAM actions that together let a principal grant itself
 * more access (the combinations published by Rhino Security Labs and used by the field's
 * scanners). A principal's documents are judged together, because the actions of one path are
 * often spread over several policies, and wildcards count (`iam:*` grants every IAM path); what
 * counts is the effective permission (effective.ts): Deny wins, and an action is granted only on
 * a resource it applies to.
 */
import { effectiveActionAccess, policySetView, type ActionAccess, type EffectiveOptions, type GrantingStatement, type PolicySetView } from './effective.js';
import type { PolicyParseFailure } from './parse.js';

export type { GrantingStatement } from './effective.js';

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

export interface EscalationFinding {
  path: EscalationPath;
  /** For each action of the path, the Allow statements that grant it and a resource it is allowed on. */
  grants: { action: string; statements: GrantingStatement[]; resources: string[]; conditional: boolean }[];
}

export interface EscalationAnalysis {
  findings: EscalationFinding[];
  invalidPolicies: { policyIndex: number; error: PolicyParseFailure }[];
}

/**
 * Escalation paths the documents of one principal (user with its groups, or role) effectively
 * grant: every action of the path allowed on a resource it applies to, and not denied there by any
 * of the documents. A grant that holds only under a condition still counts, marked conditional.
 */
export function findPrivilegeEscalation(policies: readonly unknown[] | PolicySetView, options: EffectiveOptions = {}): EscalationAnalysis {
  const view = Array.isArray(policies) ? policySetView(policies, options) : (policies as PolicySetView);
  const access = new Map<string, ActionAccess>();
  const accessOf = (action: string): ActionAccess => {
    let found = access.get(action);
    if (!found) access.set(action, (found = effectiveActionAccess(view, action)));
    return found;
  };
  const findings: EscalationFinding[] = [];
  for (const escalation of PRIVILEGE_ESCALATION_PATHS) {
    const actions = escalation.actions.map(accessOf);
    if (actions.some((a) => a.grant === 'denied')) continue;
    findings.push({
      path: escalation,
      grants: actions.map((a) => ({ action: a.action, statements: a.statements, resources: a.resources, conditional: a.grant === 'conditional' })),
    });
  }
  return { findings, invalidPolicies: view.invalid };
}
