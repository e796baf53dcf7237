/* osquery's version collations (version, version_dpkg, version_rhel, version_arch) and the
 * comparisons behind them. SQLite hands a collation two keys as (length, bytes) without a NUL,
 * so everything here works on bounded spans and never allocates: collations run once per
 * comparison in ORDER BY and WHERE, and cannot report errors. */
#include <stdbool.h>
#include <string.h>

#include "sql/functions.h"
#include "sql/version_compare.h"

typedef struct span {
	const char *p;
	size_t n;
} span;

static span span_make(const char *p, size_t n)
{
	/* An embedded NUL ends the key, as it would for the C tools whose rules we follow. */
	const char *z = n > 0 ? memchr(p, 0, n) : NULL;

	return (span){.p = p, .n = z ? (size_t)(z - p) : n};
}

/* The byte at i, or 0 past the end: the algorithms below were written for C strings and rely
 * on the terminator reading as 0. */
static int span_at(span s, size_t i)
{
	return i < s.n ? (unsigned char)s.p[i] : 0;
}

static span span_sub(span s, size_t from, size_t to)
{
	return (span){.p = s.p + from, .n = to - from};
}

/* ASCII classes only: the package tools use the C locale, and a collation must not depend on
 * the process locale. */
static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

static int sign(long v)
{
	return (v > 0) - (v < 0);
}

/* Two digit strings compared as numbers of any length: leading zeros dropped, then the longer
 * number wins, then bytewise. An empty string is 0. */
static int cmp_digits(span a, span b)
{
	while (a.n > 0 && a.p[0] == '0') {
		a.p++;
		a.n--;
	}
	while (b.n > 0 && b.p[0] == '0') {
		b.p++;
		b.n--;
	}
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return a.n > 0 ? sign(memcmp(a.p, b.p, a.n)) : 0;
}

/* strcmp() of two spans. */
static int cmp_bytes(span a, span b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	int r = m > 0 ? memcmp(a.p, b.p, m) : 0;

	if (r != 0)
		return sign(r);
	return a.n < b.n ? -1 : a.n > b.n;
}

static bool span_eq(span a, span b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* ---- version: osquery's generic collation ---- */

static bool is_version_delim(int c)
{
	return c == '.' || c == '-' || c == ':' || c == '~' || c == '^';
}

static bool all_digits(span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!is_digit((unsigned char)s.p[i]))
			return false;
	return true;
}

/* Takes the segment starting at *pos; false once the string is used up. A trailing delimiter
 * leaves one last empty segment, so "1.0." has more segments than "1.0". */
static bool next_segment(span s, size_t *pos, span *ret)
{
	size_t i = *pos, e;

	if (i > s.n)
		return false;
	for (e = i; e < s.n && !is_version_delim((unsigned char)s.p[e]); e++)
		;
	*ret = span_sub(s, i, e);
	*pos = e + 1;
	return true;
}

int hq_version_cmp(const char *pa, size_t na, const char *pb, size_t nb)
{
	span a = span_make(pa, na), b = span_make(pb, nb);
	size_t i = 0, j = 0;

	for (;;) {
		span sa, sb;
		bool ha = next_segment(a, &i, &sa), hb = next_segment(b, &j, &sb);
		int r;

		if (!ha || !hb)
			return (int)ha - (int)hb;
		/* osquery compares a segment's length before its bytes, which orders plain numbers
		 * numerically ("190" > "20") and keeps "10a" > "102" as osquery does; all-digit
		 * segments additionally ignore leading zeros. */
		if (all_digits(sa) && all_digits(sb))
			r = cmp_digits(sa, sb);
		else if (sa.n != sb.n)
			r = sa.n < sb.n ? -1 : 1;
		else
			r = cmp_bytes(sa, sb);
		if (r != 0)
			return r;
	}
}

/* ---- version_dpkg: dpkg's verrevcmp() on epoch, upstream version and revision ---- */

/* dpkg's character weight: '~' sorts before the end of a part, which sorts before letters,
 * which sort before every other character. */
static int dpkg_order(int c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c != 0)
		return c + 256;
	return 0;
}

static int dpkg_verrevcmp(span a, span b)
{
	size_t i = 0, j = 0;

	while (i < a.n || j < b.n) {
		int first_diff = 0;

		/* Non-digit prefixes, character by character. Both indexes only advance when the
		 * two weights are equal, which excludes the end of either string. */
		while ((i < a.n && !is_digit(span_at(a, i))) ||
		       (j < b.n && !is_digit(span_at(b, j)))) {
			int ac = dpkg_order(span_at(a, i)), bc = dpkg_order(span_at(b, j));

			if (ac != bc)
				return sign(ac - bc);
			i++;
			j++;
		}
		/* Then the digit runs, as numbers. */
		while (span_at(a, i) == '0')
			i++;
		while (span_at(b, j) == '0')
			j++;
		while (is_digit(span_at(a, i)) && is_digit(span_at(b, j))) {
			if (first_diff == 0)
				first_diff = span_at(a, i) - span_at(b, j);
			i++;
			j++;
		}
		if (is_digit(span_at(a, i)))
			return 1;
		if (is_digit(span_at(b, j)))
			return -1;
		if (first_diff != 0)
			return sign(first_diff);
	}
	return 0;
}

typedef struct evr {
	span epoch; /* digits; empty means 0 */
	span version;
	span release;
	bool has_release;
} evr;

static span strip_spaces(span s)
{
	while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\n'))
		s = span_sub(s, 1, s.n);
	while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\n'))
		s.n--;
	return s;
}

/* Index of the last c in s at or after from, or s.n. */
static size_t span_rfind(span s, size_t from, char c)
{
	for (size_t k = s.n; k > from; k--)
		if (s.p[k - 1] == c)
			return k - 1;
	return s.n;
}

/* Sets the version (from vstart) and release of s: the release is what follows the last '-' at
 * or after from; without one the release is empty and has_release false. */
static void split_release(evr *v, span s, size_t vstart, size_t from)
{
	size_t h = span_rfind(s, from, '-');

	if (h < s.n) {
		v->version = span_sub(s, vstart, h);
		v->release = span_sub(s, h + 1, s.n);
		v->has_release = true;
	} else {
		v->version = span_sub(s, vstart, s.n);
		v->release = (span){.p = "", .n = 0};
	}
}

/* Compares the epochs (as numbers) and then the versions with vercmp; the caller goes on with
 * the releases, whose rules differ, when this gives 0. */
static int cmp_epoch_version(const evr *a, const evr *b, int (*vercmp)(span, span))
{
	int r = cmp_digits(a->epoch, b->epoch);

	return r != 0 ? r : vercmp(a->version, b->version);
}

/* dpkg's parseversion(): epoch up to the first ':', revision after the last '-'. dpkg rejects
 * a non-numeric epoch; a collation cannot fail, so such a string compares as if it had no
 * epoch (the ':' then weighs like any other punctuation). */
static evr dpkg_parse(span s)
{
	const char *colon;
	evr v = {.epoch = {.p = "", .n = 0}};

	s = strip_spaces(s);
	colon = s.n > 0 ? memchr(s.p, ':', s.n) : NULL;
	if (colon) {
		span e = span_sub(s, 0, (size_t)(colon - s.p));

		/* dpkg reads the epoch with strtol(), which takes a sign: "+5" is 5, "-0" is 0. */
		if (e.n > 1 && (e.p[0] == '+' || e.p[0] == '-'))
			e = span_sub(e, 1, e.n);
		if (e.n > 0 && all_digits(e) && (s.p[0] != '-' || cmp_digits(e, v.epoch) == 0)) {
			v.epoch = e;
			s = span_sub(s, (size_t)(colon - s.p) + 1, s.n);
		}
	}
	split_release(&v, s, 0, 0);
	return v;
}

int hq_version_cmp_dpkg(const char *pa, size_t na, const char *pb, size_t nb)
{
	evr a = dpkg_parse(span_make(pa, na)), b = dpkg_parse(span_make(pb, nb));
	int r = cmp_epoch_version(&a, &b, dpkg_verrevcmp);

	if (r != 0)
		return r;
	/* A missing revision is the empty string, which dpkg ranks equal to "0". */
	return dpkg_verrevcmp(a.release, b.release);
}

/* ---- version_rhel: rpm's rpmvercmp() (rpm >= 4.15, with '^') and EVR rules ---- */

static bool rpm_is_sep(int c)
{
	return c != 0 && !is_alnum(c) && c != '~' && c != '^';
}

/* Compares the alpha or numeric run starting at a[i] (its first byte tells which) with the run
 * of the same kind at b[j]: numbers by value, alpha runs bytewise; when b has no run of that
 * kind there, a numeric run is the newer. Sets the ends of both runs. */
static int cmp_runs(span a, size_t i, span b, size_t j, size_t *ret_ei, size_t *ret_ej)
{
	bool isnum = is_digit(span_at(a, i));
	size_t ei = i, ej = j;

	if (isnum) {
		while (is_digit(span_at(a, ei)))
			ei++;
		while (is_digit(span_at(b, ej)))
			ej++;
	} else {
		while (is_alpha(span_at(a, ei)))
			ei++;
		while (is_alpha(span_at(b, ej)))
			ej++;
	}
	*ret_ei = ei;
	*ret_ej = ej;
	if (ej == j)
		return isnum ? 1 : -1;
	return isnum ? cmp_digits(span_sub(a, i, ei), span_sub(b, j, ej))
		     : cmp_bytes(span_sub(a, i, ei), span_sub(b, j, ej));
}

static int rpmvercmp(span a, span b)
{
	size_t i = 0, j = 0;

	if (span_eq(a, b))
		return 0;
	while (i < a.n || j < b.n) {
		size_t ei, ej;
		int ca, cb, r;

		while (rpm_is_sep(span_at(a, i)))
			i++;
		while (rpm_is_sep(span_at(b, j)))
			j++;
		ca = span_at(a, i);
		cb = span_at(b, j);
		/* '~' sorts before everything, even the end of the string. */
		if (ca == '~' || cb == '~') {
			if (ca != '~')
				return 1;
			if (cb != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		/* '^' sorts after the end of the string but before anything else. */
		if (ca == '^' || cb == '^') {
			if (ca == 0)
				return -1;
			if (cb == 0)
				return 1;
			if (ca != '^')
				return 1;
			if (cb != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (ca == 0 || cb == 0)
			break;
		r = cmp_runs(a, i, b, j, &ei, &ej);
		if (r != 0)
			return r;
		i = ei;
		j = ej;
	}
	if (i >= a.n && j >= b.n)
		return 0;
	/* Whichever still has characters left wins. */
	return i < a.n ? 1 : -1;
}

/* rpm's and pacman's parseEVR(): leading digits followed by ':' are the epoch, the text after
 * the last '-' is the release. */
static evr rpm_parse(span s)
{
	size_t k = 0, vstart = 0;
	evr v = {.epoch = {.p = "", .n = 0}};

	while (k < s.n && is_digit((unsigned char)s.p[k]))
		k++;
	if (k < s.n && s.p[k] == ':') {
		v.epoch = span_sub(s, 0, k);
		vstart = k + 1;
	}
	split_release(&v, s, vstart, k);
	return v;
}

int hq_version_cmp_rhel(const char *pa, size_t na, const char *pb, size_t nb)
{
	evr a = rpm_parse(span_make(pa, na)), b = rpm_parse(span_make(pb, nb));
	int r = cmp_epoch_version(&a, &b, rpmvercmp);

	if (r != 0)
		return r;
	/* As rpm.vercmp() in rpm 4.18: without a release a version sorts before the same version
	 * with any release ("1.0" < "1.0-" < "1.0-0"), which keeps the order total. */
	if (a.has_release && b.has_release)
		return rpmvercmp(a.release, b.release);
	return (int)a.has_release - (int)b.has_release;
}

/* ---- version_arch: pacman's rpmvercmp() (from rpm 4.8) and alpm_pkg_vercmp() ---- */

static int alpm_rpmvercmp(span a, span b)
{
	size_t i = 0, j = 0, pi = 0, pj = 0; /* pi, pj: end of the previous segment */
	int ca, cb;

	if (span_eq(a, b))
		return 0;
	while (i < a.n && j < b.n) {
		size_t ei, ej;
		int r;

		while (i < a.n && !is_alnum(span_at(a, i)))
			i++;
		while (j < b.n && !is_alnum(span_at(b, j)))
			j++;
		if (i >= a.n || j >= b.n)
			break;
		/* A longer separator run makes the version newer ("1..0" > "1.0"). */
		if (i - pi != j - pj)
			return i - pi < j - pj ? -1 : 1;
		r = cmp_runs(a, i, b, j, &ei, &ej);
		if (r != 0)
			return r;
		i = pi = ei;
		j = pj = ej;
	}
	if (i >= a.n && j >= b.n)
		return 0;
	/* pacman's final rule: a remaining alpha part never beats the end of the string ("1.0a" <
	 * "1.0"), anything else remaining wins ("1.0.1" > "1.0"). */
	ca = span_at(a, i);
	cb = span_at(b, j);
	if ((ca == 0 && !is_alpha(cb)) || is_alpha(ca))
		return -1;
	return 1;
}

int hq_version_cmp_arch(const char *pa, size_t na, const char *pb, size_t nb)
{
	span sa = span_make(pa, na), sb = span_make(pb, nb);
	evr a, b;
	int r;

	if (span_eq(sa, sb))
		return 0;
	a = rpm_parse(sa);
	b = rpm_parse(sb);
	r = cmp_epoch_version(&a, &b, alpm_rpmvercmp);
	if (r != 0)
		return r;
	if (a.has_release && b.has_release)
		return alpm_rpmvercmp(a.release, b.release);
	return 0;
}

/* ---- registration ---- */

static int collate_version(void *userdata, int na, const void *a, int nb, const void *b)
{
	return hq_version_cmp(a, (size_t)na, b, (size_t)nb);
}

static int collate_dpkg(void *userdata, int na, const void *a, int nb, const void *b)
{
	return hq_version_cmp_dpkg(a, (size_t)na, b, (size_t)nb);
}

static int collate_rhel(void *userdata, int na, const void *a, int nb, const void *b)
{
	return hq_version_cmp_rhel(a, (size_t)na, b, (size_t)nb);
}

static int collate_arch(void *userdata, int na, const void *a, int nb, const void *b)
{
	return hq_version_cmp_arch(a, (size_t)na, b, (size_t)nb);
}

int hq_sql_register_collations(sqlite3 *db)
{
	static const struct {
		const char *name;
		int (*cmp)(void *, int, const void *, int, const void *);
	} collations[] = {
		{"version", collate_version},
		{"version_dpkg", collate_dpkg},
		{"version_rhel", collate_rhel},
		{"version_arch", collate_arch},
	};

	for (size_t i = 0; i < sizeof(collations) / sizeof(collations[0]); i++) {
		int r = sqlite3_create_collation_v2(db, collations[i].name, SQLITE_UTF8, NULL,
						    collations[i].cmp, NULL);
		if (r != SQLITE_OK)
			return r;
	}
	return SQLITE_OK;
}
