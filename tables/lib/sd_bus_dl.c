/* Resolves the sd-bus functions of the systemd tables from libsystemd.so.0 (see sd_bus_dl.h). */
#include <pthread.h>

#include "hq/dlopen.h"
#include "lib/sd_bus_dl.h"

typeof(sd_bus_open_system) *sym_sd_bus_open_system;
typeof(sd_bus_open_user) *sym_sd_bus_open_user;
typeof(sd_bus_flush_close_unref) *sym_sd_bus_flush_close_unref;
typeof(sd_bus_call) *sym_sd_bus_call;
typeof(sd_bus_call_method) *sym_sd_bus_call_method;
typeof(sd_bus_error_free) *sym_sd_bus_error_free;
typeof(sd_bus_error_has_name) *sym_sd_bus_error_has_name;
typeof(sd_bus_error_has_names_sentinel) *sym_sd_bus_error_has_names_sentinel;
typeof(sd_bus_get_property_string) *sym_sd_bus_get_property_string;
typeof(sd_bus_get_property_trivial) *sym_sd_bus_get_property_trivial;
typeof(sd_bus_message_new_method_call) *sym_sd_bus_message_new_method_call;
typeof(sd_bus_message_append_strv) *sym_sd_bus_message_append_strv;
typeof(sd_bus_message_unref) *sym_sd_bus_message_unref;
typeof(sd_bus_message_enter_container) *sym_sd_bus_message_enter_container;
typeof(sd_bus_message_read) *sym_sd_bus_message_read;
typeof(sd_bus_message_exit_container) *sym_sd_bus_message_exit_container;

static void *libsystemd_dl;
static pthread_once_t libsystemd_once = PTHREAD_ONCE_INIT;
static int libsystemd_result;

static void libsystemd_load(void)
{
	libsystemd_result = hq_dlopen_many_sym(
		&libsystemd_dl, "libsystemd.so.0", HQ_DLSYM_ARG(sd_bus_open_system),
		HQ_DLSYM_ARG(sd_bus_open_user), HQ_DLSYM_ARG(sd_bus_flush_close_unref),
		HQ_DLSYM_ARG(sd_bus_call), HQ_DLSYM_ARG(sd_bus_call_method),
		HQ_DLSYM_ARG(sd_bus_error_free), HQ_DLSYM_ARG(sd_bus_error_has_name),
		HQ_DLSYM_ARG(sd_bus_error_has_names_sentinel),
		HQ_DLSYM_ARG(sd_bus_get_property_string), HQ_DLSYM_ARG(sd_bus_get_property_trivial),
		HQ_DLSYM_ARG(sd_bus_message_new_method_call),
		HQ_DLSYM_ARG(sd_bus_message_append_strv), HQ_DLSYM_ARG(sd_bus_message_unref),
		HQ_DLSYM_ARG(sd_bus_message_enter_container), HQ_DLSYM_ARG(sd_bus_message_read),
		HQ_DLSYM_ARG(sd_bus_message_exit_container), NULL);
}

int hq_dlopen_libsystemd(void)
{
	(void)pthread_once(&libsystemd_once, libsystemd_load);
	return libsystemd_result;
}
