/* Replay inputs through a fuzz target without libFuzzer:
 *
 *   fuzz-replay-TARGET [--nonempty] FILE_OR_DIR...
 *
 * Each argument is a file or a directory of files (not recursive; names
 * starting with '.' are left out). --nonempty: fail when no input was
 * found. Built in every build (tests: fuzz-replay suite), so the
 * committed corpus and every crash regression run with gcc, under
 * valgrind and in sanitizer builds too. A crash names the input. */
#define _XOPEN_SOURCE 700 /* sigaltstack, SA_ONSTACK */
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-common.h"

/* The input being replayed, named when the process dies. */
static const char *current;

static void say(const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t k = write(2, s, n);
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

static void say_current(void)
{
	if (current) {
		say("fuzz-replay: died on input ");
		say(current);
		say("\n");
	}
}

static void on_signal(int sig)
{
	say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* In a sanitizer build the runtime reports and exits without a signal;
 * it calls this callback first. Absent (NULL) in a plain build. */
void __sanitizer_set_death_callback(void (*callback)(void))
	__attribute__((weak));

static void name_inputs_on_death(void)
{
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(say_current);
		return;
	}
	/* deep recursion overflows the stack: handle SIGSEGV on another */
	static char altstack[1 << 16];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			uint8_t *b = realloc(buf, cap *= 2);
			if (!b) {
				free(buf);
				buf = NULL;
			}
			buf = b;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	/* a copy of exactly n bytes, so that ASan sees overreads */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return 1;
	}
	memcpy(exact, buf, n);
	free(buf);
	current = path;
	LLVMFuzzerTestOneInput(exact, n);
	current = NULL;
	free(exact);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0, count = 0, nonempty = 0;
	name_inputs_on_death();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--nonempty") == 0) {
			nonempty = 1;
			continue;
		}
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= run_file(argv[i]);
			count++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char p[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", argv[i], e->d_name);
			bad |= run_file(p);
			count++;
		}
		if (d)
			closedir(d);
	}
	printf("replayed %d inputs\n", count);
	if (nonempty && count == 0) {
		fprintf(stderr, "fuzz-replay: no input found\n");
		bad = 1;
	}
	return bad;
}
