/* hostqd's glue to the extension manager (extensions/manager/hq_extensions.h): started in the
 * worker next to its engine, before the plugins are activated, so --config_plugin,
 * --logger_plugin and --distributed_plugin may name plugins an autoloaded extension provides
 * (each waited for up to --extensions_timeout, as osquery does). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "hq_extensions.h"
#include "options/options.h"

static hq_ext_manager *mgr;

/* Waits for every plugin named in a comma-separated list that is not registered yet. */
static void wait_plugins(hq_plugin_kind kind, const char *list)
{
	_cleanup_free_ char *copy = strdup(list ? list : "");
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok && hq_extensions_wait_plugin(mgr, kind, tok) < 0)
			hq_status_warning("No plugin %s was registered within --extensions_timeout",
					  tok);
	}
}

static const char *selected_plugin(hq_plugin_kind kind)
{
	switch (kind) {
	case HQ_PLUGIN_CONFIG:
		return hq_opt.config_plugin;
	case HQ_PLUGIN_LOGGER:
		return hq_opt.logger_plugin;
	default:
		return NULL; /* hostqd has no --distributed_plugin flag yet */
	}
}

/* The whole flag table for the manager's `options` call. */
static void each_option(void (*fn)(void *ud, const char *name, const char *value,
				   const char *default_value, const char *type),
			void *ud)
{
	const hq_option_def *defs;
	size_t n = hq_options_all(&defs);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *v = hq_options_value_string(&defs[i]);
		fn(ud, defs[i].name, v, defs[i].default_value,
		   defs[i].type == HQ_OPT_BOOL	? "bool"
		   : defs[i].type == HQ_OPT_INT ? "int32"
						: "string");
	}
}

static const hq_ext_plugin_registry registry = {
	.register_plugin = hq_plugin_register,
	.find = hq_plugin_find,
	.nth = hq_plugin_nth,
	.sources_free = hq_config_sources_free,
	.selected = selected_plugin,
	.options = each_option,
};

int hq_daemon_extensions_start(hq_engine *engine)
{
	hq_ext_config cfg = {
		.shell = false,
		.disable = hq_opt.disable_extensions,
		.socket_path = hq_opt.extensions_socket,
		.autoload = hq_opt.extensions_autoload,
		.require = hq_opt.extensions_require,
		.timeout = hq_opt.extensions_timeout,
		.interval = hq_opt.extensions_interval,
		.thrift_timeout = hq_opt.thrift_timeout > 0 ? (unsigned)hq_opt.thrift_timeout : 0,
		.allow_unsafe = hq_opt.allow_unsafe,
		.verbose = hq_opt.verbose,
		.plugins = &registry,
	};
	int r = hq_extensions_start(engine, &cfg, &mgr);
	if (r == -ETIMEDOUT)
		return r; /* --extensions_require not met */
	if (r < 0) {
		/* Like osquery: the daemon runs on without extensions. */
		hq_status_warning("Extensions are unavailable: %s", strerror(-r));
		mgr = NULL;
		return 0;
	}
	wait_plugins(HQ_PLUGIN_CONFIG, hq_opt.config_plugin);
	wait_plugins(HQ_PLUGIN_LOGGER, hq_opt.logger_plugin);
	return 0;
}

bool hq_daemon_extensions_managed(void)
{
	return !hq_opt.disable_extensions && hq_opt.extensions_autoload &&
	       *hq_opt.extensions_autoload && access(hq_opt.extensions_autoload, R_OK) == 0;
}

int hq_daemon_extensions_fd(void)
{
	return hq_extensions_fd(mgr);
}

void hq_daemon_extensions_dispatch(void)
{
	(void)hq_extensions_dispatch(mgr);
}

void hq_daemon_extensions_stop(void)
{
	hq_extensions_stop(mgr);
	mgr = NULL;
}
