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

/* Detect with errors recorded on m. */
static int detect(drtopo_model *m, const char *path)
{
	if (is_dir(path))
		return has_manifest(path, m);
	dt_src src;
	json_t *root = NULL;
	int rc = dt_src_read(&src, m, path, NULL);
	if (rc == DRTOPO_OK)
		rc = dt_json_parse(&src, &root);
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
	rc = detect(m, path);
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
	int kind = detect(m, path);
	switch (kind) {
	case DRTOPO_INPUT_DOCUMENT: return drtopo_model_load_document(m, path);
	case DRTOPO_INPUT_ASSEMBLY: return drtopo_model_load_assembly(m, path);
	case DRTOPO_INPUT_TEMPLATE:
		return drtopo_model_load_template(m, path, NULL, account,
						  region);
	default: return kind;
	}
}
