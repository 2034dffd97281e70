/** Shared by the RDS checks: walking DB instances, and how a DB instance is reached from the internet. */
import type { DBInstance } from '@aws-sdk/client-rds';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { Ec2Inventory, InventorySnapshot, RdsInventory, ReadError } from '../../inventory/snapshot.js';
import type { FindingSubject } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import { admitsTcpPort, worldOpenRules } from '../ec2/security-groups.js';

export function dbSubject(db: DBInstance, region: string, snapshot: InventorySnapshot): FindingSubject {
  return {
    region,
    resourceId: db.DBInstanceArn ?? `arn:${snapshot.partition}:rds:${region}:${snapshot.accountId}:db:${db.DBInstanceIdentifier}`,
    resourceName: db.DBInstanceIdentifier,
  };
}

export function forEachDbInstance(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  judge: (db: DBInstance, region: string, rds: RdsInventory) => Finding | Finding[] | undefined,
): Iterable<Finding> {
  return forEachInRegions(meta, snapshot, snapshot.rds, 'rds', (rds) => rds.dbInstances, 'the DB instances (rds:DescribeDBInstances)', judge);
}

const DEFAULT_PORTS: Record<string, number> = { mysql: 3306, mariadb: 3306, aurora: 3306, postgres: 5432, oracle: 1521, sqlserver: 1433, db2: 50000 };

export function dbPort(db: DBInstance): number | undefined {
  if (db.Endpoint?.Port) return db.Endpoint.Port;
  if (db.DbInstancePort) return db.DbInstancePort;
  const engine = (db.Engine ?? '').toLowerCase();
  return Object.entries(DEFAULT_PORTS).find(([prefix]) => engine.startsWith(prefix) || engine.includes(prefix))?.[1];
}

/** A part of the public-access verdict: true, false, or unknown with the read that failed. */
export type Part = { holds: boolean; detail: string } | { error: ReadError };

/** Does any of the instance's security groups admit 0.0.0.0/0 or ::/0 on its port? */
export function securityGroupOpen(db: DBInstance, ec2: Ec2Inventory | undefined): Part {
  const port = dbPort(db);
  if (!ec2) return { error: { code: 'NotCollected', message: 'EC2 inventory for the region was not collected' } };
  if (ec2.securityGroups.error) return { error: ec2.securityGroups.error };
  const ids = (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId);
  const groups = ec2.securityGroups.value.filter((sg) => ids.includes(sg.GroupId));
  const open = groups.filter((sg) => worldOpenRules(sg).some((rule) => (port === undefined ? rule.protocol === 'all' : admitsTcpPort(rule, port))));
  if (open.length) return { holds: true, detail: `security group ${open.map((g) => g.GroupId).join(', ')} admits the internet on port ${port ?? 'any'}` };
  return { holds: false, detail: `no security group (${ids.join(', ') || 'none'}) admits the internet on port ${port ?? 'unknown'}` };
}

/** Is any subnet of the instance's subnet group routed to an internet gateway? */
export function subnetRoutedToInternet(db: DBInstance, ec2: Ec2Inventory | undefined): Part {
  if (!ec2) return { error: { code: 'NotCollected', message: 'EC2 inventory for the region was not collected' } };
  if (ec2.routeTables.error) return { error: ec2.routeTables.error };
  const subnets = (db.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier).filter((s): s is string => !!s);
  const vpcId = db.DBSubnetGroup?.VpcId;
  const tables = ec2.routeTables.value;
  const tableFor = (subnetId: string) =>
    tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ??
    // A subnet without an explicit association uses its VPC's main route table.
    tables.find((t) => t.VpcId === (vpcId ?? ec2.subnets.value?.find((s) => s.SubnetId === subnetId)?.VpcId) && t.Associations?.some((a) => a.Main));
  const routed = subnets.filter((subnetId) =>
    tableFor(subnetId)?.Routes?.some(
      (r) => (r.DestinationCidrBlock === '0.0.0.0/0' || r.DestinationIpv6CidrBlock === '::/0') && (r.GatewayId ?? '').startsWith('igw-') && r.State !== 'blackhole',
    ),
  );
  if (routed.length) return { holds: true, detail: `subnet ${routed.join(', ')} routes 0.0.0.0/0 to an internet gateway` };
  return { holds: false, detail: subnets.length ? `no subnet of ${subnets.join(', ')} routes to an internet gateway` : 'the instance has no subnets in a VPC' };
}
