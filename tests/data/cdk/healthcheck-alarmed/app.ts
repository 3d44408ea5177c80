// healthcheck-alarmed: a Route 53 health check in stack Health (us-east-1), no record sets.
// a CloudWatch alarm watches the health check's HealthCheckStatus metric -> clean
import * as cdk from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Health', { env: { account: '111111111111', region: 'us-east-1' } });
const check = new route53.HealthCheck(stack, 'ApiHealth', {
  type: route53.HealthCheckType.HTTPS, fqdn: 'api.example.net', resourcePath: '/health',
});
new cloudwatch.Alarm(stack, 'ApiUnhealthy', {
  metric: new cloudwatch.Metric({
    namespace: 'AWS/Route53',
    metricName: 'HealthCheckStatus',
    dimensionsMap: { HealthCheckId: check.healthCheckId },
    period: cdk.Duration.minutes(1),
    statistic: 'Minimum',
  }),
  threshold: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  evaluationPeriods: 1,
});
