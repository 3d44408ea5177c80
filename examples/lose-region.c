/*
 * lose-region: what the loss of one region leaves of a DR topology, read
 * through the simulation's accessors (drtopo_result_simulate(3)): each
 * stateful resource in the region, survives (through which copy, where,
 * expected RPO) or lost, and the stacks that are lost with it.
 * Uses only <drtopo/drtopo.h>.
 *
 *   cc lose-region.c $(pkg-config --cflags --libs drtopo) -o lose-region
 *   ./lose-region us-east-1 examples/seed-dr/fixed.json
 */
#include <stdio.h>

#include <drtopo/drtopo.h>

int main(int argc, char **argv)
{
	drtopo_model *m = NULL;
	drtopo_result *r = NULL;
	drtopo_simulation *sim = NULL;
	size_t j, lost = 0;
	int k, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s REGION INPUT...\n", argv[0]);
		return 2;
	}
	if (drtopo_model_new(&m) != DRTOPO_OK)
		return 3;
	for (k = 2; k < argc; k++) {
		if (drtopo_model_load(m, argv[k], NULL, NULL) != DRTOPO_OK) {
			fprintf(stderr, "%s\n", drtopo_model_errmsg(m));
			drtopo_model_free(m);
			return 2;
		}
	}
	rc = drtopo_model_resolve(m, &r);
	if (rc == DRTOPO_OK)
		rc = drtopo_result_simulate(r, argv[1], NULL, &sim);
	if (rc != DRTOPO_OK) {
		fprintf(stderr, "%s\n", drtopo_strerror(rc));
		drtopo_result_free(r);
		drtopo_model_free(m);
		return 3;
	}
	for (j = 0; j < drtopo_simulation_outcome_count(sim, 0); j++) {
		drtopo_resource *res;
		int outcome, mechanism;
		const char *region;
		long rpo;
		drtopo_simulation_outcome(sim, 0, j, &res, &outcome, &mechanism,
					  &region, &rpo, NULL);
		printf("%-9s %s/%s", drtopo_outcome_name(outcome),
		       drtopo_stack_id(drtopo_resource_stack(res)),
		       drtopo_resource_id(res));
		if (outcome == DRTOPO_OUTCOME_SURVIVES) {
			printf(" via %s in %s",
			       drtopo_mechanism_name(mechanism), region);
			if (rpo != DRTOPO_FIGURE_UNKNOWN)
				printf(", RPO %ld s", rpo);
		}
		putchar('\n');
		lost += outcome == DRTOPO_OUTCOME_LOST;
	}
	for (j = 0; j < drtopo_simulation_stack_count(sim, 0); j++) {
		drtopo_stack *s;
		int state;
		drtopo_simulation_stack(sim, 0, j, &s, &state, NULL);
		if (state == DRTOPO_STACK_STATE_LOST)
			printf("lost stack %s\n", drtopo_stack_id(s));
	}
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
	return lost ? 1 : 0;
}
