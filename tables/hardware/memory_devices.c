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

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	const hq_smbios_memory_device *m = &d->memory_device;

	hq_smbios_set_handle(row, COL_HANDLE, m->handle);
	hq_smbios_set_handle(row, COL_ARRAY_HANDLE, m->array_handle);
	hq_row_set_text_static(row, COL_FORM_FACTOR, m->form_factor);
	hq_smbios_set_int(row, COL_TOTAL_WIDTH, m->total_width);
	hq_smbios_set_int(row, COL_DATA_WIDTH, m->data_width);
	hq_smbios_set_int(row, COL_SIZE, m->size_mb);
	hq_smbios_set_int(row, COL_SET, m->set);
	hq_smbios_set_text(row, COL_DEVICE_LOCATOR, m->device_locator);
	hq_smbios_set_text(row, COL_BANK_LOCATOR, m->bank_locator);
	hq_row_set_text_static(row, COL_MEMORY_TYPE, m->memory_type);
	if (m->has_type_detail && hq_ctx_column_used(ctx, COL_MEMORY_TYPE_DETAILS)) {
		char buf[256];

		hq_row_set_text(row, COL_MEMORY_TYPE_DETAILS,
				hq_smbios_type_detail_str(m->type_detail, buf, sizeof(buf)));
	}
	hq_smbios_set_int(row, COL_MAX_SPEED, m->max_speed);
	hq_smbios_set_int(row, COL_CONFIGURED_CLOCK_SPEED, m->configured_speed);
	hq_smbios_set_text(row, COL_MANUFACTURER, m->manufacturer);
	hq_smbios_set_text(row, COL_SERIAL_NUMBER, m->serial_number);
	hq_smbios_set_text(row, COL_ASSET_TAG, m->asset_tag);
	hq_smbios_set_text(row, COL_PART_NUMBER, m->part_number);
	hq_smbios_set_int(row, COL_MIN_VOLTAGE, m->min_voltage);
	hq_smbios_set_int(row, COL_MAX_VOLTAGE, m->max_voltage);
	hq_smbios_set_int(row, COL_CONFIGURED_VOLTAGE, m->configured_voltage);
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_MEMORY_DEVICE, fill_row, NULL);
}

const hq_table_def hq_table_memory_devices = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "memory_devices",
	.description = "Physical memory device (type 17) information retrieved from SMBIOS.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
