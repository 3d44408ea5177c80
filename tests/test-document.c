/*
 * Topology documents: the loader (every error path, through the corpora
 * under tests/data/documents), the writer (round trips, canonical bytes),
 * the shared JSON helpers (limits, UTF-8, pointers, positions), input
 * detection, robustness against mutated input, and the document tree
 * parser against jansson.
 *
 * tests/data/documents/valid/<case>.json loads, and writes exactly
 * <case>.out. tests/data/documents/invalid/<case>.json fails as
 * <case>.expect says, one item a line:
 *   1. the status name (DRTOPO_EPARSE, ...)
 *   2. a substring of the message
 *   3. the JSON pointer of the error ("-": none; empty line: the root)
 *   4. "LINE:COLUMN" ("*": any known position)
 */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"
#include "model.h"
#include "load/jsonutil.h"

static drtopo_model *m;

static void setup(void)
{
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
}

static void teardown(void)
{
	drtopo_model_free(m);
	m = NULL;
}

static const char *const seeds[] = {"model-response", "ideal-response",
				    "fixed"};

static const char *seed_path(const char *name)
{
	static char buf[4096];
	const char *root = getenv("DT_TEST_DATA");
	snprintf(buf, sizeof(buf), "%s/../../examples/seed-dr/%s.json",
		 root ? root : "tests/data", name);
	return buf;
}

static char *slurp_or_fail(const char *path, size_t *len)
{
	char *text = dt_test_slurp(path, len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

static int load_str(drtopo_model *model, const char *text)
{
	return drtopo_model_load_document_buffer(model, text, strlen(text),
						 "test.json");
}

/* The model's document; caller frees with drtopo_free(). */
static char *write_doc(const drtopo_model *model, size_t *len)
{
	char *out = NULL;
	int rc = drtopo_model_to_json(model, &out, len);
	ck_assert_int_eq(rc, DRTOPO_OK);
	ck_assert_ptr_nonnull(out);
	return out;
}

static const char *status_name(int rc)
{
	switch (rc) {
	case DRTOPO_OK: return "DRTOPO_OK";
	case DRTOPO_ERROR: return "DRTOPO_ERROR";
	case DRTOPO_ENOMEM: return "DRTOPO_ENOMEM";
	case DRTOPO_EINVAL: return "DRTOPO_EINVAL";
	case DRTOPO_ENOTFOUND: return "DRTOPO_ENOTFOUND";
	case DRTOPO_EEXIST: return "DRTOPO_EEXIST";
	case DRTOPO_EPARSE: return "DRTOPO_EPARSE";
	case DRTOPO_ESCHEMA: return "DRTOPO_ESCHEMA";
	case DRTOPO_EIO: return "DRTOPO_EIO";
	case DRTOPO_ELIMIT: return "DRTOPO_ELIMIT";
	default: return "?";
	}
}

/* ---- an independent dump of a model, for equality ----------------- */

#define S0(s) ((s) ? (s) : "-")

static void dump_value(dt_buf *b, const dt_value *v)
{
	dt_buf_printf(b, "{%d %s %s %s %s/%s%s}", v->kind, S0(v->text),
		      S0(v->region), S0(v->attr),
		      v->res ? v->res->stack->id : S0(v->stack_id),
		      v->res ? v->res->id : S0(v->res_id),
		      v->res ? "" : " (by name)");
}

/* Everything a document expresses, grouped by owner, in model order. */
static char *dump(const drtopo_model *x)
{
	dt_buf b = DT_BUF_INIT;
	for (size_t i = 0; i < x->externals.len; i++) {
		const dt_external *e = DT_VEC_PTR(x->externals, dt_external, i);
		dt_buf_printf(&b, "external %s %s\n", e->name, S0(e->region));
	}
	for (size_t si = 0; si < x->stacks.len; si++) {
		const drtopo_stack *s =
			DT_VEC_AT(x->stacks, drtopo_stack *, si);
		dt_buf_printf(&b, "stack %s %s %s %s %s\n", s->id,
			      S0(s->account), S0(s->region), S0(s->name),
			      S0(s->stack_name));
		for (size_t i = 0; i < x->deps.len; i++) {
			const dt_dep *d = DT_VEC_PTR(x->deps, dt_dep, i);
			if (d->from == s)
				dt_buf_printf(&b, " dep %s%s\n", d->to_id,
					      d->to ? "" : " (by name)");
		}
		for (size_t ri = 0; ri < s->resources.len; ri++) {
			const drtopo_resource *r =
				DT_VEC_AT(s->resources, drtopo_resource *, ri);
			dt_buf_printf(&b, " res %s %s %s\n", r->id, r->type,
				      S0(r->physical_name));
			for (size_t i = 0; i < x->refs.len; i++) {
				const dt_ref *f =
					DT_VEC_PTR(x->refs, dt_ref, i);
				if (f->consumer != r)
					continue;
				dt_buf_printf(&b, "  ref %s/%s %s%s\n",
					      f->producer
						      ? f->producer->stack->id
						      : S0(f->stack_id),
					      f->producer ? f->producer->id
							  : S0(f->res_id),
					      S0(f->attr),
					      f->producer ? "" : " (by name)");
			}
			for (size_t i = 0; r->extra && i < r->extra->routes.len;
			     i++) {
				const drtopo_route *rt = DT_VEC_AT(
					r->extra->routes, drtopo_route *, i);
				dt_buf_printf(&b,
					      "  route %s %s %d %u check %s/%s "
					      "target %s/%s %s\n",
					      rt->name, S0(rt->set_id),
					      rt->policy, (unsigned)rt->flags,
					      rt->check ? rt->check->stack->id
							: "-",
					      rt->check ? rt->check->id : "-",
					      rt->target ? rt->target->stack->id
							 : "-",
					      rt->target ? rt->target->id : "-",
					      S0(rt->region));
			}
			const dt_table *t = r->table;
			if (!t)
				continue;
			dt_buf_printf(&b,
				      "  table cfn=%d cmk=", t->cfn_replicas);
			dump_value(&b, &t->cmk);
			dt_buf_putc(&b, '\n');
			for (size_t i = 0; i < t->replicas.len; i++) {
				const dt_replica *p =
					DT_VEC_PTR(t->replicas, dt_replica, i);
				dt_buf_printf(&b, "  replica %s %s\n",
					      p->region,
					      p->via ? p->via->id : "-");
			}
			for (size_t i = 0; i < t->keys.len; i++) {
				const dt_replica_key *k =
					DT_VEC_PTR(t->keys, dt_replica_key, i);
				dt_buf_printf(&b, "  key %s ", k->region);
				dump_value(&b, &k->key);
				dt_buf_putc(&b, '\n');
			}
		}
		/* writes, then reads: the document lists them apart */
		for (size_t i = 0; i < 2 * x->params.len; i++) {
			const drtopo_param *p = DT_VEC_AT(
				x->params, drtopo_param *, i % x->params.len);
			int kind = i < x->params.len ? DRTOPO_PARAM_WRITE
						     : DRTOPO_PARAM_READ;
			if (p->stack != s || p->kind != kind)
				continue;
			dt_buf_printf(&b, " param %d %s %s %d %s ", p->kind,
				      p->name, S0(p->region),
				      p->explicit_region,
				      p->res ? p->res->id : "-");
			dump_value(&b, &p->value);
			dt_buf_putc(&b, '\n');
		}
		for (size_t i = 0; i < x->exports.len; i++) {
			const dt_export *e =
				DT_VEC_PTR(x->exports, dt_export, i);
			if (e->stack == s)
				dt_buf_printf(&b, " export %s %s\n", e->name,
					      e->res ? e->res->id : "-");
		}
		for (size_t i = 0; i < x->imports.len; i++) {
			const dt_import *e =
				DT_VEC_PTR(x->imports, dt_import, i);
			if (e->stack == s)
				dt_buf_printf(&b, " import %s %s\n", e->name,
					      e->res ? e->res->id : "-");
		}
		for (size_t i = 0; i < x->outputs.len; i++) {
			const dt_import *e =
				DT_VEC_PTR(x->outputs, dt_import, i);
			if (e->stack == s)
				dt_buf_printf(&b, " output %s %s %s %s %s\n",
					      e->producer, e->name,
					      S0(e->region), S0(e->account),
					      e->res ? e->res->id : "-");
		}
	}
	char *out = NULL;
	ck_assert_int_eq(dt_buf_finish(&b, &out, NULL), 0);
	return out;
}

/* load(write(x)) equals x, and write(load(write(x))) == write(x). */
static void check_round_trip(const drtopo_model *x)
{
	size_t len1 = 0, len2 = 0;
	char *doc1 = write_doc(x, &len1);
	ck_assert_uint_eq(strlen(doc1), len1);
	ck_assert_int_eq(doc1[len1 - 1], '\n');
	drtopo_model *y = NULL;
	ck_assert_int_eq(drtopo_model_new(&y), DRTOPO_OK);
	int rc = drtopo_model_load_document_buffer(y, doc1, len1, "w.json");
	ck_assert_msg(rc == DRTOPO_OK, "reload: %s\n%s", drtopo_model_errmsg(y),
		      doc1);
	char *d1 = dump(x), *d2 = dump(y);
	ck_assert_str_eq(d1, d2);
	char *doc2 = write_doc(y, &len2);
	ck_assert_uint_eq(len1, len2);
	ck_assert_str_eq(doc1, doc2);
	dt_free(d1);
	dt_free(d2);
	drtopo_free(doc1);
	drtopo_free(doc2);
	drtopo_model_free(y);
}

/* ---- the seed documents ------------------------------------------- */

START_TEST(seed_documents_load)
{
	for (size_t i = 0; i < DT_ARRAY_LEN(seeds); i++) {
		drtopo_model *x = NULL;
		ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
		ck_ok(x, drtopo_model_load_document(x, seed_path(seeds[i])));
		ck_assert_uint_eq(drtopo_model_stack_count(x), 15);
		ck_assert_uint_gt(drtopo_model_resource_count(x), 70);
		drtopo_stack *s = NULL;
		ck_ok(x, drtopo_model_find_stack(x, "StoragePrimary-dev", &s));
		ck_assert_str_eq(drtopo_stack_region(s), "us-east-1");
		ck_assert_ptr_null(drtopo_stack_account(s));
		drtopo_resource *t = NULL;
		ck_ok(x, drtopo_stack_find_resource(s, "SessionsTable", &t));
		ck_assert_str_eq(drtopo_resource_type(t),
				 "AWS::DynamoDB::GlobalTable");
		ck_assert_str_eq(drtopo_resource_physical_name(t),
				 "dr-sessions-dev");
		ck_assert_uint_eq(drtopo_resource_replica_count(t), 1);
		ck_assert_str_eq(drtopo_resource_replica_at(t, 0), "us-east-2");
		ck_assert_int_eq(t->table->cmk.kind, DT_VAL_RESOURCE);
		ck_assert_ptr_nonnull(t->table->cmk.res);
		ck_assert_str_eq(t->table->cmk.res->stack->id,
				 "KmsPrimary-dev");
		/* every link of the seeds names something that exists */
		for (size_t k = 0; k < x->deps.len; k++)
			ck_assert_ptr_nonnull(
				DT_VEC_PTR(x->deps, dt_dep, k)->to);
		for (size_t k = 0; k < x->refs.len; k++)
			ck_assert_ptr_nonnull(
				DT_VEC_PTR(x->refs, dt_ref, k)->producer);
		drtopo_stack *sec = NULL;
		int has_own_table =
			drtopo_model_find_stack(x, "StorageSecondary-dev",
						&sec) == DRTOPO_OK &&
			drtopo_stack_find_resource(sec, "SessionsTable", &t) ==
				DRTOPO_OK;
		ck_assert_int_eq(has_own_table, i != 2);
		drtopo_model_free(x);
	}
}
END_TEST

START_TEST(seed_variants_wiring)
{
	drtopo_model *x[3];
	drtopo_resource *table[3];
	for (size_t i = 0; i < 3; i++) {
		drtopo_stack *s;
		ck_assert_int_eq(drtopo_model_new(&x[i]), DRTOPO_OK);
		ck_ok(x[i],
		      drtopo_model_load_document(x[i], seed_path(seeds[i])));
		ck_ok(x[i],
		      drtopo_model_find_stack(x[i], "StoragePrimary-dev", &s));
		ck_ok(x[i], drtopo_stack_find_resource(s, "SessionsTable",
						       &table[i]));
	}
	/* model-response: no replica key, a bare cross-region reference */
	ck_assert_uint_eq(table[0]->table->keys.len, 0);
	int bare = 0;
	for (size_t k = 0; k < x[0]->refs.len; k++) {
		const dt_ref *r = DT_VEC_PTR(x[0]->refs, dt_ref, k);
		if (r->consumer == table[0] &&
		    strcmp(r->producer->stack->id, "KmsSecondary-dev") == 0)
			bare++;
	}
	ck_assert_int_eq(bare, 1);
	/* ideal-response: the key is the value of a parameter read */
	ck_assert_uint_eq(table[1]->table->keys.len, 1);
	const dt_replica_key *k =
		DT_VEC_PTR(table[1]->table->keys, dt_replica_key, 0);
	ck_assert_str_eq(k->region, "us-east-2");
	ck_assert_int_eq(k->key.kind, DT_VAL_PARAM);
	ck_assert_str_eq(k->key.text, "/dr/dev/kms-key-arn/us-east-2");
	ck_assert_ptr_null(k->key.region);
	/* fixed: the key resource itself, and a writer into us-east-1 */
	k = DT_VEC_PTR(table[2]->table->keys, dt_replica_key, 0);
	ck_assert_int_eq(k->key.kind, DT_VAL_RESOURCE);
	ck_assert_str_eq(k->key.res->stack->id, "KmsSecondary-dev");
	int carriers = 0;
	for (size_t i = 0; i < x[2]->params.len; i++) {
		const drtopo_param *p =
			DT_VEC_AT(x[2]->params, drtopo_param *, i);
		if (p->kind == DRTOPO_PARAM_WRITE && p->explicit_region &&
		    strcmp(p->region, "us-east-1") == 0 &&
		    strcmp(p->stack->region, "us-east-2") == 0)
			carriers++;
	}
	ck_assert_int_eq(carriers, 2);
	for (size_t i = 0; i < 3; i++)
		drtopo_model_free(x[i]);
}
END_TEST

START_TEST(seed_round_trip_exact)
{
	for (size_t i = 0; i < DT_ARRAY_LEN(seeds); i++) {
		size_t len = 0, wlen = 0;
		char *text = slurp_or_fail(seed_path(seeds[i]), &len);
		drtopo_model *x = NULL;
		ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
		ck_ok(x, drtopo_model_load_document_buffer(x, text, len,
							   seeds[i]));
		char *out = write_doc(x, &wlen);
		/* the seeds are stored in the canonical form */
		ck_assert_uint_eq(wlen, len);
		ck_assert_str_eq(out, text);
		check_round_trip(x);
		drtopo_free(out);
		free(text);
		drtopo_model_free(x);
	}
}
END_TEST

/* ---- the corpora --------------------------------------------------- */

typedef void (*case_fn)(const char *dir, const char *name);

/* Run fn on every <name>.json of a corpus directory; return the count. */
static size_t each_case(const char *rel, case_fn fn)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", dt_test_data(rel));
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(len - 5), e->d_name);
		fn(dir, name);
		n++;
	}
	closedir(d);
	return n;
}

static void valid_case(const char *dir, const char *name)
{
	char path[4200], out_path[4200];
	size_t want_len = 0, len = 0;
	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	snprintf(out_path, sizeof(out_path), "%s/%s.out", dir, name);
	char *want = slurp_or_fail(out_path, &want_len);
	drtopo_model *x = NULL;
	ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
	int rc = drtopo_model_load_document(x, path);
	ck_assert_msg(rc == DRTOPO_OK, "%s: %s", name, drtopo_model_errmsg(x));
	char *out = write_doc(x, &len);
	ck_assert_msg(len == want_len && strcmp(out, want) == 0,
		      "%s: writer output differs from %s.out:\n%s", name, name,
		      out);
	check_round_trip(x);
	drtopo_free(out);
	free(want);
	drtopo_model_free(x);
}

START_TEST(valid_corpus)
{
	ck_assert_uint_ge(each_case("documents/valid", valid_case), 5);
}
END_TEST

static int by_buffer;

static void invalid_case(const char *dir, const char *name)
{
	char path[4200], expect_path[4200];
	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	snprintf(expect_path, sizeof(expect_path), "%s/%s.expect", dir, name);
	char *expect = slurp_or_fail(expect_path, NULL);
	char *line[4] = {NULL, NULL, NULL, NULL};
	char *p = expect;
	for (int i = 0; i < 4 && p; i++) {
		line[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	ck_assert_msg(line[3] != NULL, "%s.expect needs 4 lines", name);

	drtopo_model *x = NULL;
	ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
	char file[300];
	snprintf(file, sizeof(file), "%s.json", name);
	int rc;
	if (by_buffer) {
		size_t len = 0;
		char *text = slurp_or_fail(path, &len);
		rc = drtopo_model_load_document_buffer(x, text, len, file);
		free(text);
	} else {
		rc = drtopo_model_load_document(x, path);
	}
	const char *msg = drtopo_model_errmsg(x);
	const char *ptr = drtopo_model_error_pointer(x);
	ck_assert_msg(strcmp(status_name(rc), line[0]) == 0,
		      "%s: status %s, expected %s (%s)", name, status_name(rc),
		      line[0], msg);
	ck_assert_msg(strstr(msg, line[1]) != NULL,
		      "%s: message '%s' lacks '%s'", name, msg, line[1]);
	if (strcmp(line[2], "-") == 0)
		ck_assert_msg(ptr == NULL, "%s: pointer %s", name, ptr);
	else
		ck_assert_msg(ptr && strcmp(ptr, line[2]) == 0,
			      "%s: pointer '%s', expected '%s'", name, S0(ptr),
			      line[2]);
	int ln = drtopo_model_error_line(x), col = drtopo_model_error_column(x);
	if (strcmp(line[3], "*") == 0) {
		ck_assert_msg(ln > 0 && col > 0, "%s: no position", name);
	} else {
		char pos[64];
		snprintf(pos, sizeof(pos), "%d:%d", ln, col);
		ck_assert_msg(strcmp(pos, line[3]) == 0,
			      "%s: position %s, expected %s", name, pos,
			      line[3]);
	}
	/* "file:line:column: message" */
	char prefix[4400];
	const char *shown = by_buffer ? file : path;
	snprintf(prefix, sizeof(prefix), "%s:%d:%d: ", shown, ln, col);
	ck_assert_msg(strncmp(msg, prefix, strlen(prefix)) == 0,
		      "%s: message '%s' does not start with '%s'", name, msg,
		      prefix);
	ck_assert_str_eq(drtopo_model_error_file(x), shown);
	if (ptr) {
		char at[400];
		snprintf(at, sizeof(at), "(at %s)", *ptr ? ptr : "/");
		ck_assert_ptr_nonnull(strstr(msg, at));
	}
	/* a document that fails adds nothing */
	ck_assert_uint_eq(drtopo_model_stack_count(x), 0);
	ck_assert_uint_eq(x->externals.len, 0);
	free(expect);
	drtopo_model_free(x);
}

START_TEST(invalid_corpus)
{
	by_buffer = 0;
	ck_assert_uint_ge(each_case("documents/invalid", invalid_case), 30);
}
END_TEST

START_TEST(invalid_corpus_from_buffers)
{
	by_buffer = 1;
	ck_assert_uint_ge(each_case("documents/invalid", invalid_case), 30);
}
END_TEST

/* ---- routing records' health checks -------------------------------- */

/* Findings of `code` on resource `res` (NULL: on any) of a model. */
static size_t findings(drtopo_model *x, const char *code, const char *res)
{
	drtopo_result *r = NULL;
	ck_ok(x, drtopo_model_resolve(x, &r));
	size_t n = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		const char *on = drtopo_diagnostic_resource(d);
		if (strcmp(drtopo_diagnostic_code(d), code) == 0 &&
		    (!res || (on && strcmp(on, res) == 0)))
			n++;
	}
	drtopo_result_free(r);
	return n;
}

static drtopo_resource *resource_of(drtopo_model *x, const char *sid,
				    const char *rid)
{
	drtopo_stack *s = NULL;
	drtopo_resource *r = NULL;
	ck_ok(x, drtopo_model_find_stack(x, sid, &s));
	ck_ok(x, drtopo_stack_find_resource(s, rid, &r));
	return r;
}

/* A failover pair: the primary's health check is in a later stack, the
 * secondary's in the record's own; Spare is used by nothing. */
static const char later_check_doc[] =
	"{\"schema\": \"drtopo-topology/1\", \"stacks\": [{\"id\": \"Dns\", "
	"\"account\": \"1\", \"region\": \"us-east-1\", \"resources\": ["
	"{\"id\": \"Local\", \"type\": \"AWS::Route53::HealthCheck\"}, "
	"{\"id\": \"Records\", \"type\": \"AWS::Route53::RecordSetGroup\", "
	"\"routes\": [{\"name\": \"app.\", \"set_identifier\": \"p\", "
	"\"policy\": \"failover\", \"health_check\": {\"stack\": \"Checks\", "
	"\"resource\": \"Primary\"}, \"region\": \"us-east-1\"}, "
	"{\"name\": \"app.\", \"set_identifier\": \"s\", \"policy\": "
	"\"failover\", \"flags\": [\"secondary\"], \"health_check\": "
	"\"Local\", \"region\": \"us-east-2\"}]}]}, {\"id\": \"Checks\", "
	"\"account\": \"1\", \"region\": \"us-east-1\", \"resources\": ["
	"{\"id\": \"Primary\", \"type\": \"AWS::Route53::HealthCheck\"}, "
	"{\"id\": \"Spare\", \"type\": \"AWS::Route53::HealthCheck\"}]}]}";

START_TEST(route_health_check_of_a_later_stack)
{
	ck_ok(m, load_str(m, later_check_doc));
	drtopo_resource *rs = resource_of(m, "Dns", "Records");
	ck_assert_uint_eq(drtopo_resource_route_count(rs), 2);
	drtopo_route *p = drtopo_resource_route_at(rs, 0);
	drtopo_route *s = drtopo_resource_route_at(rs, 1);
	ck_assert_ptr_eq(drtopo_route_health_check(p),
			 resource_of(m, "Checks", "Primary"));
	ck_assert_uint_eq(drtopo_route_flags(p), DRTOPO_ROUTE_HEALTH_CHECK);
	ck_assert_ptr_eq(drtopo_route_health_check(s),
			 resource_of(m, "Dns", "Local"));
	/* the checks that records use are quiet, the spare one is not */
	ck_assert_uint_eq(findings(m, "DRT605", "Primary"), 0);
	ck_assert_uint_eq(findings(m, "DRT605", "Local"), 0);
	ck_assert_uint_eq(findings(m, "DRT605", "Spare"), 1);
	ck_assert_uint_eq(findings(m, "DRT605", NULL), 1);
	check_round_trip(m);
}
END_TEST

/* A record whose health check is another stack's keeps it through a
 * written document: the writer used to drop it (keeping the bare
 * "health-check" flag), so the check read back as unused (DRT605). */
START_TEST(route_health_check_round_trip_across_stacks)
{
	drtopo_stack *dns, *checks;
	drtopo_resource *rs, *local, *primary;
	drtopo_route *p, *s;
	ck_ok(m, drtopo_model_add_stack(m, "Dns", "1", "us-east-1", &dns));
	ck_ok(m,
	      drtopo_model_add_stack(m, "Checks", "1", "us-east-1", &checks));
	ck_ok(m, drtopo_stack_add_resource(dns, "Records",
					   "AWS::Route53::RecordSetGroup", NULL,
					   &rs));
	ck_ok(m, drtopo_stack_add_resource(dns, "Local",
					   "AWS::Route53::HealthCheck", NULL,
					   &local));
	ck_ok(m, drtopo_stack_add_resource(checks, "Primary",
					   "AWS::Route53::HealthCheck", NULL,
					   &primary));
	ck_ok(m, drtopo_resource_add_route(rs, "app.", "p",
					   DRTOPO_ROUTING_FAILOVER, &p));
	ck_ok(m, drtopo_route_set_health_check(p, primary));
	ck_ok(m, drtopo_route_set_region(p, "us-east-1"));
	ck_ok(m, drtopo_resource_add_route(rs, "app.", "s",
					   DRTOPO_ROUTING_FAILOVER, &s));
	ck_ok(m, drtopo_route_set_flags(s, DRTOPO_ROUTE_SECONDARY));
	ck_ok(m, drtopo_route_set_health_check(s, local));
	ck_ok(m, drtopo_route_set_region(s, "us-east-2"));
	ck_assert_uint_eq(findings(m, "DRT605", NULL), 0);

	char *doc = write_doc(m, NULL);
	drtopo_model *y = NULL;
	ck_assert_int_eq(drtopo_model_new(&y), DRTOPO_OK);
	ck_ok(y, load_str(y, doc));
	drtopo_resource *rs2 = resource_of(y, "Dns", "Records");
	ck_assert_uint_eq(drtopo_resource_route_count(rs2), 2);
	drtopo_route *p2 = drtopo_resource_route_at(rs2, 0);
	drtopo_route *s2 = drtopo_resource_route_at(rs2, 1);
	ck_assert_msg(drtopo_route_health_check(p2) ==
			      resource_of(y, "Checks", "Primary"),
		      "the primary's health check is lost:\n%s", doc);
	ck_assert_uint_eq(drtopo_route_flags(p2), drtopo_route_flags(p));
	ck_assert_ptr_eq(drtopo_route_health_check(s2),
			 resource_of(y, "Dns", "Local"));
	ck_assert_uint_eq(drtopo_route_flags(s2), drtopo_route_flags(s));
	ck_assert_uint_eq(findings(y, "DRT605", NULL), 0);
	/* the object for another stack's check, the string for the own
	 * stack's; either implies the flag */
	ck_assert_ptr_nonnull(strstr(doc, "\"health_check\": {\"stack\": "
					  "\"Checks\", \"resource\": "
					  "\"Primary\"}"));
	ck_assert_ptr_nonnull(strstr(doc, "\"health_check\": \"Local\""));
	ck_assert_ptr_null(strstr(doc, "\"health-check\""));
	check_round_trip(m);
	drtopo_free(doc);
	drtopo_model_free(y);
}
END_TEST

/* ---- links, values and locations ---------------------------------- */

static const dt_dep *find_dep(const drtopo_model *x, const char *from,
			      const char *to)
{
	for (size_t i = 0; i < x->deps.len; i++) {
		const dt_dep *d = DT_VEC_PTR(x->deps, dt_dep, i);
		if (strcmp(d->from->id, from) == 0 && strcmp(d->to_id, to) == 0)
			return d;
	}
	return NULL;
}

START_TEST(links_forward_and_dangling)
{
	ck_ok(m, drtopo_model_load_document(
			 m, dt_test_data("documents/valid/dangling.json")));
	const dt_dep *d = find_dep(m, "A", "B");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(d->to); /* forward: B comes later */
	ck_assert_str_eq(d->to->id, "B");
	d = find_dep(m, "A", "Ghost");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_null(d->to); /* DRT102 material, not an error */
	ck_assert_uint_eq(m->refs.len, 4);
	const dt_ref *r = DT_VEC_PTR(m->refs, dt_ref, 0);
	ck_assert_ptr_nonnull(r->producer);
	ck_assert_str_eq(r->producer->id, "Topic");
	ck_assert_str_eq(r->attr, "TopicArn");
	r = DT_VEC_PTR(m->refs, dt_ref, 1);
	ck_assert_ptr_null(r->producer);
	ck_assert_str_eq(r->stack_id, "B");
	ck_assert_str_eq(r->res_id, "Gone");
	r = DT_VEC_PTR(m->refs, dt_ref, 2);
	ck_assert_ptr_nonnull(r->producer);
	ck_assert_str_eq(r->producer->id, "Later");
	r = DT_VEC_PTR(m->refs, dt_ref, 3);
	ck_assert_ptr_null(r->producer);
	ck_assert_str_eq(r->stack_id, "A"); /* defaults to its own stack */
	ck_assert_str_eq(r->res_id, "Never");
	ck_assert_ptr_null(r->attr);
	/* replication targets are recorded by name too, and the rules
	 * report each missing one as DRT102 at the setting */
	drtopo_resource *data = dt_resource_find(dt_stack_find(m, "A"), "Data");
	ck_assert_uint_eq(drtopo_resource_replication_count(data), 2);
	const drtopo_replication *p = drtopo_resource_replication_at(data, 0);
	ck_assert_int_eq(p->target.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_null(p->target.res);
	ck_assert_str_eq(p->target.stack_id, "Nowhere");
	ck_assert_str_eq(p->target.res_id, "Replica");
	drtopo_result *res = NULL;
	ck_ok(m, drtopo_model_resolve(m, &res));
	size_t n102 = 0, repl = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(res); i++) {
		const drtopo_diagnostic *g = drtopo_result_diagnostic(res, i);
		if (strcmp(drtopo_diagnostic_code(g), "DRT102") != 0)
			continue;
		n102++;
		const char *msg = drtopo_diagnostic_message(g);
		if (!strstr(msg, "the target of replication setting "
				 "s3-destination"))
			continue;
		repl++;
		ck_assert_str_eq(drtopo_diagnostic_resource(g), "Data");
		ck_assert_ptr_nonnull(
			strstr(drtopo_diagnostic_source_pointer(g),
			       "/stacks/0/resources/2/"
			       "replication/"));
		ck_assert(strstr(msg, "'Replica' of stack 'Nowhere', which "
				      "the model does not contain") ||
			  strstr(msg, "'Lost' of stack 'B', which has no such "
				      "resource"));
	}
	/* Ghost, Gone, Never and the two targets */
	ck_assert_uint_eq(repl, 2);
	ck_assert_uint_eq(n102, 5);
	drtopo_result_free(res);
}
END_TEST

START_TEST(values_of_every_kind)
{
	ck_ok(m, drtopo_model_load_document(
			 m, dt_test_data("documents/valid/everything.json")));
	drtopo_stack *s = NULL;
	drtopo_resource *t = NULL;
	ck_ok(m, drtopo_model_find_stack(m, "Consumer", &s));
	ck_assert_str_eq(drtopo_stack_name(s), "App/Consumer");
	ck_assert_str_eq(s->stack_name, "app-consumer");
	ck_assert_str_eq(drtopo_stack_account(s), "111111111111");
	ck_ok(m, drtopo_stack_find_resource(s, "Table", &t));
	const dt_table *tb = t->table;
	ck_assert_int_eq(tb->cfn_replicas, 1);
	/* the key of a stack defined further down */
	ck_assert_int_eq(tb->cmk.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_nonnull(tb->cmk.res);
	ck_assert_str_eq(tb->cmk.res->stack->id, "Producer");
	ck_assert_str_eq(tb->cmk.attr, "Arn");
	ck_assert_uint_eq(tb->replicas.len, 3);
	const dt_replica *rep = DT_VEC_PTR(tb->replicas, dt_replica, 1);
	ck_assert_str_eq(rep->region, "eu-west-1");
	ck_assert_ptr_nonnull(rep->via);
	ck_assert_str_eq(rep->via->id, "Replica");
	ck_assert_uint_eq(tb->keys.len, 7); /* "x-note" is not a region */
	static const int kinds[] = {
		DT_VAL_PARAM,	 DT_VAL_TEXT,	  DT_VAL_IMPORT, DT_VAL_UNKNOWN,
		DT_VAL_RESOURCE, DT_VAL_RESOURCE, DT_VAL_NONE};
	for (size_t i = 0; i < tb->keys.len; i++)
		ck_assert_int_eq(
			DT_VEC_PTR(tb->keys, dt_replica_key, i)->key.kind,
			kinds[i]);
	const dt_replica_key *k = DT_VEC_PTR(tb->keys, dt_replica_key, 0);
	ck_assert_str_eq(k->key.region, "us-east-2");
	k = DT_VEC_PTR(tb->keys, dt_replica_key, 1); /* "arn" is "text" */
	ck_assert_str_eq(k->key.text,
			 "arn:aws:kms:eu-west-1:111111111111:key/abcd");
	k = DT_VEC_PTR(tb->keys, dt_replica_key, 4);
	ck_assert_ptr_null(k->key.res);
	ck_assert_str_eq(k->key.stack_id, "Nowhere");
	ck_assert_str_eq(k->key.res_id, "Key");
	k = DT_VEC_PTR(tb->keys, dt_replica_key, 5);
	ck_assert_ptr_nonnull(k->key.res);
	ck_assert_str_eq(k->key.res->id, "LocalKey");

	/* tables that only exist: empty replicas, or the CFN flag alone */
	drtopo_resource *r = NULL;
	ck_ok(m, drtopo_stack_find_resource(s, "Empty", &r));
	ck_assert_ptr_nonnull(r->table);
	ck_assert_uint_eq(r->table->replicas.len, 0);
	ck_ok(m, drtopo_stack_find_resource(s, "CfnOnly", &r));
	ck_assert_int_eq(r->table->cfn_replicas, 1);
	ck_ok(m, drtopo_stack_find_resource(s, "Reader", &r));
	ck_assert_ptr_null(r->table);
	ck_assert_ptr_null(r->physical_name);

	/* externals: NAME, NAME@REGION and the object form */
	ck_assert_uint_eq(m->externals.len, 4);
	const dt_external *e = DT_VEC_PTR(m->externals, dt_external, 1);
	ck_assert_str_eq(e->name, "SharedBusArn");
	ck_assert_str_eq(e->region, "eu-west-1");
	e = DT_VEC_PTR(m->externals, dt_external, 2);
	ck_assert_str_eq(e->name, "odd@name");
	ck_assert_ptr_null(e->region);

	/* parameters: explicit regions, inherited ones, values */
	int seen = 0;
	for (size_t i = 0; i < m->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (strcmp(p->name, "/app/into-west") == 0) {
			ck_assert_int_eq(p->explicit_region, 1);
			ck_assert_str_eq(p->region, "us-west-2");
			ck_assert_int_eq(p->value.kind, DT_VAL_TEXT);
			seen++;
		} else if (strcmp(p->name, "/app/plain") == 0) {
			ck_assert_int_eq(p->explicit_region, 0);
			ck_assert_str_eq(p->region, "us-east-1");
			ck_assert_int_eq(p->value.kind, DT_VAL_NONE);
			seen++;
		} else if (strcmp(p->name, "/app/table-arn") == 0) {
			ck_assert_ptr_nonnull(p->res);
			ck_assert_ptr_eq(p->value.res, p->res);
			seen++;
		}
	}
	ck_assert_int_eq(seen, 3);
	ck_assert_uint_eq(m->outputs.len, 2);
	const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, 0);
	ck_assert_str_eq(o->producer, "app-producer");
	ck_assert_str_eq(o->account, "222222222222");
	ck_assert_str_eq(o->region, "us-west-2");
	ck_assert_str_eq(o->res->id, "Table");
}
END_TEST

START_TEST(locations_point_into_the_document)
{
	ck_ok(m, drtopo_model_load_document(
			 m, dt_test_data("documents/valid/unicode.json")));
	const char *file = dt_test_data("documents/valid/unicode.json");
	drtopo_stack *s = drtopo_model_stack_at(m, 0);
	ck_assert_str_eq(s->id, "St\xc3\xa4"
				"ck-\xf0\x9f\x9a\x80");
	ck_assert_str_eq(s->loc.file, file);
	ck_assert_str_eq(s->loc.pointer, "/stacks/0");
	drtopo_resource *r = drtopo_stack_resource_at(s, 1);
	ck_assert_str_eq(r->loc.pointer, "/stacks/0/resources/1");
	ck_assert_str_eq(r->loc.file, file);
	const dt_replica *rep = DT_VEC_PTR(r->table->replicas, dt_replica, 0);
	ck_assert_str_eq(rep->loc.pointer, "/stacks/0/resources/1/replicas/0");
	const dt_replica_key *k = DT_VEC_PTR(r->table->keys, dt_replica_key, 0);
	ck_assert_str_eq(k->region, "a/b");
	ck_assert_str_eq(k->loc.pointer,
			 "/stacks/0/resources/1/replica_keys/a~1b");
	k = DT_VEC_PTR(r->table->keys, dt_replica_key, 1);
	ck_assert_str_eq(k->loc.pointer,
			 "/stacks/0/resources/1/replica_keys/c~0d");
	ck_assert_str_eq(k->key.text ? k->key.text : "", "");
	ck_assert_str_eq(k->key.res->id, "Caf\xc3\xa9");
	ck_assert_str_eq(drtopo_stack_resource_at(s, 0)->physical_name,
			 "t\"q\\b/s~n\x01");

	drtopo_model *x = NULL;
	ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
	ck_ok(x, drtopo_model_load_document(x, seed_path("fixed")));
	for (size_t i = 0; i < x->params.len; i++) {
		const drtopo_param *p = DT_VEC_AT(x->params, drtopo_param *, i);
		ck_assert_ptr_nonnull(p->loc.pointer);
		ck_assert_ptr_nonnull(strstr(p->loc.pointer, "/parameters/"));
	}
	const dt_dep *d = find_dep(x, "Failover-dev", "ComputeSecondary-dev");
	ck_assert_str_eq(d->loc.pointer, "/stacks/14/depends_on/2");
	const dt_ref *ref = DT_VEC_PTR(x->refs, dt_ref, 0);
	ck_assert_str_eq(ref->loc.pointer,
			 "/stacks/0/resources/1/references/0");
	drtopo_stack *st = NULL;
	drtopo_resource *t = NULL;
	ck_ok(x, drtopo_model_find_stack(x, "StoragePrimary-dev", &st));
	ck_ok(x, drtopo_stack_find_resource(st, "SessionsTable", &t));
	ck_assert_str_eq(t->table->cmk_loc.pointer,
			 "/stacks/8/resources/2/key");
	drtopo_model_free(x);
}
END_TEST

START_TEST(links_across_documents)
{
	ck_ok(m, load_str(m, "{\"schema\": \"drtopo-topology/1\", \"stacks\": "
			     "[{\"id\": \"P\", \"region\": \"us-east-1\", "
			     "\"resources\": [{\"id\": \"K\", \"type\": "
			     "\"AWS::KMS::Key\"}]}]}"));
	ck_ok(m, load_str(m, "{\"schema\": \"drtopo-topology/1\", \"stacks\": "
			     "[{\"id\": \"C\", \"depends_on\": [\"P\"], "
			     "\"resources\": [{\"id\": \"T\", \"type\": "
			     "\"AWS::DynamoDB::Table\", \"references\": "
			     "[{\"stack\": \"P\", \"resource\": \"K\"}], "
			     "\"key\": {\"stack\": \"P\", \"resource\": "
			     "\"K\"}}]}]}"));
	ck_assert_uint_eq(drtopo_model_stack_count(m), 2);
	ck_assert_ptr_nonnull(find_dep(m, "C", "P")->to);
	ck_assert_ptr_nonnull(DT_VEC_PTR(m->refs, dt_ref, 0)->producer);
	drtopo_resource *t =
		drtopo_stack_resource_at(drtopo_model_stack_at(m, 1), 0);
	ck_assert_ptr_nonnull(t->table->cmk.res);
	/* a third document may not redefine a stack */
	ck_assert_int_eq(load_str(m, "{\"schema\": \"drtopo-topology/1\", "
				     "\"stacks\": [{\"id\": \"Q\"}, "
				     "{\"id\": \"P\"}]}"),
			 DRTOPO_ESCHEMA);
	ck_assert_ptr_nonnull(
		strstr(drtopo_model_errmsg(m),
		       "the model already has a stack with id 'P'"));
	ck_assert_str_eq(drtopo_model_error_pointer(m), "/stacks/1/id");
	ck_assert_uint_eq(drtopo_model_stack_count(m), 2); /* no Q either */
}
END_TEST

/* ---- the writer ----------------------------------------------------- */

START_TEST(writer_empty_model)
{
	size_t len = 0;
	char *out = write_doc(m, &len);
	ck_assert_str_eq(out, "{\n  \"schema\": \"drtopo-topology/1\",\n"
			      "  \"stacks\": []\n}\n");
	ck_assert_uint_eq(len, strlen(out));
	drtopo_free(out);
	/* len_out may be NULL */
	char *again = NULL;
	ck_assert_int_eq(drtopo_model_to_json(m, &again, NULL), DRTOPO_OK);
	drtopo_free(again);
	check_round_trip(m);
}
END_TEST

START_TEST(writer_arguments)
{
	char *out = (char *)"untouched";
	ck_assert_int_eq(drtopo_model_to_json(NULL, &out, NULL), DRTOPO_EINVAL);
	ck_assert_str_eq(out, "untouched");
	ck_assert_int_eq(drtopo_model_to_json(m, NULL, NULL), DRTOPO_EINVAL);
}
END_TEST

/* A model built through the API and the internal loader calls, with
 * links added in an interleaved order. */
START_TEST(writer_api_model_round_trip)
{
	drtopo_stack *a, *b, *c;
	drtopo_resource *key, *key2, *table, *topic, *fn, *replica;
	drtopo_param *p;
	ck_ok(m, drtopo_model_add_external(m, "/aws/service/x", NULL));
	ck_ok(m, drtopo_model_add_external(m, "Bus", "eu-west-1"));
	ck_ok(m, drtopo_model_add_external(m, "we@ird", "us-east-1"));
	ck_ok(m,
	      drtopo_model_add_stack(m, "A", "111111111111", "us-east-1", &a));
	ck_ok(m, drtopo_model_add_stack(m, "B", NULL, "us-east-2", &b));
	ck_ok(m, drtopo_model_add_stack(m, "C \"quoted\"\t\\", NULL, NULL, &c));
	ck_ok(m, drtopo_stack_set_name(a, "App/A", "app-a"));
	ck_ok(m, drtopo_stack_set_name(b, NULL, "app-b"));
	ck_ok(m, drtopo_stack_add_resource(b, "Key", "AWS::KMS::Key", NULL,
					   &key2));
	ck_ok(m, drtopo_stack_add_resource(a, "Key", "AWS::KMS::Key", "alias/a",
					   &key));
	ck_ok(m, drtopo_stack_add_resource(a, "Table",
					   "AWS::DynamoDB::GlobalTable",
					   "t\xc3\xa9", &table));
	ck_ok(m, drtopo_stack_add_dependency(b, a));
	ck_ok(m, drtopo_stack_add_dependency(a, b));
	ck_ok(m, drtopo_stack_add_dependency(b, a)); /* repeated */
	ck_ok(m, drtopo_stack_add_dependency(c, c)); /* self */
	ck_ok(m, drtopo_stack_add_resource(c, "Topic", "AWS::SNS::Topic", NULL,
					   &topic));
	ck_ok(m, drtopo_resource_add_reference(table, key2, "Arn"));
	ck_ok(m, drtopo_resource_add_reference(topic, key, NULL));
	ck_ok(m, drtopo_resource_add_reference(table, key, NULL));
	ck_ok(m, drtopo_resource_add_replica(table, "us-east-2"));
	ck_ok(m, drtopo_resource_add_replica(table, "eu-west-1"));
	ck_ok(m, drtopo_resource_set_cmk(table, key));
	ck_ok(m, drtopo_resource_set_replica_key(table, "us-east-2", key2));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 table, "eu-west-1",
			 "arn:aws:kms:eu-west-1:111111111111:key/x"));
	ck_ok(m, drtopo_resource_set_replica_key_parameter(table, "ap-south-1",
							   "/k", NULL));
	ck_ok(m, drtopo_resource_set_replica_key_parameter(
			 table, "ca-central-1", "/k", "us-east-1"));
	ck_ok(m, drtopo_resource_set_replica_key_arn(table, "us-east-2",
						     "arn:replaced"));
	ck_ok(m, drtopo_stack_write_parameter(a, "/a/key", NULL, key, &p));
	ck_ok(m, drtopo_param_set_value_resource(p, key, "Arn"));
	ck_ok(m,
	      drtopo_stack_read_parameter(b, "/a/key", "us-east-1", NULL, &p));
	ck_ok(m,
	      drtopo_stack_write_parameter(b, "/b/x", "us-east-1", key2, &p));
	ck_ok(m, drtopo_param_set_value_text(p, "literal\nwith newline"));
	ck_ok(m, drtopo_stack_read_parameter(a, "/b/x", NULL, table, NULL));
	ck_ok(m, drtopo_stack_write_parameter(c, "/c", NULL, NULL, &p));
	ck_ok(m, drtopo_param_set_value_text(p, ""));
	ck_ok(m, drtopo_stack_add_export(a, "A-Key", key));
	ck_ok(m, drtopo_stack_add_export(c, "C-Bare", NULL));
	ck_ok(m, drtopo_stack_add_import(c, "A-Key", topic));
	ck_ok(m, drtopo_stack_add_import(a, "Nobody", NULL));
	ck_ok(m, drtopo_stack_add_output_read(c, "app-a", "Out", "us-east-1",
					      topic));
	ck_ok(m, drtopo_stack_add_output_read(a, "B", "Out2", NULL, NULL));

	/* what only loaders can say */
	dt_value v = {0};
	ck_ok(m, dt_add_stack(m, "D", NULL, "eu-west-1", NULL, NULL));
	drtopo_stack *dd = dt_stack_find(m, "D");
	ck_ok(m, dt_add_resource(dd, "Legacy", "AWS::DynamoDB::Table", "legacy",
				 NULL, &fn));
	ck_ok(m, dt_add_resource(dd, "LegacyReplica", "Custom::DynamoDBReplica",
				 NULL, NULL, &replica));
	ck_ok(m, dt_table_add_replica(fn, "eu-west-2", replica, NULL));
	dt_table_get(fn)->cfn_replicas = 1;
	v.kind = DT_VAL_UNKNOWN;
	v.text = "Fn::If";
	ck_ok(m, dt_table_set_cmk(fn, &v, NULL));
	ck_ok(m, dt_add_resource(dd, "Bare", "AWS::DynamoDB::GlobalTable", NULL,
				 NULL, &fn));
	ck_assert_ptr_nonnull(dt_table_get(fn));
	ck_ok(m, dt_add_resource(dd, "Bare2", "AWS::DynamoDB::GlobalTable",
				 NULL, NULL, &fn));
	dt_table_get(fn)->cfn_replicas = 1;
	ck_ok(m, dt_add_dep(dd, NULL, "Missing", NULL));
	ck_ok(m, dt_add_ref(fn, NULL, "Missing", "Gone", "Arn", NULL));
	ck_ok(m, dt_add_ref(fn, NULL, "D", "Gone", NULL, NULL));
	memset(&v, 0, sizeof(v));
	v.kind = DT_VAL_RESOURCE;
	v.stack_id = "Missing";
	v.res_id = "K";
	v.attr = "Arn";
	ck_ok(m, dt_table_set_key(fn, "us-west-1", &v, NULL));
	memset(&v, 0, sizeof(v));
	v.kind = DT_VAL_IMPORT;
	v.text = "A-Key";
	ck_ok(m,
	      dt_add_param(dd, DRTOPO_PARAM_WRITE, "/d", NULL, NULL, NULL, &p));
	ck_ok(m, dt_value_copy(m, &p->value, &v));
	ck_ok(m, dt_add_output_read(dd, "app-a", "Out", "us-east-1",
				    "333333333333", NULL, NULL));
	memset(&v, 0, sizeof(v));
	v.kind = DT_VAL_UNKNOWN; /* no reason given */
	ck_ok(m, dt_table_set_key(fn, "us-west-2", &v, NULL));

	check_round_trip(m);

	/* deterministic */
	char *w1 = write_doc(m, NULL), *w2 = write_doc(m, NULL);
	ck_assert_str_eq(w1, w2);
	drtopo_free(w1);
	drtopo_free(w2);
}
END_TEST

START_TEST(writer_spreads_long_lines)
{
	ck_ok(m, drtopo_model_load_document(m, seed_path("model-response")));
	size_t len = 0;
	char *out = write_doc(m, &len);
	/* two-space indentation, no tabs, stacks one member a line */
	ck_assert_ptr_null(strchr(out, '\t'));
	ck_assert_ptr_nonnull(
		strstr(out, "\n    {\n      \"id\": \"KmsPrimary-dev\",\n"));
	ck_assert_ptr_nonnull(strstr(out, "\n        {\"id\": \"DrKey\", "
					  "\"type\": \"AWS::KMS::Key\"},\n"));
	drtopo_free(out);
}
END_TEST

/* ---- limits and malformed input ------------------------------------ */

static char *deep_doc(size_t depth, int closed)
{
	static const char head[] = "{\"schema\": \"drtopo-topology/1\", "
				   "\"x-deep\": ";
	size_t n = strlen(head) + 2 * depth + 4;
	char *p = malloc(n);
	ck_assert_ptr_nonnull(p);
	char *q = p + sprintf(p, "%s", head);
	memset(q, '[', depth);
	q += depth;
	if (closed) {
		memset(q, ']', depth);
		q += depth;
		*q++ = '}';
	}
	*q = '\0';
	return p;
}

START_TEST(limit_depth_100000)
{
	/* 100,000 levels: refused before anything recurses */
	for (int closed = 0; closed <= 1; closed++) {
		char *doc = deep_doc(100000, closed);
		drtopo_model *x = NULL;
		ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
		ck_assert_int_eq(load_str(x, doc), DRTOPO_ELIMIT);
		ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(x),
					     "nesting deeper than 512 levels"));
		ck_assert_int_eq(drtopo_model_error_line(x), 1);
		/* the 513th level: root object, then 511 brackets */
		ck_assert_int_eq(
			drtopo_model_error_column(x),
			(int)strlen("{\"schema\": \"drtopo-topology/1\", "
				    "\"x-deep\": ") +
				512);
		/* and with the limit raised past jansson's own: still no
		 * crash, still an error */
		ck_ok(x,
		      drtopo_model_set_limit(x, DRTOPO_LIMIT_DEPTH, 1000000));
		int rc = load_str(x, doc);
		ck_assert_msg(rc == DRTOPO_ELIMIT || rc == DRTOPO_EPARSE,
			      "rc %d", rc);
		drtopo_model_free(x);
		free(doc);
	}
	/* within the limit, deep ignored extensions are fine */
	char *doc = deep_doc(500, 1);
	ck_ok(m, load_str(m, doc));
	free(doc);
}
END_TEST

START_TEST(limit_depth_exact)
{
	/* root 1, stacks 2, stack 3, resources 4, resource 5, refs 6 */
	const char *ok = "{\"schema\": \"drtopo-topology/1\", \"stacks\": "
			 "[{\"id\": \"A\", \"resources\": [{\"id\": \"T\", "
			 "\"type\": \"X\"}]}]}";
	const char *deeper = "{\"schema\": \"drtopo-topology/1\", \"stacks\": "
			     "[{\"id\": \"A\", \"resources\": [{\"id\": \"T\", "
			     "\"type\": \"X\", \"references\": []}]}]}";
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_DEPTH, 5));
	ck_ok(m, load_str(m, ok));
	ck_assert_int_eq(load_str(m, deeper), DRTOPO_ELIMIT);
	ck_assert_int_eq(drtopo_model_error_column(m),
			 (int)(strstr(deeper, "[]") - deeper) + 1);
}
END_TEST

/* {"schema": ..., "x-s": "<n bytes>"} with `unit` repeated n/len times */
static char *big_string_doc(const char *unit, size_t count)
{
	static const char head[] = "{\"schema\": \"drtopo-topology/1\", "
				   "\"x-s\": \"";
	size_t ul = strlen(unit);
	char *p = malloc(strlen(head) + ul * count + 4);
	ck_assert_ptr_nonnull(p);
	char *q = p + sprintf(p, "%s", head);
	for (size_t i = 0; i < count; i++, q += ul)
		memcpy(q, unit, ul);
	strcpy(q, "\"}");
	return p;
}

START_TEST(limit_string_1mb)
{
	const size_t mib = 1024 * 1024;
	char *doc = big_string_doc("a", mib);
	ck_ok(m, load_str(m, doc)); /* exactly the limit */
	free(doc);
	doc = big_string_doc("a", mib + 1);
	ck_assert_int_eq(load_str(m, doc), DRTOPO_ELIMIT);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m),
				     "string longer than 1048576 bytes"));
	ck_assert_int_eq(drtopo_model_error_line(m), 1);
	/* the opening quote: the 40th character */
	ck_assert_int_eq(drtopo_model_error_column(m), 40);
	ck_assert_ptr_null(drtopo_model_error_pointer(m));
	/* a raised limit lets it through */
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_STRING, 2 * mib));
	ck_ok(m, load_str(m, doc));
	free(doc);
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_STRING, mib));
	/* the limit is on decoded bytes: \u00e9 is 2 bytes, 6 raw */
	doc = big_string_doc("\\u00e9", mib / 2);
	ck_ok(m, load_str(m, doc));
	free(doc);
	doc = big_string_doc("\\u00e9", mib / 2 + 1);
	ck_assert_int_eq(load_str(m, doc), DRTOPO_ELIMIT);
	free(doc);
	/* keys are strings too */
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_STRING, 20));
	ck_assert_int_eq(load_str(m, "{\"schema\": \"drtopo-topology/1\", "
				     "\"x-12345678901234567890\": 1}"),
			 DRTOPO_ELIMIT);
	ck_assert_int_eq(drtopo_model_error_column(m), 33);
}
END_TEST

START_TEST(limit_file_size)
{
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_FILE_SIZE, 64));
	ck_assert_int_eq(drtopo_model_load_document(m, seed_path("fixed")),
			 DRTOPO_ELIMIT);
	ck_assert_ptr_nonnull(
		strstr(drtopo_model_errmsg(m), "larger than 64 bytes"));
	ck_assert_str_eq(drtopo_model_error_file(m), seed_path("fixed"));
	char buf[100];
	memset(buf, ' ', sizeof(buf));
	ck_assert_int_eq(
		drtopo_model_load_document_buffer(m, buf, sizeof(buf), NULL),
		DRTOPO_ELIMIT);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "<buffer>: "));
	ck_assert_int_eq(drtopo_model_load(m, seed_path("fixed"), NULL, NULL),
			 DRTOPO_ELIMIT);
	ck_assert_uint_eq(drtopo_model_stack_count(m), 0);
}
END_TEST

static void expect_bad_utf8(const char *bytes, size_t len, int line, int col)
{
	drtopo_model *x = NULL;
	ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
	ck_assert_int_eq(drtopo_model_load_document_buffer(x, bytes, len, "u"),
			 DRTOPO_EPARSE);
	ck_assert_msg(strstr(drtopo_model_errmsg(x), "invalid UTF-8") != NULL,
		      "%s", drtopo_model_errmsg(x));
	ck_assert_int_eq(drtopo_model_error_line(x), line);
	ck_assert_int_eq(drtopo_model_error_column(x), col);
	drtopo_model_free(x);
}

START_TEST(utf8_and_nul)
{
	/* "\xc3\xa9" is one column; the bad byte is at 2:10 */
	static const char prefix[] = "{\"schema\": \"drtopo-topology/1\",\n"
				     "\"x-\xc3\xa9\": \"";
	static const char *const bad[] = {
		"\xc0\x80",	    /* overlong NUL */
		"\xed\xa0\x80",	    /* UTF-16 surrogate */
		"\xf5\x80\x80\x80", /* above U+10FFFF */
		"\x80",		    /* lone continuation */
		"\xe2\x82",	    /* truncated sequence */
		"\xff",
	};
	char buf[128];
	for (size_t i = 0; i < DT_ARRAY_LEN(bad); i++) {
		int n = snprintf(buf, sizeof(buf), "%s%s\"}", prefix, bad[i]);
		expect_bad_utf8(buf, (size_t)n, 2, 9);
	}
	/* truncated at the very end of the input */
	int n = snprintf(buf, sizeof(buf), "%s\xf0\x9f\x9a", prefix);
	expect_bad_utf8(buf, (size_t)n, 2, 9);
	/* valid sequences of every length pass */
	n = snprintf(buf, sizeof(buf),
		     "%sa\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80\"}", prefix);
	ck_ok(m, drtopo_model_load_document_buffer(m, buf, (size_t)n, "u"));
	/* a NUL byte, reported where it is */
	static const char nul[] = "{\"schema\": \"drtopo-topology/1\",\n"
				  "  \"x-a\": \"a\0b\"}";
	ck_assert_int_eq(
		drtopo_model_load_document_buffer(m, nul, sizeof(nul) - 1, "n"),
		DRTOPO_EPARSE);
	ck_assert_str_eq(drtopo_model_errmsg(m),
			 "n:2:12: NUL byte in the input");
	/* an escaped NUL is refused by jansson, never truncates a name */
	ck_assert_int_eq(load_str(m, "{\"schema\": \"drtopo-topology/1\", "
				     "\"stacks\": [{\"id\": \"a\\u0000b\"}]}"),
			 DRTOPO_EPARSE);
	ck_assert_uint_eq(drtopo_model_stack_count(m), 0);
}
END_TEST

START_TEST(columns_count_characters)
{
	/* the error is at the value of "nmae", after two 2-byte and one
	 * 4-byte character */
	const char *doc =
		"{\"schema\": \"drtopo-topology/1\", \"stacks\": [\n"
		"{\"id\": \"\xc3\xa9\xc3\xa9\xf0\x9f\x9a\x80\", \"nmae\": 1}]}";
	ck_assert_int_eq(load_str(m, doc), DRTOPO_ESCHEMA);
	ck_assert_int_eq(drtopo_model_error_line(m), 2);
	ck_assert_int_eq(drtopo_model_error_column(m), 23);
	ck_assert_str_eq(drtopo_model_error_pointer(m), "/stacks/0/nmae");
}
END_TEST

START_TEST(errors_arguments_and_io)
{
	ck_assert_int_eq(drtopo_model_load_document(NULL, "x"), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load_document(m, NULL), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load_document(m, ""), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load_document_buffer(NULL, "{}", 2, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load_document_buffer(m, NULL, 2, NULL),
			 DRTOPO_EINVAL);
	/* an empty buffer is malformed JSON, not an invalid argument */
	ck_assert_int_eq(drtopo_model_load_document_buffer(m, NULL, 0, NULL),
			 DRTOPO_EPARSE);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "<buffer>:1:1: "));

	const char *missing = dt_test_data("documents/no-such-file.json");
	ck_assert_int_eq(drtopo_model_load_document(m, missing), DRTOPO_EIO);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), missing));
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "No such file"));
	ck_assert_int_eq(drtopo_model_error_line(m), 0);
	ck_assert_int_eq(
		drtopo_model_load_document(m, dt_test_data("documents/valid")),
		DRTOPO_EIO);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "is a directory"));
}
END_TEST

START_TEST(errors_keep_the_model_valid)
{
	ck_ok(m, load_str(m, "{\"schema\": \"drtopo-topology/1\", \"stacks\": "
			     "[{\"id\": \"Keep\"}]}"));
	/* the last stack is bad: nothing of the document is added */
	ck_assert_int_eq(load_str(m, "{\"schema\": \"drtopo-topology/1\", "
				     "\"externals\": [\"/x\"], \"stacks\": "
				     "[{\"id\": \"New\"}, {\"id\": \"Bad\", "
				     "\"resources\": [{\"id\": \"R\"}]}]}"),
			 DRTOPO_ESCHEMA);
	ck_assert_str_eq(drtopo_model_error_file(m), "test.json");
	ck_assert_str_eq(drtopo_model_error_pointer(m),
			 "/stacks/1/resources/0");
	ck_assert_int_eq(drtopo_model_error_line(m), 1);
	ck_assert_uint_eq(drtopo_model_stack_count(m), 1);
	ck_assert_uint_eq(m->externals.len, 0);
	/* the message survives a later success, as everywhere */
	char copy[512];
	snprintf(copy, sizeof(copy), "%s", drtopo_model_errmsg(m));
	ck_ok(m, load_str(m, "{\"schema\": \"drtopo-topology/1\"}"));
	ck_assert_str_eq(drtopo_model_errmsg(m), copy);
	check_round_trip(m);
}
END_TEST

START_TEST(schema_versions)
{
	static const struct {
		const char *schema, *msg;
	} cases[] = {
		{"drtopo-topology/2",
		 "drtopo-topology/2 is newer than this library supports "
		 "(drtopo-topology/1)"},
		{"drtopo-topology/10", "is newer than this library supports"},
		{"drtopo-topology/0", "unsupported schema 'drtopo-topology/0'"},
		{"drtopo-topology/", "unsupported schema"},
		{"drtopo-topology/01", "unsupported schema"},
		{"drtopo-topology/1 ", "unsupported schema"},
		{"DRTOPO-TOPOLOGY/1", "not a topology document"},
		{"", "not a topology document: schema ''"},
	};
	char doc[200];
	for (size_t i = 0; i < DT_ARRAY_LEN(cases); i++) {
		snprintf(doc, sizeof(doc),
			 "{\"schema\": \"%s\", \"future\": 1}",
			 cases[i].schema);
		ck_assert_int_eq(load_str(m, doc), DRTOPO_ESCHEMA);
		ck_assert_msg(
			strstr(drtopo_model_errmsg(m), cases[i].msg) != NULL,
			"%s: %s", cases[i].schema, drtopo_model_errmsg(m));
		ck_assert_str_eq(drtopo_model_error_pointer(m), "/schema");
	}
}
END_TEST

START_TEST(optional_members_may_be_null)
{
	ck_ok(m,
	      load_str(m, "{\"schema\": \"drtopo-topology/1\", "
			  "\"externals\": null, \"stacks\": [{\"id\": \"A\", "
			  "\"name\": null, \"account\": null, \"region\": "
			  "null, \"depends_on\": null, \"resources\": "
			  "[{\"id\": \"T\", \"type\": \"X\", \"name\": null, "
			  "\"key\": null, \"replica_keys\": null, "
			  "\"replicas_include_own_region\": false}], "
			  "\"parameters\": {\"writes\": [{\"name\": \"/p\", "
			  "\"value\": null}], \"reads\": null}}]}"));
	drtopo_resource *t =
		drtopo_stack_resource_at(drtopo_model_stack_at(m, 0), 0);
	ck_assert_ptr_null(t->table);
	ck_assert_int_eq(DT_VEC_AT(m->params, drtopo_param *, 0)->value.kind,
			 DT_VAL_NONE);
}
END_TEST

/* ---- jsonutil ------------------------------------------------------- */

START_TEST(ptr_builder)
{
	dt_ptr p;
	dt_ptr_init(&p);
	ck_assert_str_eq(dt_ptr_str(&p), "");
	dt_ptr_push(&p, "a/b~c");
	dt_ptr_push_index(&p, 12);
	dt_ptr_push(&p, "");
	ck_assert_str_eq(dt_ptr_str(&p), "/a~1b~0c/12/");
	dt_ptr_pop(&p);
	dt_ptr_pop(&p);
	ck_assert_str_eq(dt_ptr_str(&p), "/a~1b~0c");
	/* a token replaced after the text was asked for */
	dt_ptr_push_index(&p, 3);
	ck_assert_str_eq(dt_ptr_str(&p), "/a~1b~0c/3");
	dt_ptr_pop(&p);
	dt_ptr_push(&p, "y~");
	dt_ptr_push(&p, "z");
	ck_assert_str_eq(dt_ptr_str(&p), "/a~1b~0c/y~0/z");
	dt_ptr_pop(&p);
	dt_ptr_pop(&p);
	/* deeper than the recorded stack, and back */
	for (int i = 0; i < 300; i++)
		dt_ptr_push(&p, "x");
	for (int i = 0; i < 300; i++)
		dt_ptr_pop(&p);
	ck_assert_str_eq(dt_ptr_str(&p), "/a~1b~0c");
	dt_ptr_pop(&p);
	dt_ptr_pop(&p); /* popping the root is harmless */
	ck_assert_str_eq(dt_ptr_str(&p), "");
	dt_ptr_free(&p);
}
END_TEST

static void expect_at(const dt_src *src, const char *pointer, int line, int col)
{
	int l = -1, c = -1;
	dt_json_locate(src, pointer, &l, &c);
	ck_assert_msg(l == line && c == col, "%s: %d:%d, expected %d:%d",
		      pointer ? pointer : "(null)", l, c, line, col);
}

START_TEST(locate_pointers)
{
	static const char text[] =
		"  {\"a\": [1, {\"b\": \"x}\\\"]\"}, [[]], \"\xc3\xa9\"],\n"
		"   \"c/d\": {\"e~f\": true, \"\\u00e9\\ud83d\\ude80\": "
		"null},\n"
		"   \"\": 0, \"n\": -1.5e3}";
	dt_src src = {0};
	src.m = m;
	src.name = "t.json";
	src.text = (char *)text;
	src.len = sizeof(text) - 1;
	expect_at(&src, "", 1, 3);
	expect_at(&src, "/a", 1, 9);
	expect_at(&src, "/a/0", 1, 10);
	expect_at(&src, "/a/1", 1, 13);
	expect_at(&src, "/a/1/b", 1, 19);
	expect_at(&src, "/a/2", 1, 29);
	expect_at(&src, "/a/2/0", 1, 30);
	expect_at(&src, "/a/3", 1, 35);
	expect_at(&src, "/c~1d", 2, 11);
	expect_at(&src, "/c~1d/e~0f", 2, 19);
	expect_at(&src, "/c~1d/\xc3\xa9\xf0\x9f\x9a\x80", 2, 47);
	expect_at(&src, "/", 3, 8);
	expect_at(&src, "/n", 3, 16);
	/* not there */
	expect_at(&src, "/zz", 0, 0);
	expect_at(&src, "/a/4", 0, 0);
	expect_at(&src, "/a/01", 0, 0);
	expect_at(&src, "/a/-", 0, 0);
	expect_at(&src, "/n/x", 0, 0);
	expect_at(&src, "a", 0, 0);
	expect_at(&src, NULL, 0, 0);
	/* truncated text never reads past its end */
	src.len = 20;
	expect_at(&src, "/c~1d", 0, 0);
	expect_at(&src, "/a/1/b", 1, 19);
}
END_TEST

START_TEST(src_error_format)
{
	dt_src src = {0};
	static const char text[] = "{\n  \"k\": [true]\n}";
	src.m = m;
	src.name = "f.json";
	src.text = (char *)text;
	src.len = sizeof(text) - 1;
	ck_assert_int_eq(
		dt_src_error(&src, DRTOPO_ESCHEMA, "/k/0", "bad %d", 7),
		DRTOPO_ESCHEMA);
	ck_assert_str_eq(drtopo_model_errmsg(m), "f.json:2:9: bad 7 (at /k/0)");
	ck_assert_int_eq(drtopo_model_error_line(m), 2);
	ck_assert_int_eq(drtopo_model_error_column(m), 9);
	ck_assert_str_eq(drtopo_model_error_pointer(m), "/k/0");
	/* a pointer that is not in the text: no position */
	dt_src_error(&src, DRTOPO_ESCHEMA, "/nope", "gone");
	ck_assert_str_eq(drtopo_model_errmsg(m), "f.json: gone (at /nope)");
}
END_TEST

START_TEST(parse_and_read)
{
	dt_src src;
	json_t *root = NULL;
	const char *path = seed_path("ideal-response");
	ck_ok(m, dt_src_read(&src, m, path, "display/name.json"));
	ck_assert_str_eq(src.name, "display/name.json");
	ck_ok(m, dt_json_parse(&src, &root));
	ck_assert_ptr_nonnull(root);
	ck_assert(json_is_object(root));
	json_decref(root);
	dt_src_free(&src);
	dt_src_free(&src); /* twice is harmless */

	/* duplicate keys, with their position */
	static char dup[] = "{\"a\": 1,\n \"a\": 2}";
	src.m = m;
	src.name = "d.json";
	src.text = dup;
	src.len = sizeof(dup) - 1;
	ck_assert_int_eq(dt_json_parse(&src, &root), DRTOPO_EPARSE);
	ck_assert_ptr_null(root);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "d.json:2:"));
	ck_assert_ptr_nonnull(
		strstr(drtopo_model_errmsg(m), "duplicate object key"));
	/* scalars parse (the loaders decide what a root must be) */
	static char scalar[] = " 42 ";
	src.text = scalar;
	src.len = sizeof(scalar) - 1;
	ck_ok(m, dt_json_parse(&src, &root));
	ck_assert(json_is_integer(root));
	json_decref(root);
}
END_TEST

/* ---- detection and dispatch ---------------------------------------- */

static char tmpdir[256];

static void tmp_setup(void)
{
	setup();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/drtopo-doc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	teardown();
}

static const char *tmp_file(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (text) {
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
	}
	return path;
}

START_TEST(input_kind_by_content)
{
	static const struct {
		const char *name, *text;
		int kind;
	} cases[] = {
		{"doc.txt", "{\"schema\": \"drtopo-topology/1\"}",
		 DRTOPO_INPUT_DOCUMENT},
		{"future.json", "{\"schema\": \"drtopo-topology/7\"}",
		 DRTOPO_INPUT_DOCUMENT},
		{"manifest.json", "{\"Resources\": {}}", DRTOPO_INPUT_TEMPLATE},
		{"t.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}",
		 DRTOPO_INPUT_TEMPLATE},
		{"m.json", "{\"version\": \"36.0.0\", \"artifacts\": {}}",
		 DRTOPO_INPUT_ASSEMBLY},
		{"m2.json", "{\"version\": \"21.0.0\"}", DRTOPO_INPUT_ASSEMBLY},
		{"report.json", "{\"schema\": \"drtopo-report/1\"}",
		 DRTOPO_ESCHEMA},
		{"other.json", "{\"foo\": 1}", DRTOPO_ESCHEMA},
		{"array.json", "[]", DRTOPO_ESCHEMA},
		{"garbage.json", "not json", DRTOPO_EPARSE},
		{"empty.json", "", DRTOPO_EPARSE},
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(cases); i++)
		ck_assert_msg(drtopo_input_kind(
				      tmp_file(cases[i].name, cases[i].text)) ==
				      cases[i].kind,
			      "%s", cases[i].name);
	ck_assert_int_eq(drtopo_input_kind(seed_path("fixed")),
			 DRTOPO_INPUT_DOCUMENT);
	/* directories: with or without manifest.json */
	ck_assert_int_eq(drtopo_input_kind(tmpdir), DRTOPO_INPUT_ASSEMBLY);
	char sub[400];
	snprintf(sub, sizeof(sub), "%s/empty-dir", tmpdir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(drtopo_input_kind(sub), DRTOPO_EIO);
	ck_assert_int_eq(drtopo_input_kind(tmp_file("missing.json", NULL)),
			 DRTOPO_EIO);
	ck_assert_int_eq(drtopo_input_kind(NULL), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_input_kind(""), DRTOPO_EINVAL);
}
END_TEST

START_TEST(model_load_dispatch)
{
	ck_ok(m, drtopo_model_load(m, seed_path("ideal-response"), NULL, NULL));
	ck_assert_uint_eq(drtopo_model_stack_count(m), 15);
	ck_assert_int_eq(drtopo_model_load(m, tmp_file("x.json", "{\"a\": 1}"),
					   NULL, NULL),
			 DRTOPO_ESCHEMA);
	ck_assert_ptr_nonnull(
		strstr(drtopo_model_errmsg(m),
		       "not a topology document, a cloud assembly "
		       "manifest or a CloudFormation template"));
	ck_assert_int_eq(
		drtopo_model_load(m,
				  tmp_file("y.json", "{\"schema\": "
						     "\"drtopo-topology/2\"}"),
				  NULL, NULL),
		DRTOPO_ESCHEMA);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m),
				     "is newer than this library supports"));
	ck_assert_int_eq(drtopo_model_load(m, tmp_file("z.json", "{\"a\": "),
					   NULL, NULL),
			 DRTOPO_EPARSE);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "z.json:1:"));
	/* told a document by its first key, malformed after it: the same
	 * error as the document loader's own */
	static const char *const broken[] = {
		"{\"schema\": \"drtopo-topology/1\", \"stacks\": [",
		"{\"schema\": \"drtopo-topology/1\", \"stacks\": [}",
		"{\"schema\": \"drtopo-topology/1\", \"x\": \"\xff\"}",
		"{\"schema\": \"drtopo-topology/1\", \"stacks\": 1}",
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(broken); i++) {
		const char *path = tmp_file("w.json", broken[i]);
		int rc = drtopo_model_load(m, path, NULL, NULL);
		char *msg = strdup(drtopo_model_errmsg(m));
		ck_assert_int_eq(drtopo_model_load_document(m, path), rc);
		ck_assert_int_ne(rc, DRTOPO_OK);
		ck_assert_str_eq(drtopo_model_errmsg(m), msg);
		free(msg);
	}
	ck_assert_int_eq(
		drtopo_model_load(m, tmp_file("none", NULL), NULL, NULL),
		DRTOPO_EIO);
	ck_assert_int_eq(drtopo_model_load(NULL, "x", NULL, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load(m, NULL, NULL, NULL), DRTOPO_EINVAL);
	ck_assert_uint_eq(drtopo_model_stack_count(m), 15);
}
END_TEST

/* ---- robustness ----------------------------------------------------- */

static uint32_t rng_state = 12345;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static int known_status(int rc)
{
	return rc == DRTOPO_OK || rc == DRTOPO_EPARSE || rc == DRTOPO_ESCHEMA ||
	       rc == DRTOPO_ELIMIT;
}

/* Whatever is accepted round-trips exactly. */
static void load_anything(const char *text, size_t len)
{
	drtopo_model *x = NULL;
	ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
	int rc = drtopo_model_load_document_buffer(x, text, len, "fuzz");
	ck_assert_msg(known_status(rc), "rc %d: %s", rc,
		      drtopo_model_errmsg(x));
	if (rc == DRTOPO_OK)
		check_round_trip(x);
	else
		ck_assert_str_ne(drtopo_model_errmsg(x), "");
	drtopo_model_free(x);
}

START_TEST(mutated_documents_never_crash)
{
	static const char alphabet[] = "{}[]\",:\\ ~/0u\xc3\xa9\x80x-";
	size_t len = 0;
	char *base = slurp_or_fail(
		dt_test_data("documents/valid/everything.json"), &len);
	char *buf = malloc(len + 64);
	ck_assert_ptr_nonnull(buf);
	for (int iter = 0; iter < 3000; iter++) {
		size_t n = len;
		memcpy(buf, base, len);
		int edits = 1 + (int)(rnd() % 4);
		for (int e = 0; e < edits && n > 1; e++) {
			size_t at = rnd() % n;
			switch (rnd() % 4) {
			case 0: /* replace */
				buf[at] = alphabet[rnd() %
						   (sizeof(alphabet) - 1)];
				break;
			case 1: /* delete */
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
				break;
			case 2: /* insert */
				if (n < len + 60) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = alphabet[rnd() %
							   (sizeof(alphabet) -
							    1)];
					n++;
				}
				break;
			default: /* swap a quoted key for a neighbour's */
				buf[at] ^= 0x20;
				break;
			}
		}
		load_anything(buf, n);
	}
	/* every truncation */
	for (size_t cut = 0; cut < len; cut += 7)
		load_anything(base, cut);
	free(buf);
	free(base);
}
END_TEST

/* ---- the tree parser against jansson ------------------------------
 * dt_jparse() must accept exactly what jansson accepts (after the
 * pre-scan: no NUL byte, valid UTF-8) and give the same values; the
 * loader relies on it to report syntax errors with jansson's words. */

static int same_tree(const dt_jval *a, const json_t *b)
{
	switch (a->type) {
	case DT_JNULL: return json_is_null(b);
	case DT_JTRUE: return json_is_true(b);
	case DT_JFALSE: return json_is_false(b);
	case DT_JINT:
		return json_is_integer(b) && json_integer_value(b) == a->u.i;
	case DT_JREAL: return json_is_real(b) && json_real_value(b) == a->u.d;
	case DT_JSTR:
		return json_is_string(b) && json_string_length(b) == a->n &&
		       memcmp(json_string_value(b), a->u.s, a->n) == 0 &&
		       a->u.s[a->n] == '\0';
	case DT_JARR:
		if (!json_is_array(b) || json_array_size(b) != a->n)
			return 0;
		for (uint32_t i = 0; i < a->n; i++)
			if (!same_tree(&a->u.a[i], json_array_get(b, i)))
				return 0;
		return 1;
	case DT_JOBJ: {
		if (!json_is_object(b) || json_object_size(b) != a->n)
			return 0;
		uint32_t i = 0;
		/* jansson iterates in insertion (document) order */
		for (void *it = json_object_iter((json_t *)b); it;
		     it = json_object_iter_next((json_t *)b, it), i++)
			if (strcmp(json_object_iter_key(it), a->u.o[i].key) ||
			    !same_tree(&a->u.o[i].v,
				       json_object_iter_value(it)))
				return 0;
		return 1;
	}
	default: return 0;
	}
}

/* Compare the two parsers on text[0..len); 1 if it was comparable. */
static int tree_agrees(const char *text, size_t len)
{
	if (memchr(text, '\0', len) || !dt_utf8_valid(text, len))
		return 0; /* the pre-scan's business */
	dt_jtree t;
	size_t at = 0;
	int rc = dt_jparse(&t, text, len, &at);
	json_error_t err;
	json_t *j = json_loadb(text, len,
			       JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	ck_assert_msg(rc == 0 || rc == DT_JSYNTAX, "rc %d", rc);
	ck_assert_msg((rc == 0) == (j != NULL), "%s: %.*s",
		      j ? "jansson accepts" : err.text, (int)len, text);
	if (j) {
		ck_assert_msg(same_tree(&t.root, j), "values differ: %.*s",
			      (int)len, text);
		json_decref(j);
	}
	dt_jtree_free(&t);
	return 1;
}

START_TEST(tree_agrees_with_jansson)
{
	static const char *const cases[] = {
		"",
		" ",
		"{}",
		"[]",
		" {\"a\" : [ 1 , 2 ] } ",
		"{,}",
		"[,]",
		"[1,]",
		"{\"a\":1,}",
		"{\"a\"}",
		"{\"a\":}",
		"{1:2}",
		"[}",
		"{]",
		"[[[]]]",
		"[[[]]",
		"]",
		"null",
		"true",
		"false",
		"nul",
		"truex",
		"True",
		"[true false]",
		"\"x\"",
		"\"x",
		"x",
		/* numbers */
		"0",
		"-0",
		"01",
		"-01",
		"-",
		"1.",
		"1.5",
		".5",
		"1e5",
		"1E+5",
		"1e-5",
		"1e",
		"1e+",
		"-1.5e-3",
		"1.5.3",
		"[1-2]",
		"+1",
		"9223372036854775807",
		"9223372036854775808",
		"-9223372036854775808",
		"-9223372036854775809",
		"99999999999999999999",
		"1e308",
		"1e309",
		"-1e309",
		"1e-400",
		"123456789012345678901234567890.5",
		"[0x10]",
		"[1 2]",
		/* strings */
		"\"\\n\\t\\r\\b\\f\\/\\\\\\\"\"",
		"\"\\x\"",
		"\"\\u00e9\"",
		"\"\\u00E9\"",
		"\"\\u0000\"",
		"\"a\\u0000b\"",
		"\"\\u12\"",
		"\"\\u12g4\"",
		"\"\\ud83d\\ude80\"",
		"\"\\ud83d\"",
		"\"\\ud83dx\"",
		"\"\\ud83d\\u0041\"",
		"\"\\ude80\"",
		"\"\\ud83d\\ud83d\"",
		"\"tab\there\"",
		"\"nl\nhere\"",
		"\"\xc3\xa9\"",
		"\"\\",
		"\"\\\"",
		"{\"\\u0000\":1}",
		/* keys */
		"{\"a\":1,\"a\":2}",
		"{\"a\":1,\"\\u0061\":2}",
		"{\"\":1,\"\":2}",
		"{\"a\":{\"a\":1},\"b\":{\"a\":2}}",
		"{\"x\":1,\"y\":2,\"z\":[{\"x\":1,\"x\":1}]}",
		/* trailing text */
		"{} {}",
		"{}x",
		"[] ",
		"\n\r\t[]\n",
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(cases); i++)
		ck_assert(tree_agrees(cases[i], strlen(cases[i])) ||
			  !dt_utf8_valid(cases[i], strlen(cases[i])));
	/* a large object (the hashed duplicate check), with and without
	 * a repeated key */
	dt_buf b = DT_BUF_INIT;
	for (int dup = 0; dup < 2; dup++) {
		b.len = 0;
		dt_buf_putc(&b, '{');
		for (int k = 0; k < 1000; k++)
			dt_buf_printf(&b, "%s\"k%d\":%d", k ? "," : "",
				      dup && k == 999 ? 3 : k, k);
		dt_buf_putc(&b, '}');
		ck_assert(tree_agrees(b.p, b.len));
	}
	/* 2048 levels and one more (jansson's JSON_PARSER_MAX_DEPTH) */
	for (int extra = 0; extra < 2; extra++) {
		b.len = 0;
		for (int k = 0; k < 2047 + extra; k++)
			dt_buf_putc(&b, '[');
		dt_buf_putc(&b, '1');
		for (int k = 0; k < 2047 + extra; k++)
			dt_buf_putc(&b, ']');
		ck_assert(tree_agrees(b.p, b.len));
	}
	dt_buf_free(&b);
	/* mutations of a document that has every member */
	static const char alphabet[] = "{}[]\",:\\ 0123456789.eE+-utrfalsn";
	size_t len = 0, compared = 0;
	char *base = slurp_or_fail(
		dt_test_data("documents/valid/everything.json"), &len);
	char *buf = malloc(len + 64);
	ck_assert_ptr_nonnull(buf);
	ck_assert(tree_agrees(base, len));
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = len;
		memcpy(buf, base, len);
		int edits = 1 + (int)(rnd() % 3);
		for (int e = 0; e < edits; e++) {
			size_t at = rnd() % n;
			if (rnd() % 2) {
				buf[at] = alphabet[rnd() %
						   (sizeof(alphabet) - 1)];
			} else if (n < len + 60) {
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = alphabet[rnd() %
						   (sizeof(alphabet) - 1)];
				n++;
			}
		}
		compared += (size_t)tree_agrees(buf, n);
	}
	ck_assert_uint_gt(compared, 19000);
	free(buf);
	free(base);
}
END_TEST

#ifdef DRTOPO_FAULT_INJECTION
START_TEST(out_of_memory_everywhere)
{
	size_t len = 0;
	char *text = slurp_or_fail(
		dt_test_data("documents/valid/everything.json"), &len);
	for (unsigned long n = 1;; n++) {
		drtopo_model *x = NULL;
		ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
		dt_fault_arm(n);
		int rc = drtopo_model_load_document_buffer(x, text, len, "oom");
		char *out = NULL;
		int wrc = rc == DRTOPO_OK ? drtopo_model_to_json(x, &out, NULL)
					  : DRTOPO_OK;
		int fired = dt_fault_fired();
		dt_fault_disarm();
		ck_assert_msg(rc == DRTOPO_OK || rc == DRTOPO_ENOMEM,
			      "n=%lu rc=%d %s", n, rc, drtopo_model_errmsg(x));
		ck_assert_msg(wrc == DRTOPO_OK || wrc == DRTOPO_ENOMEM,
			      "n=%lu wrc=%d", n, wrc);
		if (wrc == DRTOPO_OK && out)
			drtopo_free(out);
		drtopo_model_free(x);
		if (!fired)
			break;
	}
	free(text);
}
END_TEST
#endif

static Suite *document_suite(void)
{
	Suite *s = suite_create("document");
	TCase *tc = tcase_create("seed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, seed_documents_load);
	tcase_add_test(tc, seed_variants_wiring);
	tcase_add_test(tc, seed_round_trip_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("corpus");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, valid_corpus);
	tcase_add_test(tc, invalid_corpus);
	tcase_add_test(tc, invalid_corpus_from_buffers);
	suite_add_tcase(s, tc);

	tc = tcase_create("links");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, links_forward_and_dangling);
	tcase_add_test(tc, values_of_every_kind);
	tcase_add_test(tc, locations_point_into_the_document);
	tcase_add_test(tc, links_across_documents);
	tcase_add_test(tc, optional_members_may_be_null);
	tcase_add_test(tc, route_health_check_of_a_later_stack);
	tcase_add_test(tc, route_health_check_round_trip_across_stacks);
	suite_add_tcase(s, tc);

	tc = tcase_create("writer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, writer_empty_model);
	tcase_add_test(tc, writer_arguments);
	tcase_add_test(tc, writer_api_model_round_trip);
	tcase_add_test(tc, writer_spreads_long_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, limit_depth_100000);
	tcase_add_test(tc, limit_depth_exact);
	tcase_add_test(tc, limit_string_1mb);
	tcase_add_test(tc, limit_file_size);
	tcase_add_test(tc, utf8_and_nul);
	tcase_add_test(tc, columns_count_characters);
	tcase_add_test(tc, errors_arguments_and_io);
	tcase_add_test(tc, errors_keep_the_model_valid);
	tcase_add_test(tc, schema_versions);
	suite_add_tcase(s, tc);

	tc = tcase_create("jsonutil");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ptr_builder);
	tcase_add_test(tc, locate_pointers);
	tcase_add_test(tc, src_error_format);
	tcase_add_test(tc, parse_and_read);
	suite_add_tcase(s, tc);

	tc = tcase_create("detect");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, input_kind_by_content);
	tcase_add_test(tc, model_load_dispatch);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, mutated_documents_never_crash);
	tcase_add_test(tc, tree_agrees_with_jansson);
#ifdef DRTOPO_FAULT_INJECTION
	tcase_add_test(tc, out_of_memory_everywhere);
#endif
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(document_suite)
