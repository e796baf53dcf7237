/* osquery's custom SQL functions: string splitting and regexes, inet_aton, concat, base64,
 * hashes, community_id_v1 and version_compare. Every function is pure, so all are registered
 * deterministic and innocuous. Bad input gives NULL (or, where osquery fails the query, an SQL
 * error naming the function); nothing here may crash on what a query passes in. */
#include <arpa/inet.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "hq/digest.h"
#include "hq/util.h"
#include "sql/functions.h"
#include "sql/version_compare.h"

/* osquery's default --regex_max_size: longer patterns are refused, which bounds both the
 * compile cost and the capture-group array below. */
#define REGEX_MAX_SIZE 256

/* The digests and base64 come from libcrypto, loaded on first use (hq/digest.h). */
#define LIBCRYPTO_MISSING "libcrypto.so.3 cannot be loaded"

_printf_(2, 3) static void result_errorf(sqlite3_context *ctx, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!msg) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_error(ctx, msg, -1);
	sqlite3_free(msg);
}

/* NULL in, NULL out: true, with the NULL result set, when an argument is NULL. */
static bool propagate_null(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	for (int i = 0; i < argc; i++) {
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
			sqlite3_result_null(ctx);
			return true;
		}
	}
	return false;
}

/* The text of a non-NULL value with its length; NULL (and the error set) only on OOM. */
static const char *value_text(sqlite3_context *ctx, sqlite3_value *v, size_t *ret_len)
{
	const char *s = (const char *)sqlite3_value_text(v);

	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	*ret_len = (size_t)sqlite3_value_bytes(v);
	return s;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* ---- split(str, tokens, index) ---- */

/* Like osquery: every byte of tokens separates, empty pieces are skipped, and each remaining
 * piece is trimmed of whitespace. */
static void fn_split(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s, *tokens;
	size_t n, nt, pos = 0;
	sqlite3_int64 index, k = 0;

	if (propagate_null(ctx, argc, argv))
		return;
	s = value_text(ctx, argv[0], &n);
	if (!s)
		return;
	tokens = value_text(ctx, argv[1], &nt);
	if (!tokens)
		return;
	if (nt == 0) {
		sqlite3_result_error(ctx, "split: the tokens argument must not be empty", -1);
		return;
	}
	index = sqlite3_value_int64(argv[2]);
	while (index >= 0 && pos <= n) {
		size_t e = pos, b = pos;

		while (e < n && !memchr(tokens, s[e], nt))
			e++;
		if (e > pos) {
			if (k == index) {
				while (b < e && is_space(s[b]))
					b++;
				while (e > b && is_space(s[e - 1]))
					e--;
				sqlite3_result_text(ctx, s + b, (int)(e - b), SQLITE_TRANSIENT);
				return;
			}
			k++;
		}
		pos = e + 1;
	}
	sqlite3_result_null(ctx);
}

/* ---- regexes ---- */

typedef struct regex_cache {
	regex_t re;
} regex_cache;

static void regex_cache_free(void *p)
{
	regex_cache *c = p;

	regfree(&c->re);
	free(c);
}

static void buf_puts(char **w, const char *s)
{
	size_t l = strlen(s);

	memcpy(*w, s, l);
	*w += l;
}

/* glibc compiles a+ and a{n,m} by copying a's tree, so stacked or nested repetitions grow
 * the compiled pattern exponentially ("a++++++++" or "((a{99}){99}){99}" exhaust memory), and
 * its epsilon closures grow with the square of the tree ("(.?){1000}" takes ~100 MB). The
 * pattern is refused when its estimated tree size passes this (about 25 MB at worst). */
#define REGEX_MAX_NODES 1000

typedef struct regex_frame {
	uint64_t sum;  /* estimated nodes of the group so far */
	uint64_t last; /* nodes of its last atom, which a quantifier would copy */
} regex_frame;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b > REGEX_MAX_NODES ? REGEX_MAX_NODES + 1 : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	return b != 0 && a > (REGEX_MAX_NODES + 1) / b ? REGEX_MAX_NODES + 1 : a * b;
}

/* The largest copy count of a bound "{n}", "{n,}" or "{n,m}" at pat[i] (0 if it is not one,
 * then '{' is a literal), with *ret_end just past the '}'. */
static uint64_t parse_bound(const char *pat, size_t n, size_t i, size_t *ret_end)
{
	uint64_t lo = 0, hi = 0;
	bool comma = false, digits = false, hi_digits = false;
	size_t e = i + 1;

	for (; e < n && pat[e] != '}'; e++) {
		if (pat[e] == ',' && !comma) {
			comma = true;
		} else if (pat[e] >= '0' && pat[e] <= '9') {
			uint64_t *v = comma ? &hi : &lo;

			*v = *v * 10 + (uint64_t)(pat[e] - '0');
			if (*v > 100000)
				*v = 100000;
			if (comma)
				hi_digits = true;
			else
				digits = true;
		} else {
			return 0;
		}
	}
	if (e >= n || !digits)
		return 0;
	*ret_end = e + 1;
	if (!comma)
		return lo > 0 ? lo : 1;
	if (!hi_digits)
		return lo + 1;
	return (hi > lo ? hi : lo) > 0 ? (hi > lo ? hi : lo) : 1;
}

/* osquery uses std::regex (ECMAScript syntax); POSIX ERE has no \d. glibc already knows \w \W
 * \s \S \b \B, so the digit class is rewritten, and inside brackets \d \s \w become the
 * matching character classes. ECMAScript's lazy quantifiers (a+?) lose their '?' (POSIX
 * matching is leftmost-longest anyway); any other stacked quantifier is refused, as in
 * ECMAScript. On success *ret is a malloc'ed POSIX pattern; -EINVAL comes with *ret_error. */
static int translate_regex(const char *pat, size_t n, char **ret, const char **ret_error)
{
	_cleanup_free_ char *out = malloc(n * 6 + 1);
	regex_frame frames[REGEX_MAX_SIZE + 2] = {{0, 0}};
	size_t depth = 0;
	bool in_bracket = false, after_quant = false, lazy = false;
	char *w = out;

	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char c = pat[i], d = i + 1 < n ? pat[i + 1] : 0;
		regex_frame *f = &frames[depth];
		uint64_t copies = 0;
		size_t end = i + 1;

		if (in_bracket) {
			if (c == '[' && (d == ':' || d == '.' || d == '=')) {
				/* [:class:], [.coll.] or [=equiv=]: copy through its "x]". */
				size_t e = i + 2;

				while (e + 1 < n && !(pat[e] == d && pat[e + 1] == ']'))
					e++;
				e = e + 1 < n ? e + 2 : n;
				memcpy(w, pat + i, e - i);
				w += e - i;
				i = e - 1;
			} else if (c == '\\' && (d == 'd' || d == 's' || d == 'w')) {
				buf_puts(&w, d == 'd'	? "0-9"
					     : d == 's' ? "[:space:]"
							: "[:alnum:]_");
				i++;
			} else {
				if (c == ']')
					in_bracket = false;
				*w++ = c;
			}
			continue;
		}

		if (c == '*' || c == '?' || c == '+' ||
		    (c == '{' && (copies = parse_bound(pat, n, i, &end)) > 0)) {
			if (after_quant) {
				if (c == '?' && !lazy) {
					lazy = true;
					continue;
				}
				*ret_error = "nothing to repeat (stacked quantifiers)";
				return -EINVAL;
			}
			after_quant = true;
			lazy = false;
			if (c == '+')
				copies = 2;
			/* The operator is a node of its own. */
			f->sum = sat_add(f->sum, 1);
			f->last = sat_add(f->last, 1);
			if (copies > 1) {
				f->sum = sat_add(f->sum, sat_mul(f->last, copies - 1));
				f->last = sat_mul(f->last, copies);
			}
			memcpy(w, pat + i, end - i);
			w += end - i;
			i = end - 1;
		} else {
			after_quant = false;
			if (c == '(' && depth + 1 < HQ_ELEMENTSOF(frames)) {
				frames[++depth] = (regex_frame){0, 0};
				*w++ = c;
				continue;
			}
			if (c == ')' && depth > 0) {
				uint64_t g = frames[depth].sum > 0 ? frames[depth].sum : 1;

				f = &frames[--depth];
				f->sum = sat_add(f->sum, g);
				f->last = g;
				*w++ = c;
			} else if (c == '|') {
				f->last = 0;
				*w++ = c;
			} else {
				f->sum = sat_add(f->sum, 1);
				f->last = 1;
				if (c == '\\' && (d == 'd' || d == 'D')) {
					buf_puts(&w, d == 'd' ? "[0-9]" : "[^0-9]");
					i++;
				} else if (c == '\\' && d != 0) {
					*w++ = c;
					*w++ = d;
					i++;
				} else if (c == '[') {
					in_bracket = true;
					*w++ = c;
					/* A leading ^ and a ] right after the opening are literal
					 * parts of the expression, not its end. */
					if (i + 1 < n && pat[i + 1] == '^')
						*w++ = pat[++i];
					if (i + 1 < n && pat[i + 1] == ']')
						*w++ = pat[++i];
				} else {
					*w++ = c;
				}
			}
		}
		if (f->sum > REGEX_MAX_NODES || f->last > REGEX_MAX_NODES) {
			*ret_error = "too complex (repetitions expand too far)";
			return -EINVAL;
		}
	}
	/* Groups left open still count for the estimate. */
	for (; depth > 0; depth--)
		frames[depth - 1].sum = sat_add(frames[depth - 1].sum, frames[depth].sum);
	if (frames[0].sum > REGEX_MAX_NODES) {
		*ret_error = "too complex (repetitions expand too far)";
		return -EINVAL;
	}
	*w = 0;
	*ret = TAKE_PTR(out);
	return 0;
}

/* The compiled pattern argv[idx], compiled once per statement while the pattern is constant
 * (sqlite3_get_auxdata). NULL after setting an SQL error. */
static regex_t *get_regex(sqlite3_context *ctx, sqlite3_value **argv, int idx, const char *fn)
{
	_cleanup_free_ char *pattern = NULL;
	regex_cache *c = sqlite3_get_auxdata(ctx, idx);
	const char *pat, *why = NULL;
	size_t n;
	int r;

	if (c)
		return &c->re;
	pat = value_text(ctx, argv[idx], &n);
	if (!pat)
		return NULL;
	if (n > REGEX_MAX_SIZE) {
		result_errorf(ctx, "%s: invalid regex: longer than %d bytes", fn, REGEX_MAX_SIZE);
		return NULL;
	}
	if (strlen(pat) != n) {
		result_errorf(ctx, "%s: invalid regex: contains a NUL byte", fn);
		return NULL;
	}
	r = translate_regex(pat, n, &pattern, &why);
	if (r == -EINVAL) {
		result_errorf(ctx, "%s: invalid regex '%s': %s", fn, pat, why);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (r < 0 || !c) {
		free(c);
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	r = regcomp(&c->re, pattern, REG_EXTENDED);
	if (r != 0) {
		char msg[128];

		regerror(r, &c->re, msg, sizeof(msg));
		free(c);
		result_errorf(ctx, "%s: invalid regex '%s': %s", fn, pat, msg);
		return NULL;
	}
	/* SQLite owns c from here (it frees it at once on OOM), so read it back. */
	sqlite3_set_auxdata(ctx, idx, c, regex_cache_free);
	c = sqlite3_get_auxdata(ctx, idx);
	if (!c) {
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	return &c->re;
}

/* regex_match(str, pattern, index): capture group index of the first match (0 = the whole
 * match); NULL without a match or when the group does not exist. */
static void fn_regex_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	regmatch_t m[REGEX_MAX_SIZE + 1];
	sqlite3_int64 index;
	const char *s;
	regex_t *re;
	size_t n;
	int r;

	if (propagate_null(ctx, argc, argv))
		return;
	re = get_regex(ctx, argv, 1, "regex_match");
	if (!re)
		return;
	s = value_text(ctx, argv[0], &n);
	if (!s)
		return;
	index = sqlite3_value_int64(argv[2]);
	if (index < 0 || (size_t)index > re->re_nsub || (size_t)index >= HQ_ELEMENTSOF(m)) {
		sqlite3_result_null(ctx);
		return;
	}
	/* REG_STARTEND: match the whole value, even past an embedded NUL. */
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	r = regexec(re, s, (size_t)index + 1, m, REG_STARTEND);
	if (r == REG_NOMATCH) {
		sqlite3_result_null(ctx);
		return;
	}
	if (r != 0) {
		result_errorf(ctx, "regex_match: matching failed (error %d)", r);
		return;
	}
	/* A group that took no part in the match is empty, as in osquery (std::regex). */
	if (m[index].rm_so < 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	sqlite3_result_text(ctx, s + m[index].rm_so, (int)(m[index].rm_eo - m[index].rm_so),
			    SQLITE_TRANSIENT);
}

/* regex_split(str, pattern, index): the index-th piece between matches of pattern, with
 * std::regex_token_iterator's rules: a leading empty piece counts, a trailing one does not. */
static void fn_regex_split(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, np, pos = 0, last = 0;
	sqlite3_int64 index, k = 0;
	const char *s;
	regex_t *re;

	if (propagate_null(ctx, argc, argv))
		return;
	if (!value_text(ctx, argv[1], &np))
		return;
	if (np == 0) {
		sqlite3_result_error(ctx, "regex_split: the pattern must not be empty", -1);
		return;
	}
	re = get_regex(ctx, argv, 1, "regex_split");
	if (!re)
		return;
	s = value_text(ctx, argv[0], &n);
	if (!s)
		return;
	index = sqlite3_value_int64(argv[2]);
	if (index < 0) {
		sqlite3_result_null(ctx);
		return;
	}
	while (pos <= n) {
		regmatch_t m[1] = {{.rm_so = (regoff_t)pos, .rm_eo = (regoff_t)n}};
		int r = regexec(re, s, 1, m, REG_STARTEND | (pos > 0 ? REG_NOTBOL : 0));

		if (r == REG_NOMATCH)
			break;
		if (r != 0) {
			result_errorf(ctx, "regex_split: matching failed (error %d)", r);
			return;
		}
		if (k++ == index) {
			sqlite3_result_text(ctx, s + last, (int)((size_t)m[0].rm_so - last),
					    SQLITE_TRANSIENT);
			return;
		}
		last = (size_t)m[0].rm_eo;
		/* After an empty match move on by one byte, or the search would loop. */
		pos = m[0].rm_eo > m[0].rm_so ? (size_t)m[0].rm_eo : (size_t)m[0].rm_eo + 1;
	}
	if (last < n && k == index) {
		sqlite3_result_text(ctx, s + last, (int)(n - last), SQLITE_TRANSIENT);
		return;
	}
	sqlite3_result_null(ctx);
}

/* ---- inet_aton(ip) ---- */

static void fn_inet_aton(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct in_addr addr;
	const char *s;
	size_t n;

	if (propagate_null(ctx, argc, argv))
		return;
	s = value_text(ctx, argv[0], &n);
	if (!s)
		return;
	/* Strict dotted quad only (inet_pton, not inet_aton's "10.1" shorthands); IPv6 is NULL. */
	if (strlen(s) != n || inet_pton(AF_INET, s, &addr) != 1) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int64(ctx, (sqlite3_int64)ntohl(addr.s_addr));
}

/* ---- concat(...), concat_ws(sep, ...) ---- */

static void concat_values(sqlite3_context *ctx, const char *sep, size_t nsep, int argc,
			  sqlite3_value **argv)
{
	sqlite3_str *str;
	bool first = true;
	int r;

	str = sqlite3_str_new(sqlite3_context_db_handle(ctx));
	for (int i = 0; i < argc; i++) {
		const char *s;
		size_t n;

		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			continue;
		s = (const char *)sqlite3_value_text(argv[i]);
		n = (size_t)sqlite3_value_bytes(argv[i]);
		if (!s) {
			sqlite3_free(sqlite3_str_finish(str));
			sqlite3_result_error_nomem(ctx);
			return;
		}
		if (!first && nsep > 0)
			sqlite3_str_append(str, sep, (int)nsep);
		sqlite3_str_append(str, s, (int)n);
		first = false;
	}
	r = sqlite3_str_errcode(str);
	if (r != SQLITE_OK) {
		sqlite3_free(sqlite3_str_finish(str));
		if (r == SQLITE_TOOBIG)
			sqlite3_result_error_toobig(ctx);
		else
			sqlite3_result_error_nomem(ctx);
		return;
	}
	r = sqlite3_str_length(str);
	if (r == 0) {
		sqlite3_free(sqlite3_str_finish(str));
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	sqlite3_result_text(ctx, sqlite3_str_finish(str), r, sqlite3_free);
}

/* concat(...): the arguments as text, NULLs skipped; without arguments NULL, as in osquery. */
static void fn_concat(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	if (argc == 0) {
		sqlite3_result_null(ctx);
		return;
	}
	concat_values(ctx, NULL, 0, argc, argv);
}

/* concat_ws(sep, ...): the non-NULL arguments joined by sep (a NULL sep joins with nothing). */
static void fn_concat_ws(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *sep = "";
	size_t nsep = 0;

	if (argc == 0) {
		sqlite3_result_error(ctx, "concat_ws: missing separator argument", -1);
		return;
	}
	if (argc == 1) {
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
		sep = value_text(ctx, argv[0], &nsep);
		if (!sep)
			return;
	}
	concat_values(ctx, sep, nsep, argc - 1, argv + 1);
}

/* ---- base64 ---- */

static void result_base64(sqlite3_context *ctx, const unsigned char *in, size_t n, const char *fn)
{
	sqlite3_int64 outlen = ((sqlite3_int64)n + 2) / 3 * 4;
	unsigned char *out;
	ssize_t r;

	if (outlen >= sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1)) {
		sqlite3_result_error_toobig(ctx);
		return;
	}
	out = sqlite3_malloc64((sqlite3_uint64)outlen + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	r = hq_base64_encode(in, n, (char *)out);
	if (r < 0) {
		sqlite3_free(out);
		result_errorf(ctx, "%s: %s", fn,
			      r == -EOPNOTSUPP ? LIBCRYPTO_MISSING : strerror((int)-r));
		return;
	}
	sqlite3_result_text(ctx, (char *)out, (int)r, sqlite3_free);
}

/* The bytes of a non-NULL text or blob value ("" when empty); NULL (and the error set) only on
 * OOM. */
static const unsigned char *value_bytes(sqlite3_context *ctx, sqlite3_value *v, size_t *ret_len)
{
	const unsigned char *p = sqlite3_value_type(v) == SQLITE_BLOB ? sqlite3_value_blob(v)
								      : sqlite3_value_text(v);

	*ret_len = (size_t)sqlite3_value_bytes(v);
	if (!p && *ret_len > 0) {
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	return p ? p : (const unsigned char *)"";
}

static void fn_to_base64(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *p;
	size_t n;

	if (propagate_null(ctx, argc, argv))
		return;
	p = value_bytes(ctx, argv[0], &n);
	if (!p)
		return;
	result_base64(ctx, p, n, "to_base64");
}

/* The input as is when every byte is printable ASCII (0x20-0x7e), else its base64. */
static void fn_conditional_to_base64(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *p;
	size_t n;

	if (propagate_null(ctx, argc, argv))
		return;
	p = value_bytes(ctx, argv[0], &n);
	if (!p)
		return;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e) {
			result_base64(ctx, p, n, "conditional_to_base64");
			return;
		}
	}
	sqlite3_result_text(ctx, (const char *)p, (int)n, SQLITE_TRANSIENT);
}

static bool is_base64_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

/* from_base64(str): the decoded bytes as text. Whitespace is ignored and padding optional;
 * anything else that is not base64 gives NULL. */
static void fn_from_base64(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	_cleanup_free_ unsigned char *clean = NULL;
	unsigned char *out;
	const char *s;
	size_t n, len = 0, pad = 0;
	ssize_t r;

	if (propagate_null(ctx, argc, argv))
		return;
	s = value_text(ctx, argv[0], &n);
	if (!s)
		return;
	clean = malloc(n + 4);
	if (!clean) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	/* hq_base64_decode() wants whole 4-character groups with their padding, so the input is
	 * normalized here. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_space((char)c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (!is_base64_char(c) || pad > 0) {
			sqlite3_result_null(ctx);
			return;
		}
		clean[len++] = c;
	}
	if (pad > 2 || len % 4 == 1 || (pad > 0 && (len + pad) % 4 != 0)) {
		sqlite3_result_null(ctx);
		return;
	}
	if (len == 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	pad = (4 - len % 4) % 4;
	for (size_t i = 0; i < pad; i++)
		clean[len++] = '=';
	out = sqlite3_malloc64(len / 4 * 3 + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	r = hq_base64_decode((const char *)clean, len, out);
	if (r == -EOPNOTSUPP) {
		sqlite3_free(out);
		result_errorf(ctx, "from_base64: %s", LIBCRYPTO_MISSING);
		return;
	}
	if (r < 0) {
		sqlite3_free(out);
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, (char *)out, (int)r, sqlite3_free);
}

/* ---- md5, sha1, sha256 ---- */

static void hash_value(sqlite3_context *ctx, sqlite3_value *v, hq_digest_alg alg, const char *fn)
{
	char out[HQ_DIGEST_HEX_MAX];
	const unsigned char *p;
	size_t n;
	int r;

	if (propagate_null(ctx, 1, &v))
		return;
	p = value_bytes(ctx, v, &n);
	if (!p)
		return;
	r = hq_digest_buffer_hex(alg, p, n, out);
	if (r < 0) {
		result_errorf(ctx, "%s: digest not available%s%s", fn, r == -EOPNOTSUPP ? ": " : "",
			      r == -EOPNOTSUPP ? LIBCRYPTO_MISSING : "");
		return;
	}
	sqlite3_result_text(ctx, out, r, SQLITE_TRANSIENT);
}

static void fn_md5(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	hash_value(ctx, argv[0], HQ_DIGEST_MD5, "md5");
}

static void fn_sha1(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	hash_value(ctx, argv[0], HQ_DIGEST_SHA1, "sha1");
}

static void fn_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	hash_value(ctx, argv[0], HQ_DIGEST_SHA256, "sha256");
}

/* ---- community_id_v1(src_ip, dst_ip, src_port, dst_port, proto[, seed]) ---- */

enum {
	PROTO_ICMP = 1,
	PROTO_TCP = 6,
	PROTO_UDP = 17,
	PROTO_ICMPV6 = 58,
	PROTO_SCTP = 132,
};

/* The Community ID spec's ICMP "port" equivalents: a message type with a counterpart (echo
 * and echo reply, ...) stands for a two-way flow keyed by both types; any other type is a
 * one-way flow keyed by type and code. */
static bool icmp_counterpart(int proto, unsigned type, unsigned *ret)
{
	static const unsigned char v4[][2] = {{8, 0},	{0, 8},	 {13, 14}, {14, 13}, {15, 16},
					      {16, 15}, {10, 9}, {9, 10},  {17, 18}, {18, 17}};
	static const unsigned char v6[][2] = {{128, 129}, {129, 128}, {133, 134}, {134, 133},
					      {135, 136}, {136, 135}, {130, 131}, {131, 130},
					      {139, 140}, {140, 139}, {144, 145}, {145, 144}};
	const unsigned char(*map)[2] = proto == PROTO_ICMP ? v4 : v6;
	size_t n = proto == PROTO_ICMP ? HQ_ELEMENTSOF(v4) : HQ_ELEMENTSOF(v6);

	for (size_t i = 0; i < n; i++) {
		if (map[i][0] == type) {
			*ret = map[i][1];
			return true;
		}
	}
	return false;
}

/* An integer argument in [min, max]; text that reads as an integer is accepted too. */
static bool int_arg(sqlite3_value *v, sqlite3_int64 min, sqlite3_int64 max, sqlite3_int64 *ret)
{
	if (sqlite3_value_numeric_type(v) != SQLITE_INTEGER)
		return false;
	*ret = sqlite3_value_int64(v);
	return *ret >= min && *ret <= max;
}

static int parse_ip(sqlite3_value *v, unsigned char addr[16])
{
	const char *s;

	if (sqlite3_value_type(v) != SQLITE_TEXT)
		return 0;
	s = (const char *)sqlite3_value_text(v);
	if (!s || strlen(s) != (size_t)sqlite3_value_bytes(v))
		return 0;
	if (inet_pton(AF_INET, s, addr) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, addr) == 1)
		return 16;
	return 0;
}

static void community_id(sqlite3_context *ctx, int argc, sqlite3_value **argv, bool strict)
{
	unsigned char saddr[16] = {0}, daddr[16] = {0}, buf[2 + 16 + 16 + 1 + 1 + 2 + 2];
	unsigned char *w = buf;
	uint8_t digest[HQ_DIGEST_MAX_SIZE];
	char out[2 + 4 * ((HQ_DIGEST_MAX_SIZE + 2) / 3) + 1];
	ssize_t enc;
	sqlite3_int64 proto = 0, sport = 0, dport = 0, seed = 0;
	const char *err = NULL;
	bool ports, one_way = false;
	int alen = 0, blen = 0, c;

	if (argc == 6 && !int_arg(argv[5], INT16_MIN, UINT16_MAX, &seed))
		err = "the seed must be an integer that fits in 16 bits";
	else if (!(alen = parse_ip(argv[0], saddr)))
		err = "src_ip is not an IPv4 or IPv6 address";
	else if (!(blen = parse_ip(argv[1], daddr)))
		err = "dst_ip is not an IPv4 or IPv6 address";
	else if (alen != blen)
		err = "src_ip and dst_ip are of different address families";
	else if (!int_arg(argv[4], 0, UINT8_MAX, &proto))
		err = "the protocol must be an integer between 0 and 255";
	if (err)
		goto fail;

	/* Only these protocols have ports; for the others the spec leaves them out. */
	ports = proto == PROTO_TCP || proto == PROTO_UDP || proto == PROTO_SCTP ||
		proto == PROTO_ICMP || proto == PROTO_ICMPV6;
	if (ports && (!int_arg(argv[2], 0, UINT16_MAX, &sport) ||
		      !int_arg(argv[3], 0, UINT16_MAX, &dport))) {
		err = "the ports must be integers between 0 and 65535";
		goto fail;
	}
	if (proto == PROTO_ICMP || proto == PROTO_ICMPV6) {
		unsigned other;

		/* For ICMP the "ports" are the message type and code. */
		if (icmp_counterpart((int)proto, (unsigned)sport, &other))
			dport = other;
		else
			one_way = true;
	}
	c = memcmp(saddr, daddr, (size_t)alen);
	if (!one_way && !(c < 0 || (c == 0 && sport <= dport))) {
		unsigned char t[16];
		sqlite3_int64 p = sport;

		memcpy(t, saddr, sizeof(t));
		memcpy(saddr, daddr, sizeof(saddr));
		memcpy(daddr, t, sizeof(daddr));
		sport = dport;
		dport = p;
	}

	/* seed . saddr . daddr . proto . 0 . sport . dport, all in network byte order */
	*w++ = (unsigned char)(((uint16_t)seed) >> 8);
	*w++ = (unsigned char)((uint16_t)seed & 0xff);
	memcpy(w, saddr, (size_t)alen);
	w += alen;
	memcpy(w, daddr, (size_t)alen);
	w += alen;
	*w++ = (unsigned char)proto;
	*w++ = 0;
	if (ports) {
		*w++ = (unsigned char)(sport >> 8);
		*w++ = (unsigned char)(sport & 0xff);
		*w++ = (unsigned char)(dport >> 8);
		*w++ = (unsigned char)(dport & 0xff);
	}
	c = hq_digest_buffer(HQ_DIGEST_SHA1, buf, (size_t)(w - buf), digest);
	enc = c < 0 ? c : hq_base64_encode(digest, (size_t)c, out + 2);
	if (enc < 0) {
		result_errorf(ctx, "community_id_v1: SHA-1 not available%s%s",
			      enc == -EOPNOTSUPP ? ": " : "",
			      enc == -EOPNOTSUPP ? LIBCRYPTO_MISSING : "");
		return;
	}
	memcpy(out, "1:", 2);
	sqlite3_result_text(ctx, out, (int)enc + 2, SQLITE_TRANSIENT);
	return;

fail:
	if (strict)
		result_errorf(ctx, "community_id_v1: %s", err);
	else
		sqlite3_result_null(ctx);
}

/* Invalid input gives NULL, as in osquery... */
static void fn_community_id_v1(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	community_id(ctx, argc, argv, false);
}

/* ...and an SQL error in the _strict variant. */
static void fn_community_id_v1_strict(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	community_id(ctx, argc, argv, true);
}

/* ---- version_compare(a, b[, kind]) ---- */

/* -1, 0 or 1 as a compares to b under the rules of kind: 'DPKG', 'RHEL', 'ARCH' (any case)
 * or, without kind, the generic version rules. */
static void fn_version_compare(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int (*cmp)(const char *, size_t, const char *, size_t) = hq_version_cmp;
	const char *a, *b;
	size_t na, nb;

	if (propagate_null(ctx, argc, argv))
		return;
	if (argc == 3) {
		const char *kind = (const char *)sqlite3_value_text(argv[2]);

		if (!kind) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		if (strcasecmp(kind, "dpkg") == 0)
			cmp = hq_version_cmp_dpkg;
		else if (strcasecmp(kind, "rhel") == 0)
			cmp = hq_version_cmp_rhel;
		else if (strcasecmp(kind, "arch") == 0)
			cmp = hq_version_cmp_arch;
		else {
			result_errorf(ctx,
				      "version_compare: unknown version kind '%s' (want DPKG, "
				      "RHEL or ARCH)",
				      kind);
			return;
		}
	}
	a = value_text(ctx, argv[0], &na);
	if (!a)
		return;
	b = value_text(ctx, argv[1], &nb);
	if (!b)
		return;
	sqlite3_result_int(ctx, cmp(a, na, b, nb));
}

int hq_sql_register_functions(sqlite3 *db)
{
	static const struct {
		const char *name;
		int n_args;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} functions[] = {
		{"split", 3, fn_split},
		{"regex_match", 3, fn_regex_match},
		{"regex_split", 3, fn_regex_split},
		{"inet_aton", 1, fn_inet_aton},
		{"concat", -1, fn_concat},
		{"concat_ws", -1, fn_concat_ws},
		{"to_base64", 1, fn_to_base64},
		{"from_base64", 1, fn_from_base64},
		{"conditional_to_base64", 1, fn_conditional_to_base64},
		{"md5", 1, fn_md5},
		{"sha1", 1, fn_sha1},
		{"sha256", 1, fn_sha256},
		{"community_id_v1", 5, fn_community_id_v1},
		{"community_id_v1", 6, fn_community_id_v1},
		{"community_id_v1_strict", 5, fn_community_id_v1_strict},
		{"community_id_v1_strict", 6, fn_community_id_v1_strict},
		{"version_compare", 2, fn_version_compare},
		{"version_compare", 3, fn_version_compare},
	};

	for (size_t i = 0; i < HQ_ELEMENTSOF(functions); i++) {
		int r = sqlite3_create_function_v2(db, functions[i].name, functions[i].n_args,
						   SQLITE_UTF8 | SQLITE_DETERMINISTIC |
							   SQLITE_INNOCUOUS,
						   NULL, functions[i].fn, NULL, NULL, NULL);
		if (r != SQLITE_OK)
			return r;
	}
	return SQLITE_OK;
}
