/* memory_error_info: the last error seen by memory arrays and devices (SMBIOS type 18, the
 * 32-bit memory error information structure).
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT handle, error_type FROM memory_error_info WHERE error_type != 'OK'; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_HANDLE,
	COL_ERROR_TYPE,
	COL_ERROR_GRANULARITY,
	COL_ERROR_OPERATION,
	COL_VENDOR_SYNDROME,
	COL_MEMORY_ARRAY_ERROR_ADDRESS,
	COL_DEVICE_ERROR_ADDRESS,
	COL_ERROR_RESOLUTION,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_HANDLE] = {"handle", HQ_TYPE_TEXT, 0,
			"SMBIOS structure handle (0x plus 4 hex digits)"},
	[COL_ERROR_TYPE] = {"error_type", HQ_TYPE_TEXT, 0, "Kind of the last error, or OK"},
	[COL_ERROR_GRANULARITY] = {"error_granularity", HQ_TYPE_TEXT, 0,
				   "Level the error is reported at (device or partition)"},
	[COL_ERROR_OPERATION] = {"error_operation", HQ_TYPE_TEXT, 0,
				 "Memory access that failed (read, write, partial write)"},
	[COL_VENDOR_SYNDROME] = {"vendor_syndrome", HQ_TYPE_TEXT, 0,
				 "Vendor-specific syndrome (hex); NULL when 0 (unknown)"},
	[COL_MEMORY_ARRAY_ERROR_ADDRESS] =
		{"memory_array_error_address", HQ_TYPE_TEXT, 0,
		 "Error address in the array's address space (hex); NULL when unknown"},
	[COL_DEVICE_ERROR_ADDRESS] = {"device_error_address", HQ_TYPE_TEXT, 0,
				      "Error address within the device (hex); NULL when unknown"},
	[COL_ERROR_RESOLUTION] =
		{"error_resolution", HQ_TYPE_TEXT, 0,
		 "Range, in bytes, the error can be pinned to (hex); NULL when unknown"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static void set_hex32(hq_row *row, unsigned col, int64_t v)
{
	if (v >= 0)
		hq_row_set_textf(row, col, "0x%08x", (unsigned)v);
}

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	const hq_smbios_memory_error *e = &d->memory_error;

	hq_smbios_set_handle(row, COL_HANDLE, e->handle);
	hq_row_set_text_static(row, COL_ERROR_TYPE, e->error_type);
	hq_row_set_text_static(row, COL_ERROR_GRANULARITY, e->granularity);
	hq_row_set_text_static(row, COL_ERROR_OPERATION, e->operation);
	set_hex32(row, COL_VENDOR_SYNDROME, e->vendor_syndrome);
	set_hex32(row, COL_MEMORY_ARRAY_ERROR_ADDRESS, e->array_error_address);
	set_hex32(row, COL_DEVICE_ERROR_ADDRESS, e->device_error_address);
	set_hex32(row, COL_ERROR_RESOLUTION, e->resolution);
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_MEMORY_ERROR_32, fill_row, NULL);
}

const hq_table_def hq_table_memory_error_info = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "memory_error_info",
	.description =
		"Last memory error reported by the firmware per array or device (SMBIOS type 18).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
