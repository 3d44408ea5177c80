/* STUB: rules family params (to be implemented). */
#include "resolve.h"

void dt_rule_parameter_not_found(dt_check *c)
{
	(void)c;
}

void dt_rule_parameter_region_mismatch(dt_check *c)
{
	(void)c;
}

void dt_rule_parameter_read_before_write(dt_check *c)
{
	(void)c;
}

void dt_rule_duplicate_parameter_writer(dt_check *c)
{
	(void)c;
}
