/* A drtopo_write_fn for the tests of the streamed reports: it gathers the
 * pieces, counts the calls and can fail one of them. Internal (dt_buf):
 * for tests built against the library's internal headers. */
#ifndef DT_TEST_PIECES_H
#define DT_TEST_PIECES_H

#include <check.h>

#include "util/util.h"

typedef struct pieces {
	dt_buf text;
	size_t calls, fail_at; /* fail the fail_at-th call (0: never) */
} pieces;

static int take_piece(void *ctx, const char *data, size_t len)
{
	pieces *p = ctx;
	p->calls++;
	if (p->calls == p->fail_at)
		return -1;
	ck_assert_uint_gt(len, 0);
	dt_buf_put(&p->text, data, len);
	return 0;
}

#endif
