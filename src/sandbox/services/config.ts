/**
 * AWS Config as the current SDK speaks it: awsJson1_1, X-Amz-Target `StarlingDoveService.<Op>`.
 * Serves DescribeConfigurationRecorders, DescribeConfigurationRecorderStatus and
 * DescribeDeliveryChannels over `Regions.<r>.Config`: at most one recorder and one channel a region.
 */
import { AwsError } from '../types.js';
import { jsonService, type Json } from './json-service.js';

/** The names asked for, checked against what exists: an unknown name is the service's NoSuch... error. */
function selectByName<T extends { name: string }>(items: readonly T[], requested: unknown, param: string, missing: (name: string) => AwsError): T[] {
  if (requested === undefined || requested === null) return [...items];
  if (!Array.isArray(requested) || !requested.every((n) => typeof n === 'string'))
    throw new AwsError({ code: 'ValidationException', message: `1 validation error detected: Value at '${param}' failed to satisfy constraint: Member must be a list of strings`, status: 400 });
  for (const name of requested as string[]) if (!items.some((i) => i.name === name)) throw missing(name);
  return items.filter((i) => (requested as string[]).includes(i.name));
}

const noRecorder = (name: string) =>
  new AwsError({ code: 'NoSuchConfigurationRecorderException', message: `Cannot find configuration recorder with the specified name '${name}'.`, status: 400 });

export const configModule = jsonService({
  name: 'config',
  signingName: 'config',
  targets: ['StarlingDoveService'],
  version: '1.1',
  clientPackage: '@aws-sdk/client-config-service',
  title: 'AWS Config',
  internalError: 'InternalFailure',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  operations: {
    DescribeConfigurationRecorders(body: Json, { region }) {
      const recorders = selectByName(region.Config?.ConfigurationRecorders ?? [], body.ConfigurationRecorderNames, 'configurationRecorderNames', noRecorder);
      return {
        ConfigurationRecorders: recorders.map(({ name, roleARN, recordingGroup, recordingMode }) => ({
          name,
          roleARN,
          recordingGroup,
          recordingMode: { recordingFrequency: recordingMode?.recordingFrequency ?? 'CONTINUOUS', recordingModeOverrides: recordingMode?.recordingModeOverrides ?? [] },
        })),
      };
    },
    DescribeConfigurationRecorderStatus(body: Json, { region }) {
      const recorders = selectByName(region.Config?.ConfigurationRecorders ?? [], body.ConfigurationRecorderNames, 'configurationRecorderNames', noRecorder);
      return {
        ConfigurationRecordersStatus: recorders.map(({ name, Status }) => ({
          name,
          recording: Status.recording,
          lastStatus: Status.lastStatus,
          lastErrorCode: Status.lastErrorCode,
          lastStartTime: Status.lastStartTime ? Date.parse(Status.lastStartTime) / 1000 : undefined,
        })),
      };
    },
    DescribeDeliveryChannels(body: Json, { region }) {
      const channels = selectByName(region.Config?.DeliveryChannels ?? [], body.DeliveryChannelNames, 'deliveryChannelNames', (name) =>
        new AwsError({ code: 'NoSuchDeliveryChannelException', message: `Cannot find delivery channel with specified name '${name}'.`, status: 400 }),
      );
      return { DeliveryChannels: channels };
    },
  },
});
