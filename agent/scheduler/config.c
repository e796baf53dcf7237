/* osquery config JSON parser and merger (see config.h). */
#include <ctype.h>
#include <glob.h>
#include <inttypes.h>
#include <stdarg.h>

#include "hq/digest.h"
#include "scheduler/config.h"

typedef struct strv_builder {
	char **v;
	size_t n;
} strv_builder;

static int strv_push(strv_builder *b, char *s)
{
	char **nv;

	if (!s)
		return -ENOMEM;
	nv = realloc(b->v, (b->n + 2) * sizeof(char *));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	b->v = nv;
	b->v[b->n++] = s;
	b->v[b->n] = NULL;
	return 0;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static char *strdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

typedef struct parser {
	hq_config *c;
	strv_builder warnings;
	strv_builder dec_load, dec_always;
	const char *delim;
	hq_config_pack_fn resolve_pack;
	void *userdata;
	char *error;
	int oom;
} parser;

static void warnf(parser *p, const char *fmt, ...) _printf_(2, 3);
static void warnf(parser *p, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (strv_push(&p->warnings, s) < 0)
		p->oom = 1;
}

static int failf(parser *p, const char *fmt, ...) _printf_(2, 3);
static int failf(parser *p, const char *fmt, ...)
{
	va_list ap;

	free(p->error);
	va_start(ap, fmt);
	if (vasprintf(&p->error, fmt, ap) < 0)
		p->error = NULL;
	va_end(ap);
	return -EINVAL;
}

void hq_config_strip_comments(char *text)
{
	char *line = text;

	while (line && *line) {
		char *end = strchr(line, '\n');
		char *s = line;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#' || (s[0] == '/' && s[1] == '/')) {
			/* Blank the line but keep its newline so error positions stay right. */
			for (char *q = line; q < (end ? end : line + strlen(line)); q++)
				*q = ' ';
		} else if (end && end > line && end[-1] == '\\') {
			/* A trailing backslash joins the next line. */
			end[-1] = ' ';
			*end = ' ';
		}
		line = end ? end + 1 : NULL;
	}
}

static int json_depth(json_t *j)
{
	int max = 0;

	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v)
		{
			int d = json_depth(v);
			if (d > max)
				max = d;
			if (max >= HQ_CONFIG_MAX_DEPTH)
				break;
		}
		return max + 1;
	}
	if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			int d = json_depth(v);
			if (d > max)
				max = d;
			if (max >= HQ_CONFIG_MAX_DEPTH)
				break;
		}
		return max + 1;
	}
	return 0;
}

/* Options values become the text a flag parser takes: strings as-is, booleans true/false,
 * integers in decimal, anything else JSON-encoded (osquery does the same). */
static char *option_text(json_t *v)
{
	char *s = NULL;

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_boolean(v))
		return strdup(json_is_true(v) ? "true" : "false");
	if (json_is_integer(v)) {
		if (asprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) < 0)
			return NULL;
		return s;
	}
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int parse_options(parser *p, const char *src, json_t *opts)
{
	const char *k;
	json_t *v;

	if (!json_is_object(opts))
		return failf(p, "%s: \"options\" must be an object", src);
	json_object_foreach(opts, k, v)
	{
		_cleanup_free_ char *t = option_text(v);
		if (!t)
			return -ENOMEM;
		if (json_object_set_new(p->c->options, k, json_string(t)) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Interval: a JSON integer or numeric string. Absent → 0 (default); invalid → -1. */
static int64_t parse_interval(json_t *v)
{
	int64_t n;

	if (!v)
		return 0;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_real(v))
		n = (int64_t)json_real_value(v);
	else if (json_is_string(v)) {
		if (hq_safe_atoi64(json_string_value(v), &n) < 0)
			return -1;
	} else
		return -1;
	if (n < 1 || n > HQ_INTERVAL_MAX)
		return -1;
	return n;
}

static int parse_shard(json_t *v)
{
	int64_t n = 0;

	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_string(v) && hq_safe_atoi64(json_string_value(v), &n) < 0)
		return 0;
	return n >= 1 && n <= 100 ? (int)n : 0;
}

static bool bool_member(json_t *o, const char *key, bool def)
{
	json_t *v = json_object_get(o, key);

	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
			return true;
		if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
			return false;
	}
	return def;
}

static const char *str_member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool name_taken(parser *p, const char *name)
{
	for (size_t i = 0; i < p->c->n_queries; i++)
		if (strcmp(p->c->queries[i].name, name) == 0)
			return true;
	return false;
}

static bool name_reserved(const char *name)
{
	size_t n = strlen(name);

	return hq_startswith(name, "query.") || hq_startswith(name, "cache.") ||
	       hq_startswith(name, "config_views.") ||
	       (n >= 5 && strcmp(name + n - 5, "epoch") == 0) ||
	       (n >= 7 && strcmp(name + n - 7, "counter") == 0);
}

static int add_query(parser *p, size_t pack_index, const char *pack, const char *qname, json_t *obj)
{
	hq_sched_query *q, *nq;
	const char *sql;
	int64_t interval;
	char *full = NULL;

	if (!json_is_object(obj)) {
		warnf(p, "query '%s' in pack '%s' is not an object, skipping", qname, pack);
		return 0;
	}
	sql = str_member(obj, "query");
	if (!sql) {
		warnf(p, "query '%s' in pack '%s' has no \"query\" string, skipping", qname, pack);
		return 0;
	}
	interval = parse_interval(json_object_get(obj, "interval"));
	if (interval < 0) {
		warnf(p, "query '%s' in pack '%s' has an invalid interval (1-%d), skipping", qname,
		      pack, HQ_INTERVAL_MAX);
		return 0;
	}
	if (strcmp(pack, "main") == 0)
		full = strdup(qname);
	else if (asprintf(&full, "pack%s%s%s%s", p->delim, pack, p->delim, qname) < 0)
		full = NULL;
	if (!full)
		return -ENOMEM;
	if (name_reserved(full)) {
		warnf(p, "query name '%s' is reserved, skipping", full);
		free(full);
		return 0;
	}
	if (name_taken(p, full)) {
		warnf(p, "duplicate query name '%s', skipping", full);
		free(full);
		return 0;
	}
	nq = realloc(p->c->queries, (p->c->n_queries + 1) * sizeof(*nq));
	if (!nq) {
		free(full);
		return -ENOMEM;
	}
	p->c->queries = nq;
	q = &nq[p->c->n_queries++];
	*q = (hq_sched_query){
		.name = full,
		.pack = strdup(pack),
		.sql = strdup(sql),
		.interval = interval,
		.snapshot = bool_member(obj, "snapshot", false),
		.removed = bool_member(obj, "removed", true),
		.denylist = bool_member(obj, "denylist", true),
		.platform = strdup_or_null(str_member(obj, "platform")),
		.version = strdup_or_null(str_member(obj, "version")),
		.shard = parse_shard(json_object_get(obj, "shard")),
		.startup_priority =
			json_is_integer(json_object_get(obj, "startup_priority"))
				? json_integer_value(json_object_get(obj, "startup_priority"))
				: -1,
		.pack_index = pack_index,
	};
	if (!q->pack || !q->sql)
		return -ENOMEM;
	return 0;
}

static int add_pack(parser *p, const char *src, const char *name, json_t *obj)
{
	hq_pack *np, *pk;
	json_t *queries, *disc, *v;
	const char *k;
	strv_builder dv = {0};
	size_t idx, i, before;
	int r;

	if (!json_is_object(obj)) {
		warnf(p, "pack '%s' is not an object, skipping", name);
		return 0;
	}
	for (i = 0; i < p->c->n_packs; i++)
		if (strcmp(p->c->packs[i].name, name) == 0 && strcmp(name, "main") != 0) {
			warnf(p, "duplicate pack '%s', skipping", name);
			return 0;
		}
	disc = json_object_get(obj, "discovery");
	json_array_foreach(disc, i, v) if (json_is_string(v) &&
					   strv_push(&dv, strdup(json_string_value(v))) < 0)
	{
		strv_free(dv.v);
		return -ENOMEM;
	}
	np = realloc(p->c->packs, (p->c->n_packs + 1) * sizeof(*np));
	if (!np) {
		strv_free(dv.v);
		return -ENOMEM;
	}
	p->c->packs = np;
	idx = p->c->n_packs++;
	pk = &np[idx];
	*pk = (hq_pack){
		.name = strdup(name),
		.source = strdup(src),
		.platform = strdup_or_null(str_member(obj, "platform")),
		.version = strdup_or_null(str_member(obj, "version")),
		.shard = parse_shard(json_object_get(obj, "shard")),
		.discovery = dv.v,
	};
	if (!pk->name || !pk->source)
		return -ENOMEM;
	queries = json_object_get(obj, "queries");
	if (queries && !json_is_object(queries)) {
		warnf(p, "pack '%s': \"queries\" is not an object", name);
		return 0;
	}
	before = p->c->n_queries;
	json_object_foreach(queries, k, v)
	{
		r = add_query(p, idx, name, k, v);
		if (r < 0)
			return r;
	}
	p->c->packs[idx].n_queries = p->c->n_queries - before;
	return 0;
}

static int parse_pack_text(parser *p, const char *src, const char *name, const char *text)
{
	json_error_t err;
	_cleanup_free_ char *copy = strdup(text);
	json_t *j;
	int r;

	if (!copy)
		return -ENOMEM;
	hq_config_strip_comments(copy);
	j = json_loads(copy, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		warnf(p, "pack '%s' (%s:%d:%d): %s, skipping", name, src, err.line, err.column,
		      err.text);
		return 0;
	}
	r = add_pack(p, src, name, j);
	json_decref(j);
	return r;
}

static int resolve_string_pack(parser *p, const char *name, const char *value)
{
	_cleanup_free_ char *text = NULL;
	int r;

	if (!p->resolve_pack) {
		warnf(p, "pack '%s' is a reference that this config plugin cannot resolve", name);
		return 0;
	}
	if (strcmp(name, "*") == 0) {
		/* "%" is osquery's wildcard; each matching file is a pack named after its stem. */
		_cleanup_free_ char *pattern = strdup(value);
		glob_t g = {0};
		if (!pattern)
			return -ENOMEM;
		for (char *c = pattern; *c; c++)
			if (*c == '%')
				*c = '*';
		if (glob(pattern, 0, NULL, &g) != 0) {
			globfree(&g);
			warnf(p, "pack glob '%s' matched nothing", value);
			return 0;
		}
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *base = strrchr(g.gl_pathv[i], '/');
			_cleanup_free_ char *stem = strdup(base ? base + 1 : g.gl_pathv[i]);
			_cleanup_free_ char *t = NULL;
			char *dot;
			if (!stem) {
				globfree(&g);
				return -ENOMEM;
			}
			dot = strrchr(stem, '.');
			if (dot && dot != stem)
				*dot = '\0';
			r = p->resolve_pack(stem, g.gl_pathv[i], &t, p->userdata);
			if (r < 0) {
				warnf(p, "cannot read pack %s: %s", g.gl_pathv[i], strerror(-r));
				continue;
			}
			r = parse_pack_text(p, g.gl_pathv[i], stem, t);
			if (r < 0) {
				globfree(&g);
				return r;
			}
		}
		globfree(&g);
		return 0;
	}
	r = p->resolve_pack(name, value, &text, p->userdata);
	if (r < 0) {
		warnf(p, "cannot read pack '%s' from %s: %s", name, value, strerror(-r));
		return 0;
	}
	return parse_pack_text(p, value, name, text);
}

static int parse_decorators(parser *p, const char *src, json_t *d)
{
	json_t *v, *arr;
	const char *k;
	size_t i;

	if (!json_is_object(d))
		return failf(p, "%s: \"decorators\" must be an object", src);
	json_array_foreach(json_object_get(d, "load"), i,
			   v) if (json_is_string(v) &&
				  strv_push(&p->dec_load, strdup(json_string_value(v))) <
					  0) return -ENOMEM;
	json_array_foreach(json_object_get(d, "always"), i,
			   v) if (json_is_string(v) &&
				  strv_push(&p->dec_always, strdup(json_string_value(v))) <
					  0) return -ENOMEM;
	json_object_foreach(json_object_get(d, "interval"), k, arr)
	{
		int64_t iv;
		if (hq_safe_atoi64(k, &iv) < 0 || iv <= 0 || iv % 60 != 0) {
			warnf(p, "decorator interval '%s' is not a multiple of 60, skipping", k);
			continue;
		}
		json_array_foreach(arr, i, v)
		{
			hq_decorator *nd;
			if (!json_is_string(v))
				continue;
			nd = realloc(p->c->decorators_interval,
				     (p->c->n_decorators_interval + 1) * sizeof(*nd));
			if (!nd)
				return -ENOMEM;
			p->c->decorators_interval = nd;
			nd[p->c->n_decorators_interval] =
				(hq_decorator){.interval = iv, .sql = strdup(json_string_value(v))};
			if (!nd[p->c->n_decorators_interval++].sql)
				return -ENOMEM;
		}
	}
	return 0;
}

static int merge_file_paths(parser *p, json_t *fp)
{
	const char *k;
	json_t *v;

	json_object_foreach(fp, k, v)
	{
		json_t *have = json_object_get(p->c->file_paths, k);
		if (!json_is_array(v))
			continue;
		if (have)
			json_array_extend(have, v);
		else
			json_object_set(p->c->file_paths, k, v);
	}
	return 0;
}

static int parse_source(parser *p, const hq_config_source *s, json_t **ret_root)
{
	_cleanup_free_ char *text = NULL;
	json_error_t err;
	json_t *root;
	size_t len = s->json ? strlen(s->json) : 0;

	if (len > HQ_CONFIG_MAX_SIZE)
		return failf(p, "%s: config is larger than %u bytes", s->name, HQ_CONFIG_MAX_SIZE);
	text = strdup(s->json ?: "");
	if (!text)
		return -ENOMEM;
	hq_config_strip_comments(text);
	/* An empty source (all comments) is an empty config, as in osquery. */
	if (strspn(text, " \t\r\n") == strlen(text))
		root = json_object();
	else
		root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		return failf(p, "%s:%d:%d: %s", s->name, err.line, err.column, err.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return failf(p, "%s:1:1: the config root must be a JSON object", s->name);
	}
	if (json_depth(root) >= HQ_CONFIG_MAX_DEPTH) {
		json_decref(root);
		return failf(p, "%s: config nesting is deeper than %d", s->name,
			     HQ_CONFIG_MAX_DEPTH);
	}
	*ret_root = root;
	return 0;
}

/* SHA-1 through OpenSSL's low-level functions: EVP would load OpenSSL's provider machinery,
 * about 2 MB of resident memory in a daemon that otherwise never uses libcrypto (idle RSS
 * target 8 MB). */
static int sha1_hex(const hq_config_source *sources, size_t n, char out[static 41])
{
	_cleanup_(hq_digest_freep) hq_digest *d = NULL;
	char hex[HQ_DIGEST_HEX_MAX];
	int r;

	r = hq_digest_new(HQ_DIGEST_SHA1, HQ_DIGEST_LOW_LEVEL, &d);
	for (size_t i = 0; r >= 0 && i < n; i++)
		if (sources[i].json)
			r = hq_digest_update(d, sources[i].json, strlen(sources[i].json));
	if (r >= 0)
		r = hq_digest_final_hex(d, hex);
	if (r < 0)
		return r;
	memcpy(out, hex, 41);
	return 0;
}

int hq_config_parse(const hq_config_source *sources, size_t n, const char *pack_delimiter,
		    hq_config_pack_fn resolve_pack, void *userdata, hq_config **ret,
		    char **ret_error)
{
	_cleanup_(hq_config_freep) hq_config *c = calloc(1, sizeof(*c));
	parser p = {.resolve_pack = resolve_pack, .userdata = userdata};
	json_t **roots;
	int r = 0;

	if (ret_error)
		*ret_error = NULL;
	if (!c)
		return -ENOMEM;
	c->options = json_object();
	c->file_paths = json_object();
	c->sources = json_object();
	if (!c->options || !c->file_paths || !c->sources)
		return -ENOMEM;
	p.c = c;
	roots = calloc(n + 1, sizeof(json_t *));
	if (!roots)
		return -ENOMEM;

	/* Pass 1: syntax of every source and the options (applied before other keys). */
	for (size_t i = 0; i < n && r >= 0; i++) {
		r = parse_source(&p, &sources[i], &roots[i]);
		if (r >= 0 && json_object_get(roots[i], "options"))
			r = parse_options(&p, sources[i].name,
					  json_object_get(roots[i], "options"));
	}
	p.delim = str_member(c->options, "pack_delimiter") ?: pack_delimiter ?: "_";

	/* Pass 2: schedule, packs, decorators, file_paths. */
	for (size_t i = 0; i < n && r >= 0; i++) {
		json_t *root = roots[i], *v;
		const char *k, *src = sources[i].name;

		json_object_set(c->sources, src, root);
		v = json_object_get(root, "schedule");
		if (v && !json_is_object(v))
			r = failf(&p, "%s: \"schedule\" must be an object", src);
		else if (v) {
			json_t *pack = json_pack("{sO}", "queries", v);
			r = pack ? add_pack(&p, src, "main", pack) : -ENOMEM;
			json_decref(pack);
		}
		v = json_object_get(root, "packs");
		if (r >= 0 && v && !json_is_object(v))
			r = failf(&p, "%s: \"packs\" must be an object", src);
		else if (r >= 0 && v) {
			json_t *pv;
			json_object_foreach(v, k, pv)
			{
				if (json_is_string(pv))
					r = resolve_string_pack(&p, k, json_string_value(pv));
				else
					r = add_pack(&p, src, k, pv);
				if (r < 0)
					break;
			}
		}
		v = json_object_get(root, "decorators");
		if (r >= 0 && v)
			r = parse_decorators(&p, src, v);
		v = json_object_get(root, "file_paths");
		if (r >= 0 && v)
			r = merge_file_paths(&p, v);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(roots[i]);
	free(roots);
	if (r >= 0 && p.oom)
		r = -ENOMEM;
	if (r >= 0) {
		r = sha1_hex(sources, n, c->hash);
		if (r == -EOPNOTSUPP && !p.error)
			p.error = strdup("cannot hash the config: libcrypto.so.3 cannot be loaded");
	}

	c->decorators_load = p.dec_load.v;
	c->decorators_always = p.dec_always.v;
	c->warnings = p.warnings.v;
	if (r < 0) {
		if (ret_error)
			*ret_error = TAKE_PTR(p.error);
		free(p.error);
		return r;
	}
	*ret = TAKE_PTR(c);
	return 0;
}

hq_config *hq_config_free(hq_config *c)
{
	if (!c)
		return NULL;
	json_decref(c->options);
	json_decref(c->file_paths);
	json_decref(c->sources);
	for (size_t i = 0; i < c->n_packs; i++) {
		free(c->packs[i].name);
		free(c->packs[i].source);
		free(c->packs[i].platform);
		free(c->packs[i].version);
		strv_free(c->packs[i].discovery);
	}
	free(c->packs);
	for (size_t i = 0; i < c->n_queries; i++) {
		free(c->queries[i].name);
		free(c->queries[i].pack);
		free(c->queries[i].sql);
		free(c->queries[i].platform);
		free(c->queries[i].version);
	}
	free(c->queries);
	strv_free(c->decorators_load);
	strv_free(c->decorators_always);
	for (size_t i = 0; i < c->n_decorators_interval; i++)
		free(c->decorators_interval[i].sql);
	free(c->decorators_interval);
	strv_free(c->warnings);
	free(c);
	return NULL;
}

bool hq_config_platform_matches(const char *platform)
{
	_cleanup_free_ char *copy = NULL;
	char *save = NULL, *tok;

	if (!platform || !*platform)
		return true;
	copy = strdup(platform);
	if (!copy)
		return false;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		if (strcmp(tok, "linux") == 0 || strcmp(tok, "posix") == 0 ||
		    strcmp(tok, "any") == 0 || strcmp(tok, "all") == 0)
			return true;
	return false;
}

bool hq_config_version_matches(const char *minimum, const char *ours)
{
	const char *a = minimum, *b = ours;

	if (!minimum || !*minimum)
		return true;
	if (!ours)
		return false;
	while (*a || *b) {
		long x = 0, y = 0;
		while (isdigit((unsigned char)*a))
			x = x * 10 + (*a++ - '0');
		while (isdigit((unsigned char)*b))
			y = y * 10 + (*b++ - '0');
		if (y != x)
			return y > x;
		/* Skip separators and any suffix (e.g. "-rc1") of this component. */
		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
	}
	return true;
}

int hq_config_host_shard(const char *hostname)
{
	_cleanup_(hq_digest_freep) hq_digest *d = NULL;
	uint8_t md[HQ_DIGEST_MAX_SIZE];

	if (hq_digest_new(HQ_DIGEST_SHA1, HQ_DIGEST_LOW_LEVEL, &d) < 0 ||
	    hq_digest_update(d, hostname, strlen(hostname)) < 0 || hq_digest_final(d, md) < 0)
		return 0;
	return md[0] * 100 / 255;
}

bool hq_config_query_applies(const hq_config *c, const hq_sched_query *q, int host_shard,
			     const char *version)
{
	const hq_pack *pk = q->pack_index < c->n_packs ? &c->packs[q->pack_index] : NULL;

	if (!hq_config_platform_matches(q->platform) ||
	    !hq_config_version_matches(q->version, version))
		return false;
	if (q->shard > 0 && q->shard < host_shard)
		return false;
	if (pk) {
		if (!hq_config_platform_matches(pk->platform) ||
		    !hq_config_version_matches(pk->version, version))
			return false;
		if (pk->shard > 0 && pk->shard < host_shard)
			return false;
	}
	return true;
}
