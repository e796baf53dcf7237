/* hostqi's glue to the extension manager (extensions/manager/hq_extensions.h): the extension
 * flags, starting the manager next to the engine (loading it as a module first, see
 * hq_extensions_module.h), running its queued engine work before each statement, and stopping
 * it before the engine goes. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "hq/log.h"
#include "introspection.h"
#include "options/options.h"
#include "shell.h"

static int keep_value(hq_shell_settings *s, const char *value, const char **ret)
{
	if (s->n_ext_values >= HQ_ELEMENTSOF(s->ext_values))
		return -E2BIG;
	char *v = strdup(value);
	if (!v)
		return -ENOMEM;
	s->ext_values[s->n_ext_values++] = v;
	*ret = v;
	return 0;
}

int hq_shell_ext_flag(hq_shell_settings *s, const char *name, const char *value, bool negated,
		      bool *used_value)
{
	static const char *const bools[] = {"disable_extensions", "allow_unsafe"};
	static const char *const valued[] = {
		"extensions_socket",  "extensions_autoload", "extension",      "extensions_require",
		"extensions_timeout", "extensions_interval", "thrift_timeout",
	};
	for (size_t i = 0; i < HQ_ELEMENTSOF(bools); i++) {
		if (strcmp(name, bools[i]) != 0)
			continue;
		bool b = true;
		*used_value = false;
		/* A following argument that is no boolean is not this flag's value. */
		if (!negated && value && hq_options_parse_bool(value, &b) == 0)
			*used_value = true;
		return hq_extensions_parse_flag(&s->ext, name, b != negated ? "true" : "false") < 0
			       ? -EINVAL
			       : 0;
	}
	if (negated)
		return -ENOENT;
	for (size_t i = 0; i < HQ_ELEMENTSOF(valued); i++) {
		if (strcmp(name, valued[i]) != 0)
			continue;
		*used_value = true;
		if (!value)
			return -ENODATA;
		const char *v;
		int r = keep_value(s, value, &v);
		if (r < 0)
			return r;
		if (strcmp(name, "extensions_socket") == 0 ||
		    strcmp(name, "extensions_require") == 0)
			s->ext_explicit = true;
		return hq_extensions_parse_flag(&s->ext, name, v) < 0 ? -EINVAL : 0;
	}
	return -ENOENT;
}

/* The manager needs the module (GLib, Thrift): it is loaded here, only when a manager is to run.
 * Without one, hostqi shows the introspection tables of a disabled manager itself. */
int hq_shell_ext_start(hq_shell *sh, bool one_shot)
{
	hq_ext_config cfg = sh->s.ext;
	int r;
	cfg.shell = true;
	cfg.verbose = sh->s.verbose;
	/* Like osqueryi: a query given on the command line runs without a manager unless
	 * extensions are managed (autoload, --extension) or asked for explicitly. */
	if (one_shot && !sh->s.ext_explicit && !(cfg.autoload && *cfg.autoload) &&
	    !(cfg.extension && *cfg.extension))
		cfg.disable = true;
	if (!cfg.disable) {
		_cleanup_free_ char *err = NULL;
		r = hq_ext_module_load(&sh->ext_api, &err);
		if (r < 0) {
			fprintf(stderr, "hostqi: extensions are unavailable: %s\n",
				err ? err : strerror(-r));
			sh->ext_api = NULL;
			/* Required extensions cannot register: fail as when they do not. */
			if (cfg.require && *cfg.require)
				return r;
			cfg.disable = true;
		}
	}
	if (cfg.disable) {
		r = hq_ext_introspection_add_disabled(sh->engine, &sh->ext_tables);
		if (r < 0)
			fprintf(stderr, "hostqi: extensions: %s\n", strerror(-r));
		return r;
	}
	r = sh->ext_api->start(sh->engine, &cfg, &sh->ext);
	if (r < 0) {
		fprintf(stderr, "hostqi: extensions: %s\n", strerror(-r));
		return r;
	}
	/* Launched extensions get until --extensions_timeout to register their tables. */
	int timeout_s = 3;
	if (cfg.timeout)
		(void)hq_safe_atoi(cfg.timeout, &timeout_s);
	sh->ext_api->wait_autoloaded(sh->ext, (timeout_s > 0 ? timeout_s : 1) * 1000);
	return 0;
}

static int ext_fd(hq_shell *sh)
{
	return sh->ext ? sh->ext_api->fd(sh->ext) : -1;
}

void hq_shell_ext_dispatch(hq_shell *sh)
{
	if (sh->ext)
		(void)sh->ext_api->dispatch(sh->ext);
}

void hq_shell_ext_stop(hq_shell *sh)
{
	if (sh->ext)
		sh->ext_api->stop(sh->ext);
	sh->ext = NULL;
	hq_ext_introspection_remove(sh->engine, sh->ext_tables);
	sh->ext_tables = NULL;
}

void hq_shell_ext_settings_done(hq_shell_settings *s)
{
	for (size_t i = 0; i < s->n_ext_values; i++)
		free(s->ext_values[i]);
	s->n_ext_values = 0;
}

/* Blocks until `in` has input, running the manager's engine work meanwhile, so extensions'
 * `query` calls and registrations are served while the shell waits for the user. */
void hq_shell_ext_wait_input(hq_shell *sh, FILE *in)
{
	int efd = ext_fd(sh);
	if (efd < 0)
		return;
	for (;;) {
		/* Input already buffered by stdio needs no wait (glibc FILE internals). */
		if (in->_IO_read_ptr < in->_IO_read_end)
			return;
		struct pollfd p[2] = {{.fd = fileno(in), .events = POLLIN},
				      {.fd = efd, .events = POLLIN}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[1].revents)
			hq_shell_ext_dispatch(sh);
		if (p[0].revents)
			return;
	}
}

static hq_shell *getc_shell;

/* libedit's character reader, waiting the same way. */
static int ext_getc(FILE *in)
{
	unsigned char c;
	for (;;) {
		hq_shell_ext_wait_input(getc_shell, in);
		ssize_t n = read(fileno(in), &c, 1);
		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR)
			continue;
		return EOF;
	}
}

hq_getc_fn hq_shell_ext_getc(hq_shell *sh)
{
	getc_shell = sh;
	return ext_fd(sh) >= 0 ? ext_getc : NULL;
}
