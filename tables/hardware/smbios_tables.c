/* smbios_tables: every SMBIOS structure (raw headers, sizes and an MD5 of each structure's
 * bytes, string set included), in table order up to the end-of-table marker.
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT type, description, count(*) FROM smbios_tables GROUP BY type; */
#include <assert.h>

#include "hq/digest.h"
#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_NUMBER,
	COL_TYPE,
	COL_DESCRIPTION,
	COL_HANDLE,
	COL_HEADER_SIZE,
	COL_SIZE,
	COL_MD5,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_NUMBER] = {"number", HQ_TYPE_INTEGER, 0,
			"Position of the structure in the table, from 0"},
	[COL_TYPE] = {"type", HQ_TYPE_INTEGER, 0, "Structure type"},
	[COL_DESCRIPTION] = {"description", HQ_TYPE_TEXT, 0, "Name of the structure type"},
	[COL_HANDLE] = {"handle", HQ_TYPE_INTEGER, 0, "Structure handle"},
	[COL_HEADER_SIZE] = {"header_size", HQ_TYPE_INTEGER, 0,
			     "Length of the formatted area, header included"},
	[COL_SIZE] = {"size", HQ_TYPE_INTEGER, 0, "Whole structure size, string set included"},
	[COL_MD5] = {"md5", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE, "MD5 of the structure's bytes"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	int64_t *number = userdata;
	int r;

	hq_row_set_int64(row, COL_NUMBER, (*number)++);
	hq_row_set_int64(row, COL_TYPE, st->type);
	hq_row_set_text_static(row, COL_DESCRIPTION, hq_smbios_type_name(st->type));
	hq_row_set_int64(row, COL_HANDLE, st->handle);
	hq_row_set_int64(row, COL_HEADER_SIZE, st->length);
	hq_row_set_int64(row, COL_SIZE, (int64_t)st->size);
	if (hq_ctx_column_used(ctx, COL_MD5)) {
		char hex[HQ_DIGEST_HEX_MAX];

		r = hq_digest_buffer_hex(HQ_DIGEST_MD5, st->data, st->size, hex);
		if (r == -EOPNOTSUPP)
			return hq_ctx_error(
				ctx, r, "smbios_tables: no MD5: libcrypto.so.3 cannot be loaded");
		if (r < 0)
			return hq_ctx_error(ctx, r, "MD5 of an SMBIOS structure failed: %m");
		hq_row_set_text(row, COL_MD5, hex);
	}
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	int64_t number = 0;

	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_ANY, fill_row, &number);
}

const hq_table_def hq_table_smbios_tables = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "smbios_tables",
	.description = "Every SMBIOS structure of the firmware's table, with its size and MD5.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
