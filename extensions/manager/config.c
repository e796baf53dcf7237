/* Parsing the extension flags into a hq_ext_config. No GLib: hostqi parses them without loading
 * the manager module. */
#include <errno.h>

#include "hq/util.h"
#include "hq_extensions.h"

int hq_extensions_parse_flag(hq_ext_config *cfg, const char *name, const char *value)
{
	bool b = !value || hq_streq(value, "true") || hq_streq(value, "1");
	if (hq_streq(name, "disable_extensions"))
		cfg->disable = b;
	else if (hq_streq(name, "allow_unsafe"))
		cfg->allow_unsafe = b;
	else if (hq_streq(name, "extensions_socket"))
		cfg->socket_path = value;
	else if (hq_streq(name, "extensions_autoload"))
		cfg->autoload = value;
	else if (hq_streq(name, "extension"))
		cfg->extension = value;
	else if (hq_streq(name, "extensions_require"))
		cfg->require = value;
	else if (hq_streq(name, "extensions_timeout"))
		cfg->timeout = value;
	else if (hq_streq(name, "extensions_interval"))
		cfg->interval = value;
	else if (hq_streq(name, "thrift_timeout")) {
		int v;
		if (!value || hq_safe_atoi(value, &v) < 0 || v < 0)
			return -EINVAL;
		cfg->thrift_timeout = (unsigned)v;
	} else
		return 0;
	return 1;
}
