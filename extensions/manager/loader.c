/* hostqi's side of the module boundary (hq_extensions_module.h): the core table it lends, and
 * finding and loading hostq-extensions.so. No GLib here. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hq/util.h"
#include "hq_extensions_module.h"

#ifndef HQ_EXT_MODULE_DIR
#error "HQ_EXT_MODULE_DIR (the install directory of the module) must be defined"
#endif
#ifndef HQ_EXT_MODULE_RELDIR
#error "HQ_EXT_MODULE_RELDIR (the module directory relative to the binary's) must be defined"
#endif

static void core_log(hq_log_level level, const char *message)
{
	hq_log(level, "%s", message);
}

static int core_ctx_error(hq_query_ctx *ctx, int r, const char *message)
{
	return hq_ctx_error(ctx, r, "%s", message);
}

static const hq_ext_core_api core = {
	.abi_version = HQ_EXT_MODULE_ABI_VERSION,
	.size = sizeof(hq_ext_core_api),
	.version = HQ_VERSION,
	.log_get_max_level = hq_log_get_max_level,
	.log = core_log,
	.agent_info_get = hq_agent_info_get,
	.agent_info_set = hq_agent_info_set,
	.engine_db = hq_engine_db,
	.engine_add_table = hq_engine_add_table,
	.engine_remove_table = hq_engine_remove_table,
	.engine_find_table = hq_engine_find_table,
	.engine_tables = hq_engine_tables,
	.engine_begin_query = hq_engine_begin_query,
	.engine_exec = hq_engine_exec,
	.ctx_table = hq_ctx_table,
	.ctx_next_constraint = hq_ctx_next_constraint,
	.ctx_column_used = hq_ctx_column_used,
	.ctx_error = core_ctx_error,
	.row_begin = hq_row_begin,
	.row_commit = hq_row_commit,
	.row_set_int64 = hq_row_set_int64,
	.row_set_double = hq_row_set_double,
	.row_set_text = hq_row_set_text,
	.row_set_text_static = hq_row_set_text_static,
	.safe_atoi = hq_safe_atoi,
	.safe_atoi64 = hq_safe_atoi64,
	.safe_atou64 = hq_safe_atou64,
};

/* Candidate paths in lookup order (see hq_extensions_module.h); NULL-terminated, caller frees
 * each. An override names exactly one directory. */
static int candidates(char *ret[static 4])
{
	const char *env = secure_getenv("HOSTQ_MODULE_DIR");
	size_t n = 0;
	if (env && *env) {
		if (asprintf(&ret[n++], "%s/%s", env, HQ_EXT_MODULE_FILE) < 0)
			return -ENOMEM;
		ret[n] = NULL;
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (asprintf(&ret[n++], "%s/%s", exe, HQ_EXT_MODULE_FILE) < 0 ||
			    asprintf(&ret[n++], "%s/%s/%s", exe, HQ_EXT_MODULE_RELDIR,
				     HQ_EXT_MODULE_FILE) < 0) {
				ret[--n] = NULL;
				return -ENOMEM;
			}
		}
	}
	if (asprintf(&ret[n++], "%s/%s", HQ_EXT_MODULE_DIR, HQ_EXT_MODULE_FILE) < 0) {
		ret[--n] = NULL;
		return -ENOMEM;
	}
	ret[n] = NULL;
	return 0;
}

static int load(const char *path, const hq_ext_module_api **ret, char **ret_error)
{
	/* RTLD_NODELETE: GLib and OpenSSL cannot be unloaded safely; the module stays for the
	 * life of the process. RTLD_LOCAL keeps its libraries' symbols out of hostqi's scope. */
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!dl) {
		const char *e = dlerror();
		if (!e)
			e = "unknown error";
		/* dlerror() may name only a missing dependency (libssl.so.3: ...). */
		if (ret_error &&
		    (strstr(e, path) ? asprintf(ret_error, "cannot load %s", e)
				     : asprintf(ret_error, "cannot load %s: %s", path, e)) < 0)
			*ret_error = NULL;
		return -ELIBBAD;
	}
	hq_ext_module_init_fn init = (hq_ext_module_init_fn)dlsym(dl, HQ_EXT_MODULE_ENTRY);
	const hq_ext_module_api *api = NULL;
	int r = init ? init(&core, &api) : -ELIBBAD;
	if (r >= 0 && (!api || api->abi_version != HQ_EXT_MODULE_ABI_VERSION ||
		       api->size != sizeof(hq_ext_module_api)))
		r = -EPROTO;
	if (r < 0) {
		if (ret_error &&
		    asprintf(ret_error, "%s: %s", path,
			     !init	    ? "no " HQ_EXT_MODULE_ENTRY " in it"
			     : r == -EPROTO ? "built for another hostqi (this is " HQ_VERSION ")"
					    : strerror(-r)) < 0)
			*ret_error = NULL;
		(void)dlclose(dl);
		return r;
	}
	*ret = api;
	return 0;
}

int hq_ext_module_load(const hq_ext_module_api **ret, char **ret_error)
{
	static const hq_ext_module_api *loaded;
	char *paths[4] = {NULL};
	int r;

	if (ret_error)
		*ret_error = NULL;
	if (loaded) {
		*ret = loaded;
		return 0;
	}
	r = candidates(paths);
	if (r < 0)
		goto out;
	/* The first file that exists is the one: never fall through to another copy, which
	 * could be of another build. */
	r = -ENOENT;
	for (size_t i = 0; paths[i]; i++) {
		struct stat st;
		if (stat(paths[i], &st) < 0)
			continue;
		r = load(paths[i], &loaded, ret_error);
		goto out;
	}
	if (ret_error) {
		hq_buf b = HQ_BUF_INIT(4096);
		hq_buf_puts(&b, HQ_EXT_MODULE_FILE " not found (looked for");
		for (size_t i = 0; paths[i]; i++) {
			hq_buf_puts(&b, i ? ", " : " ");
			hq_buf_puts(&b, paths[i]);
		}
		hq_buf_puts(&b, ")");
		*ret_error = b.error ? NULL : hq_buf_steal(&b);
		hq_buf_done(&b);
	}
out:
	for (size_t i = 0; paths[i]; i++)
		free(paths[i]);
	if (r >= 0)
		*ret = loaded;
	return r;
}
