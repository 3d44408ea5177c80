// secret-replica-key-alias-wrong-region: as secret-replica-key-alias, but the alias is imported
// by name in the Secrets stack itself (us-east-1), the obvious way to write it. CDK formats the
// alias ARN with the importing stack's region: arn:...:kms:us-east-1:111111111111:alias/dr-secrets,
// an alias that does not exist (it is created in us-east-2), for the us-east-2 replica.
import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

const app = new cdk.App();
const account = '111111111111';

const keyStack = new cdk.Stack(app, 'SecretsKey', { env: { account, region: 'us-east-2' } });
new kms.Alias(keyStack, 'SecretsAlias', {
  aliasName: 'alias/dr-secrets',
  targetKey: new kms.Key(keyStack, 'SecretsReplicaKey'),
});

const secrets = new cdk.Stack(app, 'Secrets', { env: { account, region: 'us-east-1' } });
new secretsmanager.Secret(secrets, 'DbSecret', {
  secretName: 'dr/db-credentials',
  replicaRegions: [
    { region: 'us-east-2', encryptionKey: kms.Alias.fromAliasName(secrets, 'DrSecretsAlias', 'alias/dr-secrets') },
  ],
});
secrets.addDependency(keyStack);
