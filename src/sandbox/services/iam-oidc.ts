/**
 * IAM OpenID Connect providers: ListOpenIDConnectProviders (ARNs only, one unpaginated list, as
 * AWS sends it) and GetOpenIDConnectProvider (the URL without its scheme, client ids, thumbprints,
 * creation date and tags).
 */
import type { SandboxAccount } from '../account/model.js';
import { list } from '../protocol/xml.js';
import type { ServiceContext } from '../types.js';
import { iamData, invalidInput, noSuchEntity, requiredParam, type IamHandler } from './iam-wire.js';
import { oidcProviderHost } from '../account/load.js';

type SandboxOidcProvider = NonNullable<NonNullable<SandboxAccount['IAM']>['OpenIDConnectProviders']>[number];

const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/;

export function findOidcProvider(ctx: ServiceContext, arn: string): SandboxOidcProvider | undefined {
  return (iamData(ctx).OpenIDConnectProviders ?? []).find((p) => p.Arn === arn);
}

export const oidcHandlers: Record<string, IamHandler> = {
  ListOpenIDConnectProviders(_params, ctx) {
    return { OpenIDConnectProviderList: list('member', (iamData(ctx).OpenIDConnectProviders ?? []).map((p) => ({ Arn: p.Arn }))) };
  },
  GetOpenIDConnectProvider(params, ctx) {
    const arn = requiredParam(params, 'OpenIDConnectProviderArn');
    if (!OIDC_PROVIDER_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
    const provider = findOidcProvider(ctx, arn);
    if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
    return {
      Url: oidcProviderHost(provider.Url),
      ClientIDList: list('member', provider.ClientIDList ?? []),
      ThumbprintList: list('member', provider.ThumbprintList ?? []),
      CreateDate: provider.CreateDate,
      Tags: provider.Tags?.length ? list('member', provider.Tags) : undefined,
    };
  },
};
