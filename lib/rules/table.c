/*
 * The rule catalogue: one row per rule, in code order. Codes and names
 * are a public contract (spec/rules.md): never renumber, only append.
 * The explanation is what `drtopo explain CODE` prints and what
 * drtopo-rules(7) says, section by section.
 */
#include "resolve.h"

#define E DRTOPO_SEVERITY_ERROR
#define W DRTOPO_SEVERITY_WARNING
#define I DRTOPO_SEVERITY_INFO

const struct drtopo_rule dt_rules[] = {
	{"DRT101", "dependency-cycle", E,
	 "stacks depend on each other in a loop", "", dt_rule_dependency_cycle},
	{"DRT102", "unknown-target", E,
	 "a link names a stack or resource that the model does not contain", "",
	 dt_rule_unknown_target},
	{"DRT103", "unresolved-environment", E,
	 "an env-agnostic stack is wired to a stack of an explicit environment",
	 "", dt_rule_unresolved_environment},
	{"DRT201", "cross-region-reference", E,
	 "a strong reference crosses regions with no carrier", "",
	 dt_rule_cross_region_reference},
	{"DRT202", "cross-account-reference", E,
	 "a strong reference crosses accounts with no carrier", "",
	 dt_rule_cross_account_reference},
	{"DRT203", "export-region-mismatch", E,
	 "an import names an export that exists only in another account or "
	 "region",
	 "", dt_rule_export_region_mismatch},
	{"DRT204", "missing-export", E,
	 "an import names an export that no stack produces", "",
	 dt_rule_missing_export},
	{"DRT205", "duplicate-export", E,
	 "two stacks in one account and region export the same name", "",
	 dt_rule_duplicate_export},
	{"DRT206", "stack-output-without-dependency", W,
	 "a stack-output read has no dependency path to its producer", "",
	 dt_rule_stack_output_without_dependency},
	{"DRT301", "parameter-not-found", W,
	 "a parameter is read that no stack writes anywhere", "",
	 dt_rule_parameter_not_found},
	{"DRT302", "parameter-region-mismatch", E,
	 "a parameter is read in a region where it is not written", "",
	 dt_rule_parameter_region_mismatch},
	{"DRT303", "parameter-read-before-write", E,
	 "a parameter reader has no dependency path to its writer", "",
	 dt_rule_parameter_read_before_write},
	{"DRT304", "duplicate-parameter-writer", E,
	 "two stacks write the same parameter in one account and region", "",
	 dt_rule_duplicate_parameter_writer},
	{"DRT401", "replica-key-missing", E,
	 "a replica region of a CMK-encrypted table has no replica key", "",
	 dt_rule_replica_key_missing},
	{"DRT402", "replica-key-for-table-region", E,
	 "the replica key map names the table's own region", "",
	 dt_rule_replica_key_for_table_region},
	{"DRT403", "replica-key-region-mismatch", E,
	 "a replica key lives in another region than its replica", "",
	 dt_rule_replica_key_region_mismatch},
	{"DRT404", "replica-key-without-replica", W,
	 "the replica key map names a region that is not a replica", "",
	 dt_rule_replica_key_without_replica},
	{"DRT405", "invalid-replica-region", E,
	 "a replica region is repeated, is the table's own, or the own is "
	 "missing",
	 "", dt_rule_invalid_replica_region},
	{"DRT406", "table-name-collision", E,
	 "two tables or replicas hold one table name in one account and region",
	 "", dt_rule_table_name_collision},
	{"DRT407", "replica-key-not-ordered", E,
	 "a replica key of another stack is not deployed before the table", "",
	 dt_rule_replica_key_not_ordered},
	{"DRT501", "bucket-name-collision", E,
	 "two S3 buckets share a name (the namespace is global)", "",
	 dt_rule_bucket_name_collision},
	{"DRT502", "physical-name-collision", E,
	 "two resources of one type share a physical name in one scope", "",
	 dt_rule_physical_name_collision},
};

const size_t dt_nrules = DT_ARRAY_LEN(dt_rules);

_Static_assert(DT_ARRAY_LEN(dt_rules) <= DT_MAX_RULES,
	       "raise DT_MAX_RULES with the catalogue");
