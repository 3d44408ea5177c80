/* STUB: rules family tables (to be implemented). */
#include "resolve.h"

void dt_rule_replica_key_missing(dt_check *c)
{
	(void)c;
}

void dt_rule_replica_key_for_table_region(dt_check *c)
{
	(void)c;
}

void dt_rule_replica_key_region_mismatch(dt_check *c)
{
	(void)c;
}

void dt_rule_replica_key_without_replica(dt_check *c)
{
	(void)c;
}

void dt_rule_invalid_replica_region(dt_check *c)
{
	(void)c;
}

void dt_rule_table_name_collision(dt_check *c)
{
	(void)c;
}

void dt_rule_replica_key_not_ordered(dt_check *c)
{
	(void)c;
}
