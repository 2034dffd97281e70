/**
 * AWS settings checked before the first call, so a typo gets its own one-line error instead of
 * surfacing later as a credentials or network failure: the region names (--region, AWS_REGION,
 * AWS_DEFAULT_REGION) and the profile (--profile, AWS_PROFILE), which must exist in the shared
 * config or credentials file.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { InfraAuditError } from '../errors.js';
import { REGION_NAME } from './regions.js';

export interface AwsSettings {
  /** --region values ("all" allowed where the command takes it); comma-separated lists are split. */
  regions?: readonly string[];
  profile?: string;
  env: NodeJS.ProcessEnv;
}

export function checkAwsSettings(settings: AwsSettings): void {
  const { env } = settings;
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const value = env[name];
    // The flag wins over the environment only for what the flag covers: the default region still comes from here.
    if (value !== undefined && value !== '' && !REGION_NAME.test(value)) {
      throw new InfraAuditError('USAGE', `${name}="${value}" is not an AWS region name`, { hint: `e.g. export ${name}=us-east-1, or unset it` });
    }
  }
  for (const value of (settings.regions ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean)) {
    if (value !== 'all' && !REGION_NAME.test(value)) {
      throw new InfraAuditError('USAGE', `--region "${value}" is not an AWS region name`, { hint: 'e.g. --region us-east-1 eu-west-1, or --region all' });
    }
  }
  const flag = settings.profile !== undefined;
  const profile = settings.profile ?? (env.AWS_PROFILE || undefined);
  if (profile === undefined) return;
  const configFile = env.AWS_CONFIG_FILE || path.join(homedir(), '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || path.join(homedir(), '.aws', 'credentials');
  const known = new Set([...profilesIn(configFile, true), ...profilesIn(credentialsFile, false)]);
  if (!known.has(profile)) {
    const source = flag ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
    const listed = [...known].sort();
    throw new InfraAuditError('AWS_CREDENTIALS', `${source}: no profile named "${profile}" in ${configFile} or ${credentialsFile}`, {
      hint: listed.length
        ? `profiles there: ${listed.slice(0, 10).join(', ')}${listed.length > 10 ? ', …' : ''} (\`aws configure list-profiles\`)`
        : `create it with \`aws configure --profile ${profile}\` or \`aws configure sso --profile ${profile}\``,
    });
  }
}

/** Section names of an AWS shared config (`[profile NAME]`, `[default]`) or credentials (`[NAME]`) file. */
function profilesIn(file: string, isConfig: boolean): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (!m) continue;
    const section = m[1]!;
    if (isConfig) {
      const prefixed = /^profile\s+(.+)$/.exec(section);
      if (prefixed) names.push(prefixed[1]!.trim());
      else if (section === 'default') names.push('default');
    } else names.push(section);
  }
  return names;
}
