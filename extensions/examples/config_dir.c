/* config_dir.ext: a config plugin named "config_dir" serving the agent's configuration from
 * every .conf and .json file of a directory (one source per file) or from a command's output.
 * Where from: --config_dir DIR / --config_command CMD, or the environment variables
 * HOSTQ_CONFIG_DIR / HOSTQ_CONFIG_COMMAND (autoloaded extensions get fixed arguments); the
 * default directory is /etc/hostq/config.d. Select it with --config_plugin=config_dir. */
#include <dirent.h>
#include <errno.h>
#include <hostq/extension.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir = "/etc/hostq/config.d";
static const char *command;

static char *slurp(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (buf)
		buf[len] = 0;
	return buf;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int gen_config(hq_extension_rows *rows, void *userdata)
{
	hq_extension_row_begin(rows);
	if (command) {
		FILE *p = popen(command, "r");
		if (!p)
			return hq_extension_rows_error(rows, -errno, "cannot run %s", command);
		char *out = slurp(p);
		int st = pclose(p);
		if (!out || st != 0) {
			free(out);
			return hq_extension_rows_error(rows, -EIO, "%s failed", command);
		}
		hq_extension_row_set(rows, command, out);
		free(out);
		return 0;
	}
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return hq_extension_rows_error(rows, -errno, "cannot read %s", dir);
	for (int i = 0; i < n; i++) {
		char path[4096];
		const char *name = names[i]->d_name;
		if (ends_with(name, ".conf") || ends_with(name, ".json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			FILE *f = fopen(path, "re");
			char *text = f ? slurp(f) : NULL;
			if (f)
				fclose(f);
			if (text)
				hq_extension_row_set(rows, path, text);
			free(text);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	if (getenv("HOSTQ_CONFIG_DIR"))
		dir = getenv("HOSTQ_CONFIG_DIR");
	command = getenv("HOSTQ_CONFIG_COMMAND");
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--config_dir") == 0)
			dir = argv[i + 1];
		else if (strcmp(argv[i], "--config_command") == 0)
			command = argv[i + 1];
	}
	hq_extension *e = hq_extension_new("config_dir", "1.0.0");
	hq_extension_add_config(e, "config_dir", gen_config, NULL);
	int status = hq_extension_run(e, argc, argv);
	hq_extension_free(e);
	return status;
}
