// tablev2-keys-other-stack: TableV2 'orders' in us-east-1 with replicas us-east-2 and us-west-2;
// the replica keys are KMS keys of two other stacks (KeyEast2 in us-east-2, KeyWest2 in us-west-2),
// passed as key.keyArn. Current CDK carries each ARN with an export writer/reader pair and adds the
// dependencies Orders -> KeyEast2 and Orders -> KeyWest2 itself.
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

const app = new cdk.App();
const account = '111111111111';

const east2 = new cdk.Stack(app, 'KeyEast2', { env: { account, region: 'us-east-2' }, crossRegionReferences: true });
const keyEast2 = new kms.Key(east2, 'ReplicaKey');
const west2 = new cdk.Stack(app, 'KeyWest2', { env: { account, region: 'us-west-2' }, crossRegionReferences: true });
const keyWest2 = new kms.Key(west2, 'ReplicaKey');

const stack = new cdk.Stack(app, 'Orders', { env: { account, region: 'us-east-1' }, crossRegionReferences: true });
const tableKey = new kms.Key(stack, 'TableKey');
new dynamodb.TableV2(stack, 'OrdersTable', {
  tableName: 'orders',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  replicas: [{ region: 'us-east-2' }, { region: 'us-west-2' }],
  encryption: dynamodb.TableEncryptionV2.customerManagedKey(tableKey, {
    'us-east-2': keyEast2.keyArn,
    'us-west-2': keyWest2.keyArn,
  }),
});
