// bucket-name-collision: two stacks in different regions each create bucket 'dr-shared-bucket'.
// S3 bucket names are global, so the second create fails.
import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new cdk.App();
const account = '111111111111';
for (const region of ['us-east-1', 'us-east-2']) {
  const stack = new cdk.Stack(app, `Data-${region}`, { env: { account, region } });
  new s3.Bucket(stack, 'Shared', { bucketName: 'dr-shared-bucket', versioned: true });
}
