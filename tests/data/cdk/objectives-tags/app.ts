// objectives-tags: stack Data (us-east-1) declares recovery objectives with the stack tags
// drtopo:rpo=60 and drtopo:rto=300 and holds one standalone bucket with no copy anywhere:
// losing us-east-1 loses it (RPO infinite > 60 s) -> DRT610.
import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new cdk.App();
const stack = new cdk.Stack(app, 'Data', { env: { account: '111111111111', region: 'us-east-1' } });
cdk.Tags.of(stack).add('drtopo:rpo', '60');
cdk.Tags.of(stack).add('drtopo:rto', '300');
new s3.Bucket(stack, 'Records', { bucketName: 'dr-objectives-data', versioned: true });
