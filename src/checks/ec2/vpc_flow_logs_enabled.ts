import type { CheckMetadata } from '../../findings/model.js';
import { finding, readError } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'vpc_flow_logs_enabled',
  title: 'Every VPC has a flow log recording rejected traffic',
  failTitle: 'VPC has no flow log recording rejected traffic',
  severity: 'medium',
  service: 'ec2',
  resourceType: 'AWS::EC2::VPC',
  risk: 'Without a flow log, nobody can tell afterwards which addresses probed or reached the VPC: scanning, exfiltration and lateral movement leave no network record.',
  remediation: 'Create a flow log on the VPC with traffic type REJECT (or ALL), delivered to CloudWatch Logs or S3.',
  remediationTerraform: `resource "aws_flow_log" "<name>" {
  vpc_id               = aws_vpc.<name>.id
  traffic_type         = "REJECT" # or "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.<flow_logs>.arn
}`,
  cis: ['3.7'],
  terraformTypes: ['aws_flow_log', 'aws_vpc'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html'],
};

/** A flow log that records the traffic CIS 3.7 asks about: rejected packets (REJECT or ALL). */
const RECORDS_REJECTS = new Set(['REJECT', 'ALL']);

export const vpc_flow_logs_enabled: Check = {
  metadata,
  reads: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.vpcs, 'the VPCs (ec2:DescribeVpcs)', (vpc, region, ec2) => {
      const id = vpc.VpcId ?? 'unknown';
      const subject = {
        region,
        resourceId: `arn:${snapshot.partition}:ec2:${region}:${snapshot.accountId}:vpc/${id}`,
        resourceName: vpc.Tags?.find((t) => t.Key === 'Name')?.Value ?? id,
      };
      if (ec2.flowLogs.error) return readError(metadata, snapshot, subject, `the flow logs in ${region} (ec2:DescribeFlowLogs)`, ec2.flowLogs.error);
      const ofVpc = ec2.flowLogs.value.filter((f) => f.ResourceId === id);
      const recording = ofVpc.filter((f) => RECORDS_REJECTS.has(f.TrafficType ?? '') && (f.FlowLogStatus ?? 'ACTIVE') === 'ACTIVE');
      const evidence = {
        isDefault: vpc.IsDefault === true,
        flowLogs: ofVpc.map((f) => ({ flowLogId: f.FlowLogId, trafficType: f.TrafficType, destinationType: f.LogDestinationType ?? null, deliverLogsStatus: f.DeliverLogsStatus ?? null })),
      };
      if (recording.length) return finding(metadata, snapshot, subject, 'pass', `VPC ${id} has flow log ${recording.map((f) => `${f.FlowLogId} (${f.TrafficType})`).join(', ')}.`, evidence);
      if (ofVpc.length) return finding(metadata, snapshot, subject, 'fail', `VPC ${id} logs only ${[...new Set(ofVpc.map((f) => f.TrafficType))].join(', ')} traffic: rejected packets are not recorded.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `VPC ${id} has no flow log.`, evidence);
    }),
};
