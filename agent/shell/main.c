/* hostqi: the interactive SQL shell. One-shot with SQL on the command line or standard input,
 * otherwise a line-editing prompt with history and table/column completion (libedit). */
#include <editline/readline.h>
#include <signal.h>
#include <sys/stat.h>

#include "hq/agent.h"
#include "hq/log.h"
#include "hq/util.h"
#include "options/options.h"
#include "shell/shell.h"

static hq_shell *completion_shell;

static void on_sigint(int sig)
{
	hq_shell_interrupted = 1;
	if (completion_shell && completion_shell->engine)
		sqlite3_interrupt(hq_engine_db(completion_shell->engine));
}

static const char *const sql_keywords[] = {
	"SELECT", "FROM", "WHERE", "AND",   "OR",     "NOT",	 "JOIN",     "LEFT",  "ON",
	"GROUP",  "BY",	  "ORDER", "LIMIT", "OFFSET", "HAVING",	 "DISTINCT", "COUNT", "LIKE",
	"IN",	  "AS",	  "UNION", "ALL",   "CASE",   "WHEN",	 "THEN",     "ELSE",  "END",
	"IS",	  "NULL", "USING", "WITH",  "EXISTS", "BETWEEN", "DESC",     "ASC",
};

/* Candidates: dot-commands at line start, else keywords, table names and column names. */
static char *completion_generator(const char *text, int state)
{
	static size_t table_i, col_i, kw_i, dot_i;
	static size_t len;
	const hq_table_def *const *tables;
	size_t n_tables = hq_engine_tables(completion_shell->engine, &tables);

	if (state == 0) {
		table_i = col_i = kw_i = dot_i = 0;
		len = strlen(text);
	}
	if (text[0] == '.') {
		const char *name;

		while ((name = hq_shell_dot_command_name(dot_i++)))
			if (strncmp(name, text + 1, len - 1) == 0) {
				char *s = malloc(strlen(name) + 2);

				if (s)
					sprintf(s, ".%s", name);
				return s;
			}
		return NULL;
	}
	while (kw_i < HQ_ELEMENTSOF(sql_keywords))
		if (strncasecmp(sql_keywords[kw_i++], text, len) == 0)
			return strdup(sql_keywords[kw_i - 1]);
	while (table_i < n_tables) {
		const hq_table_def *t = tables[table_i];

		if (col_i == 0 && strncmp(t->name, text, len) == 0) {
			col_i = 1;
			return strdup(t->name);
		}
		col_i = col_i ? col_i : 1;
		while (col_i - 1 < t->n_columns) {
			const hq_column *c = &t->columns[col_i++ - 1];

			if (!(c->flags & HQ_COL_HIDDEN) && strncmp(c->name, text, len) == 0) {
				/* The same column name appears in many tables: offer it once. */
				bool seen = false;

				for (size_t k = 0; k < table_i && !seen; k++)
					for (size_t m = 0; m < tables[k]->n_columns; m++)
						if (strcmp(tables[k]->columns[m].name, c->name) ==
						    0) {
							seen = true;
							break;
						}
				if (!seen)
					return strdup(c->name);
			}
		}
		table_i++;
		col_i = 0;
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, completion_generator);
}

static char *history_path(void)
{
	const char *home = secure_getenv("HOME");
	char *p = NULL;

	if (!home || !*home)
		return NULL;
	if (asprintf(&p, "%s/.hostq_history", home) < 0)
		return NULL;
	return p;
}

static int run_interactive(hq_shell *sh)
{
	_cleanup_free_ char *hist = history_path();
	hq_buf stmt = HQ_BUF_INIT(16 << 20);
	int result = 0;

	rl_readline_name = "hostqi";
	if (hq_shell_ext_getc(sh))
		rl_getc_function = hq_shell_ext_getc(sh);
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,)";
	using_history();
	if (hist)
		(void)read_history(hist);
	printf("Using a virtual database. Need help, type '.help'\n");

	for (;;) {
		char *line = readline(stmt.len ? "    ...> " : "hostq> ");

		if (!line) {
			putchar('\n');
			break;
		}
		if (!stmt.len && line[0] == '.') {
			int r;

			add_history(line);
			r = hq_shell_dot_command(sh, line);
			free(line);
			if (r == 1)
				break;
			continue;
		}
		if (stmt.len)
			hq_buf_putc(&stmt, '\n');
		hq_buf_puts(&stmt, line);
		free(line);
		if (stmt.error) {
			fprintf(stderr, "Error: statement too long\n");
			hq_buf_done(&stmt);
			continue;
		}
		if (!sqlite3_complete(stmt.data))
			continue;
		add_history(stmt.data);
		hq_shell_interrupted = 0;
		(void)hq_shell_run_sql(sh, stmt.data);
		hq_buf_done(&stmt);
	}
	hq_buf_done(&stmt);
	if (hist) {
		(void)write_history(hist);
		(void)chmod(hist, 0600);
	}
	return result;
}

/* Runs a script: SQL statements, with dot-commands allowed on their own lines. */
static int run_script(hq_shell *sh, FILE *in)
{
	_cleanup_free_ char *line = NULL;
	hq_buf stmt = HQ_BUF_INIT(64 << 20);
	size_t cap = 0;
	int result = 0;

	while (hq_shell_ext_wait_input(sh, in), getline(&line, &cap, in) >= 0) {
		if (!stmt.len && line[0] == '.') {
			int r = hq_shell_dot_command(sh, line);

			if (r == 1)
				break;
			if (r < 0)
				result = 1;
			continue;
		}
		hq_buf_puts(&stmt, line);
		if (stmt.error) {
			fprintf(stderr, "Error: input too long\n");
			hq_buf_done(&stmt);
			return 1;
		}
		if (!sqlite3_complete(stmt.data))
			continue;
		if (hq_shell_run_sql(sh, stmt.data) < 0)
			result = 1;
		hq_buf_done(&stmt);
	}
	/* A final statement without a semicolon still runs. */
	if (stmt.len && strspn(stmt.data, " \t\r\n") != stmt.len &&
	    hq_shell_run_sql(sh, stmt.data) < 0)
		result = 1;
	hq_buf_done(&stmt);
	return result;
}

int main(int argc, char **argv)
{
	hq_shell sh = {.out = stdout};
	hq_engine_config cfg = {0};
	hq_agent_info info;
	int r, result = 0;

	r = hq_shell_parse_flags(&sh.s, argc, argv);
	if (r != 0) {
		hq_shell_settings_done(&sh.s);
		return r > 0 ? 0 : 2;
	}
	if (sh.s.verbose) {
		_cleanup_free_ char *names = NULL;

		hq_log_set_max_level(HQ_LOG_DEBUG);
		if (hq_options_unsupported_in_use(&names) > 0)
			hq_log_warning("flags accepted for osquery compatibility have no effect in "
				       "hostq: %s",
				       names);
	}

	hq_agent_info_get(&info);
	info.binary = "hostqi";
	hq_agent_info_set(&info);

	cfg.root = sh.s.root;
	cfg.query_timeout_ms = (int64_t)(sh.s.query_timeout * 1000);
	cfg.heap_limit = (int64_t)sh.s.memory_limit_mb << 20;
	r = hq_engine_new(&cfg, &sh.engine);
	if (r < 0) {
		fprintf(stderr, "hostqi: cannot start the SQL engine: %s\n", strerror(-r));
		hq_shell_settings_done(&sh.s);
		return 1;
	}
	/* The flag table describes this process too, as in osqueryi. */
	r = hq_engine_add_table(sh.engine, &hq_table_osquery_flags);
	if (r < 0)
		hq_log_warning("cannot register osquery_flags: %s", strerror(-r));
	if (hq_shell_ext_start(&sh, sh.s.list_tables || sh.s.select_all || sh.s.n_positional > 0) <
	    0) {
		sh.engine = hq_engine_free(sh.engine);
		hq_shell_settings_done(&sh.s);
		return 1;
	}
	completion_shell = &sh;
	signal(SIGINT, on_sigint);
	signal(SIGPIPE, SIG_IGN);

	if (sh.s.list_tables)
		result = hq_shell_dot_command(&sh, ".tables") < 0;
	else if (sh.s.select_all) {
		_cleanup_free_ char *cmd = NULL;

		if (asprintf(&cmd, ".all %s", sh.s.select_all) < 0)
			result = 1;
		else
			result = hq_shell_dot_command(&sh, cmd) < 0;
	} else if (sh.s.n_positional > 0) {
		for (size_t i = 0; i < sh.s.n_positional && !result; i++) {
			const char *q = sh.s.positional[i];

			if (q[0] == '.')
				result = hq_shell_dot_command(&sh, q) < 0;
			else
				result = hq_shell_run_sql(&sh, q) < 0;
		}
	} else if (!isatty(STDIN_FILENO))
		result = run_script(&sh, stdin);
	else {
		sh.interactive = true;
		result = run_interactive(&sh);
	}

	completion_shell = NULL;
	hq_shell_ext_stop(&sh);
	sh.engine = hq_engine_free(sh.engine);
	hq_shell_settings_done(&sh.s);
	return result;
}
