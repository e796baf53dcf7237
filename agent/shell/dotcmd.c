/* hostqi's dot-commands, one table entry each: name, argument synopsis, help, handler. */
#include <strings.h>
#include <time.h>

#include "hq/util.h"
#include "options/options.h"
#include "shell/shell.h"

volatile sig_atomic_t hq_shell_interrupted;

typedef int (*dot_fn)(hq_shell *sh, char *args);

typedef struct dot_command {
	const char *name;
	const char *synopsis;
	const char *help;
	dot_fn fn;
} dot_command;

static const dot_command *dot_commands(size_t *ret_n);

static int parse_on_off(const char *arg, bool *ret)
{
	if (!arg || !*arg)
		return -EINVAL;
	return hq_options_parse_bool(arg, ret);
}

static int dot_help(hq_shell *sh, char *args)
{
	size_t n;
	const dot_command *cmds = dot_commands(&n);

	fputs("Welcome to hostqi, an osquery-compatible shell. Commands:\n", sh->out);
	for (size_t i = 0; i < n; i++) {
		char left[64];

		snprintf(left, sizeof(left), ".%s %s", cmds[i].name, cmds[i].synopsis);
		fprintf(sh->out, "  %-22s %s\n", left, cmds[i].help);
	}
	return 0;
}

static int dot_quit(hq_shell *sh, char *args)
{
	return 1;
}

static int dot_tables(hq_shell *sh, char *args)
{
	const hq_table_def *const *tables;
	size_t n = hq_engine_tables(sh->engine, &tables);
	sqlite3_stmt *like = NULL;

	if (args && *args) {
		/* Filter with SQLite's own LIKE so the pattern means what it means in SQL. */
		if (sqlite3_prepare_v2(hq_engine_db(sh->engine), "SELECT ?1 LIKE ?2", -1, &like,
				       NULL) != SQLITE_OK)
			return -ENOMEM;
		sqlite3_bind_text(like, 2, args, -1, SQLITE_TRANSIENT);
	}
	for (size_t i = 0; i < n; i++) {
		if (like) {
			bool match;

			sqlite3_bind_text(like, 1, tables[i]->name, -1, SQLITE_STATIC);
			match = sqlite3_step(like) == SQLITE_ROW && sqlite3_column_int(like, 0);
			sqlite3_reset(like);
			if (!match)
				continue;
		}
		fprintf(sh->out, "  => %s\n", tables[i]->name);
	}
	sqlite3_finalize(like);
	return 0;
}

static int dot_schema(hq_shell *sh, char *args)
{
	const hq_table_def *const *tables;
	size_t n = hq_engine_tables(sh->engine, &tables);
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *sql = NULL;

		if (args && *args && strcmp(args, tables[i]->name) != 0)
			continue;
		sql = hq_table_schema_sql(tables[i]);
		if (!sql)
			return -ENOMEM;
		fprintf(sh->out, "%s;\n", sql);
		found = true;
	}
	if (!found && args && *args) {
		fprintf(stderr, "Error: no such table: %s\n", args);
		return -ENOENT;
	}
	return 0;
}

static int dot_mode(hq_shell *sh, char *args)
{
	hq_output_mode m;

	if (!args || !*args) {
		fprintf(sh->out, "current output mode: %s\n", hq_output_mode_to_string(sh->s.mode));
		return 0;
	}
	/* osqueryi also knows "column" and "csv" spellings from sqlite's shell. */
	m = hq_output_mode_from_string(strcasecmp(args, "column") == 0 ? "pretty" : args);
	if (m < 0) {
		fprintf(stderr, "Error: mode should be one of: pretty line csv json list\n");
		return -EINVAL;
	}
	sh->s.mode = m;
	return 0;
}

static int dot_headers(hq_shell *sh, char *args)
{
	if (parse_on_off(args, &sh->s.header) < 0) {
		fprintf(stderr, "Error: usage: .headers on|off\n");
		return -EINVAL;
	}
	return 0;
}

static int dot_timer(hq_shell *sh, char *args)
{
	if (parse_on_off(args, &sh->s.timer) < 0) {
		fprintf(stderr, "Error: usage: .timer on|off\n");
		return -EINVAL;
	}
	return 0;
}

static int dot_separator(hq_shell *sh, char *args)
{
	if (!args || !*args || strlen(args) >= sizeof(sh->s.separator)) {
		fprintf(stderr, "Error: usage: .separator STRING\n");
		return -EINVAL;
	}
	strcpy(sh->s.separator, args);
	return 0;
}

static int dot_all(hq_shell *sh, char *args)
{
	_cleanup_free_ char *sql = NULL;

	if (!args || !*args) {
		fprintf(stderr, "Error: usage: .all TABLE\n");
		return -EINVAL;
	}
	if (strchr(args, '"')) {
		fprintf(stderr, "Error: invalid table name\n");
		return -EINVAL;
	}
	if (asprintf(&sql, "SELECT * FROM \"%s\";", args) < 0)
		return -ENOMEM;
	return hq_shell_run_sql(sh, sql);
}

static int dot_show(hq_shell *sh, char *args)
{
	fprintf(sh->out,
		"hostqi %s (SQLite %s)\n"
		"    headers: %s\n"
		"       mode: %s\n"
		"  separator: \"%s\"\n"
		"      timer: %s\n"
		"       root: %s\n",
		HQ_VERSION, sqlite3_libversion(), sh->s.header ? "on" : "off",
		hq_output_mode_to_string(sh->s.mode), sh->s.separator, sh->s.timer ? "on" : "off",
		sh->s.root ? sh->s.root : "/");
	return 0;
}

/* One result set rendered as sorted lines "v1|v2|...", for .watch's differences. */
typedef struct line_set {
	char **lines;
	size_t n;
} line_set;

static void line_set_done(line_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	*s = (line_set){0};
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect_lines(hq_shell *sh, const char *sql, line_set *ret)
{
	sqlite3 *db = hq_engine_db(sh->engine);
	sqlite3_stmt *stmt = NULL;
	line_set s = {0};
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK || !stmt) {
		fprintf(stderr, "Error: %s\n", sqlite3_errmsg(db));
		return -EINVAL;
	}
	hq_engine_begin_query(sh->engine);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		hq_buf b = HQ_BUF_INIT(1 << 24);
		char **n;

		for (int i = 0; i < sqlite3_column_count(stmt); i++) {
			const char *v = (const char *)sqlite3_column_text(stmt, i);

			if (i)
				hq_buf_puts(&b, sh->s.separator);
			hq_buf_puts(&b, v ? v : "");
		}
		n = b.error ? NULL : reallocarray(s.lines, s.n + 1, sizeof(char *));
		if (!n) {
			hq_buf_done(&b);
			line_set_done(&s);
			sqlite3_finalize(stmt);
			return -ENOMEM;
		}
		s.lines = n;
		s.lines[s.n++] = hq_buf_steal(&b);
		if (!s.lines[s.n - 1]) {
			s.n--;
			line_set_done(&s);
			sqlite3_finalize(stmt);
			return -ENOMEM;
		}
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "Error: %s\n", sqlite3_errmsg(db));
		sqlite3_finalize(stmt);
		line_set_done(&s);
		return -EIO;
	}
	sqlite3_finalize(stmt);
	if (s.n)
		qsort(s.lines, s.n, sizeof(char *), cmp_str);
	*ret = s;
	return 0;
}

/* Prints the multiset difference of two sorted line sets: '+' added, '-' removed. */
static void print_diff(hq_shell *sh, const line_set *old, const line_set *new)
{
	size_t i = 0, j = 0;

	while (i < old->n || j < new->n) {
		int c = i == old->n ? 1 : j == new->n ? -1 : strcmp(old->lines[i], new->lines[j]);

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0)
			fprintf(sh->out, "- %s\n", old->lines[i++]);
		else
			fprintf(sh->out, "+ %s\n", new->lines[j++]);
	}
	fflush(sh->out);
}

static int dot_watch(hq_shell *sh, char *args)
{
	line_set prev = {0};
	char *end;
	double secs = args ? strtod(args, &end) : 0;

	if (!args || end == args || secs <= 0 || !*end) {
		fprintf(stderr, "Error: usage: .watch SECONDS SQL\n");
		return -EINVAL;
	}
	while (*end == ' ' || *end == '\t')
		end++;
	hq_shell_interrupted = 0;
	for (unsigned run = 0; !hq_shell_interrupted; run++) {
		line_set cur;
		int r = collect_lines(sh, end, &cur);

		if (r < 0) {
			line_set_done(&prev);
			return r;
		}
		if (run == 0)
			fprintf(sh->out, "-- watching every %g s; Ctrl-C stops\n", secs);
		print_diff(sh, &prev, &cur);
		line_set_done(&prev);
		prev = cur;

		struct timespec ts = {.tv_sec = (time_t)secs,
				      .tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9)};
		while (!hq_shell_interrupted && nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	line_set_done(&prev);
	hq_shell_interrupted = 0;
	return 0;
}

static const dot_command commands[] = {
	{"all", "TABLE", "select all from a table", dot_all},
	{"exit", "", "exit this program", dot_quit},
	{"headers", "on|off", "turn display of headers on or off", dot_headers},
	{"help", "", "show this message", dot_help},
	{"mode", "MODE", "output mode: pretty line csv json list", dot_mode},
	{"quit", "", "exit this program", dot_quit},
	{"schema", "[TABLE]", "show the CREATE statements", dot_schema},
	{"separator", "STRING", "field separator for csv and list modes", dot_separator},
	{"show", "", "show the current settings", dot_show},
	{"tables", "[LIKE]", "list tables, optionally those matching a LIKE pattern", dot_tables},
	{"timer", "on|off", "turn the statement timer on or off", dot_timer},
	{"watch", "SECONDS SQL", "re-run SQL, printing rows added (+) and removed (-)", dot_watch},
};

static const dot_command *dot_commands(size_t *ret_n)
{
	*ret_n = HQ_ELEMENTSOF(commands);
	return commands;
}

const char *hq_shell_dot_command_name(size_t i)
{
	return i < HQ_ELEMENTSOF(commands) ? commands[i].name : NULL;
}

int hq_shell_dot_command(hq_shell *sh, const char *line)
{
	_cleanup_free_ char *copy = strdup(line + 1);
	char *name, *args;

	hq_shell_ext_dispatch(sh);
	if (!copy)
		return -ENOMEM;
	hq_strstrip_trailing(copy);
	name = copy;
	args = strpbrk(copy, " \t");
	if (args) {
		*args++ = '\0';
		while (*args == ' ' || *args == '\t')
			args++;
	}
	/* Trailing semicolons are habit from SQL; ignore them on arguments. */
	if (args) {
		size_t n = strlen(args);

		while (n > 0 && args[n - 1] == ';' && strncmp(name, "watch", 5) != 0)
			args[--n] = '\0';
	}
	for (size_t i = 0; i < HQ_ELEMENTSOF(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].fn(sh, args);
	fprintf(stderr,
		"Error: unknown command or invalid arguments: \"%s\". Enter \".help\" for "
		"help\n",
		name);
	return -EINVAL;
}
