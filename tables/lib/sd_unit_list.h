/* Reading systemd's unit records, the (ssssssouso) structs that Manager.ListUnits and its
 * filtered variants return, out of an sd-bus reply. Kept apart from the table so a unit test
 * can feed it hand-built messages. */
#pragma once

#include <stdint.h>

#include <systemd/sd-bus.h>

/* One ListUnits record. Every string is borrowed from the message and lives as long as it. */
typedef struct hq_sd_unit_info {
	const char *id;
	const char *description;
	const char *load_state;
	const char *active_state;
	const char *sub_state;
	const char *following;
	const char *unit_path;
	uint32_t job_id;
	const char *job_type;
	const char *job_path;
} hq_sd_unit_info;

/* Called once per record. Returning non-zero stops the walk and is passed back (a negative
 * errno to fail, a positive value to stop early). */
typedef int (*hq_sd_unit_fn)(const hq_sd_unit_info *u, void *userdata);

/* Walks the a(ssssssouso) array at the message's read position and calls fn for each record.
 * Returns 0 when the array was read to its end, fn's non-zero value when it stopped the walk,
 * or a negative errno for a message of another shape (-ENXIO/-EBADMSG from sd-bus).
 * The sd-bus calls go through lib/sd_bus_dl.h (-EOPNOTSUPP without libsystemd.so.0). */
int hq_sd_unit_list_read(sd_bus_message *reply, hq_sd_unit_fn fn, void *userdata);

/* Whether name could be a systemd unit name (length, allowed characters, a known suffix). Used
 * to refuse constraint values before they reach the bus as patterns. */
int hq_sd_unit_name_valid(const char *name);
