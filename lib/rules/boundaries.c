/* STUB: rules family boundaries (to be implemented). */
#include "resolve.h"

void dt_rule_cross_region_reference(dt_check *c)
{
	(void)c;
}

void dt_rule_cross_account_reference(dt_check *c)
{
	(void)c;
}

void dt_rule_export_region_mismatch(dt_check *c)
{
	(void)c;
}

void dt_rule_missing_export(dt_check *c)
{
	(void)c;
}

void dt_rule_duplicate_export(dt_check *c)
{
	(void)c;
}

void dt_rule_stack_output_without_dependency(dt_check *c)
{
	(void)c;
}
