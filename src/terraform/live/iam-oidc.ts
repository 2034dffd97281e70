/**
 * `aws_iam_openid_connect_provider`: an OIDC identity provider (GitHub Actions, EKS, Google).
 * The URL is compared without its scheme and trailing slash (IAM keys and returns it so, and
 * configurations write `https://...`); client ids and thumbprints as sets, thumbprints
 * case-insensitively (hex). Imported by ARN, as the provider documents.
 */
import type { IamOidcProvider } from '../../inventory/snapshot.js';
import { stringAttr, tagMap, type Indexed, type LiveInventory } from './inventory.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

/** `https://Token.Actions.githubusercontent.com/` and `token.actions.githubusercontent.com` are one provider. */
export function oidcUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  const bare = url.replace(/^https:\/\//i, '').replace(/\/+$/, '');
  const slash = bare.indexOf('/');
  // The host is case-insensitive; the path is not.
  return slash < 0 ? bare.toLowerCase() : `${bare.slice(0, slash).toLowerCase()}${bare.slice(slash)}`;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const thumbprints = (value: unknown): string[] => strings(value).map((t) => t.toLowerCase());

function providers(live: LiveInventory): Indexed<IamOidcProvider> {
  const read = live.snapshot.iam?.openIdConnectProviders;
  if (!read) return { error: 'IAM ListOpenIDConnectProviders was not collected' };
  if (read.error) return { error: `IAM ListOpenIDConnectProviders failed: ${read.error.code}` };
  return { items: new Map(read.value.map((p) => [p.arn, p])) };
}

/** The URL is in the ARN (`oidc-provider/HOST/PATH`), so a provider whose read failed still has a name. */
const urlOfArn = (arn: string): string => arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length);

function toProviderObject(p: IamOidcProvider): LiveObject {
  const details = p.details.error ? undefined : p.details.value;
  const url = details?.url ?? urlOfArn(p.arn);
  return {
    type: 'aws_iam_openid_connect_provider',
    importId: p.arn,
    resourceId: p.arn,
    name: url,
    attributes: details
      ? { url: oidcUrl(details.url), client_id_list: details.clientIds, thumbprint_list: thumbprints(details.thumbprints), tags: tagMap(details.tags) }
      : {},
    stub: { url: `https://${url}`, client_id_list: details?.clientIds ?? [], ...(details?.thumbprints.length ? { thumbprint_list: details.thumbprints } : {}) },
  };
}

const openIdConnectProvider: LiveTypeSpec = {
  type: 'aws_iam_openid_connect_provider',
  importIdFormat: 'provider ARN',
  compared: [
    { path: 'url', kind: 'value', normalize: (a) => oidcUrl(a.url) },
    { path: 'client_id_list', kind: 'set', normalize: (a) => strings(a.client_id_list) },
    { path: 'thumbprint_list', kind: 'set', normalize: (a) => thumbprints(a.thumbprint_list) },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes, live) =>
    stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? `arn:${live.partition}:iam::${live.accountId}:oidc-provider/${oidcUrl(attributes.url) ?? ''}`,
  lookup(attributes, live) {
    const index = providers(live);
    if ('error' in index) return { unknown: index.error };
    const url = oidcUrl(attributes.url);
    const arn = stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? (url ? `arn:${live.partition}:iam::${live.accountId}:oidc-provider/${url}` : undefined);
    if (!arn) return { unknown: 'the state instance names no provider ARN or URL' };
    const provider = index.items.get(arn);
    if (!provider) return { gone: true };
    if (provider.details.error) return { unknown: `IAM GetOpenIDConnectProvider ${arn} failed: ${provider.details.error.code}`, listed: toProviderObject(provider) };
    return { found: toProviderObject(provider) };
  },
  enumerate(live) {
    const index = providers(live);
    return 'error' in index ? [] : [...index.items.values()].map(toProviderObject);
  },
};

export const IAM_OIDC_TYPES: readonly LiveTypeSpec[] = [openIdConnectProvider];
