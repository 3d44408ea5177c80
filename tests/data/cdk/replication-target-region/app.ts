// replication-target-region: CfnBucket in stack Source (us-east-1) whose replication destination
// is spelled WITH a region and account, 'arn:aws:s3:us-east-2:111111111111:dr-dest-410'. Bucket
// ARNs have neither (arn:aws:s3:::NAME), so S3 refuses the configuration. The destination bucket
// exists (stack Dest, us-east-2, versioned) and Source depends on Dest: only the ARN shape is wrong.
import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';

const app = new cdk.App();
const account = '111111111111';

const dest = new cdk.Stack(app, 'Dest', { env: { account, region: 'us-east-2' } });
new s3.CfnBucket(dest, 'Replica', {
  bucketName: 'dr-dest-410',
  versioningConfiguration: { status: 'Enabled' },
});

const source = new cdk.Stack(app, 'Source', { env: { account, region: 'us-east-1' } });
const role = new iam.Role(source, 'ReplicationRole', {
  assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
});
new s3.CfnBucket(source, 'Data', {
  bucketName: 'dr-source-410',
  versioningConfiguration: { status: 'Enabled' },
  replicationConfiguration: {
    role: role.roleArn,
    rules: [{
      id: 'to-us-east-2',
      status: 'Enabled',
      prefix: '',
      destination: { bucket: 'arn:aws:s3:us-east-2:111111111111:dr-dest-410' },
    }],
  },
});
source.addDependency(dest);
