/**
 * ECR repositories and their repository policies. Compared: tag mutability, scan on push, the
 * encryption configuration (AES256 has no key), tags, and the policy as a policy, statement by
 * statement. Not compared: force_delete (acts only on destroy), and what ECR assigns (ARN,
 * registry id, URL). Both import by repository name; a repository's policy made outside
 * Terraform goes with the repository when that is unmanaged too.
 */
import type { EcrRepository } from '../../inventory/snapshot.js';
import { firstBlock, lookupRegional, readValue, stringAttr, tagMap, unreadParts, type LiveInventory, type Regional } from './inventory.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

/** AES256 has no key: the provider keeps "" for it. */
const encryption = (type: unknown, key: unknown) => ({ encryption_type: typeof type === 'string' && type ? type : 'AES256', kms_key: typeof key === 'string' ? key : '' });

/**
 * The repository a state instance names: by ARN where the state has one, else by name in the
 * instance's region (provider v6 keeps `region`) or the one region that has it.
 */
function findRepository(attributes: Record<string, unknown>, live: LiveInventory, nameKey: string): { item: Regional<EcrRepository> } | Exclude<LiveLookup, { found: LiveObject }> {
  const arn = stringAttr(attributes, 'arn');
  if (arn) return lookupRegional(live.ecrRepositories, arn, live, arn);
  const name = stringAttr(attributes, nameKey) ?? stringAttr(attributes, 'id');
  const region = stringAttr(attributes, 'region');
  const matches = [...live.ecrRepositories.items.values()].filter((r) => r.value.name === name && (!region || r.region === region));
  if (matches.length === 1) return { item: matches[0]! };
  if (matches.length > 1) return { unknown: `repository ${name} exists in ${matches.map((m) => m.region).join(', ')}; the state instance names no region` };
  return lookupRegional(live.ecrRepositories, name, live, region ? `arn:aws:ecr:${region}` : undefined);
}

function toRepositoryObject({ region, value: r }: Regional<EcrRepository>): LiveObject {
  const tags = readValue(r.tags);
  const enc = r.repository.encryptionConfiguration;
  return {
    type: 'aws_ecr_repository',
    importId: r.name,
    resourceId: r.arn,
    region,
    name: r.name,
    attributes: {
      image_tag_mutability: r.repository.imageTagMutability ?? 'MUTABLE',
      'image_scanning_configuration.0.scan_on_push': r.repository.imageScanningConfiguration?.scanOnPush ?? false,
      encryption_configuration: encryption(enc?.encryptionType, enc?.kmsKey),
      tags: tags ? tagMap(tags) : undefined,
    },
    ...unreadParts([r.tags, 'ListTagsForResource', ['tags']]),
    stub: { name: r.name },
  };
}

const repository: LiveTypeSpec = {
  type: 'aws_ecr_repository',
  importIdFormat: 'repository name',
  compared: [
    { path: 'image_tag_mutability', kind: 'value', normalize: (a) => a.image_tag_mutability ?? 'MUTABLE' },
    { path: 'image_scanning_configuration.0.scan_on_push', kind: 'value', normalize: (a) => firstBlock(a.image_scanning_configuration).scan_on_push ?? false },
    {
      path: 'encryption_configuration',
      kind: 'value',
      normalize: (a) => {
        const block = firstBlock(a.encryption_configuration);
        return encryption(block.encryption_type, block.kms_key);
      },
    },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = findRepository(attributes, live, 'name');
    return 'item' in found ? { found: toRepositoryObject(found.item) } : found;
  },
  enumerate: (live) => [...live.ecrRepositories.items.values()].map(toRepositoryObject),
};

function toPolicyObject({ region, value: r }: Regional<EcrRepository>, text: string): LiveObject {
  return {
    type: 'aws_ecr_repository_policy',
    importId: r.name,
    resourceId: r.arn,
    region,
    name: r.name,
    attributes: { policy: text },
    stub: { repository: r.name, policy: text },
    parent: { type: 'aws_ecr_repository', importId: r.name, reference: { argument: 'repository', attribute: 'name' } },
  };
}

const repositoryPolicy: LiveTypeSpec = {
  type: 'aws_ecr_repository_policy',
  importIdFormat: 'repository name',
  compared: [{ path: 'policy', kind: 'policy' }],
  resourceIdOf: (attributes, live) => {
    const name = stringAttr(attributes, 'repository') ?? stringAttr(attributes, 'id') ?? '';
    const region = stringAttr(attributes, 'region');
    return [...live.ecrRepositories.items.values()].find((r) => r.value.name === name && (!region || r.region === region))?.value.arn ?? name;
  },
  lookup(attributes, live) {
    const found = findRepository(attributes, live, 'repository');
    if (!('item' in found)) return found;
    const policy = found.item.value.policy;
    if (policy.error) return { unknown: `${policy.error.code}: ${policy.error.message}` };
    // A repository without a policy: the policy resource is gone, as the provider reads it.
    return policy.value === null ? { gone: true } : { found: toPolicyObject(found.item, policy.value) };
  },
  enumerate: (live) =>
    [...live.ecrRepositories.items.values()].flatMap((r) => {
      const text = readValue(r.value.policy);
      return text ? [toPolicyObject(r, text)] : [];
    }),
};

export const ECR_TYPES: readonly LiveTypeSpec[] = [repository, repositoryPolicy];
