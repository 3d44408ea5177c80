// table-name-collision: TableV2 'sessions' in us-east-1 with a replica in us-east-2, and a second
// stack in us-east-2 that creates its own table 'sessions' (the seed's StorageSecondary mistake).
import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

const app = new cdk.App();
const account = '111111111111';

const primary = new cdk.Stack(app, 'StoragePrimary', { env: { account, region: 'us-east-1' } });
new dynamodb.TableV2(primary, 'Sessions', {
  tableName: 'sessions',
  partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  replicas: [{ region: 'us-east-2' }],
});

const secondary = new cdk.Stack(app, 'StorageSecondary', { env: { account, region: 'us-east-2' } });
new dynamodb.Table(secondary, 'Sessions', {
  tableName: 'sessions',
  partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
});
