/* STUB: rules family names (to be implemented). */
#include "resolve.h"

void dt_rule_bucket_name_collision(dt_check *c)
{
	(void)c;
}

void dt_rule_physical_name_collision(dt_check *c)
{
	(void)c;
}
