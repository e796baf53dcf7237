/* oem_strings: the free-form strings of SMBIOS OEM Strings structures (type 11), one row per
 * string.
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT number, value FROM oem_strings; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_HANDLE,
	COL_NUMBER,
	COL_VALUE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_HANDLE] = {"handle", HQ_TYPE_TEXT, 0,
			"SMBIOS structure handle (0x plus 4 hex digits)"},
	[COL_NUMBER] = {"number", HQ_TYPE_INTEGER, 0, "String number within the structure, from 1"},
	[COL_VALUE] = {"value", HQ_TYPE_TEXT, 0,
		       "The string; NULL when the structure announces more strings than it holds"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_(hq_smbios_freep) hq_smbios *s = NULL;
	int r;

	r = hq_smbios_load_for_scan(ctx, &s);
	if (r <= 0)
		return r;

	for (size_t i = 0; i < s->n_structs; i++) {
		const hq_smbios_struct *st = &s->structs[i];
		int n = hq_smbios_oem_string_count(st);

		for (int k = 1; k <= n; k++) {
			hq_smbios_text t = hq_smbios_string(st, (uint8_t)k);
			hq_row *row;

			r = hq_row_begin(sink, &row);
			if (r < 0)
				return r;
			hq_smbios_set_handle(row, COL_HANDLE, st->handle);
			hq_row_set_int64(row, COL_NUMBER, k);
			hq_smbios_set_text(row, COL_VALUE, t);
			r = hq_row_commit(sink, row);
			if (r != 0)
				return r < 0 ? r : 0;
		}
	}
	return 0;
}

const hq_table_def hq_table_oem_strings = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "oem_strings",
	.description = "OEM-defined strings from SMBIOS (type 11).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
