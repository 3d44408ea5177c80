// sse-kms-replication-objects: bucket 'dr-kms-source' in stack Source (us-east-1), default
// encryption SSE-KMS under a key of the stack, replicates into bucket 'dr-kms-dest' of stack Dest
// (us-east-2), imported by name; both versioned, Source depends on Dest. The rule sets
// sseKmsEncryptedObjects (SourceSelectionCriteria.SseKmsEncryptedObjects Enabled) and a replica
// KMS key in us-east-2 (a literal key ARN: Destination.EncryptionConfiguration.ReplicaKmsKeyID)
// -> clean
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new cdk.App();
const account = '111111111111';

const dest = new cdk.Stack(app, 'Dest', { env: { account, region: 'us-east-2' } });
new s3.Bucket(dest, 'Replica', { bucketName: 'dr-kms-dest', versioned: true });

const source = new cdk.Stack(app, 'Source', { env: { account, region: 'us-east-1' } });
const key = new kms.Key(source, 'DataKey', { description: 'dr-kms-source default encryption' });
new s3.Bucket(source, 'Data', {
  bucketName: 'dr-kms-source',
  versioned: true,
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  replicationRules: [{
    destination: s3.Bucket.fromBucketName(source, 'DestBucket', 'dr-kms-dest'),
    priority: 1,
    sseKmsEncryptedObjects: true,
    kmsKey: kms.Key.fromKeyArn(source, 'ReplicaKey',
      'arn:aws:kms:us-east-2:111111111111:key/22222222-2222-2222-2222-222222222222'),
  }],
});
source.addDependency(dest);
