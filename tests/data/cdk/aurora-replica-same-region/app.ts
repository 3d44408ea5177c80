// aurora-replica-same-region: stack P (us-east-1) holds the L1 aurora-mysql cluster 'dr-replica-src'
// and a second cluster 'dr-replica-dst' whose ReplicationSourceIdentifier is the first cluster's
// ARN ({Fn::GetAtt: [Source, DBClusterArn]}): a cross-region read replica mechanism pointed at its
// own region -> DRT602
import * as cdk from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';

const app = new cdk.App();
const account = '111111111111';

const p = new cdk.Stack(app, 'P', { env: { account, region: 'us-east-1' } });
const src = new rds.CfnDBCluster(p, 'Source', {
  dbClusterIdentifier: 'dr-replica-src',
  engine: 'aurora-mysql',
  engineVersion: '8.0.mysql_aurora.3.05.2',
  masterUsername: 'dradmin',
  manageMasterUserPassword: true,
  storageEncrypted: true,
});
new rds.CfnDBCluster(p, 'Replica', {
  dbClusterIdentifier: 'dr-replica-dst',
  engine: 'aurora-mysql',
  engineVersion: '8.0.mysql_aurora.3.05.2',
  replicationSourceIdentifier: src.attrDbClusterArn,
  storageEncrypted: true,
});
