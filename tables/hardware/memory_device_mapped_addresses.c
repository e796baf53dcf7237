/* memory_device_mapped_addresses: physical address ranges mapped to memory devices (SMBIOS
 * type 20).
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT d.device_locator, m.starting_address, m.ending_address
 *          FROM memory_device_mapped_addresses m
 *          JOIN memory_devices d ON d.handle = m.memory_device_handle; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_HANDLE,
	COL_MEMORY_DEVICE_HANDLE,
	COL_MEMORY_ARRAY_MAPPED_ADDRESS_HANDLE,
	COL_STARTING_ADDRESS,
	COL_ENDING_ADDRESS,
	COL_PARTITION_ROW_POSITION,
	COL_INTERLEAVE_POSITION,
	COL_INTERLEAVE_DATA_DEPTH,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_HANDLE] = {"handle", HQ_TYPE_TEXT, 0,
			"SMBIOS structure handle (0x plus 4 hex digits)"},
	[COL_MEMORY_DEVICE_HANDLE] = {"memory_device_handle", HQ_TYPE_TEXT, 0,
				      "Handle of the memory device the range maps to"},
	[COL_MEMORY_ARRAY_MAPPED_ADDRESS_HANDLE] =
		{"memory_array_mapped_address_handle", HQ_TYPE_TEXT, 0,
		 "Handle of the array mapped address range containing this range"},
	[COL_STARTING_ADDRESS] =
		{"starting_address", HQ_TYPE_TEXT, 0,
		 "Start of the range: the raw 32-bit field (KB units) as 8 hex digits, or the 64-bit byte address as 12 hex digits"},
	[COL_ENDING_ADDRESS] = {"ending_address", HQ_TYPE_TEXT, 0,
				"End of the range, same encoding as starting_address"},
	[COL_PARTITION_ROW_POSITION] =
		{"partition_row_position", HQ_TYPE_INTEGER, 0,
		 "Position of the device in a row of the partition; NULL when unknown"},
	[COL_INTERLEAVE_POSITION] =
		{"interleave_position", HQ_TYPE_INTEGER, 0,
		 "Position of the device in an interleave (0 = not interleaved); NULL when unknown"},
	[COL_INTERLEAVE_DATA_DEPTH] =
		{"interleave_data_depth", HQ_TYPE_INTEGER, 0,
		 "Consecutive rows accessed in one interleaved transfer (0 = not interleaved); NULL when unknown"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	const hq_smbios_device_mapped_address *m = &d->device_mapped_address;

	hq_smbios_set_handle(row, COL_HANDLE, m->handle);
	hq_smbios_set_handle(row, COL_MEMORY_DEVICE_HANDLE, m->device_handle);
	hq_smbios_set_handle(row, COL_MEMORY_ARRAY_MAPPED_ADDRESS_HANDLE, m->array_mapped_handle);
	hq_smbios_set_address(row, COL_STARTING_ADDRESS, m->start, m->extended);
	hq_smbios_set_address(row, COL_ENDING_ADDRESS, m->end, m->extended);
	hq_smbios_set_int(row, COL_PARTITION_ROW_POSITION, m->partition_row_position);
	hq_smbios_set_int(row, COL_INTERLEAVE_POSITION, m->interleave_position);
	hq_smbios_set_int(row, COL_INTERLEAVE_DATA_DEPTH, m->interleave_data_depth);
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_MEMORY_DEVICE_MAPPED_ADDRESS, fill_row,
				  NULL);
}

const hq_table_def hq_table_memory_device_mapped_addresses = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "memory_device_mapped_addresses",
	.description = "Physical address ranges mapped to memory devices (SMBIOS type 20).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
