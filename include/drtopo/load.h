/*
 * libdrtopo - load.h: reading topology documents, CDK cloud assemblies and
 * CloudFormation templates into a model, and writing a model back as a
 * topology document.
 *
 * Loaders add to an existing model, so one model may hold several inputs.
 * On failure they return a negative status and describe the problem on the
 * model: drtopo_model_errmsg() names the file, line and column, and
 * drtopo_model_error_pointer() the JSON pointer of the offending member.
 * A failed load leaves the model valid (it can be resolved or freed) but it
 * may hold part of the input; callers that need all-or-nothing load into a
 * fresh model.
 */
#ifndef DRTOPO_LOAD_H
#define DRTOPO_LOAD_H

#include "common.h"
#include "model.h"

DRTOPO_BEGIN_DECLS

/** Kinds of input (drtopo_input_kind()). */
enum drtopo_input {
	DRTOPO_INPUT_DOCUMENT = 1, /**< {"schema": "drtopo-topology/1", ...} */
	DRTOPO_INPUT_ASSEMBLY = 2, /**< a cdk.out directory or its manifest */
	DRTOPO_INPUT_TEMPLATE = 3  /**< a CloudFormation template (JSON) */
};

/**
 * Tell what a path holds, from its content (never from its name alone).
 * @return a drtopo_input value, or DRTOPO_EIO / DRTOPO_EPARSE /
 *         DRTOPO_ESCHEMA when it is none of them. Records no error text
 *         (there is no model).
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_input_kind(const char *path);

/**
 * Load a topology document from a file or from memory. `name` labels
 * the buffer in messages and source locations (NULL: "<buffer>").
 * @return DRTOPO_OK, DRTOPO_EINVAL, DRTOPO_EIO, DRTOPO_EPARSE,
 *         DRTOPO_ESCHEMA (unknown key, wrong type, duplicate id, ...),
 *         DRTOPO_ELIMIT or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_load_document(drtopo_model *model,
					     const char *path);
DRTOPO_EXPORT int drtopo_model_load_document_buffer(drtopo_model *model,
						    const char *data,
						    size_t len,
						    const char *name);

/**
 * Load a CDK cloud assembly: a directory holding manifest.json, or the
 * path of the manifest itself. Nested assemblies (Stages) are read
 * recursively. Only the stack templates are required.
 * @return as drtopo_model_load_document().
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_load_assembly(drtopo_model *model,
					     const char *path);

/**
 * Load one CloudFormation template as a stack.
 * @param stack_id the stack id; NULL: the file name without ".json" and
 *        ".template".
 * @param account, region the stack's environment; NULL: unknown.
 * @return as drtopo_model_load_document().
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_load_template(drtopo_model *model,
					     const char *path,
					     const char *stack_id,
					     const char *account,
					     const char *region);

/**
 * Load any input, detecting its kind from the content. account and region
 * apply to bare templates only.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_load(drtopo_model *model, const char *path,
				    const char *account, const char *region);

/**
 * Write the model as a topology document (schema drtopo-topology/1).
 * Loading the document into an empty model gives an equal model.
 * @param[out] out NUL-terminated JSON owned by the caller: drtopo_free().
 * @param[out] len_out its length; may be NULL.
 * @return DRTOPO_OK, DRTOPO_EINVAL or DRTOPO_ENOMEM.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_model_to_json(const drtopo_model *model, char **out,
				       size_t *len_out);

DRTOPO_END_DECLS

#endif /* DRTOPO_LOAD_H */
