/*
 * Argument checks shared by the files that implement the public model API
 * (model.c, repl.c, objectives.c): a failed check records "invalid
 * argument: '<expr>'" on the model (when there is one) and returns
 * DRTOPO_EINVAL; text the library stores must be UTF-8 (it ends up in
 * JSON).
 */
#ifndef DT_APICHECK_H
#define DT_APICHECK_H

#include <string.h>

#include "model.h"

static inline int arg_error(drtopo_model *m, const char *expr)
{
	if (m)
		dt_model_error(m, DRTOPO_EINVAL, "invalid argument: '%s'",
			       expr);
	return DRTOPO_EINVAL;
}

#define return_if_fail(m, expr)                       \
	do {                                          \
		if (!(expr))                          \
			return arg_error((m), #expr); \
	} while (0)

/* NULL or valid UTF-8. */
static inline int text_ok(const char *s)
{
	return !s || dt_utf8_valid(s, strlen(s));
}

/* Non-empty valid UTF-8. */
static inline int nonempty(const char *s)
{
	return s && *s && text_ok(s);
}

static inline int oom(drtopo_model *m)
{
	return dt_model_error(m, DRTOPO_ENOMEM, "out of memory");
}

#endif /* DT_APICHECK_H */
