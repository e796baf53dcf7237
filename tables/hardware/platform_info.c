/* platform_info: the system firmware (SMBIOS type 0, BIOS information) and whether it booted
 * the OS as UEFI (/sys/firmware/efi exists) or legacy BIOS.
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI} (needs root) and
 * <root>/sys/firmware/efi.
 * Example: SELECT vendor, version, date, firmware_type FROM platform_info; */
#include <assert.h>
#include <inttypes.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_VENDOR,
	COL_VERSION,
	COL_DATE,
	COL_REVISION,
	COL_EXTRA,
	COL_FIRMWARE_TYPE,
	COL_ADDRESS,
	COL_SIZE,
	COL_VOLUME_SIZE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_VENDOR] = {"vendor", HQ_TYPE_TEXT, 0, "Firmware vendor"},
	[COL_VERSION] = {"version", HQ_TYPE_TEXT, HQ_COL_COLLATE_VERSION, "Firmware version"},
	[COL_DATE] = {"date", HQ_TYPE_TEXT, 0, "Firmware release date as the firmware states it"},
	[COL_REVISION] = {"revision", HQ_TYPE_TEXT, 0, "System BIOS release as major.minor"},
	[COL_EXTRA] = {"extra", HQ_TYPE_TEXT, 0, "Platform-specific details (empty on Linux)"},
	[COL_FIRMWARE_TYPE] = {"firmware_type", HQ_TYPE_TEXT, 0,
			       "uefi or bios (unknown when it cannot be told)"},
	[COL_ADDRESS] = {"address", HQ_TYPE_TEXT, 0, "Segment the firmware image starts at (hex)"},
	[COL_SIZE] = {"size", HQ_TYPE_TEXT, 0, "Firmware ROM size in bytes"},
	[COL_VOLUME_SIZE] = {"volume_size", HQ_TYPE_INTEGER, 0,
			     "Firmware volume size (0 on Linux)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static const char *firmware_type(hq_query_ctx *ctx)
{
	_cleanup_close_ int fd = -EBADF;

	fd = hq_ctx_open(ctx, "/sys/firmware/efi", O_RDONLY | O_DIRECTORY);
	if (fd >= 0)
		return "uefi";
	if (fd == -ENOENT)
		return "bios";
	hq_log_debug("platform_info: /sys/firmware/efi: %s", strerror(-fd));
	return "unknown";
}

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	const hq_smbios_bios *b = &d->bios;

	hq_smbios_set_text(row, COL_VENDOR, b->vendor);
	hq_smbios_set_text(row, COL_VERSION, b->version);
	hq_smbios_set_text(row, COL_DATE, b->date);
	if (b->major >= 0)
		hq_row_set_textf(row, COL_REVISION, "%" PRId64 ".%" PRId64, b->major, b->minor);
	hq_row_set_text_static(row, COL_EXTRA, "");
	if (hq_ctx_column_used(ctx, COL_FIRMWARE_TYPE))
		hq_row_set_text_static(row, COL_FIRMWARE_TYPE, firmware_type(ctx));
	hq_row_set_textf(row, COL_ADDRESS, "0x%04x", b->segment);
	hq_row_set_textf(row, COL_SIZE, "%" PRIu64, b->rom_size);
	hq_row_set_int64(row, COL_VOLUME_SIZE, 0);
	/* One firmware: a second type 0 structure would be a firmware bug. */
	return 1;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_BIOS, fill_row, NULL);
}

const hq_table_def hq_table_platform_info = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "platform_info",
	.description = "System firmware (BIOS/UEFI) vendor, version and ROM details from SMBIOS.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
