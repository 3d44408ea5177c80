/*
 * The seed DR app (spec/seed-topology.md) built through the public API,
 * in its three variants, for any test suite:
 *
 *   drtopo_model *m = dt_seed_model_response();
 *
 * (or dt_seed_ideal_response(), dt_seed_fixed(), dt_seed_build(variant)).
 *
 * 15 stacks `<Name>-dev`, account unknown (NULL), regions us-east-1 and
 * us-east-2. Returns NULL when a call fails (out of memory). The expected
 * findings: model-response DRT201 x2 (key, ALB DNS), DRT401, DRT406;
 * ideal-response DRT302 x2, DRT406; fixed: none.
 */
#ifndef DT_TEST_SEED_H
#define DT_TEST_SEED_H

#include <stdio.h>
#include <string.h>

#include <drtopo/drtopo.h>

enum dt_seed_variant {
	DT_SEED_MODEL_RESPONSE = 1,
	DT_SEED_IDEAL_RESPONSE = 2,
	DT_SEED_FIXED = 3
};

#define DT_SEED_R1 "us-east-1"
#define DT_SEED_R2 "us-east-2"

/* Builder state: the first failing call's status sticks; later calls get
 * NULL handles, which the API refuses without crashing. */
typedef struct dt_seed {
	drtopo_model *m;
	int rc;
	int variant;
	/* the handles the wiring needs, per region (0: primary) */
	drtopo_stack *kms[2], *net[2], *mon[2], *db[2], *sto[2], *cmp[2],
		*bak[2], *failover;
	drtopo_resource *key[2], *vpc[2], *topic[2], *cluster[2], *table[2],
		*alb[2];
} dt_seed;

static inline void dt_seed_ok(dt_seed *s, int rc)
{
	if (rc && !s->rc)
		s->rc = rc;
}

static inline drtopo_stack *dt_seed_stack(dt_seed *s, const char *name,
					  const char *region)
{
	char id[64];
	drtopo_stack *st = NULL;
	snprintf(id, sizeof(id), "%s-dev", name);
	dt_seed_ok(s, drtopo_model_add_stack(s->m, id, NULL, region, &st));
	return st;
}

static inline drtopo_resource *dt_seed_res(dt_seed *s, drtopo_stack *st,
					   const char *id, const char *type,
					   const char *physical_name)
{
	drtopo_resource *r = NULL;
	dt_seed_ok(s,
		   drtopo_stack_add_resource(st, id, type, physical_name, &r));
	return r;
}

static inline void dt_seed_ref(dt_seed *s, drtopo_resource *consumer,
			       drtopo_resource *producer, const char *attr)
{
	dt_seed_ok(s, drtopo_resource_add_reference(consumer, producer, attr));
}

static inline void dt_seed_dep(dt_seed *s, drtopo_stack *a, drtopo_stack *b)
{
	dt_seed_ok(s, drtopo_stack_add_dependency(a, b));
}

/* A resource that writes parameter `name` (into `region`, NULL: its own)
 * with the value value.attr. */
static inline void dt_seed_write(dt_seed *s, drtopo_stack *st,
				 drtopo_resource *writer, const char *name,
				 const char *region, drtopo_resource *value,
				 const char *attr)
{
	drtopo_param *p = NULL;
	dt_seed_ok(s,
		   drtopo_stack_write_parameter(st, name, region, writer, &p));
	dt_seed_ok(s, drtopo_param_set_value_resource(p, value, attr));
}

static inline void dt_seed_read(dt_seed *s, drtopo_stack *st,
				drtopo_resource *reader, const char *name)
{
	dt_seed_ok(s,
		   drtopo_stack_read_parameter(st, name, NULL, reader, NULL));
}

static inline const char *dt_seed_region(int i)
{
	return i ? DT_SEED_R2 : DT_SEED_R1;
}

static inline void dt_seed_kms(dt_seed *s, int i)
{
	static const char *const names[] = {"KmsPrimary", "KmsSecondary"};
	char buf[96];
	const char *region = dt_seed_region(i);
	drtopo_stack *st = s->kms[i] = dt_seed_stack(s, names[i], region);
	s->key[i] = dt_seed_res(s, st, "Key", "AWS::KMS::Key", NULL);
	snprintf(buf, sizeof(buf), "alias/dr-dev-%s", region);
	drtopo_resource *alias =
		dt_seed_res(s, st, "Alias", "AWS::KMS::Alias", buf);
	dt_seed_ref(s, alias, s->key[i], NULL);
	snprintf(buf, sizeof(buf), "/dr/dev/kms-key-arn/%s", region);
	drtopo_resource *param = dt_seed_res(s, st, "KeyArnParameter",
					     "AWS::SSM::Parameter", buf);
	dt_seed_ref(s, param, s->key[i], "Arn");
	dt_seed_write(s, st, param, buf, NULL, s->key[i], "Arn");
}

static inline void dt_seed_network(dt_seed *s, int i)
{
	static const char *const names[] = {"NetworkPrimary",
					    "NetworkSecondary"};
	drtopo_stack *st = s->net[i] =
		dt_seed_stack(s, names[i], dt_seed_region(i));
	s->vpc[i] = dt_seed_res(s, st, "Vpc", "AWS::EC2::VPC", NULL);
	drtopo_resource *subnet =
		dt_seed_res(s, st, "PrivateSubnet1", "AWS::EC2::Subnet", NULL);
	drtopo_resource *nat =
		dt_seed_res(s, st, "NatGateway", "AWS::EC2::NatGateway", NULL);
	drtopo_resource *s3 =
		dt_seed_res(s, st, "S3Endpoint", "AWS::EC2::VPCEndpoint", NULL);
	drtopo_resource *ddb = dt_seed_res(s, st, "DynamoDbEndpoint",
					   "AWS::EC2::VPCEndpoint", NULL);
	dt_seed_ref(s, subnet, s->vpc[i], NULL);
	dt_seed_ref(s, nat, subnet, NULL);
	dt_seed_ref(s, s3, s->vpc[i], NULL);
	dt_seed_ref(s, ddb, s->vpc[i], NULL);
}

static inline void dt_seed_monitoring(dt_seed *s, int i)
{
	static const char *const names[] = {"MonitoringPrimary",
					    "MonitoringSecondary"};
	char buf[96];
	const char *region = dt_seed_region(i);
	drtopo_stack *st = s->mon[i] = dt_seed_stack(s, names[i], region);
	snprintf(buf, sizeof(buf), "dr-alarms-dev-%s", region);
	s->topic[i] = dt_seed_res(s, st, "AlarmTopic", "AWS::SNS::Topic", buf);
	/* The same log group name in both regions: unique per region. */
	dt_seed_res(s, st, "OperationsLogGroup", "AWS::Logs::LogGroup",
		    "/dr/dev/operations");
	dt_seed_res(s, st, "Dashboard", "AWS::CloudWatch::Dashboard", NULL);
}

static inline void dt_seed_database(dt_seed *s, int i)
{
	static const char *const names[] = {"DatabasePrimary",
					    "DatabaseSecondary"};
	drtopo_stack *st = s->db[i] =
		dt_seed_stack(s, names[i], dt_seed_region(i));
	s->cluster[i] = dt_seed_res(s, st, "AuroraCluster",
				    "AWS::RDS::DBCluster", NULL);
	drtopo_resource *inst = dt_seed_res(s, st, "AuroraWriter",
					    "AWS::RDS::DBInstance", NULL);
	drtopo_resource *sg = dt_seed_res(s, st, "DbSecurityGroup",
					  "AWS::EC2::SecurityGroup", NULL);
	dt_seed_ref(s, sg, s->vpc[i], NULL);
	dt_seed_ref(s, s->cluster[i], s->key[i], "Arn");
	dt_seed_ref(s, s->cluster[i], sg, "GroupId");
	dt_seed_ref(s, inst, s->cluster[i], NULL);
}

static inline void dt_seed_storage(dt_seed *s, int i)
{
	static const char *const names[] = {"StoragePrimary",
					    "StorageSecondary"};
	char buf[96];
	const char *region = dt_seed_region(i);
	drtopo_stack *st = s->sto[i] = dt_seed_stack(s, names[i], region);
	snprintf(buf, sizeof(buf), "dr-storage-dev-%s", region);
	drtopo_resource *bucket =
		dt_seed_res(s, st, "Bucket", "AWS::S3::Bucket", buf);
	dt_seed_ref(s, bucket, s->key[i], "Arn");
	if (i == 0) {
		drtopo_resource *t = s->table[0] = dt_seed_res(
			s, st, "SessionsTable", "AWS::DynamoDB::GlobalTable",
			"dr-sessions-dev");
		dt_seed_ok(s, drtopo_resource_set_cmk(t, s->key[0]));
		dt_seed_ok(s, drtopo_resource_add_replica(t, DT_SEED_R2));
	} else if (s->variant != DT_SEED_FIXED) {
		/* A second table of the global table's name, where the global
		 * table already has its replica: DRT406. */
		drtopo_resource *t = s->table[1] =
			dt_seed_res(s, st, "SessionsTable",
				    "AWS::DynamoDB::Table", "dr-sessions-dev");
		dt_seed_ok(s, drtopo_resource_set_cmk(t, s->key[1]));
	}
}

static inline void dt_seed_compute(dt_seed *s, int i)
{
	static const char *const names[] = {"ComputePrimary",
					    "ComputeSecondary"};
	char buf[96];
	const char *region = dt_seed_region(i);
	drtopo_stack *st = s->cmp[i] = dt_seed_stack(s, names[i], region);
	s->alb[i] =
		dt_seed_res(s, st, "Alb",
			    "AWS::ElasticLoadBalancingV2::LoadBalancer", NULL);
	drtopo_resource *svc =
		dt_seed_res(s, st, "Service", "AWS::ECS::Service", NULL);
	drtopo_resource *alarm = dt_seed_res(s, st, "UnhealthyHostsAlarm",
					     "AWS::CloudWatch::Alarm", NULL);
	drtopo_resource *role =
		dt_seed_res(s, st, "TaskRole", "AWS::IAM::Role", NULL);
	dt_seed_ref(s, s->alb[i], s->vpc[i], NULL);
	dt_seed_ref(s, svc, s->vpc[i], NULL);
	dt_seed_ref(s, alarm, s->topic[i], NULL);
	/* The secondary region uses the global table's replica in the fixed
	 * variant: a table by name, no reference. */
	if (s->table[i])
		dt_seed_ref(s, role, s->table[i], "Arn");
	snprintf(buf, sizeof(buf), "/dr/dev/alb-dns/%s", region);
	drtopo_resource *param = dt_seed_res(s, st, "AlbDnsParameter",
					     "AWS::SSM::Parameter", buf);
	dt_seed_ref(s, param, s->alb[i], "DNSName");
	dt_seed_write(s, st, param, buf, NULL, s->alb[i], "DNSName");
}

static inline void dt_seed_backup(dt_seed *s, int i)
{
	static const char *const names[] = {"BackupPrimary", "BackupSecondary"};
	char buf[96];
	const char *region = dt_seed_region(i);
	drtopo_stack *st = s->bak[i] = dt_seed_stack(s, names[i], region);
	snprintf(buf, sizeof(buf), "dr-vault-dev-%s", region);
	drtopo_resource *vault =
		dt_seed_res(s, st, "Vault", "AWS::Backup::BackupVault", buf);
	drtopo_resource *plan =
		dt_seed_res(s, st, "Plan", "AWS::Backup::BackupPlan", NULL);
	drtopo_resource *sel = dt_seed_res(
		s, st, "Selection", "AWS::Backup::BackupSelection", NULL);
	dt_seed_ref(s, vault, s->key[i], "Arn");
	dt_seed_ref(s, plan, vault, NULL);
	dt_seed_ref(s, sel, plan, NULL);
	dt_seed_ref(s, sel, s->cluster[i], "DBClusterArn");
	if (s->table[i])
		dt_seed_ref(s, sel, s->table[i], "Arn");
}

/* What StoragePrimary (the key) and Failover (the DNS name) receive from
 * us-east-2, per variant. */
static inline void dt_seed_cross_region(dt_seed *s, drtopo_resource *check2)
{
	drtopo_resource *table = s->table[0];
	if (s->variant == DT_SEED_MODEL_RESPONSE) {
		/* Bare strong references; no replica key for us-east-2. */
		dt_seed_ref(s, table, s->key[1], "Arn");
		dt_seed_ref(s, check2, s->alb[1], "DNSName");
	} else if (s->variant == DT_SEED_IDEAL_RESPONSE) {
		/* Resolved in us-east-1, where nobody writes them: DRT302. */
		dt_seed_read(s, s->sto[0], table,
			     "/dr/dev/kms-key-arn/" DT_SEED_R2);
		dt_seed_ok(s, drtopo_resource_set_replica_key_parameter(
				      table, DT_SEED_R2,
				      "/dr/dev/kms-key-arn/" DT_SEED_R2, NULL));
		dt_seed_read(s, s->failover, check2,
			     "/dr/dev/alb-dns/" DT_SEED_R2);
	} else {
		/* CDK crossRegionReferences: a writer in the producer writes
		 * into the consumer's region, a reader there reads it. */
		const char *kp = "/cdk/exports/StoragePrimary-dev/"
				 "KmsSecondarydevuseast2FnGetAttKeyArn";
		const char *ap = "/cdk/exports/Failover-dev/"
				 "ComputeSecondarydevuseast2FnGetAttAlbDNSName";
		drtopo_resource *kw =
			dt_seed_res(s, s->kms[1], "ExportsWriteruseast1",
				    "Custom::CrossRegionExportWriter", NULL);
		drtopo_resource *kr =
			dt_seed_res(s, s->sto[0], "ExportsReader",
				    "Custom::CrossRegionExportReader", NULL);
		dt_seed_write(s, s->kms[1], kw, kp, DT_SEED_R1, s->key[1],
			      "Arn");
		dt_seed_read(s, s->sto[0], kr, kp);
		dt_seed_ref(s, table, s->key[1], "Arn");
		dt_seed_ok(s, drtopo_resource_set_replica_key(table, DT_SEED_R2,
							      s->key[1]));
		drtopo_resource *aw =
			dt_seed_res(s, s->cmp[1], "ExportsWriteruseast1",
				    "Custom::CrossRegionExportWriter", NULL);
		drtopo_resource *ar =
			dt_seed_res(s, s->failover, "ExportsReader",
				    "Custom::CrossRegionExportReader", NULL);
		dt_seed_write(s, s->cmp[1], aw, ap, DT_SEED_R1, s->alb[1],
			      "DNSName");
		dt_seed_read(s, s->failover, ar, ap);
		dt_seed_ref(s, check2, s->alb[1], "DNSName");
	}
}

static inline void dt_seed_failover(dt_seed *s)
{
	drtopo_stack *st = s->failover =
		dt_seed_stack(s, "Failover", DT_SEED_R1);
	drtopo_resource *check1 = dt_seed_res(
		s, st, "PrimaryHealthCheck", "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *check2 =
		dt_seed_res(s, st, "SecondaryHealthCheck",
			    "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *alarm = dt_seed_res(s, st, "PrimaryHealthAlarm",
					     "AWS::CloudWatch::Alarm", NULL);
	drtopo_resource *fn = dt_seed_res(s, st, "FailoverFunction",
					  "AWS::Lambda::Function", NULL);
	dt_seed_res(s, st, "HealthCheckFunction", "AWS::Lambda::Function",
		    NULL);
	dt_seed_ref(s, check1, s->alb[0], "DNSName");
	dt_seed_ref(s, alarm, check1, NULL);
	dt_seed_ref(s, alarm, s->topic[0], NULL);
	dt_seed_ref(s, fn, s->topic[0], NULL);
	dt_seed_cross_region(s, check2);
}

/* The seed's deployment order: KMS first; Network and Monitoring;
 * Databases; Storage (primary after the secondary KMS stack); Compute;
 * Backup; Failover last (after the secondary Compute stack). */
static inline void dt_seed_order(dt_seed *s)
{
	for (int i = 0; i < 2; i++) {
		dt_seed_dep(s, s->db[i], s->net[i]);
		dt_seed_dep(s, s->db[i], s->kms[i]);
		dt_seed_dep(s, s->sto[i], s->kms[i]);
		dt_seed_dep(s, s->cmp[i], s->net[i]);
		dt_seed_dep(s, s->cmp[i], s->mon[i]);
		dt_seed_dep(s, s->cmp[i], s->sto[i]);
		dt_seed_dep(s, s->bak[i], s->db[i]);
		dt_seed_dep(s, s->bak[i], s->sto[i]);
	}
	dt_seed_dep(s, s->sto[0], s->kms[1]);
	dt_seed_dep(s, s->failover, s->cmp[0]);
	dt_seed_dep(s, s->failover, s->cmp[1]);
	dt_seed_dep(s, s->failover, s->mon[0]);
}

static inline drtopo_model *dt_seed_build(int variant)
{
	dt_seed s;
	memset(&s, 0, sizeof(s));
	s.variant = variant;
	if (drtopo_model_new(&s.m) != DRTOPO_OK)
		return NULL;
	for (int i = 0; i < 2; i++)
		dt_seed_kms(&s, i);
	for (int i = 0; i < 2; i++)
		dt_seed_network(&s, i);
	for (int i = 0; i < 2; i++)
		dt_seed_monitoring(&s, i);
	for (int i = 0; i < 2; i++)
		dt_seed_database(&s, i);
	for (int i = 0; i < 2; i++)
		dt_seed_storage(&s, i);
	for (int i = 0; i < 2; i++)
		dt_seed_compute(&s, i);
	for (int i = 0; i < 2; i++)
		dt_seed_backup(&s, i);
	dt_seed_failover(&s);
	dt_seed_order(&s);
	if (s.rc) {
		drtopo_model_free(s.m);
		return NULL;
	}
	return s.m;
}

/* One builder per variant. */
static inline drtopo_model *dt_seed_model_response(void)
{
	return dt_seed_build(DT_SEED_MODEL_RESPONSE);
}

static inline drtopo_model *dt_seed_ideal_response(void)
{
	return dt_seed_build(DT_SEED_IDEAL_RESPONSE);
}

static inline drtopo_model *dt_seed_fixed(void)
{
	return dt_seed_build(DT_SEED_FIXED);
}

#endif /* DT_TEST_SEED_H */
