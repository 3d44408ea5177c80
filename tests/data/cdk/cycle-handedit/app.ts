// cycle-handedit: A (us-east-1) uses B's bucket ARN (same env: Export/Fn::ImportValue, so CDK
// records A -> B). postsynth.js then HAND-EDITS cdk.out/manifest.json to add B -> A, closing the
// cycle A -> B -> A, which CDK itself refuses to synthesize ("would create a cyclic reference").
import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';

const app = new cdk.App();
const env = { account: '111111111111', region: 'us-east-1' };

const b = new cdk.Stack(app, 'B', { env });
const bucket = new s3.Bucket(b, 'Data');

const a = new cdk.Stack(app, 'A', { env });
new ssm.StringParameter(a, 'DataBucketArn', {
  parameterName: '/cycle/data-bucket-arn',
  stringValue: bucket.bucketArn,
});
