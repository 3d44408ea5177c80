/*
 * libdrtopo - multi-region disaster-recovery topology model and checker.
 *
 * common.h: export macro, versions, status codes, severities, memory.
 * Public headers are C89: no bool, no inline, no variadic functions.
 */
#ifndef DRTOPO_COMMON_H
#define DRTOPO_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
#define DRTOPO_BEGIN_DECLS extern "C" {
#define DRTOPO_END_DECLS }
#else
#define DRTOPO_BEGIN_DECLS
#define DRTOPO_END_DECLS
#endif

#if defined(DRTOPO_BUILDING_LIBRARY) && defined(__GNUC__)
#define DRTOPO_EXPORT __attribute__((visibility("default")))
#else
#define DRTOPO_EXPORT
#endif

DRTOPO_BEGIN_DECLS

/** Compile-time version of the headers. */
#define DRTOPO_VERSION_MAJOR 0
#define DRTOPO_VERSION_MINOR 2
#define DRTOPO_VERSION_PATCH 0
#define DRTOPO_VERSION_STRING "0.2.0"
/** 0xMMmmpp: comparable with `>=`. */
#define DRTOPO_VERSION_HEX                                            \
	((DRTOPO_VERSION_MAJOR << 16) | (DRTOPO_VERSION_MINOR << 8) | \
	 DRTOPO_VERSION_PATCH)

/** Formats this library reads and writes (the "schema" member). */
#define DRTOPO_TOPOLOGY_SCHEMA "drtopo-topology/1"
#define DRTOPO_REPORT_SCHEMA "drtopo-report/1"
/** The simulation report's schema (drtopo_simulation_to_json(), 0.2). */
#define DRTOPO_SIMULATION_SCHEMA "drtopo-simulation/1"

/**
 * Status codes. Every function that can fail returns DRTOPO_OK (0) or one
 * of these negative values. Codes are stable: new ones are only appended.
 */
enum drtopo_status {
	DRTOPO_OK = 0,
	/** internal error (a bug: please report it) */
	DRTOPO_ERROR = -1,
	/** out of memory; nothing was changed */
	DRTOPO_ENOMEM = -2,
	/** invalid argument: NULL, empty, or a handle of another model */
	DRTOPO_EINVAL = -3,
	/** no such stack, resource, rule or file */
	DRTOPO_ENOTFOUND = -4,
	/** an object with that id already exists */
	DRTOPO_EEXIST = -5,
	/** input is not well-formed JSON */
	DRTOPO_EPARSE = -6,
	/** input is JSON but not of the expected shape */
	DRTOPO_ESCHEMA = -7,
	/** a file could not be read */
	DRTOPO_EIO = -8,
	/** input exceeds a configured limit */
	DRTOPO_ELIMIT = -9
};

/** Severities of findings. DRTOPO_SEVERITY_OFF disables a rule. */
enum drtopo_severity {
	DRTOPO_SEVERITY_OFF = 0,
	DRTOPO_SEVERITY_INFO = 1,
	DRTOPO_SEVERITY_WARNING = 2,
	DRTOPO_SEVERITY_ERROR = 3
};

/**
 * Runtime version of the library, "MAJOR.MINOR.PATCH".
 * @return static text; never NULL.
 * @since 0.1
 */
DRTOPO_EXPORT const char *drtopo_version(void);

/**
 * Static English text for a status code ("out of memory", ...).
 * @return static text; never NULL, also for unknown codes.
 * @since 0.1
 */
DRTOPO_EXPORT const char *drtopo_strerror(int status);

/**
 * Name of a severity: "off", "info", "warning", "error".
 * @return static text, or NULL for a value out of range.
 * @since 0.1
 */
DRTOPO_EXPORT const char *drtopo_severity_name(int severity);

/**
 * Parse a severity name ("info", "warning", "error", "off").
 * @return the severity, or DRTOPO_EINVAL.
 * @since 0.1
 */
DRTOPO_EXPORT int drtopo_severity_from_name(const char *name);

/**
 * Free memory that the library handed to the caller through a `char **`
 * out-parameter (serialized reports, documents). NULL is a no-op.
 * Never pass such memory to free(): the library may use its own allocator.
 * @since 0.1
 */
DRTOPO_EXPORT void drtopo_free(void *ptr);

DRTOPO_END_DECLS

#endif /* DRTOPO_COMMON_H */
