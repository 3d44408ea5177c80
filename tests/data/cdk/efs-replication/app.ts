// efs-replication: stack Files (us-east-1) holds a VPC and an EFS file system replicated to a new
// regional file system in us-west-2 (ReplicationConfiguration.Destinations: [{Region: us-west-2}]);
// stack Standby (us-west-2) holds the VPC where the replica would be mounted after failover.
// replicated to us-west-2 -> clean (no DRT601); losing us-east-1, the file system survives in
// us-west-2 by efs-replication with unknown RPO and RTO. Twin without replication: efs-no-replication.
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';

const app = new cdk.App();
const account = '111111111111';

const files = new cdk.Stack(app, 'Files', { env: { account, region: 'us-east-1' } });
const vpc = new ec2.Vpc(files, 'Vpc', { maxAzs: 2, natGateways: 0 });
new efs.FileSystem(files, 'Shared', {
  vpc,
  replicationConfiguration: efs.ReplicationConfiguration.regionalFileSystem('us-west-2'),
});

const standby = new cdk.Stack(app, 'Standby', { env: { account, region: 'us-west-2' } });
new ec2.Vpc(standby, 'Vpc', { maxAzs: 2, natGateways: 0 });
