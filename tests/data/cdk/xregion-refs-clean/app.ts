// xregion-refs-clean: a KMS key in us-east-2 used directly by a us-east-1 stack.
// With crossRegionReferences, CDK carries the ARN with an export writer (producer)
// and an export reader (consumer) and adds the dependency Consumer -> KeyStack.
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';

const app = new cdk.App();
const account = '111111111111';

const keyStack = new cdk.Stack(app, 'KeyStack', {
  env: { account, region: 'us-east-2' },
  crossRegionReferences: true,
});
const key = new kms.Key(keyStack, 'ReplicaKey', { description: 'key used from us-east-1' });

const consumer = new cdk.Stack(app, 'ConsumerStack', {
  env: { account, region: 'us-east-1' },
  crossRegionReferences: true,
});
new ssm.StringParameter(consumer, 'ReplicaKeyArn', {
  parameterName: '/dr/dev/replica-key-arn',
  stringValue: key.keyArn,
});
