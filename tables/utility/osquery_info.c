/* osquery_info: the running agent itself, one row (osquery's name, kept for compatibility).
 * Source: hq_agent_info_get() (pid, start time, watcher, config and extension state, instance
 * id); host UUID from <root>/sys/class/dmi/id/product_uuid, else <root>/etc/machine-id shaped
 * as a UUID; build_distro from <root>/etc/os-release ID and VERSION_ID. No privileges (the DMI
 * UUID is only readable by root; without it machine-id is used).
 * Example: SELECT pid, version, config_valid, extensions FROM osquery_info; */
#include <assert.h>
#include <ctype.h>

#include "hq/agent.h"
#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/os_release.h"

enum {
	COL_PID,
	COL_UUID,
	COL_INSTANCE_ID,
	COL_VERSION,
	COL_CONFIG_HASH,
	COL_CONFIG_VALID,
	COL_EXTENSIONS,
	COL_BUILD_PLATFORM,
	COL_BUILD_DISTRO,
	COL_START_TIME,
	COL_WATCHER,
	COL_PLATFORM_MASK,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_PID] = {"pid", HQ_TYPE_INTEGER, 0, "Process (or thread/handle) ID"},
	[COL_UUID] = {"uuid", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE,
		      "Unique ID provided by the system"},
	[COL_INSTANCE_ID] = {"instance_id", HQ_TYPE_TEXT, 0, "Unique, long-lived ID per instance"},
	[COL_VERSION] = {"version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION, "Agent version"},
	[COL_CONFIG_HASH] = {"config_hash", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE,
			     "Hash of the working configuration state"},
	[COL_CONFIG_VALID] = {"config_valid", HQ_TYPE_INTEGER, 0,
			      "1 if the config was loaded and considered valid, else 0"},
	[COL_EXTENSIONS] = {"extensions", HQ_TYPE_TEXT, 0, "active if extensions are active"},
	[COL_BUILD_PLATFORM] = {"build_platform", HQ_TYPE_TEXT, 0, "Build platform"},
	[COL_BUILD_DISTRO] = {"build_distro", HQ_TYPE_TEXT, 0, "Build distro"},
	[COL_START_TIME] = {"start_time", HQ_TYPE_INTEGER, 0,
			    "UNIX time in seconds when the process started"},
	[COL_WATCHER] = {"watcher", HQ_TYPE_INTEGER, 0,
			 "Process (or thread/handle) ID of the watcher, -1 if none"},
	[COL_PLATFORM_MASK] = {"platform_mask", HQ_TYPE_INTEGER, 0, "The osquery platform bitmask"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

/* osquery's PlatformType bits for a Linux build: POSIX (0x01) | LINUX (0x08). */
#define PLATFORM_MASK_LINUX (0x01 | 0x08)

/* Reads a small file below the root, stripped; *ret NULL when absent or not readable. */
static int read_small(hq_query_ctx *ctx, const char *path, char **ret, size_t max)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	*ret = NULL;
	int r = hq_ctx_read_file(ctx, path, max, &buf, &size);
	if (r == -ENOENT || r == -ENOTDIR || r == -EACCES || r == -EPERM) {
		hq_log_debug("osquery_info: %s not available: %s", path, strerror(-r));
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to read %s: %m", path);
	hq_strstrip_trailing(buf);
	*ret = TAKE_PTR(buf);
	return 0;
}

/* The host UUID: DMI's product_uuid, else the 32 hex digits of machine-id as 8-4-4-4-12. */
static int host_uuid(hq_query_ctx *ctx, char **ret)
{
	_cleanup_free_ char *dmi = NULL, *mid = NULL;
	int r = read_small(ctx, "/sys/class/dmi/id/product_uuid", &dmi, 4096);
	if (r < 0)
		return r;
	if (dmi && dmi[0]) {
		*ret = TAKE_PTR(dmi);
		return 0;
	}
	r = read_small(ctx, "/etc/machine-id", &mid, 4096);
	if (r < 0)
		return r;
	*ret = NULL;
	if (!mid || strlen(mid) != 32)
		return 0;
	for (const char *p = mid; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return 0;
	if (asprintf(ret, "%.8s-%.4s-%.4s-%.4s-%.12s", mid, mid + 8, mid + 12, mid + 16, mid + 20) <
	    0) {
		*ret = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* "<ID><VERSION_ID>" of the os-release file, e.g. "debian12"; NULL when unknown. */
static int build_distro(hq_query_ctx *ctx, char **ret)
{
	_cleanup_free_ char *buf = NULL;
	*ret = NULL;
	int r = read_small(ctx, "/etc/os-release", &buf, 64 * 1024);
	if (r < 0)
		return r;
	if (!buf) {
		r = read_small(ctx, "/usr/lib/os-release", &buf, 64 * 1024);
		if (r < 0 || !buf)
			return r;
	}
	hq_os_release osr;
	r = hq_os_release_parse(buf, strlen(buf), &osr);
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to parse os-release: %m");
	if (osr.id && asprintf(ret, "%s%s", osr.id, osr.version_id ? osr.version_id : "") < 0) {
		*ret = NULL;
		r = -ENOMEM;
	}
	hq_os_release_done(&osr);
	return r;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	hq_agent_info info;
	hq_agent_info_get(&info);

	_cleanup_free_ char *uuid = NULL, *distro = NULL;
	int r;
	if (hq_ctx_column_used(ctx, COL_UUID)) {
		r = host_uuid(ctx, &uuid);
		if (r < 0)
			return r;
	}
	if (hq_ctx_column_used(ctx, COL_BUILD_DISTRO)) {
		r = build_distro(ctx, &distro);
		if (r < 0)
			return r;
	}

	hq_row *row;
	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_int64(row, COL_PID, info.pid);
	hq_row_set_text(row, COL_UUID, uuid);
	hq_row_set_text(row, COL_INSTANCE_ID, info.instance_id);
	hq_row_set_text_static(row, COL_VERSION, HQ_VERSION);
	hq_row_set_text(row, COL_CONFIG_HASH, info.config_hash);
	hq_row_set_int64(row, COL_CONFIG_VALID, info.config_valid ? 1 : 0);
	hq_row_set_text_static(row, COL_EXTENSIONS, info.extensions_active ? "active" : "inactive");
	hq_row_set_text_static(row, COL_BUILD_PLATFORM, "linux");
	hq_row_set_text(row, COL_BUILD_DISTRO, distro);
	hq_row_set_int64(row, COL_START_TIME, info.start_time);
	hq_row_set_int64(row, COL_WATCHER, info.watcher_pid);
	hq_row_set_int64(row, COL_PLATFORM_MASK, PLATFORM_MASK_LINUX);
	r = hq_row_commit(sink, row);
	return r > 0 ? 0 : r;
}

const hq_table_def hq_table_osquery_info = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "osquery_info",
	.description = "Top level information about the running agent.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_UTILITY,
	.generate = generate,
};
