/* Resolving an optional library's symbols on first use (see hq/dlopen.h). */
#include <dlfcn.h>
#include <stdarg.h>

#include "hq/dlopen.h"
#include "hq/log.h"

int hq_dlopen_many_sym(void **dlp, const char *soname, ...)
{
	void *dl;
	va_list ap;
	int r = 0;

	if (*dlp)
		return 0;

	/* RTLD_NODELETE: the resolved pointers stay valid for the life of the process, and a
	 * library with atexit handlers (OpenSSL) is never unmapped under them. */
	dl = dlopen(soname, RTLD_NOW | RTLD_NODELETE);
	if (!dl) {
		hq_log(HQ_LOG_DEBUG, "%s is not available: %s", soname,
		       dlerror() ?: "unknown error");
		return -EOPNOTSUPP;
	}

	/* First check that every symbol is there, then fill the pointers, so a failure leaves
	 * all of them NULL rather than half set. */
	va_start(ap, soname);
	for (;;) {
		void **fn = va_arg(ap, void **);
		const char *name;

		if (!fn)
			break;
		name = va_arg(ap, const char *);
		if (!dlsym(dl, name)) {
			hq_log(HQ_LOG_DEBUG, "%s lacks the symbol %s: %s", soname, name,
			       dlerror() ?: "unknown error");
			r = -EOPNOTSUPP;
			break;
		}
	}
	va_end(ap);
	if (r < 0) {
		(void)dlclose(dl);
		return r;
	}

	va_start(ap, soname);
	for (;;) {
		void **fn = va_arg(ap, void **);

		if (!fn)
			break;
		*fn = dlsym(dl, va_arg(ap, const char *));
	}
	va_end(ap);

	*dlp = dl;
	return 0;
}
