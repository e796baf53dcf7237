/* memory_devices: physical memory device slots, populated or not (SMBIOS type 17).
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT device_locator, size, memory_type, max_speed FROM memory_devices WHERE size > 0;
 */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_HANDLE,
	COL_ARRAY_HANDLE,
	COL_FORM_FACTOR,
	COL_TOTAL_WIDTH,
	COL_DATA_WIDTH,
	COL_SIZE,
	COL_SET,
	COL_DEVICE_LOCATOR,
	COL_BANK_LOCATOR,
	COL_MEMORY_TYPE,
	COL_MEMORY_TYPE_DETAILS,
	COL_MAX_SPEED,
	COL_CONFIGURED_CLOCK_SPEED,
	COL_MANUFACTURER,
	COL_SERIAL_NUMBER,
	COL_ASSET_TAG,
	COL_PART_NUMBER,
	COL_MIN_VOLTAGE,
	COL_MAX_VOLTAGE,
	COL_CONFIGURED_VOLTAGE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_HANDLE] = {"handle", HQ_TYPE_TEXT, 0,
			"SMBIOS structure handle (0x plus 4 hex digits)"},
	[COL_ARRAY_HANDLE] = {"array_handle", HQ_TYPE_TEXT, 0,
			      "Handle of the physical memory array (type 16) holding the device"},
	[COL_FORM_FACTOR] = {"form_factor", HQ_TYPE_TEXT, 0,
			     "Module form factor, such as DIMM or SODIMM"},
	[COL_TOTAL_WIDTH] = {"total_width", HQ_TYPE_INTEGER, 0,
			     "Width in bits including ECC bits; NULL when unknown"},
	[COL_DATA_WIDTH] = {"data_width", HQ_TYPE_INTEGER, 0,
			    "Width in bits of the data alone; NULL when unknown"},
	[COL_SIZE] = {"size", HQ_TYPE_INTEGER, 0,
		      "Size in MB, 0 for an empty slot, NULL when unknown"},
	[COL_SET] = {"set", HQ_TYPE_INTEGER, 0,
		     "Set the device belongs to, 0 for none; NULL when unknown"},
	[COL_DEVICE_LOCATOR] = {"device_locator", HQ_TYPE_TEXT, 0,
				"Label of the socket or board position"},
	[COL_BANK_LOCATOR] = {"bank_locator", HQ_TYPE_TEXT, 0, "Label of the bank"},
	[COL_MEMORY_TYPE] = {"memory_type", HQ_TYPE_TEXT, 0, "Memory type, such as DDR4"},
	[COL_MEMORY_TYPE_DETAILS] = {"memory_type_details", HQ_TYPE_TEXT, 0,
				     "Names of the type-detail bits that are set, space separated"},
	[COL_MAX_SPEED] = {"max_speed", HQ_TYPE_INTEGER, 0, "Rated speed in MT/s"},
	[COL_CONFIGURED_CLOCK_SPEED] = {"configured_clock_speed", HQ_TYPE_INTEGER, 0,
					"Configured speed in MT/s"},
	[COL_MANUFACTURER] = {"manufacturer", HQ_TYPE_TEXT, 0, "Module manufacturer"},
	[COL_SERIAL_NUMBER] = {"serial_number", HQ_TYPE_TEXT, 0, "Module serial number"},
	[COL_ASSET_TAG] = {"asset_tag", HQ_TYPE_TEXT, 0, "Asset tag"},
	[COL_PART_NUMBER] = {"part_number", HQ_TYPE_TEXT, 0, "Manufacturer part number"},
	[COL_MIN_VOLTAGE] = {"min_voltage", HQ_TYPE_INTEGER, 0, "Minimum operating voltage in mV"},
	[COL_MAX_VOLTAGE] = {"max_voltage", HQ_TYPE_INTEGER, 0, "Maximum operating voltage in mV"},
	[COL_CONFIGURED_VOLTAGE] = {"configured_voltage", HQ_TYPE_INTEGER, 0,
				    "Configured voltage in mV"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static void set_int(hq_row *row, unsigned col, int64_t v)
{
	if (v >= 0)
		hq_row_set_int64(row, col, v);
}

static void set_text(hq_row *row, unsigned col, hq_smbios_text t)
{
	if (t.s)
		hq_row_set_text_len(row, col, t.s, t.len);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_(hq_smbios_freep) hq_smbios *s = NULL;
	int r;

	r = hq_smbios_load_for_scan(ctx, &s);
	if (r <= 0)
		return r;

	for (size_t i = 0; i < s->n_structs; i++) {
		hq_smbios_memory_device d;
		hq_row *row;

		if (hq_smbios_decode_memory_device(&s->structs[i], &d) < 0)
			continue;
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		hq_row_set_textf(row, COL_HANDLE, "0x%04x", d.handle);
		if (d.array_handle >= 0)
			hq_row_set_textf(row, COL_ARRAY_HANDLE, "0x%04x", (unsigned)d.array_handle);
		hq_row_set_text_static(row, COL_FORM_FACTOR, d.form_factor);
		set_int(row, COL_TOTAL_WIDTH, d.total_width);
		set_int(row, COL_DATA_WIDTH, d.data_width);
		set_int(row, COL_SIZE, d.size_mb);
		set_int(row, COL_SET, d.set);
		set_text(row, COL_DEVICE_LOCATOR, d.device_locator);
		set_text(row, COL_BANK_LOCATOR, d.bank_locator);
		hq_row_set_text_static(row, COL_MEMORY_TYPE, d.memory_type);
		if (d.has_type_detail && hq_ctx_column_used(ctx, COL_MEMORY_TYPE_DETAILS)) {
			char buf[256];

			hq_row_set_text(row, COL_MEMORY_TYPE_DETAILS,
					hq_smbios_type_detail_str(d.type_detail, buf, sizeof(buf)));
		}
		set_int(row, COL_MAX_SPEED, d.max_speed);
		set_int(row, COL_CONFIGURED_CLOCK_SPEED, d.configured_speed);
		set_text(row, COL_MANUFACTURER, d.manufacturer);
		set_text(row, COL_SERIAL_NUMBER, d.serial_number);
		set_text(row, COL_ASSET_TAG, d.asset_tag);
		set_text(row, COL_PART_NUMBER, d.part_number);
		set_int(row, COL_MIN_VOLTAGE, d.min_voltage);
		set_int(row, COL_MAX_VOLTAGE, d.max_voltage);
		set_int(row, COL_CONFIGURED_VOLTAGE, d.configured_voltage);
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

const hq_table_def hq_table_memory_devices = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "memory_devices",
	.description = "Physical memory device (type 17) information retrieved from SMBIOS.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
