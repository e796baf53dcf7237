/* deb_packages: Debian packages known to dpkg (every status except not-installed).
 * Source: <admindir>/status (default /var/lib/dpkg), parsed directly as deb822; any user can
 * read it. Differs from osquery in not replaying <admindir>/updates/ journal entries that a
 * crashed dpkg run left behind (dpkg itself folds them in on its next run).
 * Example: SELECT name, version, arch FROM deb_packages WHERE status != 'install ok installed'; */
#include <assert.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/dpkg_status.h"

enum {
	COL_NAME,
	COL_VERSION,
	COL_SOURCE,
	COL_SIZE,
	COL_ARCH,
	COL_REVISION,
	COL_STATUS,
	COL_MAINTAINER,
	COL_SECTION,
	COL_PRIORITY,
	COL_ADMINDIR,
	COL_PID_WITH_NAMESPACE,
	COL_MOUNT_NAMESPACE_ID,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "Package name"},
	[COL_VERSION] = {"version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION_DPKG,
			 "Package version (with the epoch when non-zero)"},
	[COL_SOURCE] = {"source", HQ_TYPE_TEXT, 0, "Package source"},
	[COL_SIZE] = {"size", HQ_TYPE_BIGINT, 0, "Installed-Size as dpkg records it (KiB)"},
	[COL_ARCH] = {"arch", HQ_TYPE_TEXT, 0, "Package architecture"},
	[COL_REVISION] = {"revision", HQ_TYPE_TEXT, 0, "Package revision"},
	[COL_STATUS] = {"status", HQ_TYPE_TEXT, 0, "Package status (want, error flag, state)"},
	[COL_MAINTAINER] = {"maintainer", HQ_TYPE_TEXT, 0, "Package maintainer"},
	[COL_SECTION] = {"section", HQ_TYPE_TEXT, 0, "Package section"},
	[COL_PRIORITY] = {"priority", HQ_TYPE_TEXT, 0, "Package priority"},
	[COL_ADMINDIR] = {"admindir", HQ_TYPE_TEXT, HQ_COL_ADDITIONAL | HQ_COL_OPTIMIZED,
			  "dpkg admin directory read (default /var/lib/dpkg)"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
	[COL_MOUNT_NAMESPACE_ID] = {"mount_namespace_id", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				    "Mount namespace id"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define DEFAULT_ADMINDIR "/var/lib/dpkg"
/* The host's status file is ~1 MB; a database 256 times that is not a dpkg database. */
#define STATUS_MAX_BYTES (256u << 20)

/* Sets a column from a slice when the query reads it; dpkg-query prints an absent field as
 * empty, and so does osquery. */
static void set_slice(hq_query_ctx *ctx, hq_row *row, unsigned col, hq_slice s)
{
	if (hq_ctx_column_used(ctx, col))
		hq_row_set_text_len(row, col, s.p ? s.p : "", s.p ? s.n : 0);
}

static int emit_package(hq_query_ctx *ctx, hq_row_sink *sink, const hq_dpkg_package *pkg,
			const char *admindir)
{
	hq_dpkg_status st;
	hq_dpkg_version v = {};
	bool have_version;
	hq_row *row;
	int r;

	/* dpkg treats a stanza without a valid Status as not installed. */
	if (!pkg->field[HQ_DPKG_STATUS].p ||
	    hq_dpkg_status_parse(pkg->field[HQ_DPKG_STATUS], &st) < 0 ||
	    hq_slice_eq(st.status, "not-installed"))
		return 0;
	have_version = pkg->field[HQ_DPKG_VERSION].p &&
		       hq_dpkg_version_parse(pkg->field[HQ_DPKG_VERSION], &v) == 0;

	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	set_slice(ctx, row, COL_NAME, pkg->field[HQ_DPKG_PACKAGE]);
	if (hq_ctx_column_used(ctx, COL_VERSION)) {
		char buf[512];

		if (!have_version)
			hq_row_set_text_static(row, COL_VERSION, "");
		else if (hq_dpkg_version_format(&v, buf, sizeof(buf)) >= 0)
			hq_row_set_text(row, COL_VERSION, buf);
		else
			set_slice(ctx, row, COL_VERSION, pkg->field[HQ_DPKG_VERSION]);
	}
	set_slice(ctx, row, COL_SOURCE, hq_dpkg_source_name(pkg->field[HQ_DPKG_SOURCE]));
	if (pkg->field[HQ_DPKG_INSTALLED_SIZE].p && hq_ctx_column_used(ctx, COL_SIZE)) {
		hq_slice sz = pkg->field[HQ_DPKG_INSTALLED_SIZE];
		char num[24];
		int64_t size;

		if (sz.n < sizeof(num)) {
			memcpy(num, sz.p, sz.n);
			num[sz.n] = '\0';
			if (hq_safe_atoi64(num, &size) == 0)
				hq_row_set_int64(row, COL_SIZE, size);
		}
	}
	set_slice(ctx, row, COL_ARCH, pkg->field[HQ_DPKG_ARCHITECTURE]);
	set_slice(ctx, row, COL_REVISION, have_version ? v.revision : (hq_slice){"", 0});
	if (hq_ctx_column_used(ctx, COL_STATUS))
		hq_row_set_textf(row, COL_STATUS, "%.*s %.*s %.*s", (int)st.want.n, st.want.p,
				 (int)st.eflag.n, st.eflag.p, (int)st.status.n, st.status.p);
	set_slice(ctx, row, COL_MAINTAINER, pkg->field[HQ_DPKG_MAINTAINER]);
	set_slice(ctx, row, COL_SECTION, pkg->field[HQ_DPKG_SECTION]);
	set_slice(ctx, row, COL_PRIORITY, pkg->field[HQ_DPKG_PRIORITY]);
	if (hq_ctx_column_used(ctx, COL_ADMINDIR))
		hq_row_set_text(row, COL_ADMINDIR, admindir);
	return hq_row_commit(sink, row);
}

static int scan_admindir(hq_query_ctx *ctx, hq_row_sink *sink, const char *admindir)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = -EBADF;
	hq_dpkg_package pkg;
	struct stat stb;
	size_t size, pos = 0;
	const char *buf;
	int r = 0;

	if (asprintf(&path, "%s/status", admindir) < 0)
		return hq_ctx_error(ctx, -ENOMEM, "out of memory");
	fd = hq_ctx_open(ctx, path, O_RDONLY);
	if (fd == -ENOENT || fd == -ENOTDIR) {
		hq_log_debug("deb_packages: no dpkg database at %s", path);
		return 0;
	}
	if (fd < 0)
		return hq_ctx_error(ctx, fd, "deb_packages: cannot open %s: %m", path);
	if (fstat(fd, &stb) < 0)
		return hq_ctx_error(ctx, -errno, "deb_packages: cannot stat %s: %m", path);
	if (!S_ISREG(stb.st_mode))
		return hq_ctx_error(ctx, -EBADF, "deb_packages: %s is not a regular file", path);
	if (stb.st_size == 0)
		return 0;
	if ((uint64_t)stb.st_size > STATUS_MAX_BYTES)
		return hq_ctx_error(ctx, -E2BIG, "deb_packages: %s is too large", path);
	size = (size_t)stb.st_size;
	/* Mapping the page cache saves copying ~1 MB and faulting in a fresh buffer. dpkg
	 * replaces the file by rename, so the mapped inode never changes under us. */
	buf = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (buf == MAP_FAILED)
		return hq_ctx_error(ctx, -errno, "deb_packages: cannot map %s: %m", path);

	while (hq_dpkg_next_package(buf, size, &pos, &pkg) > 0) {
		r = emit_package(ctx, sink, &pkg, admindir);
		if (r != 0)
			break;
	}
	munmap((void *)buf, size);
	return r;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	bool any = false;
	int r;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_ADMINDIR) {
		if (c->op != HQ_OP_EQ || !c->text)
			continue;
		any = true;
		if (c->text[0] != '/')
			return hq_ctx_error(ctx, -EINVAL,
					    "deb_packages: admindir must be absolute");
		r = scan_admindir(ctx, sink, c->text);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	if (any)
		return 0;
	r = scan_admindir(ctx, sink, DEFAULT_ADMINDIR);
	return r < 0 ? r : 0;
}

const hq_table_def hq_table_deb_packages = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "deb_packages",
	.description = "The installed DEB package database.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
