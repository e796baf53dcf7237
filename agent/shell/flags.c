/* hostqi's command line: osqueryi's output flags plus the engine's root and budgets, in gflags
 * syntax (--name=value, --name value, --noname for booleans, --name=true/false) and osquery
 * flagfiles (--flagfile=FILE: one flag per line, # comments). */
#include <getopt.h>
#include <strings.h>

#include "hq/util.h"
#include "options/options.h"
#include "shell/shell.h"

static const char *const mode_names[_HQ_MODE_MAX] = {
	[HQ_MODE_PRETTY] = "pretty", [HQ_MODE_LINE] = "line", [HQ_MODE_CSV] = "csv",
	[HQ_MODE_JSON] = "json",     [HQ_MODE_LIST] = "list",
};

hq_output_mode hq_output_mode_from_string(const char *s)
{
	for (int i = 0; i < _HQ_MODE_MAX; i++)
		if (strcasecmp(s, mode_names[i]) == 0)
			return (hq_output_mode)i;
	return _HQ_MODE_INVALID;
}

const char *hq_output_mode_to_string(hq_output_mode m)
{
	return m >= 0 && m < _HQ_MODE_MAX ? mode_names[m] : NULL;
}

void hq_shell_usage(FILE *f)
{
	fputs("Usage: hostqi [OPTION]... [SQL]\n"
	      "Ask this host questions in SQL (osqueryi-compatible shell).\n"
	      "With SQL, runs it and exits; with SQL on standard input, runs that; otherwise\n"
	      "starts an interactive shell (.help lists its commands).\n\n"
	      "Output:\n"
	      "  --json               JSON array of objects, every value a string\n"
	      "  --csv                delimited rows (separator '|' unless --separator)\n"
	      "  --line               one 'column = value' line per value\n"
	      "  --list               delimited rows, like --csv\n"
	      "  --header[=BOOL]      print column names (default true; --noheader)\n"
	      "  --separator=SEP      field separator for --csv/--list (default '|')\n"
	      "  --A TABLE            select all from TABLE and exit\n"
	      "  --L                  list all tables and exit\n\n"
	      "Engine:\n"
	      "  --root=DIR           read host files below DIR (also HOSTQ_ROOT)\n"
	      "  --query_timeout=SEC  stop a statement after SEC seconds (0 = no limit)\n"
	      "  --query_memory_limit=MB  cap SQLite's heap (0 = no cap)\n\n"
	      "General:\n"
	      "  --flagfile=FILE      read flags from FILE (one per line, # comments)\n"
	      "  --verbose            debug logging on stderr\n"
	      "  --version            print the version and exit\n"
	      "  --help               print this help and exit\n",
	      f);
}

/* A flag given without a value is true (--json); otherwise the agent's boolean spellings. */
static int parse_bool(const char *v, bool *ret)
{
	if (!v) {
		*ret = true;
		return 0;
	}
	return hq_options_parse_bool(v, ret);
}

static int set_string(char **dst, const char *v)
{
	char *n = strdup(v);

	if (!n)
		return -ENOMEM;
	free(*dst);
	*dst = n;
	return 0;
}

static int parse_file(hq_shell_settings *s, const char *path, int depth);

/* Every other osquery flag (the agent's shared flag table): osqueryi accepts the daemon's flags
 * too, so one flagfile serves both. Most have no effect in the shell; they are recorded so
 * osquery_flags shows them. */
static int apply_agent_flag(const char *name, const char *value, bool *used_value)
{
	const char *flag = name;
	bool negated = false;
	const hq_option_def *def = hq_options_find(name);

	if (!def && strncmp(name, "no", 2) == 0 && (def = hq_options_find(name + 2)) &&
	    def->type == HQ_OPT_BOOL) {
		flag = name + 2;
		negated = true;
	}
	if (!def || (negated && def->type != HQ_OPT_BOOL))
		return -ENOENT;
	if (def->type == HQ_OPT_BOOL) {
		bool b;

		/* A following argument that is no boolean is not this flag's value. */
		*used_value = !negated && value && parse_bool(value, &b) == 0;
		return hq_options_set(flag,
				      negated	    ? "false"
				      : *used_value ? value
						    : "true",
				      HQ_OPT_SRC_CLI) < 0
			       ? -EINVAL
			       : 0;
	}
	*used_value = true;
	if (!value)
		return -ENODATA;
	return hq_options_set(flag, value, HQ_OPT_SRC_CLI) < 0 ? -EINVAL : 0;
}

/* Applies one flag. takes_next tells the caller that value came from the next argument. */
static int apply_flag(hq_shell_settings *s, const char *name, const char *value, bool *used_value,
		      int depth)
{
	bool b, negated = false;
	int r;

	*used_value = value != NULL;
	/* Boolean flags: --x, --x=true|false, --nox. */
	struct {
		const char *name;
		bool *target;
		int mode;
	} bools[] = {
		{"json", NULL, HQ_MODE_JSON}, {"csv", NULL, HQ_MODE_CSV},
		{"line", NULL, HQ_MODE_LINE}, {"list", NULL, HQ_MODE_LIST},
		{"header", &s->header, -1},   {"headers", &s->header, -1},
		{"verbose", &s->verbose, -1}, {"L", &s->list_tables, -1},
		{"timer", &s->timer, -1},
	};
	for (int pass = 0; pass < 2; pass++) {
		const char *n = name;

		if (pass == 1) {
			if (strncmp(name, "no", 2) != 0)
				break;
			n = name + 2;
			negated = true;
		}
		for (size_t i = 0; i < HQ_ELEMENTSOF(bools); i++) {
			if (strcmp(n, bools[i].name) != 0)
				continue;
			/* --noX takes no value; a following argument is the next one. */
			if (negated) {
				*used_value = false;
				b = true;
			} else if (value && parse_bool(value, &b) < 0) {
				/* A following argument that is no boolean is not this flag's. */
				*used_value = false;
				b = true;
			} else if (!value)
				b = true;
			if (negated)
				b = !b;
			if (bools[i].target)
				*bools[i].target = b;
			else if (b)
				s->mode = (hq_output_mode)bools[i].mode;
			else if (s->mode == (hq_output_mode)bools[i].mode)
				s->mode = HQ_MODE_PRETTY;
			return 0;
		}
	}
	r = hq_shell_ext_flag(s, name, value, false, used_value);
	if (r != -ENOENT)
		return r;
	if (strncmp(name, "no", 2) == 0) {
		r = hq_shell_ext_flag(s, name + 2, value, true, used_value);
		if (r != -ENOENT)
			return r;
	}
	static const char *const valued[] = {"separator", "root",	   "A",
					     "flagfile",  "query_timeout", "query_memory_limit"};
	bool known = false;

	for (size_t i = 0; i < HQ_ELEMENTSOF(valued); i++)
		known = known || strcmp(name, valued[i]) == 0;
	if (!known)
		return apply_agent_flag(name, value, used_value);
	*used_value = true;
	if (!value)
		return -ENODATA;
	if (strcmp(name, "separator") == 0) {
		if (strlen(value) >= sizeof(s->separator))
			return -EINVAL;
		strcpy(s->separator, value);
		return 0;
	}
	if (strcmp(name, "root") == 0)
		return set_string(&s->root, value);
	if (strcmp(name, "A") == 0)
		return set_string(&s->select_all, value);
	if (strcmp(name, "flagfile") == 0)
		return parse_file(s, value, depth + 1);
	if (strcmp(name, "query_timeout") == 0) {
		char *end;
		double d = strtod(value, &end);

		if (*end || d < 0)
			return -EINVAL;
		s->query_timeout = d;
		return 0;
	}
	if (strcmp(name, "query_memory_limit") == 0) {
		int64_t v;

		r = hq_safe_atoi64(value, &v);
		if (r < 0 || v < 0)
			return -EINVAL;
		s->memory_limit_mb = (long)v;
		return 0;
	}
	return -ENOENT;
}

/* Prints why a flag was refused, prefixed by where it came from ("" or "FILE:LINE: "), and
 * returns -ECANCELED: the caller only unwinds, the message is out. */
static int report(const char *where, const char *name, int r)
{
	switch (r) {
	case -ECANCELED:
		break; /* a nested flagfile already said why */
	case -ENOENT:
		fprintf(stderr, "hostqi: %sunknown flag --%s\n", where, name);
		break;
	case -ENODATA:
		fprintf(stderr, "hostqi: %sflag --%s needs a value\n", where, name);
		break;
	case -ELOOP:
		fprintf(stderr, "hostqi: %sflagfiles nested too deeply at --%s\n", where, name);
		break;
	case -EINVAL:
		fprintf(stderr, "hostqi: %sinvalid value for --%s\n", where, name);
		break;
	default:
		fprintf(stderr, "hostqi: %s--%s: %s\n", where, name, strerror(-r));
	}
	return -ECANCELED;
}

static int parse_file(hq_shell_settings *s, const char *path, int depth)
{
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;

	if (depth > 8)
		return -ELOOP;
	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "hostqi: cannot read flagfile %s: %m\n", path);
		return -ECANCELED;
	}
	while (getline(&line, &cap, f) >= 0) {
		char *p = line, *eq;
		bool used;
		int r;

		lineno++;
		hq_strstrip_trailing(p);
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		if (strncmp(p, "--", 2) != 0) {
			fprintf(stderr, "hostqi: %s:%u: expected --name=value\n", path, lineno);
			return -ECANCELED;
		}
		p += 2;
		eq = strchr(p, '=');
		if (eq)
			*eq++ = '\0';
		r = apply_flag(s, p, eq, &used, depth);
		if (r < 0) {
			char where[512];

			snprintf(where, sizeof(where), "%s:%u: ", path, lineno);
			return report(where, p, r);
		}
	}
	return 0;
}

static int add_positional(hq_shell_settings *s, char *arg)
{
	char **n = reallocarray(s->positional, s->n_positional + 1, sizeof(char *));

	if (!n)
		return -ENOMEM;
	s->positional = n;
	s->positional[s->n_positional++] = arg;
	return 0;
}

int hq_shell_parse_flags(hq_shell_settings *s, int argc, char **argv)
{
	const char *env_root = secure_getenv("HOSTQ_ROOT");

	*s = (hq_shell_settings){.mode = HQ_MODE_PRETTY, .header = true};
	if (hq_options_reset() < 0)
		return -ENOMEM;
	strcpy(s->separator, "|");
	if (env_root && *env_root && set_string(&s->root, env_root) < 0)
		return -ENOMEM;

	for (int i = 1; i < argc; i++) {
		char *arg = argv[i], *eq;
		bool used;
		int r;

		if (strcmp(arg, "--") == 0) {
			for (i++; i < argc; i++)
				if (add_positional(s, argv[i]) < 0)
					return -ENOMEM;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			if (add_positional(s, arg) < 0)
				return -ENOMEM;
			continue;
		}
		arg += arg[1] == '-' ? 2 : 1;
		if (strcmp(arg, "help") == 0 || strcmp(arg, "h") == 0) {
			hq_shell_usage(stdout);
			return 1;
		}
		if (strcmp(arg, "version") == 0) {
			printf("hostqi version %s\n", HQ_VERSION);
			return 1;
		}
		eq = strchr(arg, '=');
		if (eq) {
			_cleanup_free_ char *name = strndup(arg, (size_t)(eq - arg));

			if (!name)
				return -ENOMEM;
			r = apply_flag(s, name, eq + 1, &used, 0);
			if (r < 0) {
				report("", name, r);
				hq_shell_usage(stderr);
				return -EINVAL;
			}
			continue;
		}
		r = apply_flag(s, arg, i + 1 < argc ? argv[i + 1] : NULL, &used, 0);
		if (r < 0) {
			report("", arg, r);
			hq_shell_usage(stderr);
			return -EINVAL;
		}
		if (used)
			i++;
	}
	/* The shell parses --verbose itself; osquery_flags should still show it. */
	(void)hq_options_set("verbose", s->verbose ? "true" : "false", HQ_OPT_SRC_CLI);
	return 0;
}

void hq_shell_settings_done(hq_shell_settings *s)
{
	hq_shell_ext_settings_done(s);
	free(s->root);
	free(s->select_all);
	free(s->positional);
	s->root = s->select_all = NULL;
	s->positional = NULL;
}
