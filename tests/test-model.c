/*
 * The model: stacks, resources, links, parameters, tables and keys,
 * externals, rule severities and limits; every argument error.
 */
#include "testutil.h"
#include "model.h"
#include "resolve.h"

static drtopo_model *m, *other;

static void setup(void)
{
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	ck_assert_int_eq(drtopo_model_new(&other), DRTOPO_OK);
}

static void teardown(void)
{
	drtopo_model_free(m);
	drtopo_model_free(other);
	m = other = NULL;
}

/* Assert that the last call failed with DRTOPO_EINVAL and said so. */
#define ck_einval(model, expr)                                             \
	do {                                                               \
		dt_model_clear_error(model);                               \
		ck_assert_int_eq((expr), DRTOPO_EINVAL);                   \
		ck_assert_msg(strstr(drtopo_model_errmsg(model),           \
				     "invalid argument") != NULL,          \
			      "errmsg: '%s'", drtopo_model_errmsg(model)); \
	} while (0)

static drtopo_stack *stack(drtopo_model *model, const char *id,
			   const char *region)
{
	drtopo_stack *s = NULL;
	ck_ok(model,
	      drtopo_model_add_stack(model, id, "111111111111", region, &s));
	return s;
}

static drtopo_resource *resource(drtopo_stack *s, const char *id,
				 const char *type)
{
	drtopo_resource *r = NULL;
	ck_ok(s->model, drtopo_stack_add_resource(s, id, type, NULL, &r));
	return r;
}

/* ---- the model ----------------------------------------------------- */

START_TEST(model_new_and_free)
{
	ck_assert_int_eq(drtopo_model_new(NULL), DRTOPO_EINVAL);
	drtopo_model *x = NULL;
	ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(drtopo_model_stack_count(x), 0);
	ck_assert_uint_eq(drtopo_model_resource_count(x), 0);
	ck_assert_ptr_null(drtopo_model_stack_at(x, 0));
	ck_assert_str_eq(drtopo_model_errmsg(x), "");
	ck_assert_ptr_null(drtopo_model_error_file(x));
	ck_assert_ptr_null(drtopo_model_error_pointer(x));
	ck_assert_int_eq(drtopo_model_error_line(x), 0);
	ck_assert_int_eq(drtopo_model_error_column(x), 0);
	drtopo_model_free(x);
	drtopo_model_free(NULL);
}
END_TEST

START_TEST(model_null_accessors)
{
	ck_assert_uint_eq(drtopo_model_stack_count(NULL), 0);
	ck_assert_uint_eq(drtopo_model_resource_count(NULL), 0);
	ck_assert_ptr_null(drtopo_model_stack_at(NULL, 0));
	ck_assert_ptr_nonnull(drtopo_model_errmsg(NULL));
	ck_assert_ptr_null(drtopo_model_error_file(NULL));
	ck_assert_ptr_null(drtopo_model_error_pointer(NULL));
	ck_assert_int_eq(drtopo_model_error_line(NULL), 0);
	ck_assert_int_eq(drtopo_model_error_column(NULL), 0);
	ck_assert_ptr_null(drtopo_stack_id(NULL));
	ck_assert_ptr_null(drtopo_stack_account(NULL));
	ck_assert_ptr_null(drtopo_stack_region(NULL));
	ck_assert_ptr_null(drtopo_stack_name(NULL));
	ck_assert_ptr_null(drtopo_stack_model(NULL));
	ck_assert_uint_eq(drtopo_stack_resource_count(NULL), 0);
	ck_assert_ptr_null(drtopo_stack_resource_at(NULL, 0));
	ck_assert_ptr_null(drtopo_resource_id(NULL));
	ck_assert_ptr_null(drtopo_resource_type(NULL));
	ck_assert_ptr_null(drtopo_resource_physical_name(NULL));
	ck_assert_ptr_null(drtopo_resource_stack(NULL));
	ck_assert_uint_eq(drtopo_resource_replica_count(NULL), 0);
	ck_assert_ptr_null(drtopo_resource_replica_at(NULL, 0));
	ck_assert_int_eq(drtopo_param_kind(NULL), DRTOPO_EINVAL);
	ck_assert_ptr_null(drtopo_param_name(NULL));
	ck_assert_ptr_null(drtopo_param_region(NULL));
	ck_assert_ptr_null(drtopo_param_stack(NULL));
}
END_TEST

START_TEST(error_location_accessors)
{
	/* What the loaders record, read back through the public calls. */
	int rc = dt_model_error_at(m, DRTOPO_ESCHEMA, "a/b.json", 3, 14,
				   "/stacks/0/id", "expected a %s", "string");
	ck_assert_int_eq(rc, DRTOPO_ESCHEMA);
	ck_assert_str_eq(drtopo_model_errmsg(m),
			 "a/b.json:3:14: expected a string (at /stacks/0/id)");
	ck_assert_str_eq(drtopo_model_error_file(m), "a/b.json");
	ck_assert_str_eq(drtopo_model_error_pointer(m), "/stacks/0/id");
	ck_assert_int_eq(drtopo_model_error_line(m), 3);
	ck_assert_int_eq(drtopo_model_error_column(m), 14);

	/* The root pointer is shown as "/"; no line: no numbers. */
	dt_model_error_at(m, DRTOPO_EPARSE, "x.json", 0, 0, "", "bad");
	ck_assert_str_eq(drtopo_model_errmsg(m), "x.json: bad (at /)");
	ck_assert_str_eq(drtopo_model_error_pointer(m), "");
	ck_assert_int_eq(drtopo_model_error_line(m), 0);

	/* A plain error clears the location of the previous one. */
	dt_model_error(m, DRTOPO_EINVAL, "plain %d", 7);
	ck_assert_str_eq(drtopo_model_errmsg(m), "plain 7");
	ck_assert_ptr_null(drtopo_model_error_file(m));
	ck_assert_ptr_null(drtopo_model_error_pointer(m));
	ck_assert_int_eq(drtopo_model_error_column(m), 0);

	/* Messages are one bounded line. */
	char longtext[2000];
	memset(longtext, 'x', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	dt_model_error(m, DRTOPO_EINVAL, "%s", longtext);
	ck_assert_uint_lt(strlen(drtopo_model_errmsg(m)), sizeof(m->errmsg));
	dt_model_clear_error(m);
	ck_assert_str_eq(drtopo_model_errmsg(m), "");
}
END_TEST

/* ---- stacks -------------------------------------------------------- */

START_TEST(stack_add_and_accessors)
{
	char id[] = "Network-dev", region[] = "us-east-1";
	drtopo_stack *s = NULL, *t = NULL, *u = NULL;
	ck_ok(m, drtopo_model_add_stack(m, id, "123456789012", region, &s));
	ck_assert_ptr_nonnull(s);
	/* The library copied the strings. */
	id[0] = 'X';
	region[0] = 'X';
	ck_assert_str_eq(drtopo_stack_id(s), "Network-dev");
	ck_assert_str_eq(drtopo_stack_account(s), "123456789012");
	ck_assert_str_eq(drtopo_stack_region(s), "us-east-1");
	ck_assert_ptr_null(drtopo_stack_name(s));
	ck_assert_ptr_eq(drtopo_stack_model(s), m);

	/* Unknown environment: NULL, and "" means unknown too. */
	ck_ok(m, drtopo_model_add_stack(m, "Agnostic", NULL, NULL, &t));
	ck_assert_ptr_null(drtopo_stack_account(t));
	ck_assert_ptr_null(drtopo_stack_region(t));
	ck_ok(m, drtopo_model_add_stack(m, "Empty", "", "", &u));
	ck_assert_ptr_null(drtopo_stack_account(u));
	ck_assert_ptr_null(drtopo_stack_region(u));

	/* out may be NULL. */
	ck_ok(m, drtopo_model_add_stack(m, "NoOut", NULL, "us-east-1", NULL));
	ck_assert_uint_eq(drtopo_model_stack_count(m), 4);

	/* Insertion order; strings interned (equal text, equal pointer). */
	ck_assert_ptr_eq(drtopo_model_stack_at(m, 0), s);
	ck_assert_ptr_eq(drtopo_model_stack_at(m, 1), t);
	ck_assert_ptr_eq(drtopo_model_stack_at(m, 2), u);
	ck_assert_str_eq(drtopo_stack_id(drtopo_model_stack_at(m, 3)), "NoOut");
	ck_assert_ptr_null(drtopo_model_stack_at(m, 4));
	ck_assert_ptr_eq(drtopo_stack_region(drtopo_model_stack_at(m, 3)),
			 drtopo_stack_region(s));
	ck_assert_uint_eq(s->index, 0);
	ck_assert_uint_eq(drtopo_model_stack_at(m, 3)->index, 3);
}
END_TEST

START_TEST(stack_add_errors)
{
	drtopo_stack *s = stack(m, "A", "us-east-1");
	drtopo_stack *out = (drtopo_stack *)0x1;

	ck_assert_int_eq(drtopo_model_add_stack(NULL, "B", NULL, NULL, &out),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_model_add_stack(m, NULL, NULL, NULL, &out));
	ck_einval(m, drtopo_model_add_stack(m, "", NULL, NULL, &out));
	ck_assert_ptr_eq(out, (drtopo_stack *)0x1);

	dt_model_clear_error(m);
	ck_assert_int_eq(
		drtopo_model_add_stack(m, "A", NULL, "eu-west-1", &out),
		DRTOPO_EEXIST);
	ck_assert_ptr_eq(out, (drtopo_stack *)0x1);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "'A'"));
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "already exists"));
	/* Nothing changed. */
	ck_assert_uint_eq(drtopo_model_stack_count(m), 1);
	ck_assert_str_eq(drtopo_stack_region(s), "us-east-1");
	/* Ids are case-sensitive. */
	ck_ok(m, drtopo_model_add_stack(m, "a", NULL, NULL, NULL));
	ck_assert_uint_eq(drtopo_model_stack_count(m), 2);
}
END_TEST

START_TEST(stack_find)
{
	drtopo_stack *a = stack(m, "Alpha", "us-east-1");
	stack(m, "Beta", "us-east-2");
	drtopo_stack *out = NULL;
	ck_ok(m, drtopo_model_find_stack(m, "Alpha", &out));
	ck_assert_ptr_eq(out, a);

	out = (drtopo_stack *)0x1;
	ck_assert_int_eq(drtopo_model_find_stack(m, "Gamma", &out),
			 DRTOPO_ENOTFOUND);
	ck_assert_int_eq(drtopo_model_find_stack(m, "alpha", &out),
			 DRTOPO_ENOTFOUND);
	/* A string interned for something else is still not a stack. */
	ck_assert_int_eq(drtopo_model_find_stack(m, "us-east-1", &out),
			 DRTOPO_ENOTFOUND);
	ck_assert_int_eq(drtopo_model_find_stack(NULL, "Alpha", &out),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_find_stack(m, NULL, &out), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_find_stack(m, "", &out), DRTOPO_EINVAL);
	ck_assert_ptr_eq(out, (drtopo_stack *)0x1);
	ck_assert_int_eq(drtopo_model_find_stack(m, "Alpha", NULL),
			 DRTOPO_EINVAL);
	/* Stacks of another model are not found here. */
	stack(other, "OnlyThere", NULL);
	ck_assert_int_eq(drtopo_model_find_stack(m, "OnlyThere", &out),
			 DRTOPO_ENOTFOUND);
}
END_TEST

START_TEST(stack_set_name)
{
	drtopo_stack *s = stack(m, "AppStack", "us-east-1");
	ck_ok(m, drtopo_stack_set_name(s, "App/Stack", "app-prod"));
	ck_assert_str_eq(drtopo_stack_name(s), "App/Stack");
	ck_assert_str_eq(s->stack_name, "app-prod");
	/* NULL (and "") leave a name unchanged. */
	ck_ok(m, drtopo_stack_set_name(s, NULL, "app-prod-2"));
	ck_assert_str_eq(drtopo_stack_name(s), "App/Stack");
	ck_assert_str_eq(s->stack_name, "app-prod-2");
	ck_ok(m, drtopo_stack_set_name(s, "Other", NULL));
	ck_assert_str_eq(drtopo_stack_name(s), "Other");
	ck_assert_str_eq(s->stack_name, "app-prod-2");
	ck_ok(m, drtopo_stack_set_name(s, "", ""));
	ck_assert_str_eq(drtopo_stack_name(s), "Other");
	ck_assert_int_eq(drtopo_stack_set_name(NULL, "x", "y"), DRTOPO_EINVAL);
}
END_TEST

START_TEST(stack_dependencies)
{
	drtopo_stack *a = stack(m, "A", "us-east-1");
	drtopo_stack *b = stack(m, "B", "us-east-1");
	drtopo_stack *x = stack(other, "X", "us-east-1");
	ck_ok(m, drtopo_stack_add_dependency(a, b));
	ck_ok(m, drtopo_stack_add_dependency(a, b)); /* repeating is fine */
	ck_ok(m, drtopo_stack_add_dependency(b, b)); /* a self-loop too */
	ck_assert_uint_eq(m->deps.len, 3);
	const dt_dep *d = DT_VEC_PTR(m->deps, dt_dep, 0);
	ck_assert_ptr_eq(d->from, a);
	ck_assert_ptr_eq(d->to, b);
	ck_assert_ptr_eq(d->to_id, b->id);
	ck_assert_ptr_null(d->loc.file);

	ck_assert_int_eq(drtopo_stack_add_dependency(NULL, b), DRTOPO_EINVAL);
	ck_einval(m, drtopo_stack_add_dependency(a, NULL));
	/* A handle from another model: refused, never followed. */
	ck_einval(m, drtopo_stack_add_dependency(a, x));
	dt_model_clear_error(other);
	ck_assert_int_eq(drtopo_stack_add_dependency(x, a), DRTOPO_EINVAL);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(other), "invalid"));
	ck_assert_uint_eq(m->deps.len, 3);
	ck_assert_uint_eq(other->deps.len, 0);
}
END_TEST

START_TEST(many_stacks)
{
	char id[32];
	enum { N = 20000 };
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "stack-%05d", i);
		ck_ok(m, drtopo_model_add_stack(
				 m, id, NULL, i % 2 ? "us-east-1" : "eu-west-1",
				 NULL));
	}
	ck_assert_uint_eq(drtopo_model_stack_count(m), N);
	for (int i = 0; i < N; i += 7) {
		drtopo_stack *s = NULL;
		snprintf(id, sizeof(id), "stack-%05d", i);
		ck_ok(m, drtopo_model_find_stack(m, id, &s));
		ck_assert_ptr_eq(s, drtopo_model_stack_at(m, (size_t)i));
		ck_assert_uint_eq(s->index, (uint32_t)i);
	}
	ck_assert_int_eq(
		drtopo_model_add_stack(m, "stack-12345", NULL, NULL, NULL),
		DRTOPO_EEXIST);
	/* Two regions interned once. */
	ck_assert_ptr_eq(drtopo_stack_region(drtopo_model_stack_at(m, 1)),
			 drtopo_stack_region(drtopo_model_stack_at(m, N - 1)));
}
END_TEST

/* ---- resources ----------------------------------------------------- */

START_TEST(resource_add_and_accessors)
{
	drtopo_stack *s = stack(m, "Db", "us-east-1");
	drtopo_stack *t = stack(m, "Other", "us-east-1");
	drtopo_resource *r = NULL, *q = NULL, *g = NULL;
	char name[] = "orders";
	ck_ok(m, drtopo_stack_add_resource(
			 s, "Table", "AWS::DynamoDB::GlobalTable", name, &r));
	name[0] = 'X';
	ck_assert_str_eq(drtopo_resource_id(r), "Table");
	ck_assert_str_eq(drtopo_resource_type(r), "AWS::DynamoDB::GlobalTable");
	ck_assert_str_eq(drtopo_resource_physical_name(r), "orders");
	ck_assert_ptr_eq(drtopo_resource_stack(r), s);
	/* Generated physical name: NULL or "". */
	ck_ok(m,
	      drtopo_stack_add_resource(s, "Key", "AWS::KMS::Key", NULL, &q));
	ck_assert_ptr_null(drtopo_resource_physical_name(q));
	ck_ok(m,
	      drtopo_stack_add_resource(s, "Gen", "AWS::SNS::Topic", "", &g));
	ck_assert_ptr_null(drtopo_resource_physical_name(g));
	ck_ok(m, drtopo_stack_add_resource(s, "NoOut", "AWS::SNS::Topic", NULL,
					   NULL));
	/* The same logical id in another stack is another resource. */
	drtopo_resource *r2 = NULL;
	ck_ok(m, drtopo_stack_add_resource(t, "Table", "AWS::DynamoDB::Table",
					   NULL, &r2));
	ck_assert_ptr_ne(r2, r);
	/* The two ids are one interned string. */
	ck_assert_ptr_eq(drtopo_resource_id(r2), drtopo_resource_id(r));

	ck_assert_uint_eq(drtopo_stack_resource_count(s), 4);
	ck_assert_uint_eq(drtopo_stack_resource_count(t), 1);
	ck_assert_uint_eq(drtopo_model_resource_count(m), 5);
	ck_assert_ptr_eq(drtopo_stack_resource_at(s, 0), r);
	ck_assert_ptr_eq(drtopo_stack_resource_at(s, 1), q);
	ck_assert_ptr_eq(drtopo_stack_resource_at(s, 2), g);
	ck_assert_ptr_null(drtopo_stack_resource_at(s, 4));
	ck_assert_uint_eq(r->index, 0);
	ck_assert_uint_eq(r2->index, 4);

	drtopo_resource *f = NULL;
	ck_ok(m, drtopo_stack_find_resource(s, "Key", &f));
	ck_assert_ptr_eq(f, q);
	ck_ok(m, drtopo_stack_find_resource(t, "Table", &f));
	ck_assert_ptr_eq(f, r2);
	f = (drtopo_resource *)0x1;
	ck_assert_int_eq(drtopo_stack_find_resource(t, "Key", &f),
			 DRTOPO_ENOTFOUND);
	ck_assert_int_eq(drtopo_stack_find_resource(s, "Missing", &f),
			 DRTOPO_ENOTFOUND);
	ck_assert_int_eq(drtopo_stack_find_resource(NULL, "Key", &f),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_find_resource(s, NULL, &f),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_find_resource(s, "", &f), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_find_resource(s, "Key", NULL),
			 DRTOPO_EINVAL);
	ck_assert_ptr_eq(f, (drtopo_resource *)0x1);
}
END_TEST

START_TEST(resource_add_errors)
{
	drtopo_stack *s = stack(m, "S", "us-east-1");
	drtopo_resource *r = resource(s, "Topic", "AWS::SNS::Topic");
	drtopo_resource *out = (drtopo_resource *)0x1;
	ck_assert_int_eq(drtopo_stack_add_resource(NULL, "X", "T", NULL, &out),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_stack_add_resource(s, NULL, "T", NULL, &out));
	ck_einval(m, drtopo_stack_add_resource(s, "", "T", NULL, &out));
	ck_einval(m, drtopo_stack_add_resource(s, "X", NULL, NULL, &out));
	ck_einval(m, drtopo_stack_add_resource(s, "X", "", NULL, &out));
	dt_model_clear_error(m);
	ck_assert_int_eq(drtopo_stack_add_resource(
				 s, "Topic", "AWS::SQS::Queue", "q", &out),
			 DRTOPO_EEXIST);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "'Topic'"));
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "'S'"));
	ck_assert_ptr_eq(out, (drtopo_resource *)0x1);
	ck_assert_uint_eq(drtopo_stack_resource_count(s), 1);
	ck_assert_uint_eq(drtopo_model_resource_count(m), 1);
	ck_assert_str_eq(drtopo_resource_type(r), "AWS::SNS::Topic");
}
END_TEST

/* Few resources are found by a scan, more through the model's index:
 * both ways, across the change, find and refuse the same ids. */
START_TEST(resources_past_the_scan)
{
	drtopo_stack *s = stack(m, "S", "us-east-1");
	drtopo_stack *t = stack(m, "T", "us-east-1");
	char id[16];
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "R%d", i);
		resource(s, id, "AWS::SNS::Topic");
		if (i % 2 == 0)
			resource(t, id, "AWS::SQS::Queue");
		for (int j = 0; j <= i; j++) {
			drtopo_resource *r = NULL;
			snprintf(id, sizeof(id), "R%d", j);
			ck_ok(m, drtopo_stack_find_resource(s, id, &r));
			ck_assert_str_eq(drtopo_resource_id(r), id);
			ck_assert_ptr_eq(drtopo_resource_stack(r), s);
			ck_assert_int_eq(
				drtopo_stack_add_resource(
					s, id, "AWS::SNS::Topic", NULL, &r),
				DRTOPO_EEXIST);
		}
		drtopo_resource *r = NULL;
		ck_assert_int_eq(drtopo_stack_find_resource(s, "R99", &r),
				 DRTOPO_ENOTFOUND);
	}
	ck_assert_uint_eq(drtopo_stack_resource_count(s), 40);
	ck_assert_uint_eq(drtopo_stack_resource_count(t), 20);
	drtopo_resource *r = NULL;
	ck_ok(m, drtopo_stack_find_resource(t, "R38", &r));
	ck_assert_str_eq(drtopo_resource_type(r), "AWS::SQS::Queue");
	ck_assert_int_eq(drtopo_stack_find_resource(t, "R37", &r),
			 DRTOPO_ENOTFOUND);
}
END_TEST

START_TEST(references)
{
	drtopo_stack *a = stack(m, "A", "us-east-1");
	drtopo_stack *b = stack(m, "B", "us-east-2");
	drtopo_resource *fn = resource(a, "Fn", "AWS::Lambda::Function");
	drtopo_resource *key = resource(b, "Key", "AWS::KMS::Key");
	drtopo_resource *foreign =
		resource(stack(other, "Z", NULL), "Z", "AWS::KMS::Key");
	ck_ok(m, drtopo_resource_add_reference(fn, key, "Arn"));
	ck_ok(m, drtopo_resource_add_reference(fn, key, NULL));
	ck_ok(m, drtopo_resource_add_reference(fn, key, ""));
	ck_ok(m, drtopo_resource_add_reference(fn, fn, "Arn")); /* same stack */
	ck_assert_uint_eq(m->refs.len, 4);
	const dt_ref *ref = DT_VEC_PTR(m->refs, dt_ref, 0);
	ck_assert_ptr_eq(ref->consumer, fn);
	ck_assert_ptr_eq(ref->producer, key);
	ck_assert_str_eq(ref->attr, "Arn");
	ck_assert_ptr_eq(ref->stack_id, b->id);
	ck_assert_ptr_eq(ref->res_id, key->id);
	ck_assert_ptr_null(DT_VEC_PTR(m->refs, dt_ref, 1)->attr);
	ck_assert_ptr_null(DT_VEC_PTR(m->refs, dt_ref, 2)->attr);

	ck_assert_int_eq(drtopo_resource_add_reference(NULL, key, "Arn"),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_resource_add_reference(fn, NULL, "Arn"));
	ck_einval(m, drtopo_resource_add_reference(fn, foreign, "Arn"));
	ck_assert_int_eq(drtopo_resource_add_reference(foreign, fn, NULL),
			 DRTOPO_EINVAL);
	ck_assert_uint_eq(m->refs.len, 4);
	ck_assert_uint_eq(other->refs.len, 0);
}
END_TEST

START_TEST(exports_and_imports)
{
	drtopo_stack *a = stack(m, "A", "us-east-1");
	drtopo_stack *b = stack(m, "B", "us-east-1");
	drtopo_resource *bucket = resource(a, "Bucket", "AWS::S3::Bucket");
	drtopo_resource *fn = resource(b, "Fn", "AWS::Lambda::Function");
	drtopo_resource *foreign =
		resource(stack(other, "Z", NULL), "Z", "AWS::S3::Bucket");
	ck_ok(m, drtopo_stack_add_export(a, "A:BucketArn", bucket));
	ck_ok(m, drtopo_stack_add_export(a, "A:Plain", NULL));
	ck_ok(m, drtopo_stack_add_import(b, "A:BucketArn", fn));
	ck_ok(m, drtopo_stack_add_import(b, "A:Plain", NULL));
	ck_assert_uint_eq(m->exports.len, 2);
	ck_assert_uint_eq(m->imports.len, 2);
	const dt_export *e = DT_VEC_PTR(m->exports, dt_export, 0);
	ck_assert_ptr_eq(e->stack, a);
	ck_assert_str_eq(e->name, "A:BucketArn");
	ck_assert_ptr_eq(e->res, bucket);
	const dt_import *i = DT_VEC_PTR(m->imports, dt_import, 0);
	ck_assert_ptr_eq(i->stack, b);
	ck_assert_ptr_eq(i->name, e->name); /* interned */
	ck_assert_ptr_eq(i->res, fn);
	ck_assert_ptr_null(DT_VEC_PTR(m->imports, dt_import, 1)->res);

	ck_assert_int_eq(drtopo_stack_add_export(NULL, "x", NULL),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_stack_add_export(a, NULL, NULL));
	ck_einval(m, drtopo_stack_add_export(a, "", NULL));
	/* The value must be a resource of the exporting stack. */
	ck_einval(m, drtopo_stack_add_export(a, "x", fn));
	ck_einval(m, drtopo_stack_add_export(a, "x", foreign));
	ck_assert_int_eq(drtopo_stack_add_import(NULL, "x", NULL),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_stack_add_import(b, NULL, NULL));
	ck_einval(m, drtopo_stack_add_import(b, "", NULL));
	ck_einval(m, drtopo_stack_add_import(b, "x", bucket));
	ck_einval(m, drtopo_stack_add_import(b, "x", foreign));
	ck_assert_uint_eq(m->exports.len, 2);
	ck_assert_uint_eq(m->imports.len, 2);
}
END_TEST

START_TEST(output_reads)
{
	drtopo_stack *a = stack(m, "A", "us-east-1");
	drtopo_resource *fn = resource(a, "Fn", "AWS::Lambda::Function");
	drtopo_resource *foreign =
		resource(stack(other, "Z", NULL), "Z", "AWS::S3::Bucket");
	ck_ok(m, drtopo_stack_add_output_read(a, "prod-db", "TableArn",
					      "us-west-2", fn));
	ck_ok(m, drtopo_stack_add_output_read(a, "prod-db", "TableName", NULL,
					      NULL));
	ck_ok(m, drtopo_stack_add_output_read(a, "prod-db", "X", "", NULL));
	ck_assert_uint_eq(m->outputs.len, 3);
	ck_assert_uint_eq(m->imports.len, 0);
	const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, 0);
	ck_assert_ptr_eq(o->stack, a);
	ck_assert_str_eq(o->producer, "prod-db");
	ck_assert_str_eq(o->name, "TableArn");
	ck_assert_str_eq(o->region, "us-west-2");
	ck_assert_ptr_null(o->account);
	ck_assert_ptr_eq(o->res, fn);
	ck_assert_ptr_null(DT_VEC_PTR(m->outputs, dt_import, 1)->region);
	ck_assert_ptr_null(DT_VEC_PTR(m->outputs, dt_import, 2)->region);

	ck_assert_int_eq(
		drtopo_stack_add_output_read(NULL, "p", "o", NULL, NULL),
		DRTOPO_EINVAL);
	ck_einval(m, drtopo_stack_add_output_read(a, NULL, "o", NULL, NULL));
	ck_einval(m, drtopo_stack_add_output_read(a, "", "o", NULL, NULL));
	ck_einval(m, drtopo_stack_add_output_read(a, "p", NULL, NULL, NULL));
	ck_einval(m, drtopo_stack_add_output_read(a, "p", "", NULL, NULL));
	ck_einval(m, drtopo_stack_add_output_read(a, "p", "o", NULL, foreign));
	ck_assert_uint_eq(m->outputs.len, 3);
}
END_TEST

/* ---- parameters ---------------------------------------------------- */

START_TEST(parameters)
{
	drtopo_stack *w = stack(m, "Writer", "us-east-1");
	drtopo_stack *r = stack(m, "Reader", "us-east-2");
	drtopo_stack *ag = NULL;
	ck_ok(m, drtopo_model_add_stack(m, "Agnostic", NULL, NULL, &ag));
	drtopo_resource *p = resource(w, "Param", "AWS::SSM::Parameter");
	drtopo_param *pw = NULL, *pw2 = NULL, *pr = NULL, *pr2 = NULL,
		     *pa = NULL;

	ck_ok(m, drtopo_stack_write_parameter(w, "/dr/key", NULL, p, &pw));
	ck_assert_int_eq(drtopo_param_kind(pw), DRTOPO_PARAM_WRITE);
	ck_assert_str_eq(drtopo_param_name(pw), "/dr/key");
	/* No region: the writer's own, not an explicit one. */
	ck_assert_str_eq(drtopo_param_region(pw), "us-east-1");
	ck_assert_int_eq(pw->explicit_region, 0);
	ck_assert_ptr_eq(drtopo_param_stack(pw), w);
	ck_assert_ptr_eq(pw->res, p);

	ck_ok(m, drtopo_stack_write_parameter(w, "/dr/key", "us-east-2", NULL,
					      &pw2));
	ck_assert_str_eq(drtopo_param_region(pw2), "us-east-2");
	ck_assert_int_eq(pw2->explicit_region, 1);

	ck_ok(m, drtopo_stack_read_parameter(r, "/dr/key", NULL, NULL, &pr));
	ck_assert_int_eq(drtopo_param_kind(pr), DRTOPO_PARAM_READ);
	ck_assert_str_eq(drtopo_param_region(pr), "us-east-2");
	ck_ok(m, drtopo_stack_read_parameter(r, "/dr/key", "us-east-1", NULL,
					     &pr2));
	ck_assert_str_eq(drtopo_param_region(pr2), "us-east-1");
	ck_ok(m, drtopo_stack_read_parameter(ag, "/dr/key", NULL, NULL, &pa));
	ck_assert_ptr_null(drtopo_param_region(pa)); /* unknown */
	ck_ok(m, drtopo_stack_read_parameter(r, "/dr/key", "", NULL, NULL));
	ck_assert_uint_eq(m->params.len, 6);
	ck_assert_ptr_eq(DT_VEC_AT(m->params, drtopo_param *, 5)->region,
			 r->region);
	/* Equal names are one interned string. */
	ck_assert_ptr_eq(drtopo_param_name(pr), drtopo_param_name(pw));
}
END_TEST

START_TEST(parameter_errors)
{
	drtopo_stack *w = stack(m, "W", "us-east-1");
	drtopo_stack *x = stack(m, "X", "us-east-1");
	drtopo_resource *xr = resource(x, "R", "AWS::SSM::Parameter");
	drtopo_resource *foreign =
		resource(stack(other, "Z", NULL), "Z", "AWS::SSM::Parameter");
	drtopo_param *out = (drtopo_param *)0x1;
	ck_assert_int_eq(
		drtopo_stack_write_parameter(NULL, "/p", NULL, NULL, &out),
		DRTOPO_EINVAL);
	ck_einval(m, drtopo_stack_write_parameter(w, NULL, NULL, NULL, &out));
	ck_einval(m, drtopo_stack_write_parameter(w, "", NULL, NULL, &out));
	/* The writing resource belongs to the writing stack. */
	ck_einval(m, drtopo_stack_write_parameter(w, "/p", NULL, xr, &out));
	ck_einval(m,
		  drtopo_stack_write_parameter(w, "/p", NULL, foreign, &out));
	ck_assert_int_eq(
		drtopo_stack_read_parameter(NULL, "/p", NULL, NULL, &out),
		DRTOPO_EINVAL);
	ck_einval(m, drtopo_stack_read_parameter(w, "", NULL, NULL, &out));
	ck_einval(m, drtopo_stack_read_parameter(w, "/p", NULL, xr, &out));
	ck_assert_ptr_eq(out, (drtopo_param *)0x1);
	ck_assert_uint_eq(m->params.len, 0);
}
END_TEST

START_TEST(parameter_values)
{
	drtopo_stack *w = stack(m, "W", "us-east-1");
	drtopo_stack *k = stack(m, "K", "us-east-2");
	drtopo_resource *key = resource(k, "Key", "AWS::KMS::Key");
	drtopo_resource *foreign =
		resource(stack(other, "Z", NULL), "Z", "AWS::KMS::Key");
	drtopo_param *p = NULL;
	ck_ok(m, drtopo_stack_write_parameter(w, "/k", NULL, NULL, &p));
	ck_assert_int_eq(p->value.kind, DT_VAL_NONE);

	ck_ok(m, drtopo_param_set_value_resource(p, key, "Arn"));
	ck_assert_int_eq(p->value.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_eq(p->value.res, key);
	ck_assert_str_eq(p->value.attr, "Arn");
	ck_assert_ptr_eq(p->value.stack_id, k->id);
	ck_assert_ptr_eq(p->value.res_id, key->id);

	char text[] = "arn:aws:kms:us-east-2:111111111111:key/abc";
	ck_ok(m, drtopo_param_set_value_text(p, text));
	text[0] = 'X';
	/* The last call wins, and nothing of the resource value is left. */
	ck_assert_int_eq(p->value.kind, DT_VAL_TEXT);
	ck_assert_str_eq(p->value.text,
			 "arn:aws:kms:us-east-2:111111111111:key/abc");
	ck_assert_ptr_null(p->value.res);
	ck_assert_ptr_null(p->value.attr);

	ck_ok(m, drtopo_param_set_value_resource(p, key, NULL));
	ck_assert_int_eq(p->value.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_null(p->value.attr);
	ck_assert_ptr_null(p->value.text);

	ck_assert_int_eq(drtopo_param_set_value_resource(NULL, key, NULL),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_param_set_value_resource(p, NULL, NULL));
	ck_einval(m, drtopo_param_set_value_resource(p, foreign, "Arn"));
	ck_assert_int_eq(drtopo_param_set_value_text(NULL, "x"), DRTOPO_EINVAL);
	ck_einval(m, drtopo_param_set_value_text(p, NULL));
	ck_einval(m, drtopo_param_set_value_text(p, "\xc3("));
	/* Failures left the value alone. */
	ck_assert_int_eq(p->value.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_eq(p->value.res, key);

	/* A read has no value to set. */
	drtopo_param *rd = NULL;
	ck_ok(m, drtopo_stack_read_parameter(w, "/k", NULL, NULL, &rd));
	ck_einval(m, drtopo_param_set_value_text(rd, "x"));
	ck_einval(m, drtopo_param_set_value_resource(rd, key, NULL));
	ck_assert_int_eq(rd->value.kind, DT_VAL_NONE);
}
END_TEST

/* Every string the library stores ends up in a JSON report: bytes that
 * are not UTF-8 are refused where they come in, ids and optional text
 * alike, and nothing is added. */
START_TEST(text_must_be_utf8)
{
	static const char *const bad[] = {
		"\xff",
		"a\xc3",
		"\xc0\xaf" /* overlong */,
		"\xed\xa0\x80" /* surrogate */,
		"\xf4\x90\x80\x80" /* > U+10FFFF */,
	};
	drtopo_stack *s = stack(m, "S", "us-east-1");
	drtopo_resource *t = resource(s, "T", "AWS::DynamoDB::GlobalTable");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_einval(m,
			  drtopo_model_add_stack(m, bad[i], NULL, NULL, NULL));
		ck_einval(m,
			  drtopo_model_add_stack(m, "X", bad[i], NULL, NULL));
		ck_einval(m,
			  drtopo_model_add_stack(m, "X", NULL, bad[i], NULL));
		ck_einval(m,
			  drtopo_stack_add_resource(s, "R", "T", bad[i], NULL));
		ck_einval(m, drtopo_stack_set_name(s, bad[i], NULL));
		ck_einval(m, drtopo_stack_write_parameter(s, bad[i], NULL, NULL,
							  NULL));
		ck_einval(m, drtopo_stack_read_parameter(s, "/p", bad[i], NULL,
							 NULL));
		ck_einval(m, drtopo_model_add_external(m, "/p", bad[i]));
		ck_einval(m, drtopo_resource_add_replica(t, bad[i]));
		ck_einval(m, drtopo_resource_set_cmk_arn(t, bad[i]));
	}
	ck_assert_uint_eq(drtopo_model_stack_count(m), 1);
	ck_assert_uint_eq(drtopo_stack_resource_count(s), 1);
	ck_assert_uint_eq(m->params.len, 0);
	/* Well-formed multi-byte text is fine. */
	ck_ok(m, drtopo_model_add_stack(
			 m, "Sta\xc3\xa7k-\xe2\x82\xac-\xf0\x9f\x98\x80", NULL,
			 NULL, NULL));
}
END_TEST

/* ---- tables, replicas and keys ------------------------------------- */

START_TEST(replicas)
{
	drtopo_stack *s = stack(m, "Db", "us-east-1");
	drtopo_resource *t = resource(s, "Table", "AWS::DynamoDB::GlobalTable");
	drtopo_resource *plain = resource(s, "Topic", "AWS::SNS::Topic");
	ck_assert_ptr_null(t->table);
	ck_assert_uint_eq(drtopo_resource_replica_count(t), 0);
	ck_assert_ptr_null(drtopo_resource_replica_at(t, 0));
	ck_ok(m, drtopo_resource_add_replica(t, "us-east-2"));
	ck_ok(m, drtopo_resource_add_replica(t, "eu-west-1"));
	ck_ok(m,
	      drtopo_resource_add_replica(t, "us-east-2")); /* DRT405 later */
	ck_assert_uint_eq(drtopo_resource_replica_count(t), 3);
	ck_assert_str_eq(drtopo_resource_replica_at(t, 0), "us-east-2");
	ck_assert_str_eq(drtopo_resource_replica_at(t, 1), "eu-west-1");
	ck_assert_ptr_eq(drtopo_resource_replica_at(t, 2),
			 drtopo_resource_replica_at(t, 0));
	ck_assert_ptr_null(drtopo_resource_replica_at(t, 3));
	/* The table is registered once. */
	ck_assert_uint_eq(m->tables.len, 1);
	ck_assert_ptr_eq(DT_VEC_AT(m->tables, drtopo_resource *, 0), t);
	ck_assert_uint_eq(drtopo_resource_replica_count(plain), 0);

	ck_assert_int_eq(drtopo_resource_add_replica(NULL, "us-east-2"),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_resource_add_replica(t, NULL));
	ck_einval(m, drtopo_resource_add_replica(t, ""));
	ck_assert_uint_eq(drtopo_resource_replica_count(t), 3);
}
END_TEST

START_TEST(table_cmk)
{
	drtopo_stack *s = stack(m, "Db", "us-east-1");
	drtopo_stack *k = stack(m, "Kms", "us-east-1");
	drtopo_resource *t = resource(s, "Table", "AWS::DynamoDB::GlobalTable");
	drtopo_resource *key = resource(k, "Key", "AWS::KMS::Key");
	drtopo_resource *foreign =
		resource(stack(other, "Z", NULL), "Z", "AWS::KMS::Key");
	ck_ok(m, drtopo_resource_set_cmk(t, key));
	ck_assert_ptr_nonnull(t->table);
	ck_assert_int_eq(t->table->cmk.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_eq(t->table->cmk.res, key);
	ck_assert_ptr_eq(t->table->cmk.stack_id, k->id);
	ck_ok(m, drtopo_resource_set_cmk_arn(t, "alias/orders"));
	ck_assert_int_eq(t->table->cmk.kind, DT_VAL_TEXT);
	ck_assert_str_eq(t->table->cmk.text, "alias/orders");
	ck_assert_ptr_null(t->table->cmk.res);
	ck_assert_uint_eq(m->tables.len, 1);

	ck_assert_int_eq(drtopo_resource_set_cmk(NULL, key), DRTOPO_EINVAL);
	ck_einval(m, drtopo_resource_set_cmk(t, NULL));
	ck_einval(m, drtopo_resource_set_cmk(t, foreign));
	ck_assert_int_eq(drtopo_resource_set_cmk_arn(NULL, "x"), DRTOPO_EINVAL);
	ck_einval(m, drtopo_resource_set_cmk_arn(t, NULL));
	ck_einval(m, drtopo_resource_set_cmk_arn(t, ""));
	ck_assert_str_eq(t->table->cmk.text, "alias/orders");
}
END_TEST

static const dt_replica_key *key_for(const drtopo_resource *t,
				     const char *region)
{
	for (size_t i = 0; i < t->table->keys.len; i++) {
		const dt_replica_key *k =
			DT_VEC_PTR(t->table->keys, dt_replica_key, i);
		if (strcmp(k->region, region) == 0)
			return k;
	}
	return NULL;
}

START_TEST(replica_keys)
{
	drtopo_stack *s = stack(m, "Db", "us-east-1");
	drtopo_stack *k2 = stack(m, "Kms2", "us-east-2");
	drtopo_resource *t = resource(s, "Table", "AWS::DynamoDB::GlobalTable");
	drtopo_resource *key = resource(k2, "Key", "AWS::KMS::Key");
	drtopo_resource *foreign =
		resource(stack(other, "Z", NULL), "Z", "AWS::KMS::Key");
	ck_ok(m, drtopo_resource_set_replica_key(t, "us-east-2", key));
	ck_ok(m, drtopo_resource_set_replica_key_arn(
			 t, "eu-west-1", "arn:aws:kms:eu-west-1:1:key/x"));
	ck_ok(m, drtopo_resource_set_replica_key_parameter(
			 t, "ap-south-1", "/dr/key/ap-south-1", NULL));
	ck_ok(m, drtopo_resource_set_replica_key_parameter(
			 t, "ca-central-1", "/dr/key", "us-east-1"));
	ck_assert_uint_eq(t->table->keys.len, 4);
	/* Keys do not add replicas. */
	ck_assert_uint_eq(drtopo_resource_replica_count(t), 0);

	const dt_replica_key *k = key_for(t, "us-east-2");
	ck_assert_int_eq(k->key.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_eq(k->key.res, key);
	k = key_for(t, "eu-west-1");
	ck_assert_int_eq(k->key.kind, DT_VAL_TEXT);
	ck_assert_str_eq(k->key.text, "arn:aws:kms:eu-west-1:1:key/x");
	k = key_for(t, "ap-south-1");
	ck_assert_int_eq(k->key.kind, DT_VAL_PARAM);
	ck_assert_str_eq(k->key.text, "/dr/key/ap-south-1");
	ck_assert_ptr_null(k->key.region);
	k = key_for(t, "ca-central-1");
	ck_assert_str_eq(k->key.region, "us-east-1");

	/* The last call for a region wins, in place. */
	ck_ok(m,
	      drtopo_resource_set_replica_key_arn(t, "us-east-2", "alias/k"));
	ck_assert_uint_eq(t->table->keys.len, 4);
	k = key_for(t, "us-east-2");
	ck_assert_int_eq(k->key.kind, DT_VAL_TEXT);
	ck_assert_str_eq(k->key.text, "alias/k");
	ck_assert_ptr_null(k->key.res);
	ck_assert_ptr_eq(DT_VEC_PTR(t->table->keys, dt_replica_key, 0), k);

	ck_assert_int_eq(drtopo_resource_set_replica_key(NULL, "r", key),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_resource_set_replica_key(t, NULL, key));
	ck_einval(m, drtopo_resource_set_replica_key(t, "", key));
	ck_einval(m, drtopo_resource_set_replica_key(t, "us-west-2", NULL));
	ck_einval(m, drtopo_resource_set_replica_key(t, "us-west-2", foreign));
	ck_assert_int_eq(drtopo_resource_set_replica_key_arn(NULL, "r", "a"),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_resource_set_replica_key_arn(t, "", "a"));
	ck_einval(m, drtopo_resource_set_replica_key_arn(t, "r", NULL));
	ck_einval(m, drtopo_resource_set_replica_key_arn(t, "r", ""));
	ck_assert_int_eq(
		drtopo_resource_set_replica_key_parameter(NULL, "r", "n", NULL),
		DRTOPO_EINVAL);
	ck_einval(m, drtopo_resource_set_replica_key_parameter(t, NULL, "n",
							       NULL));
	ck_einval(m,
		  drtopo_resource_set_replica_key_parameter(t, "r", "", NULL));
	ck_assert_uint_eq(t->table->keys.len, 4);
	ck_assert_ptr_null(key_for(t, "us-west-2"));
	/* Nothing was registered on the other model. */
	ck_assert_uint_eq(other->tables.len, 0);
}
END_TEST

/* ---- externals, rule severities, limits --------------------------- */

START_TEST(externals)
{
	ck_ok(m, drtopo_model_add_external(m, "/org/shared", NULL));
	ck_ok(m, drtopo_model_add_external(m, "/org/pinned", "us-east-1"));
	ck_ok(m, drtopo_model_add_external(m, "Org:Export", ""));
	ck_assert_uint_eq(m->externals.len, 3);
	/* dt_is_external compares interned pointers. */
	const char *shared = dt_str(m, "/org/shared");
	const char *pinned = dt_str(m, "/org/pinned");
	const char *exp = dt_str(m, "Org:Export");
	const char *e1 = dt_str(m, "us-east-1"), *e2 = dt_str(m, "us-east-2");
	ck_assert(dt_is_external(m, shared, e1));
	ck_assert(dt_is_external(m, shared, e2));
	ck_assert(dt_is_external(m, shared, NULL));
	ck_assert(dt_is_external(m, pinned, e1));
	ck_assert(!dt_is_external(m, pinned, e2));
	ck_assert(dt_is_external(m, exp, e2)); /* "" region: any */
	ck_assert(!dt_is_external(m, dt_str(m, "/org/other"), e1));

	ck_assert_int_eq(drtopo_model_add_external(NULL, "x", NULL),
			 DRTOPO_EINVAL);
	ck_einval(m, drtopo_model_add_external(m, NULL, NULL));
	ck_einval(m, drtopo_model_add_external(m, "", "us-east-1"));
	ck_assert_uint_eq(m->externals.len, 3);
}
END_TEST

START_TEST(rule_severity)
{
	/* Defaults come from the catalogue. */
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT302"),
			 DRTOPO_SEVERITY_ERROR);
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT206"),
			 DRTOPO_SEVERITY_WARNING);
	for (size_t i = 0; i < drtopo_rule_count(); i++) {
		const drtopo_rule *r = drtopo_rule_at(i);
		ck_assert_int_eq(
			drtopo_model_rule_severity(m, drtopo_rule_code(r)),
			drtopo_rule_default_severity(r));
	}
	/* By code, lower-case code or name; per model. */
	ck_ok(m, drtopo_model_set_rule_severity(m, "DRT302",
						DRTOPO_SEVERITY_WARNING));
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT302"),
			 DRTOPO_SEVERITY_WARNING);
	ck_assert_int_eq(drtopo_model_rule_severity(m, "drt302"),
			 DRTOPO_SEVERITY_WARNING);
	ck_assert_int_eq(
		drtopo_model_rule_severity(m, "parameter-region-mismatch"),
		DRTOPO_SEVERITY_WARNING);
	ck_assert_int_eq(drtopo_model_rule_severity(other, "DRT302"),
			 DRTOPO_SEVERITY_ERROR);
	ck_ok(m,
	      drtopo_model_set_rule_severity(m, "drt101", DRTOPO_SEVERITY_OFF));
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT101"),
			 DRTOPO_SEVERITY_OFF);
	ck_ok(m, drtopo_model_set_rule_severity(
			 m, "stack-output-without-dependency",
			 DRTOPO_SEVERITY_INFO));
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT206"),
			 DRTOPO_SEVERITY_INFO);
	/* Back to the default value by setting it. */
	ck_ok(m, drtopo_model_set_rule_severity(m, "DRT302",
						DRTOPO_SEVERITY_ERROR));
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT302"),
			 DRTOPO_SEVERITY_ERROR);

	/* Errors. */
	dt_model_clear_error(m);
	ck_assert_int_eq(drtopo_model_set_rule_severity(m, "DRT999",
							DRTOPO_SEVERITY_ERROR),
			 DRTOPO_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(drtopo_model_errmsg(m), "DRT999"));
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT999"),
			 DRTOPO_ENOTFOUND);
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT30"),
			 DRTOPO_ENOTFOUND);
	ck_einval(m, drtopo_model_set_rule_severity(m, "DRT302", 4));
	ck_einval(m, drtopo_model_set_rule_severity(m, "DRT302", -1));
	ck_einval(m, drtopo_model_set_rule_severity(m, NULL,
						    DRTOPO_SEVERITY_ERROR));
	ck_einval(m,
		  drtopo_model_set_rule_severity(m, "", DRTOPO_SEVERITY_ERROR));
	ck_assert_int_eq(drtopo_model_set_rule_severity(NULL, "DRT302",
							DRTOPO_SEVERITY_ERROR),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_rule_severity(NULL, "DRT302"),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_rule_severity(m, NULL), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_rule_severity(m, ""), DRTOPO_EINVAL);
	/* A failed call changed nothing. */
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT302"),
			 DRTOPO_SEVERITY_ERROR);
	ck_assert_int_eq(drtopo_model_rule_severity(m, "DRT101"),
			 DRTOPO_SEVERITY_OFF);
}
END_TEST

START_TEST(limits)
{
	/* The documented defaults. */
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_DEPTH), 512);
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_FILE_SIZE),
			  (size_t)256 * 1024 * 1024);
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_STRING),
			  (size_t)1024 * 1024);
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_ASSEMBLY_DEPTH), 16);

	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_DEPTH, 8));
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_FILE_SIZE, 1));
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_STRING, SIZE_MAX));
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_ASSEMBLY_DEPTH, 2));
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_DEPTH), 8);
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_FILE_SIZE), 1);
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_STRING), SIZE_MAX);
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_ASSEMBLY_DEPTH), 2);
	/* Per model. */
	ck_assert_uint_eq(dt_model_limit(other, DRTOPO_LIMIT_DEPTH), 512);

	ck_einval(m, drtopo_model_set_limit(m, 0, 10));
	ck_einval(m, drtopo_model_set_limit(m, 5, 10));
	ck_einval(m, drtopo_model_set_limit(m, -1, 10));
	ck_einval(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_DEPTH, 0));
	ck_assert_int_eq(drtopo_model_set_limit(NULL, DRTOPO_LIMIT_DEPTH, 1),
			 DRTOPO_EINVAL);
	ck_assert_uint_eq(dt_model_limit(m, DRTOPO_LIMIT_DEPTH), 8);
}
END_TEST

/* Every function that takes two handles refuses a mix of models and
 * leaves both models unchanged. */
START_TEST(foreign_handles_everywhere)
{
	drtopo_stack *a = stack(m, "A", "us-east-1");
	drtopo_resource *ar = resource(a, "R", "AWS::DynamoDB::GlobalTable");
	drtopo_param *ap = NULL;
	ck_ok(m, drtopo_stack_write_parameter(a, "/p", NULL, NULL, &ap));
	drtopo_stack *z = stack(other, "A", "us-east-1"); /* same ids */
	drtopo_resource *zr = resource(z, "R", "AWS::KMS::Key");

	ck_assert_int_eq(drtopo_stack_add_dependency(a, z), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_resource_add_reference(ar, zr, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_add_export(a, "e", zr), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_add_import(a, "e", zr), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_add_output_read(a, "A", "o", NULL, zr),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_write_parameter(a, "/q", NULL, zr, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_stack_read_parameter(a, "/q", NULL, zr, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_param_set_value_resource(ap, zr, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_resource_set_cmk(ar, zr), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_resource_set_replica_key(ar, "us-east-2", zr),
			 DRTOPO_EINVAL);

	ck_assert_uint_eq(m->deps.len, 0);
	ck_assert_uint_eq(m->refs.len, 0);
	ck_assert_uint_eq(m->exports.len, 0);
	ck_assert_uint_eq(m->imports.len, 0);
	ck_assert_uint_eq(m->outputs.len, 0);
	ck_assert_uint_eq(m->params.len, 1);
	ck_assert_int_eq(ap->value.kind, DT_VAL_NONE);
	ck_assert_ptr_null(ar->table);
	ck_assert_uint_eq(m->tables.len, 0);
	ck_assert_uint_eq(other->deps.len + other->refs.len +
				  other->params.len + other->tables.len,
			  0);
	/* Both models still resolve. */
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	ck_assert_uint_eq(drtopo_result_edge_count(r), 0);
	drtopo_result_free(r);
	ck_ok(other, drtopo_model_resolve(other, &r));
	drtopo_result_free(r);
}
END_TEST

START_TEST(errmsg_survives_success)
{
	/* The message describes the last error; a later success does not
	 * pretend one happened, nor erase it. */
	ck_assert_int_eq(drtopo_model_add_stack(m, "", NULL, NULL, NULL),
			 DRTOPO_EINVAL);
	const char *msg = drtopo_model_errmsg(m);
	ck_assert_str_ne(msg, "");
	char copy[512];
	snprintf(copy, sizeof(copy), "%s", msg);
	ck_ok(m, drtopo_model_add_stack(m, "ok", NULL, NULL, NULL));
	ck_assert_str_eq(drtopo_model_errmsg(m), copy);
	ck_assert_ptr_nonnull(strstr(copy, "id"));
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, model_new_and_free);
	tcase_add_test(tc, model_null_accessors);
	tcase_add_test(tc, error_location_accessors);
	tcase_add_test(tc, errmsg_survives_success);
	suite_add_tcase(s, tc);

	tc = tcase_create("stacks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, stack_add_and_accessors);
	tcase_add_test(tc, stack_add_errors);
	tcase_add_test(tc, stack_find);
	tcase_add_test(tc, stack_set_name);
	tcase_add_test(tc, stack_dependencies);
	tcase_add_test(tc, many_stacks);
	suite_add_tcase(s, tc);

	tc = tcase_create("resources");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, resource_add_and_accessors);
	tcase_add_test(tc, resource_add_errors);
	tcase_add_test(tc, resources_past_the_scan);
	tcase_add_test(tc, references);
	tcase_add_test(tc, exports_and_imports);
	tcase_add_test(tc, output_reads);
	suite_add_tcase(s, tc);

	tc = tcase_create("parameters");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parameters);
	tcase_add_test(tc, parameter_errors);
	tcase_add_test(tc, parameter_values);
	tcase_add_test(tc, text_must_be_utf8);
	suite_add_tcase(s, tc);

	tc = tcase_create("tables");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, replicas);
	tcase_add_test(tc, table_cmk);
	tcase_add_test(tc, replica_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("settings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, externals);
	tcase_add_test(tc, rule_severity);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, foreign_handles_everywhere);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(model_suite)
