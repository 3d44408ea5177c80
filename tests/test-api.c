/*
 * The public API as an application sees it: only <drtopo/drtopo.h> and
 * the shared library. README-style usage, versions, status texts,
 * severities, the rule catalogue, ownership and threads.
 */
#include <pthread.h>

#include "testutil.h"

#define ACCT "123456789012"
#define DT_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The README example: three stacks in two regions. */
static drtopo_model *build_three_stacks(void)
{
	drtopo_model *m = NULL;
	drtopo_stack *net, *db, *app;
	drtopo_resource *vpc, *table, *fn;
	drtopo_param *w;

	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	ck_ok(m, drtopo_model_add_stack(m, "Network", ACCT, "us-east-1", &net));
	ck_ok(m, drtopo_model_add_stack(m, "Database", ACCT, "us-east-1", &db));
	ck_ok(m, drtopo_model_add_stack(m, "App", ACCT, "us-west-2", &app));

	ck_ok(m, drtopo_stack_add_resource(net, "Vpc", "AWS::EC2::VPC", NULL,
					   &vpc));
	ck_ok(m, drtopo_stack_add_export(net, "Network:VpcId", vpc));
	ck_ok(m, drtopo_stack_add_resource(db, "Orders",
					   "AWS::DynamoDB::GlobalTable",
					   "orders", &table));
	ck_ok(m, drtopo_stack_add_import(db, "Network:VpcId", table));
	ck_ok(m, drtopo_stack_add_dependency(db, net));
	ck_ok(m, drtopo_stack_write_parameter(db, "/db/orders-arn", NULL, NULL,
					      &w));
	ck_ok(m, drtopo_param_set_value_resource(w, table, "Arn"));

	ck_ok(m, drtopo_stack_add_resource(app, "Fn", "AWS::Lambda::Function",
					   NULL, &fn));
	/* An explicit cross-region reader: reads in us-east-1. */
	ck_ok(m, drtopo_stack_read_parameter(app, "/db/orders-arn", "us-east-1",
					     fn, NULL));
	ck_ok(m, drtopo_stack_add_dependency(app, db));
	return m;
}

START_TEST(readme_usage)
{
	drtopo_model *m = build_three_stacks();
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	ck_assert_ptr_eq(drtopo_result_model(r), m);
	ck_assert_uint_eq(drtopo_model_stack_count(m), 3);
	ck_assert_uint_eq(drtopo_model_resource_count(m), 3);

	/* The plan. */
	ck_assert_int_eq(drtopo_result_has_cycle(r), 0);
	ck_assert_uint_eq(drtopo_result_wave_count(r), 3);
	static const char *const plan[] = {"Network", "Database", "App"};
	for (size_t w = 0; w < drtopo_result_wave_count(r); w++) {
		ck_assert_uint_eq(drtopo_result_wave_size(r, w), 1);
		drtopo_stack *s = drtopo_result_wave_stack(r, w, 0);
		ck_assert_str_eq(drtopo_stack_id(s), plan[w]);
		ck_assert_int_eq(drtopo_result_stack_wave(r, s), (int)w + 1);
	}

	/* The edges, sorted by (from, to, kind, via). */
	static const struct {
		const char *from, *to;
		int kind;
		const char *via;
	} want[] = {
		{"App", "Database", DRTOPO_EDGE_EXPLICIT, NULL},
		{"App", "Database", DRTOPO_EDGE_PARAMETER, "/db/orders-arn"},
		{"Database", "Network", DRTOPO_EDGE_EXPLICIT, NULL},
		{"Database", "Network", DRTOPO_EDGE_EXPORT, "Network:VpcId"},
	};
	ck_assert_uint_eq(drtopo_result_edge_count(r), DT_LEN(want));
	for (size_t i = 0; i < drtopo_result_edge_count(r); i++) {
		drtopo_stack *from = NULL, *to = NULL;
		int kind = 0;
		const char *via = "unset";
		ck_assert_int_eq(
			drtopo_result_edge(r, i, &from, &to, &kind, &via),
			DRTOPO_OK);
		ck_assert_str_eq(drtopo_stack_id(from), want[i].from);
		ck_assert_str_eq(drtopo_stack_id(to), want[i].to);
		ck_assert_int_eq(kind, want[i].kind);
		if (want[i].via)
			ck_assert_str_eq(via, want[i].via);
		else
			ck_assert_ptr_null(via);
	}

	/* The findings, whatever they are, are coherent. */
	size_t n = drtopo_result_diagnostic_count(r), by_sev[4] = {0};
	int max = DRTOPO_SEVERITY_OFF;
	for (size_t i = 0; i < n; i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		ck_assert_ptr_nonnull(d);
		const drtopo_rule *rule =
			drtopo_rule_find(drtopo_diagnostic_code(d));
		ck_assert_ptr_nonnull(rule);
		ck_assert_str_eq(drtopo_diagnostic_rule(d),
				 drtopo_rule_name(rule));
		int sev = drtopo_diagnostic_severity(d);
		ck_assert_int_ge(sev, DRTOPO_SEVERITY_INFO);
		ck_assert_int_le(sev, DRTOPO_SEVERITY_ERROR);
		by_sev[sev]++;
		if (sev > max)
			max = sev;
		ck_assert_ptr_nonnull(drtopo_diagnostic_message(d));
		ck_assert_str_ne(drtopo_diagnostic_message(d), "");
		for (size_t k = 0; k < drtopo_diagnostic_related_count(d); k++)
			ck_assert_int_eq(drtopo_diagnostic_related(d, k, NULL,
								   NULL, NULL),
					 DRTOPO_OK);
		ck_assert_int_eq(drtopo_diagnostic_related(
					 d, drtopo_diagnostic_related_count(d),
					 NULL, NULL, NULL),
				 DRTOPO_EINVAL);
		/* API-built: no source location. */
		ck_assert_ptr_null(drtopo_diagnostic_source_file(d));
	}
	ck_assert_ptr_null(drtopo_result_diagnostic(r, n));
	for (int s = DRTOPO_SEVERITY_INFO; s <= DRTOPO_SEVERITY_ERROR; s++)
		ck_assert_uint_eq(drtopo_result_count(r, s), by_sev[s]);
	ck_assert_int_eq(drtopo_result_max_severity(r), max);

	/* The report: caller-owned, freed with drtopo_free(). */
	char *json = NULL;
	size_t len = 0;
	ck_ok(m, drtopo_result_to_json(r, &json, &len));
	ck_assert_uint_eq(strlen(json), len);
	ck_assert_int_eq(
		strncmp(json, "{\n  \"schema\": \"drtopo-report/1\",", 32), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"generator\": \"drtopo "));
	ck_assert_ptr_nonnull(strstr(json, "\"waves\": ["));
	ck_assert_ptr_nonnull(strstr(json, "[\"Network\"]"));
	ck_assert_ptr_nonnull(strstr(json, "\"via\": \"/db/orders-arn\""));
	ck_assert_int_eq(json[len - 1], '\n');
	drtopo_free(json);

	/* The same result serializes identically twice. */
	char *j1 = NULL, *j2 = NULL;
	ck_ok(m, drtopo_result_to_json(r, &j1, NULL));
	ck_ok(m, drtopo_result_to_json(r, &j2, NULL));
	ck_assert_str_eq(j1, j2);
	drtopo_free(j1);
	drtopo_free(j2);

	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(accessors_through_handles)
{
	drtopo_model *m = build_three_stacks();
	drtopo_stack *db = NULL;
	drtopo_resource *t = NULL;
	ck_ok(m, drtopo_model_find_stack(m, "Database", &db));
	ck_assert_ptr_eq(drtopo_model_stack_at(m, 1), db);
	ck_assert_str_eq(drtopo_stack_account(db), ACCT);
	ck_assert_str_eq(drtopo_stack_region(db), "us-east-1");
	ck_assert_ptr_eq(drtopo_stack_model(db), m);
	ck_ok(m, drtopo_stack_set_name(db, "Prod/Database", "prod-db"));
	ck_assert_str_eq(drtopo_stack_name(db), "Prod/Database");
	ck_ok(m, drtopo_stack_find_resource(db, "Orders", &t));
	ck_assert_ptr_eq(drtopo_stack_resource_at(db, 0), t);
	ck_assert_uint_eq(drtopo_stack_resource_count(db), 1);
	ck_assert_str_eq(drtopo_resource_physical_name(t), "orders");
	ck_assert_str_eq(drtopo_resource_type(t), "AWS::DynamoDB::GlobalTable");
	ck_assert_ptr_eq(drtopo_resource_stack(t), db);
	ck_ok(m, drtopo_resource_add_replica(t, "us-west-2"));
	ck_assert_uint_eq(drtopo_resource_replica_count(t), 1);
	ck_assert_str_eq(drtopo_resource_replica_at(t, 0), "us-west-2");

	drtopo_param *p = NULL;
	ck_ok(m, drtopo_stack_read_parameter(db, "/x", NULL, NULL, &p));
	ck_assert_int_eq(drtopo_param_kind(p), DRTOPO_PARAM_READ);
	ck_assert_str_eq(drtopo_param_name(p), "/x");
	ck_assert_str_eq(drtopo_param_region(p), "us-east-1");
	ck_assert_ptr_eq(drtopo_param_stack(p), db);
	drtopo_model_free(m);
}
END_TEST

START_TEST(errors_on_the_model)
{
	drtopo_model *m = NULL, *o = NULL;
	drtopo_stack *a = NULL, *x = NULL, *out = (drtopo_stack *)0x1;
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	ck_assert_int_eq(drtopo_model_new(&o), DRTOPO_OK);
	ck_ok(m, drtopo_model_add_stack(m, "A", NULL, NULL, &a));
	ck_ok(o, drtopo_model_add_stack(o, "X", NULL, NULL, &x));

	ck_assert_int_eq(drtopo_model_add_stack(m, "A", NULL, NULL, &out),
			 DRTOPO_EEXIST);
	ck_assert_ptr_eq(out, (drtopo_stack *)0x1);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "'A'"));
	ck_assert_int_eq(drtopo_model_add_stack(m, "", NULL, NULL, &out),
			 DRTOPO_EINVAL);
	ck_assert_ptr_nonnull(
		strstr(drtopo_model_errmsg(m), "invalid argument"));
	/* A handle of another model is refused, not followed. */
	ck_assert_int_eq(drtopo_stack_add_dependency(a, x), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_find_stack(m, "X", &out),
			 DRTOPO_ENOTFOUND);
	ck_assert_ptr_eq(out, (drtopo_stack *)0x1);
	ck_assert_int_eq(drtopo_model_set_rule_severity(m, "DRT999", 1),
			 DRTOPO_ENOTFOUND);
	ck_assert_int_eq(drtopo_model_new(NULL), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_resolve(NULL, NULL), DRTOPO_EINVAL);

	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	char *text = (char *)0x1;
	ck_assert_int_eq(drtopo_result_to_json(NULL, &text, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_result_to_json(r, NULL, NULL), DRTOPO_EINVAL);
	ck_assert_ptr_eq(text, (char *)0x1);
	drtopo_result_free(r);
	drtopo_result_free(NULL);
	drtopo_model_free(m);
	drtopo_model_free(o);
	drtopo_model_free(NULL);
	drtopo_free(NULL);
}
END_TEST

START_TEST(strings_are_copied)
{
	drtopo_model *m = NULL;
	drtopo_stack *s = NULL;
	char id[] = "Stack", region[] = "eu-west-1", name[] = "/p";
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	ck_ok(m, drtopo_model_add_stack(m, id, NULL, region, &s));
	drtopo_param *p = NULL;
	ck_ok(m, drtopo_stack_write_parameter(s, name, NULL, NULL, &p));
	memset(id, 'x', sizeof(id) - 1);
	memset(region, 'x', sizeof(region) - 1);
	memset(name, 'x', sizeof(name) - 1);
	ck_assert_str_eq(drtopo_stack_id(s), "Stack");
	ck_assert_str_eq(drtopo_stack_region(s), "eu-west-1");
	ck_assert_str_eq(drtopo_param_name(p), "/p");
	drtopo_model_free(m);
}
END_TEST

/* ---- versions, status texts, severities ---------------------------- */

START_TEST(version)
{
	ck_assert_str_eq(drtopo_version(), DRTOPO_VERSION_STRING);
	int ma = -1, mi = -1, pa = -1;
	ck_assert_int_eq(sscanf(drtopo_version(), "%d.%d.%d", &ma, &mi, &pa),
			 3);
	ck_assert_int_eq(ma, DRTOPO_VERSION_MAJOR);
	ck_assert_int_eq(mi, DRTOPO_VERSION_MINOR);
	ck_assert_int_eq(pa, DRTOPO_VERSION_PATCH);
	ck_assert_int_eq(DRTOPO_VERSION_HEX, (ma << 16) | (mi << 8) | pa);
	ck_assert_str_eq(DRTOPO_REPORT_SCHEMA, "drtopo-report/1");
	ck_assert_str_eq(DRTOPO_TOPOLOGY_SCHEMA, "drtopo-topology/1");
}
END_TEST

START_TEST(strerror_texts)
{
	static const int codes[] = {
		DRTOPO_OK,	  DRTOPO_ERROR,	 DRTOPO_ENOMEM, DRTOPO_EINVAL,
		DRTOPO_ENOTFOUND, DRTOPO_EEXIST, DRTOPO_EPARSE, DRTOPO_ESCHEMA,
		DRTOPO_EIO,	  DRTOPO_ELIMIT,
	};
	const char *unknown = drtopo_strerror(-1000);
	ck_assert_ptr_nonnull(unknown);
	ck_assert_ptr_nonnull(drtopo_strerror(1));
	for (size_t i = 0; i < DT_LEN(codes); i++) {
		const char *t = drtopo_strerror(codes[i]);
		ck_assert_ptr_nonnull(t);
		ck_assert_str_ne(t, "");
		ck_assert_str_ne(t, unknown);
		/* One line, no trailing newline. */
		ck_assert_ptr_null(strchr(t, '\n'));
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(t, drtopo_strerror(codes[k]));
	}
	/* The codes are a stable ABI: their values never change. */
	ck_assert_int_eq(DRTOPO_ENOMEM, -2);
	ck_assert_int_eq(DRTOPO_EEXIST, -5);
	ck_assert_int_eq(DRTOPO_ELIMIT, -9);
	ck_assert_str_eq(drtopo_strerror(DRTOPO_ENOMEM), "out of memory");
}
END_TEST

START_TEST(severity_names)
{
	static const char *const names[] = {"off", "info", "warning", "error"};
	for (int s = DRTOPO_SEVERITY_OFF; s <= DRTOPO_SEVERITY_ERROR; s++) {
		ck_assert_str_eq(drtopo_severity_name(s), names[s]);
		ck_assert_int_eq(drtopo_severity_from_name(names[s]), s);
	}
	ck_assert_ptr_null(drtopo_severity_name(-1));
	ck_assert_ptr_null(drtopo_severity_name(4));
	ck_assert_int_eq(drtopo_severity_from_name("note"),
			 DRTOPO_SEVERITY_INFO);
	ck_assert_int_eq(drtopo_severity_from_name(NULL), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_severity_from_name(""), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_severity_from_name("fatal"), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_severity_from_name("errors"), DRTOPO_EINVAL);
}
END_TEST

START_TEST(edge_kind_names)
{
	ck_assert_str_eq(drtopo_edge_kind_name(DRTOPO_EDGE_EXPLICIT),
			 "explicit");
	ck_assert_str_eq(drtopo_edge_kind_name(DRTOPO_EDGE_REPLICA_KEY),
			 "replica-key");
	ck_assert_str_eq(drtopo_edge_kind_name(DRTOPO_EDGE_STACK_OUTPUT),
			 "stack-output");
	ck_assert_ptr_null(drtopo_edge_kind_name(0));
	ck_assert_ptr_null(drtopo_edge_kind_name(DRTOPO_EDGE_REPLICA_KEY + 1));
}
END_TEST

/* ---- the rule catalogue --------------------------------------------- */

START_TEST(rule_catalogue)
{
	size_t n = drtopo_rule_count();
	ck_assert_uint_ge(n, 22);
	ck_assert_ptr_null(drtopo_rule_at(n));
	const char *prev = "";
	for (size_t i = 0; i < n; i++) {
		const drtopo_rule *r = drtopo_rule_at(i);
		ck_assert_ptr_nonnull(r);
		const char *code = drtopo_rule_code(r);
		/* "DRT" and three digits, in increasing order. */
		ck_assert_uint_eq(strlen(code), 6);
		ck_assert_int_eq(strncmp(code, "DRT", 3), 0);
		ck_assert_uint_eq(strspn(code + 3, "0123456789"), 3);
		ck_assert_int_gt(strcmp(code, prev), 0);
		prev = code;
		/* kebab-case names */
		const char *name = drtopo_rule_name(r);
		ck_assert_uint_gt(strlen(name), 0);
		ck_assert_uint_eq(
			strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-"),
			strlen(name));
		int sev = drtopo_rule_default_severity(r);
		ck_assert_int_ge(sev, DRTOPO_SEVERITY_INFO);
		ck_assert_int_le(sev, DRTOPO_SEVERITY_ERROR);
		ck_assert_str_ne(drtopo_rule_summary(r), "");
		ck_assert_ptr_nonnull(drtopo_rule_explanation(r));
		/* Found by code, lower-case code and name: the same rule. */
		char lower[7];
		for (int k = 0; k < 7; k++)
			lower[k] = (char)(code[k] >= 'A' && code[k] <= 'Z'
						  ? code[k] + 32
						  : code[k]);
		ck_assert_ptr_eq(drtopo_rule_find(code), r);
		ck_assert_ptr_eq(drtopo_rule_find(lower), r);
		ck_assert_ptr_eq(drtopo_rule_find(name), r);
	}
}
END_TEST

START_TEST(rule_lookups)
{
	const drtopo_rule *r = drtopo_rule_find("DRT302");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(drtopo_rule_code(r), "DRT302");
	ck_assert_str_eq(drtopo_rule_name(r), "parameter-region-mismatch");
	ck_assert_int_eq(drtopo_rule_default_severity(r),
			 DRTOPO_SEVERITY_ERROR);
	ck_assert_ptr_eq(drtopo_rule_find("drt302"), r);
	ck_assert_ptr_eq(drtopo_rule_find("Drt302"), r);
	ck_assert_ptr_eq(drtopo_rule_find("parameter-region-mismatch"), r);
	ck_assert_int_eq(drtopo_rule_default_severity(drtopo_rule_find(
				 "stack-output-without-dependency")),
			 DRTOPO_SEVERITY_WARNING);
	ck_assert_str_eq(drtopo_rule_code(drtopo_rule_find("dependency-cycle")),
			 "DRT101");
	ck_assert_ptr_null(drtopo_rule_find(NULL));
	ck_assert_ptr_null(drtopo_rule_find(""));
	ck_assert_ptr_null(drtopo_rule_find("DRT000"));
	ck_assert_ptr_null(drtopo_rule_find("drt30"));
	ck_assert_ptr_null(drtopo_rule_find("DRT3020"));
	ck_assert_ptr_null(drtopo_rule_find("Parameter-Region-Mismatch"));
	ck_assert_ptr_null(drtopo_rule_code(NULL));
	ck_assert_ptr_null(drtopo_rule_name(NULL));
	ck_assert_ptr_null(drtopo_rule_summary(NULL));
	ck_assert_ptr_null(drtopo_rule_explanation(NULL));
	ck_assert_int_eq(drtopo_rule_default_severity(NULL), DRTOPO_EINVAL);
}
END_TEST

/* Severity overrides reach the findings. */
START_TEST(rule_severity_overrides_findings)
{
	drtopo_model *m = NULL;
	drtopo_stack *a = NULL, *b = NULL;
	drtopo_result *r = NULL;
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	ck_ok(m, drtopo_model_add_stack(m, "A", ACCT, "us-east-1", &a));
	ck_ok(m, drtopo_model_add_stack(m, "B", ACCT, "us-east-1", &b));
	ck_ok(m, drtopo_stack_add_dependency(a, b));
	ck_ok(m, drtopo_stack_add_dependency(b, a));

	/* A cycle is a DRT101 error by default. */
	ck_ok(m, drtopo_model_resolve(m, &r));
	ck_assert_int_eq(drtopo_result_has_cycle(r), 1);
	size_t found = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		if (strcmp(drtopo_diagnostic_code(d), "DRT101") == 0) {
			ck_assert_int_eq(drtopo_diagnostic_severity(d),
					 DRTOPO_SEVERITY_ERROR);
			found++;
		}
	}
	ck_assert_uint_eq(found, 1);
	drtopo_result_free(r);

	ck_ok(m, drtopo_model_set_rule_severity(m, "dependency-cycle",
						DRTOPO_SEVERITY_WARNING));
	ck_ok(m, drtopo_model_resolve(m, &r));
	found = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		if (strcmp(drtopo_diagnostic_code(d), "DRT101") == 0) {
			ck_assert_int_eq(drtopo_diagnostic_severity(d),
					 DRTOPO_SEVERITY_WARNING);
			found++;
		}
	}
	ck_assert_uint_eq(found, 1);
	ck_assert_uint_ge(drtopo_result_count(r, DRTOPO_SEVERITY_WARNING), 1);
	drtopo_result_free(r);

	/* Every rule off: no findings at all, but the plan still knows. */
	for (size_t i = 0; i < drtopo_rule_count(); i++)
		ck_ok(m, drtopo_model_set_rule_severity(
				 m, drtopo_rule_code(drtopo_rule_at(i)),
				 DRTOPO_SEVERITY_OFF));
	ck_ok(m, drtopo_model_resolve(m, &r));
	ck_assert_uint_eq(drtopo_result_diagnostic_count(r), 0);
	ck_assert_int_eq(drtopo_result_max_severity(r), DRTOPO_SEVERITY_OFF);
	ck_assert_int_eq(drtopo_result_has_cycle(r), 1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- threads: distinct models share no state ----------------------- */

typedef struct job {
	char *json;
	int rc;
} job;

static void *resolve_job(void *arg)
{
	job *j = arg;
	for (int round = 0; round < 20; round++) {
		drtopo_model *m = NULL;
		drtopo_result *r = NULL;
		char name[32];
		j->rc = drtopo_model_new(&m);
		for (int i = 0; i < 50 && !j->rc; i++) {
			drtopo_stack *s = NULL, *prev = NULL;
			snprintf(name, sizeof(name), "s%02d", i);
			j->rc = drtopo_model_add_stack(m, name, ACCT,
						       "us-east-1", &s);
			if (!j->rc && i) {
				snprintf(name, sizeof(name), "s%02d", i - 1);
				j->rc = drtopo_model_find_stack(m, name, &prev);
				if (!j->rc)
					j->rc = drtopo_stack_add_dependency(
						s, prev);
			}
		}
		if (!j->rc)
			j->rc = drtopo_model_resolve(m, &r);
		if (!j->rc) {
			drtopo_free(j->json);
			j->json = NULL;
			j->rc = drtopo_result_to_json(r, &j->json, NULL);
		}
		drtopo_result_free(r);
		drtopo_model_free(m);
		if (j->rc)
			break;
	}
	return NULL;
}

START_TEST(models_in_parallel_threads)
{
	enum { T = 4 };
	pthread_t th[T];
	job jobs[T + 1];
	memset(jobs, 0, sizeof(jobs));
	/* The reference, on this thread. */
	resolve_job(&jobs[T]);
	ck_assert_int_eq(jobs[T].rc, DRTOPO_OK);
	for (int i = 0; i < T; i++)
		ck_assert_int_eq(
			pthread_create(&th[i], NULL, resolve_job, &jobs[i]), 0);
	for (int i = 0; i < T; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(jobs[i].rc, DRTOPO_OK);
		ck_assert_str_eq(jobs[i].json, jobs[T].json);
		drtopo_free(jobs[i].json);
	}
	ck_assert_ptr_nonnull(strstr(jobs[T].json, "[\"s49\"]"));
	drtopo_free(jobs[T].json);
}
END_TEST

static Suite *api_suite(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("usage");
	tcase_add_test(tc, readme_usage);
	tcase_add_test(tc, accessors_through_handles);
	tcase_add_test(tc, errors_on_the_model);
	tcase_add_test(tc, strings_are_copied);
	tcase_add_test(tc, models_in_parallel_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("static");
	tcase_add_test(tc, version);
	tcase_add_test(tc, strerror_texts);
	tcase_add_test(tc, severity_names);
	tcase_add_test(tc, edge_kind_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, rule_catalogue);
	tcase_add_test(tc, rule_lookups);
	tcase_add_test(tc, rule_severity_overrides_findings);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(api_suite)
