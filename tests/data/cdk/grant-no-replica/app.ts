// grant-no-replica: TableV2 'catalog' in us-east-1 with a replica in us-east-2. Stack Consumer (eu-west-1) imports
// the table by name (TableV2.fromTableName) and grants a role read access; CDK spells the table ARN
// out with the consumer's own region.
// the consumer is in eu-west-1, where the table has NO replica -> DRT207
import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

const app = new cdk.App();
const account = '111111111111';

const primary = new cdk.Stack(app, 'Catalog', { env: { account, region: 'us-east-1' } });
new dynamodb.TableV2(primary, 'CatalogTable', {
  tableName: 'catalog',
  partitionKey: { name: 'sku', type: dynamodb.AttributeType.STRING },
  replicas: [{ region: 'us-east-2' }],
});

const consumer = new cdk.Stack(app, 'Consumer', { env: { account, region: 'eu-west-1' } });
const role = new iam.Role(consumer, 'ReaderRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
});
dynamodb.TableV2.fromTableName(consumer, 'T', 'catalog').grantReadData(role);
