/*
 * The rule catalogue, rule by rule: for every rule a model that fires it
 * and a close one that must not; the seed's three variants; env-agnostic
 * stacks; hostile shapes that would be quadratic if a rule scanned pairs;
 * and the explanations against drtopo-rules(7).
 */
#include "builders.h"

#include "model.h"
#include "resolve.h"
#include "seed.h"

#define R1 "us-east-1"
#define R2 "us-east-2"
#define R3 "us-west-2"
#define A1 "111111111111"
#define A2 "222222222222"

/* ---- helpers ------------------------------------------------------- */

static drtopo_resource *thing(drtopo_stack *s, const char *id)
{
	return res(s, id, "AWS::Lambda::Function", NULL);
}

static void ref(drtopo_resource *consumer, drtopo_resource *producer,
		const char *attr)
{
	drtopo_model *m = drtopo_stack_model(drtopo_resource_stack(consumer));
	ck_ok(m, drtopo_resource_add_reference(consumer, producer, attr));
}

static void dep(drtopo_stack *a, drtopo_stack *b)
{
	ck_ok(drtopo_stack_model(a), drtopo_stack_add_dependency(a, b));
}

static void write_p(drtopo_stack *s, const char *name, const char *region)
{
	ck_ok(drtopo_stack_model(s),
	      drtopo_stack_write_parameter(s, name, region, NULL, NULL));
}

static void read_p(drtopo_stack *s, const char *name, const char *region)
{
	ck_ok(drtopo_stack_model(s),
	      drtopo_stack_read_parameter(s, name, region, NULL, NULL));
}

static drtopo_resource *global_table(drtopo_stack *s, const char *id,
				     const char *name)
{
	return res(s, id, "AWS::DynamoDB::GlobalTable", name);
}

/* Resolve; every finding must name its rule and carry a message and a
 * hint (a finding without a fix is not done). */
static drtopo_result *check(drtopo_model *m)
{
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		ck_assert_ptr_nonnull(drtopo_diagnostic_code(d));
		ck_assert_ptr_nonnull(drtopo_diagnostic_message(d));
		ck_assert_ptr_nonnull(drtopo_diagnostic_hint(d));
		ck_assert_msg(*drtopo_diagnostic_hint(d), "empty hint: %s",
			      drtopo_diagnostic_message(d));
	}
	return r;
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The codes of all findings, sorted, space-separated ("" if none). */
static const char *codes(const drtopo_result *r)
{
	static char buf[4096];
	const char *list[512];
	size_t n = 0;
	/* Posture findings (DRT6xx) have a suite of their own
	 * (test-posture.c): the wiring rules are checked without them. */
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const char *c =
			drtopo_diagnostic_code(drtopo_result_diagnostic(r, i));
		if (strncmp(c, "DRT6", 4) == 0)
			continue;
		ck_assert_uint_lt(n, DT_ARRAY_LEN(list));
		list[n++] = c;
	}
	qsort(list, n, sizeof(list[0]), code_cmp);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, list[i]);
	}
	return buf;
}

static size_t count(const drtopo_result *r, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++)
		if (!strcmp(drtopo_diagnostic_code(
				    drtopo_result_diagnostic(r, i)),
			    code))
			n++;
	return n;
}

/* The k-th finding of a code (report order). */
static const drtopo_diagnostic *find(const drtopo_result *r, const char *code,
				     size_t k)
{
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		if (!strcmp(drtopo_diagnostic_code(d), code) && k-- == 0)
			return d;
	}
	ck_abort_msg("no finding %s", code);
	return NULL;
}

#define ck_has(d, text)                                             \
	ck_assert_msg(strstr(drtopo_diagnostic_message(d), (text)), \
		      "'%s' not in: %s", (text), drtopo_diagnostic_message(d))

static void ck_related(const drtopo_diagnostic *d, size_t i,
		       const char *stack_id, const char *res_id)
{
	const char *s = NULL, *rs = NULL, *rg = NULL;
	ck_assert_uint_gt(drtopo_diagnostic_related_count(d), i);
	ck_assert_int_eq(drtopo_diagnostic_related(d, i, &s, &rs, &rg),
			 DRTOPO_OK);
	ck_assert_str_eq(s, stack_id);
	if (res_id)
		ck_assert_str_eq(rs, res_id);
}

#define EXPECT(m, want)                              \
	do {                                         \
		drtopo_result *r_ = check(m);        \
		ck_assert_str_eq(codes(r_), (want)); \
		drtopo_result_free(r_);              \
	} while (0)

static const dt_loc LOC = {"app/topology.json", "/stacks/0/dependsOn/1"};

/* ---- the seed ------------------------------------------------------ */

START_TEST(seed_model_response)
{
	drtopo_model *m = dt_seed_model_response();
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(drtopo_model_stack_count(m), 15);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT201 DRT201 DRT401 DRT406");
	const drtopo_diagnostic *d = find(r, "DRT201", 0);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "Failover-dev");
	ck_has(d, "ComputeSecondary-dev/Alb.DNSName");
	ck_related(d, 0, "ComputeSecondary-dev", "Alb");
	d = find(r, "DRT201", 1);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "StoragePrimary-dev");
	ck_has(d, "KmsSecondary-dev/Key.Arn");
	d = find(r, "DRT401", 0);
	ck_assert_str_eq(drtopo_diagnostic_resource(d), "SessionsTable");
	ck_assert_str_eq(drtopo_diagnostic_region(d), R2);
	d = find(r, "DRT406", 0);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "StorageSecondary-dev");
	ck_has(d, "dr-sessions-dev");
	ck_related(d, 0, "StoragePrimary-dev", "SessionsTable");
	ck_assert_int_eq(drtopo_result_has_cycle(r), 0);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(seed_ideal_response)
{
	drtopo_model *m = dt_seed_ideal_response();
	ck_assert_ptr_nonnull(m);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT302 DRT302 DRT406");
	const drtopo_diagnostic *d = find(r, "DRT302", 0);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "Failover-dev");
	ck_has(d, "/dr/dev/alb-dns/us-east-2");
	ck_assert_str_eq(drtopo_diagnostic_region(d), R1);
	ck_related(d, 0, "ComputeSecondary-dev", "AlbDnsParameter");
	ck_assert_msg(
		strstr(drtopo_diagnostic_hint(d), "crossRegionReferences"),
		"%s", drtopo_diagnostic_hint(d));
	d = find(r, "DRT302", 1);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "StoragePrimary-dev");
	ck_has(d, "/dr/dev/kms-key-arn/us-east-2");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(seed_fixed)
{
	drtopo_model *m = dt_seed_fixed();
	ck_assert_ptr_nonnull(m);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "");
	/* no error: the worst is the unused secondary health check */
	ck_assert_int_eq(drtopo_result_max_severity(r),
			 DRTOPO_SEVERITY_WARNING);
	ck_assert_uint_eq(count(r, "DRT605"), 1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(seed_deterministic)
{
	char *a = NULL, *b = NULL;
	for (int i = 0; i < 2; i++) {
		drtopo_model *m = dt_seed_build(DT_SEED_MODEL_RESPONSE);
		drtopo_result *r = check(m);
		ck_ok(m, drtopo_result_to_json(r, i ? &b : &a, NULL));
		drtopo_result_free(r);
		drtopo_model_free(m);
	}
	ck_assert_str_eq(a, b);
	drtopo_free(a);
	drtopo_free(b);
}
END_TEST

/* ---- DRT101 -------------------------------------------------------- */

START_TEST(cycle_three_reasons)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1),
		     *c = stack(m, "C", A1, R1);
	drtopo_resource *bf = thing(b, "Fn"),
			*ck = res(c, "Key", "AWS::KMS::Key", NULL);
	dep(a, b);
	ref(bf, ck, "Arn");
	write_p(a, "/p", NULL);
	read_p(c, "/p", NULL);
	drtopo_result *r = check(m);
	ck_assert_uint_eq(count(r, "DRT101"), 1);
	const drtopo_diagnostic *d = find(r, "DRT101", 0);
	ck_has(d, "A -> B -> C -> A");
	ck_has(d, "A -> B: explicit");
	ck_has(d, "B -> C: reference Key.Arn");
	ck_has(d, "C -> A: parameter /p");
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "A");
	ck_assert_uint_eq(drtopo_diagnostic_related_count(d), 2);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(cycle_one_per_component)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1),
		     *c = stack(m, "C", A1, R1), *d = stack(m, "D", A1, R1),
		     *e = stack(m, "E", A1, R1);
	dep(a, b);
	dep(b, a);
	dep(b, c); /* C -> A -> B -> C: same component, one finding */
	dep(c, a);
	dep(d, d); /* self-loop */
	dep(e, a);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT101 DRT101");
	ck_has(find(r, "DRT101", 0), "A -> B -> A");
	ck_has(find(r, "DRT101", 1), "D -> D (D -> D: explicit)");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(cycle_location_from_file)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1);
	ck_ok(m, dt_add_dep(a, b, NULL, &LOC));
	ck_ok(m, dt_add_dep(b, a, NULL, NULL));
	drtopo_result *r = check(m);
	const drtopo_diagnostic *d = find(r, "DRT101", 0);
	ck_assert_str_eq(drtopo_diagnostic_source_file(d), LOC.file);
	ck_assert_str_eq(drtopo_diagnostic_source_pointer(d), LOC.pointer);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(no_cycle_chain)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1),
		     *c = stack(m, "C", A1, R1);
	dep(a, b);
	dep(b, c);
	dep(a, c);
	dep(a, b); /* repeated: not an error */
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT102 -------------------------------------------------------- */

START_TEST(unknown_targets)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1);
	drtopo_resource *fn = thing(a, "Fn");
	drtopo_resource *t = global_table(a, "Table", "t");
	ck_ok(m, dt_add_dep(a, NULL, "Ghost", &LOC));
	ck_ok(m, dt_add_ref(fn, NULL, "B", "Missing", "Arn", NULL));
	ck_ok(m, dt_add_ref(fn, NULL, "Nowhere", "Key", NULL, NULL));
	ck_ok(m,
	      drtopo_resource_set_cmk_arn(t, "arn:aws:kms:us-east-1:1:key/k"));
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	dt_value v = {0};
	v.kind = DT_VAL_RESOURCE;
	v.stack_id = "KmsSecondary";
	v.res_id = "Key";
	ck_ok(m, dt_table_set_key(t, R2, &v, NULL));
	ck_ok(m,
	      drtopo_stack_add_output_read(a, "NoSuchStack", "Out", NULL, fn));
	(void)b;
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT102 DRT102 DRT102 DRT102 DRT102");
	const drtopo_diagnostic *d = find(r, "DRT102", 0);
	ck_has(d, "'Ghost'");
	ck_assert_str_eq(drtopo_diagnostic_source_file(d), LOC.file);
	ck_assert_str_eq(drtopo_diagnostic_source_pointer(d), LOC.pointer);
	int missing_res = 0, missing_stack = 0, key = 0, out = 0;
	for (size_t i = 1; i < 5; i++) {
		const char *msg =
			drtopo_diagnostic_message(find(r, "DRT102", i));
		missing_res += strstr(msg, "has no such resource") != NULL;
		missing_stack += strstr(msg, "'Nowhere'") != NULL;
		key += strstr(msg, "replica key for us-east-2") != NULL;
		out += strstr(msg, "NoSuchStack") != NULL;
	}
	ck_assert_int_eq(missing_res + missing_stack + key + out, 4);
	ck_assert_int_eq(missing_res * missing_stack * key * out, 1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(known_targets_by_name)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1);
	ck_ok(m, drtopo_stack_set_name(b, "App/B", "prod-b"));
	drtopo_resource *fn = thing(a, "Fn");
	drtopo_resource *bk = res(b, "Key", "AWS::KMS::Key", NULL);
	ck_ok(m, dt_add_ref(fn, bk, NULL, NULL, "Arn", NULL));
	ck_ok(m, drtopo_stack_add_output_read(a, "prod-b", "Out", NULL, fn));
	ck_ok(m, drtopo_stack_add_output_read(a, "B", "Out2", NULL, fn));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT103 -------------------------------------------------------- */

START_TEST(agnostic_wired_to_explicit)
{
	drtopo_model *m = model();
	drtopo_stack *agn = stack(m, "Agn", NULL, NULL);
	drtopo_stack *exp = stack(m, "Exp", A1, R1);
	drtopo_resource *fn = thing(agn, "Fn"), *fn2 = thing(agn, "Fn2");
	drtopo_resource *key = res(exp, "Key", "AWS::KMS::Key", NULL);
	ref(fn, key, "Arn");
	ref(fn2, key, NULL);
	ref(fn2, key, "KeyId");
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT103");
	const drtopo_diagnostic *d = find(r, "DRT103", 0);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "Agn");
	ck_has(d, "unknown account and region");
	ck_has(d, "stack Exp (account " A1 ", region " R1 ")");
	ck_has(d, "(and 2 more links)");
	ck_related(d, 0, "Exp", NULL);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(agnostic_only_to_each_other)
{
	/* One shared environment, as CDK deploys them: no finding of any
	 * kind, also for parameters, exports and tables. */
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", NULL, NULL),
		     *b = stack(m, "B", NULL, NULL);
	drtopo_resource *fn = thing(a, "Fn");
	drtopo_resource *key = res(b, "Key", "AWS::KMS::Key", NULL);
	ref(fn, key, "Arn");
	write_p(b, "/shared", NULL);
	read_p(a, "/shared", NULL);
	ck_ok(m, drtopo_stack_add_export(b, "b-key", key));
	ck_ok(m, drtopo_stack_add_import(a, "b-key", fn));
	drtopo_resource *t = res(a, "Table", "AWS::DynamoDB::Table", "t");
	ck_ok(m, drtopo_resource_set_cmk(t, key));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(unknown_account_known_regions)
{
	/* The seed's shape: account unknown everywhere, regions known. */
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", NULL, R1), *b = stack(m, "B", NULL, R1);
	ref(thing(a, "Fn"), res(b, "Key", "AWS::KMS::Key", NULL), "Arn");
	EXPECT(m, "");
	/* A known account on one side: which account the other lands in
	 * decides. */
	drtopo_stack *c = stack(m, "C", A1, R1);
	ref(thing(a, "Fn2"), thing(c, "Fn"), NULL);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT103");
	ck_has(find(r, "DRT103", 0), "unknown account");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(agnostic_table_with_replicas)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, NULL);
	drtopo_resource *t = global_table(a, "Table", "t");
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_set_cmk_arn(t, "alias/t"));
	drtopo_result *r = check(m);
	/* Not DRT401/DRT405: the own region is unknown. */
	ck_assert_str_eq(codes(r), "DRT103");
	ck_assert_str_eq(drtopo_diagnostic_resource(find(r, "DRT103", 0)),
			 "Table");
	drtopo_result_free(r);
	/* Without replicas: nothing depends on the region. */
	drtopo_model_free(m);
	m = model();
	a = stack(m, "A", A1, NULL);
	global_table(a, "Table", "t");
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(agnostic_imports_and_keys)
{
	/* An import that only an export of another (known) environment
	 * may answer, and a key of a stack of known environment: DRT103
	 * on the agnostic side, not DRT203 or DRT204. */
	drtopo_model *m = model();
	drtopo_stack *agn = stack(m, "Agn", NULL, NULL);
	drtopo_stack *ex = stack(m, "Ex", A1, R1);
	ck_ok(m, drtopo_stack_add_export(ex, "vpc-id", NULL));
	ck_ok(m, drtopo_stack_add_import(agn, "vpc-id", NULL));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT103");
	ck_has(find(r, "DRT103", 0), "by an import of export vpc-id");
	drtopo_result_free(r);
	drtopo_model_free(m);
	/* The other way round: the exporter is the agnostic one. */
	m = model();
	agn = stack(m, "Agn", NULL, R1);
	drtopo_stack *imp = stack(m, "Imp", A1, R1);
	ck_ok(m, drtopo_stack_add_export(agn, "vpc-id", NULL));
	ck_ok(m, drtopo_stack_add_import(imp, "vpc-id", NULL));
	r = check(m);
	ck_assert_str_eq(codes(r), "DRT103");
	ck_assert_str_eq(drtopo_diagnostic_stack(find(r, "DRT103", 0)), "Agn");
	drtopo_result_free(r);
	drtopo_model_free(m);
	/* A table key of a stack whose region is known. */
	m = model();
	agn = stack(m, "Agn", A1, NULL);
	drtopo_stack *kms = stack(m, "Kms", A1, R1);
	drtopo_resource *t = res(agn, "Table", "AWS::DynamoDB::Table", "t");
	ck_ok(m, drtopo_resource_set_cmk(
			 t, res(kms, "Key", "AWS::KMS::Key", NULL)));
	r = check(m);
	ck_assert_str_eq(codes(r), "DRT103");
	ck_has(find(r, "DRT103", 0), "unknown region");
	ck_has(find(r, "DRT103", 0), "a key link to Kms/Key");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(agnostic_parameters)
{
	/* A read in an unknown region of a name written only in a known
	 * one: DRT103, never a guessed DRT302 or DRT301. */
	drtopo_model *m = model();
	drtopo_stack *w = stack(m, "W", A1, R1),
		     *agn = stack(m, "Agn", NULL, NULL);
	write_p(w, "/p", NULL);
	read_p(agn, "/p", NULL);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT103");
	ck_assert_str_eq(drtopo_diagnostic_stack(find(r, "DRT103", 0)), "Agn");
	drtopo_result_free(r);
	drtopo_model_free(m);
	/* A read in a known region that only a writer of unknown region
	 * may answer: DRT103 on the writer. */
	m = model();
	w = stack(m, "W", NULL, NULL);
	drtopo_stack *rd = stack(m, "R", A1, R1);
	write_p(w, "/q", NULL);
	read_p(rd, "/q", NULL);
	r = check(m);
	ck_assert_str_eq(codes(r), "DRT103");
	ck_assert_str_eq(drtopo_diagnostic_stack(find(r, "DRT103", 0)), "W");
	drtopo_result_free(r);
	drtopo_model_free(m);
	/* An agnostic writer that names its region is explicit enough. */
	m = model();
	w = stack(m, "W", NULL, NULL);
	rd = stack(m, "R", A1, R1);
	write_p(w, "/q", R1);
	read_p(rd, "/q", NULL);
	dep(rd, w);
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT201 / DRT202 ----------------------------------------------- */

START_TEST(cross_region_reference)
{
	drtopo_model *m = model();
	drtopo_stack *c = stack(m, "Consumer", A1, R1),
		     *p = stack(m, "Producer", A1, R2);
	drtopo_resource *fn = thing(c, "Fn");
	drtopo_resource *key = res(p, "Key", "AWS::KMS::Key", NULL);
	ck_ok(m, dt_add_ref(fn, key, NULL, NULL, "Arn", &LOC));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT201");
	const drtopo_diagnostic *d = find(r, "DRT201", 0);
	ck_has(d, "Consumer/Fn (region " R1 ")");
	ck_has(d, "Producer/Key.Arn");
	ck_assert_str_eq(drtopo_diagnostic_source_pointer(d), LOC.pointer);
	ck_related(d, 0, "Producer", "Key");
	drtopo_result_free(r);
	/* A parameter into the consumer's region by a third stack does not
	 * carry the producer's value. */
	drtopo_stack *third = stack(m, "Third", A1, R2);
	write_p(third, "/cdk/exports/Consumer/x", R1);
	read_p(c, "/cdk/exports/Consumer/x", NULL);
	dep(c, third);
	EXPECT(m, "DRT201");
	drtopo_model_free(m);
}
END_TEST

START_TEST(cross_region_carriers)
{
	/* Export writer in the producer, reader in the consumer. */
	drtopo_model *m = model();
	drtopo_stack *c = stack(m, "Consumer", A1, R1),
		     *p = stack(m, "Producer", A1, R2);
	drtopo_resource *key = res(p, "Key", "AWS::KMS::Key", NULL);
	ref(thing(c, "Fn"), key, "Arn");
	write_p(p, "/cdk/exports/Consumer/ProducerKeyArn", R1);
	read_p(c, "/cdk/exports/Consumer/ProducerKeyArn", NULL);
	EXPECT(m, "");
	drtopo_model_free(m);
	/* Written into the producer's own region: not a carrier (and the
	 * read is a DRT302). */
	m = model();
	c = stack(m, "Consumer", A1, R1);
	p = stack(m, "Producer", A1, R2);
	key = res(p, "Key", "AWS::KMS::Key", NULL);
	ref(thing(c, "Fn"), key, "Arn");
	write_p(p, "/x", NULL);
	read_p(c, "/x", NULL);
	EXPECT(m, "DRT201 DRT302");
	drtopo_model_free(m);
	/* A stack-output read. */
	m = model();
	c = stack(m, "Consumer", A1, R1);
	p = stack(m, "Producer", A1, R2);
	key = res(p, "Key", "AWS::KMS::Key", NULL);
	ref(thing(c, "Fn"), key, "Arn");
	ck_ok(m,
	      drtopo_stack_add_output_read(c, "Producer", "KeyArn", R2, NULL));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(same_region_reference)
{
	drtopo_model *m = model();
	drtopo_stack *c = stack(m, "C", A1, R1), *p = stack(m, "P", A1, R1);
	ref(thing(c, "Fn"), thing(p, "Fn"), "Arn");
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(cross_account_reference)
{
	drtopo_model *m = model();
	drtopo_stack *c = stack(m, "C", A2, R1), *p = stack(m, "P", A1, R1);
	drtopo_resource *b = res(p, "Bucket", "AWS::S3::Bucket", NULL);
	ref(thing(c, "Fn"), b, "Arn");
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT202");
	ck_has(find(r, "DRT202", 0), "account " A2);
	drtopo_result_free(r);
	/* Across accounts and regions: both rules. */
	drtopo_stack *far = stack(m, "Far", A1, R2);
	ref(thing(c, "Fn2"), thing(far, "Fn"), NULL);
	EXPECT(m, "DRT201 DRT202 DRT202");
	drtopo_model_free(m);
	/* Carried by Fn::GetStackOutput with a role (current CDK). */
	m = model();
	c = stack(m, "C", A2, R1);
	p = stack(m, "P", A1, R1);
	ck_ok(m, drtopo_stack_set_name(p, NULL, "producer-stack"));
	b = res(p, "Bucket", "AWS::S3::Bucket", NULL);
	ref(thing(c, "Fn"), b, "Arn");
	ck_ok(m, dt_add_output_read(c, "producer-stack", "BucketArn", R1, A1,
				    NULL, NULL));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT203 / DRT204 / DRT205 -------------------------------------- */

START_TEST(export_region_mismatch)
{
	drtopo_model *m = model();
	drtopo_stack *imp = stack(m, "Imp", A1, R1),
		     *ex = stack(m, "Ex", A1, R2);
	drtopo_resource *fn = thing(imp, "Fn");
	ck_ok(m, drtopo_stack_add_export(ex, "shared-key-arn", NULL));
	ck_ok(m, drtopo_stack_add_import(imp, "shared-key-arn", fn));
	ck_ok(m, drtopo_stack_add_import(imp, "shared-key-arn", NULL));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT203");
	ck_has(find(r, "DRT203", 0), "stack Ex: account " A1 ", region " R2);
	drtopo_result_free(r);
	/* Another account, same region: still not there. */
	drtopo_stack *other = stack(m, "Other", A2, R1);
	ck_ok(m, drtopo_stack_add_export(other, "shared-key-arn", NULL));
	EXPECT(m, "DRT203");
	/* Declared exported outside the input in another region: no. */
	ck_ok(m, drtopo_model_add_external(m, "shared-key-arn", R3));
	EXPECT(m, "DRT203");
	/* Exported in the importer's own place too: fine. */
	drtopo_stack *here = stack(m, "Here", A1, R1);
	ck_ok(m, drtopo_stack_add_export(here, "shared-key-arn", NULL));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(missing_export)
{
	drtopo_model *m = model();
	drtopo_stack *imp = stack(m, "Imp", A1, R1);
	ck_ok(m, drtopo_stack_add_import(imp, "network-vpc-id", NULL));
	ck_ok(m, drtopo_stack_add_import(imp, "pinned-elsewhere", NULL));
	ck_ok(m, drtopo_model_add_external(m, "pinned-elsewhere", R2));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT204 DRT204");
	ck_has(find(r, "DRT204", 1), "'pinned-elsewhere'");
	drtopo_result_free(r);
	ck_ok(m, drtopo_model_add_external(m, "network-vpc-id", NULL));
	ck_ok(m, drtopo_model_add_external(m, "pinned-elsewhere", R1));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(duplicate_export)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R1),
		     *c = stack(m, "C", A1, R1);
	ck_ok(m, drtopo_stack_add_export(a, "vpc-id", NULL));
	ck_ok(m, drtopo_stack_add_export(a, "vpc-id", NULL));
	ck_ok(m, drtopo_stack_add_export(b, "vpc-id", NULL));
	ck_ok(m, drtopo_stack_add_export(c, "vpc-id", NULL));
	/* Other places: no collision. */
	ck_ok(m,
	      drtopo_stack_add_export(stack(m, "D", A1, R2), "vpc-id", NULL));
	ck_ok(m,
	      drtopo_stack_add_export(stack(m, "E", A2, R1), "vpc-id", NULL));
	ck_ok(m,
	      drtopo_stack_add_export(stack(m, "F", NULL, R1), "vpc-id", NULL));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT205");
	const drtopo_diagnostic *d = find(r, "DRT205", 0);
	ck_has(d, "stacks A and B and 1 more stack");
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "B");
	ck_related(d, 0, "A", NULL);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT206 -------------------------------------------------------- */

START_TEST(stack_output_without_dependency)
{
	drtopo_model *m = model();
	drtopo_stack *c = stack(m, "Consumer", A1, R1),
		     *p = stack(m, "Producer", A1, R1);
	ck_ok(m, drtopo_stack_set_name(p, NULL, "producer-stack"));
	ck_ok(m, drtopo_stack_add_output_read(c, "producer-stack", "A", NULL,
					      NULL));
	ck_ok(m, drtopo_stack_add_output_read(c, "Producer", "B", NULL, NULL));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT206");
	const drtopo_diagnostic *d = find(r, "DRT206", 0);
	ck_assert_int_eq(drtopo_diagnostic_severity(d),
			 DRTOPO_SEVERITY_WARNING);
	ck_has(d, "(and 1 more output)");
	drtopo_result_free(r);
	/* A path through a third stack orders it. */
	drtopo_stack *mid = stack(m, "Mid", A1, R2);
	dep(c, mid);
	dep(mid, p);
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT301 - DRT304 ----------------------------------------------- */

START_TEST(parameter_not_found)
{
	drtopo_model *m = model();
	drtopo_stack *s = stack(m, "S", A1, R1);
	read_p(s, "/dr/dev/db-endpoint", NULL);
	read_p(s, "/dr/dev/db-endpoint", NULL); /* one problem */
	read_p(s,
	       "/aws/service/ami-amazon-linux-latest/"
	       "al2023-ami-kernel-default-x86_64",
	       NULL);
	read_p(s, "/cdk-bootstrap/hnb659fds/version", NULL);
	read_p(s, "/ext/anywhere", NULL);
	read_p(s, "/ext/pinned", R2);
	ck_ok(m, drtopo_model_add_external(m, "/ext/anywhere", NULL));
	ck_ok(m, drtopo_model_add_external(m, "/ext/pinned", R2));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT301");
	const drtopo_diagnostic *d = find(r, "DRT301", 0);
	ck_assert_int_eq(drtopo_diagnostic_severity(d),
			 DRTOPO_SEVERITY_WARNING);
	ck_has(d, "'/dr/dev/db-endpoint' in " R1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(parameter_both_regions)
{
	/* Written in both regions, read in each: fine; a reader in a third
	 * region: DRT302. */
	drtopo_model *m = model();
	drtopo_stack *w1 = stack(m, "W1", A1, R1), *w2 = stack(m, "W2", A1, R2);
	drtopo_stack *r1 = stack(m, "R1", A1, R1), *r2 = stack(m, "R2", A1, R2);
	write_p(w1, "/shared", NULL);
	write_p(w2, "/shared", NULL);
	read_p(r1, "/shared", NULL);
	read_p(r2, "/shared", NULL);
	dep(r1, w1);
	dep(r2, w2);
	EXPECT(m, "");
	drtopo_stack *r3 = stack(m, "R3", A1, R3);
	read_p(r3, "/shared", NULL);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT302");
	const drtopo_diagnostic *d = find(r, "DRT302", 0);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "R3");
	ck_has(d, "in " R3);
	ck_related(d, 0, "W1", NULL);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(parameter_cross_region_reader)
{
	/* An explicit cross-region reader reads where it says. */
	drtopo_model *m = model();
	drtopo_stack *w = stack(m, "W", A1, R2), *s = stack(m, "S", A1, R1);
	write_p(w, "/dr/dev/alb-dns/us-east-2", NULL);
	read_p(s, "/dr/dev/alb-dns/us-east-2", R2);
	dep(s, w);
	EXPECT(m, "");
	/* ... and naming the wrong region is DRT302, unless the name is
	 * declared written there outside the input. */
	read_p(s, "/dr/dev/alb-dns/us-east-2", R3);
	EXPECT(m, "DRT302");
	ck_ok(m, drtopo_model_add_external(m, "/dr/dev/alb-dns/us-east-2", R3));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(parameter_other_account)
{
	drtopo_model *m = model();
	drtopo_stack *w = stack(m, "W", A2, R1), *s = stack(m, "S", A1, R1);
	write_p(w, "/p", NULL);
	read_p(s, "/p", NULL);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT302");
	ck_has(find(r, "DRT302", 0), "only in another account");
	drtopo_result_free(r);
	drtopo_model_free(m);
	/* An unknown account matches any. */
	m = model();
	w = stack(m, "W", A2, R1);
	s = stack(m, "S", NULL, R1);
	write_p(w, "/p", NULL);
	read_p(s, "/p", NULL);
	dep(s, w);
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(parameter_read_before_write)
{
	drtopo_model *m = model();
	drtopo_stack *w = stack(m, "W", A1, R2), *s = stack(m, "S", A1, R1);
	write_p(w, "/cdk/exports/S/a", R1);
	write_p(w, "/cdk/exports/S/b", R1);
	read_p(s, "/cdk/exports/S/a", NULL);
	read_p(s, "/cdk/exports/S/b", NULL);
	drtopo_result *r = check(m);
	/* The parameter edge orders the plan, but is not a declared
	 * dependency: the deploy tool does not enforce it. */
	ck_assert_str_eq(codes(r), "DRT303");
	const drtopo_diagnostic *d = find(r, "DRT303", 0);
	ck_has(d, "(and 1 more parameter)");
	ck_has(d, "written there by stack W");
	ck_related(d, 0, "W", NULL);
	drtopo_result_free(r);
	/* A declared path through another stack. */
	drtopo_stack *mid = stack(m, "Mid", A1, R1);
	dep(s, mid);
	ref(thing(mid, "Fn"), thing(w, "Fn"), NULL);
	EXPECT(m, "DRT201");
	drtopo_model_free(m);
}
END_TEST

START_TEST(duplicate_parameter_writer)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	write_p(a, "/dr/dev/alb-dns/us-east-1", NULL);
	write_p(a, "/dr/dev/alb-dns/us-east-1", NULL); /* one stack */
	write_p(b, "/dr/dev/alb-dns/us-east-1", NULL); /* another region */
	write_p(stack(m, "C", A2, R1), "/dr/dev/alb-dns/us-east-1", NULL);
	write_p(stack(m, "D", NULL, R1), "/dr/dev/alb-dns/us-east-1", NULL);
	EXPECT(m, "");
	/* Written into us-east-1 from us-east-2: a collision with A. */
	write_p(b, "/dr/dev/alb-dns/us-east-1", R1);
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT304");
	const drtopo_diagnostic *d = find(r, "DRT304", 0);
	ck_has(d, "region " R1 " by stacks A and B:");
	ck_assert_str_eq(drtopo_diagnostic_region(d), R1);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT401 - DRT407 ----------------------------------------------- */

/* A global table in A (us-east-1) with a CMK and replicas. */
static drtopo_resource *cmk_table(drtopo_model *m, drtopo_stack *s)
{
	drtopo_resource *t = global_table(s, "Table", "sessions");
	ck_ok(m, drtopo_resource_set_cmk_arn(
			 t, "arn:aws:kms:us-east-1:111111111111:key/own"));
	return t;
}

START_TEST(replica_key_missing)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *t = cmk_table(m, a);
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_add_replica(t, R3));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R3, "arn:aws:kms:us-west-2:111111111111:key/k3"));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT401");
	ck_assert_str_eq(drtopo_diagnostic_region(find(r, "DRT401", 0)), R2);
	drtopo_result_free(r);
	ck_ok(m, drtopo_resource_set_replica_key_parameter(t, R2, "/k", R2));
	read_p(a, "/k", R2);
	write_p(stack(m, "K", A1, R2), "/k", NULL);
	dep(a, drtopo_model_stack_at(m, 1));
	EXPECT(m, "");
	drtopo_model_free(m);
	/* Without a customer-managed key no replica key is needed. */
	m = model();
	t = global_table(stack(m, "A", A1, R1), "Table", "sessions");
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(replica_key_for_table_region)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *t = cmk_table(m, a);
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R2, "arn:aws:kms:us-east-2:111111111111:key/k2"));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R1, "arn:aws:kms:us-east-1:111111111111:key/k1"));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT402");
	ck_assert_str_eq(drtopo_diagnostic_region(find(r, "DRT402", 0)), R1);
	drtopo_result_free(r);
	drtopo_model_free(m);
	/* CloudFormation form: the own region is a replica with its key. */
	m = model();
	a = stack(m, "A", A1, R1);
	t = cmk_table(m, a);
	dt_table_get(t)->cfn_replicas = 1;
	ck_ok(m, drtopo_resource_add_replica(t, R1));
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R1, "arn:aws:kms:us-east-1:111111111111:key/k1"));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R2, "arn:aws:kms:us-east-2:111111111111:key/k2"));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(replica_key_region_mismatch)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *t = cmk_table(m, a);
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R2, "arn:aws:kms:us-east-1:111111111111:key/abcd"));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT403");
	ck_has(find(r, "DRT403", 0), "a key in " R1);
	drtopo_result_free(r);
	/* Values whose region is unknown are never errors. */
	const char *unknown[] = {"mrk-1234abcd", "alias/dr-dev",
				 "1234abcd-12ab",
				 "arn:aws:kms::111111111111:key/x"};
	for (size_t i = 0; i < DT_ARRAY_LEN(unknown); i++) {
		ck_ok(m,
		      drtopo_resource_set_replica_key_arn(t, R2, unknown[i]));
		EXPECT(m, "");
	}
	ck_ok(m, drtopo_resource_set_replica_key_parameter(t, R2, "/k", NULL));
	write_p(a, "/k", NULL);
	read_p(a, "/k", NULL);
	EXPECT(m, "");
	/* A multi-Region replica key: the ARN's region is where it is. */
	ck_ok(m,
	      drtopo_resource_set_replica_key_arn(
		      t, R2, "arn:aws:kms:us-east-2:111111111111:key/mrk-1"));
	EXPECT(m, "");
	/* A key resource of a stack in another region. */
	drtopo_stack *k = stack(m, "K", A1, R3);
	ck_ok(m, drtopo_resource_set_replica_key(
			 t, R2, res(k, "Key", "AWS::KMS::Key", NULL)));
	dep(a, k);
	r = check(m);
	ck_assert_str_eq(codes(r), "DRT403");
	ck_has(find(r, "DRT403", 0), "key K/Key of stack K in " R3);
	ck_related(find(r, "DRT403", 0), 0, "K", "Key");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(replica_key_other_partition)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, "cn-north-1");
	drtopo_resource *t = global_table(a, "Table", "sessions");
	ck_ok(m, drtopo_resource_set_cmk_arn(
			 t, "arn:aws-cn:kms:cn-north-1:111111111111:key/own"));
	ck_ok(m, drtopo_resource_add_replica(t, "cn-northwest-1"));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, "cn-northwest-1",
			 "arn:aws-cn:kms:cn-northwest-1:111111111111:key/k"));
	EXPECT(m, "");
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, "cn-northwest-1",
			 "arn:aws-cn:kms:cn-north-1:111111111111:key/k"));
	EXPECT(m, "DRT403");
	drtopo_stack *g = stack(m, "G", A1, "us-gov-west-1");
	drtopo_resource *gt = global_table(g, "Table", "gov");
	ck_ok(m, drtopo_resource_set_cmk_arn(gt, "alias/gov"));
	ck_ok(m, drtopo_resource_add_replica(gt, "us-gov-east-1"));
	ck_ok(m,
	      drtopo_resource_set_replica_key_arn(
		      gt, "us-gov-east-1",
		      "arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/k"));
	EXPECT(m, "DRT403 DRT403");
	drtopo_model_free(m);
}
END_TEST

START_TEST(replica_key_without_replica)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *t = cmk_table(m, a);
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R2, "arn:aws:kms:us-east-2:111111111111:key/k2"));
	EXPECT(m, "");
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R3, "arn:aws:kms:us-west-2:111111111111:key/k3"));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT404");
	const drtopo_diagnostic *d = find(r, "DRT404", 0);
	ck_assert_int_eq(drtopo_diagnostic_severity(d),
			 DRTOPO_SEVERITY_WARNING);
	ck_assert_str_eq(drtopo_diagnostic_region(d), R3);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(invalid_replica_region_repeat)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *t = cmk_table(m, a);
	for (int i = 0; i < 3; i++)
		ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_add_replica(t, R3));
	ck_ok(m, drtopo_resource_add_replica(t, R3));
	/* One DRT405 per repeated region, one DRT401 per missing key. */
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT401 DRT401 DRT405 DRT405");
	ck_has(find(r, "DRT405", 0), "lists replica region " R2 " 3 times");
	ck_has(find(r, "DRT405", 1), "lists replica region " R3 " 2 times");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(invalid_replica_region_own)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *t = global_table(a, "Table", "sessions");
	ck_ok(m, drtopo_resource_add_replica(t, R1));
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	EXPECT(m, "DRT405");
	drtopo_model_free(m);
	/* The legacy form: a Custom::DynamoDBReplica in the own region. */
	m = model();
	a = stack(m, "A", A1, R1);
	t = res(a, "Table", "AWS::DynamoDB::Table", "sessions");
	drtopo_resource *rep =
		res(a, "TableReplicauseast1", "Custom::DynamoDBReplica", NULL);
	ck_ok(m, dt_table_add_replica(t, R1, rep, NULL));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT405");
	ck_has(find(r, "DRT405", 0),
	       "Custom::DynamoDBReplica A/TableReplicauseast1");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(invalid_replica_region_cfn)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *t = global_table(a, "Table", "sessions");
	dt_table_get(t)->cfn_replicas = 1;
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT405");
	ck_has(find(r, "DRT405", 0), "without an entry for its own region");
	drtopo_result_free(r);
	ck_ok(m, drtopo_resource_add_replica(t, R1));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

START_TEST(table_name_collision)
{
	/* Accounts: different known ones never collide; a known and an
	 * unknown one are not known to be one. */
	drtopo_model *m = model();
	drtopo_resource *g = global_table(stack(m, "P", A1, R1), "Table", "s");
	ck_ok(m, drtopo_resource_add_replica(g, R2));
	res(stack(m, "Other", A2, R2), "Table", "AWS::DynamoDB::Table", "s");
	res(stack(m, "Unknown", NULL, R2), "Table", "AWS::DynamoDB::Table",
	    "s");
	res(stack(m, "Region3", A1, R3), "Table", "AWS::DynamoDB::Table", "s");
	res(stack(m, "OtherName", A1, R2), "Table", "AWS::DynamoDB::Table",
	    "t");
	res(stack(m, "NoName", A1, R2), "Table", "AWS::DynamoDB::Table", NULL);
	EXPECT(m, "");
	/* Two more holders of s in (A1, us-east-2): one finding each. */
	drtopo_stack *s2 = stack(m, "S2", A1, R2);
	res(s2, "Table", "AWS::DynamoDB::Table", "s");
	drtopo_resource *g3 =
		global_table(stack(m, "S3", A1, R3), "Table", "s");
	ck_ok(m, drtopo_resource_add_replica(g3, R2));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT406 DRT406 DRT406");
	/* S3's table is also in us-west-2 with Region3's table. */
	ck_has(find(r, "DRT406", 0), "by the " R2 " replica of table P/Table "
				     "and by table S2/Table");
	ck_related(find(r, "DRT406", 0), 0, "P", "Table");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(table_name_collision_legacy)
{
	drtopo_model *m = model();
	drtopo_stack *p = stack(m, "P", A1, R1);
	drtopo_resource *t = res(p, "Table", "AWS::DynamoDB::Table", "s");
	drtopo_resource *rep =
		res(p, "TableReplicauseast2", "Custom::DynamoDBReplica", NULL);
	ck_ok(m, dt_table_add_replica(t, R2, rep, &LOC));
	res(stack(m, "Q", A1, R2), "Table", "AWS::DynamoDB::GlobalTable", "s");
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT406");
	const drtopo_diagnostic *d = find(r, "DRT406", 0);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "Q");
	ck_has(d, "the " R2 " replica of table P/Table");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(replica_key_not_ordered)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "Storage", A1, R1),
		     *k = stack(m, "Kms", A1, R2);
	drtopo_resource *t = cmk_table(m, a);
	drtopo_resource *key = res(k, "Key", "AWS::KMS::Key", NULL);
	drtopo_resource *key2 = res(k, "Key2", "AWS::KMS::Key", NULL);
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m, drtopo_resource_add_replica(t, "us-east-3"));
	ck_ok(m, drtopo_resource_set_replica_key(t, R2, key));
	ck_ok(m, drtopo_resource_set_replica_key(t, "us-east-3", key2));
	drtopo_result *r = check(m);
	/* One finding per (table, key stack); us-east-3's key is in the
	 * wrong region too. */
	ck_assert_str_eq(codes(r), "DRT403 DRT407");
	const drtopo_diagnostic *d = find(r, "DRT407", 0);
	ck_has(d, "key Kms/Key of stack Kms");
	ck_related(d, 0, "Kms", "Key");
	drtopo_result_free(r);
	dep(a, k);
	EXPECT(m, "DRT403");
	drtopo_model_free(m);
}
END_TEST

/* A replica key given as literal text (key ARN, alias ARN, alias/NAME,
 * key id) is followed to the alias or key of the model that it names in
 * the replica's account and region; text that names nothing the model
 * creates there never fires. */
START_TEST(replica_key_literal_not_ordered)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "Storage", A1, R1),
		     *k = stack(m, "Kms", A1, R2);
	drtopo_resource *t = cmk_table(m, a);
	res(k, "Alias", "AWS::KMS::Alias", "alias/dr");
	res(k, "Key", "AWS::KMS::Key", "1234abcd");
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	static const char *const quiet[] = {
		/* another account, an alias nobody creates, a key id
		 * nobody names, a key of the wrong name kind */
		"arn:aws:kms:us-east-2:222222222222:alias/dr",
		"arn:aws:kms:us-east-2:111111111111:alias/other",
		"arn:aws:kms:us-east-2:111111111111:key/5678",
		"arn:aws:kms:us-east-2:111111111111:key/alias/dr",
		"alias/other",
		"5678",
		"arn:aws:sns:us-east-2:111111111111:alias/dr",
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(quiet); i++) {
		ck_ok(m, drtopo_resource_set_replica_key_arn(t, R2, quiet[i]));
		EXPECT(m, "");
	}
	/* the alias lives in us-east-2, the ARN says us-west-2: a region
	 * mismatch, and no alias of the model is named */
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R2, "arn:aws:kms:us-west-2:111111111111:alias/dr"));
	EXPECT(m, "DRT403");
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, R2, "arn:aws:kms:us-east-2:111111111111:alias/dr"));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT407");
	const drtopo_diagnostic *d = find(r, "DRT407", 0);
	ck_has(d, "is arn:aws:kms:us-east-2:111111111111:alias/dr, which "
		  "names AWS::KMS::Alias Kms/Alias of stack Kms");
	ck_related(d, 0, "Kms", "Alias");
	drtopo_result_free(r);
	static const char *const named[] = {
		"alias/dr",
		"arn:aws:kms:us-east-2:111111111111:key/1234abcd",
		"1234abcd",
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(named); i++) {
		ck_ok(m, drtopo_resource_set_replica_key_arn(t, R2, named[i]));
		EXPECT(m, "DRT407");
	}
	dep(a, k);
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT501 / DRT502 ----------------------------------------------- */

START_TEST(bucket_name_collision)
{
	drtopo_model *m = model();
	res(stack(m, "A", A1, R1), "Bucket", "AWS::S3::Bucket",
	    "dr-storage-dev");
	res(stack(m, "B", A2, R2), "Bucket", "AWS::S3::Bucket",
	    "dr-storage-dev-2");
	res(stack(m, "C", A1, R1), "Topic", "AWS::SNS::Topic",
	    "dr-storage-dev");
	EXPECT(m, "");
	res(stack(m, "D", A2, R2), "Bucket", "AWS::S3::Bucket",
	    "dr-storage-dev");
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT501");
	ck_assert_str_eq(drtopo_diagnostic_stack(find(r, "DRT501", 0)), "D");
	ck_related(find(r, "DRT501", 0), 0, "A", "Bucket");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(physical_name_collision)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2),
		     *c = stack(m, "C", A2, R2);
	/* Region-scoped names in two regions, one type's name in another
	 * type, other accounts, types with rules of their own. */
	res(a, "Logs", "AWS::Logs::LogGroup", "/dr/dev/operations");
	res(b, "Logs", "AWS::Logs::LogGroup", "/dr/dev/operations");
	res(a, "Topic", "AWS::SNS::Topic", "x");
	res(a, "Queue", "AWS::SQS::Queue", "x");
	res(a, "Role", "AWS::IAM::Role", "dr-app-role");
	res(c, "Role", "AWS::IAM::Role", "dr-app-role");
	res(a, "P", "AWS::SSM::Parameter", "/p");
	res(a, "P2", "AWS::SSM::Parameter", "/p");
	res(a, "T", "AWS::DynamoDB::Table", "t");
	res(a, "T2", "AWS::DynamoDB::Table", "t");
	EXPECT(m, "DRT406");
	/* An IAM name is account-wide; a log group name is regional. */
	res(b, "Role", "AWS::IAM::Role", "dr-app-role");
	res(b, "Logs2", "AWS::Logs::LogGroup", "/dr/dev/operations");
	res(b, "Dash", "AWS::CloudWatch::Dashboard", "dr");
	res(a, "Dash", "AWS::CloudWatch::Dashboard", "dr");
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT406 DRT502 DRT502 DRT502");
	/* Model order (stacks, then their resources) decides the first. */
	const drtopo_diagnostic *d = find(r, "DRT502", 0);
	ck_assert_str_eq(drtopo_diagnostic_stack(d), "B");
	ck_has(d,
	       "AWS::CloudWatch::Dashboard B/Dash is named 'dr' like A/Dash");
	ck_has(d, "across all regions");
	ck_has(find(r, "DRT502", 1), "region " R2 ": the name is unique per "
				     "account and region");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- severities ---------------------------------------------------- */

START_TEST(rule_turned_off)
{
	drtopo_model *m = dt_seed_build(DT_SEED_MODEL_RESPONSE);
	ck_ok(m,
	      drtopo_model_set_rule_severity(m, "DRT201", DRTOPO_SEVERITY_OFF));
	ck_ok(m, drtopo_model_set_rule_severity(m, "DRT406",
						DRTOPO_SEVERITY_WARNING));
	drtopo_result *r = check(m);
	ck_assert_str_eq(codes(r), "DRT401 DRT406");
	/* DRT406 and the seed's DRT605 */
	ck_assert_uint_eq(drtopo_result_count(r, DRTOPO_SEVERITY_WARNING), 2);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- hostile shapes: linear, not quadratic ------------------------- */

#define BIG 100000

static drtopo_stack *nth_stack(drtopo_model *m, const char *prefix, int i,
			       const char *account, const char *region)
{
	char id[64];
	snprintf(id, sizeof(id), "%s%06d", prefix, i);
	return stack(m, id, account, region);
}

START_TEST(many_readers_one_parameter)
{
	drtopo_model *m = model();
	drtopo_stack *w = stack(m, "Writer", A1, R1);
	write_p(w, "/hot", NULL);
	for (int i = 0; i < BIG; i++) {
		drtopo_stack *s = nth_stack(m, "R", i, A1, i % 2 ? R1 : R2);
		read_p(s, "/hot", NULL);
		if (i % 4 == 1)
			dep(s, w);
	}
	drtopo_result *r = check(m);
	/* Half read in us-east-2 (DRT302), half of the rest are unordered
	 * (DRT303). */
	ck_assert_uint_eq(count(r, "DRT302"), BIG / 2);
	ck_assert_uint_eq(count(r, "DRT303"), BIG / 4);
	ck_assert_uint_eq(drtopo_result_diagnostic_count(r), BIG / 2 + BIG / 4);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(many_writers_one_name)
{
	drtopo_model *m = model();
	for (int i = 0; i < BIG; i++) {
		drtopo_stack *s = nth_stack(m, "W", i, A1, R1);
		write_p(s, "/hot", NULL);
		ck_ok(m, drtopo_stack_add_export(s, "hot-export", NULL));
		res(s, "Bucket", "AWS::S3::Bucket", "hot-bucket");
		res(s, "Table", "AWS::DynamoDB::Table", "hot-table");
	}
	/* Readers in another region and account, and in the writers' own
	 * place: the resolver and the rules meet the first writer. */
	for (int i = 0; i < BIG; i++) {
		drtopo_stack *s =
			nth_stack(m, "R", i, i % 2 ? A2 : A1, i % 2 ? R1 : R2);
		read_p(s, "/hot", NULL);
	}
	drtopo_result *r = check(m);
	ck_assert_uint_eq(count(r, "DRT304"), 1);
	ck_assert_uint_eq(count(r, "DRT205"), 1);
	ck_assert_uint_eq(count(r, "DRT302"), BIG);
	ck_assert_uint_eq(count(r, "DRT501"), BIG - 1);
	ck_assert_uint_eq(count(r, "DRT406"), BIG - 1);
	const drtopo_diagnostic *d = find(r, "DRT304", 0);
	ck_has(d, "by stacks W000000 and W000001 and 99998 more stacks");
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(many_importers)
{
	/* Imports of a name exported once, in another region. */
	drtopo_model *m = model();
	ck_ok(m, drtopo_stack_add_export(stack(m, "Ex", A1, R2), "x", NULL));
	for (int i = 0; i < BIG; i++) {
		drtopo_stack *s = nth_stack(m, "I", i, A1, R1);
		ck_ok(m, drtopo_stack_add_import(s, i % 2 ? "x" : "y", NULL));
	}
	drtopo_result *r = check(m);
	ck_assert_uint_eq(count(r, "DRT203"), BIG / 2);
	ck_assert_uint_eq(count(r, "DRT204"), BIG / 2);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(many_cross_region_references)
{
	/* One producer referenced from many consumers in another region,
	 * half of them with a carrier: each pair costs the shorter list. */
	drtopo_model *m = model();
	drtopo_stack *p = stack(m, "Producer", A1, R2);
	drtopo_resource *key = res(p, "Key", "AWS::KMS::Key", NULL);
	char name[64];
	for (int i = 0; i < BIG / 2; i++) {
		drtopo_stack *s = nth_stack(m, "C", i, A1, R1);
		ref(thing(s, "Fn"), key, "Arn");
		if (i % 2)
			continue;
		snprintf(name, sizeof(name), "/cdk/exports/C%06d/k", i);
		write_p(p, name, R1);
		read_p(s, name, NULL);
	}
	drtopo_result *r = check(m);
	ck_assert_uint_eq(count(r, "DRT201"), BIG / 4);
	/* and, under the loss of us-east-2, each consumer (DRT611) */
	ck_assert_uint_eq(count(r, "DRT611"), BIG / 2);
	ck_assert_uint_eq(drtopo_result_diagnostic_count(r),
			  BIG / 4 + BIG / 2 + 1 /* DRT601: Key */);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

START_TEST(many_replicas)
{
	drtopo_model *m = model();
	drtopo_resource *t = cmk_table(m, stack(m, "A", A1, R1));
	char region[32];
	for (int i = 0; i < BIG; i++) {
		snprintf(region, sizeof(region), "xx-test-%d", i);
		ck_ok(m, drtopo_resource_add_replica(t, region));
		if (i % 2)
			ck_ok(m, drtopo_resource_add_replica(t, region));
	}
	drtopo_result *r = check(m);
	ck_assert_uint_eq(count(r, "DRT401"), BIG);
	ck_assert_uint_eq(count(r, "DRT405"), BIG / 2);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

/* ---- explanations and drtopo-rules(7) ------------------------------ */

/* Collapse runs of white space to one space. */
static void squeeze(char *s)
{
	char *w = s;
	int space = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *s;
	}
	*w = '\0';
}

/* The running text of an mdoc page: text lines joined, macro lines and
 * the \& escape dropped. */
static char *man_text(const char *path)
{
	char *src = dt_test_slurp(path, NULL);
	ck_assert_msg(src != NULL, "cannot read %s", path);
	char *out = malloc(strlen(src) + 2), *w = out;
	for (char *line = strtok(src, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '.')
			continue;
		for (const char *p = line; *p; p++) {
			if (p[0] == '\\' && p[1] == '&') {
				p++;
				continue;
			}
			*w++ = *p;
		}
		*w++ = ' ';
	}
	*w = '\0';
	free(src);
	squeeze(out);
	return out;
}

START_TEST(explanations_match_man_page)
{
	/* DRT1xx-DRT5xx: drtopo-rules(7); DRT6xx (posture): drtopo-posture(7),
	 * whose explanations say why a finding defeats recovery. */
	char *man = man_text(dt_test_data("../../man/drtopo-rules.7"));
	char *raw =
		dt_test_slurp(dt_test_data("../../man/drtopo-rules.7"), NULL);
	char *pman = man_text(dt_test_data("../../man/drtopo-posture.7"));
	char *praw =
		dt_test_slurp(dt_test_data("../../man/drtopo-posture.7"), NULL);
	ck_assert_uint_eq(drtopo_rule_count(), 34);
	for (size_t i = 0; i < drtopo_rule_count(); i++) {
		const drtopo_rule *rule = drtopo_rule_at(i);
		const char *x = drtopo_rule_explanation(rule);
		const char *code = drtopo_rule_code(rule);
		int posture = strncmp(code, "DRT6", 4) == 0;
		const char *page = posture ? pman : man;
		const char *why = posture ? "\n\nWhy it defeats recovery: "
					  : "\n\nWhy it breaks a deploy: ";
		char sec[32];
		snprintf(sec, sizeof(sec), "\n.Ss %s\n", code);
		ck_assert_msg(strstr(posture ? praw : raw, sec),
			      "no section %s in %s", sec,
			      posture ? "drtopo-posture.7" : "drtopo-rules.7");
		ck_assert_msg(strstr(x, "What it checks: ") == x &&
				      strstr(x, why) &&
				      strstr(x, "\n\nHow to fix: ") &&
				      strstr(x, "\n\nExample:\n"),
			      "%s: explanation lacks a part", code);
		/* Each paragraph appears in the page as it is. */
		char *copy = strdup(x);
		for (char *p = copy, *next; p; p = next) {
			next = strstr(p, "\n\n");
			if (next) {
				*next = '\0';
				next += 2;
			}
			squeeze(p);
			ck_assert_msg(strstr(page, p),
				      "%s: not in the man page: %s", code, p);
		}
		free(copy);
	}
	free(praw);
	free(pman);
	free(raw);
	free(man);
}
END_TEST

/* ---- suite --------------------------------------------------------- */

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("seed");
	tcase_add_test(tc, seed_model_response);
	tcase_add_test(tc, seed_ideal_response);
	tcase_add_test(tc, seed_fixed);
	tcase_add_test(tc, seed_deterministic);
	tcase_add_test(tc, rule_turned_off);
	suite_add_tcase(s, tc);

	tc = tcase_create("graph");
	tcase_add_test(tc, cycle_three_reasons);
	tcase_add_test(tc, cycle_one_per_component);
	tcase_add_test(tc, cycle_location_from_file);
	tcase_add_test(tc, no_cycle_chain);
	tcase_add_test(tc, unknown_targets);
	tcase_add_test(tc, known_targets_by_name);
	tcase_add_test(tc, agnostic_wired_to_explicit);
	tcase_add_test(tc, agnostic_only_to_each_other);
	tcase_add_test(tc, unknown_account_known_regions);
	tcase_add_test(tc, agnostic_table_with_replicas);
	tcase_add_test(tc, agnostic_imports_and_keys);
	tcase_add_test(tc, agnostic_parameters);
	suite_add_tcase(s, tc);

	tc = tcase_create("boundaries");
	tcase_add_test(tc, cross_region_reference);
	tcase_add_test(tc, cross_region_carriers);
	tcase_add_test(tc, same_region_reference);
	tcase_add_test(tc, cross_account_reference);
	tcase_add_test(tc, export_region_mismatch);
	tcase_add_test(tc, missing_export);
	tcase_add_test(tc, duplicate_export);
	tcase_add_test(tc, stack_output_without_dependency);
	suite_add_tcase(s, tc);

	tc = tcase_create("params");
	tcase_add_test(tc, parameter_not_found);
	tcase_add_test(tc, parameter_both_regions);
	tcase_add_test(tc, parameter_cross_region_reader);
	tcase_add_test(tc, parameter_other_account);
	tcase_add_test(tc, parameter_read_before_write);
	tcase_add_test(tc, duplicate_parameter_writer);
	suite_add_tcase(s, tc);

	tc = tcase_create("tables");
	tcase_add_test(tc, replica_key_missing);
	tcase_add_test(tc, replica_key_for_table_region);
	tcase_add_test(tc, replica_key_region_mismatch);
	tcase_add_test(tc, replica_key_other_partition);
	tcase_add_test(tc, replica_key_without_replica);
	tcase_add_test(tc, invalid_replica_region_repeat);
	tcase_add_test(tc, invalid_replica_region_own);
	tcase_add_test(tc, invalid_replica_region_cfn);
	tcase_add_test(tc, table_name_collision);
	tcase_add_test(tc, table_name_collision_legacy);
	tcase_add_test(tc, replica_key_not_ordered);
	tcase_add_test(tc, replica_key_literal_not_ordered);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, bucket_name_collision);
	tcase_add_test(tc, physical_name_collision);
	suite_add_tcase(s, tc);

	tc = tcase_create("scale");
	tcase_add_test(tc, many_readers_one_parameter);
	tcase_add_test(tc, many_writers_one_name);
	tcase_add_test(tc, many_importers);
	tcase_add_test(tc, many_cross_region_references);
	tcase_add_test(tc, many_replicas);
	suite_add_tcase(s, tc);

	tc = tcase_create("docs");
	tcase_add_test(tc, explanations_match_man_page);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(rules_suite)
