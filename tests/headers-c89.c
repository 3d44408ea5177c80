/* The public headers are C89-clean: this file is compiled with -std=c89
 * -pedantic -Werror. It also checks that every declared type is usable. */
#include <drtopo/drtopo.h>

int main(void)
{
	drtopo_model *m = 0;
	drtopo_result *r = 0;
	const drtopo_diagnostic *d = 0;
	const drtopo_rule *rule = drtopo_rule_at(0);
	(void)d;
	if (drtopo_model_new(&m) != DRTOPO_OK)
		return 1;
	if (drtopo_model_resolve(m, &r) != DRTOPO_OK)
		return 1;
	drtopo_result_free(r);
	drtopo_model_free(m);
	return rule ? 0 : 1;
}
