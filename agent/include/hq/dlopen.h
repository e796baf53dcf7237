/* Optional shared libraries loaded on first use (systemd's dlopen pattern). A library that only
 * some tables or functions need (libcrypto, libsystemd, libnl) is not a DT_NEEDED entry of the
 * binaries: every start would pay for mapping and relocating it. Its user instead declares one
 * function pointer per symbol, typed after the library's own prototype,
 *     static typeof(sd_bus_open_system) *sym_sd_bus_open_system;
 * and resolves them all once, under pthread_once(), with
 *     hq_dlopen_many_sym(&dl, "libsystemd.so.0", HQ_DLSYM_ARG(sd_bus_open_system), ..., NULL);
 * The library's headers may be included for the prototypes and types; nothing is linked. */
#pragma once

#include "hq/util.h"

/* The pointer to fill and the symbol's name, as a pair of arguments. The pointer's type must be
 * exactly a pointer to the library's prototype, which is checked at compile time. */
#define HQ_DLSYM_ARG(name)                                                                         \
	({                                                                                         \
		static_assert(__builtin_types_compatible_p(typeof(sym_##name), typeof(&name)),     \
			      "sym_" #name " does not match the prototype of " #name);             \
		(void **)&sym_##name;                                                              \
	}),                                                                                        \
		#name

/* Opens soname (once it worked, *dlp is set and later calls return 0 at once) and resolves the
 * NULL-terminated list of (void **pointer, const char *name) pairs. All or nothing: when the
 * library or any symbol is missing, no pointer is set, the library is closed again, the reason
 * is logged at debug level and -EOPNOTSUPP returned. Not thread-safe by itself: callers run it
 * under pthread_once(). */
int hq_dlopen_many_sym(void **dlp, const char *soname, ...) __attribute__((sentinel));
