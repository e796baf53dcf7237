/* filesystem config plugin: --config_path plus the .conf files in <config_path>.d (sorted), each
 * file its own source (osquery's filesystem config). A missing main file is -ENOENT; packs given as
 * strings are file paths. */
#include <dirent.h>

#include "hq/plugin.h"
#include "options/options.h"

#define MAX_CONFIG_BYTES (4u * 1024 * 1024)

static int add_source(hq_config_source **v, size_t *n, const char *path)
{
	_cleanup_free_ char *text = NULL, *name = strdup(path);
	hq_config_source *nv;
	int r;

	if (!name)
		return -ENOMEM;
	r = hq_read_full_file_at(AT_FDCWD, path, MAX_CONFIG_BYTES + 1, &text, NULL);
	if (r < 0)
		return r;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = (hq_config_source){.name = TAKE_PTR(name), .json = TAKE_PTR(text)};
	return 0;
}

static int filter_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

static int gen_config(void *state, hq_config_source **ret_sources, size_t *ret_n)
{
	hq_config_source *v = NULL;
	size_t n = 0;
	_cleanup_free_ char *dir = NULL;
	struct dirent **names = NULL;
	int r, k;

	(void)state;
	r = add_source(&v, &n, hq_opt.config_path);
	if (r < 0) {
		hq_config_sources_free(v, n);
		return r;
	}
	if (asprintf(&dir, "%s.d", hq_opt.config_path) < 0)
		dir = NULL;
	k = dir ? scandir(dir, &names, filter_conf, alphasort) : -1;
	for (int i = 0; i < k; i++) {
		_cleanup_free_ char *p = NULL;
		if (r >= 0 && asprintf(&p, "%s/%s", dir, names[i]->d_name) >= 0)
			r = add_source(&v, &n, p);
		free(names[i]);
	}
	free(names);
	if (r < 0) {
		hq_config_sources_free(v, n);
		return r;
	}
	*ret_sources = v;
	*ret_n = n;
	return 0;
}

static int gen_pack(void *state, const char *name, const char *value, char **ret_json)
{
	(void)state;
	(void)name;
	return hq_read_full_file_at(AT_FDCWD, value, MAX_CONFIG_BYTES, ret_json, NULL);
}

static void plugin_free(void *state)
{
	free(state);
}

void *hq_config_filesystem_new(void);
void *hq_config_filesystem_new(void)
{
	return calloc(1, 1);
}

const hq_config_plugin hq_config_filesystem = {
	.version = HQ_PLUGIN_ABI_VERSION,
	.name = "filesystem",
	.gen_config = gen_config,
	.gen_pack = gen_pack,
	.free = plugin_free,
};
