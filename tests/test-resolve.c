/*
 * The resolver: waves, cycles, implied edges, edge order, determinism,
 * declared-dependency reachability, scale, and the JSON report's shape.
 */
#include <stdint.h>

#include <jansson.h>

#include "testutil.h"
#include "pieces.h"
#include "resolve.h"

#define ACCT "111111111111"
#define ACCT2 "222222222222"
#define E1 "us-east-1"
#define E2 "us-east-2"
#define W2 "us-west-2"

static drtopo_model *m;
static drtopo_result *res;

static void setup(void)
{
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	res = NULL;
}

static void teardown(void)
{
	drtopo_result_free(res);
	drtopo_model_free(m);
	res = NULL;
	m = NULL;
}

/* ---- helpers ------------------------------------------------------- */

static drtopo_stack *add(const char *id, const char *account,
			 const char *region)
{
	drtopo_stack *s = NULL;
	ck_ok(m, drtopo_model_add_stack(m, id, account, region, &s));
	return s;
}

/* The stack `id`, created in ACCT/E1 on first use. */
static drtopo_stack *S(const char *id)
{
	drtopo_stack *s = NULL;
	if (drtopo_model_find_stack(m, id, &s) == DRTOPO_OK)
		return s;
	return add(id, ACCT, E1);
}

static drtopo_resource *R(drtopo_stack *s, const char *id, const char *type)
{
	drtopo_resource *r = NULL;
	if (drtopo_stack_find_resource(s, id, &r) == DRTOPO_OK)
		return r;
	ck_ok(m, drtopo_stack_add_resource(s, id, type, NULL, &r));
	return r;
}

/* "A>B C>D": A depends on B, C on D (explicit). */
static void deps(const char *spec)
{
	char buf[1024], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *gt = strchr(tok, '>');
		ck_assert_ptr_nonnull(gt);
		*gt = '\0';
		drtopo_stack *from = S(tok), *to = S(gt + 1);
		ck_ok(m, drtopo_stack_add_dependency(from, to));
	}
}

static drtopo_result *resolve(void)
{
	drtopo_result_free(res);
	res = NULL;
	ck_ok(m, drtopo_model_resolve(m, &res));
	ck_assert_ptr_nonnull(res);
	return res;
}

/* Rotating buffers so that several renderings fit in one assertion. */
static char *textbuf(void)
{
	static char bufs[4][1 << 16];
	static int next;
	char *b = bufs[next++ & 3];
	b[0] = '\0';
	return b;
}

static void cat(char *b, const char *s)
{
	size_t n = strlen(b);
	snprintf(b + n, (1 << 16) - n, "%s", s);
}

/* Waves through the public API: "D|B C|A". */
static const char *waves(const drtopo_result *r)
{
	char *b = textbuf();
	for (size_t w = 0; w < drtopo_result_wave_count(r); w++) {
		if (w)
			cat(b, "|");
		for (size_t i = 0; i < drtopo_result_wave_size(r, w); i++) {
			if (i)
				cat(b, " ");
			cat(b,
			    drtopo_stack_id(drtopo_result_wave_stack(r, w, i)));
		}
		ck_assert_ptr_null(drtopo_result_wave_stack(
			r, w, drtopo_result_wave_size(r, w)));
	}
	return b;
}

/* Edges through the public API: "A>B explicit -;A>B reference R.Arn". */
static const char *edges(const drtopo_result *r)
{
	char *b = textbuf();
	for (size_t i = 0; i < drtopo_result_edge_count(r); i++) {
		drtopo_stack *from = NULL, *to = NULL;
		int kind = 0;
		const char *via = "?";
		ck_assert_int_eq(
			drtopo_result_edge(r, i, &from, &to, &kind, &via),
			DRTOPO_OK);
		if (i)
			cat(b, ";");
		cat(b, drtopo_stack_id(from));
		cat(b, ">");
		cat(b, drtopo_stack_id(to));
		cat(b, " ");
		cat(b, drtopo_edge_kind_name(kind));
		cat(b, " ");
		cat(b, via ? via : "-");
	}
	return b;
}

static const char *sid(const drtopo_result *r, uint32_t index)
{
	return DT_VEC_AT(r->model->stacks, drtopo_stack *, index)->id;
}

/* Cycles from lib/resolve.h: "A>B>A;X>Y>Z>X". Checks that each edge
 * carries its step of the path. */
static const char *cycles(const drtopo_result *r)
{
	char *b = textbuf();
	for (size_t c = 0; c < r->ncycles; c++) {
		const dt_cycle *cy = &r->cycles[c];
		ck_assert_uint_gt(cy->len, 0);
		if (c)
			cat(b, ";");
		for (uint32_t i = 0; i < cy->len; i++) {
			cat(b, sid(r, cy->path[i]));
			cat(b, ">");
			ck_assert_uint_eq(cy->edge[i]->from, cy->path[i]);
			ck_assert_uint_eq(cy->edge[i]->to,
					  cy->path[(i + 1) % cy->len]);
		}
		cat(b, sid(r, cy->path[0]));
	}
	return b;
}

/* Kinds of the edges along each cycle: "explicit,reference;...". */
static const char *cycle_kinds(const drtopo_result *r)
{
	char *b = textbuf();
	for (size_t c = 0; c < r->ncycles; c++) {
		if (c)
			cat(b, ";");
		for (uint32_t i = 0; i < r->cycles[c].len; i++) {
			if (i)
				cat(b, ",");
			cat(b,
			    drtopo_edge_kind_name(r->cycles[c].edge[i]->kind));
		}
	}
	return b;
}

static void assert_cyclic(const drtopo_result *r)
{
	ck_assert_int_eq(drtopo_result_has_cycle(r), 1);
	ck_assert_uint_eq(drtopo_result_wave_count(r), 0);
	ck_assert_uint_eq(drtopo_result_wave_size(r, 0), 0);
	ck_assert_ptr_null(drtopo_result_wave_stack(r, 0, 0));
	for (size_t i = 0; i < drtopo_model_stack_count(m); i++)
		ck_assert_int_eq(drtopo_result_stack_wave(
					 r, drtopo_model_stack_at(m, i)),
				 0);
}

static char *to_json(const drtopo_result *r, size_t *len_out)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(drtopo_result_to_json(r, &out, &len), DRTOPO_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), len);
	if (len_out)
		*len_out = len;
	return out;
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	ck_assert_msg(j != NULL, "line %d: %s\n%s", err.line, err.text, text);
	return j;
}

/* ---- waves --------------------------------------------------------- */

START_TEST(empty_model)
{
	resolve();
	ck_assert_int_eq(drtopo_result_has_cycle(res), 0);
	ck_assert_uint_eq(drtopo_result_wave_count(res), 0);
	ck_assert_uint_eq(drtopo_result_edge_count(res), 0);
	ck_assert_uint_eq(res->ncycles, 0);
	ck_assert_ptr_eq(drtopo_result_model(res), m);
	ck_assert_int_eq(drtopo_result_edge(res, 0, NULL, NULL, NULL, NULL),
			 DRTOPO_EINVAL);
	char *text = to_json(res, NULL);
	json_t *j = parse(text);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "stacks")), 0);
	ck_assert(json_is_array(json_object_get(j, "waves")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "waves")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "edges")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "parameters")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_object_get(j, "summary"), "stacks")),
			 0);
	json_decref(j);
	drtopo_free(text);
}
END_TEST

START_TEST(chain)
{
	deps("A>B B>C");
	resolve();
	ck_assert_int_eq(drtopo_result_has_cycle(res), 0);
	ck_assert_str_eq(waves(res), "C|B|A");
	ck_assert_int_eq(drtopo_result_stack_wave(res, S("A")), 3);
	ck_assert_int_eq(drtopo_result_stack_wave(res, S("B")), 2);
	ck_assert_int_eq(drtopo_result_stack_wave(res, S("C")), 1);
	ck_assert_str_eq(edges(res), "A>B explicit -;B>C explicit -");
}
END_TEST

START_TEST(diamond)
{
	deps("A>B A>C B>D C>D");
	resolve();
	ck_assert_str_eq(waves(res), "D|B C|A");
	ck_assert_uint_eq(drtopo_result_wave_size(res, 1), 2);
	ck_assert_uint_eq(drtopo_result_wave_size(res, 3), 0);
	ck_assert_ptr_null(drtopo_result_wave_stack(res, 3, 0));
}
END_TEST

START_TEST(longest_path_decides)
{
	/* A needs B directly and through C: A is in wave 3, not 2. */
	deps("A>B A>C C>B");
	resolve();
	ck_assert_str_eq(waves(res), "B|C|A");
}
END_TEST

START_TEST(forest)
{
	deps("c1>r1 c2>r1 g1>c1 c3>r2 g2>c3 h>g2");
	resolve();
	ck_assert_str_eq(waves(res), "r1 r2|c1 c2 c3|g1 g2|h");
}
END_TEST

START_TEST(disconnected)
{
	/* Inserted in reverse: every wave lists its stacks by id. */
	S("d");
	S("c");
	S("b");
	deps("z>y");
	S("a");
	resolve();
	ck_assert_str_eq(waves(res), "a b c d y|z");
	ck_assert_uint_eq(drtopo_result_edge_count(res), 1);
}
END_TEST

START_TEST(ids_order_as_strcmp)
{
	/* Ids that share their first 8 bytes, end within them or go on,
	 * and bytes above 0x7f: the order of strcmp(). */
	static const char *const ids[] = {
		"abcdefghB", "abcdefgh",  "abcdefghA",	       "abc",
		"abcdefgi",  "Z",	  "\xc3\xa9t\xc3\xa9", "abcdefgh~",
		"a",	     "abcdefghAB"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		S(ids[i]);
	resolve();
	ck_assert_str_eq(waves(res), "Z a abc abcdefgh abcdefghA abcdefghAB "
				     "abcdefghB abcdefgh~ abcdefgi "
				     "\xc3\xa9t\xc3\xa9");
}
END_TEST

START_TEST(wave_accessor_edges)
{
	deps("A>B");
	resolve();
	drtopo_model *o = NULL;
	drtopo_stack *foreign = NULL;
	ck_assert_int_eq(drtopo_model_new(&o), DRTOPO_OK);
	ck_ok(o, drtopo_model_add_stack(o, "A", ACCT, E1, &foreign));
	/* A stack of another model has no wave here, even with the same id. */
	ck_assert_int_eq(drtopo_result_stack_wave(res, foreign), 0);
	ck_assert_int_eq(drtopo_result_stack_wave(res, NULL), 0);
	ck_assert_int_eq(drtopo_result_stack_wave(NULL, S("A")), 0);
	ck_assert_uint_eq(drtopo_result_wave_count(NULL), 0);
	ck_assert_uint_eq(drtopo_result_wave_size(NULL, 0), 0);
	ck_assert_ptr_null(drtopo_result_wave_stack(NULL, 0, 0));
	ck_assert_uint_eq(drtopo_result_wave_size(res, SIZE_MAX), 0);
	ck_assert_ptr_null(drtopo_result_wave_stack(res, 0, SIZE_MAX));
	ck_assert_int_eq(drtopo_result_has_cycle(NULL), 0);
	ck_assert_uint_eq(drtopo_result_edge_count(NULL), 0);
	ck_assert_ptr_null(drtopo_result_model(NULL));
	drtopo_model_free(o);
	/* A stack added after resolving is not in the result. */
	drtopo_stack *late = S("late");
	ck_assert_int_eq(drtopo_result_stack_wave(res, late), 0);
}
END_TEST

START_TEST(resolve_arguments)
{
	drtopo_result *r = (drtopo_result *)0x1;
	ck_assert_int_eq(drtopo_model_resolve(NULL, &r), DRTOPO_EINVAL);
	ck_assert_ptr_eq(r, (drtopo_result *)0x1);
	ck_assert_int_eq(drtopo_model_resolve(m, NULL), DRTOPO_EINVAL);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "out"));
	drtopo_result_free(NULL);
	/* Resolving twice gives two independent, equal results. */
	deps("A>B");
	drtopo_result *r1 = NULL, *r2 = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r1));
	ck_ok(m, drtopo_model_resolve(m, &r2));
	ck_assert_ptr_ne(r1, r2);
	char *j1 = to_json(r1, NULL), *j2 = to_json(r2, NULL);
	ck_assert_str_eq(j1, j2);
	drtopo_free(j1);
	drtopo_free(j2);
	drtopo_result_free(r1);
	ck_assert_str_eq(waves(r2), "B|A");
	drtopo_result_free(r2);
}
END_TEST

/* ---- cycles -------------------------------------------------------- */

START_TEST(cycle_self_loop)
{
	deps("B>A A>A");
	resolve();
	assert_cyclic(res);
	ck_assert_uint_eq(res->ncycles, 1);
	ck_assert_str_eq(cycles(res), "A>A");
	ck_assert_str_eq(cycle_kinds(res), "explicit");
	ck_assert_str_eq(edges(res), "A>A explicit -;B>A explicit -");
}
END_TEST

START_TEST(cycle_two)
{
	deps("B>A A>B");
	resolve();
	assert_cyclic(res);
	ck_assert_str_eq(cycles(res), "A>B>A");
}
END_TEST

START_TEST(cycle_three_starts_at_smallest)
{
	deps("m>k z>m k>z");
	resolve();
	assert_cyclic(res);
	ck_assert_str_eq(cycles(res), "k>z>m>k");
	ck_assert_uint_eq(res->cycles[0].len, 3);
}
END_TEST

START_TEST(cycle_nested_sccs)
{
	/* Two cycles sharing A: one component, one (shortest) cycle. */
	deps("A>C C>D D>A A>B B>A");
	resolve();
	assert_cyclic(res);
	ck_assert_uint_eq(res->ncycles, 1);
	ck_assert_str_eq(cycles(res), "A>B>A");
	ck_assert_uint_eq(res->nscc, 1);

	/* The smallest id is only on the longer of two cycles. */
	teardown();
	setup();
	deps("b>d d>b a>b b>c c>a");
	resolve();
	ck_assert_uint_eq(res->ncycles, 1);
	ck_assert_str_eq(cycles(res), "a>b>c>a");
}
END_TEST

START_TEST(cycle_disjoint_sccs)
{
	/* Two components plus acyclic stacks around them. */
	deps("y>z z>x x>y t>y q>p p>q a>p x>b");
	resolve();
	assert_cyclic(res);
	ck_assert_uint_eq(res->ncycles, 2);
	ck_assert_str_eq(cycles(res), "p>q>p;x>y>z>x");
	/* Stacks outside the cycles stay in their own components. */
	ck_assert_uint_eq(res->nscc, 5); /* {p,q} {x,y,z} a b t */
	ck_assert_uint_ne(res->scc[S("a")->index], res->scc[S("p")->index]);
	ck_assert_uint_eq(res->scc[S("x")->index], res->scc[S("z")->index]);
}
END_TEST

START_TEST(cycle_through_implied_edges)
{
	/* A uses B's key (reference); B reads a parameter A writes. */
	drtopo_stack *a = S("A"), *b = S("B");
	drtopo_resource *key = R(b, "Key", "AWS::KMS::Key");
	drtopo_resource *fn = R(a, "Fn", "AWS::Lambda::Function");
	ck_ok(m, drtopo_resource_add_reference(fn, key, "Arn"));
	ck_ok(m, drtopo_stack_write_parameter(a, "/a/url", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(b, "/a/url", NULL, NULL, NULL));
	resolve();
	assert_cyclic(res);
	ck_assert_str_eq(cycles(res), "A>B>A");
	ck_assert_str_eq(cycle_kinds(res), "reference,parameter");
	ck_assert_str_eq(
		dt_edge_via(res, (size_t)(res->cycles[0].edge[0] - res->edges),
			    NULL),
		"Key.Arn");
	ck_assert_str_eq(
		dt_edge_via(res, (size_t)(res->cycles[0].edge[1] - res->edges),
			    NULL),
		"/a/url");

	/* With an explicit edge on the same pair, the cycle names the
	 * first edge in order: explicit. */
	ck_ok(m, drtopo_stack_add_dependency(a, b));
	resolve();
	ck_assert_str_eq(cycle_kinds(res), "explicit,parameter");
}
END_TEST

START_TEST(cycle_json_has_no_waves)
{
	deps("A>B B>A C>A");
	resolve();
	char *text = to_json(res, NULL);
	json_t *j = parse(text);
	ck_assert_ptr_null(json_object_get(j, "waves"));
	json_t *st = json_object_get(j, "stacks");
	ck_assert_uint_eq(json_array_size(st), 3);
	for (size_t i = 0; i < json_array_size(st); i++)
		ck_assert_ptr_null(
			json_object_get(json_array_get(st, i), "wave"));
	ck_assert_ptr_null(strstr(text, "\"wave"));
	json_decref(j);
	drtopo_free(text);
}
END_TEST

/* ---- implied edges ------------------------------------------------- */

START_TEST(edge_reference)
{
	drtopo_stack *app = add("App", ACCT, E1);
	drtopo_stack *kms = add("Kms", ACCT, E2); /* any region: DRT201's job */
	drtopo_resource *fn = R(app, "Fn", "AWS::Lambda::Function");
	drtopo_resource *role = R(app, "Role", "AWS::IAM::Role");
	drtopo_resource *key = R(kms, "Key", "AWS::KMS::Key");
	ck_ok(m, drtopo_resource_add_reference(fn, key, "Arn"));
	ck_ok(m, drtopo_resource_add_reference(fn, key, NULL));
	ck_ok(m,
	      drtopo_resource_add_reference(fn, role, "Arn")); /* same stack */
	resolve();
	ck_assert_str_eq(edges(res),
			 "App>Kms reference Key;App>Kms reference Key.Arn");
	ck_assert_str_eq(waves(res), "Kms|App");

	/* The order is that of the carrier text: "Key-2.Arn" sorts before
	 * "Key.Arn" ('-' < '.'), and "Key.Arn" before "Key.ArnB". */
	drtopo_resource *key2 = R(kms, "Key-2", "AWS::KMS::Key");
	ck_ok(m, drtopo_resource_add_reference(fn, key, "ArnB"));
	ck_ok(m, drtopo_resource_add_reference(fn, key2, "Arn"));
	ck_ok(m, drtopo_resource_add_reference(fn, key2, NULL));
	resolve();
	ck_assert_str_eq(edges(res), "App>Kms reference Key;"
				     "App>Kms reference Key-2;"
				     "App>Kms reference Key-2.Arn;"
				     "App>Kms reference Key.Arn;"
				     "App>Kms reference Key.ArnB");
	char *text = to_json(res, NULL);
	const char *p1 = strstr(text, "\"Key-2.Arn\"");
	const char *p2 = strstr(text, "\"Key.Arn\"");
	ck_assert(p1 && p2 && p1 < p2);
	drtopo_free(text);
}
END_TEST

START_TEST(edge_export_same_env_only)
{
	drtopo_stack *p = add("P", ACCT, E1);
	drtopo_stack *p2 = add("P2", ACCT, E1);
	add("C1", ACCT, E1);
	add("C2", ACCT, E2);
	add("C3", ACCT2, E1);
	add("H", ACCT, NULL);
	drtopo_stack *g1 = add("G1", NULL, NULL);
	add("G2", NULL, NULL);
	ck_ok(m, drtopo_stack_add_export(p, "X", NULL));
	ck_ok(m, drtopo_stack_add_export(p, "Z", NULL));
	ck_ok(m, drtopo_stack_add_export(p2, "Z", NULL)); /* DRT205 */
	ck_ok(m, drtopo_stack_add_export(g1, "Y", NULL));
	ck_ok(m, drtopo_stack_add_import(S("C1"), "X", NULL));
	ck_ok(m, drtopo_stack_add_import(S("C1"), "Z", NULL));
	ck_ok(m,
	      drtopo_stack_add_import(S("C2"), "X", NULL)); /* other region */
	ck_ok(m, drtopo_stack_add_import(S("C3"), "X", NULL)); /* other acct */
	ck_ok(m,
	      drtopo_stack_add_import(S("H"), "X", NULL)); /* unknown region */
	ck_ok(m, drtopo_stack_add_import(p, "X", NULL));   /* own export */
	ck_ok(m,
	      drtopo_stack_add_import(S("G2"), "Y", NULL)); /* both unknown */
	ck_ok(m,
	      drtopo_stack_add_import(S("C1"), "Y", NULL)); /* agnostic side */
	ck_ok(m, drtopo_stack_add_import(S("C1"), "Nope", NULL));
	resolve();
	/* Z has two exporters in C1's place (DRT205): the first counts. */
	ck_assert_str_eq(edges(res),
			 "C1>P export X;C1>P export Z;G2>G1 export Y");
}
END_TEST

/* Thousands of exporters and importers of one name in one place are
 * thousands of edges, not their product; exporters of other accounts
 * ahead in the chain are skipped. */
START_TEST(edge_export_many_exporters_linear)
{
	enum { N = 3000 };
	char id[32];
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "O%d", i);
		ck_ok(m,
		      drtopo_stack_add_export(add(id, ACCT2, E1), "X", NULL));
	}
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "P%d", i);
		ck_ok(m, drtopo_stack_add_export(add(id, ACCT, E1), "X", NULL));
	}
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "C%d", i);
		ck_ok(m, drtopo_stack_add_import(add(id, ACCT, E1), "X", NULL));
	}
	resolve();
	ck_assert_uint_eq(drtopo_result_edge_count(res), N);
	drtopo_stack *to = NULL;
	ck_assert_int_eq(drtopo_result_edge(res, N - 1, NULL, &to, NULL, NULL),
			 DRTOPO_OK);
	ck_assert_str_eq(drtopo_stack_id(to), "P0");
}
END_TEST

START_TEST(edge_parameter_first_writer_in_region)
{
	drtopo_stack *w1 = add("W1", ACCT, E1), *w2 = add("W2", ACCT, W2);
	drtopo_stack *w3 = add("W3", ACCT, E1);
	drtopo_stack *w4 = add("W4", ACCT, E1), *w5 = add("W5", ACCT, E1);
	drtopo_stack *x1 = add("X1", ACCT2, E1), *x2 = add("X2", ACCT, E1);
	drtopo_stack *x3 = add("X3", NULL, E1);
	drtopo_stack *s1 = add("S1", ACCT, E1), *s2 = add("S2", ACCT, E1);
	drtopo_stack *g1 = add("G1", NULL, NULL), *g2 = add("G2", NULL, NULL);
	ck_ok(m, drtopo_stack_write_parameter(w1, "/p", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_write_parameter(w2, "/p", NULL, NULL, NULL));
	/* Written into another region than the writer's own. */
	ck_ok(m, drtopo_stack_write_parameter(w3, "/q", W2, NULL, NULL));
	/* Two writers in one place: the first in model order. */
	ck_ok(m, drtopo_stack_write_parameter(w4, "/d", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_write_parameter(w5, "/d", NULL, NULL, NULL));
	/* The first writer is of another account: skipped. */
	ck_ok(m, drtopo_stack_write_parameter(x1, "/e", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_write_parameter(x2, "/e", NULL, NULL, NULL));
	/* A writer of unknown account is compatible with any. */
	ck_ok(m, drtopo_stack_write_parameter(x3, "/f", NULL, NULL, NULL));
	/* The reader writes it first itself: no edge to the second. */
	ck_ok(m, drtopo_stack_write_parameter(s1, "/g", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_write_parameter(s2, "/g", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_write_parameter(g1, "/h", NULL, NULL, NULL));

	ck_ok(m, drtopo_stack_read_parameter(add("R1", ACCT, E1), "/p", NULL,
					     NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(add("R2", ACCT, W2), "/p", NULL,
					     NULL, NULL));
	/* An explicit cross-region reader reads where it says. */
	ck_ok(m, drtopo_stack_read_parameter(add("R3", ACCT, "eu-west-1"), "/p",
					     E1, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(add("R4", ACCT, W2), "/q", NULL,
					     NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(add("R5", ACCT, E1), "/q", NULL,
					     NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(add("R6", ACCT, E1), "/d", NULL,
					     NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(add("R7", ACCT, E1), "/e", NULL,
					     NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(add("R8", ACCT, E1), "/f", NULL,
					     NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(s1, "/g", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(g2, "/h", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(S("R9"), "/nobody", NULL, NULL,
					     NULL));
	resolve();
	ck_assert_str_eq(edges(res), "G2>G1 parameter /h;"
				     "R1>W1 parameter /p;"
				     "R2>W2 parameter /p;"
				     "R3>W1 parameter /p;"
				     "R4>W3 parameter /q;"
				     "R6>W4 parameter /d;"
				     "R7>X2 parameter /e;"
				     "R8>X3 parameter /f");
}
END_TEST

START_TEST(edge_stack_output_by_name_and_id)
{
	drtopo_stack *p1 = add("P1", ACCT, E1), *p2 = add("P2", ACCT, E1);
	drtopo_stack *c = add("C", ACCT, E1);
	ck_ok(m, drtopo_stack_set_name(p1, "Prod/Db", "prod-db"));
	ck_ok(m, drtopo_stack_add_output_read(c, "prod-db", "TableArn", NULL,
					      NULL));
	ck_ok(m, drtopo_stack_add_output_read(c, "P2", "Out", NULL, NULL));
	/* The id still names a stack that has a CloudFormation name. */
	ck_ok(m, drtopo_stack_add_output_read(c, "P1", "ById", NULL, NULL));
	/* The display name is not a stack name. */
	ck_ok(m, drtopo_stack_add_output_read(c, "Prod/Db", "Display", NULL,
					      NULL));
	ck_ok(m, drtopo_stack_add_output_read(c, "C", "Self", NULL, NULL));
	ck_ok(m, drtopo_stack_add_output_read(c, "ghost", "X", NULL, NULL));
	ck_ok(m, drtopo_stack_add_output_read(p2, "prod-db", "Arn", E1, NULL));
	resolve();
	ck_assert_str_eq(edges(res), "C>P1 stack-output ById;"
				     "C>P1 stack-output TableArn;"
				     "C>P2 stack-output Out;"
				     "P2>P1 stack-output Arn");
}
END_TEST

START_TEST(edge_stack_output_region_of_read)
{
	/* One CloudFormation stack name in two regions (stack names are
	 * unique per account and region only): a read resolves in the
	 * region it reads from. */
	drtopo_stack *east = add("AppEast", ACCT, E1);
	drtopo_stack *west = add("AppWest", ACCT, W2);
	ck_ok(m, drtopo_stack_set_name(east, NULL, "app"));
	ck_ok(m, drtopo_stack_set_name(west, NULL, "app"));
	ck_ok(m, drtopo_stack_add_output_read(add("RWest", ACCT, W2), "app",
					      "Url", NULL, NULL));
	ck_ok(m, drtopo_stack_add_output_read(add("REast", ACCT, E1), "app",
					      "Url", NULL, NULL));
	ck_ok(m, drtopo_stack_add_output_read(add("RCross", ACCT, E1), "app",
					      "Url", W2, NULL));
	ck_ok(m, drtopo_stack_add_output_read(add("RNone", ACCT, E1), "app",
					      "Url", "eu-west-1", NULL));
	resolve();
	ck_assert_str_eq(edges(res), "RCross>AppWest stack-output Url;"
				     "REast>AppEast stack-output Url;"
				     "RWest>AppWest stack-output Url");
}
END_TEST

START_TEST(edge_replica_key_and_cmk)
{
	drtopo_stack *db = add("Db", ACCT, E1);
	drtopo_stack *k1 = add("Kms1", ACCT, E1), *k2 = add("Kms2", ACCT, E2);
	drtopo_resource *t = R(db, "Table", "AWS::DynamoDB::GlobalTable");
	drtopo_resource *own = R(db, "OwnKey", "AWS::KMS::Key");
	drtopo_resource *key1 = R(k1, "Key1", "AWS::KMS::Key");
	drtopo_resource *key2 = R(k2, "Key2", "AWS::KMS::Key");
	ck_ok(m, drtopo_resource_add_replica(t, E2));
	ck_ok(m, drtopo_resource_set_cmk(t, key1));
	ck_ok(m, drtopo_resource_set_replica_key(t, E2, key2));
	ck_ok(m, drtopo_resource_set_replica_key(t, W2, own)); /* same stack */
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, "eu-west-1", "arn:aws:kms:eu-west-1:1:key/k"));
	ck_ok(m, drtopo_resource_set_replica_key_parameter(t, "ap-south-1",
							   "/k", NULL));
	resolve();
	ck_assert_str_eq(edges(res), "Db>Kms1 reference Key1;"
				     "Db>Kms2 replica-key Key2");

	/* A table key of its own stack implies nothing. */
	ck_ok(m, drtopo_resource_set_cmk(t, own));
	resolve();
	ck_assert_str_eq(edges(res), "Db>Kms2 replica-key Key2");
}
END_TEST

START_TEST(edge_dedup_and_order)
{
	/* Added in scrambled order; read back sorted by (from id, to id,
	 * kind, via) with duplicates merged. */
	drtopo_stack *z = S("Z"), *b = S("B"), *a = S("A");
	drtopo_resource *bz = R(b, "Rb", "AWS::SNS::Topic");
	drtopo_resource *zr = R(z, "Rz", "AWS::SNS::Topic");
	drtopo_resource *ar = R(a, "Ra", "AWS::SNS::Topic");
	ck_ok(m, drtopo_stack_add_dependency(a, z));
	ck_ok(m, drtopo_resource_add_reference(bz, zr, "Name"));
	ck_ok(m, drtopo_stack_write_parameter(b, "/p", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(a, "/p", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(a, "/p", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_add_export(b, "E", bz));
	ck_ok(m, drtopo_stack_add_import(a, "E", ar));
	ck_ok(m, drtopo_resource_add_reference(ar, bz, "Name"));
	ck_ok(m, drtopo_resource_add_reference(ar, bz, "Arn"));
	ck_ok(m, drtopo_resource_add_reference(ar, bz, "Arn"));
	ck_ok(m, drtopo_stack_add_dependency(a, b));
	ck_ok(m, drtopo_stack_add_dependency(a, b));
	ck_ok(m, drtopo_stack_add_dependency(a, z));
	resolve();
	ck_assert_str_eq(edges(res), "A>B explicit -;"
				     "A>B reference Rb.Arn;"
				     "A>B reference Rb.Name;"
				     "A>B export E;"
				     "A>B parameter /p;"
				     "A>Z explicit -;"
				     "B>Z reference Rz.Name");
	ck_assert_uint_eq(drtopo_result_edge_count(res), 7);
	/* The explicit edge has no carrier: a NULL via. */
	const char *via = "x";
	int kind = 0;
	ck_assert_int_eq(drtopo_result_edge(res, 0, NULL, NULL, &kind, &via),
			 DRTOPO_OK);
	ck_assert_ptr_null(via);
	ck_assert_int_eq(kind, DRTOPO_EDGE_EXPLICIT);
	/* Out of range: EINVAL, out-parameters untouched. */
	drtopo_stack *from = (drtopo_stack *)0x1;
	ck_assert_int_eq(drtopo_result_edge(res, 7, &from, NULL, NULL, NULL),
			 DRTOPO_EINVAL);
	ck_assert_ptr_eq(from, (drtopo_stack *)0x1);
	ck_assert_int_eq(drtopo_result_edge(NULL, 0, &from, NULL, NULL, NULL),
			 DRTOPO_EINVAL);

	/* The ordering graph has each pair once: depends_on in the report. */
	char *text = to_json(res, NULL);
	json_t *j = parse(text);
	json_t *sa = json_array_get(json_object_get(j, "stacks"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(sa, "id")), "A");
	json_t *dep = json_object_get(sa, "depends_on");
	ck_assert_uint_eq(json_array_size(dep), 2);
	ck_assert_str_eq(json_string_value(json_array_get(dep, 0)), "B");
	ck_assert_str_eq(json_string_value(json_array_get(dep, 1)), "Z");
	json_decref(j);
	drtopo_free(text);
	ck_assert_str_eq(waves(res), "Z|B|A");
}
END_TEST

START_TEST(edge_kind_names)
{
	static const char *const names[] = {
		NULL,	     "explicit",     "reference",   "export",
		"parameter", "stack-output", "replica-key",
	};
	for (int k = DRTOPO_EDGE_EXPLICIT; k <= DRTOPO_EDGE_REPLICA_KEY; k++)
		ck_assert_str_eq(drtopo_edge_kind_name(k), names[k]);
	ck_assert_ptr_null(drtopo_edge_kind_name(0));
	ck_assert_ptr_null(drtopo_edge_kind_name(7));
	ck_assert_ptr_null(drtopo_edge_kind_name(-1));
}
END_TEST

/* ---- determinism ---------------------------------------------------- */

/* One model with every kind of link, built in forward or reverse order
 * (stacks, resources within stacks, and links). */
static void build_rich(int reverse, int with_cycle)
{
	static const char *const ids[] = {"Net", "Kms1", "Kms2", "Db",
					  "App", "Mon",	 "Edge", "Agn"};
	static const char *const regions[] = {E1, E1, E2, E1, E1, E2, W2, NULL};
	const size_t n = DT_ARRAY_LEN(ids);
	for (size_t k = 0; k < n; k++) {
		size_t i = reverse ? n - 1 - k : k;
		drtopo_stack *s =
			add(ids[i], regions[i] ? ACCT : NULL, regions[i]);
		const char *res_ids[] = {"A", "B", "Table", "Key", "Fn"};
		const char *types[] = {"AWS::SNS::Topic", "AWS::S3::Bucket",
				       "AWS::DynamoDB::GlobalTable",
				       "AWS::KMS::Key",
				       "AWS::Lambda::Function"};
		for (size_t q = 0; q < 5; q++) {
			size_t j = reverse ? 4 - q : q;
			R(s, res_ids[j], types[j]);
		}
	}
	ck_ok(m, drtopo_stack_set_name(S("Db"), "Prod/Db", "prod-db"));
	enum { NL = 15 };
	for (int k = 0; k < NL; k++) {
		int step = reverse ? NL - 1 - k : k;
		switch (step) {
		case 0: deps("Db>Net"); break;
		case 1: deps("App>Db"); break;
		case 2:
			ck_ok(m, drtopo_resource_add_reference(
					 R(S("App"), "Fn", ""),
					 R(S("Db"), "Table", ""), "Arn"));
			break;
		case 3:
			ck_ok(m, drtopo_stack_add_export(S("Net"), "VpcId",
							 R(S("Net"), "A", "")));
			break;
		case 4:
			ck_ok(m,
			      drtopo_stack_add_import(S("App"), "VpcId", NULL));
			break;
		case 5:
			ck_ok(m, drtopo_stack_write_parameter(S("Kms2"), "/k2",
							      E1, NULL, NULL));
			break;
		case 6:
			ck_ok(m, drtopo_stack_read_parameter(S("Db"), "/k2",
							     NULL, NULL, NULL));
			break;
		case 7:
			ck_ok(m, drtopo_stack_add_output_read(
					 S("Mon"), "prod-db", "TableName", E1,
					 NULL));
			break;
		case 8:
			ck_ok(m, drtopo_resource_add_replica(
					 R(S("Db"), "Table", ""), E2));
			break;
		case 9:
			ck_ok(m, drtopo_resource_set_replica_key(
					 R(S("Db"), "Table", ""), E2,
					 R(S("Kms2"), "Key", "")));
			break;
		case 10:
			ck_ok(m,
			      drtopo_resource_set_cmk(R(S("Db"), "Table", ""),
						      R(S("Kms1"), "Key", "")));
			break;
		case 11: deps("Edge>App Edge>Mon"); break;
		case 12:
			ck_ok(m, drtopo_stack_read_parameter(S("Agn"), "/x",
							     NULL, NULL, NULL));
			break;
		case 13:
			if (with_cycle)
				deps("Net>Edge");
			break;
		case 14:
			ck_ok(m, drtopo_stack_write_parameter(
					 S("Agn"), "/y", NULL, NULL, NULL));
			break;
		}
	}
}

static char *rich_json(int reverse, int with_cycle)
{
	setup();
	build_rich(reverse, with_cycle);
	resolve();
	ck_assert_int_eq(drtopo_result_has_cycle(res), with_cycle);
	char *text = to_json(res, NULL);
	teardown();
	return text;
}

START_TEST(determinism_insertion_order)
{
	teardown(); /* rich_json() makes its own models */
	for (int cyc = 0; cyc <= 1; cyc++) {
		char *fwd = rich_json(0, cyc);
		char *rev = rich_json(1, cyc);
		ck_assert_msg(strcmp(fwd, rev) == 0, "differ:\n%s\n----\n%s",
			      fwd, rev);
		/* Also equal to itself across runs. */
		char *again = rich_json(0, cyc);
		ck_assert_str_eq(fwd, again);
		/* And it has real content to compare. */
		ck_assert_ptr_nonnull(strstr(fwd, "\"replica-key\""));
		ck_assert_ptr_nonnull(strstr(fwd, "\"stack-output\""));
		ck_assert_ptr_nonnull(strstr(fwd, "\"parameter\""));
		ck_assert_ptr_nonnull(strstr(fwd, "\"export\""));
		drtopo_free(fwd);
		drtopo_free(rev);
		drtopo_free(again);
	}
	setup(); /* for teardown */
}
END_TEST

/* ---- reachability against brute force ------------------------------ */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return (uint32_t)((x >> 11) % n);
}

typedef struct rgraph {
	size_t n;
	drtopo_stack **st;
	drtopo_resource **res, **table, **key;
	uint8_t *exported, *written;
	uint8_t *adj;	/* n*n: declared (explicit/reference/export) */
	uint8_t *kinds; /* n*n: bit per edge kind added */
} rgraph;

static void rgraph_build(rgraph *g, size_t n, int cyclic, uint64_t seed)
{
	char id[32], name[32];
	rng_state = seed;
	g->n = n;
	g->st = calloc(n, sizeof(*g->st));
	g->res = calloc(n, sizeof(*g->res));
	g->table = calloc(n, sizeof(*g->table));
	g->key = calloc(n, sizeof(*g->key));
	g->exported = calloc(n, 1);
	g->written = calloc(n, 1);
	g->adj = calloc(n * n, 1);
	g->kinds = calloc(n * n, 1);
	/* Ids, insertion order and node numbers are three permutations. */
	uint32_t *idnum = malloc(n * sizeof(uint32_t));
	uint32_t *order = malloc(n * sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++)
		idnum[i] = order[i] = i;
	for (size_t i = n; i > 1; i--) {
		uint32_t j = rnd((uint32_t)i), t = idnum[i - 1];
		idnum[i - 1] = idnum[j];
		idnum[j] = t;
		j = rnd((uint32_t)i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t v = order[k];
		snprintf(id, sizeof(id), "s%04u", idnum[v]);
		g->st[v] = add(id, ACCT, E1);
		g->res[v] = R(g->st[v], "R", "AWS::SNS::Topic");
		g->table[v] = R(g->st[v], "T", "AWS::DynamoDB::GlobalTable");
		g->key[v] = R(g->st[v], "K", "AWS::KMS::Key");
	}
	for (uint32_t v = 0; v < n; v++) {
		uint32_t deg = rnd(5);
		for (uint32_t e = 0; e < deg; e++) {
			uint32_t w;
			if (cyclic) {
				w = rnd((uint32_t)n);
			} else {
				if (v + 1 >= n)
					break;
				w = v + 1 + rnd((uint32_t)(n - v - 1));
			}
			int kind = 1 + (int)rnd(6);
			if (w == v)
				kind = DRTOPO_EDGE_EXPLICIT; /* self-loops */
			switch (kind) {
			case DRTOPO_EDGE_EXPLICIT:
				ck_ok(m, drtopo_stack_add_dependency(g->st[v],
								     g->st[w]));
				break;
			case DRTOPO_EDGE_REFERENCE:
				ck_ok(m, drtopo_resource_add_reference(
						 g->res[v], g->res[w], "Arn"));
				break;
			case DRTOPO_EDGE_EXPORT:
				snprintf(name, sizeof(name), "E%u", w);
				if (!g->exported[w]++)
					ck_ok(m, drtopo_stack_add_export(
							 g->st[w], name,
							 g->res[w]));
				ck_ok(m, drtopo_stack_add_import(g->st[v], name,
								 NULL));
				break;
			case DRTOPO_EDGE_PARAMETER:
				snprintf(name, sizeof(name), "/p/%u", w);
				if (!g->written[w]++)
					ck_ok(m, drtopo_stack_write_parameter(
							 g->st[w], name, NULL,
							 NULL, NULL));
				ck_ok(m, drtopo_stack_read_parameter(
						 g->st[v], name, NULL, NULL,
						 NULL));
				break;
			case DRTOPO_EDGE_STACK_OUTPUT:
				ck_ok(m, drtopo_stack_add_output_read(
						 g->st[v],
						 drtopo_stack_id(g->st[w]),
						 "Out", NULL, NULL));
				break;
			case DRTOPO_EDGE_REPLICA_KEY:
				snprintf(name, sizeof(name), "r-%u", w);
				ck_ok(m, drtopo_resource_set_replica_key(
						 g->table[v], name, g->key[w]));
				break;
			}
			g->kinds[v * n + w] |= (uint8_t)(1u << kind);
			if (kind <= DRTOPO_EDGE_EXPORT)
				g->adj[v * n + w] = 1;
		}
	}
	free(idnum);
	free(order);
}

static void rgraph_free(rgraph *g)
{
	free(g->st);
	free(g->res);
	free(g->table);
	free(g->key);
	free(g->exported);
	free(g->written);
	free(g->adj);
	free(g->kinds);
}

/* reach[v * n + w]: v has a declared path to w (v reaches itself). */
static uint8_t *brute_reach(const rgraph *g)
{
	size_t n = g->n;
	uint8_t *reach = calloc(n * n, 1);
	uint32_t *stk = malloc(n * sizeof(uint32_t));
	for (size_t v = 0; v < n; v++) {
		uint8_t *seen = reach + v * n;
		size_t sp = 0;
		seen[v] = 1;
		stk[sp++] = (uint32_t)v;
		while (sp) {
			uint32_t u = stk[--sp];
			for (size_t w = 0; w < n; w++) {
				if (g->adj[u * n + w] && !seen[w]) {
					seen[w] = 1;
					stk[sp++] = (uint32_t)w;
				}
			}
		}
	}
	free(stk);
	return reach;
}

static void check_reach(size_t n, int cyclic, uint64_t seed)
{
	rgraph g;
	rgraph_build(&g, n, cyclic, seed);
	resolve();
	/* Distinct edges: one per (from, to, kind) here. */
	size_t expect = 0;
	for (size_t i = 0; i < n * n; i++)
		for (uint8_t bits = g.kinds[i]; bits;
		     bits &= (uint8_t)(bits - 1))
			expect++;
	ck_assert_uint_eq(drtopo_result_edge_count(res), expect);

	uint8_t *truth = brute_reach(&g);
	size_t q = n * n;
	uint32_t *from = malloc(q * sizeof(uint32_t));
	uint32_t *to = malloc(q * sizeof(uint32_t));
	uint8_t *ans = malloc(q);
	for (size_t v = 0; v < n; v++)
		for (size_t w = 0; w < n; w++) {
			from[v * n + w] = g.st[v]->index;
			to[v * n + w] = g.st[w]->index;
		}
	memset(ans, 0xEE, q);
	ck_assert_int_eq(dt_reach_batch(res, from, to, q, ans), 0);
	size_t yes = 0;
	for (size_t i = 0; i < q; i++) {
		ck_assert_msg(ans[i] == truth[i], "%s -> %s: got %u, want %u",
			      drtopo_stack_id(g.st[i / n]),
			      drtopo_stack_id(g.st[i % n]), ans[i], truth[i]);
		yes += truth[i];
	}
	/* Not a trivial graph: some pairs connect, most do not. */
	ck_assert_uint_gt(yes, n);
	ck_assert_uint_lt(yes, q);

	/* A second, smaller batch reuses the index: same answers. */
	size_t q2 = 0;
	for (size_t i = 0; i < q; i += 7) {
		from[q2] = from[i];
		to[q2] = to[i];
		q2++;
	}
	ck_assert_int_eq(dt_reach_batch(res, from, to, q2, ans), 0);
	for (size_t i = 0; i < q2; i++)
		ck_assert_uint_eq(ans[i], truth[i * 7]);
	ck_assert_int_eq(dt_reach_batch(res, from, to, 0, ans), 0);

	free(from);
	free(to);
	free(ans);
	free(truth);
	rgraph_free(&g);
}

START_TEST(reach_random_dags)
{
	check_reach(300, 0, 0x9E3779B97F4A7C15ull);
	ck_assert_int_eq(drtopo_result_has_cycle(res), 0);
	teardown();
	setup();
	check_reach(450, 0, 12345);
}
END_TEST

START_TEST(reach_random_cyclic)
{
	check_reach(300, 1, 0xC0FFEEull);
	ck_assert_int_eq(drtopo_result_has_cycle(res), 1);
	teardown();
	setup();
	check_reach(400, 1, 777);
	ck_assert_int_eq(drtopo_result_has_cycle(res), 1);
}
END_TEST

START_TEST(reach_ignores_weak_edges)
{
	/* Ordering edges of every kind exist, but only explicit, reference
	 * and export edges are declared dependencies. */
	drtopo_stack *a = S("A"), *b = S("B"), *c = S("C"), *d = S("D");
	drtopo_stack *e = S("E"), *f = S("F"), *g = S("G");
	ck_ok(m, drtopo_stack_write_parameter(b, "/p", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(a, "/p", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_add_output_read(a, "C", "Out", NULL, NULL));
	ck_ok(m, drtopo_resource_set_replica_key(
			 R(a, "T", "AWS::DynamoDB::GlobalTable"), E2,
			 R(d, "K", "AWS::KMS::Key")));
	ck_ok(m, drtopo_stack_add_dependency(a, e));
	ck_ok(m, drtopo_resource_add_reference(R(e, "X", "AWS::SNS::Topic"),
					       R(f, "Y", "AWS::SNS::Topic"),
					       NULL));
	ck_ok(m, drtopo_stack_add_export(g, "G", NULL));
	ck_ok(m, drtopo_stack_add_import(f, "G", NULL));
	resolve();
	uint32_t from[] = {a->index, a->index, a->index, a->index,
			   a->index, a->index, g->index, b->index};
	uint32_t to[] = {b->index, c->index, d->index, e->index,
			 f->index, g->index, a->index, b->index};
	uint8_t want[] = {0, 0, 0, 1, 1, 1, 0, 1};
	uint8_t got[8];
	ck_assert_int_eq(dt_reach_batch(res, from, to, 8, got), 0);
	for (int i = 0; i < 8; i++)
		ck_assert_msg(got[i] == want[i], "query %d: %u", i, got[i]);
	ck_assert_str_eq(waves(res), "B C D G|F|E|A");
}
END_TEST

/* ---- scale ---------------------------------------------------------- */

START_TEST(deep_chain)
{
	enum { N = 200000 };
	char id[16];
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "c%06d", i);
		add(id, ACCT, E1);
	}
	for (int i = 0; i + 1 < N; i++)
		ck_ok(m, drtopo_stack_add_dependency(
				 drtopo_model_stack_at(m, i),
				 drtopo_model_stack_at(m, i + 1)));
	resolve();
	ck_assert_int_eq(drtopo_result_has_cycle(res), 0);
	ck_assert_uint_eq(drtopo_result_wave_count(res), N);
	ck_assert_uint_eq(drtopo_result_edge_count(res), N - 1);
	drtopo_stack *head = drtopo_model_stack_at(m, 0);
	drtopo_stack *tail = drtopo_model_stack_at(m, N - 1);
	ck_assert_int_eq(drtopo_result_stack_wave(res, head), N);
	ck_assert_int_eq(drtopo_result_stack_wave(res, tail), 1);
	ck_assert_ptr_eq(drtopo_result_wave_stack(res, 0, 0), tail);
	ck_assert_ptr_eq(drtopo_result_wave_stack(res, N - 1, 0), head);
	uint32_t from[] = {head->index, tail->index, 1000};
	uint32_t to[] = {tail->index, head->index, 199000};
	uint8_t ans[3];
	ck_assert_int_eq(dt_reach_batch(res, from, to, 3, ans), 0);
	ck_assert_uint_eq(ans[0], 1);
	ck_assert_uint_eq(ans[1], 0);
	ck_assert_uint_eq(ans[2], 1);
	size_t len = 0;
	char *text = to_json(res, &len);
	ck_assert_uint_gt(len, (size_t)N * 50);
	drtopo_free(text);

	/* Close the chain into one 200,000-stack cycle. */
	ck_ok(m, drtopo_stack_add_dependency(tail, head));
	resolve();
	ck_assert_int_eq(drtopo_result_has_cycle(res), 1);
	ck_assert_uint_eq(res->ncycles, 1);
	ck_assert_uint_eq(res->cycles[0].len, N);
	ck_assert_uint_eq(res->nscc, 1);
}
END_TEST

START_TEST(big_cycle)
{
	enum { N = 10000 };
	char id[16];
	/* Inserted in reverse so that index order is not id order. */
	for (int i = N - 1; i >= 0; i--) {
		snprintf(id, sizeof(id), "y%05d", i);
		add(id, ACCT, E1);
	}
	for (int i = 0; i < N; i++) {
		drtopo_stack *a = NULL, *b = NULL;
		snprintf(id, sizeof(id), "y%05d", i);
		ck_ok(m, drtopo_model_find_stack(m, id, &a));
		snprintf(id, sizeof(id), "y%05d", (i + 1) % N);
		ck_ok(m, drtopo_model_find_stack(m, id, &b));
		ck_ok(m, drtopo_stack_add_dependency(a, b));
	}
	resolve();
	assert_cyclic(res);
	ck_assert_uint_eq(res->ncycles, 1);
	const dt_cycle *cy = &res->cycles[0];
	ck_assert_uint_eq(cy->len, N);
	for (uint32_t i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "y%05u", i);
		ck_assert_str_eq(sid(res, cy->path[i]), id);
		ck_assert_uint_eq(cy->edge[i]->from, cy->path[i]);
		ck_assert_uint_eq(cy->edge[i]->to, cy->path[(i + 1) % N]);
	}
	char *text = to_json(res, NULL);
	ck_assert_ptr_null(strstr(text, "\"waves\""));
	drtopo_free(text);
}
END_TEST

/* ---- the JSON report ------------------------------------------------ */

static void assert_keys(json_t *obj, const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;
	size_t i = 0;
	ck_assert(json_is_object(obj));
	json_object_foreach(obj, k, v)
	{
		ck_assert_msg(i < n, "unexpected key %s", k);
		ck_assert_str_eq(k, keys[i]);
		i++;
	}
	ck_assert_uint_eq(i, n);
}

static void build_report_model(int with_cycle)
{
	drtopo_stack *app = add("App", ACCT, E1);
	drtopo_stack *db = add("Db", ACCT, E1);
	drtopo_stack *agn = add("Agn", NULL, NULL);
	ck_ok(m, drtopo_stack_set_name(app, "Prod/App", NULL));
	R(app, "Fn", "AWS::Lambda::Function");
	R(db, "Table", "AWS::DynamoDB::GlobalTable");
	R(db, "Param", "AWS::SSM::Parameter");
	R(agn, "Q", "AWS::SQS::Queue");
	ck_ok(m, drtopo_stack_add_dependency(app, db));
	ck_ok(m, drtopo_stack_write_parameter(db, "/db/arn", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(app, "/db/arn", NULL, NULL, NULL));
	ck_ok(m, drtopo_stack_read_parameter(agn, "/db/arn", NULL, NULL, NULL));
	if (with_cycle)
		ck_ok(m, drtopo_stack_add_dependency(db, app));
}

START_TEST(report_structure)
{
	static const char *const top[] = {
		"schema", "generator",	"stacks",      "waves",
		"edges",  "parameters", "diagnostics", "summary"};
	static const char *const app_keys[] = {"id",	    "name", "account",
					       "region",    "wave", "resources",
					       "depends_on"};
	static const char *const agn_keys[] = {
		"id", "account", "region", "wave", "resources", "depends_on"};
	static const char *const edge_keys[] = {"from", "to", "kind", "via"};
	static const char *const param_keys[] = {"name", "region", "account",
						 "writers", "readers"};
	static const char *const sum_keys[] = {"stacks", "resources", "errors",
					       "warnings", "infos"};
	build_report_model(0);
	resolve();
	char *text = to_json(res, NULL);
	json_t *j = parse(text);
	assert_keys(j, top, DT_ARRAY_LEN(top));
	ck_assert_str_eq(json_string_value(json_object_get(j, "schema")),
			 DRTOPO_REPORT_SCHEMA);
	ck_assert_str_eq(json_string_value(json_object_get(j, "schema")),
			 "drtopo-report/1");
	char gen[64];
	snprintf(gen, sizeof(gen), "drtopo %s", drtopo_version());
	ck_assert_str_eq(json_string_value(json_object_get(j, "generator")),
			 gen);

	/* Stacks by id; unknown account and region are null. */
	json_t *st = json_object_get(j, "stacks");
	ck_assert_uint_eq(json_array_size(st), 3);
	json_t *agn = json_array_get(st, 0), *app = json_array_get(st, 1);
	json_t *db = json_array_get(st, 2);
	assert_keys(agn, agn_keys, DT_ARRAY_LEN(agn_keys));
	assert_keys(app, app_keys, DT_ARRAY_LEN(app_keys));
	ck_assert_str_eq(json_string_value(json_object_get(agn, "id")), "Agn");
	ck_assert(json_is_null(json_object_get(agn, "account")));
	ck_assert(json_is_null(json_object_get(agn, "region")));
	ck_assert_str_eq(json_string_value(json_object_get(app, "name")),
			 "Prod/App");
	ck_assert_str_eq(json_string_value(json_object_get(app, "account")),
			 ACCT);
	ck_assert_str_eq(json_string_value(json_object_get(app, "region")), E1);
	ck_assert_int_eq(json_integer_value(json_object_get(app, "wave")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(db, "wave")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(db, "resources")),
			 2);
	ck_assert_uint_eq(json_array_size(json_object_get(app, "depends_on")),
			  1);
	ck_assert_uint_eq(json_array_size(json_object_get(db, "depends_on")),
			  0);

	json_t *wv = json_object_get(j, "waves");
	ck_assert_uint_eq(json_array_size(wv), 2);
	ck_assert_uint_eq(json_array_size(json_array_get(wv, 0)), 2);
	ck_assert_str_eq(
		json_string_value(json_array_get(json_array_get(wv, 0), 0)),
		"Agn");
	ck_assert_str_eq(
		json_string_value(json_array_get(json_array_get(wv, 0), 1)),
		"Db");
	ck_assert_str_eq(
		json_string_value(json_array_get(json_array_get(wv, 1), 0)),
		"App");

	json_t *ed = json_object_get(j, "edges");
	ck_assert_uint_eq(json_array_size(ed), 2);
	assert_keys(json_array_get(ed, 0), edge_keys, DT_ARRAY_LEN(edge_keys));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(ed, 0), "kind")),
			 "explicit");
	ck_assert(json_is_null(json_object_get(json_array_get(ed, 0), "via")));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(ed, 1), "kind")),
			 "parameter");
	ck_assert_str_eq(json_string_value(
				 json_object_get(json_array_get(ed, 1), "via")),
			 "/db/arn");

	/* Parameters grouped by (name, region, account). */
	json_t *pa = json_object_get(j, "parameters");
	ck_assert_uint_eq(json_array_size(pa), 2);
	json_t *p0 = json_array_get(pa, 0), *p1 = json_array_get(pa, 1);
	assert_keys(p0, param_keys, DT_ARRAY_LEN(param_keys));
	ck_assert(json_is_null(json_object_get(p0, "region")));
	ck_assert(json_is_null(json_object_get(p0, "account")));
	ck_assert_uint_eq(json_array_size(json_object_get(p0, "writers")), 0);
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(p0, "readers"), 0)),
			 "Agn");
	ck_assert_str_eq(json_string_value(json_object_get(p1, "region")), E1);
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(p1, "writers"), 0)),
			 "Db");
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(p1, "readers"), 0)),
			 "App");

	/* Diagnostics (whatever the rules found) agree with the summary. */
	json_t *dg = json_object_get(j, "diagnostics");
	ck_assert(json_is_array(dg));
	ck_assert_uint_eq(json_array_size(dg),
			  drtopo_result_diagnostic_count(res));
	size_t count[4] = {0};
	for (size_t i = 0; i < json_array_size(dg); i++) {
		json_t *d = json_array_get(dg, i);
		const char *first[] = {"code",	   "rule",   "severity",
				       "message",  "hint",   "stack",
				       "resource", "region", "related"};
		const char *k;
		json_t *v;
		size_t at = 0;
		json_object_foreach(d, k, v)
		{
			if (at < DT_ARRAY_LEN(first))
				ck_assert_str_eq(k, first[at]);
			at++;
		}
		int sev = drtopo_severity_from_name(
			json_string_value(json_object_get(d, "severity")));
		ck_assert_int_gt(sev, 0);
		count[sev]++;
	}
	json_t *sum = json_object_get(j, "summary");
	assert_keys(sum, sum_keys, DT_ARRAY_LEN(sum_keys));
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "stacks")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "resources")),
			 4);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "errors")),
			 (json_int_t)count[DRTOPO_SEVERITY_ERROR]);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "warnings")),
			 (json_int_t)count[DRTOPO_SEVERITY_WARNING]);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "infos")),
			 (json_int_t)count[DRTOPO_SEVERITY_INFO]);
	json_decref(j);
	drtopo_free(text);
}
END_TEST

START_TEST(report_structure_with_cycle)
{
	static const char *const top[] = {"schema", "generator",  "stacks",
					  "edges",  "parameters", "diagnostics",
					  "summary"};
	static const char *const app_keys[] = {
		"id", "name", "account", "region", "resources", "depends_on"};
	build_report_model(1);
	resolve();
	char *text = to_json(res, NULL);
	json_t *j = parse(text);
	assert_keys(j, top, DT_ARRAY_LEN(top));
	assert_keys(json_array_get(json_object_get(j, "stacks"), 1), app_keys,
		    DT_ARRAY_LEN(app_keys));
	json_decref(j);
	drtopo_free(text);
}
END_TEST

START_TEST(report_escapes_and_arguments)
{
	/* Ids with characters that need escaping still give valid JSON. */
	drtopo_stack *s = add("we\"ird\\id\n", ACCT, E1);
	ck_ok(m, drtopo_stack_set_name(s, "tab\there \xc3\xa9", NULL));
	resolve();
	char *out = (char *)0x1;
	ck_assert_int_eq(drtopo_result_to_json(NULL, &out, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_result_to_json(res, NULL, NULL), DRTOPO_EINVAL);
	ck_assert_ptr_eq(out, (char *)0x1);
	ck_assert_int_eq(drtopo_result_to_json(res, &out, NULL), DRTOPO_OK);
	json_t *j = parse(out);
	json_t *st = json_array_get(json_object_get(j, "stacks"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(st, "id")),
			 "we\"ird\\id\n");
	ck_assert_str_eq(json_string_value(json_object_get(st, "name")),
			 "tab\there \xc3\xa9");
	json_decref(j);
	drtopo_free(out);
}
END_TEST

/* drtopo_result_write_json: what a writer receives (take_piece, in
 * pieces.h), and how it stops. */
START_TEST(report_written_in_pieces)
{
	/* A cycle through 3,000 stacks with long ids: a report of several
	 * pieces and a DRT101 message longer than one piece. */
	char id[64], prev[64] = "";
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "Stack%04d-with-a-rather-long-name",
			 i);
		drtopo_stack *s = add(id, ACCT, E1);
		if (*prev)
			ck_ok(m, drtopo_stack_add_dependency(s, S(prev)));
		memcpy(prev, id, sizeof(prev));
	}
	ck_ok(m, drtopo_stack_add_dependency(
			 S("Stack0000-with-a-rather-long-name"), S(prev)));
	resolve();
	char *want = NULL;
	size_t want_len = 0;
	ck_assert_int_eq(drtopo_result_to_json(res, &want, &want_len),
			 DRTOPO_OK);
	ck_assert_uint_gt(want_len, 3 * 64 * 1024);
	pieces p = {DT_BUF_INIT, 0, 0};
	ck_assert_int_eq(drtopo_result_write_json(res, take_piece, &p),
			 DRTOPO_OK);
	ck_assert_uint_gt(p.calls, 3);
	ck_assert_uint_eq(p.text.len, want_len);
	ck_assert_int_eq(memcmp(p.text.p, want, want_len), 0);
	/* a writer that fails stops it: EIO, and no call after */
	dt_buf_free(&p.text);
	pieces q = {DT_BUF_INIT, 0, 2};
	ck_assert_int_eq(drtopo_result_write_json(res, take_piece, &q),
			 DRTOPO_EIO);
	ck_assert_uint_eq(q.calls, 2);
	ck_assert_int_eq(memcmp(q.text.p, want, q.text.len), 0);
	dt_buf_free(&q.text);
	ck_assert_int_eq(drtopo_result_write_json(NULL, take_piece, &q),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_result_write_json(res, NULL, &q),
			 DRTOPO_EINVAL);
	drtopo_free(want);
}
END_TEST

static Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("waves");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_model);
	tcase_add_test(tc, chain);
	tcase_add_test(tc, diamond);
	tcase_add_test(tc, longest_path_decides);
	tcase_add_test(tc, forest);
	tcase_add_test(tc, disconnected);
	tcase_add_test(tc, ids_order_as_strcmp);
	tcase_add_test(tc, wave_accessor_edges);
	tcase_add_test(tc, resolve_arguments);
	suite_add_tcase(s, tc);

	tc = tcase_create("cycles");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cycle_self_loop);
	tcase_add_test(tc, cycle_two);
	tcase_add_test(tc, cycle_three_starts_at_smallest);
	tcase_add_test(tc, cycle_nested_sccs);
	tcase_add_test(tc, cycle_disjoint_sccs);
	tcase_add_test(tc, cycle_through_implied_edges);
	tcase_add_test(tc, cycle_json_has_no_waves);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, edge_reference);
	tcase_add_test(tc, edge_export_same_env_only);
	tcase_add_test(tc, edge_export_many_exporters_linear);
	tcase_add_test(tc, edge_parameter_first_writer_in_region);
	tcase_add_test(tc, edge_stack_output_by_name_and_id);
	tcase_add_test(tc, edge_stack_output_region_of_read);
	tcase_add_test(tc, edge_replica_key_and_cmk);
	tcase_add_test(tc, edge_dedup_and_order);
	tcase_add_test(tc, edge_kind_names);
	tcase_add_test(tc, determinism_insertion_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("reach");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reach_random_dags);
	tcase_add_test(tc, reach_random_cyclic);
	tcase_add_test(tc, reach_ignores_weak_edges);
	suite_add_tcase(s, tc);

	tc = tcase_create("scale");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, deep_chain);
	tcase_add_test(tc, big_cycle);
	suite_add_tcase(s, tc);

	tc = tcase_create("report");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, report_structure);
	tcase_add_test(tc, report_structure_with_cycle);
	tcase_add_test(tc, report_escapes_and_arguments);
	tcase_add_test(tc, report_written_in_pieces);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(resolve_suite)
