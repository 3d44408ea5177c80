// param-region-mismatch: Kms2 (us-east-2) writes '/dr/dev/kms-key-arn/us-east-2' in us-east-2;
// Store (us-east-1) reads that name with valueForStringParameter, which CloudFormation resolves
// in us-east-1, where nothing writes it. addDependency orders the deploy but cannot fix the region.
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

const app = new cdk.App();
const account = '111111111111';

const kms2 = new cdk.Stack(app, 'Kms2', { env: { account, region: 'us-east-2' } });
const key = new kms.Key(kms2, 'Key', { description: 'secondary-region key' });
new ssm.StringParameter(kms2, 'KeyArnParam', {
  parameterName: '/dr/dev/kms-key-arn/us-east-2',
  stringValue: key.keyArn,
});

const store = new cdk.Stack(app, 'Store', { env: { account, region: 'us-east-1' } });
const keyArn = ssm.StringParameter.valueForStringParameter(store, '/dr/dev/kms-key-arn/us-east-2');
new dynamodb.Table(store, 'Data', {
  tableName: 'dr-data',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
  encryptionKey: kms.Key.fromKeyArn(store, 'SecondaryKey', keyArn),
});
store.addDependency(kms2);
