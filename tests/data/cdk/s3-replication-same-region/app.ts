// s3-replication-same-region: bucket 'dr-posture-source' in stack Source (us-east-1) replicates into bucket
// 'dr-posture-dest' of stack Dest (us-east-1), imported by name; both versioned, Source depends on Dest.
// destination in us-east-1, the source's own region -> DRT602
import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new cdk.App();
const account = '111111111111';

const dest = new cdk.Stack(app, 'Dest', { env: { account, region: 'us-east-1' } });
new s3.Bucket(dest, 'Replica', { bucketName: 'dr-posture-dest', versioned: true });

const source = new cdk.Stack(app, 'Source', { env: { account, region: 'us-east-1' } });
new s3.Bucket(source, 'Data', {
  bucketName: 'dr-posture-source',
  versioned: true,
  replicationRules: [{
    destination: s3.Bucket.fromBucketName(source, 'DestBucket', 'dr-posture-dest'),
    priority: 1,
  }],
});
source.addDependency(dest);
