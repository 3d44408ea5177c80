/* Versions, status texts, severities, and the caller-facing free(). */
#include <string.h>

#include "util/util.h"
#include "drtopo/common.h"

const char *drtopo_version(void)
{
	return DRTOPO_VERSION_STRING;
}

const char *drtopo_strerror(int status)
{
	switch (status) {
	case DRTOPO_OK: return "success";
	case DRTOPO_ERROR: return "internal error";
	case DRTOPO_ENOMEM: return "out of memory";
	case DRTOPO_EINVAL: return "invalid argument";
	case DRTOPO_ENOTFOUND: return "not found";
	case DRTOPO_EEXIST: return "already exists";
	case DRTOPO_EPARSE: return "malformed JSON";
	case DRTOPO_ESCHEMA: return "input does not match its format";
	case DRTOPO_EIO: return "input/output error";
	case DRTOPO_ELIMIT: return "input exceeds a limit";
	default: return "unknown status";
	}
}

static const char *const severity_names[] = {"off", "info", "warning", "error"};

const char *drtopo_severity_name(int severity)
{
	if (severity < 0 || severity > DRTOPO_SEVERITY_ERROR)
		return NULL;
	return severity_names[severity];
}

int drtopo_severity_from_name(const char *name)
{
	if (!name)
		return DRTOPO_EINVAL;
	for (int i = 0; i <= DRTOPO_SEVERITY_ERROR; i++) {
		if (strcmp(name, severity_names[i]) == 0)
			return i;
	}
	if (strcmp(name, "note") == 0)
		return DRTOPO_SEVERITY_INFO;
	return DRTOPO_EINVAL;
}

void drtopo_free(void *ptr)
{
	dt_free(ptr);
}
