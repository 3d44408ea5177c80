// secret-replica-key-alias: secret in stack Secrets (us-east-1) replicated to us-east-2, encrypted
// there with alias 'alias/dr-secrets' that stack SecretsKey (us-east-2) creates. The alias is
// imported by name (kms.Alias.fromAliasName) with the us-east-2 stack as scope, so its ARN names
// us-east-2 (importing it in the Secrets stack would spell a us-east-1 ARN: see
// secret-replica-key-alias-wrong-region). No addDependency: Secrets may deploy before the alias exists.
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
    { region: 'us-east-2', encryptionKey: kms.Alias.fromAliasName(keyStack, 'DrSecretsAliasRef', 'alias/dr-secrets') },
  ],
});
// deliberately no secrets.addDependency(keyStack)
