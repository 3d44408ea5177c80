// aurora-replica-other-region: stack P (us-east-1) holds the L1 aurora-mysql cluster
// 'dr-replica-src'; stack S (us-east-2) holds cluster 'dr-replica-dst' whose
// ReplicationSourceIdentifier is the literal ARN
// 'arn:aws:rds:us-east-1:111111111111:cluster:dr-replica-src'; S depends on P
// -> clean (cross-region read replica: RPO unknown, RTO unknown)
import * as cdk from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';

const app = new cdk.App();
const account = '111111111111';

const p = new cdk.Stack(app, 'P', { env: { account, region: 'us-east-1' } });
new rds.CfnDBCluster(p, 'Source', {
  dbClusterIdentifier: 'dr-replica-src',
  engine: 'aurora-mysql',
  engineVersion: '8.0.mysql_aurora.3.05.2',
  masterUsername: 'dradmin',
  manageMasterUserPassword: true,
  storageEncrypted: true,
});

const s = new cdk.Stack(app, 'S', { env: { account, region: 'us-east-2' } });
new rds.CfnDBCluster(s, 'Replica', {
  dbClusterIdentifier: 'dr-replica-dst',
  engine: 'aurora-mysql',
  engineVersion: '8.0.mysql_aurora.3.05.2',
  replicationSourceIdentifier: 'arn:aws:rds:us-east-1:111111111111:cluster:dr-replica-src',
  storageEncrypted: true,
});
s.addDependency(p);
