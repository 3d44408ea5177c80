/*
 * Allocation failure, everywhere: every public entry point is run with the
 * allocator armed to fail at its n-th allocation, for n = 1, 2, ... until
 * the call succeeds without a failure. Each failure must return
 * DRTOPO_ENOMEM, leave the out-parameters untouched, and leave the model
 * usable (resolving it afterwards gives the report of a clean run) or
 * cleanly freeable. Leaks: run under valgrind (meson test --setup valgrind)
 * or in an ASan build (LeakSanitizer).
 *
 * Built against a copy of the internal archive compiled with
 * DRTOPO_FAULT_INJECTION (tests/meson.build), so it runs in every build.
 * jansson's allocations go through dt_malloc too (json_set_alloc_funcs,
 * here in the harness only: the library never changes jansson's global
 * allocator).
 */
#include <dirent.h>
#include <jansson.h>

#include "testutil.h"
#include "util/util.h"

#define SENTINEL_PTR ((void *)(uintptr_t)0x5eed)
#define SENTINEL_LEN ((size_t)0xdeadbeef)

/* Upper bound on the n loop: a call that never stops allocating is a bug. */
#define OOM_MAX_N 200000ul

/* jansson 2.14 reports some allocation failures as syntax errors (a key
 * or a token it could not copy: "string or '}' expected"); the library
 * cannot tell those from bad input. When one of jansson's own allocations
 * failed, DRTOPO_EPARSE is accepted as well as DRTOPO_ENOMEM. */
static int g_jansson_failed;

static void *j_malloc(size_t n)
{
	void *p = dt_malloc(n);
	if (!p)
		g_jansson_failed = 1;
	return p;
}

static void j_free(void *p)
{
	dt_free(p);
}

/* ---- the fault-retrying wrappers used by the builders -------------- */

/* While a builder runs, the allocator is armed once. The call that meets
 * the failure must return DRTOPO_ENOMEM with its out-parameter untouched;
 * the wrapper then disarms and repeats the call, which must now succeed
 * exactly as if nothing had happened. A model built this way must give
 * the same report as a clean build: so a failed call left no trace. */
static int g_armed;
static unsigned long g_failures;

static int oom_failed(int rc)
{
	if (rc == DRTOPO_OK || !g_armed || !dt_fault_fired())
		return 0;
	ck_assert_msg(rc == DRTOPO_ENOMEM,
		      "allocation failure reported as %d (%s), not ENOMEM", rc,
		      drtopo_strerror(rc));
	dt_fault_disarm();
	g_armed = 0;
	g_failures++;
	return 1;
}

#define RETRY(call)                                 \
	do {                                        \
		for (;;) {                          \
			rc = (call);                \
			if (!oom_failed(rc))        \
				break;              \
			ck_assert(OUT_UNTOUCHED()); \
		}                                   \
	} while (0)

#define OUT_UNTOUCHED() 1
static int w_model_new(drtopo_model **out)
{
	drtopo_model *before = *out;
	int rc;
	for (;;) {
		rc = drtopo_model_new(out);
		if (!oom_failed(rc))
			break;
		ck_assert(*out == before);
	}
	return rc;
}

static int w_model_add_stack(drtopo_model *m, const char *id, const char *a,
			     const char *r, drtopo_stack **out)
{
	drtopo_stack *before = out ? *out : NULL;
	int rc;
	for (;;) {
		rc = drtopo_model_add_stack(m, id, a, r, out);
		if (!oom_failed(rc))
			break;
		ck_assert(!out || *out == before);
		drtopo_stack *found = NULL;
		ck_assert_int_eq(drtopo_model_find_stack(m, id, &found),
				 DRTOPO_ENOTFOUND);
	}
	return rc;
}

static int w_stack_add_resource(drtopo_stack *s, const char *id,
				const char *type, const char *phys,
				drtopo_resource **out)
{
	drtopo_resource *before = out ? *out : NULL;
	int rc;
	for (;;) {
		rc = drtopo_stack_add_resource(s, id, type, phys, out);
		if (!oom_failed(rc))
			break;
		ck_assert(!out || *out == before);
		drtopo_resource *found = NULL;
		ck_assert_int_eq(drtopo_stack_find_resource(s, id, &found),
				 DRTOPO_ENOTFOUND);
	}
	return rc;
}

static int w_stack_write_parameter(drtopo_stack *s, const char *name,
				   const char *region, drtopo_resource *res,
				   drtopo_param **out)
{
	drtopo_param *before = out ? *out : NULL;
	int rc;
	for (;;) {
		rc = drtopo_stack_write_parameter(s, name, region, res, out);
		if (!oom_failed(rc))
			break;
		ck_assert(!out || *out == before);
	}
	return rc;
}

static int w_stack_read_parameter(drtopo_stack *s, const char *name,
				  const char *region, drtopo_resource *res,
				  drtopo_param **out)
{
	drtopo_param *before = out ? *out : NULL;
	int rc;
	for (;;) {
		rc = drtopo_stack_read_parameter(s, name, region, res, out);
		if (!oom_failed(rc))
			break;
		ck_assert(!out || *out == before);
	}
	return rc;
}

static int w_stack_add_dependency(drtopo_stack *a, drtopo_stack *b)
{
	int rc;
	RETRY(drtopo_stack_add_dependency(a, b));
	return rc;
}

static int w_resource_add_reference(drtopo_resource *c, drtopo_resource *p,
				    const char *attr)
{
	int rc;
	RETRY(drtopo_resource_add_reference(c, p, attr));
	return rc;
}

static int w_param_set_value_resource(drtopo_param *p, drtopo_resource *v,
				      const char *attr)
{
	int rc;
	RETRY(drtopo_param_set_value_resource(p, v, attr));
	return rc;
}

static int w_resource_add_replica(drtopo_resource *t, const char *region)
{
	int rc;
	RETRY(drtopo_resource_add_replica(t, region));
	return rc;
}

static int w_resource_set_cmk(drtopo_resource *t, drtopo_resource *k)
{
	int rc;
	RETRY(drtopo_resource_set_cmk(t, k));
	return rc;
}

static int w_resource_set_replica_key(drtopo_resource *t, const char *region,
				      drtopo_resource *k)
{
	int rc;
	RETRY(drtopo_resource_set_replica_key(t, region, k));
	return rc;
}

static int w_resource_set_replica_key_parameter(drtopo_resource *t,
						const char *region,
						const char *name,
						const char *pregion)
{
	int rc;
	RETRY(drtopo_resource_set_replica_key_parameter(t, region, name,
							pregion));
	return rc;
}

/* The seed builder, every call through the wrappers above. */
#define drtopo_model_new(o) w_model_new(o)
#define drtopo_model_add_stack(m, i, a, r, o) w_model_add_stack(m, i, a, r, o)
#define drtopo_stack_add_resource(s, i, t, p, o) \
	w_stack_add_resource(s, i, t, p, o)
#define drtopo_stack_write_parameter(s, n, r, x, o) \
	w_stack_write_parameter(s, n, r, x, o)
#define drtopo_stack_read_parameter(s, n, r, x, o) \
	w_stack_read_parameter(s, n, r, x, o)
#define drtopo_stack_add_dependency(a, b) w_stack_add_dependency(a, b)
#define drtopo_resource_add_reference(c, p, a) w_resource_add_reference(c, p, a)
#define drtopo_param_set_value_resource(p, v, a) \
	w_param_set_value_resource(p, v, a)
#define drtopo_resource_add_replica(t, r) w_resource_add_replica(t, r)
#define drtopo_resource_set_cmk(t, k) w_resource_set_cmk(t, k)
#define drtopo_resource_set_replica_key(t, r, k) \
	w_resource_set_replica_key(t, r, k)
#define drtopo_resource_set_replica_key_parameter(t, r, n, p) \
	w_resource_set_replica_key_parameter(t, r, n, p)
#include "seed.h"
#undef drtopo_model_new
#undef drtopo_model_add_stack
#undef drtopo_stack_add_resource
#undef drtopo_stack_write_parameter
#undef drtopo_stack_read_parameter
#undef drtopo_stack_add_dependency
#undef drtopo_resource_add_reference
#undef drtopo_param_set_value_resource
#undef drtopo_resource_add_replica
#undef drtopo_resource_set_cmk
#undef drtopo_resource_set_replica_key
#undef drtopo_resource_set_replica_key_parameter

/* The calls the seed does not make, through the same retry discipline. */
static int build_extras(drtopo_model *m)
{
	drtopo_stack *a = NULL, *b = NULL;
	drtopo_resource *t = NULL, *fn = NULL;
	drtopo_param *p = NULL;
	int rc;

	RETRY(drtopo_model_set_rule_severity(m, "DRT406",
					     DRTOPO_SEVERITY_WARNING));
	RETRY(drtopo_model_add_external(m, "/ext/param", "eu-west-1"));
	RETRY(drtopo_model_add_external(m, "Ext:Export", NULL));
	if ((rc = w_model_add_stack(m, "XA", "111111111111", "eu-west-1", &a)))
		return rc;
	if ((rc = w_model_add_stack(m, "XB", "222222222222", "eu-west-2", &b)))
		return rc;
	RETRY(drtopo_stack_set_name(a, "Stage/XA", "stage-xa"));
	if ((rc = w_stack_add_resource(a, "T", "AWS::DynamoDB::GlobalTable",
				       "xtable", &t)))
		return rc;
	if ((rc = w_stack_add_resource(b, "Fn", "AWS::Lambda::Function", NULL,
				       &fn)))
		return rc;
	RETRY(drtopo_stack_add_export(a, "XA:Table", t));
	RETRY(drtopo_stack_add_import(b, "XA:Table", fn));
	RETRY(drtopo_stack_add_import(b, "Missing:Export", fn));
	RETRY(drtopo_stack_add_output_read(b, "stage-xa", "TableArn",
					   "eu-west-1", fn));
	RETRY(drtopo_resource_add_replica(t, "eu-west-2"));
	RETRY(drtopo_resource_add_replica(t, "eu-central-1"));
	RETRY(drtopo_resource_set_cmk_arn(
		t, "arn:aws:kms:eu-west-1:111111111111:key/abc"));
	RETRY(drtopo_resource_set_replica_key_arn(
		t, "eu-west-2", "arn:aws:kms:eu-west-2:111111111111:key/def"));
	if ((rc = w_stack_write_parameter(a, "/x/text", "eu-west-2", t, &p)))
		return rc;
	RETRY(drtopo_param_set_value_text(p, "literal"));
	if ((rc = w_stack_read_parameter(b, "/x/text", NULL, fn, NULL)))
		return rc;
	return DRTOPO_OK;
}

/* ---- helpers ----------------------------------------------------- */

static char *report_of(drtopo_model *m)
{
	drtopo_result *r = NULL;
	char *a = NULL, *b = NULL, *out;
	size_t na = 0, nb = 0;
	ck_ok(m, drtopo_model_resolve(m, &r));
	ck_assert_int_eq(drtopo_result_to_json(r, &a, &na), DRTOPO_OK);
	ck_assert_int_eq(drtopo_model_to_json(m, &b, &nb), DRTOPO_OK);
	out = malloc(na + nb + 2);
	ck_assert_ptr_nonnull(out);
	memcpy(out, a, na);
	out[na] = '\n';
	memcpy(out + na + 1, b, nb + 1);
	drtopo_free(a);
	drtopo_free(b);
	drtopo_result_free(r);
	return out;
}

/* DT_OOM_VERBOSE=1: print how many allocations each call made. */
static void note(const char *what, unsigned long n)
{
	if (getenv("DT_OOM_VERBOSE"))
		fprintf(stderr, "oom: %s: %lu allocation points\n", what,
			n - 1);
}

static void arm(unsigned long n)
{
	ck_assert_msg(n < OOM_MAX_N, "still allocating after %lu", n);
	dt_fault_arm(n);
}

/* Arm, run, disarm: 1 when the allocator failed during the call. */
#define ARMED(n, stmt)                    \
	do {                              \
		arm(n);                   \
		stmt;                     \
		fired = dt_fault_fired(); \
		dt_fault_disarm();        \
	} while (0)

/* ---- model building ---------------------------------------------- */

static void oom_build(drtopo_model *(*build)(void), int extras)
{
	drtopo_model *clean = build();
	ck_assert_ptr_nonnull(clean);
	if (extras)
		ck_ok(clean, build_extras(clean));
	char *want = report_of(clean);
	drtopo_model_free(clean);

	for (unsigned long n = 1;; n++) {
		unsigned long before = g_failures;
		g_armed = 1;
		arm(n);
		drtopo_model *m = build();
		ck_assert_ptr_nonnull(m);
		if (extras)
			ck_ok(m, build_extras(m));
		dt_fault_disarm();
		/* armed to the end and no allocation failed: done */
		int done = g_armed && !dt_fault_fired();
		g_armed = 0;
		char *got = report_of(m);
		ck_assert_msg(
			strcmp(got, want) == 0,
			"n=%lu: a failed call left a trace:\n%s\n--- want\n%s",
			n, got, want);
		free(got);
		drtopo_model_free(m);
		if (done) {
			ck_assert_uint_eq(g_failures, before);
			note("build", n);
			break;
		}
	}
	free(want);
}

START_TEST(build_seed)
{
	oom_build(dt_seed_model_response, 0);
	oom_build(dt_seed_ideal_response, 0);
}
END_TEST

START_TEST(build_seed_extras)
{
	oom_build(dt_seed_fixed, 1);
}
END_TEST

START_TEST(model_new)
{
	for (unsigned long n = 1;; n++) {
		drtopo_model *m = SENTINEL_PTR;
		int rc, fired;
		ARMED(n, rc = drtopo_model_new(&m));
		if (!fired) {
			ck_assert_int_eq(rc, DRTOPO_OK);
			drtopo_model_free(m);
			note("drtopo_model_new", n);
			break;
		}
		ck_assert_int_eq(rc, DRTOPO_ENOMEM);
		ck_assert_ptr_eq(m, SENTINEL_PTR);
	}
}
END_TEST

/* ---- loaders ------------------------------------------------------ */

enum load_kind { L_BUFFER, L_DOCUMENT, L_ASSEMBLY, L_TEMPLATE, L_ANY };

static int do_load(drtopo_model *m, enum load_kind k, const char *path,
		   const char *buf, size_t len)
{
	switch (k) {
	case L_BUFFER:
		return drtopo_model_load_document_buffer(m, buf, len,
							 "doc.json");
	case L_DOCUMENT: return drtopo_model_load_document(m, path);
	case L_ASSEMBLY: return drtopo_model_load_assembly(m, path);
	case L_TEMPLATE:
		return drtopo_model_load_template(m, path, NULL, "123456789012",
						  "us-east-1");
	default: return drtopo_model_load(m, path, NULL, "us-west-2");
	}
}

static void oom_load(enum load_kind k, const char *rel)
{
	char path[4096];
	size_t len = 0;
	char *buf = NULL;
	snprintf(path, sizeof(path), "%s", dt_test_data(rel));
	if (k == L_BUFFER) {
		buf = dt_test_slurp(path, &len);
		ck_assert_ptr_nonnull(buf);
	}

	drtopo_model *clean = NULL;
	ck_assert_int_eq(drtopo_model_new(&clean), DRTOPO_OK);
	ck_ok(clean, do_load(clean, k, path, buf, len));
	char *want = report_of(clean);
	drtopo_model_free(clean);

	unsigned long n;
	for (n = 1;; n++) {
		drtopo_model *m = NULL;
		int rc, fired;
		ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
		g_jansson_failed = 0;
		ARMED(n, rc = do_load(m, k, path, buf, len));
		if (!fired) {
			ck_ok(m, rc);
			char *got = report_of(m);
			ck_assert_str_eq(got, want);
			free(got);
			drtopo_model_free(m);
			note(rel, n);
			break;
		}
		ck_assert_msg(rc == DRTOPO_ENOMEM ||
				      (g_jansson_failed && rc == DRTOPO_EPARSE),
			      "%s n=%lu: %d (%s): %s", rel, n, rc,
			      drtopo_strerror(rc), drtopo_model_errmsg(m));
		ck_assert_ptr_nonnull(drtopo_model_errmsg(m));
		/* The model stays usable: it resolves and serializes. */
		char *got = report_of(m);
		free(got);
		drtopo_model_free(m);
	}
	free(want);
	free(buf);
}

START_TEST(load_document_buffer)
{
	oom_load(L_BUFFER, "documents/valid/everything.json");
	oom_load(L_BUFFER, "documents/valid/unicode.json");
}
END_TEST

START_TEST(load_document_file)
{
	oom_load(L_DOCUMENT, "documents/valid/dangling.json");
}
END_TEST

START_TEST(load_assembly)
{
	oom_load(L_ASSEMBLY, "cdk-integ/cross-region-references");
}
END_TEST

START_TEST(load_template)
{
	oom_load(L_TEMPLATE, "cdk-integ/cross-region-references/"
			     "CrossRegionRefConsumerInteg.template.json");
}
END_TEST

START_TEST(load_detect)
{
	oom_load(L_ANY, "cdk-integ/table-v2-global");
}
END_TEST

/* ---- resolve and serialize ----------------------------------------- */

static drtopo_model *model_of(const char *rel, int assembly)
{
	drtopo_model *m = NULL;
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	if (assembly)
		ck_ok(m, drtopo_model_load_assembly(m, dt_test_data(rel)));
	else
		ck_ok(m, drtopo_model_load_document(m, dt_test_data(rel)));
	return m;
}

static void oom_resolve(drtopo_model *m)
{
	char *want = report_of(m);
	for (unsigned long n = 1;; n++) {
		drtopo_result *r = SENTINEL_PTR;
		int rc, fired;
		ARMED(n, rc = drtopo_model_resolve(m, &r));
		if (!fired) {
			ck_ok(m, rc);
			drtopo_result_free(r);
			note("drtopo_model_resolve", n);
			break;
		}
		ck_assert_int_eq(rc, DRTOPO_ENOMEM);
		ck_assert_ptr_eq(r, SENTINEL_PTR);
		char *got = report_of(m);
		ck_assert_str_eq(got, want);
		free(got);
	}
	free(want);
	drtopo_model_free(m);
}

START_TEST(resolve_seed)
{
	oom_resolve(dt_seed_model_response());
	oom_resolve(dt_seed_ideal_response());
}
END_TEST

START_TEST(resolve_documents)
{
	oom_resolve(model_of("documents/valid/everything.json", 0));
	oom_resolve(model_of("cli/cycle.json", 0));
}
END_TEST

/* The rules that no fixture of tests/data/cdk fires, in one document: the
 * test first checks that each really fires, so the coverage cannot drift
 * away unnoticed. */
START_TEST(resolve_every_rule)
{
	static const char *const codes[] = {"DRT202", "DRT203", "DRT205",
					    "DRT206", "DRT304", "DRT402",
					    "DRT407", "DRT502"};
	drtopo_model *m = model_of("rules/every-rule.json", 0);
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		int seen = 0;
		for (size_t k = 0; k < drtopo_result_diagnostic_count(r); k++)
			seen |= strcmp(drtopo_diagnostic_code(
					       drtopo_result_diagnostic(r, k)),
				       codes[i]) == 0;
		ck_assert_msg(seen, "%s does not fire on every-rule.json",
			      codes[i]);
	}
	drtopo_result_free(r);
	oom_resolve(m);
}
END_TEST

/* Every rule fires somewhere in tests/data/cdk (one fixture per case). */
START_TEST(resolve_rule_fixtures)
{
	char root[4096];
	snprintf(root, sizeof(root), "%s", dt_test_data("cdk"));
	DIR *d = opendir(root);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	int count = 0;
	while ((e = readdir(d))) {
		char rel[600];
		if (e->d_name[0] == '.' || strchr(e->d_name, '.'))
			continue;
		snprintf(rel, sizeof(rel), "cdk/%s/cdk.out", e->d_name);
		drtopo_model *m = NULL;
		ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
		if (drtopo_model_load(m, dt_test_data(rel), NULL, NULL)) {
			drtopo_model_free(m);
			continue;
		}
		oom_resolve(m);
		count++;
	}
	closedir(d);
	ck_assert_int_gt(count, 10);
}
END_TEST

enum ser {
	S_JSON,
	S_JSON_STREAM,
	S_SARIF,
	S_DOT,
	S_TEXT,
	S_PLAN,
	S_PLAN_DESTROY,
	S_MODEL
};

/* The pieces of drtopo_result_write_json and
 * drtopo_simulation_write_json, gathered with the C library's allocator
 * (never the armed one: the harness must not fail itself). */
typedef struct gathered {
	char *p;
	size_t len, cap;
} gathered;

static int gather(void *ctx, const char *data, size_t len)
{
	gathered *g = ctx;
	if (g->len + len + 1 > g->cap) {
		size_t cap = 2 * (g->len + len + 1);
		char *p = realloc(g->p, cap);
		if (!p)
			return -1;
		g->p = p;
		g->cap = cap;
	}
	memcpy(g->p + g->len, data, len);
	g->len += len;
	g->p[g->len] = '\0';
	return 0;
}

/* rc of a writer that gathered into g: the text to *out, or freed. */
static int gathered_text(int rc, gathered g, char **out, size_t *len)
{
	if (rc) {
		free(g.p);
		return rc;
	}
	*out = g.p;
	if (len)
		*len = g.len;
	return 0;
}

static int write_json(drtopo_result *r, char **out, size_t *len)
{
	gathered g = {calloc(1, 1), 0, 1};
	int rc = g.p ? drtopo_result_write_json(r, gather, &g) : DRTOPO_ERROR;
	return gathered_text(rc, g, out, len);
}

static void release(enum ser s, char *text)
{
	if (s == S_JSON_STREAM)
		free(text);
	else
		drtopo_free(text);
}

static int serialize(drtopo_result *r, enum ser s, char **out, size_t *len)
{
	switch (s) {
	case S_JSON: return drtopo_result_to_json(r, out, len);
	case S_JSON_STREAM: return write_json(r, out, len);
	case S_SARIF: return drtopo_result_to_sarif(r, out, len);
	case S_DOT: return drtopo_result_to_dot(r, out, len);
	case S_TEXT:
		return drtopo_result_to_text(r, DRTOPO_TEXT_COLOR, out, len);
	case S_PLAN: return drtopo_result_plan_to_text(r, 0, out, len);
	case S_PLAN_DESTROY: return drtopo_result_plan_to_text(r, 1, out, len);
	default: return drtopo_model_to_json(drtopo_result_model(r), out, len);
	}
}

static void oom_serialize(drtopo_model *m)
{
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	for (int s = S_JSON; s <= S_MODEL; s++) {
		char *want = NULL;
		size_t want_len = 0;
		ck_assert_int_eq(serialize(r, s, &want, &want_len), DRTOPO_OK);
		for (unsigned long n = 1;; n++) {
			char *out = SENTINEL_PTR;
			size_t len = SENTINEL_LEN;
			int rc, fired;
			ARMED(n, rc = serialize(r, s, &out, &len));
			if (!fired) {
				ck_assert_int_eq(rc, DRTOPO_OK);
				ck_assert_uint_eq(len, want_len);
				ck_assert_str_eq(out, want);
				release(s, out);
				note("serializer", n);
				break;
			}
			ck_assert_msg(rc == DRTOPO_ENOMEM,
				      "serializer %d n=%lu: %d", s, n, rc);
			ck_assert_ptr_eq(out, SENTINEL_PTR);
			ck_assert_uint_eq(len, SENTINEL_LEN);
		}
		/* Unchanged after the failures. */
		char *again = NULL;
		ck_assert_int_eq(serialize(r, s, &again, NULL), DRTOPO_OK);
		ck_assert_str_eq(again, want);
		release(s, again);
		release(s, want);
	}
	drtopo_result_free(r);
	drtopo_model_free(m);
}

START_TEST(serialize_seed)
{
	oom_serialize(dt_seed_model_response());
}
END_TEST

START_TEST(serialize_documents)
{
	oom_serialize(model_of("documents/valid/everything.json", 0));
	oom_serialize(model_of("cli/cycle.json", 0));
	oom_serialize(model_of("cdk-integ/cross-region-references", 1));
}
END_TEST

/* drtopo_result_simulate and the five simulation serializers: every
 * allocation fails in turn; the output after the failures is unchanged. */
enum sim_ser { SIM_JSON, SIM_JSON_STREAM, SIM_SARIF, SIM_DOT, SIM_TEXT };

static int sim_write_json(drtopo_simulation *sim, char **out, size_t *len)
{
	gathered g = {calloc(1, 1), 0, 1};
	int rc = g.p ? drtopo_simulation_write_json(sim, gather, &g)
		     : DRTOPO_ERROR;
	return gathered_text(rc, g, out, len);
}

static void sim_release(int s, char *text)
{
	if (s == SIM_JSON_STREAM)
		free(text);
	else
		drtopo_free(text);
}

static int sim_serialize(drtopo_simulation *sim, int s, char **out, size_t *len)
{
	switch (s) {
	case SIM_JSON: return drtopo_simulation_to_json(sim, out, len);
	case SIM_JSON_STREAM: return sim_write_json(sim, out, len);
	case SIM_SARIF: return drtopo_simulation_to_sarif(sim, out, len);
	case SIM_DOT: return drtopo_simulation_to_dot(sim, out, len);
	default: return drtopo_simulation_to_text(sim, 0, out, len);
	}
}

static void oom_simulate(drtopo_model *m, const char *region)
{
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	drtopo_simulation *sim = NULL;
	for (unsigned long n = 1;; n++) {
		drtopo_simulation *s = SENTINEL_PTR;
		int rc, fired;
		ARMED(n, rc = drtopo_result_simulate(r, region, NULL, &s));
		if (!fired) {
			ck_assert_int_eq(rc, DRTOPO_OK);
			sim = s;
			note("drtopo_result_simulate", n);
			break;
		}
		ck_assert_int_eq(rc, DRTOPO_ENOMEM);
		ck_assert_ptr_eq(s, SENTINEL_PTR);
	}
	/* Every frozen value, before any serializer has made the carriers'
	 * texts: a failure writes nothing, the next call succeeds. */
	for (size_t i = 0; i < drtopo_simulation_scenario_count(sim); i++)
		for (size_t j = 0; j < drtopo_simulation_stack_count(sim, i);
		     j++) {
			size_t nf = 0;
			ck_assert_int_eq(drtopo_simulation_stack(
						 sim, i, j, NULL, NULL, &nf),
					 DRTOPO_OK);
			for (size_t k = 0; k < nf; k++)
				for (unsigned long n = 1;; n++) {
					const char *via = SENTINEL_PTR;
					int rc, fired;
					ARMED(n, rc = drtopo_simulation_frozen(
							 sim, i, j, k, NULL,
							 NULL, &via));
					if (!fired) {
						ck_assert_int_eq(rc, DRTOPO_OK);
						break;
					}
					ck_assert_int_eq(rc, DRTOPO_ENOMEM);
					ck_assert_ptr_eq(via, SENTINEL_PTR);
				}
		}
	for (int k = SIM_JSON; k <= SIM_TEXT; k++) {
		char *want = NULL;
		ck_assert_int_eq(sim_serialize(sim, k, &want, NULL), DRTOPO_OK);
		for (unsigned long n = 1;; n++) {
			char *out = SENTINEL_PTR;
			int rc, fired;
			ARMED(n, rc = sim_serialize(sim, k, &out, NULL));
			if (!fired) {
				ck_assert_int_eq(rc, DRTOPO_OK);
				ck_assert_str_eq(out, want);
				sim_release(k, out);
				break;
			}
			ck_assert_int_eq(rc, DRTOPO_ENOMEM);
			ck_assert_ptr_eq(out, SENTINEL_PTR);
		}
		sim_release(k, want);
	}
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
}

START_TEST(simulate_seed)
{
	drtopo_model *m = model_of("../../examples/seed-dr/fixed.json", 0);
	ck_ok(m, drtopo_model_set_objectives(m, 60, 300, 0));
	oom_simulate(m, NULL);
	oom_simulate(model_of("cdk/route53-routing/cdk.out", 1), "us-east-1");
	oom_simulate(model_of("cdk/backup-copy-other-region/cdk.out", 1), NULL);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("build");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, model_new);
	tcase_add_test(tc, build_seed);
	tcase_add_test(tc, build_seed_extras);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, load_document_buffer);
	tcase_add_test(tc, load_document_file);
	tcase_add_test(tc, load_assembly);
	tcase_add_test(tc, load_template);
	tcase_add_test(tc, load_detect);
	suite_add_tcase(s, tc);

	tc = tcase_create("resolve");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, resolve_seed);
	tcase_add_test(tc, resolve_documents);
	tcase_add_test(tc, resolve_every_rule);
	tcase_add_test(tc, resolve_rule_fixtures);
	suite_add_tcase(s, tc);

	tc = tcase_create("simulate");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, simulate_seed);
	suite_add_tcase(s, tc);

	tc = tcase_create("serialize");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, serialize_seed);
	tcase_add_test(tc, serialize_documents);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	json_set_alloc_funcs(j_malloc, j_free);
	SRunner *sr = srunner_create(oom_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
