/*
 * The rule catalogue: one row per rule, in code order. Codes and names
 * are a public contract (spec/rules.md): never renumber, only append.
 * The explanation is what `drtopo explain CODE` prints and what
 * drtopo-rules(7) says, section by section.
 */
#include "resolve.h"

#define E DRTOPO_SEVERITY_ERROR
#define W DRTOPO_SEVERITY_WARNING
#define I DRTOPO_SEVERITY_INFO

/* ---- explanations: what a rule checks, why it breaks a deploy, how to
 * fix it, an example. man/drtopo-rules.7 says the same, section by
 * section (tests/test-rules.c checks that it does). */

static const char x101[] =
	"What it checks: stacks depend on each other in a loop, "
	"counting explicit dependencies (addDependency, manifest "
	"dependencies) and the dependencies that links imply: strong "
	"references, export imports, parameter reads (on the stack that "
	"writes the parameter in the read's region), stack-output reads "
	"and replica keys of other stacks. The finding lists one cycle "
	"A -> B -> C -> A with the reason for each edge (explicit, "
	"reference X.Attr, export NAME, parameter NAME, stack-output "
	"NAME, replica-key KEY), once per strongly connected component.\n\n"
	"Why it breaks a deploy: a stack deploys after everything it "
	"depends on, so no stack of a loop can go first. CDK refuses to "
	"add a dependency that closes a loop, and cdk deploy stops with "
	"\"dependency cycle between remaining artifacts\".\n\n"
	"How to fix: remove one edge of the loop. Drop an explicit "
	"dependency that only orders, pass the value the other way, or "
	"move what the stacks share into a stack of its own that all of "
	"them depend on.\n\n"
	"Example:\n"
	"  app.addDependency(network);\n"
	"  network.addDependency(app);\n"
	"  // DRT101: App -> Network -> App\n"
	"  //   (App -> Network: explicit; Network -> App: explicit)";

static const char x102[] =
	"What it checks: a dependency, a reference, a table or replica "
	"key, the target of a replication setting, the value written to "
	"a parameter, or a stack-output read (Fn::GetStackOutput) names "
	"a stack or resource that the model does not contain. Only inputs read "
	"from files can say that: "
	"the API links handles, not names.\n\n"
	"Why it breaks a deploy: CloudFormation resolves Ref, "
	"Fn::GetAtt and DependsOn within a template and "
	"Fn::GetStackOutput against deployed stacks. A target that does "
	"not exist fails the deploy, and the checker cannot order or "
	"verify what it cannot see.\n\n"
	"How to fix: correct the stack id, logical id or stack name, or "
	"add the missing stack or template to the input.\n\n"
	"Example:\n"
	"  \"dependsOn\": [\"NetworkPrimary-dev\"]\n"
	"  // DRT102 when the document has no stack NetworkPrimary-dev";

static const char x103[] =
	"What it checks: a stack whose account or region is unknown "
	"(env-agnostic) is linked to a stack whose account or region is "
	"known, by a reference, an export import, a parameter read or "
	"write, or a table key, so that the link works only if the "
	"agnostic stack lands in the other stack's environment; or a "
	"stack of unknown region holds a global table with replicas. "
	"Env-agnostic stacks wired only to each other are one shared "
	"environment, as CDK treats them (they deploy to the same "
	"default account and region): no finding. For parameters an "
	"unknown account is the default one and matches any account; "
	"only an unknown region matters.\n\n"
	"Why it breaks a deploy: exports, SSM parameters and strong "
	"references work within one account and region. CDK refuses "
	"such references at synth (\"Cross stack references are only "
	"supported for stacks deployed to the same environment\"), and "
	"where a template keeps them, the outcome depends on the "
	"credentials and region of whoever runs the deploy. A replica "
	"region that turns out to be the table's own region is refused.\n\n"
	"How to fix: give the stack an explicit environment (CDK: env: "
	"{ account, region }), or make the stacks it is wired to "
	"env-agnostic as well.\n\n"
	"Example:\n"
	"  const data = new DataStack(app, 'Data',\n"
	"    { env: { region: 'us-east-1' } });\n"
	"  new AppStack(app, 'App', { table: data.table });  // no env\n"
	"  // DRT103 on App: unknown account and region";

static const char x201[] =
	"What it checks: a resource uses another stack's resource "
	"attribute directly (a strong reference: what CDK turns into an "
	"export and Fn::ImportValue), the two stacks are in different "
	"regions, and no carrier brings the value into the consumer's "
	"region. A carrier is a parameter that the producer's stack "
	"writes into the consumer's region and the consumer's stack "
	"reads there (CDK's export writer and reader), or a "
	"stack-output read (Fn::GetStackOutput) from the consumer's "
	"stack to the producer's.\n\n"
	"Why it breaks a deploy: exports and Fn::ImportValue work only "
	"within one account and region. Older aws-cdk-lib refuses to "
	"synthesize the reference; a template or document that keeps "
	"the bare reference fails at deploy time because the export "
	"does not exist in the consumer's region. This is the seed's "
	"MODEL_RESPONSE failure (secondaryKms.key passed into a "
	"us-east-1 stack).\n\n"
	"How to fix: carry the value into the consumer's region: set "
	"crossRegionReferences (current aws-cdk-lib adds the writer and "
	"reader pair itself), write a parameter into the consumer's "
	"region and read it there, or read the value with "
	"Fn::GetStackOutput naming the region; or keep both resources "
	"in one region.\n\n"
	"Example:\n"
	"  const kms2 = new KmsStack(app, 'KmsSecondary',\n"
	"    { env: { region: 'us-east-2' } });\n"
	"  new StorageStack(app, 'StoragePrimary',\n"
	"    { env: { region: 'us-east-1' }, key: kms2.key });\n"
	"  // DRT201 without a carrier";

static const char x202[] =
	"What it checks: the same as DRT201, across accounts: a strong "
	"reference between stacks of two different known accounts, with "
	"no carrier (a stack-output read from consumer to producer, or "
	"a parameter that the producer's stack writes into the "
	"consumer's region and the consumer reads there).\n\n"
	"Why it breaks a deploy: exports are scoped to one account. "
	"Older aws-cdk-lib refuses cross-account references, and "
	"current releases turn them into weak Fn::GetStackOutput reads "
	"with a role; a bare reference cannot resolve at deploy time.\n\n"
	"How to fix: read the value with Fn::GetStackOutput and a role "
	"that the consumer's deployment may assume (what current CDK "
	"does), or keep both resources in one account.\n\n"
	"Example:\n"
	"  const p = new Producer(app, 'P', { env: {\n"
	"    account: '111111111111', region: 'us-east-1' } });\n"
	"  new Consumer(app, 'C', { bucket: p.bucket, env: {\n"
	"    account: '222222222222', region: 'us-east-1' } });\n"
	"  // DRT202";

static const char x203[] =
	"What it checks: a stack imports (Fn::ImportValue) an export "
	"name that the model exports, but only in other accounts or "
	"regions than the importer's. An exporter whose account or "
	"region is unknown may be in the importer's environment: that "
	"is DRT103's question, not this rule's. A name declared "
	"external in the importer's region is exported there outside "
	"the input.\n\n"
	"Why it breaks a deploy: exports are scoped to one account and "
	"region, so the import fails (\"No export named NAME found\") "
	"although a stack of the model exports the name.\n\n"
	"How to fix: export the value in the importer's account and "
	"region, or carry it across with a parameter written in the "
	"importer's region or with Fn::GetStackOutput.\n\n"
	"Example:\n"
	"  us-east-2: Outputs.KeyArn.Export.Name = \"shared-key-arn\"\n"
	"  us-east-1: { \"Fn::ImportValue\": \"shared-key-arn\" }\n"
	"  // DRT203";

static const char x204[] =
	"What it checks: a stack imports an export name that no stack "
	"of the model exports, and the name is not declared external.\n\n"
	"Why it breaks a deploy: the import fails (\"No export named "
	"NAME found\") unless something outside the input exports the "
	"name in the importer's account and region.\n\n"
	"How to fix: add the exporting stack to the input, fix the "
	"name, or declare the name external (drtopo check --external "
	"NAME, drtopo_model_add_external()) when it is exported outside "
	"the input.\n\n"
	"Example:\n"
	"  { \"Fn::ImportValue\": \"network-vpc-id\" }\n"
	"  // DRT204 when no stack exports network-vpc-id";

static const char x205[] =
	"What it checks: two or more stacks in the same account and "
	"region export the same name. One finding per name and place, "
	"naming the first two stacks and counting the rest. An unknown "
	"account or region groups with unknown ones only.\n\n"
	"Why it breaks a deploy: export names are unique per account "
	"and region, so the stack that deploys second fails (\"Export "
	"with name NAME is already exported by stack STACK\").\n\n"
	"How to fix: give each export its own name. CDK derives export "
	"names from the stack name: look for two stacks with one stack "
	"name.\n\n"
	"Example:\n"
	"  StackA and StackB, both in 111111111111/us-east-1,\n"
	"  export \"vpc-id\"   // DRT205";

static const char x206[] =
	"What it checks: a stack reads an output of another stack with "
	"Fn::GetStackOutput (a weak reference) but has no dependency "
	"path to the producing stack through explicit dependencies, "
	"strong references or export imports. One finding per reader "
	"and producer.\n\n"
	"Why it breaks a deploy: a weak reference orders nothing. On a "
	"first deploy, or a parallel one, the reader can deploy before "
	"the producer has created the output, and the read fails.\n\n"
	"How to fix: add a dependency from the reader to the producer "
	"(CDK: reader.addDependency(producer)). Current CDK does not "
	"add one for cross-account weak references.\n\n"
	"Example:\n"
	"  { \"Fn::GetStackOutput\": { \"StackName\": \"Producer\",\n"
	"    \"OutputName\": \"BucketArn\" } }\n"
	"  // DRT206 in stack Consumer, which does not depend\n"
	"  // on Producer";

static const char x207[] =
	"What it checks: an ARN that a resource spells out (a literal, "
	"or Fn::Join / Fn::Sub of literals and the pseudo parameters "
	"AWS::Partition, AWS::Region, AWS::AccountId, AWS::URLSuffix "
	"taken in the stack's environment) names a resource of a known "
	"kind (DynamoDB table, SSM parameter, SNS topic, SQS queue, "
	"Lambda function, RDS instance or cluster, KMS alias, log group, "
	"event bus, state machine, Kinesis stream, backup vault, ECR "
	"repository) by a name that the model creates in that account "
	"(tables count their replicas), but not in the ARN's region. "
	"ARNs with a wildcard or an unknown region never fire, nor do "
	"ARNs of another account, names the model does not create, or "
	"names an env-agnostic stack creates. One finding per resource "
	"and ARN.\n\n"
	"Why it breaks a deploy: the ARN names a resource that is not "
	"there (the deploy succeeds, the first call fails). CDK's "
	"fromTableName-style imports spell the ARN with the "
	"consuming stack's own region, so a grant or an integration "
	"points at a region without a replica.\n\n"
	"How to fix: add a replica (or the resource) in that region, or "
	"build the ARN from the region that holds the resource.\n\n"
	"Example:\n"
	"  table 'catalog' in us-east-1 with a replica in us-east-2;\n"
	"  an eu-west-1 stack grants\n"
	"  arn:aws:dynamodb:eu-west-1:111111111111:table/catalog\n"
	"  // DRT207";

static const char x301[] =
	"What it checks: a stack reads SSM parameter NAME in a region "
	"and no stack of the model writes NAME anywhere, and NAME is "
	"not declared external. Names under /aws/ (AWS public "
	"parameters) and /cdk-bootstrap/ (CDK bootstrap) are external "
	"by default. A warning: the name may be written outside the "
	"input.\n\n"
	"Why it breaks a deploy: a template parameter of type "
	"AWS::SSM::Parameter::Value or a {{resolve:ssm:NAME}} reference "
	"fails the deploy when the name does not exist (\"Parameters: "
	"[NAME] cannot be found\").\n\n"
	"How to fix: write the parameter in the reader's region, fix "
	"the name, or declare it external (drtopo check --external "
	"NAME, or NAME@REGION to pin the region).\n\n"
	"Example:\n"
	"  StringParameter.valueForStringParameter(this,\n"
	"    '/dr/dev/db-endpoint');\n"
	"  // DRT301 when no stack writes /dr/dev/db-endpoint";

static const char x302[] =
	"What it checks: a stack reads NAME in region R (its own "
	"region, or the region that an explicit cross-region reader "
	"names), NAME is written in the model, but only in other "
	"regions (or, in R, only in another account; an unknown account "
	"matches any). A write of unknown region (an env-agnostic "
	"stack) may land in R: that is DRT103's question, never this "
	"rule's. A name declared external in R (drtopo check --external "
	"NAME@R) is written there outside the input.\n\n"
	"Why it breaks a deploy: SSM Parameter Store is regional, and a "
	"parameter read resolves in the reader's own account and "
	"region. Reading /dr/dev/kms-key-arn/us-east-2 from a us-east-1 "
	"stack fails at deploy time (\"Unable to fetch parameters\") "
	"unless something writes that name in us-east-1 too. This is "
	"the seed's IDEAL_RESPONSE failure.\n\n"
	"How to fix: write NAME in R as well (CDK crossRegionReferences "
	"does this), or read it with a cross-region reader that names "
	"the writer's region (Custom::AWS calling SSM GetParameter with "
	"a region, Custom::CrossRegionStringParameterReader).\n\n"
	"Example:\n"
	"  KmsSecondary (us-east-2) writes\n"
	"    /dr/dev/kms-key-arn/us-east-2\n"
	"  StoragePrimary (us-east-1) reads it with\n"
	"    valueForStringParameter   // DRT302";

static const char x303[] =
	"What it checks: NAME is written in region R by stack W and "
	"read in R by stack S, but S has no dependency path to W "
	"through explicit dependencies, strong references or export "
	"imports, the links that the deploy tool orders by. When "
	"several stacks write NAME there, the first in model order is "
	"the one read (the others are DRT304). One finding per reader "
	"and writer.\n\n"
	"Why it breaks a deploy: nothing makes W deploy first, so a "
	"first deploy may read the parameter before it exists and fail.\n\n"
	"How to fix: add a dependency S -> W (CDK: s.addDependency(w)). "
	"This is why the seed adds "
	"primaryStorage.addDependency(secondaryKms).\n\n"
	"Example:\n"
	"  KmsSecondary writes /cdk/exports/StoragePrimary/KeyArn\n"
	"  into us-east-1; StoragePrimary reads it there and does\n"
	"  not depend on KmsSecondary   // DRT303";

static const char x304[] =
	"What it checks: two or more stacks write the same parameter "
	"name in the same account and region. One finding per name and "
	"place, naming the first two stacks and counting the rest. An "
	"unknown account groups with unknown ones only.\n\n"
	"Why it breaks a deploy: a parameter has one value. The second "
	"AWS::SSM::Parameter of a name fails to create, or the writers "
	"overwrite each other and readers get whichever deployed last.\n\n"
	"How to fix: keep one writer per name, account and region: "
	"rename one, or let one stack write the parameter and the "
	"others read it.\n\n"
	"Example:\n"
	"  ComputePrimary and Failover both write\n"
	"  /dr/dev/alb-dns/us-east-1 in us-east-1   // DRT304";

static const char x401[] =
	"What it checks: a table encrypted with a customer-managed key "
	"has a replica region with no key in its replica key map. A "
	"table of unknown region is left to DRT103.\n\n"
	"Why it breaks a deploy: KMS keys are regional. With a "
	"customer-managed key every replica region needs a key of its "
	"own, created in that region, while the table's own region uses "
	"the table key; CDK and CloudFormation refuse a replica without "
	"one. This is the seed's MODEL_RESPONSE failure that its Fix 2 "
	"addresses.\n\n"
	"How to fix: add a key created in the replica region to the "
	"replica key map: CDK TableV2 "
	"TableEncryptionV2.customerManagedKey(tableKey, { 'us-east-2': "
	"keyArn }), CloudFormation "
	"Replicas[].SSESpecification.KMSMasterKeyId.\n\n"
	"Example:\n"
	"  new TableV2(this, 'Sessions', {\n"
	"    replicas: [{ region: 'us-east-2' }],\n"
	"    encryption: TableEncryptionV2.customerManagedKey(key),\n"
	"  });   // DRT401";

static const char x402[] =
	"What it checks: the replica key map names the table's own "
	"region. Replicas in CloudFormation form, where the own region "
	"is listed with the table key, are not reported.\n\n"
	"Why it breaks a deploy: the table's own region uses the table "
	"key, and CDK refuses a replica key for the deployment region.\n\n"
	"How to fix: remove the own region from the replica key map.\n\n"
	"Example:\n"
	"  table in us-east-1,\n"
	"  replica keys { 'us-east-1': ..., 'us-east-2': ... }\n"
	"  // DRT402";

static const char x403[] =
	"What it checks: the key given for replica region R lives in "
	"another region: its ARN (of any partition) names another "
	"region, or it is a key resource of a stack in another region. "
	"Bare key ids, alias names, values read from parameters or "
	"imports and values that the model cannot follow have no known "
	"region and are never reported.\n\n"
	"Why it breaks a deploy: a replica can only use a KMS key of "
	"its own region, so creating the replica fails.\n\n"
	"How to fix: use a key created in R. A multi-Region replica key "
	"(mrk-) in R has an ARN that names R.\n\n"
	"Example:\n"
	"  replica us-east-2,\n"
	"  key arn:aws:kms:us-east-1:111111111111:key/abcd\n"
	"  // DRT403";

static const char x404[] =
	"What it checks: the replica key map has a key for a region "
	"that is not a replica region of the table (nor its own region, "
	"which is DRT402). A warning.\n\n"
	"Why it breaks a deploy: the key is never used. Usually a "
	"region name is misspelt or a replica was removed, and the real "
	"replica then lacks its key.\n\n"
	"How to fix: add the replica, or remove the entry from the "
	"replica key map.\n\n"
	"Example:\n"
	"  replicas [us-east-2], replica keys { us-west-2: ... }   // DRT404";

static const char x405[] =
	"What it checks: a replica region is listed more than once (one "
	"finding per region); the table's own region is given as a "
	"replica (a Custom::DynamoDBReplica in the table's own region "
	"counts); or, for Replicas in CloudFormation form (raw "
	"templates), the table's own region is missing.\n\n"
	"Why it breaks a deploy: DynamoDB and CloudFormation refuse the "
	"table: \"Cannot add, delete, or update the local region through "
	"ReplicaUpdates\", \"The Replicas section must contain an entry "
	"for the current region\", or a duplicate replica region.\n\n"
	"How to fix: list each replica region once and, outside "
	"CloudFormation form, only the other regions; in a raw "
	"AWS::DynamoDB::GlobalTable list the own region exactly once.\n\n"
	"Example:\n"
	"  new TableV2(this, 'T', { replicas: [\n"
	"    { region: 'us-east-2' }, { region: 'us-east-2' },\n"
	"  ] });   // DRT405";

static const char x406[] =
	"What it checks: two tables or replicas would hold the same "
	"table name in the same account and region. A table holds its "
	"name in its stack's region, a global table also in each "
	"replica region (Replicas of an AWS::DynamoDB::GlobalTable, "
	"Custom::DynamoDBReplica of an AWS::DynamoDB::Table). One "
	"finding per colliding holder, related to the first. An unknown "
	"account matches only an unknown one.\n\n"
	"Why it breaks a deploy: table names are unique per account and "
	"region, so the replica or table that comes second fails (\"one "
	"or more replicas already existed as tables\").\n\n"
	"How to fix: use the global table's replica in that region "
	"instead of a table of its own, or give one of them another "
	"name.\n\n"
	"Example:\n"
	"  StoragePrimary (us-east-1): global table\n"
	"    dr-sessions-dev, replica us-east-2\n"
	"  StorageSecondary (us-east-2): table dr-sessions-dev\n"
	"  // DRT406";

static const char x407[] =
	"What it checks: a replica key that is a resource of another "
	"stack in the model has no dependency path from the table's "
	"stack to the key's stack through explicit dependencies, strong "
	"references or export imports. A key given as literal text (a "
	"key ARN, an alias ARN, alias/NAME or a key id) counts as the "
	"AWS::KMS::Alias of that name or the AWS::KMS::Key of that "
	"physical name that the model creates in the replica's account "
	"and region. One finding per table and key stack.\n\n"
	"Why it breaks a deploy: the replica is created with its key, "
	"so the key must exist first; nothing makes the key's stack "
	"deploy first, and creating the replica fails on a first "
	"deploy.\n\n"
	"How to fix: add a dependency from the table's stack to the "
	"key's stack (CDK: storage.addDependency(kms)), as the seed "
	"does with primaryStorage.addDependency(secondaryKms).\n\n"
	"Example:\n"
	"  StoragePrimary's replica key for us-east-2 is the key\n"
	"  of KmsSecondary, and StoragePrimary does not depend on\n"
	"  KmsSecondary   // DRT407";

static const char x408[] =
	"What it checks: a replication setting names a target that the "
	"model creates, and nothing makes the target exist first. The "
	"settings: an S3 replication rule's Destination.Bucket (bucket "
	"arn:P:s3:::NAME), a DB cluster's GlobalClusterIdentifier (the "
	"AWS::RDS::GlobalCluster of that identifier), a DB cluster's "
	"ReplicationSourceIdentifier and a DB instance's "
	"SourceDBInstanceIdentifier (identifier or ARN), a secret's "
	"ReplicaRegions[].KmsKeyId (a key or alias in that replica "
	"region), a backup plan's CopyActions[].DestinationBackupVaultArn. "
	"A target is followed through literals and spelled-out ARNs, "
	"Ref and Fn::GetAtt in the same template, Fn::ImportValue, "
	"export readers and cross-region readers of a parameter the "
	"model writes. It fires when the target is in another stack and "
	"the setting's stack has no dependency path to it, or when it is "
	"in the same stack and the setting's resource does not depend "
	"on it (Ref, Fn::GetAtt, Fn::Sub or DependsOn, transitively). "
	"One finding per setting resource and target.\n\n"
	"Why it breaks a deploy: the service refuses the setting while "
	"the target does not exist, and CloudFormation creates unrelated "
	"resources (and stacks) in parallel.\n\n"
	"How to fix: add a dependency from the setting's stack to the "
	"target's stack (CDK: source.addDependency(target)), or a "
	"DependsOn inside one template.\n\n"
	"Example:\n"
	"  Source (us-east-1) replicates into arn:aws:s3:::dr-dest of\n"
	"  stack Dest (us-east-2); Source does not depend on Dest\n"
	"  // DRT408";

static const char x409[] =
	"What it checks: a bucket with a replication configuration, or "
	"a destination bucket of the model that one names, does not have "
	"VersioningConfiguration.Status Enabled. One finding per "
	"bucket.\n\n"
	"Why it breaks a deploy: S3 refuses the configuration "
	"(\"Destination bucket must have versioning enabled\").\n\n"
	"How to fix: enable versioning on both buckets (CDK: versioned: "
	"true).\n\n"
	"Example:\n"
	"  bucket dr-replica-dest without VersioningConfiguration,\n"
	"  named by a replication rule   // DRT409";

static const char x410[] =
	"What it checks: a replication target that evaluates to literal "
	"text is not of its kind's ARN shape: an S3 destination that is "
	"not arn:P:s3:::NAME (bucket ARNs have no region and no "
	"account), a backup copy vault that is not "
	"arn:P:backup:R:A:backup-vault:NAME.\n\n"
	"Why it breaks a deploy: the service refuses the setting.\n\n"
	"How to fix: name the target by its ARN (CDK: bucket.bucketArn, "
	"vault.backupVaultArn).\n\n"
	"Example:\n"
	"  Destination.Bucket: arn:aws:s3:us-east-2:111111111111:dest\n"
	"  // DRT410";

static const char x501[] =
	"What it checks: two S3 buckets of the model share an explicit "
	"name, whatever their accounts and regions. One finding per "
	"later bucket, related to the first.\n\n"
	"Why it breaks a deploy: bucket names are global across all "
	"accounts and regions, so the second bucket fails to create "
	"(\"already exists\").\n\n"
	"How to fix: give each bucket its own name, with the account "
	"and region in it, or let CloudFormation generate the name.\n\n"
	"Example:\n"
	"  BucketName dr-storage-dev in a us-east-1 stack\n"
	"  and in a us-east-2 stack   // DRT501";

static const char x502[] =
	"What it checks: two resources of the same type share an "
	"explicit physical name in the same scope: the account for IAM "
	"names (RoleName, UserName, GroupName, ManagedPolicyName, "
	"InstanceProfileName) and CloudWatch dashboards, the account "
	"and region for the rest. Tables (DRT406), parameters (DRT304) "
	"and buckets (DRT501) have rules of their own, and exports "
	"(DRT205) are not resources. An unknown account matches only an "
	"unknown one.\n\n"
	"Why it breaks a deploy: the second resource of the name fails "
	"to create (\"already exists\").\n\n"
	"How to fix: give each resource its own name (include the "
	"region in account-wide names), or let CloudFormation generate "
	"it.\n\n"
	"Example:\n"
	"  RoleName dr-app-role in a us-east-1 stack and in a\n"
	"  us-east-2 stack of one account   // DRT502";

/* ---- posture (drtopo-posture(7)) ---------------------------------- */

static const char x601[] =
	"What it checks: in a model whose stacks span two or more "
	"regions, a stateful resource (a DynamoDB table, an S3 bucket, an "
	"RDS cluster or instance that is not a member of a cluster, a "
	"global cluster, an EFS file system, a secret, a KMS key) has no "
	"copy in another region by any mechanism of drtopo-posture(7) and "
	"is not itself the copy of another.\n\n"
	"Why it defeats recovery: the application is spread over regions "
	"for recovery, but this data lives in one of them only; when that "
	"region is lost, so is the data, whatever else fails over.\n\n"
	"How to fix: add a copy in another region (DynamoDB replicas, S3 "
	"replication with RTC, an Aurora global database, a cross-region "
	"read replica, EFS replication, an AWS Backup copy action into a "
	"vault of another region, secret replica regions, a multi-Region "
	"KMS key with a replica; the finding's hint names the ways for its "
	"type), or accept the loss deliberately.\n\n"
	"Example:\n"
	"  Aurora cluster in DatabasePrimary (us-east-1), another\n"
	"  standalone cluster in us-east-2, no global cluster   // DRT601";

static const char x602[] =
	"What it checks: a mechanism whose purpose is a copy elsewhere "
	"has its target in the source's own account and region: an S3 "
	"replication destination bucket of the model, a backup copy vault "
	"of the model, an Aurora cluster whose ReplicationSourceIdentifier "
	"names a cluster of the model in its own region. Same-region read "
	"replicas of RDS instances are a scaling feature and never this "
	"rule.\n\n"
	"Why it defeats recovery: the copy shares every failure of the "
	"original; the loss of the region takes both.\n\n"
	"How to fix: put the target in another region (or account).\n\n"
	"Example:\n"
	"  bucket in us-east-1 replicating into a bucket of another\n"
	"  us-east-1 stack   // DRT602";

static const char x603[] =
	"What it checks: an AWS::RDS::GlobalCluster whose members (its "
	"source cluster and every cluster that names it) all sit in one "
	"region, or that has no member but its source.\n\n"
	"Why it defeats recovery: a global database exists to keep a copy "
	"in another region; with every member in one region it is a "
	"regional database with a misleading name.\n\n"
	"How to fix: add a secondary cluster in another region that names "
	"the global cluster, in a stack of that region that depends on "
	"the primary's.\n\n"
	"Example:\n"
	"  GlobalCluster with SourceDBClusterIdentifier: primary,\n"
	"  and no secondary   // DRT603";

static const char x604[] =
	"What it checks: a Route 53 record set with a routing policy "
	"(SetIdentifier: failover, latency, geolocation, geoproximity, "
	"weighted, multivalue, CIDR) has neither HealthCheckId nor an "
	"alias with EvaluateTargetHealth true. The SECONDARY of a failover "
	"pair and a geolocation default record are fallbacks and exempt. "
	"One finding per record.\n\n"
	"Why it defeats recovery: Route 53 keeps answering with a record "
	"whose region has failed, so traffic never leaves it.\n\n"
	"How to fix: attach a health check (CDK: healthCheck) or, for an "
	"alias, evaluate the target's health.\n\n"
	"Example:\n"
	"  latency records for us-east-1 and us-east-2 without\n"
	"  health checks   // DRT604 twice";

static const char x605[] =
	"What it checks: an AWS::Route53::HealthCheck that no record set, "
	"record set group, alarm or other resource of the model "
	"references.\n\n"
	"Why it defeats recovery: a health check steers traffic or "
	"triggers failover only through what uses it; alone it watches "
	"and changes nothing.\n\n"
	"How to fix: attach it to the record it guards or to an alarm "
	"that acts on it, or remove it.\n\n"
	"Example:\n"
	"  the seed's SecondaryHealthCheck: no alarm, no record   // DRT605";

static const char x606[] =
	"What it checks: a bucket whose default encryption is SSE-KMS "
	"(BucketEncryption with aws:kms or aws:kms:dsse) has a replication "
	"rule without SourceSelectionCriteria.SseKmsEncryptedObjects "
	"Enabled. One finding per rule.\n\n"
	"Why it defeats recovery: S3 replicates KMS-encrypted objects only "
	"when told to, so the destination stays empty of everything "
	"written under the default encryption.\n\n"
	"How to fix: enable SseKmsEncryptedObjects and give the rule a "
	"replica key in the destination's region (CDK: "
	"sseKmsEncryptedObjects: true, kmsKey).\n\n"
	"Example:\n"
	"  encryption: BucketEncryption.KMS, replicationRules without\n"
	"  sseKmsEncryptedObjects   // DRT606";

static const char x610[] =
	"What it checks: with recovery objectives declared (a document's "
	"objectives, --objective, the API, drtopo:rpo and drtopo:rto "
	"tags), under the loss of some region a resource's expected RPO "
	"or RTO exceeds its objective. A lost resource has an unbounded "
	"RPO and RTO; an unknown figure breaches any finite objective and "
	"the message says so. The message names the region lost, the "
	"mechanism, the expected and the declared figures.\n\n"
	"Why it defeats recovery: the design cannot meet what the "
	"business was promised, and the first to find out would be the "
	"outage.\n\n"
	"How to fix: give the resource a copy in another region whose "
	"expected figures meet the objective, or declare the objective it "
	"can meet.\n\n"
	"Example:\n"
	"  drtopo check --objective rpo=60 on the seed: the standalone\n"
	"  Aurora clusters are lost with their region   // DRT610";

static const char x611[] =
	"What it checks: under the loss of a region R, a stack outside R "
	"has a dependency path into R. One finding per stack, naming each "
	"such region and the first stack on the path: the stack itself "
	"when it reads a parameter kept in R, else the first of its "
	"dependencies (in id order) that is in R, then one that reads a "
	"parameter there, then one outside its cycle, if any, that leads "
	"there.\n\n"
	"Why it defeats recovery: deploying the surviving stack with its "
	"dependencies fails while R is down; deployed alone, it keeps the "
	"values it read from R (exports, parameters, stack outputs, "
	"carried references) as they were last deployed, frozen.\n\n"
	"How to fix: keep what a stack needs to redeploy in its own "
	"region, or plan to deploy it alone (cdk deploy --exclusively) "
	"during a regional outage.\n\n"
	"Example:\n"
	"  Failover (us-east-1) reads the us-east-2 load balancer's\n"
	"  name: under the loss of us-east-2   // DRT611";

const struct drtopo_rule dt_rules[] = {
	{"DRT101", "dependency-cycle", E,
	 "stacks depend on each other in a loop", x101,
	 dt_rule_dependency_cycle},
	{"DRT102", "unknown-target", E,
	 "a link names a stack or resource that the model does not contain",
	 x102, dt_rule_unknown_target},
	{"DRT103", "unresolved-environment", E,
	 "an env-agnostic stack is wired to a stack of an explicit environment",
	 x103, dt_rule_unresolved_environment},
	{"DRT201", "cross-region-reference", E,
	 "a strong reference crosses regions with no carrier", x201,
	 dt_rule_cross_region_reference},
	{"DRT202", "cross-account-reference", E,
	 "a strong reference crosses accounts with no carrier", x202,
	 dt_rule_cross_account_reference},
	{"DRT203", "export-region-mismatch", E,
	 "an import names an export that exists only in another account or "
	 "region",
	 x203, dt_rule_export_region_mismatch},
	{"DRT204", "missing-export", E,
	 "an import names an export that no stack produces", x204,
	 dt_rule_missing_export},
	{"DRT205", "duplicate-export", E,
	 "two stacks in one account and region export the same name", x205,
	 dt_rule_duplicate_export},
	{"DRT206", "stack-output-without-dependency", W,
	 "a stack-output read has no dependency path to its producer", x206,
	 dt_rule_stack_output_without_dependency},
	{"DRT207", "dangling-regional-arn", W,
	 "a spelled-out ARN names a resource in a region that lacks it", x207,
	 dt_rule_dangling_regional_arn},
	{"DRT301", "parameter-not-found", W,
	 "a parameter is read that no stack writes anywhere", x301,
	 dt_rule_parameter_not_found},
	{"DRT302", "parameter-region-mismatch", E,
	 "a parameter is read in a region where it is not written", x302,
	 dt_rule_parameter_region_mismatch},
	{"DRT303", "parameter-read-before-write", E,
	 "a parameter reader has no dependency path to its writer", x303,
	 dt_rule_parameter_read_before_write},
	{"DRT304", "duplicate-parameter-writer", E,
	 "two stacks write the same parameter in one account and region", x304,
	 dt_rule_duplicate_parameter_writer},
	{"DRT401", "replica-key-missing", E,
	 "a replica region of a CMK-encrypted table has no replica key", x401,
	 dt_rule_replica_key_missing},
	{"DRT402", "replica-key-for-table-region", E,
	 "the replica key map names the table's own region", x402,
	 dt_rule_replica_key_for_table_region},
	{"DRT403", "replica-key-region-mismatch", E,
	 "a replica key lives in another region than its replica", x403,
	 dt_rule_replica_key_region_mismatch},
	{"DRT404", "replica-key-without-replica", W,
	 "the replica key map names a region that is not a replica", x404,
	 dt_rule_replica_key_without_replica},
	{"DRT405", "invalid-replica-region", E,
	 "a replica region is repeated, is the table's own, or the own is "
	 "missing",
	 x405, dt_rule_invalid_replica_region},
	{"DRT406", "table-name-collision", E,
	 "two tables or replicas hold one table name in one account and region",
	 x406, dt_rule_table_name_collision},
	{"DRT407", "replica-key-not-ordered", E,
	 "a replica key of another stack is not deployed before the table",
	 x407, dt_rule_replica_key_not_ordered},
	{"DRT408", "replication-target-not-ordered", E,
	 "a replication setting's target is not created before it", x408,
	 dt_rule_replication_target_not_ordered},
	{"DRT409", "replication-versioning-disabled", E,
	 "a replicating or destination bucket has versioning disabled", x409,
	 dt_rule_replication_versioning_disabled},
	{"DRT410", "replication-target-invalid", E,
	 "a replication target is not of its kind's ARN shape", x410,
	 dt_rule_replication_target_invalid},
	{"DRT501", "bucket-name-collision", E,
	 "two S3 buckets share a name (the namespace is global)", x501,
	 dt_rule_bucket_name_collision},
	{"DRT502", "physical-name-collision", E,
	 "two resources of one type share a physical name in one scope", x502,
	 dt_rule_physical_name_collision},
	{"DRT601", "state-without-regional-copy", I,
	 "a stateful resource has no copy in another region", x601,
	 dt_rule_state_without_regional_copy},
	{"DRT602", "dr-copy-same-region", W,
	 "a copy meant for elsewhere lands in its source's own region", x602,
	 dt_rule_dr_copy_same_region},
	{"DRT603", "global-database-one-region", W,
	 "a global database has all its members in one region", x603,
	 dt_rule_global_database_one_region},
	{"DRT604", "routing-without-health-check", W,
	 "a routing record has no health check", x604,
	 dt_rule_routing_without_health_check},
	{"DRT605", "health-check-unused", W,
	 "a health check that nothing references", x605,
	 dt_rule_health_check_unused},
	{"DRT606", "kms-objects-not-replicated", W,
	 "replication skips the bucket's SSE-KMS objects", x606,
	 dt_rule_kms_objects_not_replicated},
	{"DRT610", "objective-breached", E,
	 "under the loss of a region, a resource misses its RPO or RTO", x610,
	 dt_rule_simulated},
	{"DRT611", "deploy-needs-lost-region", I,
	 "a surviving stack has a dependency path into a lost region", x611,
	 dt_rule_simulated},
};

const size_t dt_nrules = DT_ARRAY_LEN(dt_rules);

_Static_assert(DT_ARRAY_LEN(dt_rules) <= DT_MAX_RULES,
	       "raise DT_MAX_RULES with the catalogue");
