/* STUB: rules family graph (to be implemented). */
#include "resolve.h"

void dt_rule_dependency_cycle(dt_check *c)
{
	(void)c;
}

void dt_rule_unknown_target(dt_check *c)
{
	(void)c;
}

void dt_rule_unresolved_environment(dt_check *c)
{
	(void)c;
}
