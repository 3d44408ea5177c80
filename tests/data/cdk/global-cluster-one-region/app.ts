// global-cluster-one-region: an Aurora "global" database whose only member is the cluster it was
// created from (SourceDBClusterIdentifier), all in us-east-1: nothing survives the loss of us-east-1.
import * as cdk from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';

const app = new cdk.App();
const p = new cdk.Stack(app, 'P', { env: { account: '111111111111', region: 'us-east-1' } });
const primary = new rds.CfnDBCluster(p, 'Primary', {
  dbClusterIdentifier: 'dr-solo-primary',
  engine: 'aurora-postgresql',
  engineVersion: '15.4',
  masterUsername: 'dradmin',
  manageMasterUserPassword: true,
});
new rds.CfnGlobalCluster(p, 'Global', {
  globalClusterIdentifier: 'dr-global-solo',
  sourceDbClusterIdentifier: primary.ref,
});
