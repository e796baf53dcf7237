/* cpu_info: processor sockets as the firmware describes them (SMBIOS type 4), one row per
 * processor structure.
 * Source: <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}; reading DMI needs root.
 * Example: SELECT device_id, model, number_of_cores, max_clock_speed FROM cpu_info; */
#include <assert.h>
#include <inttypes.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/smbios.h"

enum {
	COL_DEVICE_ID,
	COL_MODEL,
	COL_MANUFACTURER,
	COL_PROCESSOR_TYPE,
	COL_CPU_STATUS,
	COL_NUMBER_OF_CORES,
	COL_LOGICAL_PROCESSORS,
	COL_ADDRESS_WIDTH,
	COL_CURRENT_CLOCK_SPEED,
	COL_MAX_CLOCK_SPEED,
	COL_SOCKET_DESIGNATION,
	COL_AVAILABILITY,
	COL_LOAD_PERCENTAGE,
	COL_NUMBER_OF_EFFICIENCY_CORES,
	COL_NUMBER_OF_PERFORMANCE_CORES,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_DEVICE_ID] = {"device_id", HQ_TYPE_TEXT, 0,
			   "Synthetic id: CPU plus the processor's index (CPU0, CPU1, ...)"},
	[COL_MODEL] = {"model", HQ_TYPE_TEXT, 0, "Processor version string"},
	[COL_MANUFACTURER] = {"manufacturer", HQ_TYPE_TEXT, 0, "Processor manufacturer"},
	[COL_PROCESSOR_TYPE] = {"processor_type", HQ_TYPE_TEXT, 0,
				"SMBIOS processor type code (3 = central processor)"},
	[COL_CPU_STATUS] = {"cpu_status", HQ_TYPE_INTEGER, 0,
			    "SMBIOS status byte (socket populated, CPU enabled)"},
	[COL_NUMBER_OF_CORES] = {"number_of_cores", HQ_TYPE_TEXT, 0, "Core count"},
	[COL_LOGICAL_PROCESSORS] = {"logical_processors", HQ_TYPE_INTEGER, 0, "Thread count"},
	[COL_ADDRESS_WIDTH] = {"address_width", HQ_TYPE_TEXT, 0,
			       "64 for a 64-bit capable processor, else 32"},
	[COL_CURRENT_CLOCK_SPEED] = {"current_clock_speed", HQ_TYPE_INTEGER, 0,
				     "Speed at boot in MHz"},
	[COL_MAX_CLOCK_SPEED] = {"max_clock_speed", HQ_TYPE_INTEGER, 0,
				 "Maximum speed the socket supports in MHz"},
	[COL_SOCKET_DESIGNATION] = {"socket_designation", HQ_TYPE_TEXT, 0, "Socket label"},
	[COL_AVAILABILITY] = {"availability", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			      "Availability and status (Windows only)"},
	[COL_LOAD_PERCENTAGE] = {"load_percentage", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
				 "Current load (Windows only)"},
	[COL_NUMBER_OF_EFFICIENCY_CORES] = {"number_of_efficiency_cores", HQ_TYPE_INTEGER,
					    HQ_COL_HIDDEN, "Efficiency cores (macOS only)"},
	[COL_NUMBER_OF_PERFORMANCE_CORES] = {"number_of_performance_cores", HQ_TYPE_INTEGER,
					     HQ_COL_HIDDEN, "Performance cores (macOS only)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static int fill_row(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
		    const hq_smbios_decoded *d, void *userdata)
{
	const hq_smbios_processor *p = &d->processor;
	unsigned *index = userdata;

	hq_row_set_textf(row, COL_DEVICE_ID, "CPU%u", (*index)++);
	hq_smbios_set_text(row, COL_MODEL, p->version);
	hq_smbios_set_text(row, COL_MANUFACTURER, p->manufacturer);
	hq_row_set_textf(row, COL_PROCESSOR_TYPE, "%" PRId64, p->processor_type);
	hq_row_set_int64(row, COL_CPU_STATUS, p->status);
	if (p->core_count >= 0)
		hq_row_set_textf(row, COL_NUMBER_OF_CORES, "%" PRId64, p->core_count);
	hq_smbios_set_int(row, COL_LOGICAL_PROCESSORS, p->thread_count);
	if (p->address_width >= 0)
		hq_row_set_textf(row, COL_ADDRESS_WIDTH, "%" PRId64, p->address_width);
	hq_row_set_int64(row, COL_CURRENT_CLOCK_SPEED, p->current_speed);
	hq_row_set_int64(row, COL_MAX_CLOCK_SPEED, p->max_speed);
	hq_smbios_set_text(row, COL_SOCKET_DESIGNATION, p->socket);
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	unsigned index = 0;

	return hq_smbios_generate(ctx, sink, HQ_SMBIOS_TYPE_PROCESSOR, fill_row, &index);
}

const hq_table_def hq_table_cpu_info = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "cpu_info",
	.description = "Processor sockets described by the firmware (SMBIOS type 4).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
