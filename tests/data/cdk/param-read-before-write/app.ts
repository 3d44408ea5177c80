// param-read-before-write: Writer and Reader both in us-east-1. Writer writes '/app/dev/endpoint';
// Reader reads it with valueForStringParameter but has NO dependency on Writer, so a first deploy
// (e.g. `cdk deploy --all --concurrency 2`, or Reader alone) can read it before it exists.
import * as cdk from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const app = new cdk.App();
const env = { account: '111111111111', region: 'us-east-1' };

const writer = new cdk.Stack(app, 'Writer', { env });
new ssm.StringParameter(writer, 'Endpoint', {
  parameterName: '/app/dev/endpoint',
  stringValue: 'https://api.dev.example.com',
});

const reader = new cdk.Stack(app, 'Reader', { env });
new lambda.Function(reader, 'Client', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => process.env.ENDPOINT;'),
  environment: { ENDPOINT: ssm.StringParameter.valueForStringParameter(reader, '/app/dev/endpoint') },
});
// deliberately no reader.addDependency(writer)
