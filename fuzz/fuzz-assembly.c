/* fuzz-assembly: a cloud assembly as one input. The input is split at
 * lines "==== NAME" into files: the text before the first such line is
 * manifest.json, each later part is the file NAME (letters, digits,
 * '.', '-', '_' and '/' for subdirectories; ".." is refused, so every
 * file stays inside the scratch directory; the manifest itself may
 * still point anywhere). The files go to a fresh temporary directory,
 * drtopo_model_load_assembly() reads it, then resolve and serializers. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-common.h"

#define SEP "\n==== "

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static int safe_name(const char *s, size_t n)
{
	if (n == 0 || n > 100 || s[0] == '/')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_' || c == '/'))
			return 0;
		if (c == '.' && i + 1 < n && s[i + 1] == '.')
			return 0;
	}
	return s[n - 1] != '/';
}

static void write_file(const char *root, const char *name, size_t nlen,
		       const uint8_t *data, size_t len)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%.*s", root, (int)nlen, name);
	/* create the subdirectories */
	for (char *s = p + strlen(root) + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	FILE *f = fopen(p, "wb");
	if (!f)
		return;
	if (len)
		fwrite(data, 1, len, f);
	fclose(f);
}

static const uint8_t *find(const uint8_t *p, const uint8_t *end)
{
	size_t k = sizeof(SEP) - 1;
	for (; p + k <= end; p++)
		if (*p == '\n' && memcmp(p, SEP, k) == 0)
			return p;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[4096];
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof(root), "%s/drtopo-fuzz-asm-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		return 0;

	const uint8_t *end = data + size, *p = data;
	const uint8_t *sep = find(p, end);
	write_file(root, "manifest.json", 13, p,
		   (size_t)((sep ? sep : end) - p));
	int files = 0;
	while (sep && files < 32) {
		const uint8_t *name = sep + sizeof(SEP) - 1;
		const uint8_t *nl = memchr(name, '\n', (size_t)(end - name));
		const uint8_t *body = nl ? nl + 1 : end;
		size_t nlen = (size_t)((nl ? nl : end) - name);
		sep = find(nl ? nl : end, end);
		if (safe_name((const char *)name, nlen))
			write_file(root, (const char *)name, nlen, body,
				   (size_t)((sep ? sep : end) - body));
		files++;
	}

	drtopo_model *m = NULL;
	if (drtopo_model_new(&m) == DRTOPO_OK) {
		drtopo_model_set_limit(m, DRTOPO_LIMIT_DEPTH, 64);
		drtopo_model_set_limit(m, DRTOPO_LIMIT_ASSEMBLY_DEPTH, 4);
		int rc = drtopo_model_load_assembly(m, root);
		FUZZ_CHECK(rc <= 0);
		fuzz_resolve_and_serialize(m);
		if (rc == DRTOPO_OK)
			fuzz_round_trip(m);
		drtopo_model_free(m);
	}
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
