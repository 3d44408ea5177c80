/*
 * seed-plan: build the seed DR topology (the "fixed" wiring of
 * examples/seed-dr/) through the C API and print its deployment plan and
 * findings. Uses only <drtopo/drtopo.h>.
 *
 *   cc seed-plan.c $(pkg-config --cflags --libs drtopo) -o seed-plan
 */
#include <stdio.h>
#include <stdlib.h>

#include <drtopo/drtopo.h>

#define P "us-east-1"
#define S "us-east-2"

/* Stop at the first error, printing what the library said. */
#define TRY(expr)                                                     \
	do {                                                          \
		int rc_ = (expr);                                     \
		if (rc_ != DRTOPO_OK) {                               \
			fprintf(stderr, "seed-plan: %s: %s\n", #expr, \
				drtopo_model_errmsg(m));              \
			drtopo_model_free(m);                         \
			return EXIT_FAILURE;                          \
		}                                                     \
	} while (0)

struct stack_def {
	const char *id, *region;
};

static const struct stack_def stacks[] = {
	{"KmsPrimary-dev", P},	      {"KmsSecondary-dev", S},
	{"NetworkPrimary-dev", P},    {"NetworkSecondary-dev", S},
	{"MonitoringPrimary-dev", P}, {"MonitoringSecondary-dev", S},
	{"DatabasePrimary-dev", P},   {"DatabaseSecondary-dev", S},
	{"StoragePrimary-dev", P},    {"StorageSecondary-dev", S},
	{"ComputePrimary-dev", P},    {"ComputeSecondary-dev", S},
	{"BackupPrimary-dev", P},     {"BackupSecondary-dev", S},
	{"Failover-dev", P},
};

/* Who deploys after whom (the seed's deployment order). */
static const char *const deps[][2] = {
	{"DatabasePrimary-dev", "KmsPrimary-dev"},
	{"DatabasePrimary-dev", "NetworkPrimary-dev"},
	{"DatabaseSecondary-dev", "KmsSecondary-dev"},
	{"DatabaseSecondary-dev", "NetworkSecondary-dev"},
	{"StoragePrimary-dev", "KmsPrimary-dev"},
	{"StoragePrimary-dev", "KmsSecondary-dev"},
	{"StorageSecondary-dev", "KmsSecondary-dev"},
	{"ComputePrimary-dev", "StoragePrimary-dev"},
	{"ComputePrimary-dev", "NetworkPrimary-dev"},
	{"ComputePrimary-dev", "MonitoringPrimary-dev"},
	{"ComputeSecondary-dev", "StorageSecondary-dev"},
	{"ComputeSecondary-dev", "NetworkSecondary-dev"},
	{"ComputeSecondary-dev", "MonitoringSecondary-dev"},
	{"BackupPrimary-dev", "DatabasePrimary-dev"},
	{"BackupPrimary-dev", "StoragePrimary-dev"},
	{"BackupSecondary-dev", "DatabaseSecondary-dev"},
	{"BackupSecondary-dev", "StorageSecondary-dev"},
	{"Failover-dev", "ComputePrimary-dev"},
	{"Failover-dev", "ComputeSecondary-dev"},
};

static drtopo_stack *find(drtopo_model *m, const char *id)
{
	drtopo_stack *s = NULL;
	drtopo_model_find_stack(m, id, &s);
	return s;
}

int main(void)
{
	drtopo_model *m = NULL;
	drtopo_stack *s;
	drtopo_resource *key2, *table;
	drtopo_param *w;
	drtopo_result *r = NULL;
	size_t i, j;

	if (drtopo_model_new(&m) != DRTOPO_OK)
		return EXIT_FAILURE;
	for (i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++)
		TRY(drtopo_model_add_stack(m, stacks[i].id, NULL,
					   stacks[i].region, NULL));
	for (i = 0; i < sizeof(deps) / sizeof(deps[0]); i++)
		TRY(drtopo_stack_add_dependency(find(m, deps[i][0]),
						find(m, deps[i][1])));

	/* The secondary key, carried into us-east-1 the way CDK's
	 * crossRegionReferences does: a writer in the producer stack writes
	 * a parameter into the consumer's region, the consumer reads it. */
	s = find(m, "KmsSecondary-dev");
	TRY(drtopo_stack_add_resource(s, "Key", "AWS::KMS::Key", NULL, &key2));
	TRY(drtopo_stack_write_parameter(
		s, "/cdk/exports/StoragePrimary-dev/KmsSecondaryKeyArn", P,
		NULL, &w));
	TRY(drtopo_param_set_value_resource(w, key2, "Arn"));
	TRY(drtopo_stack_read_parameter(
		find(m, "StoragePrimary-dev"),
		"/cdk/exports/StoragePrimary-dev/KmsSecondaryKeyArn", NULL,
		NULL, NULL));

	/* The global table: replica in us-east-2 with that region's key. */
	s = find(m, "StoragePrimary-dev");
	TRY(drtopo_stack_add_resource(s, "SessionsTable",
				      "AWS::DynamoDB::GlobalTable",
				      "dr-sessions-dev", &table));
	TRY(drtopo_resource_add_replica(table, S));
	TRY(drtopo_resource_set_cmk_arn(
		table, "arn:aws:kms:us-east-1:111111111111:key/primary"));
	TRY(drtopo_resource_set_replica_key(table, S, key2));

	TRY(drtopo_model_resolve(m, &r));
	printf("%zu stacks in %zu waves\n", drtopo_model_stack_count(m),
	       drtopo_result_wave_count(r));
	for (i = 0; i < drtopo_result_wave_count(r); i++) {
		printf("wave %zu:", i + 1);
		for (j = 0; j < drtopo_result_wave_size(r, i); j++)
			printf(" %s", drtopo_stack_id(drtopo_result_wave_stack(
					      r, i, j)));
		printf("\n");
	}
	for (i = 0; i < drtopo_result_diagnostic_count(r); i++) {
		const drtopo_diagnostic *d = drtopo_result_diagnostic(r, i);
		printf("%s %s %s: %s\n",
		       drtopo_severity_name(drtopo_diagnostic_severity(d)),
		       drtopo_diagnostic_code(d), drtopo_diagnostic_stack(d),
		       drtopo_diagnostic_message(d));
	}
	printf("%zu errors, %zu warnings\n",
	       drtopo_result_count(r, DRTOPO_SEVERITY_ERROR),
	       drtopo_result_count(r, DRTOPO_SEVERITY_WARNING));
	drtopo_result_free(r);
	drtopo_model_free(m);
	return EXIT_SUCCESS;
}
