/* apt_sources: configured APT repositories, one row per (URI, suite) that APT has fetched.
 * Source: /etc/apt/sources.list, /etc/apt/sources.list.d/ *.list (one-line) and *.sources
 * (deb822), each joined with its cached /var/lib/apt/lists/<name>_(In)Release header; like
 * osquery, entries without a cached Release file are not listed. Any user can read these.
 * Example: SELECT name, base_uri, release, components FROM apt_sources; */
#include <assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/apt_sources.h"
#include "lib/nsroot.h"

enum {
	COL_NAME,
	COL_SOURCE,
	COL_BASE_URI,
	COL_RELEASE,
	COL_VERSION,
	COL_MAINTAINER,
	COL_COMPONENTS,
	COL_ARCHITECTURES,
	COL_PID_WITH_NAMESPACE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "Repository name"},
	[COL_SOURCE] = {"source", HQ_TYPE_TEXT, 0, "Source file"},
	[COL_BASE_URI] = {"base_uri", HQ_TYPE_TEXT, 0, "Repository base URI"},
	[COL_RELEASE] = {"release", HQ_TYPE_TEXT, 0, "Release name"},
	[COL_VERSION] = {"version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION_DPKG,
			 "Repository source version"},
	[COL_MAINTAINER] = {"maintainer", HQ_TYPE_TEXT, 0, "Repository maintainer"},
	[COL_COMPONENTS] = {"components", HQ_TYPE_TEXT, 0, "Repository components"},
	[COL_ARCHITECTURES] = {"architectures", HQ_TYPE_TEXT, 0, "Repository architectures"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define SOURCES_MAX_BYTES (16u << 20)
#define RELEASE_MAX_BYTES (64u << 20)
#define LISTS_DIR "/var/lib/apt/lists"
#define SOURCES_DIR "/etc/apt/sources.list.d"

/* An absent Release field is "" rather than NULL, as osquery's string rows report it. */
static void set_slice(hq_row *row, unsigned col, hq_slice s)
{
	hq_row_set_text_len(row, col, s.p ? s.p : "", s.p ? s.n : 0);
}

static int emit_source(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nsroot *ns, const char *file,
		       const hq_apt_source *src)
{
	static const char *const suffixes[] = {"_InRelease", "_Release"};
	_cleanup_free_ char *buf = NULL;
	hq_slice rel[_HQ_APT_RELEASE_MAX];
	size_t size = 0;
	hq_row *row;
	int r = -ENOENT;

	for (size_t i = 0; i < HQ_ELEMENTSOF(suffixes) && r == -ENOENT; i++) {
		_cleanup_free_ char *path = NULL;

		if (asprintf(&path, "%s" LISTS_DIR "/%s%s", ns->prefix, src->cache, suffixes[i]) <
		    0)
			return -ENOMEM;
		r = hq_ctx_read_file(ctx, path, RELEASE_MAX_BYTES, &buf, &size);
	}
	if (r < 0) {
		hq_log_debug("apt_sources: no cached Release for %s, skipping: %s", src->name,
			     strerror(-r));
		return 0;
	}
	hq_apt_release_parse(buf, size, rel);

	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_NAME, src->name);
	hq_row_set_text(row, COL_SOURCE, file);
	hq_row_set_text(row, COL_BASE_URI, src->base_uri);
	set_slice(row, COL_RELEASE, rel[HQ_APT_RELEASE_CODENAME]);
	set_slice(row, COL_VERSION, rel[HQ_APT_RELEASE_VERSION]);
	set_slice(row, COL_MAINTAINER, rel[HQ_APT_RELEASE_ORIGIN]);
	set_slice(row, COL_COMPONENTS, rel[HQ_APT_RELEASE_COMPONENTS]);
	set_slice(row, COL_ARCHITECTURES, rel[HQ_APT_RELEASE_ARCHITECTURES]);
	hq_row_set_int64(row, COL_PID_WITH_NAMESPACE, ns->pid);
	return hq_row_commit(sink, row);
}

static int scan_file(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nsroot *ns, const char *file,
		     bool deb822)
{
	_cleanup_free_ char *buf = NULL, *path = NULL;
	size_t size = 0, pos = 0;
	int r;

	if (asprintf(&path, "%s%s", ns->prefix, file) < 0)
		return -ENOMEM;
	r = hq_ctx_read_file(ctx, path, SOURCES_MAX_BYTES, &buf, &size);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return hq_ctx_error(ctx, r, "apt_sources: cannot read %s: %m", file);

	if (deb822) {
		hq_slice stanza;

		while (hq_deb822_next_stanza(buf, size, &pos, &stanza) > 0) {
			hq_apt_source *srcs = NULL;
			size_t n = 0;

			r = hq_apt_source_parse_stanza(stanza, &srcs, &n);
			if (r < 0)
				return hq_ctx_error(ctx, r, "apt_sources: %m");
			for (size_t i = 0; i < n && r >= 0; i++) {
				r = emit_source(ctx, sink, ns, file, &srcs[i]);
				if (r > 0)
					break;
			}
			hq_apt_sources_free(srcs, n);
			if (r != 0)
				return r;
		}
		return 0;
	}
	while (pos < size) {
		const char *nl = memchr(buf + pos, '\n', size - pos);
		size_t e = nl ? (size_t)(nl - buf) : size;
		hq_apt_source src = {};

		r = hq_apt_source_parse_line(buf + pos, e - pos, &src);
		pos = e + 1;
		if (r < 0)
			return hq_ctx_error(ctx, r, "apt_sources: %m");
		if (r == 0)
			continue;
		r = emit_source(ctx, sink, ns, file, &src);
		hq_apt_source_done(&src);
		if (r != 0)
			return r;
	}
	return 0;
}

static int filter_suffix(const struct dirent *de, const char *suffix)
{
	size_t l = strlen(de->d_name), s = strlen(suffix);

	return de->d_name[0] != '.' && l > s && strcmp(de->d_name + l - s, suffix) == 0;
}

static int filter_list(const struct dirent *de)
{
	return filter_suffix(de, ".list");
}

static int filter_sources(const struct dirent *de)
{
	return filter_suffix(de, ".sources");
}

static int scan_dir(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nsroot *ns, bool deb822)
{
	_cleanup_free_ char *rel = NULL, *dir = NULL;
	struct dirent **list = NULL;
	int n, r = 0;

	if (asprintf(&rel, "%s" SOURCES_DIR, ns->prefix) < 0)
		return -ENOMEM;
	dir = hq_ctx_path(ctx, rel);
	if (!dir)
		return -ENOMEM;
	n = scandir(dir, &list, deb822 ? filter_sources : filter_list, alphasort);
	if (n < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return hq_ctx_error(ctx, -errno, "apt_sources: cannot list %s: %m", SOURCES_DIR);
	}
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *file = NULL;

		if (r == 0) {
			if (asprintf(&file, SOURCES_DIR "/%s", list[i]->d_name) < 0)
				r = -ENOMEM;
			else
				r = scan_file(ctx, sink, ns, file, deb822);
		}
		free(list[i]);
	}
	free(list);
	return r;
}

static int scan(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nsroot *ns)
{
	int r;

	r = scan_file(ctx, sink, ns, "/etc/apt/sources.list", false);
	if (r == 0)
		r = scan_dir(ctx, sink, ns, false);
	if (r == 0)
		r = scan_dir(ctx, sink, ns, true);
	if (r == -ENOMEM)
		return hq_ctx_error(ctx, r, "apt_sources: out of memory");
	return r;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	/* pid_with_namespace: the APT configuration that process sees. */
	return hq_nsroot_generate(ctx, sink, COL_PID_WITH_NAMESPACE, scan);
}

const hq_table_def hq_table_apt_sources = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "apt_sources",
	.description = "Current list of APT repositories or software channels.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
