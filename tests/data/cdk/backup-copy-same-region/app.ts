// backup-copy-same-region: stack Plan (us-east-1) backs table 'dr-backed-up' up daily (BackupPlan +
// BackupSelection) and copies each recovery point to vault 'dr-copy-vault' that stack Vault
// (us-east-1) creates; the vault is named by its literal ARN and Plan depends on Vault.
// copy vault in us-east-1, the plan's own region -> DRT602
import * as cdk from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';

const app = new cdk.App();
const account = '111111111111';

const vaultStack = new cdk.Stack(app, 'Vault', { env: { account, region: 'us-east-1' } });
new backup.BackupVault(vaultStack, 'CopyVault', { backupVaultName: 'dr-copy-vault' });

const plan = new cdk.Stack(app, 'Plan', { env: { account, region: 'us-east-1' } });
const table = new dynamodb.Table(plan, 'Data', {
  tableName: 'dr-backed-up',
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
});
const copyVault = backup.BackupVault.fromBackupVaultArn(plan, 'CopyVault',
  'arn:aws:backup:us-east-1:111111111111:backup-vault:dr-copy-vault');
const backupPlan = new backup.BackupPlan(plan, 'DailyPlan', {
  backupPlanName: 'dr-daily',
  backupPlanRules: [new backup.BackupPlanRule({
    ruleName: 'daily-with-copy',
    scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
    deleteAfter: cdk.Duration.days(35),
    copyActions: [{ destinationBackupVault: copyVault, deleteAfter: cdk.Duration.days(35) }],
  })],
});
backupPlan.addSelection('Tables', { resources: [backup.BackupResource.fromDynamoDbTable(table)] });
plan.addDependency(vaultStack);
