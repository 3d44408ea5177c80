/* Allocation: the single door every library allocation goes through. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef DRTOPO_FAULT_INJECTION
/* Test builds only: a process-wide countdown armed by the oom suite. */
static unsigned long fault_at;	 /* 0: disarmed */
static unsigned long fault_seen; /* allocations since arming */
static int fault_hit;

void dt_fault_arm(unsigned long n)
{
	fault_at = n;
	fault_seen = 0;
	fault_hit = 0;
}

void dt_fault_disarm(void)
{
	fault_at = 0;
}

unsigned long dt_fault_count(void)
{
	return fault_seen;
}

int dt_fault_fired(void)
{
	return fault_hit;
}

static int fault_now(void)
{
	if (fault_at == 0)
		return 0;
	if (++fault_seen >= fault_at) {
		fault_hit = 1;
		return 1;
	}
	return 0;
}
#else
#define fault_now() 0
#endif

void *dt_malloc(size_t n)
{
	if (fault_now())
		return NULL;
	return malloc(n ? n : 1);
}

void *dt_calloc(size_t count, size_t size)
{
	if (fault_now())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *dt_realloc(void *p, size_t n)
{
	if (fault_now())
		return NULL;
	return realloc(p, n ? n : 1);
}

void dt_free(void *p)
{
	free(p);
}

char *dt_strndup(const char *s, size_t n)
{
	char *d = dt_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

size_t dt_mul(size_t a, size_t b, int *ok)
{
	if (b && a > SIZE_MAX / b) {
		*ok = 0;
		return 0;
	}
	return a * b;
}
