/*
 * Replication facts (0.2) and the rules that read them: DRT207, DRT408,
 * DRT409, DRT410. Each rule fires and has a close case that must not,
 * through the API and through CloudFormation templates (the importer);
 * documents round-trip the new keys; the ARN and settings tables scale.
 */
#include <unistd.h>

#include "builders.h"

#include "model.h"

#define R1 "us-east-1"
#define R2 "us-east-2"
#define R3 "eu-west-1"
#define A1 "111111111111"
#define A2 "222222222222"

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The codes of all findings but DRT6xx, sorted. */
static const char *codes_of(drtopo_model *m)
{
	static char buf[1024];
	const char *list[64];
	size_t n = 0;
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	buf[0] = '\0';
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		const char *c = drtopo_diagnostic_code(d);
		ck_assert_ptr_nonnull(drtopo_diagnostic_hint(d));
		if (strncmp(c, "DRT6", 4) != 0 && n < DT_ARRAY_LEN(list))
			list[n++] = c;
	}
	qsort(list, n, sizeof(list[0]), code_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, list[i]);
	}
	drtopo_result_free(r);
	return buf;
}

/* The message of the first finding of code. */
static char *message_of(drtopo_model *m, const char *code)
{
	static char buf[2048];
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	buf[0] = '\0';
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		if (!strcmp(drtopo_diagnostic_code(d), code)) {
			snprintf(buf, sizeof(buf), "%s",
				 drtopo_diagnostic_message(d));
			break;
		}
	}
	drtopo_result_free(r);
	return buf;
}

#define EXPECT(m, want) ck_assert_str_eq(codes_of(m), (want))

static drtopo_replication *s3(drtopo_resource *src, drtopo_resource *dst,
			      const char *text)
{
	drtopo_model *m = drtopo_stack_model(drtopo_resource_stack(src));
	drtopo_replication *x = NULL;
	ck_ok(m, drtopo_resource_add_replication(
			 src, DRTOPO_REPLICATION_S3_DESTINATION, NULL, &x));
	if (dst)
		ck_ok(m, drtopo_replication_set_target(x, dst, "Arn"));
	else
		ck_ok(m, drtopo_replication_set_target_text(x, text));
	return x;
}

/* ---- the API ---------------------------------------------------------- */

START_TEST(api_read_back)
{
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1);
	drtopo_resource *b = res(a, "B", "AWS::S3::Bucket", "b");
	drtopo_replication *x = NULL;
	ck_assert_uint_eq(drtopo_resource_flags(b), 0);
	ck_ok(m, drtopo_resource_set_flags(b, DRTOPO_RESOURCE_VERSIONED |
						      DRTOPO_RESOURCE_SSE_KMS));
	ck_assert_uint_eq(drtopo_resource_flags(b), 3);
	ck_assert_int_eq(drtopo_resource_set_flags(b, 8), DRTOPO_EINVAL);
	ck_ok(m, drtopo_resource_add_arn(b, "arn:aws:sns:us-east-1:1:t", "/P"));
	ck_ok(m, drtopo_resource_add_arn(b, "arn:aws:sns:us-east-1:1:t", NULL));
	ck_assert_uint_eq(drtopo_resource_arn_count(b), 1);
	ck_assert_str_eq(drtopo_resource_arn_at(b, 0),
			 "arn:aws:sns:us-east-1:1:t");
	ck_assert_str_eq(drtopo_resource_arn_pointer(b, 0), "/P");
	ck_assert_ptr_null(drtopo_resource_arn_at(b, 1));
	ck_assert_int_eq(drtopo_resource_add_arn(b, "", NULL), DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_resource_add_replication(b, 0, NULL, &x),
			 DRTOPO_EINVAL);
	ck_assert_int_eq(drtopo_resource_add_replication(b, 99, NULL, &x),
			 DRTOPO_EINVAL);
	ck_ok(m, drtopo_resource_add_replication(
			 b, DRTOPO_REPLICATION_BACKUP_COPY, NULL, &x));
	ck_assert_int_eq(drtopo_replication_kind(x),
			 DRTOPO_REPLICATION_BACKUP_COPY);
	ck_assert_str_eq(
		drtopo_replication_kind_name(DRTOPO_REPLICATION_BACKUP_COPY),
		"backup-copy");
	ck_assert_ptr_null(drtopo_replication_kind_name(0));
	ck_assert_ptr_eq(drtopo_replication_resource(x), b);
	ck_assert_ptr_null(drtopo_replication_target_text(x));
	ck_assert_ptr_null(drtopo_replication_target_resource(x));
	ck_assert_int_eq(drtopo_replication_period(x), -1);
	ck_ok(m, drtopo_replication_set_period(x, 86400));
	ck_assert_int_eq(drtopo_replication_period(x), 86400);
	ck_ok(m, drtopo_replication_set_flags(x, DRTOPO_REPLICATION_RTC));
	ck_assert_uint_eq(drtopo_replication_flags(x), DRTOPO_REPLICATION_RTC);
	ck_assert_int_eq(drtopo_replication_set_flags(x, 8), DRTOPO_EINVAL);
	ck_ok(m, drtopo_replication_set_pointer(x, "/X"));
	ck_assert_str_eq(drtopo_replication_pointer(x), "/X");
	ck_ok(m, drtopo_replication_set_target_import(x, "exp"));
	ck_assert_str_eq(drtopo_replication_target_text(x), "exp");
	ck_ok(m, drtopo_replication_set_target_parameter(x, "/p", R2));
	ck_assert_str_eq(drtopo_replication_target_text(x), "/p");
	ck_ok(m, drtopo_replication_set_target(x, b, NULL));
	ck_assert_ptr_eq(drtopo_replication_target_resource(x), b);
	ck_assert_uint_eq(drtopo_resource_replication_count(b), 1);
	ck_assert_ptr_eq(drtopo_resource_replication_at(b, 0), x);
	ck_assert_ptr_null(drtopo_resource_replication_at(b, 1));
	ck_assert_ptr_null(drtopo_replication_region(x));
	ck_assert_int_eq(drtopo_replication_kind(NULL), DRTOPO_EINVAL);
	ck_assert_uint_eq(drtopo_resource_replication_count(NULL), 0);
	ck_assert_int_eq(drtopo_replication_set_target(NULL, b, NULL),
			 DRTOPO_EINVAL);
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT408 / DRT409 / DRT410 through the API ------------------------ */

START_TEST(s3_not_ordered_and_unversioned)
{
	drtopo_model *m = model();
	drtopo_stack *src = stack(m, "Source", A1, R1);
	drtopo_stack *dst = stack(m, "Dest", A1, R2);
	drtopo_resource *a = res(src, "Data", "AWS::S3::Bucket", "dr-src");
	drtopo_resource *b = res(dst, "Replica", "AWS::S3::Bucket", "dr-dst");
	s3(a, NULL, "arn:aws:s3:::dr-dst");
	ck_ok(m, drtopo_resource_set_flags(a, DRTOPO_RESOURCE_VERSIONED));
	ck_ok(m, drtopo_resource_set_flags(b, DRTOPO_RESOURCE_VERSIONED));
	EXPECT(m, "DRT408");
	ck_assert_ptr_nonnull(strstr(message_of(m, "DRT408"), "Dest/Replica"));
	ck_ok(m, drtopo_stack_add_dependency(src, dst));
	EXPECT(m, "");
	/* versioning off on either side: one finding per bucket */
	ck_ok(m, drtopo_resource_set_flags(b, 0));
	EXPECT(m, "DRT409");
	ck_ok(m, drtopo_resource_set_flags(a, 0));
	EXPECT(m, "DRT409 DRT409");
	drtopo_model_free(m);
}
END_TEST

START_TEST(s3_target_shape)
{
	drtopo_model *m = model();
	drtopo_stack *src = stack(m, "Source", A1, R1);
	drtopo_resource *a = res(src, "Data", "AWS::S3::Bucket", NULL);
	ck_ok(m, drtopo_resource_set_flags(a, DRTOPO_RESOURCE_VERSIONED));
	drtopo_replication *x = s3(a, NULL, "arn:aws:s3:::elsewhere");
	EXPECT(m, ""); /* a bucket the model does not create */
	ck_ok(m, drtopo_replication_set_target_text(
			 x, "arn:aws:s3:us-east-2:111111111111:dr-dest"));
	EXPECT(m, "DRT410");
	ck_ok(m, drtopo_replication_set_target_text(x, "dr-dest"));
	EXPECT(m, "DRT410");
	drtopo_replication *v = NULL;
	ck_ok(m, drtopo_resource_add_replication(
			 a, DRTOPO_REPLICATION_BACKUP_COPY, NULL, &v));
	ck_ok(m, drtopo_replication_set_target_text(
			 v, "arn:aws:backup:us-east-2:1:backup-vault:v"));
	EXPECT(m, "DRT410");
	ck_ok(m, drtopo_replication_set_target_text(
			 v, "arn:aws:backup:::backup-vault:v"));
	EXPECT(m, "DRT410 DRT410");
	drtopo_model_free(m);
}
END_TEST

/* A setting and its target in one stack: ordered by a reference chain
 * (transitively), not ordered without one. */
START_TEST(same_stack_ordering)
{
	drtopo_model *m = model();
	drtopo_stack *s = stack(m, "P", A1, R1);
	drtopo_resource *g =
		res(s, "Global", "AWS::RDS::GlobalCluster", "dr-global");
	drtopo_resource *c = res(s, "Primary", "AWS::RDS::DBCluster", NULL);
	drtopo_resource *mid = res(s, "Mid", "AWS::IAM::Role", NULL);
	drtopo_replication *x = NULL;
	ck_ok(m, drtopo_resource_add_replication(
			 c, DRTOPO_REPLICATION_GLOBAL_CLUSTER, NULL, &x));
	ck_ok(m, drtopo_replication_set_target_text(x, "DR-Global"));
	EXPECT(m, "DRT408");
	ck_assert_ptr_nonnull(
		strstr(message_of(m, "DRT408"), "in the same stack"));
	ck_ok(m, drtopo_resource_add_reference(c, mid, NULL));
	EXPECT(m, "DRT408");
	ck_ok(m, drtopo_resource_add_reference(mid, g, NULL));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* Targets followed through exports and through a parameter that an
 * export writer writes (the reader's value is the writer's). */
START_TEST(followed_targets)
{
	drtopo_model *m = model();
	drtopo_stack *src = stack(m, "Source", A1, R1);
	drtopo_stack *dst = stack(m, "Dest", A1, R2);
	drtopo_stack *d1 = stack(m, "Dest1", A1, R1);
	drtopo_resource *a = res(src, "Data", "AWS::S3::Bucket", NULL);
	drtopo_resource *b = res(dst, "Replica", "AWS::S3::Bucket", NULL);
	drtopo_resource *b1 = res(d1, "Replica", "AWS::S3::Bucket", NULL);
	drtopo_param *w = NULL;
	drtopo_replication *x = NULL, *y = NULL;
	ck_ok(m, drtopo_resource_set_flags(a, DRTOPO_RESOURCE_VERSIONED));
	ck_ok(m, drtopo_resource_set_flags(b, DRTOPO_RESOURCE_VERSIONED));
	ck_ok(m, drtopo_resource_add_replication(
			 a, DRTOPO_REPLICATION_S3_DESTINATION, NULL, &x));
	ck_ok(m, drtopo_stack_write_parameter(dst, "/cdk/exports/Source/b", R1,
					      b, &w));
	ck_ok(m, drtopo_param_set_value_resource(w, b, "Arn"));
	ck_ok(m, drtopo_stack_read_parameter(src, "/cdk/exports/Source/b", NULL,
					     a, NULL));
	ck_ok(m, drtopo_replication_set_target_parameter(
			 x, "/cdk/exports/Source/b", NULL));
	/* the reader is not ordered either (DRT303) */
	EXPECT(m, "DRT303 DRT408");
	ck_ok(m, drtopo_resource_add_replication(
			 a, DRTOPO_REPLICATION_S3_DESTINATION, NULL, &y));
	ck_ok(m, drtopo_stack_add_export(d1, "b1-arn", b1));
	ck_ok(m, drtopo_stack_add_import(src, "b1-arn", a));
	ck_ok(m, drtopo_replication_set_target_import(y, "b1-arn"));
	/* the import orders Source after Dest1; b1 is not versioned */
	EXPECT(m, "DRT303 DRT408 DRT409");
	ck_ok(m, drtopo_stack_add_dependency(src, dst));
	EXPECT(m, "DRT409");
	drtopo_model_free(m);
}
END_TEST

START_TEST(secret_replica_key_alias)
{
	drtopo_model *m = model();
	drtopo_stack *sec = stack(m, "Secrets", A1, R1);
	drtopo_stack *key = stack(m, "Key", A1, R2);
	drtopo_resource *s =
		res(sec, "Secret", "AWS::SecretsManager::Secret", NULL);
	res(key, "Alias", "AWS::KMS::Alias", "alias/dr");
	drtopo_replication *x = NULL;
	ck_ok(m, drtopo_resource_add_replication(
			 s, DRTOPO_REPLICATION_SECRET_REPLICA, R2, &x));
	ck_ok(m, drtopo_replication_set_target_text(x, "alias/dr"));
	EXPECT(m, "DRT408");
	/* an alias ARN of another region names no alias of the model */
	ck_ok(m, drtopo_replication_set_target_text(
			 x, "arn:aws:kms:us-east-1:111111111111:alias/dr"));
	EXPECT(m, "");
	ck_ok(m, drtopo_replication_set_target_text(
			 x, "arn:aws:kms:us-east-2:111111111111:alias/dr"));
	EXPECT(m, "DRT408");
	/* a key ARN or a key id names a key by its physical name */
	res(key, "Key", "AWS::KMS::Key", "1234abcd");
	ck_ok(m, drtopo_replication_set_target_text(
			 x, "arn:aws:kms:us-east-2:111111111111:key/1234abcd"));
	EXPECT(m, "DRT408");
	ck_assert_ptr_nonnull(
		strstr(message_of(m, "DRT408"), "AWS::KMS::Key Key/Key"));
	ck_ok(m, drtopo_replication_set_target_text(x, "1234abcd"));
	EXPECT(m, "DRT408");
	ck_ok(m, drtopo_replication_set_target_text(
			 x, "arn:aws:kms:us-east-2:111111111111:key/5678"));
	EXPECT(m, "");
	ck_ok(m, drtopo_replication_set_target_text(x, "alias/dr"));
	ck_ok(m, drtopo_stack_add_dependency(sec, key));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- DRT207 through the API -------------------------------------------- */

START_TEST(dangling_arn)
{
	drtopo_model *m = model();
	drtopo_stack *cat = stack(m, "Catalog", A1, R1);
	drtopo_stack *con = stack(m, "Consumer", A1, R3);
	drtopo_resource *t =
		res(cat, "T", "AWS::DynamoDB::GlobalTable", "catalog");
	drtopo_resource *p = res(con, "Policy", "AWS::IAM::Policy", NULL);
	ck_ok(m, drtopo_resource_add_replica(t, R2));
	ck_ok(m,
	      drtopo_resource_add_arn(
		      p,
		      "arn:aws:dynamodb:us-east-2:111111111111:table/catalog",
		      NULL));
	ck_ok(m,
	      drtopo_resource_add_arn(
		      p,
		      "arn:aws:dynamodb:eu-west-1:111111111111:table/catalog/*",
		      NULL));
	ck_ok(m,
	      drtopo_resource_add_arn(
		      p,
		      "arn:aws:dynamodb:eu-west-1:222222222222:table/catalog",
		      NULL));
	ck_ok(m,
	      drtopo_resource_add_arn(
		      p, "arn:aws:dynamodb:eu-west-1:111111111111:table/other",
		      NULL));
	EXPECT(m, "");
	ck_ok(m,
	      drtopo_resource_add_arn(
		      p,
		      "arn:aws:dynamodb:eu-west-1:111111111111:table/catalog/"
		      "stream/x",
		      NULL));
	EXPECT(m, "DRT207");
	ck_assert_ptr_nonnull(strstr(message_of(m, "DRT207"), "eu-west-1"));
	ck_ok(m, drtopo_resource_add_replica(t, R3));
	EXPECT(m, "");
	/* other kinds of the table: an SSM parameter by "/name", a
	 * case-insensitive RDS cluster, a KMS alias */
	res(cat, "P", "AWS::SSM::Parameter", "/app/x");
	res(cat, "C", "AWS::RDS::DBCluster", "DB-One");
	res(cat, "A", "AWS::KMS::Alias", "alias/k");
	ck_ok(m,
	      drtopo_resource_add_arn(
		      p, "arn:aws:ssm:eu-west-1:111111111111:parameter/app/x",
		      NULL));
	ck_ok(m, drtopo_resource_add_arn(
			 p, "arn:aws:rds:eu-west-1:111111111111:cluster:db-one",
			 NULL));
	ck_ok(m,
	      drtopo_resource_add_arn(
		      p, "arn:aws:kms:eu-west-1:111111111111:alias/k", NULL));
	EXPECT(m, "DRT207 DRT207 DRT207");
	drtopo_model_free(m);
}
END_TEST

START_TEST(dangling_arn_agnostic)
{
	drtopo_model *m = model();
	drtopo_stack *cat = stack(m, "Catalog", NULL, NULL);
	drtopo_stack *con = stack(m, "Consumer", A1, R3);
	res(cat, "Q", "AWS::SQS::Queue", "jobs");
	drtopo_resource *p = res(con, "Policy", "AWS::IAM::Policy", NULL);
	ck_ok(m, drtopo_resource_add_arn(
			 p, "arn:aws:sqs:eu-west-1:111111111111:jobs", NULL));
	EXPECT(m, "");
	drtopo_model_free(m);
}
END_TEST

/* ---- through templates --------------------------------------------------- */

static char *tmp_template(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/drtopo-repl-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void load(drtopo_model *m, const char *id, const char *region,
		 const char *text)
{
	char *path = tmp_template(text);
	ck_ok(m, drtopo_model_load_template(m, path, id, A1, region));
	unlink(path);
}

#define BUCKET(id, name, versioned, extra)                             \
	"\"" id "\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": " \
	"{\"BucketName\": \"" name "\"" versioned extra "}}"
#define VERSIONED ", \"VersioningConfiguration\": {\"Status\": \"Enabled\"}"
#define RULE(dest)                                                       \
	", \"ReplicationConfiguration\": {\"Role\": \"r\", \"Rules\": "  \
	"[{\"Status\": \"Enabled\", \"Destination\": {\"Bucket\": " dest \
	", \"ReplicationTime\": {\"Status\": \"Enabled\"}}}]}"

START_TEST(template_same_stack)
{
	drtopo_model *m = model();
	/* destination by Fn::GetAtt: ordered by the reference */
	load(m, "A", R1,
	     "{\"Resources\": {" BUCKET(
		     "Dst", "dst-a", VERSIONED,
		     "") ", " BUCKET("Src", "src-a", VERSIONED,
				     RULE("{\"Fn::GetAtt\": [\"Dst\", "
					  "\"Arn\"]}")) "}}");
	EXPECT(m, "");
	drtopo_stack *a = dt_stack_find(m, "A");
	drtopo_resource *src = dt_resource_find(a, "Src");
	ck_assert_uint_eq(drtopo_resource_replication_count(src), 1);
	drtopo_replication *x = drtopo_resource_replication_at(src, 0);
	ck_assert_uint_eq(drtopo_replication_flags(x), DRTOPO_REPLICATION_RTC);
	ck_assert_str_eq(drtopo_replication_pointer(x),
			 "/Resources/Src/Properties/ReplicationConfiguration/"
			 "Rules/0/Destination/Bucket");
	ck_assert_ptr_eq(drtopo_replication_target_resource(x),
			 dt_resource_find(a, "Dst"));
	ck_assert_uint_eq(drtopo_resource_flags(src),
			  DRTOPO_RESOURCE_VERSIONED);
	/* destination spelled out by name: nothing orders it, until a
	 * DependsOn does */
	load(m, "B", R1,
	     "{\"Resources\": {" BUCKET(
		     "Dst", "dst-b", VERSIONED,
		     "") ", " BUCKET("Src", "src-b", VERSIONED,
				     RULE("{\"Fn::Join\": [\"\", [\"arn:\", "
					  "{\"Ref\": "
					  "\"AWS::Partition\"}, "
					  "\":s3:::dst-b\"]]}")) "}}");
	EXPECT(m, "DRT408");
	load(m, "C", R1,
	     "{\"Resources\": {" BUCKET(
		     "Dst", "dst-c", VERSIONED,
		     "") ", \"Src\": {\"Type\": "
			 "\"AWS::S3::Bucket\", "
			 "\"DependsOn\": [\"Dst\"], "
			 "\"Properties\": {\"BucketName\": "
			 "\"src-c\"" VERSIONED RULE(
				 "\"arn:aws:s3:::dst-c\"") "}}}}");
	EXPECT(m, "DRT408");
	drtopo_model_free(m);
}
END_TEST

START_TEST(template_versioning_and_shape)
{
	drtopo_model *m = model();
	load(m, "D", R2,
	     "{\"Resources\": {" BUCKET("Dst", "dst-d", "", "") "}}");
	load(m, "S", R1,
	     "{\"Resources\": {" BUCKET("Src", "src-s", VERSIONED,
					RULE("\"arn:aws:s3:::dst-d\"")) "}}");
	ck_ok(m, drtopo_stack_add_dependency(dt_stack_find(m, "S"),
					     dt_stack_find(m, "D")));
	EXPECT(m, "DRT409");
	load(m, "T", R1,
	     "{\"Resources\": {" BUCKET(
		     "Src", "src-t", VERSIONED,
		     RULE("\"arn:aws:s3:us-east-2:111111111111:dst-d\"")) "}}");
	EXPECT(m, "DRT409 DRT410");
	drtopo_model_free(m);
}
END_TEST

START_TEST(template_dangling_arn)
{
	drtopo_model *m = model();
	load(m, "Catalog", R1,
	     "{\"Resources\": {\"T\": {\"Type\": \"AWS::DynamoDB::Table\", "
	     "\"Properties\": {\"TableName\": \"catalog\"}}, \"Rep\": "
	     "{\"Type\": \"Custom::DynamoDBReplica\", \"Properties\": "
	     "{\"TableName\": {\"Ref\": \"T\"}, \"Region\": \"us-east-2\"}}}}");
	const char *consumer =
		"{\"Resources\": {\"Pol\": {\"Type\": \"AWS::IAM::Policy\", "
		"\"Properties\": {\"PolicyDocument\": {\"Statement\": ["
		"{\"Resource\": {\"Fn::Join\": [\"\", [\"arn:\", {\"Ref\": "
		"\"AWS::Partition\"}, \":dynamodb:\", {\"Ref\": "
		"\"AWS::Region\"}, \":\", {\"Ref\": \"AWS::AccountId\"}, "
		"\":table/catalog\"]]}}, {\"Resource\": {\"Fn::Sub\": "
		"\"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::"
		"AccountId}:table/catalog\"}}]}}}}}";
	load(m, "East2", R2, consumer);
	EXPECT(m, "");
	load(m, "West", R3, consumer);
	/* two statements, one ARN: one finding */
	EXPECT(m, "DRT207");
	drtopo_resource *pol =
		dt_resource_find(dt_stack_find(m, "West"), "Pol");
	ck_assert_uint_eq(drtopo_resource_arn_count(pol), 1);
	ck_assert_str_eq(drtopo_resource_arn_pointer(pol, 0),
			 "/Resources/Pol/Properties/PolicyDocument/Statement/0/"
			 "Resource");
	drtopo_model_free(m);
}
END_TEST

/* ---- documents ----------------------------------------------------------- */

START_TEST(document_round_trip)
{
	static const char doc[] =
		"{\"schema\": \"drtopo-topology/1\", \"stacks\": [{\"id\": "
		"\"S\", \"account\": \"111111111111\", \"region\": "
		"\"us-east-1\", \"resources\": [{\"id\": \"B\", \"type\": "
		"\"AWS::S3::Bucket\", \"flags\": [\"versioned\", \"sse-kms\"], "
		"\"arns\": [\"arn:aws:sns:us-east-1:111111111111:t\"], "
		"\"replication\": [{\"kind\": \"s3-destination\", \"target\": "
		"{\"text\": \"arn:aws:s3:::d\"}, \"flags\": [\"rtc\"]}, "
		"{\"kind\": \"backup-copy\", \"region\": \"us-east-2\", "
		"\"period\": 3600}]}]}]}";
	drtopo_model *m = model();
	ck_ok(m, drtopo_model_load_document_buffer(m, doc, sizeof(doc) - 1,
						   "t.json"));
	drtopo_resource *b = dt_resource_find(dt_stack_find(m, "S"), "B");
	ck_assert_uint_eq(drtopo_resource_flags(b), 3);
	ck_assert_uint_eq(drtopo_resource_replication_count(b), 2);
	ck_assert_int_eq(
		drtopo_replication_period(drtopo_resource_replication_at(b, 1)),
		3600);
	char *out = NULL, *again = NULL;
	ck_ok(m, drtopo_model_to_json(m, &out, NULL));
	drtopo_model *m2 = model();
	ck_ok(m2, drtopo_model_load_document_buffer(m2, out, strlen(out),
						    "u.json"));
	ck_ok(m2, drtopo_model_to_json(m2, &again, NULL));
	ck_assert_str_eq(out, again);
	drtopo_free(out);
	drtopo_free(again);
	drtopo_model_free(m2);
	drtopo_model_free(m);
	/* unknown keys, kinds and flags are errors */
	static const char *const bad[] = {
		"{\"kind\": \"s3-dest\"}",
		"{\"kind\": \"s3-destination\", \"flag\": []}",
		"{\"kind\": \"s3-destination\", \"flags\": [\"fast\"]}",
		"{\"kind\": \"backup-copy\", \"period\": \"daily\"}",
	};
	for (size_t i = 0; i < DT_ARRAY_LEN(bad); i++) {
		char text[1024];
		int n = snprintf(text, sizeof(text),
				 "{\"schema\": \"drtopo-topology/1\", "
				 "\"stacks\": [{\"id\": \"S\", \"resources\": "
				 "[{\"id\": \"B\", \"type\": \"T\", "
				 "\"replication\": [%s]}]}]}",
				 bad[i]);
		m = model();
		ck_assert_int_eq(drtopo_model_load_document_buffer(
					 m, text, (size_t)n, "bad.json"),
				 DRTOPO_ESCHEMA);
		drtopo_model_free(m);
	}
}
END_TEST

/* A bucket whose versioning status the template computes is neither
 * versioned nor unversioned (no DRT409); written out as a document and
 * read back it stays so ("unknown_flags"), byte for byte. */
START_TEST(versioning_unknown_round_trip)
{
	drtopo_model *m = model();
	load(m, "D", R2,
	     "{\"Parameters\": {\"V\": {\"Type\": \"String\"}}, "
	     "\"Resources\": {" BUCKET(
		     "Dst", "dst-u",
		     ", \"VersioningConfiguration\": {\"Status\": {\"Ref\": "
		     "\"V\"}}",
		     "") "}}");
	load(m, "S", R1,
	     "{\"Resources\": {" BUCKET("Src", "src-u", VERSIONED,
					RULE("\"arn:aws:s3:::dst-u\"")) "}}");
	ck_ok(m, drtopo_stack_add_dependency(dt_stack_find(m, "S"),
					     dt_stack_find(m, "D")));
	EXPECT(m, "");
	drtopo_resource *dst = dt_resource_find(dt_stack_find(m, "D"), "Dst");
	ck_assert_uint_eq(drtopo_resource_flags(dst), 0);
	char *out = NULL, *again = NULL;
	ck_ok(m, drtopo_model_to_json(m, &out, NULL));
	ck_assert_ptr_nonnull(
		strstr(out, "\"unknown_flags\": [\"versioned\"]"));
	drtopo_model *m2 = model();
	ck_ok(m2, drtopo_model_load_document_buffer(m2, out, strlen(out),
						    "u.json"));
	EXPECT(m2, "");
	ck_ok(m2, drtopo_model_to_json(m2, &again, NULL));
	ck_assert_str_eq(out, again);
	/* setting the flags through the API states them: no longer
	 * unknown, and not versioned */
	drtopo_resource *dst2 = dt_resource_find(dt_stack_find(m2, "D"), "Dst");
	ck_ok(m2, drtopo_resource_set_flags(dst2, 0));
	EXPECT(m2, "DRT409");
	drtopo_free(out);
	drtopo_free(again);
	drtopo_model_free(m2);
	drtopo_model_free(m);
}
END_TEST

/* ---- scale: many ARNs and settings stay linear -------------------------- */

START_TEST(many_arns_and_settings)
{
	enum { N = 20000 };
	drtopo_model *m = model();
	drtopo_stack *a = stack(m, "A", A1, R1), *b = stack(m, "B", A1, R2);
	drtopo_resource *p = res(b, "Policy", "AWS::IAM::Policy", NULL);
	char name[64], arn[160];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "t-%d", i);
		drtopo_resource *t = res(a, name, "AWS::DynamoDB::Table", name);
		snprintf(arn, sizeof(arn),
			 "arn:aws:dynamodb:us-east-2:111111111111:table/%s",
			 name);
		ck_ok(m, drtopo_resource_add_arn(p, arn, NULL));
		snprintf(name, sizeof(name), "b-%d", i);
		drtopo_resource *s = res(b, name, "AWS::S3::Bucket", name);
		ck_ok(m,
		      drtopo_resource_set_flags(s, DRTOPO_RESOURCE_VERSIONED));
		snprintf(name, sizeof(name), "b-%d", (i + 1) % N);
		snprintf(arn, sizeof(arn), "arn:aws:s3:::%s", name);
		drtopo_replication *x = NULL;
		ck_ok(m,
		      drtopo_resource_add_replication(
			      s, DRTOPO_REPLICATION_S3_DESTINATION, NULL, &x));
		ck_ok(m, drtopo_replication_set_target_text(x, arn));
		(void)t;
	}
	drtopo_result *r = NULL;
	ck_ok(m, drtopo_model_resolve(m, &r));
	/* every ARN names a table in us-east-1 only; every setting names a
	 * bucket of the same stack that it does not depend on */
	size_t n = 0;
	for (size_t i = 0; i < drtopo_result_diagnostic_count(r); i++)
		n += strncmp(drtopo_diagnostic_code(
				     drtopo_result_diagnostic(r, i)),
			     "DRT6", 4) != 0;
	ck_assert_uint_eq(n, 2 * N);
	drtopo_result_free(r);
	drtopo_model_free(m);
}
END_TEST

static Suite *repl_suite(void)
{
	Suite *s = suite_create("repl");
	TCase *tc = tcase_create("api");
	tcase_add_test(tc, api_read_back);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, s3_not_ordered_and_unversioned);
	tcase_add_test(tc, s3_target_shape);
	tcase_add_test(tc, same_stack_ordering);
	tcase_add_test(tc, followed_targets);
	tcase_add_test(tc, secret_replica_key_alias);
	tcase_add_test(tc, dangling_arn);
	tcase_add_test(tc, dangling_arn_agnostic);
	suite_add_tcase(s, tc);
	tc = tcase_create("templates");
	tcase_add_test(tc, template_same_stack);
	tcase_add_test(tc, template_versioning_and_shape);
	tcase_add_test(tc, template_dangling_arn);
	suite_add_tcase(s, tc);
	tc = tcase_create("documents");
	tcase_add_test(tc, document_round_trip);
	tcase_add_test(tc, versioning_unknown_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("scale");
	tcase_add_test(tc, many_arns_and_settings);
	suite_add_tcase(s, tc);
	return s;
}

DT_TEST_MAIN(repl_suite)
