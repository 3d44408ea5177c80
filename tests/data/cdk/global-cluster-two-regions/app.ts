// global-cluster-two-regions: Aurora global database 'dr-global' with its primary cluster in stack
// P (us-east-1) and a secondary cluster in stack S (us-east-2) that joins it by identifier;
// S depends on P, so the global cluster exists first. Members span two regions -> clean.
import * as cdk from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';

const app = new cdk.App();
const account = '111111111111';

const p = new cdk.Stack(app, 'P', { env: { account, region: 'us-east-1' } });
const global = new rds.CfnGlobalCluster(p, 'Global', {
  globalClusterIdentifier: 'dr-global',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
});
new rds.CfnDBCluster(p, 'Primary', {
  dbClusterIdentifier: 'dr-primary',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
  globalClusterIdentifier: global.ref,
  masterUsername: 'dradmin',
  manageMasterUserPassword: true,
});

const s = new cdk.Stack(app, 'S', { env: { account, region: 'us-east-2' } });
new rds.CfnDBCluster(s, 'Secondary', {
  dbClusterIdentifier: 'dr-secondary',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
  globalClusterIdentifier: 'dr-global',
});
s.addDependency(p);
