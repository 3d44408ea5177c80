/*
 * CDK cloud assemblies and CloudFormation templates: the importer
 * (lib/load/assembly.c, template.c, cfn.c).
 *
 *  - every real aws-cdk integ snapshot under tests/data/cdk-integ*: loads,
 *    gives its golden report (tests/data/golden/cdk-integ*), and has no
 *    error finding (they deploy cleanly in reality);
 *  - the synthesized apps under tests/data/cdk/<app>/cdk.out: golden
 *    reports (tests/data/golden/cdk/<app>.json);
 *  - the mapping itself, object by object, with source locations;
 *  - bad input: clear errors naming file:line:column, never a crash.
 *
 * Regenerate the golden reports with DRTOPO_UPDATE_GOLDEN=1.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "model.h"
#include "load/cfn.h"

/* ---- helpers --------------------------------------------------------- */

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

static char tmpdir[256];

static void tmp_setup(void)
{
	setup();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dt-assembly-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void tmp_teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	teardown();
}

/* Write tmpdir/rel (creating its directories); returns the full path. */
static const char *put(const char *rel, const char *text)
{
	static char path[1024];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	for (char *p = path + strlen(tmpdir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const char *tmp(const char *rel)
{
	static char path[1024];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	return path;
}

/* A one-stack manifest naming `template`, with `extra` artifacts. */
static void put_manifest(const char *dir, const char *env, const char *extra)
{
	char rel[256], text[4096];
	snprintf(rel, sizeof(rel), "%s%smanifest.json", dir, *dir ? "/" : "");
	snprintf(text, sizeof(text),
		 "{\n  \"version\": \"36.0.0\",\n  \"artifacts\": {\n"
		 "    \"S\": {\"type\": \"aws:cloudformation:stack\",\n"
		 "      \"environment\": \"%s\",\n"
		 "      \"properties\": {\"templateFile\": "
		 "\"S.template.json\"}}%s\n"
		 "  }\n}\n",
		 env, extra);
	put(rel, text);
}

static drtopo_stack *stack(const char *id)
{
	drtopo_stack *s = dt_stack_find(m, id);
	ck_assert_msg(s != NULL, "no stack '%s'", id);
	return s;
}

static drtopo_resource *res(const char *stack_id, const char *id)
{
	drtopo_resource *r = dt_resource_find(stack(stack_id), id);
	ck_assert_msg(r != NULL, "no resource '%s' in '%s'", id, stack_id);
	return r;
}

/* The n-th (0-based) parameter access of a kind and name, or NULL. */
static drtopo_param *param(int kind, const char *name, size_t n)
{
	for (size_t i = 0; i < m->params.len; i++) {
		drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind == kind && strcmp(p->name, name) == 0 && n-- == 0)
			return p;
	}
	return NULL;
}

static size_t count_params(int kind, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < m->params.len; i++) {
		drtopo_param *p = DT_VEC_AT(m->params, drtopo_param *, i);
		if (p->kind == kind && (!name || strcmp(p->name, name) == 0))
			n++;
	}
	return n;
}

#define ck_str(a, b) \
	ck_assert_str_eq((a) ? (a) : "(null)", (b) ? (b) : "(null)")

static void ck_loc(const dt_loc *loc, const char *file, const char *pointer)
{
	ck_str(loc->file, file);
	ck_str(loc->pointer, pointer);
}

static const char *fixture(const char *set, const char *name)
{
	static char rel[512];
	snprintf(rel, sizeof(rel), "%s/%s", set, name);
	return dt_test_data(rel);
}

static void load_fixture(const char *set, const char *name)
{
	ck_ok(m, drtopo_model_load_assembly(m, fixture(set, name)));
}

/* A template given as text, loaded as stack "S". */
static void load_tpl(const char *text, const char *account, const char *region)
{
	ck_ok(m, drtopo_model_load_template(m, put("S.template.json", text),
					    NULL, account, region));
}

/* ---- golden reports -------------------------------------------------- */

static char *report(void)
{
	drtopo_result *r = NULL;
	char *out = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	ck_assert_int_eq(drtopo_result_to_json(r, &out, NULL), DRTOPO_OK);
	drtopo_result_free(r);
	return out;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* Compare with (or, with DRTOPO_UPDATE_GOLDEN=1, write) a golden file. */
static void golden(const char *rel, const char *text)
{
	const char *path = dt_test_data(rel);
	const char *upd = getenv("DRTOPO_UPDATE_GOLDEN");
	if (upd && strcmp(upd, "1") == 0) {
		write_file(path, text);
		return;
	}
	char *want = dt_test_slurp(path, NULL);
	ck_assert_msg(want != NULL,
		      "no golden file %s (run with DRTOPO_UPDATE_GOLDEN=1)",
		      rel);
	if (strcmp(want, text) != 0) {
		/* Name the first line that differs. */
		size_t line = 1, i = 0;
		while (want[i] && want[i] == text[i]) {
			if (want[i] == '\n')
				line++;
			i++;
		}
		ck_abort_msg("%s differs from the golden file at line %zu; "
			     "got:\n%s",
			     rel, line, text);
	}
	free(want);
}

/* Every error finding, one a line ("" when there is none). */
static void ck_no_errors(void)
{
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	char msg[8192] = "";
	size_t n = drtopo_result_diagnostic_count(r), used = 0;
	for (size_t i = 0; i < n; i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		if (drtopo_diagnostic_severity(d) != DRTOPO_SEVERITY_ERROR)
			continue;
		int k = snprintf(msg + used, sizeof(msg) - used, "%s %s: %s\n",
				 drtopo_diagnostic_code(d),
				 drtopo_diagnostic_stack(d),
				 drtopo_diagnostic_message(d));
		if (k > 0 && used + (size_t)k < sizeof(msg))
			used += (size_t)k;
	}
	size_t errors = drtopo_result_count(r, DRTOPO_SEVERITY_ERROR);
	drtopo_result_free(r);
	ck_assert_msg(errors == 0, "error findings on a real assembly:\n%s",
		      msg);
}

static const char *const integ[] = {
	"cross-account-references",
	"cross-region-references",
	"cross-region-references-weak",
	"cross-region-writer",
	"distribution-lambda-cross-region",
	"dynamodb-v2-cross-account-replica-kms",
	"parameter-store-string",
	"table-v2-global",
};

static const char *const integ_extra[] = {
	"bucket-replication-cross-stack",
	"cross-account-record-set",
	"cross-account-references-multi-consumer",
	"cross-region-references-both",
	"cross-region-references-get-stack-output",
	"cross-stack-ssm-references",
	"dynamodb-v2-regional-replica",
	"failover-record",
	"same-region-references-strong",
	"stage-termination-protection",
};

static void real_assembly(const char *set, const char *name)
{
	char rel[512];
	load_fixture(set, name);
	ck_no_errors();
	char *out = report();
	snprintf(rel, sizeof(rel), "golden/%s/%s.json", set, name);
	golden(rel, out);
	drtopo_free(out);
}

START_TEST(integ_golden)
{
	real_assembly("cdk-integ", integ[_i]);
}
END_TEST

START_TEST(integ_extra_golden)
{
	real_assembly("cdk-integ-extra", integ_extra[_i]);
}
END_TEST

/* The synthesized apps: every tests/data/cdk/<app>/cdk.out. */
static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(cdk_apps_golden)
{
	DIR *d = opendir(dt_test_data("cdk"));
	if (!d)
		return; /* none yet */
	char *names[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < DT_ARRAY_LEN(names)) {
		char rel[512];
		struct stat st;
		snprintf(rel, sizeof(rel), "cdk/%s/cdk.out/manifest.json",
			 e->d_name);
		if (e->d_name[0] != '.' && stat(dt_test_data(rel), &st) == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < n; i++) {
		char rel[512];
		drtopo_model *one;
		ck_assert_int_eq(drtopo_model_new(&one), DRTOPO_OK);
		snprintf(rel, sizeof(rel), "cdk/%s/cdk.out", names[i]);
		ck_ok(one, drtopo_model_load_assembly(one, dt_test_data(rel)));
		drtopo_result *r = NULL;
		char *out = NULL;
		ck_ok(one, drtopo_model_resolve(one, &r));
		ck_assert_int_eq(drtopo_result_to_json(r, &out, NULL),
				 DRTOPO_OK);
		snprintf(rel, sizeof(rel), "golden/cdk/%s.json", names[i]);
		golden(rel, out);
		drtopo_free(out);
		drtopo_result_free(r);
		drtopo_model_free(one);
		free(names[i]);
	}
}
END_TEST

/* ---- manifests: stacks, environments, dependencies ----------------- */

/* "id account region -> dep,dep" per stack, in model order. */
static void summary(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < m->stacks.len; i++) {
		drtopo_stack *s = DT_VEC_AT(m->stacks, drtopo_stack *, i);
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s %s",
					 i ? "\n" : "", s->id,
					 s->account ? s->account : "-",
					 s->region ? s->region : "-");
		const char *sep = " -> ";
		for (size_t k = 0; k < m->deps.len; k++) {
			const dt_dep *d = DT_VEC_PTR(m->deps, dt_dep, k);
			if (d->from != s)
				continue;
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 sep, d->to_id);
			sep = ",";
		}
		ck_assert_uint_lt(used, len);
	}
}

static const struct {
	const char *set, *name, *stacks;
} manifests[] = {
	{"cdk-integ", "cross-account-references",
	 "CrossAccountRefProducerInteg 280619947791 us-east-1\n"
	 "CrossAccountRefConsumerInteg 669420849322 eu-central-1 -> "
	 "CrossAccountRefProducerInteg\n"
	 "CrossAccountSSMReferenceTestDefaultTestDeployAssert9BC30ABC - -"},
	{"cdk-integ", "cross-region-references",
	 "CrossRegionRefProducerInteg - us-east-1\n"
	 "CrossRegionRefConsumerInteg - us-east-2 -> "
	 "CrossRegionRefProducerInteg\n"
	 "CrossRegionSSMReferenceTestDefaultTestDeployAssert2460BCA3 - -"},
	{"cdk-integ", "cross-region-references-weak",
	 "CrossRegionWeakRefProducerInteg - us-east-1\n"
	 "CrossRegionWeakRefConsumerInteg - us-east-2 -> "
	 "CrossRegionWeakRefProducerInteg\n"
	 "CrossRegionWeakReferenceTestDefaultTestDeployAssert239C05E0 - -"},
	{"cdk-integ", "cross-region-writer",
	 "CrossRegionRefProducerInteg - us-east-1\n"
	 "CrossRegionWriterIntegDefaultTestDeployAssert348AA7F9 - -"},
	{"cdk-integ", "distribution-lambda-cross-region",
	 "integ-distribution-lambda-cross-region - eu-west-1 -> "
	 "edge-lambda-stack-c8363f8375cbe20a55dbe2aafe5dcee3889b0631e6,"
	 "edge-lambda-stack-eu-west-1-2\n"
	 "edge-lambda-stack-c8363f8375cbe20a55dbe2aafe5dcee3889b0631e6 - "
	 "us-east-1\n"
	 "edge-lambda-stack-eu-west-1-2 - us-east-1\n"
	 "cdkintegdistributionlambdacrossregionDefaultTestDeployAssert47F14485"
	 " - -"},
	{"cdk-integ", "dynamodb-v2-cross-account-replica-kms",
	 "MultiAccountKmsSourceStackV2 111111111111 eu-west-1\n"
	 "MultiAccountKmsReplicaStackV2 222222222222 ca-central-1\n"
	 "MultiAccountKmsReplicaIntegTestV2DefaultTestDeployAssert93398940 - "
	 "-"},
	{"cdk-integ", "parameter-store-string",
	 "sspms-creating - -\n"
	 "sspms-using - - -> sspms-creating\n"
	 "sspms-cleanup - - -> sspms-using"},
	{"cdk-integ", "table-v2-global",
	 "aws-cdk-global-table - us-east-1\n"
	 "awscdkglobaltableintegDefaultTestDeployAssertA2A9E81F - -"},
	{"cdk-integ-extra", "bucket-replication-cross-stack",
	 "DestStack - -\n"
	 "SourceStack - - -> DestStack\n"
	 "IntegDefaultTestDeployAssert4E6713E1 - - -> SourceStack,DestStack"},
	{"cdk-integ-extra", "cross-account-record-set",
	 "ApexHostedZone 786703845953 us-east-1\n"
	 "Api1Stack 453872816227 us-west-1 -> ApexHostedZone\n"
	 "CARSTestDefaultTestDeployAssert7D002991 - -"},
	{"cdk-integ-extra", "cross-account-references-multi-consumer",
	 "CrossAccountMultiConsumerProducer 111111111111 eu-central-1\n"
	 "CrossAccountMultiConsumerOne 222222222222 us-east-1 -> "
	 "CrossAccountMultiConsumerProducer\n"
	 "CrossAccountMultiConsumerTwo 222222222222 us-east-2 -> "
	 "CrossAccountMultiConsumerProducer\n"
	 "CrossAccountMultiConsumerTestDefaultTestDeployAssertD9EFF748 - -"},
	{"cdk-integ-extra", "cross-region-references-both",
	 "CrossRegionBothRefProducerInteg - us-east-1\n"
	 "CrossRegionBothRefConsumerInteg - us-east-2 -> "
	 "CrossRegionBothRefProducerInteg\n"
	 "CrossRegionBothReferenceTestDefaultTestDeployAssertDF898EC2 - -"},
	{"cdk-integ-extra", "cross-region-references-get-stack-output",
	 "CrossRegionRefProducerInteg - us-east-1\n"
	 "CrossRegionRefConsumerInteg - eu-central-1 -> "
	 "CrossRegionRefProducerInteg\n"
	 "CrossRegionSSMReferenceTestDefaultTestDeployAssert2460BCA3 - -"},
	{"cdk-integ-extra", "cross-stack-ssm-references",
	 "SsmRefProducer - -\n"
	 "SsmRefConsumer - - -> SsmRefProducer\n"
	 "SsmRefMixedProducer - -\n"
	 "SsmRefMixedConsumer - - -> SsmRefMixedProducer\n"
	 "SsmCrossStackReferencesTestDefaultTestDeployAssertC9BDD157 - - -> "
	 "SsmRefConsumer,SsmRefMixedConsumer"},
	{"cdk-integ-extra", "dynamodb-v2-regional-replica",
	 "GlobalTableStack 12345678 us-east-1\n"
	 "RegionalStack 12345678 us-west-2\n"
	 "tablev2regionalreplicatestDefaultTestDeployAssert6EB9195C - -"},
	{"cdk-integ-extra", "failover-record",
	 "failover-record - -\n"
	 "Route53FailoverRecordIntegDefaultTestDeployAssert3BE1FD33 - -"},
	{"cdk-integ-extra", "same-region-references-strong",
	 "SameRegionStrongRefProducerInteg - us-east-1\n"
	 "SameRegionStrongRefConsumerInteg - us-east-1 -> "
	 "SameRegionStrongRefProducerInteg\n"
	 "SameRegionStrongReferenceTestDefaultTestDeployAssertACC46230 - -"},
	{"cdk-integ-extra", "stage-termination-protection",
	 "stackDefaultTestDeployAssert0386B0AD - -\n"
	 "assembly-Stage/StageStackC6730065 - -"},
};

START_TEST(manifest_stacks)
{
	char buf[4096];
	load_fixture(manifests[_i].set, manifests[_i].name);
	summary(buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, manifests[_i].stacks) == 0,
		      "%s:\n%s\nwanted:\n%s", manifests[_i].name, buf,
		      manifests[_i].stacks);
}
END_TEST

START_TEST(manifest_names_and_locations)
{
	load_fixture("cdk-integ", "cross-account-references");
	drtopo_stack *s = stack(
		"CrossAccountSSMReferenceTestDefaultTestDeployAssert9BC30ABC");
	ck_str(s->name,
	       "CrossAccountSSMReferenceTest/DefaultTest/DeployAssert");
	ck_str(s->stack_name,
	       "CrossAccountSSMReferenceTestDefaultTestDeployAssert9BC30ABC");
	ck_loc(&s->loc, "manifest.json",
	       "/artifacts/"
	       "CrossAccountSSMReferenceTestDefaultTestDeployAssert9BC30ABC");
	const dt_dep *d = DT_VEC_PTR(m->deps, dt_dep, 0);
	ck_loc(&d->loc, "manifest.json",
	       "/artifacts/CrossAccountRefConsumerInteg/dependencies/0");
	ck_assert_ptr_eq(d->to, stack("CrossAccountRefProducerInteg"));
	drtopo_resource *r =
		res("CrossAccountRefProducerInteg", "SomeParameterB1EDD45B");
	ck_str(r->type, "AWS::SSM::Parameter");
	ck_str(r->physical_name, "KNOWN_PARAMETER_NAME");
	ck_loc(&r->loc, "CrossAccountRefProducerInteg.template.json",
	       "/Resources/SomeParameterB1EDD45B/Properties/Name");
}
END_TEST

START_TEST(manifest_path_is_the_manifest_file)
{
	char rel[512];
	snprintf(rel, sizeof(rel), "cdk-integ/table-v2-global/manifest.json");
	ck_ok(m, drtopo_model_load_assembly(m, dt_test_data(rel)));
	ck_assert_uint_eq(m->stacks.len, 2);
	ck_str(stack("aws-cdk-global-table")->loc.file, "manifest.json");
}
END_TEST

START_TEST(nested_assembly_ids)
{
	load_fixture("cdk-integ-extra", "stage-termination-protection");
	drtopo_stack *s = stack("assembly-Stage/StageStackC6730065");
	ck_str(s->name, "Stage/Stack");
	ck_str(s->stack_name, "Stage-Stack");
	ck_assert_ptr_null(s->account);
	ck_assert_ptr_null(s->region);
	ck_loc(&s->loc, "assembly-Stage/manifest.json",
	       "/artifacts/StageStackC6730065");
	/* Its template is read from the nested directory. */
	drtopo_param *p =
		param(DRTOPO_PARAM_READ, "/cdk-bootstrap/hnb659fds/version", 1);
	ck_assert_ptr_eq(p->stack, s);
	ck_loc(&p->loc, "assembly-Stage/StageStackC6730065.template.json",
	       "/Parameters/BootstrapVersion/Default");
	/* The nested artifact is not a stack; the top-level one is. */
	ck_assert_ptr_null(dt_stack_find(m, "assembly-Stage"));
	ck_assert_ptr_null(dt_stack_find(m, "StageStackC6730065"));
	ck_assert_uint_eq(m->deps.len, 0);
}
END_TEST

/* ---- templates: the mapping on real assemblies ---------------------- */

START_TEST(writer_and_reader_regions)
{
	load_fixture("cdk-integ", "cross-region-references");
	const char *name = "/cdk/exports/CrossRegionRefConsumerInteg/"
			   "CrossRegionRefProducerInteguseast1FnGetAttSomeParam"
			   "eterB1EDD45BValue399DD9D8";
	drtopo_param *w = param(DRTOPO_PARAM_WRITE, name, 0);
	ck_assert_ptr_nonnull(w);
	ck_str(w->stack->id, "CrossRegionRefProducerInteg");
	ck_str(w->region, "us-east-2"); /* the consumer's, not us-east-1 */
	ck_assert_int_eq(w->explicit_region, 1);
	ck_str(w->res->id, "ExportsWriteruseast2828FA26B86FBEFA7");
	ck_assert_int_eq(w->value.kind, DT_VAL_RESOURCE);
	ck_str(w->value.res_id, "SomeParameterB1EDD45B");
	ck_str(w->value.attr, "Value");
	ck_loc(&w->loc, "CrossRegionRefProducerInteg.template.json",
	       "/Resources/ExportsWriteruseast2828FA26B86FBEFA7/Properties/"
	       "WriterProps/exports/"
	       "~1cdk~1exports~1CrossRegionRefConsumerInteg~1"
	       "CrossRegionRefProducerInteguseast1FnGetAttSomeParameterB1EDD45B"
	       "Value399DD9D8");
	/* The reader: one read per name, in its own region. */
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_READ, name), 1);
	drtopo_param *rd = param(DRTOPO_PARAM_READ, name, 0);
	ck_str(rd->stack->id, "CrossRegionRefConsumerInteg");
	ck_str(rd->region, "us-east-2");
	ck_assert_int_eq(rd->explicit_region, 0);
	ck_str(rd->res->id, "ExportsReader8B249524");
	/* The mirrored parameter's value is what the reader read. */
	drtopo_param *mw = param(DRTOPO_PARAM_WRITE, "KNOWN_PARAMETER_NAME", 1);
	ck_str(mw->stack->id, "CrossRegionRefConsumerInteg");
	ck_assert_int_eq(mw->value.kind, DT_VAL_PARAM);
	ck_str(mw->value.text, name);
	ck_assert_ptr_null(mw->value.region);
	/* Every CDK stack reads the bootstrap version parameter. */
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_READ,
				       "/cdk-bootstrap/hnb659fds/version"),
			  3);
}
END_TEST

START_TEST(stack_output_reads)
{
	load_fixture("cdk-integ", "cross-account-references");
	ck_assert_uint_eq(m->outputs.len, 1);
	const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, 0);
	ck_str(o->stack->id, "CrossAccountRefConsumerInteg");
	ck_str(o->producer, "CrossAccountRefProducerInteg");
	ck_str(o->name,
	       "PublishOutputFnGetAttSomeParameterB1EDD45BValueA1B1111C");
	ck_str(o->region, "us-east-1");
	ck_str(o->account, "280619947791"); /* from RoleArn */
	ck_str(o->res->id, "SomeParameterMirroredE2D8F3B8");
	ck_loc(&o->loc, "CrossAccountRefConsumerInteg.template.json",
	       "/Resources/SomeParameterMirroredE2D8F3B8/Properties/Value");
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	load_fixture("cdk-integ", "cross-region-references-weak");
	ck_assert_uint_eq(m->outputs.len, 1);
	o = DT_VEC_PTR(m->outputs, dt_import, 0);
	ck_str(o->producer, "CrossRegionWeakRefProducerInteg");
	ck_str(o->region, "us-east-1");
	ck_assert_ptr_null(o->account);
}
END_TEST

START_TEST(ssm_reads_and_secure)
{
	load_fixture("cdk-integ", "parameter-store-string");
	/* The template parameter, and the dynamic reference with a
	 * version that is a Ref: two reads, one by the stack and one by
	 * the resource. */
	drtopo_param *p = param(DRTOPO_PARAM_READ, "/My/Public/Parameter", 0);
	ck_str(p->stack->id, "sspms-using");
	ck_assert_ptr_null(p->res);
	ck_assert_ptr_null(p->region);
	ck_loc(&p->loc, "sspms-using.template.json",
	       "/Parameters/MyValueParameter/Default");
	p = param(DRTOPO_PARAM_READ, "/My/Public/Parameter", 1);
	ck_str(p->res->id, "DummyResourceUsingStringParameters");
	ck_loc(&p->loc, "sspms-using.template.json",
	       "/Resources/DummyResourceUsingStringParameters/Properties/"
	       "LoginProfile/Password");
	ck_assert_ptr_null(param(DRTOPO_PARAM_READ, "/My/Public/Parameter", 2));
	/* ssm-secure: three references of one name by one resource. */
	ck_assert_uint_eq(
		count_params(DRTOPO_PARAM_READ, "/My/Secret/Parameter"), 1);
	p = param(DRTOPO_PARAM_READ, "/My/Secret/Parameter", 0);
	ck_str(p->res->id, "DummyResourceUsingStringParameters");
	/* The writer of /My/Public/Parameter and its value. */
	p = param(DRTOPO_PARAM_WRITE, "/My/Public/Parameter", 0);
	ck_str(p->stack->id, "sspms-creating");
	ck_assert_int_eq(p->value.kind, DT_VAL_TEXT);
	ck_str(p->value.text, "Abc123");
	/* Not modelled: the integ-test SDK call that puts the secret. */
	ck_assert_ptr_null(
		param(DRTOPO_PARAM_WRITE, "/My/Secret/Parameter", 0));
}
END_TEST

START_TEST(explicit_cross_region_reads)
{
	load_fixture("cdk-integ", "distribution-lambda-cross-region");
	const char *name = "/cdk/EdgeFunctionArn/eu-west-1/"
			   "integ-distribution-lambda-cross-region/Lambda2";
	drtopo_param *rd = param(DRTOPO_PARAM_READ, name, 0);
	ck_str(rd->stack->id, "integ-distribution-lambda-cross-region");
	ck_str(rd->region, "us-east-1");
	ck_assert_int_eq(rd->explicit_region, 1);
	ck_str(rd->res->id, "Lambda2ArnReader5ACFBE1F");
	drtopo_param *w = param(DRTOPO_PARAM_WRITE, name, 0);
	ck_str(w->stack->id, "edge-lambda-stack-eu-west-1-2");
	ck_str(w->region, "us-east-1");
	ck_assert_int_eq(w->value.kind, DT_VAL_RESOURCE);
	ck_str(w->value.res_id,
	       "Lambda2CurrentVersion72012B7485d45928c1d1d842786a98166f8568eb");
	/* LogGroupName joins a Ref: no physical name. */
	ck_assert_ptr_null(
		res("edge-lambda-stack-eu-west-1-2", "Lambda2LogGroup4F31598F")
			->physical_name);
}
END_TEST

START_TEST(global_table_replicas)
{
	load_fixture("cdk-integ", "table-v2-global");
	drtopo_resource *t = res("aws-cdk-global-table", "GlobalTable89F068B2");
	ck_str(t->physical_name, "my-global-table");
	ck_assert_ptr_nonnull(t->table);
	ck_assert_int_eq(t->table->cfn_replicas, 1);
	ck_assert_uint_eq(t->table->replicas.len, 3);
	static const char *const want[] = {"us-east-2", "us-west-2",
					   "us-east-1"};
	for (size_t i = 0; i < 3; i++) {
		const dt_replica *r =
			DT_VEC_PTR(t->table->replicas, dt_replica, i);
		char ptr[128];
		ck_str(r->region, want[i]);
		ck_assert_ptr_null(r->via);
		snprintf(ptr, sizeof(ptr),
			 "/Resources/GlobalTable89F068B2/Properties/Replicas/"
			 "%zu/Region",
			 i);
		ck_loc(&r->loc, "aws-cdk-global-table.template.json", ptr);
	}
	/* SSE with the AWS managed key: no customer-managed key. */
	ck_assert_int_eq(t->table->cmk.kind, DT_VAL_NONE);
	ck_assert_uint_eq(t->table->keys.len, 0);
	ck_assert_ptr_null(
		res("aws-cdk-global-table", "Stream790BDEE4")->physical_name);
}
END_TEST

START_TEST(global_table_own_region_key)
{
	load_fixture("cdk-integ", "dynamodb-v2-cross-account-replica-kms");
	drtopo_resource *t =
		res("MultiAccountKmsReplicaStackV2", "ReplicaTableV2C3057097");
	ck_assert_uint_eq(t->table->replicas.len, 1);
	/* The own region's replica key is the table key. */
	ck_assert_uint_eq(t->table->keys.len, 0);
	ck_assert_int_eq(t->table->cmk.kind, DT_VAL_RESOURCE);
	ck_str(t->table->cmk.res_id, "ReplicaKey4DE8F013");
	ck_str(t->table->cmk.attr, "Arn");
	ck_loc(&t->table->cmk_loc,
	       "MultiAccountKmsReplicaStackV2.template.json",
	       "/Resources/ReplicaTableV2C3057097/Properties/Replicas/0/"
	       "SSESpecification/KMSMasterKeyId");
	t = res("MultiAccountKmsSourceStackV2", "SourceTableV21A662B48");
	ck_assert_int_eq(t->table->cmk.kind, DT_VAL_NONE);
}
END_TEST

START_TEST(exports_and_imports)
{
	load_fixture("cdk-integ-extra", "same-region-references-strong");
	const char *name =
		"SameRegionStrongRefProducerInteg:ExportsOutputFnGetAtt"
		"SomeParameterB1EDD45BValue6B655EF1";
	ck_assert_uint_eq(m->exports.len, 1);
	const dt_export *e = DT_VEC_PTR(m->exports, dt_export, 0);
	ck_str(e->name, name);
	ck_str(e->res->id, "SomeParameterB1EDD45B");
	ck_loc(&e->loc, "SameRegionStrongRefProducerInteg.template.json",
	       "/Outputs/"
	       "ExportsOutputFnGetAttSomeParameterB1EDD45BValue6B655EF1/"
	       "Export/Name");
	ck_assert_uint_eq(m->imports.len, 1);
	const dt_import *i = DT_VEC_PTR(m->imports, dt_import, 0);
	ck_str(i->name, name);
	ck_str(i->res->id, "SomeParameterMirroredE2D8F3B8");
	drtopo_param *w =
		param(DRTOPO_PARAM_WRITE,
		      "KNOWN_PARAMETER_NAME_SAME_REGION_STRONG_MIRRORED", 0);
	ck_assert_int_eq(w->value.kind, DT_VAL_IMPORT);
	ck_str(w->value.text, name);
}
END_TEST

START_TEST(imports_inside_join)
{
	load_fixture("cdk-integ-extra", "bucket-replication-cross-stack");
	size_t n = 0;
	for (size_t k = 0; k < m->imports.len; k++) {
		const dt_import *i = DT_VEC_PTR(m->imports, dt_import, k);
		if (strcmp(i->res->id, "SourceBucketReplicationRoleDefaultPolic"
				       "yF98AD664") == 0 &&
		    strstr(i->loc.pointer, "/Fn::Join/1/0")) {
			ck_str(i->name, "DestStack:"
					"ExportsOutputFnGetAttDestinationBucket"
					"4BECDB47Arn6B889445");
			n++;
		}
	}
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(m->imports.len, 9);
	ck_assert_uint_eq(m->exports.len, 4);
}
END_TEST

START_TEST(dynref_inside_join_env_agnostic)
{
	load_fixture("cdk-integ-extra", "cross-stack-ssm-references");
	drtopo_param *p = param(
		DRTOPO_PARAM_READ,
		"/cdk/cross-stack-refs/SsmRefProducer/"
		"SsmRefProducerSsmRefConsumerRefSharedParam42AD6347093CA4BE",
		0);
	ck_assert_ptr_nonnull(p);
	ck_str(p->stack->id, "SsmRefConsumer");
	ck_assert_ptr_null(p->region);
	/* The consumer's parameter value joins an unknown partition. */
	drtopo_param *w = param(DRTOPO_PARAM_WRITE,
				"/integ-test/ssm-ref/consumed-value", 0);
	ck_assert_int_eq(w->value.kind, DT_VAL_UNKNOWN);
}
END_TEST

/* ---- templates: every shape, on small inline templates --------------- */

START_TEST(bare_template_id_env_and_names)
{
	load_tpl("{\"Resources\": {"
		 "\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": "
		 "{\"BucketName\": {\"Fn::Sub\": "
		 "\"data-${AWS::AccountId}-${AWS::Region}\"}}},"
		 "\"T\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": "
		 "{\"TopicName\": {\"Fn::Join\": [\"-\", [{\"Ref\": "
		 "\"AWS::StackName\"}, \"t\", 7]]}}},"
		 "\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": "
		 "{\"QueueName\": {\"Fn::Sub\": [\"${A}-${!B}\", {\"A\": "
		 "{\"Ref\": \"AWS::Partition\"}}]}}},"
		 "\"L\": {\"Type\": \"AWS::Logs::LogGroup\", \"Properties\": "
		 "{\"LogGroupName\": {\"Fn::Sub\": \"/x/${Q.Arn}\"}}},"
		 "\"K\": {\"Type\": \"AWS::KMS::Key\"},"
		 "\"A\": {\"Type\": \"AWS::KMS::Alias\", \"Properties\": "
		 "{\"AliasName\": {\"Fn::Select\": [1, {\"Fn::Split\": [\",\", "
		 "\"x,alias/k,y\"]}]}}},"
		 "\"U\": {\"Type\": \"AWS::Lambda::Function\", \"Properties\": "
		 "{\"FunctionName\": {\"Fn::Sub\": \"f-${AWS::URLSuffix}\"}}}"
		 "}}",
		 "123456789012", "cn-north-1");
	drtopo_stack *s = stack("S");
	ck_str(s->account, "123456789012");
	ck_str(s->region, "cn-north-1");
	ck_str(s->stack_name, "S");
	ck_loc(&s->loc, "S.template.json", "");
	ck_str(res("S", "B")->physical_name, "data-123456789012-cn-north-1");
	ck_str(res("S", "T")->physical_name, "S-t-7");
	ck_str(res("S", "Q")->physical_name, "aws-cn-${B}");
	ck_assert_ptr_null(res("S", "L")->physical_name);
	ck_assert_ptr_null(res("S", "K")->physical_name);
	ck_str(res("S", "K")->type, "AWS::KMS::Key");
	ck_str(res("S", "A")->physical_name, "alias/k");
	ck_str(res("S", "U")->physical_name, "f-amazonaws.com.cn");
	ck_loc(&res("S", "B")->loc, "S.template.json",
	       "/Resources/B/Properties/BucketName");
	ck_loc(&res("S", "K")->loc, "S.template.json", "/Resources/K");
	ck_loc(&res("S", "L")->loc, "S.template.json", "/Resources/L");
}
END_TEST

START_TEST(unknown_env_is_never_guessed)
{
	load_tpl("{\"Resources\": {"
		 "\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": "
		 "{\"BucketName\": {\"Fn::Sub\": \"data-${AWS::Region}\"}}},"
		 "\"C\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": "
		 "{\"BucketName\": {\"Fn::Join\": [\"\", [\"arn:\", {\"Ref\": "
		 "\"AWS::Partition\"}]]}}},"
		 "\"D\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": "
		 "{\"BucketName\": {\"Fn::If\": [\"C\", \"a\", \"b\"]}}}"
		 "}}",
		 NULL, NULL);
	ck_assert_ptr_null(stack("S")->region);
	ck_assert_ptr_null(res("S", "B")->physical_name);
	ck_assert_ptr_null(res("S", "C")->physical_name);
	ck_assert_ptr_null(res("S", "D")->physical_name);
}
END_TEST

START_TEST(template_id_from_file_name)
{
	ck_ok(m, drtopo_model_load_template(m, put("Net.template.json", "{}"),
					    NULL, NULL, "us-east-1"));
	ck_ok(m, drtopo_model_load_template(m, put("plain.json", "{}"), NULL,
					    NULL, NULL));
	ck_ok(m, drtopo_model_load_template(m, put("x.json", "{}"), "Given",
					    NULL, NULL));
	ck_assert_ptr_nonnull(dt_stack_find(m, "Net"));
	ck_assert_ptr_nonnull(dt_stack_find(m, "plain"));
	ck_assert_ptr_nonnull(dt_stack_find(m, "Given"));
	/* A second stack of one id is refused, and the model unchanged. */
	ck_assert_int_eq(drtopo_model_load_template(m, tmp("plain.json"), NULL,
						    NULL, NULL),
			 DRTOPO_ESCHEMA);
	ck_assert_uint_eq(m->stacks.len, 3);
}
END_TEST

START_TEST(writer_reader_and_sdk_calls)
{
	load_tpl(
		"{\"Resources\": {"
		"\"W\": {\"Type\": \"Custom::CrossRegionExportWriter\", "
		"\"Properties\": "
		"{\"WriterProps\": {\"region\": \"eu-west-1\", \"exports\": "
		"{\"/cdk/exports/C/a\": \"literal\", \"/cdk/exports/C/b\": "
		"{\"Ref\": \"K\"}}}}},"
		"\"K\": {\"Type\": \"AWS::KMS::Key\"},"
		"\"G\": {\"Type\": \"Custom::AWS\", \"Properties\": {"
		"\"Create\": "
		"\"{\\\"service\\\":\\\"SSM\\\",\\\"action\\\":"
		"\\\"getParameter\\\","
		"\\\"parameters\\\":{\\\"Name\\\":\\\"/dr/key/"
		"us-east-2\\\"},\\\"region\\\":\\\"us-east-2\\\"}\","
		"\"Update\": "
		"\"{\\\"service\\\":\\\"SSM\\\",\\\"action\\\":"
		"\\\"GetParameter\\\","
		"\\\"parameters\\\":{\\\"Name\\\":\\\"/dr/key/"
		"us-east-2\\\"},\\\"region\\\":\\\"us-east-2\\\"}\"}},"
		"\"H\": {\"Type\": \"Custom::AWS\", \"Properties\": {"
		"\"Create\": {\"Fn::Join\": [\"\", "
		"[\"{\\\"service\\\":\\\"SSM\\\",\\\"action\\\":"
		"\\\"getParameter\\\","
		"\\\"parameters\\\":{\\\"Name\\\":\\\"/"
		"own\\\"},\\\"physicalResourceId\\\":{\\\"id\\\":\\\"\", "
		"{\"Ref\": \"AWS::StackId\"}, \"\\\"}}\"]]}}},"
		"\"I\": {\"Type\": \"Custom::AWS\", \"Properties\": {"
		"\"Create\": {\"Fn::Join\": [\"\", "
		"[\"{\\\"service\\\":\\\"SSM\\\",\\\"action\\\":"
		"\\\"getParameter\\\","
		"\\\"parameters\\\":{\\\"Name\\\":\\\"/"
		"x\\\"},\\\"region\\\":\\\"\", {\"Ref\": \"Region\"}, "
		"\"\\\"}\"]]}}},"
		"\"J\": {\"Type\": \"Custom::AWS\", \"Properties\": {"
		"\"Create\": "
		"\"{\\\"service\\\":\\\"@aws-sdk/"
		"client-ssm\\\",\\\"action\\\":\\\"PutParameterCommand\\\","
		"\\\"parameters\\\":{\\\"Name\\\":\\\"/"
		"put\\\",\\\"Value\\\":\\\"v\\\"},\\\"region\\\":\\\"ap-south-"
		"1\\\"}\"}},"
		"\"P\": {\"Type\": "
		"\"Custom::CrossRegionStringParameterReader\", \"Properties\": "
		"{\"Region\": \"us-east-1\", \"ParameterName\": \"/edge/fn\"}},"
		"\"U\": {\"Type\": \"AWS::SSM::Parameter\", \"Properties\": "
		"{\"Name\": \"/copy\", \"Type\": \"String\","
		"\"Value\": {\"Fn::GetAtt\": [\"G\", \"Parameter.Value\"]}}},"
		"\"V\": {\"Type\": \"AWS::SSM::Parameter\", \"Properties\": "
		"{\"Name\": \"/copy2\", \"Type\": \"String\","
		"\"Value\": {\"Fn::GetAtt\": \"P.Value\"}}},"
		"\"N\": {\"Type\": \"AWS::SSM::Parameter\", \"Properties\": "
		"{\"Type\": \"String\", \"Value\": \"x\"}}"
		"}, \"Parameters\": {\"Region\": {\"Type\": \"String\"}}}",
		"111111111111", "us-east-1");
	drtopo_param *p = param(DRTOPO_PARAM_WRITE, "/cdk/exports/C/a", 0);
	ck_str(p->region, "eu-west-1");
	ck_assert_int_eq(p->value.kind, DT_VAL_TEXT);
	ck_str(p->value.text, "literal");
	p = param(DRTOPO_PARAM_WRITE, "/cdk/exports/C/b", 0);
	ck_assert_int_eq(p->value.kind, DT_VAL_RESOURCE);
	ck_str(p->value.res_id, "K");
	ck_assert_ptr_null(p->value.attr);
	/* Create and Update read the same name: one read. */
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_READ, "/dr/key/us-east-2"),
			  1);
	p = param(DRTOPO_PARAM_READ, "/dr/key/us-east-2", 0);
	ck_str(p->region, "us-east-2");
	ck_assert_int_eq(p->explicit_region, 1);
	ck_str(p->res->id, "G");
	ck_loc(&p->loc, "S.template.json", "/Resources/G/Properties/Create");
	/* No region: the stack's own; a token elsewhere does not matter. */
	p = param(DRTOPO_PARAM_READ, "/own", 0);
	ck_str(p->region, "us-east-1");
	ck_assert_int_eq(p->explicit_region, 0);
	/* A region that is a token: nothing rather than a guess. */
	ck_assert_ptr_null(param(DRTOPO_PARAM_READ, "/x", 0));
	p = param(DRTOPO_PARAM_WRITE, "/put", 0);
	ck_str(p->region, "ap-south-1");
	ck_assert_int_eq(p->value.kind, DT_VAL_TEXT);
	p = param(DRTOPO_PARAM_READ, "/edge/fn", 0);
	ck_str(p->region, "us-east-1");
	ck_assert_int_eq(p->explicit_region, 1);
	ck_loc(&p->loc, "S.template.json",
	       "/Resources/P/Properties/ParameterName");
	/* Values read through readers are parameter values. */
	p = param(DRTOPO_PARAM_WRITE, "/copy", 0);
	ck_assert_int_eq(p->value.kind, DT_VAL_PARAM);
	ck_str(p->value.text, "/dr/key/us-east-2");
	ck_str(p->value.region, "us-east-2");
	p = param(DRTOPO_PARAM_WRITE, "/copy2", 0);
	ck_assert_int_eq(p->value.kind, DT_VAL_PARAM);
	ck_str(p->value.text, "/edge/fn");
	ck_str(p->value.region, "us-east-1");
	/* A parameter with a generated name is no write. */
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_WRITE, NULL), 5);
}
END_TEST

START_TEST(dynamic_references_everywhere)
{
	load_tpl("{\"Resources\": {\"R\": {\"Type\": \"AWS::Foo::Bar\", "
		 "\"Properties\": {"
		 "\"A\": \"{{resolve:ssm:/plain}}\","
		 "\"B\": {\"Fn::Join\": [\"\", [\"x\", {\"Fn::If\": [\"C\", "
		 "\"{{resolve:ssm:/in-if:3}}\", \"y\"]}]]},"
		 "\"C\": {\"Fn::Sub\": "
		 "\"a-{{resolve:ssm-secure:/sub}}-${AWS::Region}\"},"
		 "\"D\": \"{{resolve:secretsmanager:s:SecretString:k}}\","
		 "\"E\": {\"Fn::Join\": [\"\", [\"{{resolve:ssm:/split/\", "
		 "{\"Ref\": \"P\"}, \"}}\"]]},"
		 "\"F\": [{\"deep\": {\"deeper\": \"{{resolve:ssm:/deep}} "
		 "{{resolve:ssm:/deep}}\"}}],"
		 "\"G\": "
		 "\"{{resolve:ssm:arn:aws:ssm:us-west-2:111111111111:parameter/"
		 "shared/p:2}}\","
		 "\"H\": "
		 "\"{{resolve:ssm:arn:aws:ssm:us-west-2:999999999999:parameter/"
		 "other}}\""
		 "}}}, \"Parameters\": {\"P\": {\"Type\": \"String\"}}}",
		 "111111111111", "us-east-1");
	ck_assert_ptr_nonnull(param(DRTOPO_PARAM_READ, "/plain", 0));
	drtopo_param *p = param(DRTOPO_PARAM_READ, "/in-if", 0);
	ck_assert_ptr_nonnull(p);
	ck_loc(&p->loc, "S.template.json",
	       "/Resources/R/Properties/B/Fn::Join/1/1/Fn::If/1");
	p = param(DRTOPO_PARAM_READ, "/sub", 0);
	ck_loc(&p->loc, "S.template.json", "/Resources/R/Properties/C");
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_READ, "/deep"), 1);
	/* A name cut by an unknown part is not read. */
	for (size_t i = 0; i < m->params.len; i++) {
		drtopo_param *x = DT_VEC_AT(m->params, drtopo_param *, i);
		ck_assert_msg(strncmp(x->name, "/split", 6) != 0 &&
				      strncmp(x->name, "s", 1) != 0,
			      "unexpected read of %s", x->name);
	}
	/* A parameter ARN of the stack's account: read where it names. */
	p = param(DRTOPO_PARAM_READ, "/shared/p", 0);
	ck_str(p->region, "us-west-2");
	/* Of another account: not a read the model can hold. */
	ck_assert_ptr_null(param(DRTOPO_PARAM_READ, "other", 0));
	ck_assert_ptr_null(param(DRTOPO_PARAM_READ, "/other", 0));
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_READ, NULL), 5);
}
END_TEST

START_TEST(ssm_template_parameters)
{
	load_tpl("{\"Parameters\": {"
		 "\"A\": {\"Type\": \"AWS::SSM::Parameter::Value<String>\", "
		 "\"Default\": \"/a\"},"
		 "\"L\": {\"Type\": "
		 "\"AWS::SSM::Parameter::Value<List<String>>\", \"Default\": "
		 "\"/l\"},"
		 "\"I\": {\"Type\": "
		 "\"AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>\", "
		 "\"Default\": \"/aws/service/ami\"},"
		 "\"R\": {\"Type\": \"AWS::SSM::Parameter::Value<String>\", "
		 "\"Default\": "
		 "\"arn:aws:ssm:eu-west-1:111111111111:parameter/shared\"},"
		 "\"X\": {\"Type\": \"AWS::SSM::Parameter::Value<String>\", "
		 "\"Default\": "
		 "\"arn:aws:ssm:us-east-1:222222222222:parameter/ram/x\"},"
		 "\"N\": {\"Type\": \"String\", \"Default\": \"/not-ssm\"},"
		 "\"E\": {\"Type\": \"AWS::SSM::Parameter::Value<String>\"}"
		 "}}",
		 "111111111111", "us-east-1");
	drtopo_param *p = param(DRTOPO_PARAM_READ, "/a", 0);
	ck_str(p->region, "us-east-1");
	ck_assert_int_eq(p->explicit_region, 0);
	ck_assert_ptr_null(p->res);
	ck_loc(&p->loc, "S.template.json", "/Parameters/A/Default");
	ck_assert_ptr_nonnull(param(DRTOPO_PARAM_READ, "/l", 0));
	ck_assert_ptr_nonnull(param(DRTOPO_PARAM_READ, "/aws/service/ami", 0));
	p = param(DRTOPO_PARAM_READ, "shared", 0);
	ck_str(p->region, "eu-west-1");
	ck_assert_int_eq(p->explicit_region, 1);
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_READ, NULL), 4);
}
END_TEST

START_TEST(manifest_parameter_values)
{
	put("S.template.json", "{\"Parameters\": {\"A\": {\"Type\": "
			       "\"AWS::SSM::Parameter::Value<String>\", "
			       "\"Default\": \"/default\"}}}");
	/* A manifest with a value for A. */
	put("manifest.json",
	    "{\"artifacts\": {\"S\": {\"type\": \"aws:cloudformation:stack\","
	    "\"environment\": \"aws://111111111111/us-east-1\","
	    "\"properties\": {\"templateFile\": \"S.template.json\","
	    "\"parameters\": {\"A\": \"/given\"}}}}}");
	ck_ok(m, drtopo_model_load_assembly(m, tmpdir));
	ck_assert_ptr_nonnull(param(DRTOPO_PARAM_READ, "/given", 0));
	ck_assert_ptr_null(param(DRTOPO_PARAM_READ, "/default", 0));
	ck_loc(&param(DRTOPO_PARAM_READ, "/given", 0)->loc, "S.template.json",
	       "/Parameters/A");
}
END_TEST

START_TEST(replica_keys_every_origin)
{
	load_tpl("{\"Parameters\": {"
		 "\"KeyParam\": {\"Type\": "
		 "\"AWS::SSM::Parameter::Value<String>\", \"Default\": "
		 "\"/keys/eu-west-1\"},"
		 "\"Plain\": {\"Type\": \"String\"}},"
		 "\"Resources\": {"
		 "\"TableKey\": {\"Type\": \"AWS::KMS::Key\"},"
		 "\"RK\": {\"Type\": \"AWS::KMS::ReplicaKey\"},"
		 "\"Reader\": {\"Type\": \"Custom::CrossRegionExportReader\", "
		 "\"Properties\": {\"ReaderProps\": "
		 "{\"region\": \"us-east-1\", \"imports\": "
		 "{\"/cdk/exports/S/k\": "
		 "\"{{resolve:ssm:/cdk/exports/S/k}}\"}}}},"
		 "\"T\": {\"Type\": \"AWS::DynamoDB::GlobalTable\", "
		 "\"Properties\": {"
		 "\"TableName\": \"orders\","
		 "\"SSESpecification\": {\"SSEEnabled\": true, \"SSEType\": "
		 "\"KMS\"},"
		 "\"Replicas\": ["
		 "{\"Region\": \"us-east-2\", \"SSESpecification\": "
		 "{\"KMSMasterKeyId\": "
		 "\"arn:aws:kms:us-east-2:111111111111:key/abc\"}},"
		 "{\"Region\": \"eu-west-1\", \"SSESpecification\": "
		 "{\"KMSMasterKeyId\": {\"Ref\": \"KeyParam\"}}},"
		 "{\"Region\": \"eu-west-2\", \"SSESpecification\": "
		 "{\"KMSMasterKeyId\": {\"Fn::ImportValue\": \"KeyExport\"}}},"
		 "{\"Region\": \"eu-west-3\", \"SSESpecification\": "
		 "{\"KMSMasterKeyId\": {\"Fn::GetAtt\": [\"RK\", \"Arn\"]}}},"
		 "{\"Region\": \"eu-central-1\", \"SSESpecification\": "
		 "{\"KMSMasterKeyId\": "
		 "{\"Fn::GetAtt\": [\"Reader\", \"/cdk/exports/S/k\"]}}},"
		 "{\"Region\": \"ap-south-1\", \"SSESpecification\": "
		 "{\"KMSMasterKeyId\": "
		 "{\"Fn::If\": [\"C\", \"a\", \"b\"]}}},"
		 "{\"Region\": \"ap-east-1\", \"SSESpecification\": "
		 "{\"KMSMasterKeyId\": {\"Ref\": \"Plain\"}}},"
		 "{\"Region\": {\"Ref\": \"AWS::Region\"}, "
		 "\"SSESpecification\": "
		 "{\"KMSMasterKeyId\": {\"Fn::GetAtt\": [\"TableKey\", "
		 "\"Arn\"]}}}"
		 "]}}}}",
		 "111111111111", "us-east-1");
	drtopo_resource *t = res("S", "T");
	ck_str(t->physical_name, "orders");
	ck_assert_int_eq(t->table->cfn_replicas, 1);
	ck_assert_uint_eq(t->table->replicas.len, 8);
	ck_str(DT_VEC_PTR(t->table->replicas, dt_replica, 7)->region,
	       "us-east-1");
	ck_assert_int_eq(t->table->cmk.kind, DT_VAL_RESOURCE);
	ck_str(t->table->cmk.res_id, "TableKey");
	ck_assert_uint_eq(t->table->keys.len, 7);
	static const struct {
		const char *region;
		int kind;
		const char *text, *res;
	} want[] = {
		{"us-east-2", DT_VAL_TEXT,
		 "arn:aws:kms:us-east-2:111111111111:key/abc", NULL},
		{"eu-west-1", DT_VAL_PARAM, "/keys/eu-west-1", NULL},
		{"eu-west-2", DT_VAL_IMPORT, "KeyExport", NULL},
		{"eu-west-3", DT_VAL_RESOURCE, NULL, "RK"},
		{"eu-central-1", DT_VAL_PARAM, "/cdk/exports/S/k", NULL},
		{"ap-south-1", DT_VAL_UNKNOWN, NULL, NULL},
		{"ap-east-1", DT_VAL_UNKNOWN, NULL, NULL},
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(want); i++) {
		const dt_replica_key *k =
			DT_VEC_PTR(t->table->keys, dt_replica_key, i);
		char ptr[128];
		ck_str(k->region, want[i].region);
		ck_assert_int_eq(k->key.kind, want[i].kind);
		if (want[i].text)
			ck_str(k->key.text, want[i].text);
		if (want[i].res)
			ck_str(k->key.res_id, want[i].res);
		snprintf(ptr, sizeof(ptr),
			 "/Resources/T/Properties/Replicas/%zu/"
			 "SSESpecification/KMSMasterKeyId",
			 i);
		ck_loc(&k->loc, "S.template.json", ptr);
	}
	ck_assert_ptr_null(
		DT_VEC_PTR(t->table->keys, dt_replica_key, 1)->key.region);
	/* The reader's read is counted once. */
	ck_assert_uint_eq(count_params(DRTOPO_PARAM_READ, "/cdk/exports/S/k"),
			  1);
}
END_TEST

START_TEST(replica_keys_without_own_region_key)
{
	load_tpl("{\"Resources\": {\"T\": {\"Type\": "
		 "\"AWS::DynamoDB::GlobalTable\", \"Properties\": {"
		 "\"SSESpecification\": {\"SSEEnabled\": true, \"SSEType\": "
		 "\"KMS\"},"
		 "\"Replicas\": [{\"Region\": \"us-east-2\", "
		 "\"SSESpecification\": "
		 "{\"KMSMasterKeyId\": \"arn:aws:kms:us-east-2:1:key/a\"}}, "
		 "{\"Region\": \"us-east-1\"}]}}}}",
		 NULL, "us-east-1");
	drtopo_resource *t = res("S", "T");
	ck_assert_int_eq(t->table->cmk.kind, DT_VAL_UNKNOWN);
	ck_loc(&t->table->cmk_loc, "S.template.json",
	       "/Resources/T/Properties/SSESpecification");
	ck_assert_uint_eq(t->table->keys.len, 1);
}
END_TEST

START_TEST(legacy_table_replicas)
{
	load_tpl(
		"{\"Resources\": {"
		"\"T\": {\"Type\": \"AWS::DynamoDB::Table\", \"Properties\": "
		"{\"TableName\": \"legacy\"}},"
		"\"R1\": {\"Type\": \"Custom::DynamoDBReplica\", "
		"\"Properties\": "
		"{\"TableName\": {\"Ref\": \"T\"}, \"Region\": \"us-east-2\"}},"
		"\"R2\": {\"Type\": \"Custom::DynamoDBReplica\", "
		"\"Properties\": "
		"{\"TableName\": \"legacy\", \"Region\": \"us-west-2\"}},"
		"\"R3\": {\"Type\": \"Custom::DynamoDBReplica\", "
		"\"Properties\": "
		"{\"TableName\": \"imported\", \"Region\": \"us-west-1\"}},"
		"\"Plain\": {\"Type\": \"AWS::DynamoDB::Table\", "
		"\"Properties\": {\"TableName\": \"plain\"}},"
		"\"Nested\": {\"Type\": \"AWS::CloudFormation::Stack\", "
		"\"Properties\": "
		"{\"TemplateURL\": "
		"\"https://example.invalid/missing.nested.template.json\"}}"
		"}}",
		"111111111111", "us-east-1");
	drtopo_resource *t = res("S", "T");
	ck_assert_int_eq(t->table->cfn_replicas, 0);
	ck_assert_uint_eq(t->table->replicas.len, 2);
	const dt_replica *r = DT_VEC_PTR(t->table->replicas, dt_replica, 0);
	ck_str(r->region, "us-east-2");
	ck_assert_ptr_eq(r->via, res("S", "R1"));
	ck_loc(&r->loc, "S.template.json", "/Resources/R1/Properties/Region");
	r = DT_VEC_PTR(t->table->replicas, dt_replica, 1);
	ck_str(r->region, "us-west-2");
	ck_assert_ptr_eq(r->via, res("S", "R2"));
	/* A table with no replicas and no key needs no table record. */
	ck_assert_ptr_null(res("S", "Plain")->table);
	ck_str(res("S", "Plain")->physical_name, "plain");
	ck_assert_uint_eq(m->tables.len, 1);
}
END_TEST

START_TEST(outputs_exports_and_stack_outputs)
{
	load_tpl("{\"Resources\": {"
		 "\"B\": {\"Type\": \"AWS::S3::Bucket\"},"
		 "\"C\": {\"Type\": \"AWS::SSM::Parameter\", \"Properties\": "
		 "{\"Name\": \"/c\", "
		 "\"Value\": {\"Fn::GetStackOutput\": {\"StackName\": "
		 "\"Prod\", \"OutputName\": \"O\", "
		 "\"Region\": \"eu-west-1\", \"RoleArn\": {\"Fn::Sub\": "
		 "\"arn:${AWS::Partition}:iam::222222222222:role/r\"}}}}},"
		 "\"D\": {\"Type\": \"AWS::SSM::Parameter\", \"Properties\": "
		 "{\"Name\": \"/d\", "
		 "\"Value\": {\"Fn::GetStackOutput\": {\"StackName\": "
		 "\"Prod\", \"OutputName\": \"O\", "
		 "\"Region\": {\"Ref\": \"R\"}}}}}"
		 "},"
		 "\"Parameters\": {\"R\": {\"Type\": \"String\"}},"
		 "\"Outputs\": {"
		 "\"E1\": {\"Value\": {\"Ref\": \"B\"}, \"Export\": {\"Name\": "
		 "{\"Fn::Sub\": \"${AWS::StackName}:bucket\"}}},"
		 "\"E2\": {\"Value\": \"x\", \"Export\": {\"Name\": "
		 "{\"Fn::Join\": [\":\", [{\"Ref\": \"AWS::StackName\"}, "
		 "\"x\"]]}}},"
		 "\"E3\": {\"Value\": \"y\", \"Export\": {\"Name\": "
		 "{\"Fn::Sub\": \"${R}-y\"}}},"
		 "\"I\": {\"Value\": {\"Fn::ImportValue\": \"Other:thing\"}}"
		 "}}",
		 NULL, "us-east-1");
	ck_assert_uint_eq(m->exports.len, 2);
	const dt_export *e = DT_VEC_PTR(m->exports, dt_export, 0);
	ck_str(e->name, "S:bucket");
	ck_str(e->res->id, "B");
	ck_loc(&e->loc, "S.template.json", "/Outputs/E1/Export/Name");
	e = DT_VEC_PTR(m->exports, dt_export, 1);
	ck_str(e->name, "S:x");
	ck_assert_ptr_null(e->res);
	ck_assert_uint_eq(m->imports.len, 1);
	const dt_import *i = DT_VEC_PTR(m->imports, dt_import, 0);
	ck_str(i->name, "Other:thing");
	ck_assert_ptr_null(i->res);
	ck_loc(&i->loc, "S.template.json", "/Outputs/I/Value");
	/* A region that is given but unknown: no output read. */
	ck_assert_uint_eq(m->outputs.len, 1);
	const dt_import *o = DT_VEC_PTR(m->outputs, dt_import, 0);
	ck_str(o->producer, "Prod");
	ck_str(o->region, "eu-west-1");
	ck_str(o->account, "222222222222");
}
END_TEST

START_TEST(hostile_shapes_do_not_crash)
{
	/* Odd intrinsic shapes everywhere, and nesting past the walker's
	 * bounds: loads, with nothing guessed. */
	char *deep = malloc(200000);
	size_t n = 0;
	n += (size_t)sprintf(
		deep + n,
		"{\"Resources\": {\"R\": {\"Type\": \"AWS::S3::Bucket\", "
		"\"Properties\": {\"BucketName\": ");
	for (int i = 0; i < 150; i++)
		n += (size_t)sprintf(deep + n,
				     "{\"Fn::Join\": [\"\", [\"a\", ");
	n += (size_t)sprintf(deep + n, "\"{{resolve:ssm:/deep}}\"");
	for (int i = 0; i < 150; i++)
		n += (size_t)sprintf(deep + n, "]]}");
	n += (size_t)sprintf(deep + n, ", \"X\": ");
	for (int i = 0; i < 90; i++)
		n += (size_t)sprintf(
			deep + n,
			"{\"Fn::If\": [\"c\", {\"Fn::Join\": [\"\", [");
	n += (size_t)sprintf(deep + n, "\"{{resolve:ssm:/deeper}}\"");
	for (int i = 0; i < 90; i++)
		n += (size_t)sprintf(deep + n, "]]}, \"b\"]}");
	n += (size_t)sprintf(
		deep + n,
		", \"Y\": [{\"Fn::Join\": 5}, {\"Fn::Join\": [1, 2]}, "
		"{\"Fn::Sub\": [\"${x\", 3]}, {\"Fn::Sub\": \"${\"}, "
		"{\"Fn::Select\": [\"a\", []]}, {\"Fn::Select\": [9, [1]]}, "
		"{\"Fn::GetAtt\": 7}, {\"Fn::GetAtt\": [\"Nope\", \"A\"]}, "
		"{\"Fn::ImportValue\": {\"Fn::If\": []}}, {\"Ref\": 3}, "
		"{\"Fn::GetStackOutput\": \"x\"}, \"{{resolve:ssm:\", "
		"\"{{resolve:ssm:}}\", \"{{resolve:\", null, 1.5, true]"
		"}}}}");
	load_tpl(deep, NULL, NULL);
	free(deep);
	ck_assert_ptr_null(res("S", "R")->physical_name);
}
END_TEST

/* ---- the evaluator and origin follower, directly ---------------------- */

START_TEST(evaluator_direct)
{
	drtopo_stack *s;
	ck_ok(m,
	      dt_add_stack(m, "S", "111111111111", "us-gov-west-1", NULL, &s));
	s->stack_name = dt_str(m, "Real-Name");
	json_t *root = json_loads(
		"{\"Resources\": {\"X\": {\"Type\": \"AWS::S3::Bucket\"}}}", 0,
		NULL);
	cfn_tpl t = {0};
	t.m = m;
	t.s = s;
	t.root = root;
	t.resources = json_object_get(root, "Resources");
	cfn_tpl_env(&t);
	ck_str(t.partition, "aws-us-gov");
	static const struct {
		const char *json, *text;
	} cases[] = {
		{"\"plain\"", "plain"},
		{"{\"Ref\": \"AWS::StackName\"}", "Real-Name"},
		{"{\"Fn::Sub\": "
		 "\"arn:${AWS::Partition}:s3:::${AWS::AccountId}\"}",
		 "arn:aws-us-gov:s3:::111111111111"},
		{"{\"Fn::Select\": [\"2\", [\"a\", \"b\", {\"Ref\": "
		 "\"AWS::Region\"}]]}",
		 "us-gov-west-1"},
		{"{\"Fn::Join\": [\",\", []]}", NULL},
		{"{\"Ref\": \"X\"}", NULL},
		{"{\"Ref\": \"AWS::StackId\"}", NULL},
		{"\"{{resolve:ssm:/x}}\"", NULL},
		{"{\"Fn::GetAZs\": \"\"}", NULL},
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(cases); i++) {
		json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
		ck_assert_ptr_nonnull(v);
		const char *got = cfn_text(&t, v);
		ck_assert_msg(dt_strcmp0(got, cases[i].text) == 0, "%s -> %s",
			      cases[i].json, got ? got : "(unknown)");
		json_decref(v);
	}
	/* Origins. */
	dt_value v;
	json_t *j = json_loads("{\"Fn::GetAtt\": [\"X\", \"Arn\"]}", 0, NULL);
	/* A resource of the template that the model does not hold (yet). */
	ck_assert_int_eq(cfn_origin(&t, j, &v), 0);
	ck_assert_int_eq(v.kind, DT_VAL_UNKNOWN);
	ck_ok(m, dt_add_resource(s, "X", "AWS::S3::Bucket", NULL, NULL, NULL));
	ck_assert_int_eq(cfn_origin(&t, j, &v), 0);
	ck_assert_int_eq(v.kind, DT_VAL_RESOURCE);
	ck_assert_ptr_eq(v.res, dt_resource_find(s, "X"));
	ck_str(v.attr, "Arn");
	json_decref(j);
	j = json_loads("\"{{resolve:ssm:/p:4}}\"", JSON_DECODE_ANY, NULL);
	ck_assert_int_eq(cfn_origin(&t, j, &v), 0);
	ck_assert_int_eq(v.kind, DT_VAL_PARAM);
	ck_str(v.text, "/p");
	json_decref(j);
	j = json_loads("\"x{{resolve:ssm:/p}}\"", JSON_DECODE_ANY, NULL);
	ck_assert_int_eq(cfn_origin(&t, j, &v), 0);
	ck_assert_int_eq(v.kind, DT_VAL_UNKNOWN);
	json_decref(j);
	json_decref(root);
	dt_map_free(&t.readers);
	/* ARNs with tokens split right. */
	cfn_arn a;
	ck_assert_int_eq(
		cfn_arn_split("arn:${AWS::Partition}:iam::12:role/a:b", &a), 0);
	ck_assert_uint_eq(a.n[CFN_ARN_PARTITION], 17);
	ck_assert_uint_eq(a.n[CFN_ARN_ACCOUNT], 2);
	ck_assert_str_eq(a.f[CFN_ARN_RESOURCE], "role/a:b");
	ck_assert_int_eq(cfn_arn_split("arn:aws:s3", &a), -1);
	ck_assert_str_eq(cfn_partition("cn-northwest-1"), "aws-cn");
	ck_assert_str_eq(cfn_partition("eu-west-1"), "aws");
	ck_assert_ptr_null(cfn_url_suffix("us-isof-south-1"));
	ck_assert_ptr_null(cfn_partition(NULL));
}
END_TEST

/* ---- bad input --------------------------------------------------------- */

/* The load fails with `status` and a message holding `what`, and, when
 * `file` is set, names that file with a line and column. */
static void ck_fails(int rc, int status, const char *file, const char *what)
{
	const char *msg = drtopo_model_errmsg(m);
	ck_assert_msg(rc == status, "rc %d, wanted %d: %s", rc, status, msg);
	ck_assert_msg(strstr(msg, what) != NULL, "'%s' lacks '%s'", msg, what);
	if (file) {
		ck_str(drtopo_model_error_file(m), file);
		ck_assert_int_gt(drtopo_model_error_line(m), 0);
		ck_assert_int_gt(drtopo_model_error_column(m), 0);
	}
}

START_TEST(bad_nested_outside)
{
	/* A sibling of the temporary directory: "../<name>-out". */
	char extra[512], out[300];
	snprintf(out, sizeof(out), "..%s-out", strrchr(tmpdir, '/'));
	snprintf(extra, sizeof(extra),
		 ",\n    \"N\": {\"type\": \"cdk:cloud-assembly\", "
		 "\"properties\": {\"directoryName\": \"%s\"}}",
		 out);
	put_manifest("", "aws://unknown-account/unknown-region", extra);
	put("S.template.json", "{}");
	mkdir(tmp(out), 0755);
	put(strcat(out, "/manifest.json"), "{}");
	int rc = drtopo_model_load_assembly(m, tmpdir);
	remove(tmp(out));
	*strrchr(out, '/') = '\0';
	rmdir(tmp(out));
	ck_fails(rc, DRTOPO_ESCHEMA, "manifest.json",
		 "outside the cloud assembly");
	ck_str(drtopo_model_error_pointer(m),
	       "/artifacts/N/properties/directoryName");
}
END_TEST

START_TEST(bad_nested_cycle)
{
	put_manifest("", "aws://unknown-account/unknown-region",
		     ",\n    \"N\": {\"type\": \"cdk:cloud-assembly\", "
		     "\"properties\": {\"directoryName\": \".\"}}");
	put("S.template.json", "{}");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "manifest.json", "a cycle");
	/* Two levels down, back to the parent. */
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put_manifest("", "aws://unknown-account/unknown-region",
		     ",\n    \"N\": {\"type\": \"cdk:cloud-assembly\", "
		     "\"properties\": {\"directoryName\": \"sub\"}}");
	put("sub/manifest.json",
	    "{\"artifacts\": {\"Back\": {\"type\": \"cdk:cloud-assembly\",\n"
	    "  \"properties\": {\"directoryName\": \"..\"}}}}");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "sub/manifest.json", "a cycle");
	ck_assert_int_eq(drtopo_model_error_line(m), 2);
}
END_TEST

START_TEST(nested_depth_limit)
{
	/* a/b/c, each a nested assembly of the one above. */
	put_manifest("", "aws://unknown-account/unknown-region",
		     ",\"N\": {\"type\": \"cdk:cloud-assembly\", "
		     "\"properties\": {\"directoryName\": \"a\"}}");
	put("S.template.json", "{}");
	put("a/manifest.json",
	    "{\"artifacts\": {\"A\": {\"type\": \"cdk:cloud-assembly\", "
	    "\"properties\": {\"directoryName\": \"b\"}}}}");
	put("a/b/manifest.json",
	    "{\"artifacts\": {\"T\": {\"type\": \"aws:cloudformation:stack\", "
	    "\"environment\": \"aws://1/us-east-1\", "
	    "\"properties\": {\"templateFile\": \"T.template.json\"}}}}");
	put("a/b/T.template.json",
	    "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}");
	ck_ok(m, drtopo_model_load_assembly(m, tmpdir));
	drtopo_resource *q = res("N/A/T", "Q");
	ck_str(q->loc.file, "a/b/T.template.json");
	ck_str(stack("N/A/T")->loc.file, "a/b/manifest.json");
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	ck_ok(m, drtopo_model_set_limit(m, DRTOPO_LIMIT_ASSEMBLY_DEPTH, 1));
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ELIMIT,
		 "a/manifest.json", "DRTOPO_LIMIT_ASSEMBLY_DEPTH");
}
END_TEST

START_TEST(bad_missing_template)
{
	put_manifest("", "aws://unknown-account/us-east-1", "");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_EIO,
		 "manifest.json", "template 'S.template.json' cannot be read");
	ck_str(drtopo_model_error_pointer(m),
	       "/artifacts/S/properties/templateFile");
	/* Only templates are required: asset manifests and the tree may be
	 * absent (and are, in the real fixtures). */
}
END_TEST

START_TEST(bad_template_outside)
{
	char text[512], out[300];
	snprintf(out, sizeof(out), "..%s-t.json", strrchr(tmpdir, '/'));
	snprintf(text, sizeof(text),
		 "{\"artifacts\": {\"S\": {\"type\": "
		 "\"aws:cloudformation:stack\", "
		 "\"properties\": {\"templateFile\": \"%s\"}}}}",
		 out);
	put("manifest.json", text);
	put(out, "{}");
	int rc = drtopo_model_load_assembly(m, tmpdir);
	remove(tmp(out));
	ck_fails(rc, DRTOPO_ESCHEMA, "manifest.json",
		 "outside the cloud assembly");
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put("manifest.json",
	    "{\"artifacts\": {\"S\": {\"type\": \"aws:cloudformation:stack\", "
	    "\"properties\": {\"templateFile\": \"/etc/hostname\"}}}}");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "manifest.json", "absolute path");
}
END_TEST

START_TEST(bad_template_not_object)
{
	put_manifest("", "aws://unknown-account/us-east-1", "");
	put("S.template.json", "[1, 2]");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "S.template.json", "must be a JSON object");
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put("S.template.json", "{\"Resources\": {\n  \"A\": {\"Type\": 3}}}");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "S.template.json", "has no Type");
	ck_str(drtopo_model_error_pointer(m), "/Resources/A/Type");
	ck_assert_int_eq(drtopo_model_error_line(m), 2);
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put("S.template.json", "{\"Resources\": []}");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "S.template.json", "\"Resources\" must be an object");
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put("S.template.json", "{\"Resources\": {\"A\": {\"Type\": \"X\", "
			       "\"Properties\": \"no\"}}}");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "S.template.json", "must be an object");
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put("S.template.json", "{\"Resources\": {\n\"A\": }");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_EPARSE,
		 "S.template.json", "");
	ck_assert_int_eq(drtopo_model_error_line(m), 2);
}
END_TEST

START_TEST(bad_environment)
{
	static const char *const envs[] = {
		"aws://",
		"aws://123",
		"gcp://1/us-east-1",
		"aws://1/us-east-1/x",
		"aws:///us-east-1",
		"aws://1/",
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(envs); i++) {
		drtopo_model_free(m);
		ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
		put_manifest("", envs[i], "");
		put("S.template.json", "{}");
		ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
			 "manifest.json", "invalid environment");
		ck_str(drtopo_model_error_pointer(m),
		       "/artifacts/S/environment");
		ck_assert_int_eq(drtopo_model_error_line(m), 5);
	}
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put("manifest.json",
	    "{\"artifacts\": {\"S\": {\"type\": \"aws:cloudformation:stack\", "
	    "\"environment\": 7, \"properties\": {\"templateFile\": "
	    "\"S.template.json\"}}}}");
	ck_fails(drtopo_model_load_assembly(m, tmpdir), DRTOPO_ESCHEMA,
		 "manifest.json", "not a string");
}
END_TEST

START_TEST(bad_manifest_shapes)
{
	static const struct {
		const char *text, *what, *pointer;
	} cases[] = {
		{"[]", "must be a JSON object", ""},
		{"{\"artifacts\": []}", "must be an object", "/artifacts"},
		{"{\"artifacts\": {\"S\": 1}}", "must be an object",
		 "/artifacts/S"},
		{"{\"artifacts\": {\"S\": {}}}", "has no type",
		 "/artifacts/S/type"},
		{"{\"artifacts\": {\"S\": {\"type\": "
		 "\"aws:cloudformation:stack\"}}}",
		 "no properties", "/artifacts/S/properties"},
		{"{\"artifacts\": {\"S\": {\"type\": "
		 "\"aws:cloudformation:stack\", "
		 "\"properties\": {}}}}",
		 "no templateFile", "/artifacts/S/properties/templateFile"},
		{"{\"artifacts\": {\"S\": {\"type\": "
		 "\"aws:cloudformation:stack\", "
		 "\"properties\": {\"templateFile\": \"S.template.json\"}, "
		 "\"dependencies\": [\"Nope\"]}}}",
		 "names no artifact", "/artifacts/S/dependencies/0"},
		{"{\"artifacts\": {\"S\": {\"type\": "
		 "\"aws:cloudformation:stack\", "
		 "\"properties\": {\"templateFile\": \"S.template.json\"}, "
		 "\"dependencies\": \"x\"}}}",
		 "must be an array", "/artifacts/S/dependencies"},
		{"{\"artifacts\": {\"S\": {\"type\": "
		 "\"aws:cloudformation:stack\", "
		 "\"properties\": {\"templateFile\": \"S.template.json\", "
		 "\"stackName\": 4}}}}",
		 "stackName", "/artifacts/S/properties/stackName"},
		{"{\"artifacts\": {\"N\": {\"type\": \"cdk:cloud-assembly\", "
		 "\"properties\": {}}}}",
		 "no directoryName", "/artifacts/N/properties/directoryName"},
		{"{\"artifacts\": {\"N\": {\"type\": \"cdk:cloud-assembly\", "
		 "\"properties\": {\"directoryName\": \"gone\"}}}}",
		 "cannot be read", "/artifacts/N/properties/directoryName"},
	};
	put("S.template.json", "{}");
	for (size_t i = 0; i < DT_ARRAY_LEN(cases); i++) {
		drtopo_model_free(m);
		ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
		put("manifest.json", cases[i].text);
		int rc = drtopo_model_load_assembly(m, tmpdir);
		ck_assert_msg(rc == DRTOPO_ESCHEMA || rc == DRTOPO_EIO,
			      "case %zu: rc %d", i, rc);
		ck_assert_msg(strstr(drtopo_model_errmsg(m), cases[i].what),
			      "case %zu: %s", i, drtopo_model_errmsg(m));
		ck_str(drtopo_model_error_pointer(m), cases[i].pointer);
		ck_str(drtopo_model_error_file(m), "manifest.json");
	}
	/* Not there at all. */
	ck_assert_int_eq(drtopo_model_load_assembly(m, tmp("nothing")),
			 DRTOPO_EIO);
	ck_assert_int_eq(drtopo_model_load_assembly(m, NULL), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load_assembly(NULL, tmpdir),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load_template(m, "", NULL, NULL, NULL),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_model_load_template(m, tmp("nothing.json"),
						    NULL, NULL, NULL),
			 DRTOPO_EIO);
	/* A manifest with no artifacts is an empty app. */
	drtopo_model_free(m);
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	put("manifest.json", "{\"version\": \"1\"}");
	ck_ok(m, drtopo_model_load_assembly(m, tmpdir));
	ck_assert_uint_eq(m->stacks.len, 0);
}
END_TEST

START_TEST(duplicate_stack_ids)
{
	load_fixture("cdk-integ", "table-v2-global");
	ck_fails(drtopo_model_load_assembly(
			 m, fixture("cdk-integ", "table-v2-global")),
		 DRTOPO_ESCHEMA, "manifest.json", "already exists");
}
END_TEST

/* ---- mutated input never crashes --------------------------------------- */

static unsigned long rnd_state = 12345;

static unsigned long rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
	return rnd_state >> 33;
}

static int known_status(int rc)
{
	return rc == DRTOPO_OK || rc == DRTOPO_EPARSE || rc == DRTOPO_ESCHEMA ||
	       rc == DRTOPO_ELIMIT || rc == DRTOPO_EIO;
}

/* Load `rel` of tmpdir after `iters` random edits of `base`. */
static void mutate_and_load(const char *base, size_t len, const char *rel,
			    int assembly, int iters)
{
	static const char alphabet[] = "{}[]\",:\\ ~/0$!u\xc3\xa9\x80x-";
	char *buf = malloc(len + 64);
	ck_assert_ptr_nonnull(buf);
	for (int iter = 0; iter < iters; iter++) {
		size_t n = len;
		memcpy(buf, base, len);
		int edits = 1 + (int)(rnd() % 4);
		for (int e = 0; e < edits && n > 1; e++) {
			size_t at = rnd() % n;
			char c = alphabet[rnd() % (sizeof(alphabet) - 1)];
			switch (rnd() % 3) {
			case 0: buf[at] = c; break;
			case 1:
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
				break;
			default:
				if (n < len + 60) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = c;
					n++;
				}
				break;
			}
		}
		buf[n] = '\0';
		const char *path = put(rel, buf);
		drtopo_model *x;
		ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
		int rc = assembly ? drtopo_model_load_assembly(x, tmpdir)
				  : drtopo_model_load_template(
					    x, path, NULL, NULL, "us-east-1");
		ck_assert_msg(known_status(rc), "rc %d: %s", rc,
			      drtopo_model_errmsg(x));
		if (rc != DRTOPO_OK)
			ck_assert_str_ne(drtopo_model_errmsg(x), "");
		/* Whatever loaded resolves. */
		drtopo_result *r = NULL;
		if (rc == DRTOPO_OK) {
			ck_assert_int_eq(drtopo_model_resolve(x, &r),
					 DRTOPO_OK);
			drtopo_result_free(r);
		}
		drtopo_model_free(x);
	}
	free(buf);
}

START_TEST(mutated_input_never_crashes)
{
	static const char *const tpls[] = {
		"cdk-integ/cross-region-references/"
		"CrossRegionRefConsumerInteg.template.json",
		"cdk-integ/cross-region-references/"
		"CrossRegionRefProducerInteg.template.json",
		"cdk-integ/parameter-store-string/sspms-using.template.json",
		"cdk-integ/table-v2-global/aws-cdk-global-table.template.json",
		"cdk-integ/cross-account-references/"
		"CrossAccountRefConsumerInteg.template.json",
		"cdk-integ/distribution-lambda-cross-region/"
		"integ-distribution-lambda-cross-region.template.json",
		"cdk/tablev2-keys-other-stack/cdk.out/Orders.template.json",
		"cdk/legacy-table-replica-collision/cdk.out/"
		"LegacyPrimary.template.json",
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(tpls); i++) {
		size_t len = 0;
		char *base = dt_test_slurp(dt_test_data(tpls[i]), &len);
		if (!base)
			continue; /* an app not synthesized (yet) */
		mutate_and_load(base, len, "T.template.json", 0, 200);
		free(base);
	}
	/* Manifests, with their templates in place (and a nested one). */
	size_t len = 0;
	char *t = dt_test_slurp(
		dt_test_data("cdk-integ/cross-region-references/"
			     "CrossRegionRefConsumerInteg.template.json"),
		&len);
	ck_assert_ptr_nonnull(t);
	put("CrossRegionRefConsumerInteg.template.json", t);
	put("CrossRegionRefProducerInteg.template.json", t);
	put("CrossRegionSSMReferenceTestDefaultTestDeployAssert2460BCA3."
	    "template.json",
	    "{}");
	put("assembly-Stage/manifest.json",
	    "{\"artifacts\": {\"X\": {\"type\": \"aws:cloudformation:stack\", "
	    "\"properties\": {\"templateFile\": \"X.json\"}}}}");
	put("assembly-Stage/X.json", t);
	free(t);
	char *base =
		dt_test_slurp(dt_test_data("cdk-integ/cross-region-references/"
					   "manifest.json"),
			      &len);
	ck_assert_ptr_nonnull(base);
	mutate_and_load(base, len, "manifest.json", 1, 300);
	free(base);
}
END_TEST

#ifdef DRTOPO_FAULT_INJECTION
/* Every allocation of a load fails in turn: DRTOPO_OK or DRTOPO_ENOMEM,
 * never a crash or another status. */
static void oom_loop(const char *path, int assembly)
{
	for (unsigned long n = 1;; n++) {
		drtopo_model *x = NULL;
		ck_assert_int_eq(drtopo_model_new(&x), DRTOPO_OK);
		dt_fault_arm(n);
		int rc = assembly ? drtopo_model_load_assembly(x, path)
				  : drtopo_model_load_template(x, path, NULL,
							       "111111111111",
							       "us-east-1");
		int fired = dt_fault_fired();
		dt_fault_disarm();
		ck_assert_msg(rc == DRTOPO_OK || (fired && rc == DRTOPO_ENOMEM),
			      "n=%lu rc=%d %s", n, rc, drtopo_model_errmsg(x));
		drtopo_model_free(x);
		if (!fired)
			break;
	}
}

START_TEST(out_of_memory_everywhere)
{
	oom_loop(fixture("cdk-integ", "cross-region-references"), 1);
	oom_loop(fixture("cdk-integ-extra", "stage-termination-protection"), 1);
	oom_loop(fixture("cdk-integ", "parameter-store-string"), 1);
	oom_loop(fixture("cdk-integ-extra", "bucket-replication-cross-stack"),
		 1);
	oom_loop(dt_test_data("cdk/tablev2-keys-other-stack/cdk.out"), 1);
	oom_loop(dt_test_data("cdk/legacy-table-replica-collision/cdk.out/"
			      "LegacyPrimary.template.json"),
		 0);
}
END_TEST
#endif

Suite *assembly_suite(void);

Suite *assembly_suite(void)
{
	Suite *s = suite_create("assembly");
	TCase *tc = tcase_create("golden");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, integ_golden, 0, (int)DT_ARRAY_LEN(integ));
	tcase_add_loop_test(tc, integ_extra_golden, 0,
			    (int)DT_ARRAY_LEN(integ_extra));
	tcase_add_test(tc, cdk_apps_golden);
	suite_add_tcase(s, tc);

	tc = tcase_create("mapping");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, manifest_stacks, 0,
			    (int)DT_ARRAY_LEN(manifests));
	tcase_add_test(tc, manifest_names_and_locations);
	tcase_add_test(tc, manifest_path_is_the_manifest_file);
	tcase_add_test(tc, nested_assembly_ids);
	tcase_add_test(tc, writer_and_reader_regions);
	tcase_add_test(tc, stack_output_reads);
	tcase_add_test(tc, ssm_reads_and_secure);
	tcase_add_test(tc, explicit_cross_region_reads);
	tcase_add_test(tc, global_table_replicas);
	tcase_add_test(tc, global_table_own_region_key);
	tcase_add_test(tc, exports_and_imports);
	tcase_add_test(tc, imports_inside_join);
	tcase_add_test(tc, dynref_inside_join_env_agnostic);
	tcase_add_test(tc, evaluator_direct);
	tcase_add_test(tc, duplicate_stack_ids);
#ifdef DRTOPO_FAULT_INJECTION
	tcase_add_test(tc, out_of_memory_everywhere);
#endif
	suite_add_tcase(s, tc);

	tc = tcase_create("templates");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, bare_template_id_env_and_names);
	tcase_add_test(tc, unknown_env_is_never_guessed);
	tcase_add_test(tc, template_id_from_file_name);
	tcase_add_test(tc, writer_reader_and_sdk_calls);
	tcase_add_test(tc, dynamic_references_everywhere);
	tcase_add_test(tc, ssm_template_parameters);
	tcase_add_test(tc, manifest_parameter_values);
	tcase_add_test(tc, replica_keys_every_origin);
	tcase_add_test(tc, replica_keys_without_own_region_key);
	tcase_add_test(tc, legacy_table_replicas);
	tcase_add_test(tc, outputs_exports_and_stack_outputs);
	tcase_add_test(tc, hostile_shapes_do_not_crash);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad-input");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, bad_nested_outside);
	tcase_add_test(tc, bad_nested_cycle);
	tcase_add_test(tc, nested_depth_limit);
	tcase_add_test(tc, bad_missing_template);
	tcase_add_test(tc, bad_template_outside);
	tcase_add_test(tc, bad_template_not_object);
	tcase_add_test(tc, bad_environment);
	tcase_add_test(tc, bad_manifest_shapes);
	tcase_add_test(tc, mutated_input_never_crashes);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(assembly_suite)
