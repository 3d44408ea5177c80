/*
 * Model builders shared by the rule suites: each asserts success, so a
 * test reads as the topology it builds.
 */
#ifndef DT_TEST_BUILDERS_H
#define DT_TEST_BUILDERS_H

#include "testutil.h"

static inline drtopo_model *model(void)
{
	drtopo_model *m = NULL;
	ck_assert_int_eq(drtopo_model_new(&m), DRTOPO_OK);
	return m;
}

static inline drtopo_stack *stack(drtopo_model *m, const char *id,
				  const char *account, const char *region)
{
	drtopo_stack *s = NULL;
	ck_ok(m, drtopo_model_add_stack(m, id, account, region, &s));
	return s;
}

static inline drtopo_resource *res(drtopo_stack *s, const char *id,
				   const char *type, const char *name)
{
	drtopo_resource *r = NULL;
	ck_ok(drtopo_stack_model(s),
	      drtopo_stack_add_resource(s, id, type, name, &r));
	return r;
}

#endif
