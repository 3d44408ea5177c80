/*
 * drtopo: the command (drtopo(1), spec/cli.md). A thin client of the
 * public API: it parses the command line, loads the inputs into one model,
 * resolves it and prints what the library's serializers write.
 *
 * Exit status: 0 nothing at or above the --fail-on threshold, 1 findings
 * at or above it (plan: a cycle), 2 usage error, unreadable or invalid
 * input, or an output that cannot be written, 3 internal error or out of
 * memory. Messages go to stderr as "drtopo: MESSAGE".
 */
/* realpath() is X/Open. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <drtopo/drtopo.h>

enum {
	EXIT_CLEAN = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_INTERNAL = 3,
	EXIT_HELP = -1 /* --help printed: exit 0 */
};

/* Verbs, as bits so that options can say where they apply. */
enum {
	V_CHECK = 1u << 0,
	V_PLAN = 1u << 1,
	V_GRAPH = 1u << 2,
	V_EXPLAIN = 1u << 3,
	V_SIMULATE = 1u << 4,
	V_LOADING = V_CHECK | V_PLAN | V_GRAPH | V_SIMULATE
};

/* Output formats, as bits so that verbs can say which they offer. */
enum { F_TEXT = 1u << 0, F_JSON = 1u << 1, F_SARIF = 1u << 2, F_DOT = 1u << 3 };

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* --fail-on never: no finding fails. */
#define FAIL_NEVER (DRTOPO_SEVERITY_ERROR + 1)

typedef struct env {
	char *account; /* NULL: unknown */
	char *region;
} env;

typedef struct input {
	const char *path;
	const env *env; /* NULL: unknown environment */
} input;

struct verb;

typedef struct opts {
	const struct verb *verb;
	unsigned format;
	int fail_on;
	int quiet, destroy, list, color;
	const char *output;
	const char *code; /* explain */
	input *inputs;
	size_t ninputs;
	const char **externals;
	size_t nexternals;
	env *envs;
	size_t nenvs;
	/* --objective: model-level objectives (-1 / 0: not given) */
	long rpo, rto;
	int strategy;
	const char *lose_region, *lose_account; /* simulate */
} opts;

typedef int (*verb_fn)(opts *o);

struct verb {
	const char *name;
	unsigned bit;
	unsigned formats; /* offered by --format */
	unsigned default_format;
	verb_fn run;
	const char *help;
};

/* ---- messages ------------------------------------------------------- */

#if defined(__GNUC__)
#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))
#else
#define PRINTF_LIKE(a, b)
#endif

static void vmessage(const char *fmt, va_list ap)
{
	fputs("drtopo: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* "drtopo: MESSAGE" on stderr. */
static void message(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void message(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

/* A usage error: the message and where to read more. */
static int usage_error(const opts *o, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int usage_error(const opts *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	if (o && o->verb)
		fprintf(stderr,
			"Try 'drtopo %s --help' for more information.\n",
			o->verb->name);
	else
		fputs("Try 'drtopo --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static int out_of_memory(void)
{
	message("out of memory");
	return EXIT_INTERNAL;
}

/* Exit status of a failing library call. */
static int status_exit(int rc)
{
	return rc == DRTOPO_ENOMEM || rc == DRTOPO_ERROR ? EXIT_INTERNAL
							 : EXIT_USAGE;
}

/* ---- help ----------------------------------------------------------- */

static const char main_help[] =
	"Usage: drtopo COMMAND [OPTIONS] INPUT...\n"
	"       drtopo explain CODE\n"
	"       drtopo --version | --help\n"
	"\n"
	"Check multi-region AWS disaster-recovery topologies: CDK cloud\n"
	"assemblies (cdk.out), CloudFormation templates and drtopo topology\n"
	"documents.\n"
	"\n"
	"Commands:\n"
	"  check     print the findings of the rules\n"
	"  plan      print the deployment waves (--destroy: teardown order)\n"
	"  graph     print the stack dependency graph (DOT or JSON)\n"
	"  explain   explain a rule: what it checks, why, how to fix it\n"
	"  simulate  simulate the loss of a region: what survives, RPO, RTO\n"
	"\n"
	"Run 'drtopo COMMAND --help' for the options of a command.\n"
	"\n"
	"Exit status: 0 no finding at or above --fail-on, 1 findings at or\n"
	"above it (plan: a dependency cycle), 2 usage error or bad input,\n"
	"3 internal error or out of memory.\n";

#define INPUT_HELP                                                            \
	"INPUT is a cdk.out directory or its manifest.json, a topology\n"     \
	"document (\"schema\": \"drtopo-topology/1\") or a CloudFormation\n"  \
	"template; the kind is told from the content. All INPUTs load into\n" \
	"one model.\n"

#define LOAD_OPTIONS_HELP                                                     \
	"      --env ACCOUNT/REGION\n"                                        \
	"                          environment of the bare templates after\n" \
	"                          it (those before the first --env take\n"   \
	"                          the first); either part may be empty or\n" \
	"                          'unknown'\n"                               \
	"      --external NAME[@REGION]\n"                                    \
	"                          a parameter or export written outside\n"   \
	"                          the inputs (in REGION only); repeatable\n" \
	"  -o, --output FILE       write to FILE, atomically, instead of\n"   \
	"                          standard output\n"                         \
	"  -h, --help              print this help\n"

#define OBJECTIVE_HELP                                                       \
	"      --objective rpo=SECONDS,rto=SECONDS,strategy=NAME\n"          \
	"                          recovery objectives of the whole model\n" \
	"                          (any part may be left out; objectives\n"  \
	"                          of a stack or resource still win)\n"

static const char check_help[] =
	"Usage: drtopo check [OPTIONS] INPUT...\n"
	"\n"
	"Load the inputs, run every rule and print the findings.\n"
	"\n" INPUT_HELP "\n"
	"Options:\n"
	"  -f, --format FORMAT     text (default), json or sarif\n"
	"      --fail-on LEVEL     exit 1 on a finding at or above LEVEL:\n"
	"                          error (default), warning, info or never\n"
	"  -q, --quiet             text: print the summary line only\n"
	"      --color WHEN        colour the text: auto (default: on a\n"
	"                          terminal, unless NO_COLOR is set), always\n"
	"                          or never\n" OBJECTIVE_HELP LOAD_OPTIONS_HELP;

static const char plan_help[] =
	"Usage: drtopo plan [OPTIONS] INPUT...\n"
	"\n"
	"Print the deployment waves: wave 1 holds the stacks that depend on\n"
	"nothing, wave N+1 those whose dependencies are all in waves 1..N.\n"
	"A dependency cycle is printed instead, with exit status 1.\n"
	"\n" INPUT_HELP "\n"
	"Options:\n"
	"      --destroy           print the teardown order (waves reversed)\n"
	"  -f, --format FORMAT     text (default) or json (the JSON report,\n"
	"                          whose \"waves\" are in deployment "
	"order)\n" LOAD_OPTIONS_HELP;

static const char graph_help[] =
	"Usage: drtopo graph [OPTIONS] INPUT...\n"
	"\n"
	"Print the stack dependency graph: one cluster per account and\n"
	"region, edges from consumer to producer labelled with their kind,\n"
	"cycles in red. Render with: drtopo graph INPUT | dot -Tsvg\n"
	"\n" INPUT_HELP "\n"
	"Options:\n"
	"  -f, --format FORMAT     dot (default) or json (the JSON "
	"report)\n" LOAD_OPTIONS_HELP;

static const char explain_help[] =
	"Usage: drtopo explain CODE\n"
	"       drtopo explain --list\n"
	"\n"
	"Explain a rule: its name, default severity, what it checks, why it\n"
	"matters and how to fix it. CODE is a code such as DRT302 or a rule\n"
	"name such as parameter-region-mismatch.\n"
	"\n"
	"Options:\n"
	"      --list              list every rule, one a line\n"
	"  -h, --help              print this help\n";

static const char simulate_help[] =
	"Usage: drtopo simulate [OPTIONS] INPUT...\n"
	"\n"
	"Simulate the loss of a region (or an account): for each stateful\n"
	"resource whether it survives, through which copy, with which\n"
	"expected RPO and RTO; which stacks are lost and which read values\n"
	"from the lost region; whether routed names can leave it. Without\n"
	"--lose-region or --lose-account, every region of the input is\n"
	"lost in turn and the worst case is printed. See "
	"drtopo-posture(7).\n"
	"\n" INPUT_HELP "\n"
	"Options:\n"
	"      --lose-region R     the region lost\n"
	"      --lose-account A    the account lost (with --lose-region:\n"
	"                          that region of that account only)\n"
	"  -f, --format FORMAT     text (default), json, sarif or dot (the\n"
	"                          stack graph, the lost region greyed)\n"
	"      --fail-on LEVEL     exit 1 on a finding at or above LEVEL:\n"
	"                          error (default), warning, info or never\n"
	"  -q, --quiet             text: print the summary line only\n"
	"      --color WHEN        colour the text: auto, always or "
	"never\n" OBJECTIVE_HELP LOAD_OPTIONS_HELP;

/* ---- option parsing ------------------------------------------------- */

enum opt_id {
	O_HELP,
	O_FORMAT,
	O_FAIL_ON,
	O_EXTERNAL,
	O_OBJECTIVE,
	O_QUIET,
	O_ENV,
	O_OUTPUT,
	O_COLOR,
	O_DESTROY,
	O_LIST,
	O_LOSE_REGION,
	O_LOSE_ACCOUNT
};

typedef struct option_def {
	const char *name;
	char short_name;
	int has_arg;
	int id;
	unsigned verbs;
} option_def;

static const option_def options[] = {
	{"help", 'h', 0, O_HELP, ~0u},
	{"format", 'f', 1, O_FORMAT, V_LOADING},
	{"fail-on", 0, 1, O_FAIL_ON, V_CHECK | V_SIMULATE},
	{"external", 0, 1, O_EXTERNAL, V_LOADING},
	{"objective", 0, 1, O_OBJECTIVE, V_CHECK | V_SIMULATE},
	{"quiet", 'q', 0, O_QUIET, V_CHECK | V_SIMULATE},
	{"env", 0, 1, O_ENV, V_LOADING},
	{"output", 'o', 1, O_OUTPUT, V_LOADING},
	{"color", 0, 1, O_COLOR, V_CHECK | V_SIMULATE},
	{"lose-region", 0, 1, O_LOSE_REGION, V_SIMULATE},
	{"lose-account", 0, 1, O_LOSE_ACCOUNT, V_SIMULATE},
	{"destroy", 0, 0, O_DESTROY, V_PLAN},
	{"list", 0, 0, O_LIST, V_EXPLAIN},
};

typedef struct name_value {
	const char *name;
	int value;
} name_value;

static const name_value format_names[] = {
	{"text", F_TEXT}, {"json", F_JSON}, {"sarif", F_SARIF}, {"dot", F_DOT}};

static const name_value fail_on_names[] = {{"error", DRTOPO_SEVERITY_ERROR},
					   {"warning", DRTOPO_SEVERITY_WARNING},
					   {"info", DRTOPO_SEVERITY_INFO},
					   {"never", FAIL_NEVER}};

static const name_value color_names[] = {
	{"auto", COLOR_AUTO}, {"always", COLOR_ALWAYS}, {"never", COLOR_NEVER}};

static int lookup(const name_value *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].value;
	return -1;
}

static const option_def *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strncmp(options[i].name, name, len) == 0 &&
		    options[i].name[len] == '\0')
			return &options[i];
	return NULL;
}

static const option_def *find_short(char c)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (options[i].short_name == c)
			return &options[i];
	return NULL;
}

/* One part of ACCOUNT/REGION: "", "unknown" and CDK's "unknown-account"
 * or "unknown-region" mean unknown (NULL). Returns 0 or DRTOPO_ENOMEM. */
static int env_part(const char *s, size_t n, const char *cdk_unknown,
		    char **out)
{
	*out = NULL;
	if (n == 0 || (n == 7 && strncmp(s, "unknown", 7) == 0) ||
	    (n == strlen(cdk_unknown) && strncmp(s, cdk_unknown, n) == 0))
		return 0;
	if (!(*out = malloc(n + 1)))
		return DRTOPO_ENOMEM;
	memcpy(*out, s, n);
	(*out)[n] = '\0';
	return 0;
}

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int parse_env(opts *o, const char *arg, const env **current)
{
	const char *slash = strchr(arg, '/');
	if (!slash || strchr(slash + 1, '/'))
		return usage_error(o, "--env: '%s' is not ACCOUNT/REGION", arg);
	env *e = &o->envs[o->nenvs++];
	if (env_part(arg, (size_t)(slash - arg), "unknown-account",
		     &e->account) ||
	    env_part(slash + 1, strlen(slash + 1), "unknown-region",
		     &e->region))
		return out_of_memory();
	if (e->account && !all_digits(e->account))
		return usage_error(o,
				   "--env: '%s' is not ACCOUNT/REGION (the "
				   "account is a number)",
				   arg);
	*current = e;
	return 0;
}

static int parse_external(opts *o, const char *arg)
{
	const char *at = strrchr(arg, '@');
	if (!*arg || at == arg || (at && !at[1]))
		return usage_error(o, "--external: '%s' is not NAME[@REGION]",
				   arg);
	o->externals[o->nexternals++] = arg;
	return 0;
}

/* A value of a table of names, for option --opt. */
static int parse_choice(opts *o, const char *opt, const char *arg,
			const name_value *t, size_t n, int *out)
{
	int v = lookup(t, n, arg);
	if (v < 0)
		return usage_error(o, "invalid value '%s' for --%s", arg, opt);
	*out = v;
	return 0;
}

/* A number of seconds: digits only, at most ten years. */
static int parse_seconds(const char *s, size_t n, long *out)
{
	long v = 0;
	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 10L * 366 * 86400)
		return -1;
	*out = v;
	return 0;
}

/* rpo=SECONDS,rto=SECONDS,strategy=NAME, any subset, in any order; a
 * later --objective overrides the parts it gives. */
static int parse_objective(opts *o, const char *arg)
{
	const char *p = arg;
	if (!*p)
		return usage_error(o, "--objective: empty");
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		size_t kn = eq ? (size_t)(eq - p) : n;
		const char *v = eq ? eq + 1 : NULL;
		size_t vn = eq ? n - kn - 1 : 0;
		if (v && kn == 3 && strncmp(p, "rpo", 3) == 0) {
			if (parse_seconds(v, vn, &o->rpo))
				return usage_error(o,
						   "--objective: rpo must be "
						   "a number of seconds");
		} else if (v && kn == 3 && strncmp(p, "rto", 3) == 0) {
			if (parse_seconds(v, vn, &o->rto))
				return usage_error(o,
						   "--objective: rto must be "
						   "a number of seconds");
		} else if (v && kn == 8 && strncmp(p, "strategy", 8) == 0) {
			char name[32];
			int st = -1;
			if (vn < sizeof(name)) {
				memcpy(name, v, vn);
				name[vn] = '\0';
				st = drtopo_strategy_from_name(name);
			}
			if (st < 0)
				return usage_error(
					o,
					"--objective: strategy must be one of "
					"BACKUP_AND_RESTORE, PILOT_LIGHT, "
					"WARM_STANDBY, HOT_STANDBY, "
					"ACTIVE_ACTIVE");
			o->strategy = st;
		} else {
			return usage_error(o,
					   "--objective: '%.*s' is not "
					   "rpo=SECONDS, rto=SECONDS or "
					   "strategy=NAME",
					   (int)n, p);
		}
		p += n + (comma ? 1 : 0);
		if (comma && !*p)
			return usage_error(o, "--objective: a trailing comma");
	}
	return 0;
}

#define CHOICE(table, out)                                                     \
	parse_choice(o, d->name, arg, table, sizeof(table) / sizeof(table[0]), \
		     out)

static int apply_option(opts *o, const option_def *d, const char *arg,
			const env **current)
{
	int v;
	switch (d->id) {
	case O_HELP: fputs(o->verb->help, stdout); return EXIT_HELP;
	case O_FORMAT:
		v = lookup(format_names,
			   sizeof(format_names) / sizeof(format_names[0]), arg);
		if (v < 0 || !(o->verb->formats & (unsigned)v))
			return usage_error(o, "invalid format '%s' for '%s'",
					   arg, o->verb->name);
		o->format = (unsigned)v;
		return 0;
	case O_FAIL_ON: return CHOICE(fail_on_names, &o->fail_on);
	case O_COLOR: return CHOICE(color_names, &o->color);
	case O_EXTERNAL: return parse_external(o, arg);
	case O_ENV: return parse_env(o, arg, current);
	case O_OBJECTIVE: return parse_objective(o, arg);
	case O_LOSE_REGION:
		if (!*arg)
			return usage_error(o, "--lose-region: an empty region");
		o->lose_region = arg;
		return 0;
	case O_LOSE_ACCOUNT:
		if (!*arg || !all_digits(arg))
			return usage_error(o,
					   "--lose-account: '%s' is not an "
					   "account number",
					   arg);
		o->lose_account = arg;
		return 0;
	case O_QUIET: o->quiet = 1; return 0;
	case O_OUTPUT: o->output = arg; return 0;
	case O_DESTROY: o->destroy = 1; return 0;
	case O_LIST: o->list = 1; return 0;
	}
	return EXIT_INTERNAL;
}

/* Parse "--name", "--name=value", "--name value", "-x", "-xvalue" and
 * "-x value" at argv[*i]; *i moves past what was used. */
static int parse_option(opts *o, int argc, char **argv, int *i,
			const env **current)
{
	const char *a = argv[*i];
	const option_def *d;
	const char *arg = NULL;
	if (a[1] == '-') {
		const char *eq = strchr(a + 2, '=');
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		d = find_long(a + 2, len);
		if (eq)
			arg = eq + 1;
	} else {
		d = find_short(a[1]);
		if (d && a[2])
			arg = a + 2;
		if (d && !d->has_arg && a[2])
			d = NULL;
	}
	if (!d)
		return usage_error(o, "unknown option '%s'", a);
	if (!(d->verbs & o->verb->bit))
		return usage_error(o, "option '%s' does not apply to '%s'", a,
				   o->verb->name);
	if (d->has_arg && !arg) {
		if (*i + 1 >= argc)
			return usage_error(o, "option '%s' needs a value", a);
		arg = argv[++*i];
	} else if (!d->has_arg && arg) {
		return usage_error(o, "option '--%s' takes no value", d->name);
	}
	return apply_option(o, d, arg, current);
}

static void add_input(opts *o, const char *path, const env *current)
{
	o->inputs[o->ninputs].path = path;
	o->inputs[o->ninputs].env = current;
	o->ninputs++;
}

/* Inputs before the first --env take the first --env. */
static void settle_envs(opts *o)
{
	for (size_t i = 0; i < o->ninputs; i++)
		if (!o->inputs[i].env && o->nenvs)
			o->inputs[i].env = &o->envs[0];
}

static int check_operands(opts *o)
{
	if (o->verb->bit == V_EXPLAIN) {
		if (o->list && o->ninputs == 0)
			return 0;
		if (o->list || o->ninputs != 1)
			return usage_error(o, "explain takes one CODE%s",
					   o->list ? " (or --list alone)" : "");
		o->code = o->inputs[0].path;
		return 0;
	}
	if (o->ninputs == 0)
		return usage_error(o, "%s: no INPUT given", o->verb->name);
	for (size_t i = 0; i < o->ninputs; i++)
		if (!*o->inputs[i].path)
			return usage_error(o, "%s: an empty INPUT",
					   o->verb->name);
	if (o->quiet && o->format != F_TEXT)
		return usage_error(o, "--quiet applies to --format text only");
	if (o->destroy && o->format != F_TEXT)
		return usage_error(o,
				   "--destroy applies to --format text only "
				   "(the JSON report's waves are in deployment "
				   "order)");
	settle_envs(o);
	return 0;
}

static int parse_args(opts *o, int argc, char **argv)
{
	const env *current = NULL;
	int only_operands = 0;
	o->format = o->verb->default_format;
	o->fail_on = DRTOPO_SEVERITY_ERROR;
	o->rpo = o->rto = -1;
	o->color = COLOR_AUTO;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int rc;
		if (only_operands || a[0] != '-' || a[1] == '\0') {
			add_input(o, a, current);
		} else if (strcmp(a, "--") == 0) {
			only_operands = 1;
		} else if ((rc = parse_option(o, argc, argv, &i, &current))) {
			return rc;
		}
	}
	return check_operands(o);
}

static int opts_alloc(opts *o, int argc)
{
	size_t n = (size_t)argc;
	o->inputs = calloc(n, sizeof(*o->inputs));
	o->externals = calloc(n, sizeof(*o->externals));
	o->envs = calloc(n, sizeof(*o->envs));
	return o->inputs && o->externals && o->envs ? 0 : DRTOPO_ENOMEM;
}

static void opts_free(opts *o)
{
	for (size_t i = 0; i < o->nenvs; i++) {
		free(o->envs[i].account);
		free(o->envs[i].region);
	}
	free(o->envs);
	free(o->inputs);
	free(o->externals);
}

/* ---- output --------------------------------------------------------- */

/* A library function that streams an object's text to a writer:
 * drtopo_result_write_json, drtopo_simulation_write_json. */
typedef int (*stream_fn)(const void *obj, drtopo_write_fn write, void *ctx);

/* What a verb writes: text rendered in memory, or a JSON document (the
 * report of a result, a simulation) written as the library produces it:
 * that of a large model runs to hundreds of megabytes; it need not be
 * held. */
typedef struct output {
	const char *text;
	size_t len;
	stream_fn stream; /* not NULL: stream(obj, ...) writes the output */
	const void *obj;
} output;

static int stream_report(const void *r, drtopo_write_fn write, void *ctx)
{
	return drtopo_result_write_json(r, write, ctx);
}

static int stream_simulation(const void *sim, drtopo_write_fn write, void *ctx)
{
	return drtopo_simulation_write_json(sim, write, ctx);
}

/* Make out stream obj's text through fn; 0. */
static int streamed(output *out, stream_fn fn, const void *obj)
{
	out->stream = fn;
	out->obj = obj;
	return 0;
}

static int write_error(const char *what)
{
	message("cannot write %s: %s", what, strerror(errno));
	return EXIT_USAGE;
}

/* Where the pieces go: a file descriptor or a stdio stream, and the
 * errno of a failed write. */
typedef struct sink {
	int fd;
	FILE *f;
	int err;
} sink;

/* Write all of text to fd. */
static int write_fd(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

static int to_sink(void *ctx, const char *data, size_t len)
{
	sink *k = ctx;
	int rc = k->f ? (fwrite(data, 1, len, k->f) == len ? 0 : -1)
		      : write_fd(k->fd, data, len);
	if (rc)
		k->err = errno ? errno : EIO;
	return rc;
}

/* Write out into k: 0, or the exit status after saying why (a failed
 * write names `what`). */
static int produce(const output *out, sink *k, const char *what)
{
	int st = out->stream ? out->stream(out->obj, to_sink, k)
		 : out->len && to_sink(k, out->text, out->len) ? DRTOPO_EIO
							       : DRTOPO_OK;
	if (st == DRTOPO_EIO && k->err) {
		errno = k->err;
		return write_error(what);
	}
	if (st) {
		message("cannot write the report: %s", drtopo_strerror(st));
		return EXIT_INTERNAL;
	}
	return 0;
}

/* Write to a temporary file beside `path`, then rename it over `path`:
 * readers see the old file or the whole new one, never a part. */
static int write_atomically(const char *path, mode_t mode, const output *out)
{
	static const char suffix[] = ".XXXXXX";
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof(suffix));
	if (!tmp)
		return out_of_memory();
	memcpy(tmp, path, n);
	memcpy(tmp + n, suffix, sizeof(suffix));
	sink k = {mkstemp(tmp), NULL, 0};
	int rc = k.fd >= 0 && fchmod(k.fd, mode) == 0 ? 0 : write_error(path);
	if (!rc)
		rc = produce(out, &k, path);
	if (!rc && fsync(k.fd) != 0)
		rc = write_error(path);
	if (k.fd >= 0 && close(k.fd) != 0 && !rc)
		rc = write_error(path);
	if (!rc && rename(tmp, path) != 0)
		rc = write_error(path);
	if (rc && k.fd >= 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* A device or a pipe (/dev/null, /dev/stdout) is written in place. */
static int write_special(const char *path, const output *out)
{
	sink k = {open(path, O_WRONLY | O_TRUNC), NULL, 0};
	int rc = k.fd >= 0 ? produce(out, &k, path) : write_error(path);
	if (k.fd >= 0 && close(k.fd) != 0 && !rc)
		rc = write_error(path);
	return rc;
}

/* --output FILE: an existing file keeps its mode and, through a symbolic
 * link, its place; a new one gets the mode that the umask gives. */
static int write_file(const char *path, const output *out)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		mode_t mask = umask(0);
		umask(mask);
		return write_atomically(path, 0666 & ~mask, out);
	}
	if (!S_ISREG(st.st_mode))
		return write_special(path, out);
	char *real = realpath(path, NULL);
	int rc = write_atomically(real ? real : path, st.st_mode & 07777, out);
	free(real);
	return rc;
}

static int emit(const opts *o, const output *out)
{
	if (o->output && strcmp(o->output, "-") != 0)
		return write_file(o->output, out);
	sink k = {-1, stdout, 0};
	int rc = produce(out, &k, "standard output");
	if (!rc && fflush(stdout) != 0)
		rc = write_error("standard output");
	return rc;
}

static int use_color(const opts *o)
{
	if (o->color != COLOR_AUTO)
		return o->color == COLOR_ALWAYS;
	if (o->output && strcmp(o->output, "-") != 0)
		return 0;
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (no_color && *no_color)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(STDOUT_FILENO);
}

/* ---- loading and resolving ------------------------------------------ */

static int add_externals(const opts *o, drtopo_model *m)
{
	for (size_t i = 0; i < o->nexternals; i++) {
		const char *arg = o->externals[i];
		const char *at = strrchr(arg, '@');
		size_t n = at ? (size_t)(at - arg) : strlen(arg);
		char *name = malloc(n + 1);
		if (!name)
			return DRTOPO_ENOMEM;
		memcpy(name, arg, n);
		name[n] = '\0';
		int rc = drtopo_model_add_external(m, name, at ? at + 1 : NULL);
		free(name);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_inputs(const opts *o, drtopo_model *m)
{
	for (size_t i = 0; i < o->ninputs; i++) {
		const input *in = &o->inputs[i];
		int rc = drtopo_model_load(m, in->path,
					   in->env ? in->env->account : NULL,
					   in->env ? in->env->region : NULL);
		if (rc == DRTOPO_OK)
			continue;
		const char *msg = drtopo_model_errmsg(m);
		if (msg && *msg)
			message("%s", msg);
		else
			message("%s: %s", in->path, drtopo_strerror(rc));
		return status_exit(rc);
	}
	return 0;
}

/* --objective overrides, per figure, what the input declares for the
 * whole model. */
static int apply_objectives(const opts *o, drtopo_model *m)
{
	long rpo, rto;
	int strategy;
	if (o->rpo < 0 && o->rto < 0 && !o->strategy)
		return 0;
	drtopo_model_objectives(m, &rpo, &rto, &strategy);
	return drtopo_model_set_objectives(
		m, o->rpo >= 0 ? o->rpo : rpo, o->rto >= 0 ? o->rto : rto,
		o->strategy ? o->strategy : strategy);
}

/* Load and resolve; on failure print why and return the exit status. */
static int build(const opts *o, drtopo_model **mp, drtopo_result **rp)
{
	int rc = drtopo_model_new(mp);
	if (rc) {
		message("%s", drtopo_strerror(rc));
		return EXIT_INTERNAL;
	}
	if ((rc = add_externals(o, *mp))) {
		message("--external: %s", drtopo_strerror(rc));
		return status_exit(rc);
	}
	if ((rc = load_inputs(o, *mp)))
		return rc;
	if ((rc = apply_objectives(o, *mp))) {
		message("--objective: %s", drtopo_model_errmsg(*mp));
		return status_exit(rc);
	}
	if ((rc = drtopo_model_resolve(*mp, rp))) {
		message("%s", drtopo_model_errmsg(*mp));
		return status_exit(rc);
	}
	return 0;
}

/* ---- verbs ---------------------------------------------------------- */

/* The output of check, plan, graph and simulate: JSON is streamed, other
 * formats are rendered into *text (the caller frees it). */
static int render_check(const opts *o, const drtopo_result *r, output *out,
			char **text)
{
	unsigned flags = 0;
	switch (o->format) {
	case F_JSON: return streamed(out, stream_report, r);
	case F_SARIF: return drtopo_result_to_sarif(r, text, &out->len);
	default:
		if (o->quiet)
			flags |= DRTOPO_TEXT_QUIET;
		if (use_color(o))
			flags |= DRTOPO_TEXT_COLOR;
		return drtopo_result_to_text(r, flags, text, &out->len);
	}
}

static int render_plan(const opts *o, const drtopo_result *r, output *out,
		       char **text)
{
	if (o->format == F_JSON)
		return streamed(out, stream_report, r);
	return drtopo_result_plan_to_text(r, o->destroy, text, &out->len);
}

static int render_graph(const opts *o, const drtopo_result *r, output *out,
			char **text)
{
	if (o->format == F_JSON)
		return streamed(out, stream_report, r);
	return drtopo_result_to_dot(r, text, &out->len);
}

static int check_status(const opts *o, const drtopo_result *r)
{
	int max = drtopo_result_max_severity(r);
	return max != DRTOPO_SEVERITY_OFF && max >= o->fail_on ? EXIT_FINDINGS
							       : EXIT_CLEAN;
}

static int plan_status(const opts *o, const drtopo_result *r)
{
	(void)o;
	return drtopo_result_has_cycle(r) ? EXIT_FINDINGS : EXIT_CLEAN;
}

typedef int (*render_fn)(const opts *o, const drtopo_result *r, output *out,
			 char **text);
typedef int (*status_fn)(const opts *o, const drtopo_result *r);

/* Load, resolve, render, write; the verb's exit status. */
static int run_loading(const opts *o, render_fn render, status_fn status)
{
	drtopo_model *m = NULL;
	drtopo_result *r = NULL;
	char *text = NULL;
	output out = {NULL, 0, NULL, NULL};
	int rc = build(o, &m, &r);
	if (rc == 0) {
		int st = render(o, r, &out, &text);
		out.text = text;
		if (st) {
			message("cannot write the report: %s",
				drtopo_strerror(st));
			rc = EXIT_INTERNAL;
		} else if ((rc = emit(o, &out)) == 0 && status) {
			rc = status(o, r);
		}
	}
	drtopo_free(text);
	drtopo_result_free(r);
	drtopo_model_free(m);
	return rc;
}

static int run_check(opts *o)
{
	return run_loading(o, render_check, check_status);
}

static int run_plan(opts *o)
{
	return run_loading(o, render_plan, plan_status);
}

static int run_graph(opts *o)
{
	return run_loading(o, render_graph, NULL);
}

static int render_simulation(const opts *o, const drtopo_simulation *sim,
			     output *out, char **text)
{
	unsigned flags = 0;
	switch (o->format) {
	case F_JSON: return streamed(out, stream_simulation, sim);
	case F_SARIF: return drtopo_simulation_to_sarif(sim, text, &out->len);
	case F_DOT: return drtopo_simulation_to_dot(sim, text, &out->len);
	default:
		if (o->quiet)
			flags |= DRTOPO_TEXT_QUIET;
		if (use_color(o))
			flags |= DRTOPO_TEXT_COLOR;
		return drtopo_simulation_to_text(sim, flags, text, &out->len);
	}
}

/* Does any stack of the model sit in region (account)? */
static int model_has(const drtopo_model *m, const char *region,
		     const char *account)
{
	for (size_t i = 0; i < drtopo_model_stack_count(m); i++) {
		const drtopo_stack *s = drtopo_model_stack_at(m, i);
		const char *r = drtopo_stack_region(s);
		const char *a = drtopo_stack_account(s);
		if ((!region || (r && strcmp(r, region) == 0)) &&
		    (!account || (a && strcmp(a, account) == 0)))
			return 1;
	}
	return 0;
}

static int simulation_status(const opts *o, const drtopo_simulation *sim)
{
	int max = drtopo_simulation_max_severity(sim);
	return max != DRTOPO_SEVERITY_OFF && max >= o->fail_on ? EXIT_FINDINGS
							       : EXIT_CLEAN;
}

static int run_simulate(opts *o)
{
	drtopo_model *m = NULL;
	drtopo_result *r = NULL;
	drtopo_simulation *sim = NULL;
	char *text = NULL;
	int rc = build(o, &m, &r);
	if (rc == 0 && (o->lose_region || o->lose_account) &&
	    !model_has(m, o->lose_region, o->lose_account))
		message("warning: no stack of the input is in %s%s%s: "
			"nothing is lost",
			o->lose_region ? o->lose_region : "",
			o->lose_region && o->lose_account ? " of account " : "",
			o->lose_account ? o->lose_account : "");
	if (rc == 0) {
		int st = drtopo_result_simulate(r, o->lose_region,
						o->lose_account, &sim);
		output out = {NULL, 0, NULL, NULL};
		if (!st)
			st = render_simulation(o, sim, &out, &text);
		out.text = text;
		if (st) {
			message("cannot simulate: %s", drtopo_strerror(st));
			rc = EXIT_INTERNAL;
		} else if ((rc = emit(o, &out)) == 0) {
			rc = simulation_status(o, sim);
		}
	}
	drtopo_free(text);
	drtopo_simulation_free(sim);
	drtopo_result_free(r);
	drtopo_model_free(m);
	return rc;
}

static void list_rules(void)
{
	size_t width = 0;
	for (size_t i = 0; i < drtopo_rule_count(); i++) {
		size_t n = strlen(drtopo_rule_name(drtopo_rule_at(i)));
		if (n > width)
			width = n;
	}
	for (size_t i = 0; i < drtopo_rule_count(); i++) {
		const drtopo_rule *rule = drtopo_rule_at(i);
		printf("%s  %-7s  %-*s  %s\n", drtopo_rule_code(rule),
		       drtopo_severity_name(drtopo_rule_default_severity(rule)),
		       (int)width, drtopo_rule_name(rule),
		       drtopo_rule_summary(rule));
	}
}

/* One line of prose, folded at spaces to `width` columns. */
static void print_folded(const char *s, size_t n, size_t width)
{
	size_t col = 0;
	while (n) {
		size_t w = 0;
		while (w < n && s[w] != ' ')
			w++;
		if (col && col + 1 + w > width) {
			putchar('\n');
			col = 0;
		} else if (col) {
			putchar(' ');
			col++;
		}
		fwrite(s, 1, w, stdout);
		col += w;
		for (s += w, n -= w; n && *s == ' '; s++, n--)
			;
	}
	putchar('\n');
}

/* Text with paragraphs folded; indented lines (examples) kept as they
 * are. */
static void print_wrapped(const char *text, size_t width)
{
	while (*text) {
		const char *end = strchr(text, '\n');
		size_t n = end ? (size_t)(end - text) : strlen(text);
		if (n == 0 || text[0] == ' ' || text[0] == '\t') {
			fwrite(text, 1, n, stdout);
			putchar('\n');
		} else {
			print_folded(text, n, width);
		}
		text += end ? n + 1 : n;
	}
}

/* "drt302" is "DRT302". */
static const drtopo_rule *find_rule(const char *code)
{
	const drtopo_rule *rule = drtopo_rule_find(code);
	char up[16];
	size_t n = strlen(code);
	if (rule || n >= sizeof(up))
		return rule;
	for (size_t i = 0; i <= n; i++)
		up[i] = (char)(code[i] >= 'a' && code[i] <= 'z'
				       ? code[i] - 'a' + 'A'
				       : code[i]);
	return drtopo_rule_find(up);
}

static int run_explain(opts *o)
{
	if (o->list) {
		list_rules();
		return fflush(stdout) ? write_error("standard output")
				      : EXIT_CLEAN;
	}
	const drtopo_rule *rule = find_rule(o->code);
	if (!rule)
		return usage_error(o,
				   "no rule '%s'; 'drtopo explain --list' "
				   "lists them",
				   o->code);
	const char *ex = drtopo_rule_explanation(rule);
	printf("%s %s (%s)\n\n%s\n", drtopo_rule_code(rule),
	       drtopo_rule_name(rule),
	       drtopo_severity_name(drtopo_rule_default_severity(rule)),
	       drtopo_rule_summary(rule));
	if (ex && *ex) {
		putchar('\n');
		print_wrapped(ex, 78);
	}
	printf("\nSee %s(7).\n", strncmp(drtopo_rule_code(rule), "DRT6", 4) == 0
					 ? "drtopo-posture"
					 : "drtopo-rules");
	return fflush(stdout) ? write_error("standard output") : EXIT_CLEAN;
}

static const struct verb verbs[] = {
	{"check", V_CHECK, F_TEXT | F_JSON | F_SARIF, F_TEXT, run_check,
	 check_help},
	{"plan", V_PLAN, F_TEXT | F_JSON, F_TEXT, run_plan, plan_help},
	{"graph", V_GRAPH, F_DOT | F_JSON, F_DOT, run_graph, graph_help},
	{"explain", V_EXPLAIN, 0, 0, run_explain, explain_help},
	{"simulate", V_SIMULATE, F_TEXT | F_JSON | F_SARIF | F_DOT, F_TEXT,
	 run_simulate, simulate_help},
};

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/* ---- main ----------------------------------------------------------- */

static int global_option(const char *a)
{
	if (strcmp(a, "--version") == 0) {
		printf("drtopo %s\n", drtopo_version());
		return EXIT_HELP;
	}
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		fputs(main_help, stdout);
		return EXIT_HELP;
	}
	return usage_error(NULL, "unknown option '%s'", a);
}

static int run_verb(opts *o, int argc, char **argv)
{
	int rc;
	if (opts_alloc(o, argc))
		return out_of_memory();
	if ((rc = parse_args(o, argc, argv)) != 0)
		return rc;
	return o->verb->run(o);
}

static int run(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL, "no command given");
	if (argv[1][0] == '-')
		return global_option(argv[1]);
	opts o;
	memset(&o, 0, sizeof(o));
	if (!(o.verb = find_verb(argv[1])))
		return usage_error(NULL, "unknown command '%s'", argv[1]);
	int rc = run_verb(&o, argc, argv);
	opts_free(&o);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);
	if (rc == EXIT_HELP)
		rc = fflush(stdout) ? write_error("standard output")
				    : EXIT_CLEAN;
	return rc;
}
