/* deb_packages: Debian packages known to dpkg (every status except not-installed).
 * Source: <admindir>/status (default /var/lib/dpkg) plus the <admindir>/updates/ journal of an
 * unfinished dpkg run, parsed directly as deb822 (no libdpkg); any user can read them.
 * Example: SELECT name, version, arch FROM deb_packages WHERE status != 'install ok installed'; */
#include <assert.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/dpkg_status.h"
#include "lib/nsroot.h"

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

/* The host's status file is ~1 MB; a database 256 times that is not a dpkg database. */
#define STATUS_MAX_BYTES (256u << 20)

/* Where a scan reads: the admin directory as the user named it, and for pid_with_namespace
 * the /proc/<pid>/root prefix that reaches it inside that process's mount namespace. */
typedef struct target {
	const char *admindir;
	char prefix[40]; /* "" or "/proc/<pid>/root" */
	int64_t pid;	 /* 0 when no namespace was asked for */
	char mntns[24];	 /* mount namespace inode of pid, "" when unknown */
} target;

/* Sets a column from a slice when the query reads it; dpkg-query prints an absent field as
 * empty, and so does osquery. */
static void set_slice(hq_query_ctx *ctx, hq_row *row, unsigned col, hq_slice s)
{
	if (hq_ctx_column_used(ctx, col))
		hq_row_set_text_len(row, col, s.p ? s.p : "", s.p ? s.n : 0);
}

static int emit_package(hq_query_ctx *ctx, hq_row_sink *sink, const hq_dpkg_package *pkg,
			const target *t)
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
		hq_row_set_text(row, COL_ADMINDIR, t->admindir);
	hq_row_set_int64(row, COL_PID_WITH_NAMESPACE, t->pid);
	/* "" outside a namespace, as osquery reports it. */
	hq_row_set_text(row, COL_MOUNT_NAMESPACE_ID, t->mntns);
	return hq_row_commit(sink, row);
}

/* The journal a dpkg run leaves in <admindir>/updates/ until it next rewrites status: files
 * with all-digit names, applied in name order, each stanza replacing the status record of the
 * same package and architecture (or adding one). dpkg-query reads them too. */
typedef struct journal {
	char **bufs;
	size_t n_bufs;
	hq_dpkg_package *pkgs;
	bool *used;
	size_t n_pkgs;
} journal;

static void journal_done(journal *j)
{
	for (size_t i = 0; i < j->n_bufs; i++)
		free(j->bufs[i]);
	free(j->bufs);
	free(j->pkgs);
	free(j->used);
	*j = (journal){};
}

static bool same_package(const hq_dpkg_package *a, const hq_dpkg_package *b)
{
	hq_slice an = a->field[HQ_DPKG_PACKAGE], bn = b->field[HQ_DPKG_PACKAGE];
	hq_slice aa = a->field[HQ_DPKG_ARCHITECTURE], ba = b->field[HQ_DPKG_ARCHITECTURE];

	return an.n == bn.n && memcmp(an.p, bn.p, an.n) == 0 && aa.n == ba.n &&
	       (aa.n == 0 || memcmp(aa.p, ba.p, aa.n) == 0);
}

static int journal_add(journal *j, const hq_dpkg_package *pkg)
{
	hq_dpkg_package *t;

	for (size_t i = 0; i < j->n_pkgs; i++)
		if (same_package(&j->pkgs[i], pkg)) {
			j->pkgs[i] = *pkg; /* a later journal entry wins */
			return 0;
		}
	t = realloc(j->pkgs, (j->n_pkgs + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	j->pkgs = t;
	j->pkgs[j->n_pkgs++] = *pkg;
	return 0;
}

static int digits_only(const struct dirent *de)
{
	const char *p = de->d_name;

	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return p != de->d_name;
}

static int journal_load(hq_query_ctx *ctx, const target *tg, journal *j)
{
	_cleanup_free_ char *rel = NULL, *dir = NULL;
	struct dirent **list = NULL;
	int n, r = 0;

	if (asprintf(&rel, "%s%s/updates", tg->prefix, tg->admindir) < 0)
		return -ENOMEM;
	dir = hq_ctx_path(ctx, rel);
	if (!dir)
		return -ENOMEM;
	n = scandir(dir, &list, digits_only, alphasort);
	if (n < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *file = NULL;
		char *buf = NULL, **t;
		size_t size = 0, pos = 0;
		hq_dpkg_package pkg;

		if (r < 0 || asprintf(&file, "%s/%s", dir, list[i]->d_name) < 0) {
			r = r < 0 ? r : -ENOMEM;
			goto next;
		}
		r = hq_read_full_file_at(AT_FDCWD, file, STATUS_MAX_BYTES, &buf, &size);
		if (r == -ENOENT) { /* dpkg finished and removed it meanwhile */
			r = 0;
			goto next;
		}
		if (r < 0)
			goto next;
		t = realloc(j->bufs, (j->n_bufs + 1) * sizeof(*t));
		if (!t) {
			free(buf);
			r = -ENOMEM;
			goto next;
		}
		j->bufs = t;
		j->bufs[j->n_bufs++] = buf;
		while (r >= 0 && hq_dpkg_next_package(buf, size, &pos, &pkg) > 0)
			r = journal_add(j, &pkg);
	next:
		free(list[i]);
	}
	free(list);
	if (r >= 0 && j->n_pkgs > 0) {
		j->used = calloc(j->n_pkgs, sizeof(*j->used));
		if (!j->used)
			r = -ENOMEM;
	}
	return r;
}

/* An hq_dpkg_admindir_fn; userdata is the target, whose admindir this sets. */
static int scan_admindir(hq_query_ctx *ctx, hq_row_sink *sink, const char *admindir, void *userdata)
{
	target *t = userdata;
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = -EBADF;
	journal j = {};
	hq_dpkg_package pkg;
	struct stat stb;
	size_t size, pos = 0;
	const char *buf = NULL;
	int r = 0;

	t->admindir = admindir;
	if (asprintf(&path, "%s%s/status", t->prefix, t->admindir) < 0)
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
	if ((uint64_t)stb.st_size > STATUS_MAX_BYTES)
		return hq_ctx_error(ctx, -E2BIG, "deb_packages: %s is too large", path);
	r = journal_load(ctx, t, &j);
	if (r < 0) {
		journal_done(&j);
		return hq_ctx_error(ctx, r, "deb_packages: cannot read %s/updates: %m",
				    t->admindir);
	}
	size = (size_t)stb.st_size;
	/* Mapping the page cache saves copying ~1 MB and faulting in a fresh buffer. dpkg
	 * replaces the file by rename, so the mapped inode never changes under us. */
	if (size > 0) {
		buf = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (buf == MAP_FAILED) {
			journal_done(&j);
			return hq_ctx_error(ctx, -errno, "deb_packages: cannot map %s: %m", path);
		}
	}

	while (r == 0 && buf && hq_dpkg_next_package(buf, size, &pos, &pkg) > 0) {
		const hq_dpkg_package *p = &pkg;

		for (size_t i = 0; i < j.n_pkgs; i++)
			if (!j.used[i] && same_package(&j.pkgs[i], &pkg)) {
				j.used[i] = true;
				p = &j.pkgs[i];
				break;
			}
		r = emit_package(ctx, sink, p, t);
	}
	for (size_t i = 0; i < j.n_pkgs && r == 0; i++)
		if (!j.used[i])
			r = emit_package(ctx, sink, &j.pkgs[i], t);
	if (buf)
		munmap((void *)buf, size);
	journal_done(&j);
	return r;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	bool any = false;
	int r;

	/* pid_with_namespace: the database that process sees, through /proc/<pid>/root. */
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_PID_WITH_NAMESPACE) {
		_cleanup_close_ int procfd = -EBADF;
		hq_nsroot ns;
		target t = {};

		if (c->op != HQ_OP_EQ || c->type != HQ_VALUE_INTEGER)
			continue;
		any = true;
		if (c->i64 > 0)
			procfd = hq_ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
		if (hq_nsroot_resolve(procfd, c->i64, &ns) < 0) {
			hq_log_debug("deb_packages: no process %lld", (long long)c->i64);
			continue; /* no such process: no rows */
		}
		t.pid = ns.pid;
		memcpy(t.prefix, ns.prefix, sizeof(t.prefix));
		memcpy(t.mntns, ns.mntns, sizeof(t.mntns));
		r = hq_dpkg_foreach_admindir(ctx, sink, COL_ADMINDIR, "deb_packages", scan_admindir,
					     &t);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	if (any)
		return 0;
	r = hq_dpkg_foreach_admindir(ctx, sink, COL_ADMINDIR, "deb_packages", scan_admindir,
				     &(target){});
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
