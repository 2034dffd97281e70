/** IAM OpenID Connect providers through the real IAMClient: listing, reading, tags, errors. */
import { describe, expect, it } from 'vitest';
import {
  IAMClient,
  CreateOpenIDConnectProviderCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const EKS = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF`;
const LOCKED = `arn:aws:iam::${ACCOUNT}:oidc-provider/accounts.google.com`;

const account = {
  AccountId: ACCOUNT,
  Regions: { 'us-east-1': {} },
  IAM: {
    OpenIDConnectProviders: [
      {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1', '1c58a3a8518e8759bf075b76b750d4f2df264fcd'],
        CreateDate: '2025-03-01T10:00:00Z',
        Tags: [{ Key: 'team', Value: 'platform' }],
      },
      // Written without the scheme and with a trailing slash: IAM keys it by host and path.
      { Url: 'oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF/', ClientIDList: ['sts.amazonaws.com'], CreateDate: '2025-04-01T10:00:00Z' },
      { Url: 'https://accounts.google.com', CreateDate: '2025-05-01T10:00:00Z' },
    ],
  },
};

describe('sandbox IAM OpenID Connect providers', () => {
  const env = useSandbox(account, { deny: [`GetOpenIDConnectProvider:${LOCKED}`] });
  const iam = () => new IAMClient(env.config('iam'));

  it('lists every provider by ARN, keyed by URL without its scheme', async () => {
    const listed = await iam().send(new ListOpenIDConnectProvidersCommand({}));
    expect(listed.OpenIDConnectProviderList?.map((p) => p.Arn)).toEqual([GITHUB, EKS, LOCKED]);
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap?.Providers).toBe(3);
  });

  it('GetOpenIDConnectProvider returns the URL without https://, client ids, thumbprints, creation date and tags', async () => {
    const github = await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: GITHUB }));
    expect(github.Url).toBe('token.actions.githubusercontent.com');
    expect(github.ClientIDList).toEqual(['sts.amazonaws.com']);
    expect(github.ThumbprintList).toEqual(['6938fd4d98bab03faadb97b34396831e3780aea1', '1c58a3a8518e8759bf075b76b750d4f2df264fcd']);
    expect(github.CreateDate).toEqual(new Date('2025-03-01T10:00:00Z'));
    expect(github.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
    const eks = await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: EKS }));
    expect([eks.Url, eks.ThumbprintList, eks.Tags]).toEqual(['oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF', [], undefined]);
  });

  it('answers NoSuchEntity for an unknown provider, InvalidInput for a malformed ARN, AccessDenied by ARN, and refuses writes', async () => {
    const missing = await rejection(iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/example.com` })));
    expect([missing.name, missing.$metadata.httpStatusCode, missing.message]).toEqual([
      'NoSuchEntityException',
      404,
      `OpenIDConnect Provider not found for arn arn:aws:iam::${ACCOUNT}:oidc-provider/example.com`,
    ]);
    const malformed = await rejection(iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: 'token.actions.githubusercontent.com' })));
    expect([malformed.name, malformed.$metadata.httpStatusCode]).toEqual(['InvalidInputException', 400]);
    const denied = await rejection(iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: LOCKED })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain(`iam:GetOpenIDConnectProvider on resource: ${LOCKED}`);
    const write = await rejection(iam().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://example.com', ClientIDList: ['x'] })));
    expect(write.name).toBe('AccessDenied');
  });
});
