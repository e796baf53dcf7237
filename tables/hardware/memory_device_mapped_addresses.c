/* memory_device_mapped_addresses: physical address ranges mapped to memory devices (SMBIOS
 * type 20).
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT d.device_locator, m.starting_address, m.ending_address
 *          FROM memory_device_mapped_addresses m
 *          JOIN memory_devices d ON d.handle = m.memory_device_handle; */
#include <assert.h>
#include <inttypes.h>

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

static void set_int(hq_row *row, unsigned col, int64_t v)
{
	if (v >= 0)
		hq_row_set_int64(row, col, v);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_(hq_smbios_freep) hq_smbios *s = NULL;
	int r;

	r = hq_smbios_load_for_scan(ctx, &s);
	if (r <= 0)
		return r;

	for (size_t i = 0; i < s->n_structs; i++) {
		hq_smbios_device_mapped_address m;
		hq_row *row;

		if (hq_smbios_decode_device_mapped_address(&s->structs[i], &m) < 0)
			continue;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_textf(row, COL_HANDLE, "0x%04x", m.handle);
		hq_row_set_textf(row, COL_MEMORY_DEVICE_HANDLE, "0x%04x", m.device_handle);
		hq_row_set_textf(row, COL_MEMORY_ARRAY_MAPPED_ADDRESS_HANDLE, "0x%04x",
				 m.array_mapped_handle);
		/* Same rendering as memory_array_mapped_addresses (osquery's). */
		hq_row_set_textf(row, COL_STARTING_ADDRESS, "0x%0*" PRIx64, m.extended ? 12 : 8,
				 m.start);
		hq_row_set_textf(row, COL_ENDING_ADDRESS, "0x%0*" PRIx64, m.extended ? 12 : 8,
				 m.end);
		set_int(row, COL_PARTITION_ROW_POSITION, m.partition_row_position);
		set_int(row, COL_INTERLEAVE_POSITION, m.interleave_position);
		set_int(row, COL_INTERLEAVE_DATA_DEPTH, m.interleave_data_depth);
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

const hq_table_def hq_table_memory_device_mapped_addresses = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "memory_device_mapped_addresses",
	.description = "Physical address ranges mapped to memory devices (SMBIOS type 20).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
