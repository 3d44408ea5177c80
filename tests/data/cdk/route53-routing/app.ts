// route53-routing: one zone, example.com, with routed records (stack Routing, us-east-1).
//   latency-hc.example.com    latency us-east-1 + us-east-2, each with a health check  -> clean
//   latency-nohc.example.com  latency us-east-1 + us-east-2, no health check           -> DRT604 x2
//   failover.example.com      PRIMARY with a health check, SECONDARY without           -> clean
//   geo.example.com           geolocation US with a health check, default '*' without  -> clean
// Every health check is used by a record, so no DRT605.
import * as cdk from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Routing', { env: { account: '111111111111', region: 'us-east-1' } });
const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });

const hc = (id: string, fqdn: string) => new route53.HealthCheck(stack, id, {
  type: route53.HealthCheckType.HTTPS, fqdn, resourcePath: '/health',
});
const hcEast1 = hc('HealthEast1', 'api-use1.example.net');
const hcEast2 = hc('HealthEast2', 'api-use2.example.net');
const ip = { 'us-east-1': '192.0.2.10', 'us-east-2': '198.51.100.10' } as Record<string, string>;

for (const region of ['us-east-1', 'us-east-2']) {
  const r = region.replace(/-/g, '');
  new route53.ARecord(stack, `LatencyHc-${r}`, {
    zone, recordName: 'latency-hc', target: route53.RecordTarget.fromIpAddresses(ip[region]),
    region, setIdentifier: `latency-hc-${region}`,
    healthCheck: region === 'us-east-1' ? hcEast1 : hcEast2,
  });
  new route53.ARecord(stack, `LatencyNoHc-${r}`, {
    zone, recordName: 'latency-nohc', target: route53.RecordTarget.fromIpAddresses(ip[region]),
    region, setIdentifier: `latency-nohc-${region}`,
  });
}

new route53.ARecord(stack, 'FailoverPrimary', {
  zone, recordName: 'failover', target: route53.RecordTarget.fromIpAddresses(ip['us-east-1']),
  failover: route53.Failover.PRIMARY, setIdentifier: 'failover-primary', healthCheck: hcEast1,
});
new route53.ARecord(stack, 'FailoverSecondary', {
  zone, recordName: 'failover', target: route53.RecordTarget.fromIpAddresses(ip['us-east-2']),
  failover: route53.Failover.SECONDARY, setIdentifier: 'failover-secondary',
});

new route53.ARecord(stack, 'GeoUs', {
  zone, recordName: 'geo', target: route53.RecordTarget.fromIpAddresses(ip['us-east-1']),
  geoLocation: route53.GeoLocation.country('US'), setIdentifier: 'geo-us', healthCheck: hcEast1,
});
new route53.ARecord(stack, 'GeoDefault', {
  zone, recordName: 'geo', target: route53.RecordTarget.fromIpAddresses(ip['us-east-2']),
  geoLocation: route53.GeoLocation.default(), setIdentifier: 'geo-default',
});
