// efs-no-replication: as efs-replication, but the file system of stack Files (us-east-1) has no
// ReplicationConfiguration: its data lives in us-east-1 only;
// stack Standby (us-west-2) holds a VPC, so that the model spans two regions.
// no copy in another region of a two-region model -> DRT601 (info) once, for the file system;
// losing us-east-1 loses it. Twin with replication: efs-replication.
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';

const app = new cdk.App();
const account = '111111111111';

const files = new cdk.Stack(app, 'Files', { env: { account, region: 'us-east-1' } });
const vpc = new ec2.Vpc(files, 'Vpc', { maxAzs: 2, natGateways: 0 });
new efs.FileSystem(files, 'Shared', { vpc });

const standby = new cdk.Stack(app, 'Standby', { env: { account, region: 'us-west-2' } });
new ec2.Vpc(standby, 'Vpc', { maxAzs: 2, natGateways: 0 });
