// secret-kms-replicas: stack Keys (us-east-1) holds a multi-region KMS key (L1 CfnKey,
// MultiRegion: true) and the secret 'dr/app-secret' replicated to us-east-2 (ReplicaRegions);
// stack KeysReplica (us-east-2) holds an AWS::KMS::ReplicaKey whose PrimaryKeyArn is the primary's
// Arn, carried across regions (crossRegionReferences on both stacks: export writer in Keys, export
// reader in KeysReplica, dependency KeysReplica -> Keys added by CDK)
// -> clean (every stateful resource has a copy in us-east-2 or is one)
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

const app = new cdk.App();
const account = '111111111111';

const keyPolicy = () => ({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'EnableRoot',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'kms:*',
    Resource: '*',
  }],
});

const keys = new cdk.Stack(app, 'Keys', {
  env: { account, region: 'us-east-1' }, crossRegionReferences: true,
});
const primary = new kms.CfnKey(keys, 'Primary', {
  description: 'dr multi-region primary key',
  multiRegion: true,
  enableKeyRotation: true,
  keyPolicy: keyPolicy(),
});
new secretsmanager.Secret(keys, 'AppSecret', {
  secretName: 'dr/app-secret',
  replicaRegions: [{ region: 'us-east-2' }],
});

const replica = new cdk.Stack(app, 'KeysReplica', {
  env: { account, region: 'us-east-2' }, crossRegionReferences: true,
});
new kms.CfnReplicaKey(replica, 'Replica', {
  description: 'dr multi-region replica key',
  primaryKeyArn: primary.attrArn,
  keyPolicy: keyPolicy(),
});
