/* os_version: the operating system release, one row.
 * Source: <root>/etc/os-release (else <root>/usr/lib/os-release), then <root>/etc/redhat-release
 * or <root>/etc/gentoo-release for older systems; uname(2) for arch. No privileges needed.
 * Example: SELECT name, version, major, minor, platform FROM os_version; */
#include <assert.h>
#include <sys/utsname.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/os_release.h"

enum {
	COL_NAME,
	COL_VERSION,
	COL_MAJOR,
	COL_MINOR,
	COL_PATCH,
	COL_BUILD,
	COL_PLATFORM,
	COL_PLATFORM_LIKE,
	COL_CODENAME,
	COL_ARCH,
	COL_PID_WITH_NAMESPACE,
	COL_MOUNT_NAMESPACE_ID,
	COL_EXTRA,
	COL_INSTALL_DATE,
	COL_REVISION,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_NAME] = {"name", HQ_TYPE_TEXT, 0, "Distribution or product name"},
	[COL_VERSION] = {"version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION,
			 "Pretty, suffixed version string"},
	[COL_MAJOR] = {"major", HQ_TYPE_INTEGER, 0, "Major release version"},
	[COL_MINOR] = {"minor", HQ_TYPE_INTEGER, 0, "Minor release version"},
	[COL_PATCH] = {"patch", HQ_TYPE_INTEGER, 0, "Optional patch release"},
	[COL_BUILD] = {"build", HQ_TYPE_TEXT, 0, "Optional build-specific or variant string"},
	[COL_PLATFORM] = {"platform", HQ_TYPE_TEXT, 0, "OS platform or ID"},
	[COL_PLATFORM_LIKE] = {"platform_like", HQ_TYPE_TEXT, 0, "Closely related platforms"},
	[COL_CODENAME] = {"codename", HQ_TYPE_TEXT, 0, "OS version codename"},
	[COL_ARCH] = {"arch", HQ_TYPE_TEXT, 0, "OS architecture"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
	[COL_MOUNT_NAMESPACE_ID] = {"mount_namespace_id", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				    "Mount namespace id"},
	[COL_EXTRA] = {"extra", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
		       "Optional extra release specification (macOS)"},
	[COL_INSTALL_DATE] = {"install_date", HQ_TYPE_BIGINT, HQ_COL_HIDDEN,
			      "The install date of the OS (Windows)"},
	[COL_REVISION] = {"revision", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			  "Update Build Revision (Windows)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define RELEASE_MAX (64 * 1024)

/* Reads the first of the paths that exists. Returns 0 with *ret NULL when none does. */
static int read_first(hq_query_ctx *ctx, const char *const *paths, char **ret, size_t *ret_size)
{
	for (; *paths; paths++) {
		int r = hq_ctx_read_file(ctx, *paths, RELEASE_MAX, ret, ret_size);
		if (r == -ENOENT || r == -ENOTDIR)
			continue;
		if (r < 0)
			return hq_ctx_error(ctx, r, "failed to read %s: %m", *paths);
		return 0;
	}
	*ret = NULL;
	*ret_size = 0;
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r;

	r = read_first(ctx, (const char *const[]){"/etc/os-release", "/usr/lib/os-release", NULL},
		       &buf, &size);
	if (r < 0)
		return r;

	hq_os_release osr = {0};
	/* An empty os-release (Funtoo) leaves the defaults. */
	if (buf && size > 0) {
		r = hq_os_release_parse(buf, size, &osr);
		if (r < 0)
			return hq_ctx_error(ctx, r, "failed to parse os-release: %m");
	}

	_cleanup_free_ char *legacy_buf = NULL;
	const char *legacy_platform = "rhel";
	r = read_first(ctx, (const char *const[]){"/etc/redhat-release", NULL}, &legacy_buf, &size);
	if (r >= 0 && !legacy_buf) {
		legacy_platform = "gentoo";
		r = read_first(ctx, (const char *const[]){"/etc/gentoo-release", NULL}, &legacy_buf,
			       &size);
	}
	if (r < 0) {
		hq_os_release_done(&osr);
		return r;
	}
	hq_release_file legacy = {0};
	if (legacy_buf) {
		r = hq_release_file_parse(legacy_buf, size, &legacy);
		if (r < 0) {
			hq_os_release_done(&osr);
			return hq_ctx_error(ctx, r, "failed to parse the release file: %m");
		}
	}

	hq_row *row;
	r = hq_row_begin(sink, &row);
	if (r < 0)
		goto out;

	int64_t v[3];
	bool have[3];
	hq_version_split(osr.version_id, v, have);

	/* osquery's defaults when nothing better is known. */
	hq_row_set_text(row, COL_NAME, osr.name ? osr.name : "Unknown");
	hq_row_set_text(row, COL_VERSION, osr.version);
	hq_row_set_int64(row, COL_MAJOR, have[0] ? v[0] : 0);
	hq_row_set_int64(row, COL_MINOR, have[1] ? v[1] : 0);
	hq_row_set_int64(row, COL_PATCH, have[2] ? v[2] : 0);
	hq_row_set_text(row, COL_BUILD, osr.build_id);
	hq_row_set_text(row, COL_PLATFORM, osr.id ? osr.id : "posix");
	hq_row_set_text(row, COL_PLATFORM_LIKE, osr.id_like);
	hq_row_set_text(row, COL_CODENAME, osr.codename);
	hq_row_set_int64(row, COL_PID_WITH_NAMESPACE, 0);

	struct utsname uts;
	if (uname(&uts) == 0)
		hq_row_set_text(row, COL_ARCH, uts.machine);

	if (legacy_buf) {
		/* An older Red Hat or Gentoo system: the release file wins. */
		hq_row_set_text_static(row, COL_PLATFORM, legacy_platform);
		hq_row_set_text_static(row, COL_PLATFORM_LIKE, legacy_platform);
		hq_row_set_text(row, COL_VERSION, legacy.text);
		hq_row_set_text_static(row, COL_BUILD, "");
		if (legacy.name) {
			hq_row_set_text(row, COL_NAME, legacy.name);
			if (legacy.have_major)
				hq_row_set_int64(row, COL_MAJOR, legacy.major);
			else
				hq_row_set_null(row, COL_MAJOR);
			if (legacy.have_minor)
				hq_row_set_int64(row, COL_MINOR, legacy.minor);
			else
				hq_row_set_null(row, COL_MINOR);
			if (legacy.have_patch)
				hq_row_set_int64(row, COL_PATCH, legacy.patch);
			else
				hq_row_set_null(row, COL_PATCH);
		}
	}

	r = hq_row_commit(sink, row);
	if (r > 0)
		r = 0;
out:
	hq_os_release_done(&osr);
	hq_release_file_done(&legacy);
	return r;
}

const hq_table_def hq_table_os_version = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "os_version",
	.description = "A single row containing the operating system name and version.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
