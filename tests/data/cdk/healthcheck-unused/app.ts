// healthcheck-unused: a Route 53 health check in stack Health (us-east-1), no record sets.
// nothing references the health check -> DRT605
import * as cdk from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Health', { env: { account: '111111111111', region: 'us-east-1' } });
const check = new route53.HealthCheck(stack, 'ApiHealth', {
  type: route53.HealthCheckType.HTTPS, fqdn: 'api.example.net', resourcePath: '/health',
});
// deliberately nothing references the health check
