// tablev2-keys-alias-nodep: TableV2 'orders' in us-east-1 with a replica in us-east-2 whose key is
// given as a literal ALIAS ARN, 'arn:aws:kms:us-east-2:111111111111:alias/dr-orders', naming the
// alias that stack KeyEast2 (us-east-2) creates. No reference, so CDK adds no carrier and no
// dependency: Orders may deploy before KeyEast2 and DynamoDB refuses the replica key.
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

const app = new cdk.App();
const account = '111111111111';

const east2 = new cdk.Stack(app, 'KeyEast2', { env: { account, region: 'us-east-2' } });
new kms.Alias(east2, 'OrdersReplicaAlias', {
  aliasName: 'alias/dr-orders',
  targetKey: new kms.Key(east2, 'ReplicaKey'),
});

const stack = new cdk.Stack(app, 'Orders', { env: { account, region: 'us-east-1' } });
const tableKey = new kms.Key(stack, 'TableKey');
new dynamodb.TableV2(stack, 'OrdersTable', {
  tableName: 'orders',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  replicas: [{ region: 'us-east-2' }],
  encryption: dynamodb.TableEncryptionV2.customerManagedKey(tableKey, {
    'us-east-2': 'arn:aws:kms:us-east-2:111111111111:alias/dr-orders',
  }),
});
// deliberately no stack.addDependency(east2)
