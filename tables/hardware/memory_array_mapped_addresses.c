/* memory_array_mapped_addresses: physical address ranges mapped to memory arrays (SMBIOS type 19).
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT memory_array_handle, starting_address, ending_address
 *          FROM memory_array_mapped_addresses; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_HANDLE,
	COL_MEMORY_ARRAY_HANDLE,
	COL_STARTING_ADDRESS,
	COL_ENDING_ADDRESS,
	COL_PARTITION_WIDTH,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_HANDLE] = {"handle", HQ_TYPE_TEXT, 0,
			"SMBIOS structure handle (0x plus 4 hex digits)"},
	[COL_MEMORY_ARRAY_HANDLE] = {"memory_array_handle", HQ_TYPE_TEXT, 0,
				     "Handle of the memory array the range maps to"},
	[COL_STARTING_ADDRESS] =
		{"starting_address", HQ_TYPE_TEXT, 0,
		 "Start of the range: the raw 32-bit field (KB units) as 8 hex digits, or the 64-bit byte address as 12 hex digits"},
	[COL_ENDING_ADDRESS] = {"ending_address", HQ_TYPE_TEXT, 0,
				"End of the range, same encoding as starting_address"},
	[COL_PARTITION_WIDTH] = {"partition_width", HQ_TYPE_INTEGER, 0,
				 "Number of memory devices that form one row of the partition"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	const hq_smbios_mapped_address *m = &d->mapped_address;

	hq_smbios_set_handle(row, COL_HANDLE, m->handle);
	hq_smbios_set_handle(row, COL_MEMORY_ARRAY_HANDLE, m->array_handle);
	hq_smbios_set_address(row, COL_STARTING_ADDRESS, m->start, m->extended);
	hq_smbios_set_address(row, COL_ENDING_ADDRESS, m->end, m->extended);
	hq_row_set_int64(row, COL_PARTITION_WIDTH, m->partition_width);
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_MEMORY_ARRAY_MAPPED_ADDRESS, fill_row,
				  NULL);
}

const hq_table_def hq_table_memory_array_mapped_addresses = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "memory_array_mapped_addresses",
	.description = "Physical address ranges mapped to memory arrays (SMBIOS type 19).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
