/* The flag table and its parsers: command line, flagfile, config options. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <strings.h>

#include "hq/util.h"
#include "options/options.h"

struct hq_options hq_opt;

#define HQ_OPT_DEF_(n, t, def, fl, al, desc)                                                       \
	{.name = #n,                                                                               \
	 .type = HQ_OPT_##t,                                                                       \
	 .default_value = def,                                                                     \
	 .flags = fl,                                                                              \
	 .alias = al,                                                                              \
	 .description = desc,                                                                      \
	 .offset = offsetof(struct hq_options, n)},
static const hq_option_def defs[] = {HQ_OPTIONS_LIST(HQ_OPT_DEF_)};
#undef HQ_OPT_DEF_

static void *field(const hq_option_def *d)
{
	return (char *)&hq_opt + d->offset;
}

size_t hq_options_all(const hq_option_def **ret_defs)
{
	*ret_defs = defs;
	return HQ_ELEMENTSOF(defs);
}

static const char *const type_names[_HQ_OPT_TYPE_MAX] = {
	[HQ_OPT_BOOL] = "bool",	    [HQ_OPT_INT] = "int32",	[HQ_OPT_STRING] = "string",
	[HQ_OPT_UINT32] = "uint32", [HQ_OPT_UINT64] = "uint64",
};

const char *hq_option_type_to_string(hq_option_type t)
{
	return t >= 0 && t < _HQ_OPT_TYPE_MAX ? type_names[t] : NULL;
}

const hq_option_def *hq_options_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < HQ_ELEMENTSOF(defs); i++)
		if (strcmp(defs[i].name, name) == 0 || hq_streq(defs[i].alias, name))
			return &defs[i];
	return NULL;
}

int hq_options_parse_bool(const char *v, bool *ret)
{
	static const char *const yes[] = {"true", "1", "yes", "on", "t", "y"};
	static const char *const no[] = {"false", "0", "no", "off", "f", "n"};

	for (size_t i = 0; i < HQ_ELEMENTSOF(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Stores value into the flag without source checks. */
static int set_value(const hq_option_def *d, const char *value)
{
	switch (d->type) {
	case HQ_OPT_BOOL: {
		bool b;
		int r = hq_options_parse_bool(value, &b);
		if (r < 0)
			return r;
		*(bool *)field(d) = b;
		return 0;
	}
	case HQ_OPT_INT:
	case HQ_OPT_UINT32:
	case HQ_OPT_UINT64: {
		int64_t v;
		/* gflags parses decimal; keep leading zeros decimal too ("0600" is a string flag).
		 */
		char *end;
		errno = 0;
		if (!*value)
			return -EINVAL;
		long long ll = strtoll(value, &end, 10);
		if (errno == ERANGE || *end != '\0')
			return -EINVAL;
		v = ll;
		/* Like gflags, an unsigned flag refuses a negative value. */
		if (d->type != HQ_OPT_INT && v < 0)
			return -EINVAL;
		if (d->type == HQ_OPT_UINT32 && v > UINT32_MAX)
			return -EINVAL;
		*(int64_t *)field(d) = v;
		return 0;
	}
	case HQ_OPT_STRING: {
		char *s = strdup(value);
		if (!s)
			return -ENOMEM;
		free(*(char **)field(d));
		*(char **)field(d) = s;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

int hq_options_reset(void)
{
	for (size_t i = 0; i < HQ_ELEMENTSOF(defs); i++) {
		int r = set_value(&defs[i], defs[i].default_value);
		if (r < 0)
			return r;
	}
	return 0;
}

void hq_options_done(void)
{
	for (size_t i = 0; i < HQ_ELEMENTSOF(defs); i++)
		if (defs[i].type == HQ_OPT_STRING) {
			free(*(char **)field(&defs[i]));
			*(char **)field(&defs[i]) = NULL;
		}
}

int hq_options_set(const char *name, const char *value, hq_option_source source)
{
	const hq_option_def *d = hq_options_find(name);

	if (!d)
		return -ENOENT;
	if (!value)
		return -EINVAL;
	if (source == HQ_OPT_SRC_CONFIG && (d->flags & HQ_OPT_CLI))
		return -EPERM;
	return set_value(d, value);
}

char *hq_options_value_string(const hq_option_def *d)
{
	char *s = NULL;

	switch (d->type) {
	case HQ_OPT_BOOL:
		return strdup(*(bool *)field(d) ? "true" : "false");
	case HQ_OPT_INT:
	case HQ_OPT_UINT32:
	case HQ_OPT_UINT64:
		if (asprintf(&s, "%" PRId64, *(int64_t *)field(d)) < 0)
			return NULL;
		return s;
	case HQ_OPT_STRING:
		return strdup(*(char **)field(d) ?: "");
	default:
		return NULL;
	}
}

bool hq_options_is_default(const hq_option_def *d)
{
	_cleanup_free_ char *v = hq_options_value_string(d);
	bool b;

	if (!v)
		return false;
	if (d->type == HQ_OPT_BOOL && hq_options_parse_bool(d->default_value, &b) == 0)
		return hq_streq(v, b ? "true" : "false");
	return hq_streq(v, d->default_value);
}

static int errorf(char **ret_error, const char *fmt, ...) _printf_(2, 3);
static int errorf(char **ret_error, const char *fmt, ...)
{
	va_list ap;

	if (!ret_error)
		return 0;
	va_start(ap, fmt);
	if (vasprintf(ret_error, fmt, ap) < 0)
		*ret_error = NULL;
	va_end(ap);
	return 0;
}

/* Splits "--name=value" / "-name=value" / "--noname" into the definition and its value.
 * *ret_value is NULL when no '=' was given. name_buf receives the bare name. */
static const hq_option_def *split_flag(const char *arg, char *name_buf, size_t size,
				       const char **ret_value, bool *ret_negated)
{
	const char *p = arg, *eq;
	size_t len;
	const hq_option_def *d;

	*ret_negated = false;
	*ret_value = NULL;
	while (*p == '-')
		p++;
	eq = strchr(p, '=');
	len = eq ? (size_t)(eq - p) : strlen(p);
	if (len >= size)
		len = size - 1;
	memcpy(name_buf, p, len);
	name_buf[len] = '\0';
	if (eq)
		*ret_value = eq + 1;
	d = hq_options_find(name_buf);
	if (!d && !eq && hq_startswith(name_buf, "no")) {
		d = hq_options_find(name_buf + 2);
		if (d && d->type == HQ_OPT_BOOL)
			*ret_negated = true;
		else
			d = NULL;
	}
	return d;
}

static int apply_one(const hq_option_def *d, const char *name, const char *value, bool negated,
		     char **ret_error)
{
	int r;

	if (negated) {
		if (value)
			return errorf(ret_error, "flag --no%s takes no value", d->name), -EINVAL;
		value = "false";
	}
	r = set_value(d, value);
	if (r < 0)
		return errorf(ret_error, "illegal value '%s' specified for %s flag '%s'", value,
			      hq_option_type_to_string(d->type), name),
		       r;
	return 0;
}

static int load_flagfile(const char *path, int depth, char **ret_error);

static int handle_flag(const hq_option_def *d, const char *name, const char *value, bool negated,
		       int depth, char **ret_error)
{
	int r = apply_one(d, name, value, negated, ret_error);

	if (r < 0)
		return r;
	if (d->offset == offsetof(struct hq_options, flagfile) && *hq_opt.flagfile) {
		_cleanup_free_ char *p = strdup(hq_opt.flagfile);
		if (!p)
			return -ENOMEM;
		return load_flagfile(p, depth + 1, ret_error);
	}
	return 0;
}

static int load_flagfile(const char *path, int depth, char **ret_error)
{
	_cleanup_fclose_ FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int r = 0;

	if (depth > 8)
		return errorf(ret_error, "%s: flagfiles nested too deeply", path), -ELOOP;
	f = fopen(path, "re");
	if (!f)
		return r = -errno,
		       errorf(ret_error, "cannot read flagfile %s: %s", path, strerror(-r)), r;
	while (getline(&line, &cap, f) >= 0) {
		char *s = line, name[128], *sp;
		const char *value;
		bool negated;
		const hq_option_def *d;

		lineno++;
		hq_strstrip_trailing(s);
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (*s != '-') {
			r = -EINVAL;
			errorf(ret_error, "%s:%u: expected --name=value, got '%s'", path, lineno,
			       s);
			break;
		}
		/* "--name value" in a flagfile: split at the first blank when there is no '='. */
		sp = strpbrk(s, " \t");
		if (sp && !memchr(s, '=', (size_t)(sp - s))) {
			*sp++ = '=';
			while (isspace((unsigned char)*sp))
				memmove(sp, sp + 1, strlen(sp));
		}
		d = split_flag(s, name, sizeof(name), &value, &negated);
		if (!d) {
			r = -ENOENT;
			errorf(ret_error, "%s:%u: unknown command line flag '%s'", path, lineno,
			       name);
			break;
		}
		if (!value && !negated && d->type != HQ_OPT_BOOL) {
			r = -EINVAL;
			errorf(ret_error, "%s:%u: flag '%s' is missing its argument", path, lineno,
			       name);
			break;
		}
		if (!value && !negated)
			value = "true";
		r = handle_flag(d, name, value, negated, depth, ret_error);
		if (r < 0) {
			if (ret_error && *ret_error) {
				char *e = NULL;
				if (asprintf(&e, "%s:%u: %s", path, lineno, *ret_error) >= 0) {
					free(*ret_error);
					*ret_error = e;
				}
			}
			break;
		}
	}
	free(line);
	return r;
}

int hq_options_load_flagfile(const char *path, char **ret_error)
{
	if (ret_error)
		*ret_error = NULL;
	return load_flagfile(path, 0, ret_error);
}

int hq_options_parse_argv(int argc, char **argv, const char *const *extra_bools,
			  unsigned *ret_extra, int *ret_index, char **ret_error)
{
	unsigned extra = 0;
	int i;

	if (ret_error)
		*ret_error = NULL;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *value;
		char name[128];
		bool negated, matched = false;
		const hq_option_def *d;
		int r;

		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		d = split_flag(arg, name, sizeof(name), &value, &negated);
		if (!d) {
			for (size_t k = 0; extra_bools && extra_bools[k]; k++)
				if (strcmp(name, extra_bools[k]) == 0 && !value) {
					extra |= 1u << k;
					matched = true;
				}
			if (matched)
				continue;
			errorf(ret_error, "unknown command line flag '%s'", name);
			return -ENOENT;
		}
		if (!value && !negated) {
			if (d->type == HQ_OPT_BOOL)
				value = "true";
			else if (i + 1 < argc)
				value = argv[++i];
			else {
				errorf(ret_error, "flag '%s' is missing its argument", name);
				return -EINVAL;
			}
		}
		r = handle_flag(d, name, value, negated, 0, ret_error);
		if (r < 0)
			return r;
	}
	if (ret_extra)
		*ret_extra = extra;
	if (ret_index)
		*ret_index = i;
	return 0;
}

int hq_options_unsupported_in_use(char **ret)
{
	hq_buf b = HQ_BUF_INIT(64 << 10);
	int n = 0;

	*ret = NULL;
	for (size_t i = 0; i < HQ_ELEMENTSOF(defs); i++) {
		if (!(defs[i].flags & HQ_OPT_UNSUPPORTED) || hq_options_is_default(&defs[i]))
			continue;
		hq_buf_printf(&b, "%s%s", n > 0 ? ", " : "", defs[i].name);
		n++;
	}
	if (n == 0) {
		hq_buf_done(&b);
		return 0;
	}
	*ret = hq_buf_steal(&b);
	return *ret ? n : -ENOMEM;
}

void hq_options_usage(FILE *f)
{
	size_t unsupported = 0;

	for (size_t i = 0; i < HQ_ELEMENTSOF(defs); i++) {
		const hq_option_def *d = &defs[i];
		if (d->flags & HQ_OPT_UNSUPPORTED)
			unsupported++;
		if (d->flags & (HQ_OPT_HIDDEN | HQ_OPT_UNSUPPORTED))
			continue;
		fprintf(f, "    --%s", d->name);
		if (d->type == HQ_OPT_BOOL)
			fprintf(f, "\n");
		else
			fprintf(f, " VALUE (default \"%s\")\n", d->default_value);
		fprintf(f, "        %s\n", d->description);
	}
	fprintf(f,
		"\n%zu more osquery flags are accepted so osquery flagfiles and configs load "
		"unchanged;\nthey have no effect in hostq (SELECT * FROM osquery_flags lists "
		"them).\n",
		unsupported);
}
