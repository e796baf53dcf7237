/* libFuzzer target for the procfs parsers: the same bytes go through every parser (stat,
 * status, io, cgroup, btime, cmdline), from an exact-size copy so any overread is caught. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), out[64];
	hq_proc_stat st;
	hq_proc_status sts;
	hq_proc_io io;
	const char *path;
	size_t len;
	int64_t t;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (hq_procfs_parse_stat(buf, size, &st) == 0 && st.comm_len > 0)
		(void)st.comm[st.comm_len - 1];
	if (hq_procfs_parse_status(buf, size, &sts) == 0 && (sts.fields & HQ_PROC_STATUS_NAME))
		(void)hq_procfs_unescape_name(sts.name, sts.name_len, out, sizeof(out));
	(void)hq_procfs_parse_io(buf, size, &io);
	if (hq_procfs_parse_cgroup(buf, size, &path, &len) == 0 && len > 0)
		(void)path[len - 1];
	(void)hq_procfs_parse_btime(buf, size, &t);
	(void)hq_procfs_cmdline_to_text(buf, size);
	free(buf);
	return 0;
}
