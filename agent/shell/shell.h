/* hostqi internals shared by the shell's files: settings, output modes and dot-commands. */
#pragma once

#include <sqlite3.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>

#include "sql/engine.h"
#include "hq_extensions_module.h"

typedef enum hq_output_mode {
	HQ_MODE_PRETTY,
	HQ_MODE_LINE,
	HQ_MODE_CSV,
	HQ_MODE_JSON,
	HQ_MODE_LIST,
	_HQ_MODE_MAX,
	_HQ_MODE_INVALID = -EINVAL,
} hq_output_mode;

typedef struct hq_shell_settings {
	hq_output_mode mode;
	bool header;
	bool timer;
	bool verbose;
	char separator[16];
	char *root;
	double query_timeout; /* seconds, 0 = none */
	long memory_limit_mb; /* 0 = none */
	char *select_all;     /* --A TABLE */
	bool list_tables;     /* --L */
	char **positional;    /* SQL given on the command line */
	size_t n_positional;
	/* Extension manager flags (shell/extensions.c); values point into ext_values. */
	hq_ext_config ext;
	char *ext_values[16];
	size_t n_ext_values;
	bool ext_explicit; /* --extensions_socket/--extensions_require given */
} hq_shell_settings;

typedef struct hq_shell {
	hq_shell_settings s;
	hq_engine *engine;
	FILE *out;
	bool interactive;
	/* The manager, from the module loaded on demand (shell/extensions.c); without one, the
	 * introspection tables hostqi registers itself. */
	hq_ext_manager *ext;
	const hq_ext_module_api *ext_api;
	hq_table_def *ext_tables;
} hq_shell;

/* Parses argv (and --flagfile files) into settings. Returns 0, 1 when the program should exit
 * successfully (--help, --version), or -EINVAL after printing the error and usage. */
int hq_shell_parse_flags(hq_shell_settings *s, int argc, char **argv);
void hq_shell_settings_done(hq_shell_settings *s);
void hq_shell_usage(FILE *f);
hq_output_mode hq_output_mode_from_string(const char *s);
const char *hq_output_mode_to_string(hq_output_mode m);

/* Runs every statement in sql, printing results in the current mode. Errors are printed as
 * "Error: <message>" on stderr; returns 0 or a negative errno for the first failure. */
int hq_shell_run_sql(hq_shell *sh, const char *sql);

/* Prints one prepared statement's results. */
int hq_shell_print_stmt(hq_shell *sh, sqlite3_stmt *stmt);

/* Executes a dot-command line. Returns 0, 1 to quit, or a negative errno (message printed). */
int hq_shell_dot_command(hq_shell *sh, const char *line);

/* Set by the SIGINT handler; long-running loops (.watch) stop when it is true. */
extern volatile sig_atomic_t hq_shell_interrupted;
const char *hq_shell_dot_command_name(size_t i);

/* Extension manager glue (shell/extensions.c). */
int hq_shell_ext_flag(hq_shell_settings *s, const char *name, const char *value, bool negated,
		      bool *used_value);
int hq_shell_ext_start(hq_shell *sh, bool one_shot);
void hq_shell_ext_dispatch(hq_shell *sh);
void hq_shell_ext_stop(hq_shell *sh);
void hq_shell_ext_settings_done(hq_shell_settings *s);
void hq_shell_ext_wait_input(hq_shell *sh, FILE *in);
typedef int (*hq_getc_fn)(FILE *);
/* A readline getc function serving the manager while waiting, or NULL for the default. */
hq_getc_fn hq_shell_ext_getc(hq_shell *sh);
