// bucket-replication-nodep: bucket in stack Source (us-east-1) replicates (Bucket.replicationRules) into bucket
// 'dr-replica-dest' created by stack Dest (us-east-2), imported in Source by name.
// NO dependency Source -> Dest -> DRT408
import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new cdk.App();
const account = '111111111111';

const dest = new cdk.Stack(app, 'Dest', { env: { account, region: 'us-east-2' } });
new s3.Bucket(dest, 'Replica', { bucketName: 'dr-replica-dest', versioned: true });

const source = new cdk.Stack(app, 'Source', { env: { account, region: 'us-east-1' } });
new s3.Bucket(source, 'Data', {
  bucketName: 'dr-replica-source',
  versioned: true,
  replicationRules: [
    { destination: s3.Bucket.fromBucketName(source, 'DestBucket', 'dr-replica-dest'), priority: 1 },
  ],
});
// deliberately no source.addDependency(dest)
