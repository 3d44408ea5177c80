// tablev2-keys-ok: TableV2 'orders' in us-east-1 with replicas us-east-2 and us-west-2, encrypted
// with a customer-managed key; replicaKeyArns given as literal ARNs.
// right map: each replica key ARN names its own region -> clean
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Orders', { env: { account: '111111111111', region: 'us-east-1' } });
const tableKey = new kms.Key(stack, 'TableKey');
new dynamodb.TableV2(stack, 'OrdersTable', {
  tableName: 'orders',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  replicas: [{ region: 'us-east-2' }, { region: 'us-west-2' }],
  encryption: dynamodb.TableEncryptionV2.customerManagedKey(tableKey, {
    'us-east-2': 'arn:aws:kms:us-east-2:111111111111:key/11111111-1111-1111-1111-111111111111',
    'us-west-2': 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222',
  }),
});
