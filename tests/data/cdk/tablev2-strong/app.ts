// tablev2-strong: stack Strong (us-east-1) holds TableV2 'dr-strong' with replicas in us-east-2
// and us-west-2 and multiRegionConsistency STRONG (MRSC: three replicas, no witness)
// -> clean (RPO 0, single-region model so no DRT601)
import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

const app = new cdk.App();
const account = '111111111111';

const stack = new cdk.Stack(app, 'Strong', { env: { account, region: 'us-east-1' } });
new dynamodb.TableV2(stack, 'Table', {
  tableName: 'dr-strong',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  replicas: [{ region: 'us-east-2' }, { region: 'us-west-2' }],
  multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG,
});
