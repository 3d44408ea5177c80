/*
 * What an input is, from its content, and loading any input by kind.
 *
 *   a directory holding manifest.json           -> cloud assembly
 *   {"schema": "drtopo-topology/..."}           -> topology document
 *   {"Resources": ...} / {"AWSTemplateFormatVersion": ...}
 *                                               -> CloudFormation template
 *   {"artifacts": {...}} / {"version": "..."}   -> cloud assembly manifest
 *
 * The file name never decides: a template called manifest.json is a
 * template.
 */
#include <string.h>
#include <sys/stat.h>

#include "load/jsonutil.h"

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_manifest(const char *dir, drtopo_model *m)
{
	struct stat st;
	dt_buf b = DT_BUF_INIT;
	dt_buf_printf(&b, "%s/manifest.json", dir);
	if (b.oom) {
		dt_buf_free(&b);
		return DRTOPO_ENOMEM;
	}
	int found = stat(b.p, &st) == 0 && S_ISREG(st.st_mode);
	dt_buf_free(&b);
	if (!found && m)
		dt_model_error_at(m, DRTOPO_EIO, dir, 0, 0, NULL,
				  "a directory without manifest.json (not a "
				  "cloud assembly)");
	return found ? DRTOPO_INPUT_ASSEMBLY : DRTOPO_EIO;
}

/* Classify a parsed root. */
static int classify(const json_t *root)
{
	static const char prefix[] = "drtopo-topology/";
	if (!json_is_object(root))
		return DRTOPO_ESCHEMA;
	const char *schema = json_string_value(json_object_get(root, "schema"));
	if (schema && strncmp(schema, prefix, sizeof(prefix) - 1) == 0)
		return DRTOPO_INPUT_DOCUMENT;
	if (json_is_object(json_object_get(root, "Resources")) ||
	    json_object_get(root, "AWSTemplateFormatVersion"))
		return DRTOPO_INPUT_TEMPLATE;
	if (json_is_object(json_object_get(root, "artifacts")) ||
	    json_is_string(json_object_get(root, "version")))
		return DRTOPO_INPUT_ASSEMBLY;
	return DRTOPO_ESCHEMA;
}

/* ---- a quick look at the top-level keys ---------------------------
 * Telling the kind needs four top-level members, but a full parse costs
 * as much as the load that follows (a third of `drtopo plan` on a large
 * document). So the text is scanned once, values skipped by bracket
 * matching; whatever the scan cannot be sure of (malformed text, keys
 * with escapes) falls back to the full parse, which also gives the
 * precise error. */

typedef struct scan {
	const char *p, *end;
} scan;

static void skip_ws(scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* At a '"': the string's body [*b, *e), or 0 on malformed text. Sets
 * *escaped when the body holds a backslash. */
static int scan_string(scan *s, const char **b, const char **e, int *escaped)
{
	*escaped = 0;
	*b = ++s->p;
	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\') {
			*escaped = 1;
			s->p++;
		}
		s->p++;
	}
	if (s->p >= s->end)
		return 0;
	*e = s->p++;
	return 1;
}

/* Skip one value; 0 on malformed text. */
static int skip_value(scan *s)
{
	size_t depth = 0;
	const char *b, *e;
	int esc;
	do {
		skip_ws(s);
		if (s->p >= s->end)
			return 0;
		switch (*s->p) {
		case '"':
			if (!scan_string(s, &b, &e, &esc))
				return 0;
			break;
		case '{':
		case '[': depth++, s->p++; break;
		case '}':
		case ']':
			if (!depth)
				return 0;
			depth--, s->p++;
			break;
		default:
			/* numbers, literals, ',' and ':' inside containers */
			s->p++;
			while (s->p < s->end &&
			       !strchr("\"{}[],: \t\r\n", *s->p))
				s->p++;
			break;
		}
	} while (depth);
	return 1;
}

static int key_is(const char *b, const char *e, const char *key)
{
	size_t n = strlen(key);
	return (size_t)(e - b) == n && memcmp(b, key, n) == 0;
}

/* The kind of a JSON text from its top-level keys, or 0: can't tell. */
static int classify_text(const char *text, size_t len)
{
	static const char prefix[] = "drtopo-topology/";
	scan s = {text, text + len};
	int document = 0, resources = 0, cfn_version = 0, artifacts = 0,
	    version = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		s.p += 3;
	skip_ws(&s);
	if (s.p >= s.end || *s.p++ != '{')
		return 0;
	for (;;) {
		const char *kb, *ke, *vb, *ve;
		int esc;
		skip_ws(&s);
		if (s.p < s.end && *s.p == '}')
			break;
		if (s.p >= s.end || *s.p != '"' ||
		    !scan_string(&s, &kb, &ke, &esc) || esc)
			return 0;
		skip_ws(&s);
		if (s.p >= s.end || *s.p++ != ':')
			return 0;
		skip_ws(&s);
		if (s.p >= s.end)
			return 0;
		char first = *s.p;
		if (key_is(kb, ke, "schema") && first == '"') {
			if (!scan_string(&s, &vb, &ve, &esc))
				return 0;
			document = (size_t)(ve - vb) >= sizeof(prefix) - 1 &&
				   memcmp(vb, prefix, sizeof(prefix) - 1) == 0;
			/* A document whatever follows: the loader reports
			 * the rest of the text, malformed or not, with the
			 * same words as a full parse here would. */
			if (document)
				return DRTOPO_INPUT_DOCUMENT;
		} else {
			resources |=
				key_is(kb, ke, "Resources") && first == '{';
			cfn_version |=
				key_is(kb, ke, "AWSTemplateFormatVersion");
			artifacts |=
				key_is(kb, ke, "artifacts") && first == '{';
			version |= key_is(kb, ke, "version") && first == '"';
			if (!skip_value(&s))
				return 0;
		}
		skip_ws(&s);
		if (s.p < s.end && *s.p == ',') {
			s.p++;
			continue;
		}
		if (s.p < s.end && *s.p == '}')
			break;
		return 0;
	}
	if (document)
		return DRTOPO_INPUT_DOCUMENT;
	if (resources || cfn_version)
		return DRTOPO_INPUT_TEMPLATE;
	if (artifacts || version)
		return DRTOPO_INPUT_ASSEMBLY;
	return 0;
}

/* Detect with errors recorded on m. When `keep` is not NULL and the
 * input is a document told by its text, the text read is handed over
 * in *keep (the caller frees it), so that the loader does not read the
 * file again. */
static int detect(drtopo_model *m, const char *path, dt_src *keep)
{
	if (is_dir(path))
		return has_manifest(path, m);
	dt_src src;
	json_t *root = NULL;
	int rc = dt_src_read(&src, m, path, NULL);
	if (rc == DRTOPO_OK) {
		int kind = classify_text(src.text, src.len);
		if (kind == DRTOPO_INPUT_DOCUMENT && keep) {
			*keep = src;
			return kind;
		}
		if (kind > 0) {
			dt_src_free(&src);
			return kind;
		}
		rc = dt_json_parse(&src, &root);
	}
	if (rc == DRTOPO_OK) {
		rc = classify(root);
		json_decref(root);
		if (rc < 0)
			dt_model_error_at(m, rc, src.name, 0, 0, NULL,
					  "not a topology document, a cloud "
					  "assembly manifest or a "
					  "CloudFormation template");
	}
	dt_src_free(&src);
	return rc;
}

int drtopo_input_kind(const char *path)
{
	drtopo_model *m = NULL;
	if (!path || !*path)
		return DRTOPO_EINVAL;
	/* a scratch model gives the default limits and takes the error
	 * text, which this call does not report */
	int rc = drtopo_model_new(&m);
	if (rc)
		return rc;
	rc = detect(m, path, NULL);
	drtopo_model_free(m);
	return rc;
}

int drtopo_model_load(drtopo_model *m, const char *path, const char *account,
		      const char *region)
{
	if (!m)
		return DRTOPO_EINVAL;
	if (!path || !*path)
		return dt_model_error(m, DRTOPO_EINVAL,
				      "invalid argument: 'path'");
	dt_src text;
	memset(&text, 0, sizeof(text));
	int kind = detect(m, path, &text);
	if (text.text) {
		int rc = dt_document_load_src(m, &text);
		dt_src_free(&text);
		return rc;
	}
	switch (kind) {
	case DRTOPO_INPUT_DOCUMENT: return drtopo_model_load_document(m, path);
	case DRTOPO_INPUT_ASSEMBLY: return drtopo_model_load_assembly(m, path);
	case DRTOPO_INPUT_TEMPLATE:
		return drtopo_model_load_template(m, path, NULL, account,
						  region);
	default: return kind;
	}
}
