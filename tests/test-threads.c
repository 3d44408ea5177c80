/*
 * Threads: the library has no global mutable state, so models on
 * different threads never meet. 16 threads each build, load, resolve and
 * serialize their own models (the seed, a generated topology and a
 * document) and must produce output byte-identical to one thread doing
 * the same. Run it under ThreadSanitizer (HACKING.md, "Robustness").
 */
#include <pthread.h>

#include "seed.h"
#include "testutil.h"

#define THREADS 16

/* A generated topology: `n` stacks over three regions, each with a few
 * resources, references to earlier stacks, exports, parameters, and one
 * cycle, from a fixed linear congruential sequence. */
static unsigned long lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005ul + 1442695040888963407ul;
	return *s >> 33;
}

/* TRY: the first failing call's status sticks, and its line is kept. */
static int g_fail_line;
#define TRY(expr)                                       \
	do {                                            \
		if (!rc) {                              \
			rc = (expr);                    \
			if (rc)                         \
				g_fail_line = __LINE__; \
		}                                       \
	} while (0)

static int build_generated(drtopo_model *m, int n)
{
	static const char *regions[] = {"us-east-1", "us-west-2", "eu-west-1"};
	static const char *types[] = {"AWS::DynamoDB::GlobalTable",
				      "AWS::Lambda::Function",
				      "AWS::S3::Bucket"};
	drtopo_stack **st = calloc((size_t)n, sizeof(*st));
	drtopo_resource **res = calloc((size_t)n * 3, sizeof(*res));
	unsigned long seed = 42;
	int rc = DRTOPO_OK;
	char id[64], name[96];
	if (!st || !res) {
		rc = DRTOPO_ENOMEM;
		goto out;
	}
	for (int i = 0; i < n && !rc; i++) {
		snprintf(id, sizeof(id), "Gen%03d", i);
		TRY(drtopo_model_add_stack(m, id, "123456789012",
					   regions[i % 3], &st[i]));
		for (int j = 0; j < 3; j++) {
			snprintf(id, sizeof(id), "R%d", j);
			snprintf(name, sizeof(name), "gen-%d-%d", i, j);
			TRY(drtopo_stack_add_resource(st[i], id, types[j],
						      j == 1 ? NULL : name,
						      &res[i * 3 + j]));
		}
		if (i > 0) {
			int k = (int)(lcg(&seed) % (unsigned long)i);
			TRY(drtopo_resource_add_reference(res[i * 3 + 1],
							  res[k * 3], "Arn"));
		}
		if (i > 1 && lcg(&seed) % 3 == 0) {
			int k = (int)(lcg(&seed) % (unsigned long)i);
			TRY(drtopo_stack_add_dependency(st[i], st[k]));
		}
		if (i % 5 == 0) {
			snprintf(name, sizeof(name), "Gen:%d:Table", i);
			TRY(drtopo_stack_add_export(st[i], name, res[i * 3]));
			if (i > 0)
				TRY(drtopo_stack_add_import(
					st[i - 1], name, res[(i - 1) * 3 + 1]));
		}
		if (i % 7 == 0 && i + 3 < n) {
			drtopo_param *p = NULL;
			snprintf(name, sizeof(name), "/gen/%d", i);
			TRY(drtopo_stack_write_parameter(st[i], name, NULL,
							 res[i * 3 + 1], &p));
			TRY(drtopo_param_set_value_resource(p, res[i * 3],
							    "Arn"));
		}
		if (i % 7 == 3 && i >= 3) {
			snprintf(name, sizeof(name), "/gen/%d", i - 3);
			TRY(drtopo_stack_read_parameter(st[i], name,
							regions[(i - 3) % 3],
							res[i * 3 + 1], NULL));
		}
		if (i % 4 == 0)
			TRY(drtopo_resource_add_replica(res[i * 3],
							regions[(i + 1) % 3]));
	}
	/* one cycle */
	if (n > 2)
		TRY(drtopo_stack_add_dependency(st[1], st[n - 1]));
out:
	free(st);
	free(res);
	return rc;
}

typedef struct job {
	char *out; /* every serialization, concatenated */
	size_t len;
	int rc;
	const char *doc;
	size_t doc_len;
} job;

static int append(job *j, char *s, size_t n)
{
	char *p = realloc(j->out, j->len + n + 2);
	if (!p) {
		drtopo_free(s);
		return DRTOPO_ENOMEM;
	}
	j->out = p;
	memcpy(j->out + j->len, s, n);
	j->len += n;
	j->out[j->len++] = '\f';
	j->out[j->len] = '\0';
	drtopo_free(s);
	return DRTOPO_OK;
}

static int serialize_all(job *j, drtopo_model *m)
{
	drtopo_result *r = NULL;
	char *s;
	size_t n;
	int rc = drtopo_model_resolve(m, &r);
	if (rc)
		return rc;
	if (!(rc = drtopo_result_to_json(r, &s, &n)))
		rc = append(j, s, n);
	if (!rc && !(rc = drtopo_result_to_sarif(r, &s, &n)))
		rc = append(j, s, n);
	if (!rc && !(rc = drtopo_result_to_dot(r, &s, &n)))
		rc = append(j, s, n);
	if (!rc && !(rc = drtopo_result_to_text(r, 0, &s, &n)))
		rc = append(j, s, n);
	if (!rc && !(rc = drtopo_result_plan_to_text(r, 1, &s, &n)))
		rc = append(j, s, n);
	if (!rc && !(rc = drtopo_model_to_json(m, &s, &n)))
		rc = append(j, s, n);
	drtopo_result_free(r);
	return rc;
}

static void *run_job(void *arg)
{
	job *j = arg;
	drtopo_model *m = dt_seed_model_response();
	if (!m) {
		j->rc = DRTOPO_ENOMEM;
		return NULL;
	}
	j->rc = serialize_all(j, m);
	drtopo_model_free(m);

	m = NULL;
	if (!j->rc)
		j->rc = drtopo_model_new(&m);
	if (!j->rc)
		j->rc = build_generated(m, 120);
	if (!j->rc)
		j->rc = serialize_all(j, m);
	drtopo_model_free(m);

	m = NULL;
	if (!j->rc)
		j->rc = drtopo_model_new(&m);
	if (!j->rc)
		j->rc = drtopo_model_load_document_buffer(m, j->doc, j->doc_len,
							  "everything.json");
	if (!j->rc)
		j->rc = serialize_all(j, m);
	drtopo_model_free(m);
	return NULL;
}

START_TEST(sixteen_threads_one_output)
{
	size_t doc_len = 0;
	char *doc = dt_test_slurp(
		dt_test_data("documents/valid/everything.json"), &doc_len);
	ck_assert_ptr_nonnull(doc);

	job ref = {.doc = doc, .doc_len = doc_len};
	run_job(&ref);
	ck_assert_msg(ref.rc == DRTOPO_OK, "rc %d (line %d)", ref.rc,
		      g_fail_line);
	ck_assert_uint_gt(ref.len, 10000);

	pthread_t th[THREADS];
	job jobs[THREADS];
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (job){.doc = doc, .doc_len = doc_len};
		ck_assert_int_eq(
			pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(jobs[i].rc, DRTOPO_OK);
		ck_assert_uint_eq(jobs[i].len, ref.len);
		ck_assert_msg(memcmp(jobs[i].out, ref.out, ref.len) == 0,
			      "thread %d differs from one thread", i);
		free(jobs[i].out);
	}
	free(ref.out);
	free(doc);
}
END_TEST

/* The read-only catalogue and static texts from many threads at once. */
static void *read_catalogue(void *arg)
{
	size_t *sum = arg;
	for (int k = 0; k < 200; k++)
		for (size_t i = 0; i < drtopo_rule_count(); i++) {
			const drtopo_rule *r = drtopo_rule_at(i);
			*sum += strlen(drtopo_rule_code(r)) +
				strlen(drtopo_rule_explanation(r)) +
				strlen(drtopo_strerror(-(int)(i % 10))) +
				(drtopo_rule_find(drtopo_rule_name(r)) == r);
		}
	return NULL;
}

START_TEST(catalogue_from_threads)
{
	pthread_t th[THREADS];
	size_t sums[THREADS] = {0}, ref = 0;
	read_catalogue(&ref);
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(
			pthread_create(&th[i], NULL, read_catalogue, &sums[i]),
			0);
	for (int i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_uint_eq(sums[i], ref);
	}
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, sixteen_threads_one_output);
	tcase_add_test(tc, catalogue_from_threads);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(threads_suite)
