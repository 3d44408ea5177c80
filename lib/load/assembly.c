/*
 * CDK cloud assemblies (what `cdk synth` writes to cdk.out/): the
 * manifest, its stack templates, and nested assemblies (Stages).
 *
 * manifest.json -> model:
 *  - each `aws:cloudformation:stack` artifact is a stack: id = artifact
 *    id, display name = displayName, CloudFormation stack name =
 *    properties.stackName or the artifact id, environment from
 *    `aws://ACCOUNT/REGION` (`unknown-account` / `unknown-region`: NULL);
 *  - `dependencies` naming stack artifacts are explicit dependencies
 *    (asset manifests and other artifacts are skipped; a name that is no
 *    artifact of the manifest is an error);
 *  - properties.templateFile is read and mapped (lib/load/template.c),
 *    one template at a time, freed before the next; it is the only file
 *    required besides the manifests (asset manifests, *.metadata.json and
 *    tree.json may be absent);
 *  - `cdk:cloud-assembly` artifacts (properties.directoryName) are read
 *    recursively, up to DRTOPO_LIMIT_ASSEMBLY_DEPTH levels.
 *
 * Ids in nested assemblies: the artifact id prefixed by the path of
 * nested-assembly artifact ids that leads to it, joined with '/':
 * "assembly-Stage/StageStackC6730065" (and "assembly-A/assembly-A-B/X"
 * two levels down). Artifact ids never contain '/', so these cannot clash
 * with top-level ids, and siblings reading the same directory stay apart.
 * Dependencies resolve within their own manifest (CDK forbids them across
 * Stages).
 *
 * Source locations: files relative to the assembly root (the directory
 * of the top manifest), e.g. "assembly-Stage/X.template.json"; a stack
 * points at "/artifacts/<id>" of its manifest, a dependency at its entry.
 * Paths are resolved with realpath(): a template or nested directory
 * outside the root, or a nested assembly that is the assembly itself or
 * one of its parents (a cycle), is an error.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/cfn.h"

#define STACK_TYPE "aws:cloudformation:stack"
#define NESTED_TYPE "cdk:cloud-assembly"

typedef struct asm_ctx {
	drtopo_model *m;
	char *root; /* realpath of the assembly directory (malloc) */
	size_t rootlen;
	dt_vec chain; /* char *: real directories of the open manifests */
} asm_ctx;

/* Is real (a realpath) inside the root? Returns its path relative to
 * the root ("" for the root itself), or NULL when outside. */
static const char *relative(const asm_ctx *c, const char *real)
{
	if (c->rootlen == 1 && c->root[0] == '/')
		return real[0] == '/' ? real + 1 : NULL;
	if (strncmp(real, c->root, c->rootlen) != 0)
		return NULL;
	if (real[c->rootlen] == '\0')
		return real + c->rootlen;
	return real[c->rootlen] == '/' ? real + c->rootlen + 1 : NULL;
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = dt_malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

/* realpath() into library memory; NULL with errno set. */
static char *real_path(const char *path)
{
	char *r = realpath(path, NULL);
	if (!r)
		return NULL;
	char *copy = dt_strndup(r, strlen(r));
	free(r);
	if (!copy)
		errno = ENOMEM;
	return copy;
}

/* One manifest being read. */
typedef struct manifest {
	asm_ctx *c;
	dt_src src;
	json_t *root;
	json_t *artifacts;
	const char *dir;    /* its real directory */
	const char *prefix; /* id prefix: "" or "assembly-X/" */
	size_t depth;
	dt_buf ptr; /* scratch JSON pointer */
} manifest;

static const char *ptr_of(manifest *mf, const char *id, const char *a,
			  const char *b)
{
	mf->ptr.len = 0;
	dt_buf_put(&mf->ptr, "", 0);
	cfn_ptr_push(&mf->ptr, "artifacts");
	if (id)
		cfn_ptr_push(&mf->ptr, id);
	if (a)
		cfn_ptr_push(&mf->ptr, a);
	if (b)
		cfn_ptr_push(&mf->ptr, b);
	return mf->ptr.oom ? "" : mf->ptr.p;
}

static int bad(manifest *mf, int status, const char *pointer, const char *fmt,
	       const char *a, const char *b)
{
	return dt_src_error(&mf->src, status, pointer, fmt, a, b);
}

static int nomem(manifest *mf)
{
	return dt_model_error(mf->c->m, DRTOPO_ENOMEM, "out of memory");
}

/* "aws://ACCOUNT/REGION"; unknown-account / unknown-region: NULL. */
static int parse_env(manifest *mf, const char *id, json_t *env,
		     const char **account, const char **region)
{
	drtopo_model *m = mf->c->m;
	*account = *region = NULL;
	if (!env)
		return 0;
	const char *pointer = ptr_of(mf, id, "environment", NULL);
	const char *s = json_string_value(env);
	const char *acct = s && strncmp(s, "aws://", 6) == 0 ? s + 6 : NULL;
	const char *slash = acct ? strchr(acct, '/') : NULL;
	if (!slash || slash == acct || !slash[1] || strchr(slash + 1, '/'))
		return bad(mf, DRTOPO_ESCHEMA, pointer,
			   "invalid environment '%s'%s: expected "
			   "\"aws://ACCOUNT/REGION\"",
			   s ? s : "", s ? "" : " (not a string)");
	size_t an = (size_t)(slash - (s + 6));
	if (!(an == 15 && memcmp(s + 6, "unknown-account", 15) == 0) &&
	    !(*account = dt_strn(m, s + 6, an)))
		return nomem(mf);
	if (strcmp(slash + 1, "unknown-region") != 0 &&
	    !(*region = dt_str(m, slash + 1)))
		return nomem(mf);
	return 0;
}

static const char *full_id(manifest *mf, const char *id)
{
	dt_buf b = DT_BUF_INIT;
	dt_buf_puts(&b, mf->prefix);
	dt_buf_puts(&b, id);
	const char *r = b.oom ? NULL : dt_strn(mf->c->m, b.p, b.len);
	dt_buf_free(&b);
	return r;
}

/* The stack's tags drtopo:rpo, drtopo:rto, drtopo:strategy (CDK
 * Tags.of(stack)), as its objectives. */
static void stack_objectives(drtopo_model *m, drtopo_stack *s, json_t *tags)
{
	dt_objectives o = DT_OBJECTIVES_NONE;
	const char *key;
	json_t *v;
	json_object_foreach(tags, key, v)
		dt_objective_tag(&o, key, json_string_value(v));
	if (o.rpo >= 0 || o.rto >= 0 || o.strategy)
		dt_objectives_set(m, &s->obj, o.rpo, o.rto, o.strategy);
}

static const char *artifact_type(json_t *art)
{
	return json_string_value(json_object_get(art, "type"));
}

/* Pass 1: check every artifact and create the stacks. */
static int create_stacks(manifest *mf)
{
	drtopo_model *m = mf->c->m;
	const char *id;
	json_t *art;
	json_object_foreach(mf->artifacts, id, art)
	{
		if (!json_is_object(art))
			return bad(mf, DRTOPO_ESCHEMA,
				   ptr_of(mf, id, NULL, NULL),
				   "artifact '%s' must be an object%s", id, "");
		const char *type = artifact_type(art);
		if (!type)
			return bad(mf, DRTOPO_ESCHEMA,
				   ptr_of(mf, id, "type", NULL),
				   "artifact '%s' has no type%s", id, "");
		json_t *props = json_object_get(art, "properties");
		int stack = strcmp(type, STACK_TYPE) == 0;
		if (!stack && strcmp(type, NESTED_TYPE) != 0)
			continue;
		if (!json_is_object(props))
			return bad(mf, DRTOPO_ESCHEMA,
				   ptr_of(mf, id, "properties", NULL),
				   "artifact '%s' has no properties object%s",
				   id, "");
		if (!stack) {
			json_t *d = json_object_get(props, "directoryName");
			if (!json_is_string(d) || !json_string_length(d))
				return bad(mf, DRTOPO_ESCHEMA,
					   ptr_of(mf, id, "properties",
						  "directoryName"),
					   "nested assembly '%s' has no "
					   "directoryName%s",
					   id, "");
			continue;
		}
		json_t *tf = json_object_get(props, "templateFile");
		if (!json_is_string(tf) || !json_string_length(tf))
			return bad(mf, DRTOPO_ESCHEMA,
				   ptr_of(mf, id, "properties", "templateFile"),
				   "stack '%s' has no templateFile%s", id, "");
		static const char *const opt[][2] = {
			{"displayName", NULL},
			{"properties", "stackName"},
		};
		for (size_t i = 0; i < DT_ARRAY_LEN(opt); i++) {
			json_t *o = opt[i][1]
					    ? json_object_get(props, opt[i][1])
					    : json_object_get(art, opt[i][0]);
			if (o && (!json_is_string(o) || !json_string_length(o)))
				return bad(mf, DRTOPO_ESCHEMA,
					   ptr_of(mf, id, opt[i][0], opt[i][1]),
					   "the %s of stack '%s' must be a "
					   "non-empty string",
					   opt[i][1] ? opt[i][1] : opt[i][0],
					   id);
		}
		json_t *env = json_object_get(art, "environment");
		const char *account, *region;
		int rc = parse_env(mf, id, env, &account, &region);
		if (rc)
			return rc;
		const char *fid = full_id(mf, id);
		dt_loc loc;
		loc.file = mf->src.name;
		loc.pointer = dt_loc_pointer(m, ptr_of(mf, id, NULL, NULL));
		if (!fid || !loc.pointer)
			return nomem(mf);
		if (dt_stack_find(m, fid))
			return bad(mf, DRTOPO_ESCHEMA, loc.pointer,
				   "a stack with id '%s' already exists%s", fid,
				   "");
		drtopo_stack *s;
		if (dt_add_stack(m, fid, account, region, &loc, &s))
			return nomem(mf);
		const char *dn =
			json_string_value(json_object_get(art, "displayName"));
		const char *sn =
			json_string_value(json_object_get(props, "stackName"));
		s->name = dn ? dt_str(m, dn) : NULL;
		s->stack_name = dt_str(m, sn ? sn : id);
		stack_objectives(m, s, json_object_get(props, "tags"));
		if ((dn && !s->name) || !s->stack_name)
			return nomem(mf);
	}
	return 0;
}

/* Pass 2: dependencies between stacks of this manifest. */
static int add_dependencies(manifest *mf)
{
	drtopo_model *m = mf->c->m;
	const char *id;
	json_t *art;
	json_object_foreach(mf->artifacts, id, art)
	{
		if (strcmp(artifact_type(art), STACK_TYPE) != 0)
			continue;
		json_t *deps = json_object_get(art, "dependencies");
		if (!deps)
			continue;
		if (!json_is_array(deps))
			return bad(mf, DRTOPO_ESCHEMA,
				   ptr_of(mf, id, "dependencies", NULL),
				   "the dependencies of '%s' must be an "
				   "array%s",
				   id, "");
		const char *fid = full_id(mf, id);
		drtopo_stack *from = fid ? dt_stack_find(m, fid) : NULL;
		for (size_t i = 0; i < json_array_size(deps); i++) {
			json_t *d = json_array_get(deps, i);
			char num[32];
			snprintf(num, sizeof(num), "%zu", i);
			const char *pointer =
				ptr_of(mf, id, "dependencies", num);
			if (!json_is_string(d))
				return bad(mf, DRTOPO_ESCHEMA, pointer,
					   "a dependency of '%s' is not a "
					   "string%s",
					   id, "");
			const char *dep = json_string_value(d);
			json_t *target = json_object_get(mf->artifacts, dep);
			if (!json_is_object(target))
				return bad(mf, DRTOPO_ESCHEMA, pointer,
					   "dependency '%s' of '%s' names no "
					   "artifact of this manifest",
					   dep, id);
			if (strcmp(artifact_type(target), STACK_TYPE) != 0)
				continue; /* asset manifests and the like */
			const char *tid = full_id(mf, dep);
			drtopo_stack *to = tid ? dt_stack_find(m, tid) : NULL;
			dt_loc loc = {mf->src.name, dt_loc_pointer(m, pointer)};
			if (!from || !to || !loc.pointer ||
			    dt_add_dep(from, to, NULL, &loc))
				return nomem(mf);
		}
	}
	return 0;
}

/* A path named by the manifest (relative to its directory), resolved.
 * Errors name the manifest member that gave it. */
static int resolve_path(manifest *mf, const char *name, const char *pointer,
			const char *what, char **real_out)
{
	*real_out = NULL;
	if (name[0] == '/')
		return bad(mf, DRTOPO_ESCHEMA, pointer,
			   "%s '%s' is an absolute path; it must be relative "
			   "to the cloud assembly",
			   what, name);
	char *path = join(mf->dir, name);
	if (!path)
		return nomem(mf);
	char *real = real_path(path);
	int err = errno;
	dt_free(path);
	if (!real) {
		if (err == ENOMEM)
			return nomem(mf);
		return dt_src_error(&mf->src, DRTOPO_EIO, pointer,
				    "%s '%s' cannot be read: %s", what, name,
				    strerror(err));
	}
	*real_out = real;
	return 0;
}

/* Is real the manifest.json of an assembly being read (a template that
 * names its own manifest, or an enclosing one)? */
static int is_open_manifest(const asm_ctx *c, const char *real)
{
	static const char name[] = "/manifest.json";
	size_t n = strlen(real), k = sizeof(name) - 1;
	if (n < k || strcmp(real + n - k, name) != 0)
		return 0;
	for (size_t i = 0; i < c->chain.len; i++) {
		const char *d = DT_VEC_AT(c->chain, char *, i);
		if (strlen(d) == n - k && strncmp(d, real, n - k) == 0)
			return 1;
	}
	return 0;
}

/* Pass 3: the templates, one at a time. */
static int load_templates(manifest *mf)
{
	asm_ctx *c = mf->c;
	const char *id;
	json_t *art;
	json_object_foreach(mf->artifacts, id, art)
	{
		if (strcmp(artifact_type(art), STACK_TYPE) != 0)
			continue;
		json_t *props = json_object_get(art, "properties");
		const char *tf = json_string_value(
			json_object_get(props, "templateFile"));
		const char *pointer =
			ptr_of(mf, id, "properties", "templateFile");
		char *real;
		int rc = resolve_path(mf, tf, pointer, "template", &real);
		if (rc)
			return rc;
		const char *rel = relative(c, real);
		struct stat st;
		if (!rel || !*rel) {
			dt_free(real);
			return bad(mf, DRTOPO_ESCHEMA, pointer,
				   "template '%s' of stack '%s' is outside the "
				   "cloud assembly",
				   tf, id);
		}
		if (is_open_manifest(c, real)) {
			dt_free(real);
			return bad(mf, DRTOPO_ESCHEMA, pointer,
				   "template '%s' of stack '%s' is the cloud "
				   "assembly manifest itself",
				   tf, id);
		}
		if (stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
			dt_free(real);
			return bad(mf, DRTOPO_EIO, pointer,
				   "template '%s' of stack '%s' is a directory",
				   tf, id);
		}
		const char *fid = full_id(mf, id);
		drtopo_stack *s = fid ? dt_stack_find(c->m, fid) : NULL;
		const char *file = dt_str(c->m, rel);
		rc = s && file ? dt_template_load(
					 c->m, s, real, file,
					 json_object_get(props, "parameters"))
			       : nomem(mf);
		dt_free(real);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_manifest(asm_ctx *c, const char *dir, const char *path,
			 const char *display, const char *prefix, size_t depth);

/* Pass 4: nested assemblies. */
static int load_nested(manifest *mf)
{
	asm_ctx *c = mf->c;
	const char *id;
	json_t *art;
	json_object_foreach(mf->artifacts, id, art)
	{
		if (strcmp(artifact_type(art), NESTED_TYPE) != 0)
			continue;
		const char *dn = json_string_value(json_object_get(
			json_object_get(art, "properties"), "directoryName"));
		const char *pointer =
			ptr_of(mf, id, "properties", "directoryName");
		size_t limit =
			dt_model_limit(c->m, DRTOPO_LIMIT_ASSEMBLY_DEPTH);
		if (mf->depth + 1 > limit) {
			int line, col;
			dt_json_locate(&mf->src, pointer, &line, &col);
			return dt_model_error_at(
				c->m, DRTOPO_ELIMIT, mf->src.name, line, col,
				pointer,
				"nested cloud assemblies deeper than %zu "
				"levels (limit DRTOPO_LIMIT_ASSEMBLY_DEPTH)",
				limit);
		}
		char *real;
		int rc =
			resolve_path(mf, dn, pointer, "nested assembly", &real);
		if (rc)
			return rc;
		for (size_t i = 0; i < c->chain.len; i++) {
			if (strcmp(DT_VEC_AT(c->chain, char *, i), real) == 0) {
				dt_free(real);
				return bad(mf, DRTOPO_ESCHEMA, pointer,
					   "nested assembly '%s' is the "
					   "assembly '%s' itself or one of its "
					   "parents (a cycle)",
					   dn, id);
			}
		}
		const char *rel = relative(c, real);
		if (!rel) {
			dt_free(real);
			return bad(
				mf, DRTOPO_ESCHEMA, pointer,
				"nested assembly '%s' of '%s' is outside the "
				"cloud assembly",
				dn, id);
		}
		dt_buf pre = DT_BUF_INIT, disp = DT_BUF_INIT;
		dt_buf_printf(&pre, "%s%s/", mf->prefix, id);
		dt_buf_printf(&disp, "%s/manifest.json", rel);
		char *mpath = join(real, "manifest.json");
		if (pre.oom || disp.oom || !mpath)
			rc = nomem(mf);
		else
			rc = load_manifest(c, real, mpath, disp.p, pre.p,
					   mf->depth + 1);
		dt_free(mpath);
		dt_buf_free(&pre);
		dt_buf_free(&disp);
		dt_free(real);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_manifest(asm_ctx *c, const char *dir, const char *path,
			 const char *display, const char *prefix, size_t depth)
{
	manifest mf;
	memset(&mf, 0, sizeof(mf));
	mf.c = c;
	mf.dir = dir;
	mf.prefix = prefix;
	mf.depth = depth;
	char **slot = dt_vec_push(&c->chain, sizeof(char *));
	if (!slot)
		return dt_model_error(c->m, DRTOPO_ENOMEM, "out of memory");
	*slot = (char *)dir;
	int rc = dt_src_read(&mf.src, c->m, path, display);
	if (rc == 0)
		rc = dt_json_parse(&mf.src, &mf.root);
	if (rc == 0 && !json_is_object(mf.root))
		rc = dt_src_error(&mf.src, DRTOPO_ESCHEMA, "",
				  "a cloud assembly manifest must be a JSON "
				  "object");
	if (rc == 0) {
		mf.artifacts = json_object_get(mf.root, "artifacts");
		if (mf.artifacts && !json_is_object(mf.artifacts))
			rc = dt_src_error(&mf.src, DRTOPO_ESCHEMA, "/artifacts",
					  "\"artifacts\" must be an object");
	}
	if (rc == 0)
		rc = create_stacks(&mf);
	if (rc == 0)
		rc = add_dependencies(&mf);
	if (rc == 0)
		rc = load_templates(&mf);
	if (rc == 0)
		rc = load_nested(&mf);
	json_decref(mf.root);
	dt_src_free(&mf.src);
	dt_buf_free(&mf.ptr);
	c->chain.len--;
	return rc;
}

int drtopo_model_load_assembly(drtopo_model *m, const char *path)
{
	if (!m)
		return DRTOPO_EINVAL;
	if (!path || !*path)
		return dt_model_error(m, DRTOPO_EINVAL,
				      "invalid argument: 'path'");
	struct stat st;
	if (stat(path, &st) != 0)
		return dt_model_error_at(m, DRTOPO_EIO, path, 0, 0, NULL, "%s",
					 strerror(errno));
	asm_ctx c;
	memset(&c, 0, sizeof(c));
	c.m = m;
	char *real = real_path(path), *mpath = NULL;
	const char *display = "manifest.json";
	if (!real)
		return errno == ENOMEM
			       ? dt_model_error(m, DRTOPO_ENOMEM,
						"out of memory")
			       : dt_model_error_at(m, DRTOPO_EIO, path, 0, 0,
						   NULL, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		c.root = real;
		mpath = join(real, "manifest.json");
	} else {
		/* The manifest itself: its directory is the root. */
		char *slash = strrchr(real, '/');
		mpath = real;
		display = slash + 1;
		c.root = dt_strndup(real,
				    slash == real ? 1 : (size_t)(slash - real));
	}
	int rc;
	if (!mpath || !c.root) {
		rc = dt_model_error(m, DRTOPO_ENOMEM, "out of memory");
	} else {
		c.rootlen = strlen(c.root);
		rc = load_manifest(&c, c.root, mpath, display, "", 0);
	}
	if (mpath != real)
		dt_free(mpath);
	if (c.root != real)
		dt_free(c.root);
	dt_free(real);
	dt_vec_free(&c.chain);
	return rc;
}
