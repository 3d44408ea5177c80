// legacy-table-replica-collision: legacy global table (dynamodb.Table + replicationRegions) named
// 'legacy-orders' in us-east-1 with a replica in us-east-2 (one Custom::DynamoDBReplica), and a
// second stack in us-east-2 that creates its own table 'legacy-orders'.
import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

const app = new cdk.App();
const account = '111111111111';

const primary = new cdk.Stack(app, 'LegacyPrimary', { env: { account, region: 'us-east-1' } });
new dynamodb.Table(primary, 'Orders', {
  tableName: 'legacy-orders',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  replicationRegions: ['us-east-2'],
});

const secondary = new cdk.Stack(app, 'LegacySecondary', { env: { account, region: 'us-east-2' } });
new dynamodb.Table(secondary, 'Orders', {
  tableName: 'legacy-orders',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
});
