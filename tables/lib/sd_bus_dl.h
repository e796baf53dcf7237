/* The sd-bus functions the systemd tables use, resolved from libsystemd.so.0 with dlopen() on
 * first use (hq/dlopen.h), so the shell does not map libsystemd at every start. Callers call
 * hq_dlopen_libsystemd() first and treat -EOPNOTSUPP as "no systemd here"; then they call
 * sym_sd_bus_*() exactly as they would sd_bus_*(). The sym_ prefix is systemd's own convention
 * for dlopen()ed symbols. */
#pragma once

#include <systemd/sd-bus.h>

#include "hq/util.h"

/* 0 once libsystemd and every symbol below are resolved, -EOPNOTSUPP when the library or a
 * symbol is missing (logged at debug level). Thread-safe; only the first call does work. */
int hq_dlopen_libsystemd(void);

extern typeof(sd_bus_open_system) *sym_sd_bus_open_system;
extern typeof(sd_bus_open_user) *sym_sd_bus_open_user;
extern typeof(sd_bus_flush_close_unref) *sym_sd_bus_flush_close_unref;
extern typeof(sd_bus_call) *sym_sd_bus_call;
extern typeof(sd_bus_call_method) *sym_sd_bus_call_method;
extern typeof(sd_bus_error_free) *sym_sd_bus_error_free;
extern typeof(sd_bus_error_has_name) *sym_sd_bus_error_has_name;
extern typeof(sd_bus_error_has_names_sentinel) *sym_sd_bus_error_has_names_sentinel;
extern typeof(sd_bus_get_property_string) *sym_sd_bus_get_property_string;
extern typeof(sd_bus_get_property_trivial) *sym_sd_bus_get_property_trivial;
extern typeof(sd_bus_message_new_method_call) *sym_sd_bus_message_new_method_call;
extern typeof(sd_bus_message_append_strv) *sym_sd_bus_message_append_strv;
extern typeof(sd_bus_message_unref) *sym_sd_bus_message_unref;
extern typeof(sd_bus_message_enter_container) *sym_sd_bus_message_enter_container;
extern typeof(sd_bus_message_read) *sym_sd_bus_message_read;
extern typeof(sd_bus_message_exit_container) *sym_sd_bus_message_exit_container;

/* sd-bus.h's sd_bus_error_has_names() macro, through the resolved pointer. */
#define sym_sd_bus_error_has_names(e, ...) sym_sd_bus_error_has_names_sentinel(e, __VA_ARGS__, NULL)

/* The cleanup helpers sd-bus.h defines call the library directly; these go through the
 * pointers (only ever reached after a successful hq_dlopen_libsystemd()). */
static inline void sym_sd_bus_flush_close_unrefp(sd_bus **p)
{
	if (*p)
		(void)sym_sd_bus_flush_close_unref(*p);
}

static inline void sym_sd_bus_message_unrefp(sd_bus_message **p)
{
	if (*p)
		(void)sym_sd_bus_message_unref(*p);
}

static inline void sym_sd_bus_error_freep(sd_bus_error *e)
{
	/* An error that was never set holds nothing to free (and the library may be absent). */
	if (e->name || e->message)
		sym_sd_bus_error_free(e);
}
