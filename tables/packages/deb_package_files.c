/* deb_package_files: the files each Debian package installed, one row per path.
 * Source: <admindir>/info/<package>.list and <package>:<arch>.list (multi-arch); readable by
 * any user. A package constraint reads only that package's lists.
 * Example: SELECT path FROM deb_package_files WHERE package = 'dpkg'; */
#include <assert.h>
#include <dirent.h>
#include <stdio.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/dpkg_status.h"

enum {
	COL_PACKAGE,
	COL_PATH,
	COL_ADMINDIR,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_PACKAGE] = {"package", HQ_TYPE_TEXT, HQ_COL_INDEX | HQ_COL_OPTIMIZED, "Package name"},
	[COL_PATH] = {"path", HQ_TYPE_TEXT, HQ_COL_INDEX, "File path within the package"},
	[COL_ADMINDIR] = {"admindir", HQ_TYPE_TEXT, HQ_COL_ADDITIONAL | HQ_COL_OPTIMIZED,
			  "dpkg admin directory read (default /var/lib/dpkg)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define LIST_MAX_BYTES (64u << 20)

HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);

static bool path_wanted(hq_query_ctx *ctx, const char *p, size_t n)
{
	bool constrained = false;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_PATH) {
		if (c->op != HQ_OP_EQ || !c->text)
			continue;
		constrained = true;
		if (c->len == n && memcmp(c->text, p, n) == 0)
			return true;
	}
	return !constrained;
}

/* Emits one row per line of info/<file>. name_len is the package part of the file name. */
static int emit_list(hq_query_ctx *ctx, hq_row_sink *sink, int infofd, const char *file,
		     size_t name_len, const char *admindir)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0;
	int r;

	r = hq_read_full_file_at(infofd, file, LIST_MAX_BYTES, &buf, &size);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return hq_ctx_error(ctx, r, "deb_package_files: cannot read %s/info/%s: %m",
				    admindir, file);
	for (size_t i = 0; i < size;) {
		char *nl = memchr(buf + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - buf) : size, n = e - i;
		hq_row *row;

		if (n > 0 && path_wanted(ctx, buf + i, n)) {
			r = hq_row_begin(sink, &row);
			if (r < 0)
				return r;
			hq_row_set_text_len(row, COL_PACKAGE, file, name_len);
			hq_row_set_text_len(row, COL_PATH, buf + i, n);
			hq_row_set_text(row, COL_ADMINDIR, admindir);
			r = hq_row_commit(sink, row);
			if (r != 0)
				return r;
		}
		i = e + 1;
	}
	return 0;
}

/* Scans info/ for "<pkg>.list" and "<pkg>:<arch>.list"; pkg == NULL takes every package. */
static int scan_info(hq_query_ctx *ctx, hq_row_sink *sink, int infofd, const char *pkg,
		     const char *admindir)
{
	_cleanup_(closedirp) DIR *d = NULL;
	size_t plen = pkg ? strlen(pkg) : 0;
	struct dirent *de;
	int fd, r;

	fd = openat(infofd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hq_ctx_error(ctx, -errno, "deb_package_files: cannot open info dir: %m");
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return hq_ctx_error(ctx, r, "deb_package_files: cannot open info dir: %m");
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), name_len;
		const char *colon;

		if (len <= 5 || strcmp(de->d_name + len - 5, ".list") != 0)
			continue;
		colon = memchr(de->d_name, ':', len - 5);
		name_len = colon ? (size_t)(colon - de->d_name) : len - 5;
		if (name_len == 0)
			continue;
		if (pkg && (name_len != plen || memcmp(de->d_name, pkg, plen) != 0))
			continue;
		r = emit_list(ctx, sink, dirfd(d), de->d_name, name_len, admindir);
		if (r != 0)
			return r;
	}
	return 0;
}

static int scan_admindir(hq_query_ctx *ctx, hq_row_sink *sink, const char *admindir,
			 _unused_ void *userdata)
{
	_cleanup_free_ char *infodir = NULL;
	_cleanup_close_ int infofd = -EBADF;
	bool any = false;
	int r;

	if (asprintf(&infodir, "%s/info", admindir) < 0)
		return hq_ctx_error(ctx, -ENOMEM, "out of memory");
	infofd = hq_ctx_open(ctx, infodir, O_RDONLY | O_DIRECTORY);
	if (infofd == -ENOENT || infofd == -ENOTDIR) {
		hq_log_debug("deb_package_files: no dpkg database at %s", admindir);
		return 0;
	}
	if (infofd < 0)
		return hq_ctx_error(ctx, infofd, "deb_package_files: cannot open %s: %m", infodir);

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_PACKAGE) {
		_cleanup_free_ char *file = NULL;

		if (c->op != HQ_OP_EQ || !c->text)
			continue;
		any = true;
		/* Package names never hold '/', so a constraint cannot escape info/. */
		if (c->len == 0 || strchr(c->text, '/') || c->text[0] == '.')
			continue;
		if (asprintf(&file, "%s.list", c->text) < 0)
			return hq_ctx_error(ctx, -ENOMEM, "out of memory");
		if (faccessat(infofd, file, F_OK, 0) == 0)
			r = emit_list(ctx, sink, infofd, file, c->len, admindir);
		else /* multi-arch: <pkg>:<arch>.list, one per installed architecture */
			r = scan_info(ctx, sink, infofd, c->text, admindir);
		if (r != 0)
			return r;
	}
	if (any)
		return 0;
	return scan_info(ctx, sink, infofd, NULL, admindir);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	int r = hq_dpkg_foreach_admindir(ctx, sink, COL_ADMINDIR, "deb_package_files",
					 scan_admindir, NULL);

	return r < 0 ? r : 0;
}

const hq_table_def hq_table_deb_package_files = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "deb_package_files",
	.description =
		"Installed files from DEB packages that are currently installed on the system.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
