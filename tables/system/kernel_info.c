/* kernel_info: the running kernel's release and boot arguments, one row.
 * Source: <root>/proc/version (third word when the second is "version"), <root>/proc/cmdline
 * (BOOT_IMAGE= is the path, root= the device, the other words the arguments). No privileges.
 * Example: SELECT version, arguments FROM kernel_info; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"

enum {
	COL_VERSION,
	COL_ARGUMENTS,
	COL_PATH,
	COL_DEVICE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_VERSION] = {"version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION, "Kernel version"},
	[COL_ARGUMENTS] = {"arguments", HQ_TYPE_TEXT, 0, "Kernel arguments"},
	[COL_PATH] = {"path", HQ_TYPE_TEXT, 0, "Kernel path"},
	[COL_DEVICE] = {"device", HQ_TYPE_TEXT, 0, "Kernel device identifier"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define WS " \t\n\r"

/* Reads a proc file below the root; *ret stays NULL when it is absent. */
static int read_proc(hq_query_ctx *ctx, const char *path, char **ret)
{
	size_t size;
	*ret = NULL;
	int r = hq_ctx_read_file(ctx, path, 1 << 16, ret, &size);
	if (r == -ENOENT || r == -ENOTDIR) {
		hq_log_debug("kernel_info: no %s", path);
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to read %s: %m", path);
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_free_ char *version = NULL, *cmdline = NULL;
	int r;

	r = read_proc(ctx, "/proc/version", &version);
	if (r < 0)
		return r;
	r = read_proc(ctx, "/proc/cmdline", &cmdline);
	if (r < 0)
		return r;

	hq_row *row;
	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;

	if (version) {
		char *save = NULL;
		char *w1 = strtok_r(version, WS, &save);
		char *w2 = w1 ? strtok_r(NULL, WS, &save) : NULL;
		char *w3 = w2 ? strtok_r(NULL, WS, &save) : NULL;
		if (w3 && strcmp(w2, "version") == 0)
			hq_row_set_text(row, COL_VERSION, w3);
	}

	if (cmdline) {
		hq_buf args = HQ_BUF_INIT(1 << 16);
		char *save = NULL;
		for (char *w = strtok_r(cmdline, WS, &save); w; w = strtok_r(NULL, WS, &save)) {
			if (hq_startswith(w, "BOOT_IMAGE=")) {
				hq_row_set_text(row, COL_PATH, w + strlen("BOOT_IMAGE="));
			} else if (hq_startswith(w, "root=")) {
				hq_row_set_text(row, COL_DEVICE, w + strlen("root="));
			} else {
				if (args.len > 0)
					hq_buf_putc(&args, ' ');
				hq_buf_puts(&args, w);
			}
		}
		if (args.error < 0) {
			r = args.error;
			hq_buf_done(&args);
			return hq_ctx_error(ctx, r, "failed to collect kernel arguments: %m");
		}
		hq_row_set_text(row, COL_ARGUMENTS, args.data ? args.data : "");
		hq_buf_done(&args);
	}

	r = hq_row_commit(sink, row);
	return r > 0 ? 0 : r;
}

const hq_table_def hq_table_kernel_info = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "kernel_info",
	.description = "Basic active kernel information.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
