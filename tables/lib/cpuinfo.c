/* /proc/cpuinfo parsing. Each processor block starts with a "processor" line; the pairs of
 * "physical id" and "core id" seen across blocks give the physical core and socket counts. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hq/util.h"
#include "lib/cpuinfo.h"

void hq_cpuinfo_done(hq_cpuinfo *info)
{
	if (!info)
		return;
	free(info->brand);
	free(info->model);
	free(info->microcode);
	memset(info, 0, sizeof(*info));
}

typedef struct core_id {
	int64_t package;
	int64_t core;
} core_id;

static int cmp_core(const void *a, const void *b)
{
	const core_id *x = a, *y = b;
	if (x->package != y->package)
		return x->package < y->package ? -1 : 1;
	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	return 0;
}

static bool parse_i64(const char *s, size_t n, int64_t *ret)
{
	if (n == 0 || n > 18)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

static int set_once(char **slot, const char *v, size_t n)
{
	if (*slot)
		return 0;
	*slot = strndup(v, n);
	return *slot ? 0 : -ENOMEM;
}

typedef struct id_list {
	core_id *v;
	size_t n, cap;
	bool any_package;
	bool all_have_core;
} id_list;

/* Records the ids of the block that just ended. */
static int end_block(id_list *l, int64_t package, int64_t core)
{
	if (package < 0) {
		l->all_have_core = false;
		return 0;
	}
	l->any_package = true;
	if (core < 0)
		l->all_have_core = false;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		core_id *nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = (core_id){package, core};
	return 0;
}

int hq_cpuinfo_parse(const char *buf, size_t len, hq_cpuinfo *ret)
{
	memset(ret, 0, sizeof(*ret));
	id_list ids = {.all_have_core = true};
	/* The current block's ids, -1 until seen. */
	int64_t package = -1, core = -1;
	bool in_block = false;
	int r = 0;

	const char *end = buf + len;
	const char *line = buf;
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;

		const char *colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon) {
			line = next;
			continue;
		}
		const char *kend = colon;
		while (kend > line && isspace((unsigned char)kend[-1]))
			kend--;
		size_t klen = (size_t)(kend - line);
		const char *v = colon + 1;
		while (v < eol && isspace((unsigned char)*v))
			v++;
		const char *vend = eol;
		while (vend > v && isspace((unsigned char)vend[-1]))
			vend--;
		size_t vlen = (size_t)(vend - v);

#define KEY_IS(k) (klen == strlen(k) && memcmp(line, k, klen) == 0)
		if (KEY_IS("processor") && vlen > 0 && isdigit((unsigned char)v[0])) {
			if (in_block) {
				r = end_block(&ids, package, core);
				if (r < 0)
					goto fail;
			}
			if (ret->logical >= HQ_CPUINFO_MAX_CPUS) {
				r = -E2BIG;
				goto fail;
			}
			ret->logical++;
			in_block = true;
			package = core = -1;
		} else if (KEY_IS("model name") || KEY_IS("Processor")) {
			r = set_once(&ret->brand, v, vlen);
		} else if (KEY_IS("model")) {
			r = set_once(&ret->model, v, vlen);
		} else if (KEY_IS("microcode")) {
			r = set_once(&ret->microcode, v, vlen);
		} else if (KEY_IS("physical id")) {
			(void)parse_i64(v, vlen, &package);
		} else if (KEY_IS("core id")) {
			(void)parse_i64(v, vlen, &core);
		}
#undef KEY_IS
		if (r < 0)
			goto fail;
		line = next;
	}
	if (in_block) {
		r = end_block(&ids, package, core);
		if (r < 0)
			goto fail;
	}

	ret->physical = ret->sockets = -1;
	if (ids.any_package && ids.n > 0) {
		qsort(ids.v, ids.n, sizeof(*ids.v), cmp_core);
		int64_t sockets = 0, cores = 0;
		for (size_t i = 0; i < ids.n; i++) {
			if (i == 0 || ids.v[i].package != ids.v[i - 1].package)
				sockets++;
			if (i == 0 || cmp_core(&ids.v[i], &ids.v[i - 1]) != 0)
				cores++;
		}
		ret->sockets = sockets;
		if (ids.all_have_core)
			ret->physical = cores;
	}
	free(ids.v);
	return 0;

fail:
	free(ids.v);
	hq_cpuinfo_done(ret);
	return r;
}
