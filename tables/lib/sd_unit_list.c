/* Reads the unit records of Manager.ListUnits-style replies (see sd_unit_list.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "lib/sd_bus_dl.h"
#include "lib/sd_unit_list.h"

int hq_sd_unit_list_read(sd_bus_message *reply, hq_sd_unit_fn fn, void *userdata)
{
	int r;

	if (!reply || !fn)
		return -EINVAL;
	r = hq_dlopen_libsystemd();
	if (r < 0)
		return r;

	r = sym_sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
	if (r < 0)
		return r;
	if (r == 0)
		return -EBADMSG;

	for (;;) {
		hq_sd_unit_info u = {};

		r = sym_sd_bus_message_read(reply, "(ssssssouso)", &u.id, &u.description,
					    &u.load_state, &u.active_state, &u.sub_state,
					    &u.following, &u.unit_path, &u.job_id, &u.job_type,
					    &u.job_path);
		if (r < 0)
			return r;
		if (r == 0)
			break;

		r = fn(&u, userdata);
		if (r != 0)
			return r;
	}

	r = sym_sd_bus_message_exit_container(reply);
	return r < 0 ? r : 0;
}

int hq_sd_unit_name_valid(const char *name)
{
	static const char *const suffixes[] = {
		".service", ".socket", ".device", ".mount", ".automount", ".swap",
		".target",  ".path",   ".timer",  ".slice", ".scope",
	};
	size_t len;
	bool suffix_ok = false;

	if (!name)
		return 0;
	len = strlen(name);
	/* systemd's UNIT_NAME_MAX is 256 including the NUL. */
	if (len == 0 || len >= 256)
		return 0;

	/* The characters systemd allows in unit names; anything else (glob characters in
	 * particular) can never name a unit. */
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr(":-_.\\@", c)))
			return 0;
	}

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);
		if (len > sl && memcmp(name + len - sl, suffixes[i], sl) == 0) {
			suffix_ok = true;
			break;
		}
	}
	return suffix_ok;
}
