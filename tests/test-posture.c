/*
 * DR posture (drtopo-posture(7)): objectives and routing records as model
 * data, the copy mechanisms, the region-loss simulation and the findings
 * DRT601-DRT606, DRT610 and DRT611. Each finding fires in one case and
 * stays silent in a close one; the seed gives what posture.md says; the
 * importer reads the CDK posture apps; documents round-trip the new keys;
 * a large simulation stays linear.
 */
#include "builders.h"

#include "model.h"
#include "pieces.h"

#define R1 "us-east-1"
#define R2 "us-east-2"
#define R3 "eu-west-1"
#define A1 "111111111111"
#define A2 "222222222222"

static drtopo_result *resolve(drtopo_model *m)
{
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	return r;
}

/* Findings of `code` in a result, optionally on one resource id. */
static size_t count_in(const drtopo_result *r, const char *code,
		       const char *resource)
{
	size_t n = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		const char *res = drtopo_diagnostic_resource(d);
		if (strcmp(drtopo_diagnostic_code(d), code) == 0 &&
		    (!resource || (res && strcmp(res, resource) == 0)))
			n++;
	}
	return n;
}

static size_t count(drtopo_model *m, const char *code, const char *resource)
{
	drtopo_result *r = resolve(m);
	size_t n = count_in(r, code, resource);
	drtopo_result_free(r);
	return n;
}

/* The first message of `code`. */
static const char *message(drtopo_model *m, const char *code)
{
	static char buf[2048];
	drtopo_result *r = resolve(m);
	buf[0] = '\0';
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		if (strcmp(drtopo_diagnostic_code(d), code) == 0) {
			snprintf(buf, sizeof(buf), "%s",
				 drtopo_diagnostic_message(d));
			break;
		}
	}
	drtopo_result_free(r);
	return buf;
}

static drtopo_replication *repl(drtopo_resource *r, int kind,
				const char *region)
{
	drtopo_replication *p = NULL;
	ck_ok(drtopo_stack_model(drtopo_resource_stack(r)),
	      drtopo_resource_add_replication(r, kind, region, &p));
	return p;
}

/* ---- objectives ------------------------------------------------------ */

START_TEST(objectives_most_specific_wins)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *b = res(a, "B", "AWS::S3::Bucket", NULL);
	long rpo, rto;
	int st;
	ck_ok(m, drtopo_model_set_objectives(m, 60, 900, 0));
	ck_ok(m, drtopo_stack_set_objectives(a, -1, 300,
					     DRTOPO_STRATEGY_WARM_STANDBY));
	ck_ok(m, drtopo_resource_set_objectives(b, 3600, -1, 0));
	ck_assert_int_eq(
		drtopo_resource_effective_objectives(b, &rpo, &rto, &st),
		DRTOPO_OK);
	ck_assert_int_eq(rpo, 3600);
	ck_assert_int_eq(rto, 300);
	ck_assert_int_eq(st, DRTOPO_STRATEGY_WARM_STANDBY);
	ck_assert_int_eq(drtopo_stack_objectives(a, &rpo, &rto, &st),
			 DRTOPO_OK);
	ck_assert_int_eq(rpo, -1);
	ck_assert_int_eq(rto, 300);
	/* a call replaces what the level declared */
	ck_ok(m, drtopo_stack_set_objectives(a, -1, -1, 0));
	drtopo_resource_effective_objectives(b, &rpo, &rto, &st);
	ck_assert_int_eq(rto, 900);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(drtopo_model_set_objectives(m, -2, 0, 0),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_set_objectives(m, 0, 0, 99),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_strategy_from_name("pilot_light"),
			 DRTOPO_STRATEGY_PILOT_LIGHT);
	ck_assert_int_eq(drtopo_strategy_from_name("nope"), DRTOPO_EINVAL);
	ck_assert_str_eq(drtopo_strategy_name(DRTOPO_STRATEGY_ACTIVE_ACTIVE),
			 "ACTIVE_ACTIVE");
	ck_assert_ptr_null(drtopo_strategy_name(0));
	drtopo_model_free(m);
}
END_TEST

START_TEST(duration_tags)
{
	ck_assert_int_eq(dt_parse_duration("60"), 60);
	ck_assert_int_eq(dt_parse_duration("15m"), 900);
	ck_assert_int_eq(dt_parse_duration("2h"), 7200);
	ck_assert_int_eq(dt_parse_duration("1d"), 86400);
	ck_assert_int_eq(dt_parse_duration("60x"), -1);
	ck_assert_int_eq(dt_parse_duration(""), -1);
	ck_assert_int_eq(dt_parse_duration("m"), -1);
	ck_assert_int_eq(dt_parse_duration("1234567890"), -1);
	dt_objectives o = DT_OBJECTIVES_NONE;
	dt_objective_tag(&o, "drtopo:rpo", "5m");
	dt_objective_tag(&o, "drtopo:strategy", "hot_standby");
	dt_objective_tag(&o, "drtopo:rto", "soon"); /* ignored */
	dt_objective_tag(&o, "other:rto", "60");    /* not ours */
	ck_assert_int_eq(o.rpo, 300);
	ck_assert_int_eq(o.rto, -1);
	ck_assert_int_eq(o.strategy, DRTOPO_STRATEGY_HOT_STANDBY);
}
END_TEST

/* ---- DRT601 ---------------------------------------------------------------
 */

START_TEST(drt601_fires_without_copy)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	res(a, "Db", "AWS::RDS::DBCluster", NULL);
	res(b, "Web", "AWS::Lambda::Function", NULL);
	ck_assert_uint_eq(count(m, "DRT601", "Db"), 1);
	ck_assert_uint_eq(count(m, "DRT601", "Web"), 0); /* not stateful */
	ck_assert_ptr_nonnull(
		strstr(message(m, "DRT601"), "no copy outside us-east-1"));
	drtopo_model_free(m);
}
END_TEST

START_TEST(drt601_silent)
{
	/* one region: no finding at all */
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	res(a, "Db", "AWS::RDS::DBCluster", NULL);
	ck_assert_uint_eq(count(m, "DRT601", NULL), 0);
	/* a global table replica elsewhere; a bucket replicating into a
	 * bucket of another region (neither source nor target fires); an
	 * instance of a cluster holds the cluster's data */
	drtopo_stack *b = stack(m, "B", A1, R2);
	drtopo_resource *t = res(a, "T", "AWS::DynamoDB::GlobalTable", "t");
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	drtopo_resource *src = res(a, "Src", "AWS::S3::Bucket", "src");
	drtopo_resource *dst = res(b, "Dst", "AWS::S3::Bucket", "dst");
	drtopo_replication *p =
		repl(src, DRTOPO_REPLICATION_S3_DESTINATION, NULL);
	ck_ok(m, drtopo_replication_set_target(p, dst, "Arn"));
	drtopo_resource *db = res(b, "Cl", "AWS::RDS::DBCluster", NULL);
	drtopo_resource *inst = res(b, "Inst", "AWS::RDS::DBInstance", NULL);
	ck_ok(m, drtopo_resource_add_reference(inst, db, NULL));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT601", "T"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "Src"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "Dst"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "Inst"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "Cl"), 1);
	ck_assert_uint_eq(count_in(r, "DRT601", "Db"), 1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT602 ---------------------------------------------------------------
 */

START_TEST(drt602_same_region_copies)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1);
	drtopo_resource *src = res(a, "Src", "AWS::S3::Bucket", "src");
	res(b, "Dst", "AWS::S3::Bucket", "dst");
	ck_ok(m, drtopo_replication_set_target_text(
			 repl(src, DRTOPO_REPLICATION_S3_DESTINATION, NULL),
			 "arn:aws:s3:::dst"));
	drtopo_resource *plan = res(a, "Plan", "AWS::Backup::BackupPlan", NULL);
	res(b, "Vault", "AWS::Backup::BackupVault", "v");
	ck_ok(m,
	      drtopo_replication_set_target_text(
		      repl(plan, DRTOPO_REPLICATION_BACKUP_COPY, NULL),
		      "arn:aws:backup:us-east-1:111111111111:backup-vault:v"));
	drtopo_resource *c1 = res(a, "C1", "AWS::RDS::DBCluster", NULL);
	drtopo_resource *c2 = res(b, "C2", "AWS::RDS::DBCluster", NULL);
	ck_ok(m, drtopo_replication_set_target(
			 repl(c2, DRTOPO_REPLICATION_CLUSTER_SOURCE, NULL), c1,
			 "DBClusterArn"));
	/* a same-region read replica of an instance is a scaling feature */
	drtopo_resource *i1 = res(a, "I1", "AWS::RDS::DBInstance", NULL);
	drtopo_resource *i2 = res(b, "I2", "AWS::RDS::DBInstance", NULL);
	ck_ok(m, drtopo_replication_set_target(
			 repl(i2, DRTOPO_REPLICATION_INSTANCE_SOURCE, NULL), i1,
			 NULL));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT602", "Src"), 1);
	ck_assert_uint_eq(count_in(r, "DRT602", "Plan"), 1);
	ck_assert_uint_eq(count_in(r, "DRT602", "C2"), 1);
	ck_assert_uint_eq(count_in(r, "DRT602", "I2"), 0);
	ck_assert_uint_eq(count_in(r, "DRT602", NULL), 3);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(drt602_silent_elsewhere)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_stack *c = stack(m, "C", A2, R1);
	drtopo_resource *src = res(a, "Src", "AWS::S3::Bucket", "src");
	res(b, "Dst", "AWS::S3::Bucket", "dst");
	res(c, "Other", "AWS::S3::Bucket", "other");
	ck_ok(m, drtopo_replication_set_target_text(
			 repl(src, DRTOPO_REPLICATION_S3_DESTINATION, NULL),
			 "arn:aws:s3:::dst"));
	/* another account in the same region is another place */
	ck_ok(m, drtopo_replication_set_target_text(
			 repl(src, DRTOPO_REPLICATION_S3_DESTINATION, NULL),
			 "arn:aws:s3:::other"));
	ck_assert_uint_eq(count(m, "DRT602", NULL), 0);
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT603 ---------------------------------------------------------------
 */

START_TEST(drt603_global_database)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_resource *g = res(a, "G", "AWS::RDS::GlobalCluster", "g");
	drtopo_resource *p = res(a, "P", "AWS::RDS::DBCluster", "p");
	res(a, "Empty", "AWS::RDS::GlobalCluster", "empty");
	ck_ok(m,
	      drtopo_replication_set_target(
		      repl(g, DRTOPO_REPLICATION_GLOBAL_CLUSTER_SOURCE, NULL),
		      p, NULL));
	/* the source also names the global cluster: one member */
	ck_ok(m, drtopo_replication_set_target(
			 repl(p, DRTOPO_REPLICATION_GLOBAL_CLUSTER, NULL), g,
			 NULL));
	ck_assert_uint_eq(count(m, "DRT603", "G"), 1);
	ck_assert_uint_eq(count(m, "DRT603", "Empty"), 1);
	ck_assert_ptr_nonnull(strstr(message(m, "DRT603"), "has no member"));
	/* a secondary in another region, by its literal identifier */
	drtopo_resource *s = res(b, "S", "AWS::RDS::DBCluster", "s");
	ck_ok(m,
	      drtopo_replication_set_target_text(
		      repl(s, DRTOPO_REPLICATION_GLOBAL_CLUSTER, NULL), "g"));
	ck_ok(m, drtopo_stack_add_dependency(b, a));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT603", "G"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "P"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "S"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "G"), 0);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT604 and DRT605 -------------------------------------------------- */

static drtopo_route *route(drtopo_resource *r, const char *name,
			   const char *set_id, int policy, unsigned flags)
{
	drtopo_route *rt = NULL;
	drtopo_model *m = drtopo_stack_model(drtopo_resource_stack(r));
	ck_ok(m, drtopo_resource_add_route(r, name, set_id, policy, &rt));
	ck_ok(m, drtopo_route_set_flags(rt, flags));
	return rt;
}

START_TEST(drt604_routing_records)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *hc = res(a, "Hc", "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *rs =
		res(a, "Rs", "AWS::Route53::RecordSetGroup", NULL);
	drtopo_route *p = route(rs, "app.", "p", DRTOPO_ROUTING_FAILOVER, 0);
	ck_ok(m, drtopo_route_set_health_check(p, hc));
	route(rs, "app.", "s", DRTOPO_ROUTING_FAILOVER, DRTOPO_ROUTE_SECONDARY);
	route(rs, "geo.", "d", DRTOPO_ROUTING_GEOLOCATION,
	      DRTOPO_ROUTE_DEFAULT);
	route(rs, "lat.", "1", DRTOPO_ROUTING_LATENCY,
	      DRTOPO_ROUTE_EVALUATE_TARGET_HEALTH);
	route(rs, "plain.", NULL, DRTOPO_ROUTING_SIMPLE, 0);
	ck_assert_uint_eq(count(m, "DRT604", NULL), 0);
	ck_assert_uint_eq(count(m, "DRT605", NULL), 0);
	route(rs, "lat.", "2", DRTOPO_ROUTING_LATENCY, 0);
	route(rs, "w.", "w", DRTOPO_ROUTING_WEIGHTED, 0);
	ck_assert_uint_eq(count(m, "DRT604", "Rs"), 2);
	ck_assert_ptr_nonnull(
		strstr(message(m, "DRT604"), "latency record lat (2)"));
	drtopo_model_free(m);
}
END_TEST

START_TEST(drt605_unused_health_check)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1);
	res(a, "Lonely", "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *watched =
		res(a, "Watched", "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *alarm =
		res(b, "Alarm", "AWS::CloudWatch::Alarm", NULL);
	ck_ok(m, drtopo_resource_add_reference(alarm, watched, NULL));
	drtopo_resource *exported =
		res(a, "Exported", "AWS::Route53::HealthCheck", NULL);
	ck_ok(m, drtopo_stack_add_export(a, "hc-id", exported));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT605", "Lonely"), 1);
	ck_assert_uint_eq(count_in(r, "DRT605", NULL), 1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT606 ---------------------------------------------------------------
 */

START_TEST(drt606_kms_objects)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_resource *kms = res(a, "Kms", "AWS::S3::Bucket", "kms");
	drtopo_resource *plain = res(a, "Plain", "AWS::S3::Bucket", "plain");
	res(b, "Dst", "AWS::S3::Bucket", "dst");
	ck_ok(m,
	      drtopo_resource_set_flags(kms, DRTOPO_RESOURCE_VERSIONED |
						     DRTOPO_RESOURCE_SSE_KMS));
	ck_ok(m, drtopo_resource_set_flags(plain, DRTOPO_RESOURCE_VERSIONED));
	drtopo_replication *k1 =
		repl(kms, DRTOPO_REPLICATION_S3_DESTINATION, NULL);
	drtopo_replication *k2 =
		repl(kms, DRTOPO_REPLICATION_S3_DESTINATION, NULL);
	drtopo_replication *p1 =
		repl(plain, DRTOPO_REPLICATION_S3_DESTINATION, NULL);
	ck_ok(m, drtopo_replication_set_target_text(k1, "arn:aws:s3:::dst"));
	ck_ok(m, drtopo_replication_set_target_text(k2, "arn:aws:s3:::dst"));
	ck_ok(m, drtopo_replication_set_target_text(p1, "arn:aws:s3:::dst"));
	ck_ok(m, drtopo_replication_set_flags(
			 k2, DRTOPO_REPLICATION_SSE_KMS_OBJECTS));
	ck_ok(m, drtopo_replication_set_pointer(k1, "/Rules/0"));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT606", "Kms"), 1);
	ck_assert_uint_eq(count_in(r, "DRT606", "Plain"), 0);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- the simulation ------------------------------------------------------ */

typedef struct got {
	int outcome, mech;
	const char *region;
	long rpo, rto;
} got;

/* The outcome of resource `id` in scenario 0, or outcome -1. */
static got outcome_of(const drtopo_simulation *sim, size_t sc, const char *id)
{
	got g = {-1, -1, NULL, -2, -2};
	for (size_t j = 0; j < drtopo_simulation_outcome_count(sim, sc); j++) {
		drtopo_resource *r;
		ck_assert_int_eq(drtopo_simulation_outcome(
					 sim, sc, j, &r, &g.outcome, &g.mech,
					 &g.region, &g.rpo, &g.rto),
				 DRTOPO_OK);
		if (strcmp(drtopo_resource_id(r), id) == 0)
			return g;
	}
	g.outcome = -1;
	return g;
}

/* Resource `id` survives scenario 0 of sim by mechanism mech in region,
 * with these expected figures. */
static void survives(const drtopo_simulation *sim, const char *id, int mech,
		     const char *region, long rpo, long rto)
{
	got g = outcome_of(sim, 0, id);
	ck_assert_msg(g.outcome == DRTOPO_OUTCOME_SURVIVES, "%s: outcome %d",
		      id, g.outcome);
	ck_assert_int_eq(g.mech, mech);
	ck_assert_str_eq(g.region, region);
	ck_assert_int_eq(g.rpo, rpo);
	ck_assert_int_eq(g.rto, rto);
}

START_TEST(simulate_mechanisms)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_resource *t = res(a, "T", "AWS::DynamoDB::GlobalTable", "t");
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	drtopo_resource *strong =
		res(a, "Strong", "AWS::DynamoDB::GlobalTable", "s");
	ck_ok(m, drtopo_resource_add_replica(strong, R3));
	ck_ok(m, drtopo_resource_set_flags(strong,
					   DRTOPO_RESOURCE_STRONG_CONSISTENCY));
	drtopo_resource *src = res(a, "Src", "AWS::S3::Bucket", "src");
	res(b, "Dst", "AWS::S3::Bucket", "dst");
	drtopo_replication *p =
		repl(src, DRTOPO_REPLICATION_S3_DESTINATION, NULL);
	ck_ok(m, drtopo_replication_set_target_text(p, "arn:aws:s3:::dst"));
	ck_ok(m, drtopo_replication_set_flags(p, DRTOPO_REPLICATION_RTC));
	drtopo_resource *sec =
		res(a, "Sec", "AWS::SecretsManager::Secret", NULL);
	repl(sec, DRTOPO_REPLICATION_SECRET_REPLICA, R2);
	drtopo_resource *key = res(a, "Key", "AWS::KMS::Key", NULL);
	drtopo_resource *rk = res(b, "Rk", "AWS::KMS::ReplicaKey", NULL);
	ck_ok(m, drtopo_replication_set_target(
			 repl(rk, DRTOPO_REPLICATION_KMS_REPLICA_KEY, NULL),
			 key, "Arn"));
	/* backup: selection -> plan -> copy into a vault of R2, daily */
	drtopo_resource *db = res(a, "Db", "AWS::RDS::DBCluster", NULL);
	drtopo_resource *plan = res(a, "Plan", "AWS::Backup::BackupPlan", NULL);
	drtopo_resource *sel =
		res(a, "Sel", "AWS::Backup::BackupSelection", NULL);
	ck_ok(m, drtopo_resource_add_reference(sel, plan, "BackupPlanId"));
	ck_ok(m, drtopo_replication_set_target(
			 repl(sel, DRTOPO_REPLICATION_BACKUP_SELECTION, NULL),
			 db, "DBClusterArn"));
	drtopo_replication *cp =
		repl(plan, DRTOPO_REPLICATION_BACKUP_COPY, NULL);
	ck_ok(m, drtopo_replication_set_target_text(
			 cp, "arn:aws:backup:us-east-2:111111111111:"
			     "backup-vault:dr"));
	ck_ok(m, drtopo_replication_set_period(cp, 86400));
	drtopo_resource *lost = res(a, "Lost", "AWS::EFS::FileSystem", NULL);
	(void)lost;

	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_scenario_count(sim), 1);
	ck_assert_str_eq(drtopo_simulation_scenario_region(sim, 0), R1);
	survives(sim, "T", DRTOPO_MECHANISM_GLOBAL_TABLE_REPLICA, R2, 1,
		 DRTOPO_FIGURE_UNKNOWN); /* no routing */
	ck_assert_int_eq(outcome_of(sim, 0, "Strong").rpo, 0);
	got g = outcome_of(sim, 0, "Src");
	ck_assert_int_eq(g.mech, DRTOPO_MECHANISM_S3_REPLICATION_RTC);
	ck_assert_int_eq(g.rpo, 900);
	g = outcome_of(sim, 0, "Sec");
	ck_assert_int_eq(g.mech, DRTOPO_MECHANISM_SECRET_REPLICA);
	ck_assert_int_eq(g.rto, 0);
	ck_assert_int_eq(outcome_of(sim, 0, "Key").mech,
			 DRTOPO_MECHANISM_KMS_REPLICA_KEY);
	g = outcome_of(sim, 0, "Db");
	ck_assert_int_eq(g.mech, DRTOPO_MECHANISM_BACKUP_COPY);
	ck_assert_int_eq(g.rpo, 86400);
	ck_assert_int_eq(outcome_of(sim, 0, "Lost").outcome,
			 DRTOPO_OUTCOME_LOST);
	ck_assert_int_eq(outcome_of(sim, 0, "Dst").outcome, -1); /* in R2 */
	drtopo_simulation_free(sim);

	/* every region in turn: the worst case lists every stateful one */
	ck_assert_int_eq(drtopo_result_simulate(r, NULL, NULL, &sim),
			 DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_scenario_count(sim), 2);
	ck_assert_uint_eq(drtopo_simulation_worst_count(sim), 9);
	drtopo_simulation_free(sim);
	/* a region no stack has loses nothing */
	ck_assert_int_eq(drtopo_result_simulate(r, "ap-south-1", NULL, &sim),
			 DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_outcome_count(sim, 0), 0);
	drtopo_simulation_free(sim);
	ck_assert_int_eq(drtopo_result_simulate(r, "", NULL, &sim),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_result_simulate(NULL, R1, NULL, &sim),
			 DRTOPO_EINVAL);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* EFS replication: a destination in another region is a copy (no
 * DRT601, survives with unknown figures); one in the source's own region
 * (AvailabilityZoneName only) is none, and never DRT602; a destination
 * file system of the model is the copy's place and a target. */
START_TEST(efs_replication)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_resource *fs = res(a, "Fs", "AWS::EFS::FileSystem", NULL);
	drtopo_resource *same = res(a, "Same", "AWS::EFS::FileSystem", NULL);
	drtopo_resource *src = res(a, "Src", "AWS::EFS::FileSystem", NULL);
	drtopo_resource *dst = res(b, "Dst", "AWS::EFS::FileSystem", NULL);
	drtopo_resource *local = res(a, "Local", "AWS::EFS::FileSystem", NULL);
	drtopo_resource *local_dst =
		res(a, "LocalDst", "AWS::EFS::FileSystem", NULL);
	drtopo_resource *where = res(a, "Where", "AWS::EFS::FileSystem", NULL);
	repl(fs, DRTOPO_REPLICATION_EFS_DESTINATION, R2);
	repl(same, DRTOPO_REPLICATION_EFS_DESTINATION, R1);
	ck_ok(m, drtopo_replication_set_target(
			 repl(src, DRTOPO_REPLICATION_EFS_DESTINATION, R2), dst,
			 NULL));
	ck_ok(m, drtopo_replication_set_target(
			 repl(local, DRTOPO_REPLICATION_EFS_DESTINATION, R1),
			 local_dst, NULL));
	repl(where, DRTOPO_REPLICATION_EFS_DESTINATION, NULL);
	ck_assert_str_eq(drtopo_replication_kind_name(
				 DRTOPO_REPLICATION_EFS_DESTINATION),
			 "efs-destination");
	ck_assert_str_eq(
		drtopo_mechanism_name(DRTOPO_MECHANISM_EFS_REPLICATION),
		"efs-replication");
	ck_assert_ptr_null(
		drtopo_mechanism_name(DRTOPO_MECHANISM_EFS_REPLICATION + 1));

	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT601", "Fs"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "Src"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "Dst"), 0);   /* the target */
	ck_assert_uint_eq(count_in(r, "DRT601", "Where"), 0); /* unknown */
	ck_assert_uint_eq(count_in(r, "DRT601", "Same"), 1);
	ck_assert_uint_eq(count_in(r, "DRT601", "Local"), 1);
	ck_assert_uint_eq(count_in(r, "DRT601", "LocalDst"), 1);
	ck_assert_uint_eq(count_in(r, "DRT602", NULL), 0);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	survives(sim, "Fs", DRTOPO_MECHANISM_EFS_REPLICATION, R2,
		 DRTOPO_FIGURE_UNKNOWN, DRTOPO_FIGURE_UNKNOWN);
	got g = outcome_of(sim, 0, "Src");
	ck_assert_int_eq(g.outcome, DRTOPO_OUTCOME_SURVIVES);
	ck_assert_str_eq(g.region, R2);
	ck_assert_int_eq(outcome_of(sim, 0, "Same").outcome,
			 DRTOPO_OUTCOME_LOST);
	ck_assert_int_eq(outcome_of(sim, 0, "Local").outcome,
			 DRTOPO_OUTCOME_LOST);
	ck_assert_int_eq(outcome_of(sim, 0, "Where").outcome,
			 DRTOPO_OUTCOME_UNKNOWN);
	drtopo_simulation_free(sim);
	/* the destination's data also lives in its source */
	ck_assert_int_eq(drtopo_result_simulate(r, R2, NULL, &sim), DRTOPO_OK);
	g = outcome_of(sim, 0, "Dst");
	ck_assert_int_eq(g.outcome, DRTOPO_OUTCOME_SURVIVES);
	ck_assert_int_eq(g.mech, DRTOPO_MECHANISM_EFS_REPLICATION);
	ck_assert_str_eq(g.region, R1);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(simulate_stacks_and_routes)
{
	drtopo_model *m = model();
	drtopo_stack *p = stack(m, "P", A1, R1), *s = stack(m, "S", A1, R2);
	drtopo_stack *f = stack(m, "F", A1, R2), *g = stack(m, "G", A1, R2);
	drtopo_resource *lb = res(p, "Lb",
				  "AWS::ElasticLoadBalancingV2::"
				  "LoadBalancer",
				  NULL);
	drtopo_resource *lb2 = res(s, "Lb",
				   "AWS::ElasticLoadBalancingV2::"
				   "LoadBalancer",
				   NULL);
	drtopo_resource *use = res(f, "Fn", "AWS::Lambda::Function", NULL);
	ck_ok(m, drtopo_resource_add_reference(use, lb, "DNSName"));
	ck_ok(m, drtopo_stack_add_dependency(g, f)); /* G -> F -> P */
	drtopo_resource *hc = res(s, "Hc", "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *rs =
		res(s, "Rs", "AWS::Route53::RecordSetGroup", NULL);
	drtopo_route *r1 = route(rs, "app.", "p", DRTOPO_ROUTING_FAILOVER, 0);
	ck_ok(m, drtopo_route_set_target(r1, lb));
	ck_ok(m, drtopo_route_set_health_check(r1, hc));
	drtopo_route *r2 = route(rs, "app.", "s", DRTOPO_ROUTING_FAILOVER,
				 DRTOPO_ROUTE_SECONDARY);
	ck_ok(m, drtopo_route_set_target(r2, lb2));
	drtopo_route *r3 = route(rs, "stuck.", NULL, DRTOPO_ROUTING_SIMPLE, 0);
	ck_ok(m, drtopo_route_set_region(r3, R1));
	ck_assert_str_eq(drtopo_route_region(r1), R1);
	ck_assert_str_eq(drtopo_route_region(r3), R1);

	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	/* P lost; F reads one value from it; G's path is longer */
	ck_assert_uint_eq(drtopo_simulation_stack_count(sim, 0), 2);
	drtopo_stack *st;
	int state;
	size_t frozen;
	ck_assert_int_eq(
		drtopo_simulation_stack(sim, 0, 0, &st, &state, &frozen),
		DRTOPO_OK);
	ck_assert_str_eq(drtopo_stack_id(st), "F");
	ck_assert_int_eq(state, DRTOPO_STACK_STATE_DEPLOYS_ALONE);
	ck_assert_uint_eq(frozen, 1);
	/* the value F reads: P's load balancer's name */
	drtopo_stack *from = NULL;
	int kind = -1;
	const char *via = NULL;
	ck_assert_int_eq(
		drtopo_simulation_frozen(sim, 0, 0, 0, &from, &kind, &via),
		DRTOPO_OK);
	ck_assert_str_eq(drtopo_stack_id(from), "P");
	ck_assert_int_eq(kind, DRTOPO_EDGE_REFERENCE);
	ck_assert_str_eq(via, "Lb.DNSName");
	ck_assert_int_eq(
		drtopo_simulation_frozen(sim, 0, 0, 1, NULL, NULL, NULL),
		DRTOPO_EINVAL);
	/* a lost stack reads nothing frozen; its automation is lost */
	ck_assert_int_eq(
		drtopo_simulation_frozen(sim, 0, 1, 0, NULL, NULL, NULL),
		DRTOPO_EINVAL);
	ck_assert_int_eq(
		drtopo_simulation_frozen(sim, 9, 0, 0, NULL, NULL, NULL),
		DRTOPO_EINVAL);
	ck_assert(drtopo_resource_is_automation(use));
	ck_assert(drtopo_resource_is_automation(hc));
	ck_assert(!drtopo_resource_is_automation(lb));
	ck_assert(!drtopo_resource_is_automation(NULL));
	drtopo_simulation_stack(sim, 0, 1, &st, &state, &frozen);
	ck_assert_str_eq(drtopo_stack_id(st), "P");
	ck_assert_int_eq(state, DRTOPO_STACK_STATE_LOST);
	ck_assert_uint_eq(drtopo_simulation_route_count(sim, 0), 2);
	const char *name;
	drtopo_simulation_route(sim, 0, 0, &name, &state);
	ck_assert_str_eq(name, "app"); /* as Route 53 compares names */
	ck_assert_int_eq(state, DRTOPO_ROUTE_STATE_CAN_LEAVE);
	drtopo_simulation_route(sim, 0, 1, &name, &state);
	ck_assert_str_eq(name, "stuck");
	ck_assert_int_eq(state, DRTOPO_ROUTE_STATE_STUCK);
	/* DRT611: F and G, once each, naming the region */
	size_t n611 = 0;
	for (size_t i = 0; i < drtopo_simulation_diagnostic_count(sim); i++) {
		const drtopo_diagnostic *d =
			drtopo_simulation_diagnostic(sim, i);
		if (strcmp(drtopo_diagnostic_code(d), "DRT611") == 0) {
			n611++;
			ck_assert_ptr_nonnull(
				strstr(drtopo_diagnostic_message(d), R1));
		}
	}
	ck_assert_uint_eq(n611, 2);
	ck_assert_int_eq(drtopo_simulation_stack(sim, 0, 2, &st, NULL, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_simulation_route(sim, 1, 0, NULL, NULL),
			 DRTOPO_EINVAL);
	drtopo_simulation_free(sim);
	/* the same in drtopo check: one DRT611 per stack */
	ck_assert_uint_eq(count_in(r, "DRT611", NULL), 2);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(drt610_objectives)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_resource *t = res(a, "T", "AWS::DynamoDB::GlobalTable", "t");
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	res(a, "Db", "AWS::RDS::DBCluster", NULL);
	drtopo_resource *src = res(a, "Src", "AWS::S3::Bucket", "src");
	res(b, "Dst", "AWS::S3::Bucket", "dst");
	ck_ok(m, drtopo_replication_set_target_text(
			 repl(src, DRTOPO_REPLICATION_S3_DESTINATION, NULL),
			 "arn:aws:s3:::dst"));
	/* no objectives: no DRT610 */
	ck_assert_uint_eq(count(m, "DRT610", NULL), 0);
	ck_ok(m, drtopo_model_set_objectives(m, 60, -1, 0));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT610", "Db"), 1);  /* lost */
	ck_assert_uint_eq(count_in(r, "DRT610", "Src"), 1); /* no SLA */
	ck_assert_uint_eq(count_in(r, "DRT610", "T"), 0);   /* 1 s */
	drtopo_result_free(r);
	ck_assert_ptr_nonnull(strstr(message(m, "DRT610"),
				     "expected RPO unbounded against the "
				     "objective 60 s"));
	/* a resource's own objective wins: RTO unknown breaches 300 */
	ck_ok(m, drtopo_resource_set_objectives(t, -1, 300, 0));
	ck_assert_uint_eq(count(m, "DRT610", "T"), 1);
	/* a severity override silences it */
	ck_ok(m,
	      drtopo_model_set_rule_severity(m, "DRT610", DRTOPO_SEVERITY_OFF));
	ck_assert_uint_eq(count(m, "DRT610", NULL), 0);
	drtopo_model_free(m);
}
END_TEST

/* ---- the seed -------------------------------------------------------------
 */

static drtopo_model *load_doc(const char *path)
{
	drtopo_model *m = model();
	ck_ok(m, drtopo_model_load(m, dt_test_data(path), NULL, NULL));
	return m;
}

START_TEST(seed_posture)
{
	static const char *const variants[] = {
		"../../examples/seed-dr/model-response.json",
		"../../examples/seed-dr/ideal-response.json",
		"../../examples/seed-dr/fixed.json"};
	for (size_t v = 0; v < DT_ARRAY_LEN(variants); v++) {
		drtopo_model *m = load_doc(variants[v]);
		drtopo_result *r = resolve(m);
		ck_assert_uint_eq(count_in(r, "DRT605", NULL), 1);
		ck_assert_uint_eq(count_in(r, "DRT605", "SecondaryHealthCheck"),
				  1);
		ck_assert_uint_eq(count_in(r, "DRT604", NULL), 0);
		ck_assert_uint_eq(count_in(r, "DRT601", "DbCluster"), 2);
		ck_assert_uint_eq(count_in(r, "DRT601", "DbWriter"), 0);
		ck_assert_uint_eq(count_in(r, "DRT610", NULL), 0);
		drtopo_result_free(r);
		drtopo_model_free(m);
	}
	drtopo_model *m = load_doc(variants[2]);
	ck_ok(m, drtopo_model_set_objectives(m, 60, -1, 0));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT610", "DbCluster"), 2);
	ck_assert_uint_eq(count_in(r, "DRT610", "SessionsTable"), 0);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	got g = outcome_of(sim, 0, "SessionsTable");
	ck_assert_int_eq(g.outcome, DRTOPO_OUTCOME_SURVIVES);
	ck_assert_int_eq(g.rpo, 1);
	ck_assert_int_eq(outcome_of(sim, 0, "DbCluster").outcome,
			 DRTOPO_OUTCOME_LOST);
	char *text = NULL;
	ck_assert_int_eq(drtopo_simulation_to_text(sim, 0, &text, NULL),
			 DRTOPO_OK);
	ck_assert_ptr_nonnull(
		strstr(text, "lost stack Failover-dev: automation lost with "
			     "its region: PrimaryHealthCheck"));
	drtopo_free(text);
	ck_assert_int_eq(drtopo_simulation_to_dot(sim, &text, NULL), DRTOPO_OK);
	ck_assert_ptr_nonnull(strstr(text, "us-east-1 (lost)"));
	drtopo_free(text);
	ck_assert_int_eq(drtopo_simulation_to_json(sim, &text, NULL),
			 DRTOPO_OK);
	ck_assert_ptr_nonnull(strstr(text, "\"drtopo-simulation/1\""));
	drtopo_free(text);
	ck_assert_int_eq(drtopo_simulation_to_sarif(sim, &text, NULL),
			 DRTOPO_OK);
	ck_assert_ptr_nonnull(strstr(text, "drtopo-posture.7#DRT610"));
	drtopo_free(text);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- the importer: the CDK posture apps ------------------------------------
 */

static size_t cdk_count(const char *app, const char *code)
{
	char path[256];
	snprintf(path, sizeof(path), "cdk/%s/cdk.out", app);
	drtopo_model *m = load_doc(path);
	size_t n = count(m, code, NULL);
	drtopo_model_free(m);
	return n;
}

START_TEST(cdk_apps)
{
	static const struct {
		const char *app, *code;
		size_t n;
	} cases[] = {
		{"global-cluster-one-region", "DRT603", 1},
		{"global-cluster-two-regions", "DRT603", 0},
		{"s3-replication-same-region", "DRT602", 1},
		{"s3-rtc-other-region", "DRT602", 0},
		{"backup-copy-same-region", "DRT602", 1},
		{"backup-copy-other-region", "DRT602", 0},
		{"aurora-replica-same-region", "DRT602", 1},
		{"aurora-replica-other-region", "DRT602", 0},
		{"route53-routing", "DRT604", 2},
		{"route53-routing", "DRT605", 0},
		{"healthcheck-unused", "DRT605", 1},
		{"healthcheck-alarmed", "DRT605", 0},
		{"sse-kms-replication-no-objects", "DRT606", 1},
		{"sse-kms-replication-objects", "DRT606", 0},
		{"objectives-tags", "DRT610", 1},
		{"secret-kms-replicas", "DRT601", 0},
		{"backup-copy-other-region", "DRT601", 0},
		{"tablev2-strong", "DRT610", 0},
		{"efs-replication", "DRT601", 0},
		{"efs-replication", "DRT602", 0},
		{"efs-no-replication", "DRT601", 1},
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(cases); i++)
		ck_assert_msg(cdk_count(cases[i].app, cases[i].code) ==
				      cases[i].n,
			      "%s: %s expected %zu", cases[i].app,
			      cases[i].code, cases[i].n);
}
END_TEST

START_TEST(cdk_facts)
{
	drtopo_model *m = load_doc("cdk/objectives-tags/cdk.out");
	const drtopo_stack *s = drtopo_model_stack_at(m, 0);
	long rpo, rto;
	drtopo_stack_objectives(s, &rpo, &rto, NULL);
	ck_assert_int_eq(rpo, 60);
	ck_assert_int_eq(rto, 300);
	drtopo_model_free(m);

	m = load_doc("cdk/tablev2-strong/cdk.out");
	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_outcome_count(sim, 0), 1);
	long v;
	drtopo_simulation_outcome(sim, 0, 0, NULL, NULL, NULL, NULL, &v, NULL);
	ck_assert_int_eq(v, 0); /* STRONG */
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);

	/* the replicated file system survives us-east-1 in us-west-2; its
	 * twin without replication is lost */
	m = load_doc("cdk/efs-replication/cdk.out");
	r = resolve(m);
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_outcome_count(sim, 0), 1);
	survives(sim, "SharedDACC02AA", DRTOPO_MECHANISM_EFS_REPLICATION,
		 "us-west-2", DRTOPO_FIGURE_UNKNOWN, DRTOPO_FIGURE_UNKNOWN);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
	m = load_doc("cdk/efs-no-replication/cdk.out");
	r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT601", "SharedDACC02AA"), 1);
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	ck_assert_int_eq(outcome_of(sim, 0, "SharedDACC02AA").outcome,
			 DRTOPO_OUTCOME_LOST);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);

	m = load_doc("cdk/route53-routing/cdk.out");
	size_t routes = 0, checked = 0;
	s = drtopo_model_stack_at(m, 0);
	for (size_t i = 0; i < drtopo_stack_resource_count(s); i++) {
		const drtopo_resource *x = drtopo_stack_resource_at(s, i);
		for (size_t j = 0; j < drtopo_resource_route_count(x); j++) {
			drtopo_route *rt = drtopo_resource_route_at(x, j);
			routes++;
			checked += drtopo_route_health_check(rt) != NULL;
		}
	}
	ck_assert_uint_eq(routes, 8);
	ck_assert_uint_eq(checked, 4);
	drtopo_model_free(m);
}
END_TEST

/* ---- documents -------------------------------------------------------------
 */

static const char posture_doc[] =
	"{\"schema\": \"drtopo-topology/1\", \"objectives\": {\"rpo\": 60},"
	" \"stacks\": [{\"id\": \"A\", \"account\": \"1\", \"region\": "
	"\"us-east-1\", \"objectives\": {\"rto\": 300, \"strategy\": "
	"\"WARM_STANDBY\"}, \"resources\": [{\"id\": \"B\", \"type\": "
	"\"AWS::DynamoDB::GlobalTable\", \"flags\": [\"strong-consistency\"],"
	" \"objectives\": {\"rpo\": 5}}, {\"id\": \"Hc\", \"type\": "
	"\"AWS::Route53::HealthCheck\"}, {\"id\": \"R\", \"type\": "
	"\"AWS::Route53::RecordSet\", \"routes\": [{\"name\": \"a.\", "
	"\"set_identifier\": \"p\", \"policy\": \"failover\", "
	"\"health_check\": \"Hc\", \"target\": {\"stack\": \"C\", "
	"\"resource\": \"Lb\"}}, {\"name\": \"a.\", \"set_identifier\": "
	"\"s\", \"policy\": \"failover\", \"flags\": [\"secondary\"], "
	"\"region\": \"us-east-2\"}]}]}, {\"id\": \"C\", \"account\": \"1\", "
	"\"region\": \"us-east-1\", \"resources\": [{\"id\": \"Lb\", "
	"\"type\": \"AWS::ElasticLoadBalancingV2::LoadBalancer\"}]}]}";

START_TEST(document_round_trip)
{
	drtopo_model *m = model();
	ck_ok(m, drtopo_model_load_document_buffer(
			 m, posture_doc, strlen(posture_doc), "p.json"));
	char *one = NULL, *two = NULL;
	ck_ok(m, drtopo_model_to_json(m, &one, NULL));
	drtopo_model *m2 = model();
	ck_ok(m2, drtopo_model_load_document_buffer(m2, one, strlen(one),
						    "one.json"));
	ck_ok(m2, drtopo_model_to_json(m2, &two, NULL));
	ck_assert_str_eq(one, two);
	ck_assert_ptr_nonnull(strstr(one, "\"objectives\": {\"rpo\": 60}"));
	ck_assert_ptr_nonnull(strstr(one, "\"health_check\": \"Hc\""));
	ck_assert_ptr_nonnull(strstr(one, "\"strong-consistency\""));
	drtopo_stack *a = NULL;
	drtopo_resource *rs = NULL;
	ck_ok(m2, drtopo_model_find_stack(m2, "A", &a));
	ck_ok(m2, drtopo_stack_find_resource(a, "R", &rs));
	ck_assert_uint_eq(drtopo_resource_route_count(rs), 2);
	drtopo_route *rt = drtopo_resource_route_at(rs, 0);
	ck_assert_str_eq(drtopo_route_region(rt), "us-east-1"); /* target */
	ck_assert_int_eq(drtopo_route_policy(rt), DRTOPO_ROUTING_FAILOVER);
	ck_assert_str_eq(drtopo_route_identifier(rt), "p");
	rt = drtopo_resource_route_at(rs, 1);
	ck_assert_uint_eq(drtopo_route_flags(rt), DRTOPO_ROUTE_SECONDARY);
	drtopo_free(one);
	drtopo_free(two);
	drtopo_model_free(m2);
	drtopo_model_free(m);
}
END_TEST

START_TEST(document_errors)
{
	static const struct {
		const char *member, *error;
	} bad[] = {
		{"\"objectives\": {\"rpo\": -5}", "'rpo' must be a number"},
		{"\"objectives\": {\"rpo\": \"60\"}",
		 "'rpo' must be an integer"},
		{"\"objectives\": {\"strategy\": \"YOLO\"}",
		 "unknown strategy 'YOLO'"},
		{"\"objectives\": {\"rpu\": 5}", "unknown key 'rpu'"},
		{"\"routes\": [{\"name\": \"a.\", \"policy\": \"random\"}]",
		 "unknown routing policy 'random'"},
		{"\"routes\": [{\"name\": \"a.\", \"flags\": [\"primary\"]}]",
		 "unknown flag 'primary'"},
		{"\"routes\": [{\"name\": \"a.\", \"health_check\": \"Nope\"}]",
		 "has no resource 'Nope'"},
		{"\"routes\": [{\"name\": \"a.\", \"target\": {\"stack\": "
		 "\"Z\", \"resource\": \"X\"}}]",
		 "no stack 'Z'"},
		{"\"routes\": [{\"set_identifier\": \"p\"}]", "'name'"},
		{"\"flags\": [\"strong\"]", "unknown flag 'strong'"},
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(bad); i++) {
		char text[1024];
		int n = snprintf(text, sizeof(text),
				 "{\"schema\": \"drtopo-topology/1\", "
				 "\"stacks\": [{\"id\": \"A\", \"resources\": "
				 "[{\"id\": \"R\", \"type\": \"T\", %s}]}]}",
				 bad[i].member);
		drtopo_model *m = model();
		ck_assert_int_eq(drtopo_model_load_document_buffer(
					 m, text, (size_t)n, "bad.json"),
				 DRTOPO_ESCHEMA);
		ck_assert_msg(strstr(drtopo_model_errmsg(m), bad[i].error),
			      "case %zu: '%s' lacks '%s'", i,
			      drtopo_model_errmsg(m), bad[i].error);
		ck_assert_int_eq(drtopo_model_stack_count(m), 0);
		drtopo_model_free(m);
	}
}
END_TEST

/* ---- cases from review: each pinned by a test --------------------------- */

/* Stacks added out of id order: each survivor's frozen reads are its own
 * (the report finds a stack's edges by its position in id order). */
START_TEST(frozen_reads_follow_the_stack)
{
	drtopo_model *m = model();
	drtopo_stack *z = stack(m, "Z", A1, R2), *p = stack(m, "P", A1, R1);
	drtopo_stack *a = stack(m, "A", A1, R2);
	(void)p;
	ck_ok(m, drtopo_stack_add_output_read(z, "P", "O1", R1, NULL));
	ck_ok(m, drtopo_stack_add_output_read(a, "P", "O2", R1, NULL));
	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	char *json = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	ck_assert_int_eq(drtopo_simulation_to_json(sim, &json, NULL),
			 DRTOPO_OK);
	ck_assert_ptr_nonnull(strstr(json,
				     "\"id\": \"A\", \"region\": "
				     "\"us-east-2\", \"state\": "
				     "\"deploys-alone\", \"frozen\": "
				     "[{\"from\": \"P\", \"kind\": "
				     "\"stack-output\", \"via\": \"O2\"}]"));
	ck_assert_ptr_nonnull(strstr(json, "\"via\": \"O1\"}]"));
	drtopo_free(json);
	size_t lost = 9, path = 9;
	ck_assert_int_eq(drtopo_simulation_scenario_summary(
				 sim, 0, &lost, &path, NULL, NULL, NULL),
			 DRTOPO_OK);
	ck_assert_uint_eq(lost, 1);
	ck_assert_uint_eq(path, 2);
	ck_assert_int_eq(drtopo_simulation_scenario_summary(sim, 1, NULL, NULL,
							    NULL, NULL, NULL),
			 DRTOPO_EINVAL);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* The copy itself (a replication destination, a read replica) keeps its
 * data in its source too: losing its region alone loses nothing. */
START_TEST(copies_survive_in_their_source)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_resource *src = res(a, "Src", "AWS::S3::Bucket", "src");
	res(b, "Dst", "AWS::S3::Bucket", "dst");
	drtopo_replication *p =
		repl(src, DRTOPO_REPLICATION_S3_DESTINATION, NULL);
	ck_ok(m, drtopo_replication_set_target_text(p, "arn:aws:s3:::dst"));
	ck_ok(m, drtopo_replication_set_flags(p, DRTOPO_REPLICATION_RTC));
	drtopo_resource *c1 = res(a, "C1", "AWS::RDS::DBCluster", NULL);
	drtopo_resource *c2 = res(b, "C2", "AWS::RDS::DBCluster", NULL);
	ck_ok(m, drtopo_replication_set_target(
			 repl(c2, DRTOPO_REPLICATION_CLUSTER_SOURCE, NULL), c1,
			 NULL));
	ck_ok(m, drtopo_model_set_objectives(m, 900, -1, 0));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT610", "Dst"), 0);
	ck_assert_uint_eq(count_in(r, "DRT610", "Src"), 0);
	/* read replicas: no RPO figure, so the objective cannot be shown
	 * to hold, on both sides */
	ck_assert_uint_eq(count_in(r, "DRT610", "C1"), 1);
	ck_assert_uint_eq(count_in(r, "DRT610", "C2"), 1);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R2, NULL, &sim), DRTOPO_OK);
	got g = outcome_of(sim, 0, "Dst");
	ck_assert_int_eq(g.outcome, DRTOPO_OUTCOME_SURVIVES);
	ck_assert_str_eq(g.region, R1);
	ck_assert_int_eq(g.rpo, 900);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(routes_as_route53_sees_them)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *hc = res(a, "Hc", "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *rs =
		res(a, "Rs", "AWS::Route53::RecordSetGroup", NULL);
	/* one name however it is spelled */
	drtopo_route *p =
		route(rs, "API.Example.com.", "p", DRTOPO_ROUTING_FAILOVER, 0);
	ck_ok(m, drtopo_route_set_health_check(p, hc));
	ck_ok(m, drtopo_route_set_region(p, R1));
	drtopo_route *s2 =
		route(rs, "api.example.com", "s", DRTOPO_ROUTING_FAILOVER,
		      DRTOPO_ROUTE_SECONDARY);
	ck_ok(m, drtopo_route_set_region(s2, R2));
	ck_assert_str_eq(drtopo_route_name(p), "api.example.com");
	/* a geolocation default in the lost region holds its traffic */
	drtopo_route *d =
		route(rs, "geo.example.com", "d", DRTOPO_ROUTING_GEOLOCATION,
		      DRTOPO_ROUTE_DEFAULT);
	ck_ok(m, drtopo_route_set_region(d, R1));
	drtopo_route *us = route(rs, "geo.example.com", "us",
				 DRTOPO_ROUTING_GEOLOCATION, 0);
	ck_ok(m, drtopo_route_set_region(us, R2));
	ck_ok(m, drtopo_route_set_health_check(us, hc));
	/* flags that do not fit the policy */
	ck_assert_int_eq(drtopo_route_set_flags(d, DRTOPO_ROUTE_SECONDARY),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_route_set_flags(p, DRTOPO_ROUTE_DEFAULT),
			 DRTOPO_EINVAL);
	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	const char *name;
	int state;
	ck_assert_uint_eq(drtopo_simulation_route_count(sim, 0), 2);
	drtopo_simulation_route(sim, 0, 0, &name, &state);
	ck_assert_str_eq(name, "api.example.com");
	ck_assert_int_eq(state, DRTOPO_ROUTE_STATE_CAN_LEAVE);
	drtopo_simulation_route(sim, 0, 1, &name, &state);
	ck_assert_str_eq(name, "geo.example.com");
	ck_assert_int_eq(state, DRTOPO_ROUTE_STATE_STUCK);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	/* clearing the health-check flag forgets the check */
	ck_ok(m, drtopo_route_set_flags(p, 0));
	ck_assert_ptr_null(drtopo_route_health_check(p));
	drtopo_model_free(m);
}
END_TEST

/* RTO 0 for a replica needs health-checked routing that can send traffic
 * to the replica's region, not any routing anywhere. */
START_TEST(rto_needs_routing_to_the_copy)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	stack(m, "B", A1, R3);
	drtopo_resource *t = res(a, "T", "AWS::DynamoDB::GlobalTable", "t");
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	drtopo_resource *hc = res(a, "Hc", "AWS::Route53::HealthCheck", NULL);
	drtopo_resource *rs =
		res(a, "Rs", "AWS::Route53::RecordSetGroup", NULL);
	drtopo_route *x = route(rs, "other.", "x", DRTOPO_ROUTING_WEIGHTED, 0);
	ck_ok(m, drtopo_route_set_health_check(x, hc));
	ck_ok(m, drtopo_route_set_region(x, R3));
	ck_ok(m, drtopo_model_set_objectives(m, -1, 60, 0));
	ck_assert_uint_eq(count(m, "DRT610", "T"), 1);
	drtopo_route *y = route(rs, "app.", "y", DRTOPO_ROUTING_LATENCY, 0);
	ck_ok(m, drtopo_route_set_health_check(y, hc));
	ck_ok(m, drtopo_route_set_region(y, R2));
	ck_assert_uint_eq(count(m, "DRT610", "T"), 0);
	drtopo_model_free(m);
}
END_TEST

START_TEST(unknown_region_breaches)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", NULL, NULL);
	stack(m, "B", A1, R1);
	res(a, "T", "AWS::DynamoDB::Table", "t");
	ck_assert_uint_eq(count(m, "DRT610", NULL), 0);
	ck_ok(m, drtopo_model_set_objectives(m, 60, -1, 0));
	ck_assert_ptr_nonnull(strstr(message(m, "DRT610"),
				     "expected RPO unknown, so the objective "
				     "60 s cannot be shown to hold"));
	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, NULL, NULL, &sim),
			 DRTOPO_OK);
	int outcome;
	long rpo;
	size_t sc;
	ck_assert_int_eq(drtopo_simulation_worst(sim, 0, NULL, &outcome, NULL,
						 NULL, &rpo, NULL, &sc),
			 DRTOPO_OK);
	ck_assert_int_eq(outcome, DRTOPO_OUTCOME_UNKNOWN);
	ck_assert_int_eq(rpo, DRTOPO_FIGURE_UNKNOWN);
	ck_assert_uint_eq(sc, (size_t)-1);
	ck_assert_int_eq(drtopo_simulation_max_severity(sim),
			 DRTOPO_SEVERITY_ERROR);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	/* objectives beyond ten years are refused everywhere */
	ck_assert_int_eq(drtopo_model_set_objectives(m, 316224001L, -1, 0),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(dt_parse_duration("3661d"), -1);
	drtopo_model_free(m);
}
END_TEST

/* A parameter read in the lost region by a stack elsewhere is lost with
 * the region, even though the stack that wrote it there survives. */
START_TEST(cross_region_read_is_frozen)
{
	drtopo_model *m = model();
	drtopo_stack *w = stack(m, "W", A1, R2), *x = stack(m, "X", A1, R3);
	stack(m, "E", A1, R1);
	ck_ok(m, drtopo_stack_write_parameter(w, "/p", R1, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(x, "/p", R1, NULL, NULL));
	ck_ok(m, drtopo_stack_add_dependency(x, w));
	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	drtopo_stack *st;
	int state;
	size_t frozen;
	ck_assert_uint_eq(drtopo_simulation_stack_count(sim, 0), 2);
	drtopo_simulation_stack(sim, 0, 1, &st, &state, &frozen);
	ck_assert_str_eq(drtopo_stack_id(st), "X");
	ck_assert_int_eq(state, DRTOPO_STACK_STATE_DEPLOYS_ALONE);
	ck_assert_uint_eq(frozen, 1);
	/* a parameter read in the lost region, written there from W */
	drtopo_stack *from = st;
	int kind = -1;
	const char *via = NULL;
	ck_assert_int_eq(
		drtopo_simulation_frozen(sim, 0, 1, 0, &from, &kind, &via),
		DRTOPO_OK);
	ck_assert_ptr_null(from);
	ck_assert_int_eq(kind, DRTOPO_EDGE_PARAMETER);
	ck_assert_str_eq(via, "/p");
	char *json = NULL;
	ck_assert_int_eq(drtopo_simulation_to_json(sim, &json, NULL),
			 DRTOPO_OK);
	ck_assert_ptr_nonnull(strstr(json, "[{\"from\": null, \"kind\": "
					   "\"parameter\", \"via\": \"/p\"}]"));
	drtopo_free(json);
	drtopo_simulation_free(sim);
	ck_assert_ptr_nonnull(strstr(message(m, "DRT611"),
				     "stack X needs us-east-1 (it reads a "
				     "parameter there)"));
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(template_cases)
{
	drtopo_model *m = model();
	ck_ok(m,
	      drtopo_model_load_template(
		      m, dt_test_data("posture/template-cases.template.json"),
		      "T", A1, R1));
	ck_ok(m, drtopo_model_load_template(
			 m, dt_test_data("posture/other-region.template.json"),
			 "O", A1, R2));
	drtopo_result *r = resolve(m);
	/* DependsOn orders, it does not use: the health check is unused */
	ck_assert_uint_eq(count_in(r, "DRT605", "Hc"), 1);
	/* the disabled rule copies nothing */
	ck_assert_uint_eq(count_in(r, "DRT601", "Src"), 1);
	/* a wildcard selection may copy the table: unknown, no DRT601 */
	ck_assert_uint_eq(count_in(r, "DRT601", "Table"), 0);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* In a stack of unknown region a destination in the same zone is no
 * setting (it would read as a copy maybe elsewhere), and a destination
 * CloudFormation creates is in the source's account: losing the account
 * loses both file systems. */
START_TEST(efs_unknown_region)
{
	drtopo_model *m = model();
	ck_ok(m,
	      drtopo_model_load_template(
		      m, dt_test_data("posture/efs-replication.template.json"),
		      "E", A1, NULL));
	drtopo_stack *e = NULL;
	drtopo_resource *x = NULL;
	ck_ok(m, drtopo_model_find_stack(m, "E", &e));
	ck_ok(m, drtopo_stack_find_resource(e, "SameAz", &x));
	ck_assert_uint_eq(drtopo_resource_replication_count(x), 0);
	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, NULL, A1, &sim), DRTOPO_OK);
	ck_assert_int_eq(outcome_of(sim, 0, "SameAz").outcome,
			 DRTOPO_OUTCOME_LOST);
	ck_assert_int_eq(outcome_of(sim, 0, "Regional").outcome,
			 DRTOPO_OUTCOME_LOST);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* EFS destinations read from a template: the region (Region, else the
 * source's own with AvailabilityZoneName only; computed: unknown), the
 * FileSystemId as target, the destination's pointer. */
START_TEST(efs_template)
{
	drtopo_model *m = model();
	ck_ok(m,
	      drtopo_model_load_template(
		      m, dt_test_data("posture/efs-replication.template.json"),
		      "E", A1, R1));
	ck_ok(m, drtopo_model_load_template(
			 m, dt_test_data("posture/other-region.template.json"),
			 "O", A1, R2));
	drtopo_stack *e = NULL;
	drtopo_resource *x = NULL, *y = NULL;
	ck_ok(m, drtopo_model_find_stack(m, "E", &e));
	ck_ok(m, drtopo_stack_find_resource(e, "Regional", &x));
	ck_assert_uint_eq(drtopo_resource_replication_count(x), 1);
	drtopo_replication *p = drtopo_resource_replication_at(x, 0);
	ck_assert_int_eq(drtopo_replication_kind(p),
			 DRTOPO_REPLICATION_EFS_DESTINATION);
	ck_assert_str_eq(drtopo_replication_region(p), R2);
	ck_assert_str_eq(drtopo_replication_pointer(p),
			 "/Resources/Regional/Properties/"
			 "ReplicationConfiguration/Destinations/0");
	ck_assert_ptr_null(drtopo_replication_target_resource(p));
	ck_ok(m, drtopo_stack_find_resource(e, "SameAz", &x));
	ck_assert_str_eq(
		drtopo_replication_region(drtopo_resource_replication_at(x, 0)),
		R1);
	ck_ok(m, drtopo_stack_find_resource(e, "Computed", &x));
	ck_assert_ptr_null(drtopo_replication_region(
		drtopo_resource_replication_at(x, 0)));
	ck_ok(m, drtopo_stack_find_resource(e, "Pair", &x));
	ck_ok(m, drtopo_stack_find_resource(e, "PairReplica", &y));
	p = drtopo_resource_replication_at(x, 0);
	ck_assert_str_eq(drtopo_replication_region(p), R1);
	ck_assert_ptr_eq(drtopo_replication_target_resource(p), y);

	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT601", "Regional"), 0);
	ck_assert_uint_eq(count_in(r, "DRT601", "Computed"), 0); /* unknown */
	ck_assert_uint_eq(count_in(r, "DRT601", "SameAz"), 1);
	ck_assert_uint_eq(count_in(r, "DRT601", "Pair"), 1);
	ck_assert_uint_eq(count_in(r, "DRT601", "PairReplica"), 1);
	ck_assert_uint_eq(count_in(r, "DRT602", NULL), 0);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, R1, NULL, &sim), DRTOPO_OK);
	survives(sim, "Regional", DRTOPO_MECHANISM_EFS_REPLICATION, R2,
		 DRTOPO_FIGURE_UNKNOWN, DRTOPO_FIGURE_UNKNOWN);
	ck_assert_int_eq(outcome_of(sim, 0, "SameAz").outcome,
			 DRTOPO_OUTCOME_LOST);
	ck_assert_int_eq(outcome_of(sim, 0, "Pair").outcome,
			 DRTOPO_OUTCOME_LOST);
	ck_assert_int_eq(outcome_of(sim, 0, "Computed").outcome,
			 DRTOPO_OUTCOME_UNKNOWN);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* DRT601's hint names the ways to copy the resource's type. */
START_TEST(drt601_hint_by_type)
{
	static const struct {
		const char *type, *says;
	} want[] = {
		{"AWS::S3::Bucket", "replicate it into a bucket"},
		{"AWS::EFS::FileSystem", "(EFS replication)"},
		{"AWS::RDS::DBCluster", "Aurora global database"},
		{"AWS::SecretsManager::Secret", "(ReplicaRegions)"},
		{"AWS::KMS::Key", "multi-Region key"},
	};
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	stack(m, "B", A1, R2);
	char id[8];
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		snprintf(id, sizeof(id), "R%zu", i);
		res(a, id, want[i].type, NULL);
	}
	drtopo_result *r = resolve(m);
	size_t seen = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		if (strcmp(drtopo_diagnostic_code(d), "DRT601") != 0)
			continue;
		size_t k = (size_t)(drtopo_diagnostic_resource(d)[1] - '0');
		ck_assert_ptr_nonnull(
			strstr(drtopo_diagnostic_hint(d), want[k].says));
		seen++;
	}
	ck_assert_uint_eq(seen, sizeof(want) / sizeof(*want));
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* The name of the first route of resource `id` of stack s. */
static const char *route_name_of(drtopo_stack *s, const char *id)
{
	drtopo_resource *r = NULL;
	ck_assert_int_eq(drtopo_stack_find_resource(s, id, &r), DRTOPO_OK);
	ck_assert_uint_eq(drtopo_resource_route_count(r), 1);
	return drtopo_route_name(drtopo_resource_route_at(r, 0));
}

/* Record names that are not known at synth time: one expression, one
 * name (as Route 53 compares names), whatever the case of its text. */
START_TEST(computed_record_names)
{
	drtopo_model *m = model();
	ck_ok(m,
	      drtopo_model_load_template(
		      m, dt_test_data("posture/computed-names.template.json"),
		      "T", A1, R1));
	drtopo_stack *s = NULL;
	ck_ok(m, drtopo_model_find_stack(m, "T", &s));
	ck_assert_str_eq(route_name_of(s, "Primary"), "api.${zonename}");
	ck_assert_str_eq(route_name_of(s, "Secondary"), "api.${zonename}");
	ck_assert_str_eq(route_name_of(s, "Www"), "www.${zonename}");
	/* a variable map gives its variables their own values */
	ck_assert_str_ne(route_name_of(s, "SubMapA"),
			 route_name_of(s, "SubMapB"));
	ck_assert_ptr_nonnull(strstr(route_name_of(s, "SubMapA"), "hosta"));
	ck_assert_str_eq(route_name_of(s, "Picked"),
			 "{\"fn::select\":[0,{\"ref\":\"names\"}]}");
	drtopo_result *r = resolve(m);
	/* the pair's primary is checked, its secondary is the fallback,
	 * the others are simple records: nothing to say */
	ck_assert_uint_eq(count_in(r, "DRT604", NULL), 0);
	ck_assert_uint_eq(count_in(r, "DRT605", NULL), 0);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* The DRT611 message of stack `id` in r ("" if none). */
static const char *message611(const drtopo_result *r, const char *id)
{
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		const char *s = drtopo_diagnostic_stack(d);
		if (strcmp(drtopo_diagnostic_code(d), "DRT611") == 0 && s &&
		    strcmp(s, id) == 0)
			return drtopo_diagnostic_message(d);
	}
	return "";
}

/* Which stack a DRT611 path goes through: the stack itself when it reads
 * there, else a lost dependency before one that only leads there (even
 * first in id order), and one outside a cycle before one inside it. */
START_TEST(drt611_through)
{
	drtopo_model *m = model();

	drtopo_stack *la = stack(m, "La", A1, R1), *lz = stack(m, "Lz", A1, R1);
	drtopo_stack *b = stack(m, "B", A1, R3), *s = stack(m, "S", A1, R2);
	drtopo_stack *c = stack(m, "C", A1, R2), *y = stack(m, "Y", A1, R3);
	drtopo_stack *t = stack(m, "T", A1, R2), *rd = stack(m, "Rd", A1, R2);
	ck_ok(m, drtopo_stack_add_dependency(b, la));
	ck_ok(m, drtopo_stack_add_dependency(s, b));
	ck_ok(m, drtopo_stack_add_dependency(s, lz));
	/* T and C form a cycle; T also depends on Y, which leads to R1 */
	ck_ok(m, drtopo_stack_add_dependency(t, c));
	ck_ok(m, drtopo_stack_add_dependency(c, t));
	ck_ok(m, drtopo_stack_add_dependency(y, la));
	ck_ok(m, drtopo_stack_add_dependency(t, y));
	ck_ok(m, drtopo_stack_write_parameter(la, "/p", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(rd, "/p", R1, NULL, NULL));
	ck_ok(m, drtopo_stack_add_dependency(rd, la));
	drtopo_result *r = resolve(m);
	ck_assert_str_eq(message611(r, "S"),
			 "stack S needs eu-west-1 (through B) or us-east-1 "
			 "(through Lz): under its loss, deploying S with what "
			 "it depends on fails; deployed alone, it keeps what "
			 "it read from there as last deployed (frozen)");
	ck_assert_ptr_nonnull(
		strstr(message611(r, "T"),
		       "needs eu-west-1 (through Y) or us-east-1 (through Y)"));
	ck_assert_ptr_nonnull(
		strstr(message611(r, "C"),
		       "needs eu-west-1 (through T) or us-east-1 (through T)"));
	ck_assert_ptr_nonnull(strstr(message611(r, "Rd"),
				     "needs us-east-1 (it reads a parameter "
				     "there):"));
	ck_assert_str_eq(message611(r, "La"), "");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* More regions than one batch of 64 scenarios: a chain through 70
 * regions, twice round. */
START_TEST(drt611_many_regions)
{
	enum { R = 70, N = 2 * R };
	drtopo_model *m = model();
	drtopo_stack *prev = NULL;
	char id[32], region[32];
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "S%d", i);
		snprintf(region, sizeof(region), "r-%d", i % R);
		drtopo_stack *s = stack(m, id, A1, region);
		if (prev)
			ck_ok(m, drtopo_stack_add_dependency(s, prev));
		prev = s;
	}
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT611", NULL), N - 1);
	/* S139 (r-69) needs the 69 other regions through S138; S70 (r-0)
	 * the 69 others through S69 */
	const char *msg = message611(r, "S139");
	size_t through = 0;
	for (const char *p = msg; (p = strstr(p, "(through S138)")); p++)
		through++;
	ck_assert_uint_eq(through, R - 1);
	ck_assert_ptr_null(strstr(msg, "r-69 "));
	ck_assert_ptr_nonnull(strstr(message611(r, "S70"),
				     "needs r-1 (through S69), r-10 (through "
				     "S69), "));
	ck_assert_ptr_null(strstr(message611(r, "S70"), "r-0 "));
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, NULL, NULL, &sim),
			 DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_scenario_count(sim), R);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	/* closed into one cycle, every stack needs every other region */
	ck_ok(m,
	      drtopo_stack_add_dependency(drtopo_model_stack_at(m, 0), prev));
	r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT611", NULL), N);
	through = 0;
	for (const char *p = message611(r, "S0"); (p = strstr(p, "(through "));
	     p++)
		through++;
	ck_assert_uint_eq(through, R - 1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- scale -------------------------------------------------------------- */

START_TEST(simulation_scales)
{
	/* 20,000 stacks over 10 regions, each reading its predecessor and
	 * holding a table with a replica in the next region: every region
	 * in turn visits each stack and edge once per scenario. */
	enum { N = 20000, R = 10 };
	drtopo_model *m = model();
	drtopo_stack **s = malloc(N * sizeof(*s));
	char id[32], region[32], next[32];
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "S%d", i);
		snprintf(region, sizeof(region), "r-%d", i % R);
		snprintf(next, sizeof(next), "r-%d", (i + 1) % R);
		s[i] = stack(m, id, A1, region);
		drtopo_resource *t =
			res(s[i], "T", "AWS::DynamoDB::GlobalTable", id);
		ck_ok(m, drtopo_resource_add_replica(t, next));
		if (i)
			ck_ok(m, drtopo_stack_add_dependency(s[i], s[i - 1]));
	}
	ck_ok(m, drtopo_model_set_objectives(m, 60, -1, 0));
	drtopo_result *r = resolve(m);
	ck_assert_uint_eq(count_in(r, "DRT610", NULL), 0);
	/* one DRT611 per stack but the first, naming every other region
	 * its chain reaches */
	ck_assert_uint_eq(count_in(r, "DRT611", NULL), N - 1);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, NULL, NULL, &sim),
			 DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_scenario_count(sim), R);
	ck_assert_uint_eq(drtopo_simulation_worst_count(sim), N);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
	free(s);
}
END_TEST

/* ---- drtopo_simulation_write_json ------------------------------------- */

/* What a writer receives (take_piece, in pieces.h), and how it stops. */

/* The streamed JSON of sim is drtopo_simulation_to_json's, byte for byte;
 * the number of pieces. The held text goes to *want (drtopo_free). */
static size_t streams_as_held(const drtopo_simulation *sim, char **want,
			      size_t *want_len)
{
	ck_assert_int_eq(drtopo_simulation_to_json(sim, want, want_len),
			 DRTOPO_OK);
	pieces p = {DT_BUF_INIT, 0, 0};
	ck_assert_int_eq(drtopo_simulation_write_json(sim, take_piece, &p),
			 DRTOPO_OK);
	ck_assert_uint_eq(p.text.len, *want_len);
	ck_assert_int_eq(memcmp(p.text.p, *want, *want_len), 0);
	dt_buf_free(&p.text);
	return p.calls;
}

START_TEST(simulation_written_in_pieces)
{
	/* the seed, every region in turn, with findings: one piece */
	drtopo_model *m = load_doc("../../examples/seed-dr/fixed.json");
	ck_ok(m, drtopo_model_set_objectives(m, 60, 300, 0));
	drtopo_result *r = resolve(m);
	drtopo_simulation *sim = NULL;
	ck_assert_int_eq(drtopo_result_simulate(r, NULL, NULL, &sim),
			 DRTOPO_OK);
	ck_assert_uint_eq(drtopo_simulation_scenario_count(sim), 2);
	ck_assert_uint_gt(drtopo_simulation_diagnostic_count(sim), 0);
	char *want = NULL;
	size_t want_len = 0;
	ck_assert_uint_eq(streams_as_held(sim, &want, &want_len), 1);
	drtopo_free(want);
	/* the one piece is handed over at the end: a writer that fails it
	 * still stops the writing */
	pieces q = {DT_BUF_INIT, 0, 1};
	ck_assert_int_eq(drtopo_simulation_write_json(sim, take_piece, &q),
			 DRTOPO_EIO);
	ck_assert_uint_eq(q.calls, 1);
	ck_assert_uint_eq(q.text.len, 0);
	/* NULL arguments: nothing is written */
	ck_assert_int_eq(drtopo_simulation_write_json(NULL, take_piece, &q),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_simulation_write_json(sim, NULL, &q),
			 DRTOPO_EINVAL);
	ck_assert_uint_eq(q.calls, 1);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);

	/* 1,200 stacks with long ids over 3 regions, each depending on its
	 * predecessor and holding a table replicated to the next region:
	 * a document of many pieces */
	m = model();
	char id[64], region[32], next[32];
	drtopo_stack *prev = NULL;
	for (int i = 0; i < 1200; i++) {
		snprintf(id, sizeof(id), "Stack%04d-with-a-rather-long-name",
			 i);
		snprintf(region, sizeof(region), "r-%d", i % 3);
		snprintf(next, sizeof(next), "r-%d", (i + 1) % 3);
		drtopo_stack *st = stack(m, id, A1, region);
		drtopo_resource *t =
			res(st, "Table", "AWS::DynamoDB::GlobalTable", id);
		ck_ok(m, drtopo_resource_add_replica(t, next));
		if (prev)
			ck_ok(m, drtopo_stack_add_dependency(st, prev));
		prev = st;
	}
	r = resolve(m);
	ck_assert_int_eq(drtopo_result_simulate(r, NULL, NULL, &sim),
			 DRTOPO_OK);
	ck_assert_uint_gt(streams_as_held(sim, &want, &want_len), 3);
	ck_assert_uint_gt(want_len, 3 * 64 * 1024);
	/* a writer that fails after the first piece: EIO, no call after,
	 * and what it took is the start of the document */
	pieces f = {DT_BUF_INIT, 0, 2};
	ck_assert_int_eq(drtopo_simulation_write_json(sim, take_piece, &f),
			 DRTOPO_EIO);
	ck_assert_uint_eq(f.calls, 2);
	ck_assert_uint_gt(f.text.len, 0);
	ck_assert_uint_lt(f.text.len, want_len);
	ck_assert_int_eq(memcmp(f.text.p, want, f.text.len), 0);
	dt_buf_free(&f.text);
	drtopo_free(want);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

static Suite *posture_suite(void)
{
	Suite *s = suite_create("posture");
	TCase *tc = tcase_create("objectives");
	tcase_add_test(tc, objectives_most_specific_wins);
	tcase_add_test(tc, duration_tags);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, drt601_fires_without_copy);
	tcase_add_test(tc, drt601_silent);
	tcase_add_test(tc, drt602_same_region_copies);
	tcase_add_test(tc, drt602_silent_elsewhere);
	tcase_add_test(tc, drt603_global_database);
	tcase_add_test(tc, drt604_routing_records);
	tcase_add_test(tc, drt605_unused_health_check);
	tcase_add_test(tc, drt606_kms_objects);
	tcase_add_test(tc, drt610_objectives);
	tcase_add_test(tc, drt611_through);
	tcase_add_test(tc, drt611_many_regions);
	suite_add_tcase(s, tc);
	tc = tcase_create("simulation");
	tcase_add_test(tc, simulate_mechanisms);
	tcase_add_test(tc, efs_replication);
	tcase_add_test(tc, simulate_stacks_and_routes);
	tcase_add_test(tc, simulation_written_in_pieces);
	suite_add_tcase(s, tc);
	tc = tcase_create("inputs");
	tcase_add_test(tc, seed_posture);
	tcase_add_test(tc, cdk_apps);
	tcase_add_test(tc, cdk_facts);
	tcase_add_test(tc, document_round_trip);
	tcase_add_test(tc, document_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("review");
	tcase_add_test(tc, frozen_reads_follow_the_stack);
	tcase_add_test(tc, copies_survive_in_their_source);
	tcase_add_test(tc, routes_as_route53_sees_them);
	tcase_add_test(tc, rto_needs_routing_to_the_copy);
	tcase_add_test(tc, unknown_region_breaches);
	tcase_add_test(tc, cross_region_read_is_frozen);
	tcase_add_test(tc, template_cases);
	tcase_add_test(tc, computed_record_names);
	tcase_add_test(tc, efs_unknown_region);
	tcase_add_test(tc, drt601_hint_by_type);
	tcase_add_test(tc, efs_template);
	suite_add_tcase(s, tc);
	tc = tcase_create("scale");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, simulation_scales);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(posture_suite)
