// cdk16: a 16-stack multi-region DR app for the benchmarks (bench/run.py,
// row d): `cdk synth` of this app against `drtopo check` of its cdk.out.
// Eight stacks per region (keys, network, storage, data, compute, API,
// monitoring, published parameters) in a primary and a secondary region,
// wired with same-region references, cross-region references (CDK's SSM
// carriers), a global table with a replica key map, and dependencies.
// No assets: synthesizes without Docker or bundling; cdk.json holds the
// availability-zone lookups, so no AWS credentials are needed.
import * as cdk from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';

const app = new cdk.App();
const account = '111111111111';
const primary = 'us-east-1';
const secondary = 'us-west-2';

interface Region {
  name: string;
  suffix: string;
  key: kms.Key;
  vpc: ec2.Vpc;
  bucket: s3.Bucket;
  fn?: lambda.Function;
}

function props(region: string): cdk.StackProps {
  return { env: { account, region }, crossRegionReferences: true };
}

function base(region: string, suffix: string): Region {
  const keys = new cdk.Stack(app, `Keys${suffix}`, props(region));
  const key = new kms.Key(keys, 'DataKey', { enableKeyRotation: true });

  const network = new cdk.Stack(app, `Network${suffix}`, props(region));
  const vpc = new ec2.Vpc(network, 'Vpc', { maxAzs: 2, natGateways: 0 });

  const storage = new cdk.Stack(app, `Storage${suffix}`, props(region));
  const bucket = new s3.Bucket(storage, 'Artifacts', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    versioned: true,
  });
  return { name: region, suffix, key, vpc, bucket };
}

const p = base(primary, 'Primary');
const s = base(secondary, 'Secondary');

// The global table lives in the primary region with a replica in the
// secondary one, encrypted with each region's own key.
const dataPrimary = new cdk.Stack(app, 'DataPrimary', props(primary));
const table = new dynamodb.TableV2(dataPrimary, 'Orders', {
  tableName: 'orders',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  encryption: dynamodb.TableEncryptionV2.customerManagedKey(p.key, {
    [secondary]: s.key.keyArn,
  }),
  replicas: [{ region: secondary }],
});
dataPrimary.addDependency(cdk.Stack.of(s.key));

const dataSecondary = new cdk.Stack(app, 'DataSecondary', props(secondary));
const queue = new s3.Bucket(dataSecondary, 'Exports', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: s.key,
});
dataSecondary.addDependency(dataPrimary);

for (const r of [p, s]) {
  const compute = new cdk.Stack(app, `Compute${r.suffix}`, props(r.name));
  const fn = new lambda.Function(compute, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    vpc: r.vpc,
    environment: {
      TABLE: table.tableName,
      BUCKET: r.bucket.bucketName,
      EXPORTS: queue.bucketName,
    },
  });
  r.bucket.grantReadWrite(fn);
  r.fn = fn;
  compute.addDependency(r === p ? dataPrimary : dataSecondary);

  const api = new cdk.Stack(app, `Api${r.suffix}`, props(r.name));
  const rest = new apigw.LambdaRestApi(api, 'Api', { handler: fn });

  const monitoring = new cdk.Stack(app, `Monitoring${r.suffix}`, props(r.name));
  const topic = new sns.Topic(monitoring, 'Alarms', { masterKey: r.key });
  const alarm = new cloudwatch.Alarm(monitoring, 'Errors', {
    metric: fn.metricErrors(),
    threshold: 1,
    evaluationPeriods: 1,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));

  const published = new cdk.Stack(app, `Published${r.suffix}`, props(r.name));
  new ssm.StringParameter(published, 'ApiUrl', {
    parameterName: `/dr/api-url/${r.name}`,
    stringValue: rest.url,
  });
  new ssm.StringParameter(published, 'AlarmTopic', {
    parameterName: `/dr/alarm-topic/${r.name}`,
    stringValue: topic.topicArn,
  });
}

// The secondary API publishes the primary's URL too (failover config).
const failover = cdk.Stack.of(s.fn!);
new ssm.StringParameter(failover, 'PrimaryFn', {
  parameterName: '/dr/primary-function-arn',
  stringValue: p.fn!.functionArn,
});

app.synth();
