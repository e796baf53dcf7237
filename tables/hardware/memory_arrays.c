/* memory_arrays: physical memory arrays, i.e. groups of memory slots (SMBIOS type 16).
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT handle, max_capacity, number_memory_devices FROM memory_arrays; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_HANDLE,
	COL_LOCATION,
	COL_USE,
	COL_MEMORY_ERROR_CORRECTION,
	COL_MAX_CAPACITY,
	COL_MEMORY_ERROR_INFO_HANDLE,
	COL_NUMBER_MEMORY_DEVICES,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_HANDLE] = {"handle", HQ_TYPE_TEXT, 0,
			"SMBIOS structure handle (0x plus 4 hex digits)"},
	[COL_LOCATION] = {"location", HQ_TYPE_TEXT, 0,
			  "Where the array sits, such as the system board"},
	[COL_USE] = {"use", HQ_TYPE_TEXT, 0, "What the array is used for, such as system memory"},
	[COL_MEMORY_ERROR_CORRECTION] = {"memory_error_correction", HQ_TYPE_TEXT, 0,
					 "Error correction scheme of the array"},
	[COL_MAX_CAPACITY] = {"max_capacity", HQ_TYPE_INTEGER, 0,
			      "Largest memory the array can hold, in whole GB"},
	[COL_MEMORY_ERROR_INFO_HANDLE] =
		{"memory_error_info_handle", HQ_TYPE_TEXT, 0,
		 "Handle of the memory error information structure; NULL when none is provided"},
	[COL_NUMBER_MEMORY_DEVICES] = {"number_memory_devices", HQ_TYPE_INTEGER, 0,
				       "Number of slots or sockets in the array"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	const hq_smbios_memory_array *a = &d->memory_array;

	hq_smbios_set_handle(row, COL_HANDLE, a->handle);
	hq_row_set_text_static(row, COL_LOCATION, a->location);
	hq_row_set_text_static(row, COL_USE, a->use);
	hq_row_set_text_static(row, COL_MEMORY_ERROR_CORRECTION, a->error_correction);
	hq_smbios_set_int(row, COL_MAX_CAPACITY, a->max_capacity_gb);
	hq_smbios_set_handle(row, COL_MEMORY_ERROR_INFO_HANDLE, a->error_info_handle);
	hq_row_set_int64(row, COL_NUMBER_MEMORY_DEVICES, a->n_devices);
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_MEMORY_ARRAY, fill_row, NULL);
}

const hq_table_def hq_table_memory_arrays = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "memory_arrays",
	.description = "Physical memory arrays (SMBIOS type 16): groups of memory device slots.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
