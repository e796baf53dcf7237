/* system_info: host identity and hardware summary, one row.
 * Source: <root>/proc/sys/kernel/hostname (FQDN via getaddrinfo on the live host only),
 * <root>/sys/class/dmi/id/product_uuid (root only), <root>/proc/cpuinfo, <root>/proc/meminfo
 * (sysconf on the live host when absent), uname(2), SMBIOS types 1 and 2 from
 * <root>/sys/firmware/dmi/tables (hardware_*, board_*). Reading product_uuid and DMI needs root.
 * Example: SELECT hostname, uuid, cpu_brand, physical_memory FROM system_info; */
#include <assert.h>
#include <ctype.h>
#include <netdb.h>
#include <sys/utsname.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/cpuinfo.h"
#include "lib/smbios.h"

enum {
	COL_HOSTNAME,
	COL_UUID,
	COL_CPU_TYPE,
	COL_CPU_SUBTYPE,
	COL_CPU_BRAND,
	COL_CPU_PHYSICAL_CORES,
	COL_CPU_LOGICAL_CORES,
	COL_CPU_SOCKETS,
	COL_CPU_MICROCODE,
	COL_PHYSICAL_MEMORY,
	COL_HARDWARE_VENDOR,
	COL_HARDWARE_MODEL,
	COL_HARDWARE_VERSION,
	COL_HARDWARE_SERIAL,
	COL_BOARD_VENDOR,
	COL_BOARD_MODEL,
	COL_BOARD_VERSION,
	COL_BOARD_SERIAL,
	COL_COMPUTER_NAME,
	COL_LOCAL_HOSTNAME,
	COL_EMULATED_CPU_TYPE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_HOSTNAME] = {"hostname", HQ_TYPE_TEXT, 0, "Network hostname including domain"},
	[COL_UUID] = {"uuid", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE,
		      "Unique ID provided by the system"},
	[COL_CPU_TYPE] = {"cpu_type", HQ_TYPE_TEXT, 0, "CPU type"},
	[COL_CPU_SUBTYPE] = {"cpu_subtype", HQ_TYPE_TEXT, 0, "CPU subtype (model number)"},
	[COL_CPU_BRAND] = {"cpu_brand", HQ_TYPE_TEXT, 0, "CPU brand string"},
	[COL_CPU_PHYSICAL_CORES] = {"cpu_physical_cores", HQ_TYPE_INTEGER, 0,
				    "Number of physical CPU cores"},
	[COL_CPU_LOGICAL_CORES] = {"cpu_logical_cores", HQ_TYPE_INTEGER, 0,
				   "Number of logical CPU cores"},
	[COL_CPU_SOCKETS] = {"cpu_sockets", HQ_TYPE_INTEGER, 0, "Number of processor sockets"},
	[COL_CPU_MICROCODE] = {"cpu_microcode", HQ_TYPE_TEXT, 0, "Microcode version"},
	[COL_PHYSICAL_MEMORY] = {"physical_memory", HQ_TYPE_BIGINT, 0,
				 "Total physical memory in bytes"},
	[COL_HARDWARE_VENDOR] = {"hardware_vendor", HQ_TYPE_TEXT, 0, "Hardware vendor"},
	[COL_HARDWARE_MODEL] = {"hardware_model", HQ_TYPE_TEXT, 0, "Hardware model"},
	[COL_HARDWARE_VERSION] = {"hardware_version", HQ_TYPE_TEXT, 0, "Hardware version"},
	[COL_HARDWARE_SERIAL] = {"hardware_serial", HQ_TYPE_TEXT, 0, "Device serial number"},
	[COL_BOARD_VENDOR] = {"board_vendor", HQ_TYPE_TEXT, 0, "Board vendor"},
	[COL_BOARD_MODEL] = {"board_model", HQ_TYPE_TEXT, 0, "Board model"},
	[COL_BOARD_VERSION] = {"board_version", HQ_TYPE_TEXT, 0, "Board version"},
	[COL_BOARD_SERIAL] = {"board_serial", HQ_TYPE_TEXT, 0, "Board serial number"},
	[COL_COMPUTER_NAME] = {"computer_name", HQ_TYPE_TEXT, 0, "Friendly computer name"},
	[COL_LOCAL_HOSTNAME] = {"local_hostname", HQ_TYPE_TEXT, 0, "Local hostname"},
	[COL_EMULATED_CPU_TYPE] = {"emulated_cpu_type", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				   "Emulated CPU type (Windows)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

/* Reads a one-line file below the root, stripped. Returns 0 with *ret NULL when it is absent
 * or unreadable for us (product_uuid is root-only). */
static int read_line(hq_query_ctx *ctx, const char *path, char **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r = hq_ctx_read_file(ctx, path, 4096, &buf, &size);
	if (r == -ENOENT || r == -ENOTDIR || r == -EACCES || r == -EPERM) {
		hq_log_debug("system_info: %s not available: %s", path, strerror(-r));
		*ret = NULL;
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to read %s: %m", path);
	hq_strstrip_trailing(buf);
	*ret = TAKE_PTR(buf);
	return 0;
}

/* The host name: the root's UTS name, resolved to a canonical name on the live host only, so
 * that a fixture root never triggers name lookups. */
static int host_names(hq_query_ctx *ctx, char **ret_short, char **ret_fqdn)
{
	_cleanup_free_ char *name = NULL;
	int r = read_line(ctx, "/proc/sys/kernel/hostname", &name);
	if (r < 0)
		return r;
	bool live = hq_ctx_root(ctx)[0] == '\0';
	if (!name && live) {
		char buf[256] = "";
		if (gethostname(buf, sizeof(buf) - 1) == 0) {
			name = strdup(buf);
			if (!name)
				return -ENOMEM;
		}
	}

	_cleanup_free_ char *fqdn = NULL;
	if (name && live &&
	    (hq_ctx_column_used(ctx, COL_HOSTNAME) ||
	     hq_ctx_column_used(ctx, COL_LOCAL_HOSTNAME))) {
		struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_flags = AI_CANONNAME};
		struct addrinfo *res = NULL;
		if (getaddrinfo(name, NULL, &hints, &res) == 0) {
			if (res && res->ai_canonname)
				fqdn = strdup(res->ai_canonname);
			freeaddrinfo(res);
		}
	}
	if (!fqdn && name) {
		fqdn = strdup(name);
		if (!fqdn)
			return -ENOMEM;
	}
	*ret_short = TAKE_PTR(name);
	*ret_fqdn = TAKE_PTR(fqdn);
	return 0;
}

/* MemTotal from meminfo in bytes, which is what sysconf(_SC_PHYS_PAGES) * page size gives. */
static int physical_memory(hq_query_ctx *ctx, int64_t *ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r = hq_ctx_read_file(ctx, "/proc/meminfo", 1 << 20, &buf, &size);
	if (r == -ENOENT) {
		if (hq_ctx_root(ctx)[0] != '\0')
			return -ENOENT;
		long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
		if (pages <= 0 || page <= 0)
			return -ENOENT;
		*ret = (int64_t)pages * page;
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to read /proc/meminfo: %m");

	char *p = strstr(buf, "MemTotal:");
	if (!p || (p != buf && p[-1] != '\n'))
		return -ENOENT;
	p += strlen("MemTotal:");
	while (*p == ' ' || *p == '\t')
		p++;
	int64_t kb = 0;
	if (!isdigit((unsigned char)*p))
		return -ENOENT;
	for (; isdigit((unsigned char)*p); p++) {
		if (kb > INT64_MAX / 10240)
			return -ENOENT;
		kb = kb * 10 + (*p - '0');
	}
	*ret = kb * 1024;
	return 0;
}

static bool cpu_columns_used(hq_query_ctx *ctx)
{
	for (unsigned c = COL_CPU_SUBTYPE; c <= COL_CPU_MICROCODE; c++)
		if (hq_ctx_column_used(ctx, c))
			return true;
	return false;
}

static bool smbios_columns_used(hq_query_ctx *ctx)
{
	for (unsigned c = COL_HARDWARE_VENDOR; c <= COL_BOARD_SERIAL; c++)
		if (hq_ctx_column_used(ctx, c))
			return true;
	return false;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_free_ char *short_name = NULL, *fqdn = NULL, *uuid = NULL, *cpubuf = NULL;
	hq_cpuinfo cpu = {.physical = -1, .sockets = -1};
	bool have_cpu = false;
	int64_t mem = 0;
	int r;

	r = host_names(ctx, &short_name, &fqdn);
	if (r < 0)
		return r;
	if (hq_ctx_column_used(ctx, COL_UUID)) {
		r = read_line(ctx, "/sys/class/dmi/id/product_uuid", &uuid);
		if (r < 0)
			return r;
	}

	if (cpu_columns_used(ctx)) {
		size_t size;
		r = hq_ctx_read_file(ctx, "/proc/cpuinfo", 16 << 20, &cpubuf, &size);
		if (r == -ENOENT) {
			hq_log_debug("system_info: no /proc/cpuinfo");
		} else if (r < 0) {
			return hq_ctx_error(ctx, r, "failed to read /proc/cpuinfo: %m");
		} else {
			r = hq_cpuinfo_parse(cpubuf, size, &cpu);
			if (r < 0)
				return hq_ctx_error(ctx, r, "failed to parse /proc/cpuinfo: %m");
			have_cpu = true;
		}
	}

	bool have_mem = false;
	if (hq_ctx_column_used(ctx, COL_PHYSICAL_MEMORY)) {
		r = physical_memory(ctx, &mem);
		if (r < 0 && r != -ENOENT) {
			hq_cpuinfo_done(&cpu);
			return r;
		}
		have_mem = r == 0;
	}

	hq_row *row;
	r = hq_row_begin(sink, &row);
	if (r < 0) {
		hq_cpuinfo_done(&cpu);
		return r;
	}
	hq_row_set_text(row, COL_HOSTNAME, fqdn);
	hq_row_set_text(row, COL_LOCAL_HOSTNAME, fqdn);
	hq_row_set_text(row, COL_COMPUTER_NAME, short_name);
	hq_row_set_text(row, COL_UUID, uuid);

	struct utsname uts;
	if (uname(&uts) == 0)
		hq_row_set_text(row, COL_CPU_TYPE, uts.machine);

	if (have_cpu) {
		hq_row_set_text(row, COL_CPU_SUBTYPE, cpu.model);
		hq_row_set_text(row, COL_CPU_BRAND, cpu.brand);
		hq_row_set_text(row, COL_CPU_MICROCODE, cpu.microcode);
		hq_row_set_int64(row, COL_CPU_LOGICAL_CORES, cpu.logical);
		/* Without topology ids (some VMs, ARM) every logical CPU counts as a core. */
		hq_row_set_int64(row, COL_CPU_PHYSICAL_CORES,
				 cpu.physical >= 0 ? cpu.physical : cpu.logical);
		if (cpu.sockets >= 0)
			hq_row_set_int64(row, COL_CPU_SOCKETS, cpu.sockets);
	}
	if (have_mem)
		hq_row_set_int64(row, COL_PHYSICAL_MEMORY, mem);

	/* hardware_* and board_* come from SMBIOS types 1 and 2 (LENOVO's model/version swap is
	 * done by the parser). They stay NULL without SMBIOS; a broken SMBIOS table must not cost
	 * the host its identity row, so that is only logged. */
	if (smbios_columns_used(ctx)) {
		hq_smbios_system_info info;

		r = hq_smbios_read_system_info(ctx, &info);
		if (r < 0)
			hq_log_debug("system_info: no SMBIOS system/board strings: %s",
				     strerror(-r));
		if (info.has_system) {
			hq_row_set_text(row, COL_HARDWARE_VENDOR, info.hardware_vendor);
			hq_row_set_text(row, COL_HARDWARE_MODEL, info.hardware_model);
			hq_row_set_text(row, COL_HARDWARE_VERSION, info.hardware_version);
			hq_row_set_text(row, COL_HARDWARE_SERIAL, info.hardware_serial);
		}
		if (info.has_board) {
			hq_row_set_text(row, COL_BOARD_VENDOR, info.board_vendor);
			hq_row_set_text(row, COL_BOARD_MODEL, info.board_model);
			hq_row_set_text(row, COL_BOARD_VERSION, info.board_version);
			hq_row_set_text(row, COL_BOARD_SERIAL, info.board_serial);
		}
	}

	r = hq_row_commit(sink, row);
	hq_cpuinfo_done(&cpu);
	return r > 0 ? 0 : r;
}

const hq_table_def hq_table_system_info = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "system_info",
	.description = "System information for identification.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
