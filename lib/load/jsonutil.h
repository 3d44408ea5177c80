/*
 * Shared helpers of the loaders (documents, manifests, templates):
 * reading a file under the model's limits, parsing it with jansson into a
 * tree with good errors, building JSON pointers, and finding the line and
 * column of a JSON pointer in the original text when reporting an error.
 *
 * jansson keeps no positions for values, so positions are recovered on
 * demand by re-scanning the text (only on the error path).
 */
#ifndef DT_JSONUTIL_H
#define DT_JSONUTIL_H

#include <jansson.h>

#include "load/jtree.h"
#include "model.h"

/* An input text being loaded: its name in messages (relative path), its
 * bytes, and the model that receives errors. */
typedef struct dt_src {
	drtopo_model *m;
	const char *name; /* as shown in messages and source locations */
	char *text;	  /* owned: dt_free */
	size_t len;
} dt_src;

/* Read a whole file, honouring DRTOPO_LIMIT_FILE_SIZE. On error records
 * "<display>: <reason>" on the model and returns DRTOPO_EIO / _ELIMIT /
 * _ENOMEM. `display` is the name used in messages (NULL: path). */
int dt_src_read(dt_src *src, drtopo_model *m, const char *path,
		const char *display);
void dt_src_free(dt_src *src);

/* Load a document from a text already read (drtopo_model_load() reads
 * it once, to tell its kind and to load it). src stays the caller's. */
int dt_document_load_src(drtopo_model *m, dt_src *src);

/* Parse src into *out (caller json_decref). Checks, before jansson runs,
 * the nesting depth limit, the string size limit, NUL bytes and invalid
 * UTF-8; rejects duplicate keys. Errors name file:line:column and return
 * DRTOPO_EPARSE or DRTOPO_ELIMIT. */
int dt_json_parse(dt_src *src, json_t **out);

/* The same checks and errors, into the compact tree of jtree.h (which
 * the caller frees with dt_jtree_free() in every case). */
int dt_json_parse_tree(dt_src *src, dt_jtree *out);

/* Find the 1-based line and column of the value at `pointer` (RFC 6901)
 * in src's text. Sets both to 0 when it cannot be found. */
void dt_json_locate(const dt_src *src, const char *pointer, int *line,
		    int *col);

/* Record a schema error at a JSON pointer (with its line and column) and
 * return `status`. */
int dt_src_error(dt_src *src, int status, const char *pointer, const char *fmt,
		 ...) DT_PRINTF(4, 5);

/* JSON pointer builder: a stack of reference tokens, formatted (with
 * ~0/~1 escaping) only when the text is asked for, and then only past
 * the part formatted last time. Loaders push a token for every key and
 * element they walk, but need the text only for an error or a location.
 * A pushed key is borrowed: it must stay valid until it is popped. */
#define DT_PTR_DEPTH 128
typedef struct dt_ptr {
	struct dt_ptr_tok {
		const char *key; /* NULL: an array index */
		size_t index;
	} tok[DT_PTR_DEPTH]; /* deeper pushes are counted, not recorded */
	size_t depth;
	size_t valid;		      /* tokens that buf holds */
	size_t len[DT_PTR_DEPTH + 1]; /* buf's length after k tokens */
	dt_buf buf;
} dt_ptr;
void dt_ptr_init(dt_ptr *p);
void dt_ptr_free(dt_ptr *p);
void dt_ptr_push(dt_ptr *p, const char *token);
void dt_ptr_push_index(dt_ptr *p, size_t i);
void dt_ptr_pop(dt_ptr *p);
/* The pointer ("" for the root), valid until the next call on p; NULL
 * on out of memory. */
const char *dt_ptr_str(dt_ptr *p);

#endif
