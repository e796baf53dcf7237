/* distributed_file.ext: a distributed plugin named "distributed_file" that takes its queries
 * from DIR/queries.json ({"queries": {"id": "SELECT ..."}}; renamed to queries.json.done once
 * handed out, so each batch runs once) and appends every result batch as one line to
 * DIR/results.jsonl. DIR comes from --distributed_dir or HOSTQ_DISTRIBUTED_DIR. Select it with
 * --distributed_plugin=distributed_file. */
#include <errno.h>
#include <hostq/extension.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir = "/var/lib/hostq/distributed";

static int get_queries(char **ret_json, void *userdata)
{
	char path[4096], done[4200];
	snprintf(path, sizeof(path), "%s/queries.json", dir);
	snprintf(done, sizeof(done), "%s.done", path);
	FILE *f = fopen(path, "re");
	if (!f) {
		*ret_json = strdup("{\"queries\": {}}");
		return *ret_json ? 0 : -ENOMEM;
	}
	char *buf = calloc(1, 1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!buf)
		return -ENOMEM;
	buf[n] = 0;
	(void)rename(path, done);
	*ret_json = buf;
	return 0;
}

static int write_results(const char *json, void *userdata)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	FILE *f = fopen(path, "ae");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", json);
	return fclose(f) == 0 ? 0 : -errno;
}

int main(int argc, char **argv)
{
	static const hq_extension_distributed d = {.get_queries = get_queries,
						   .write_results = write_results};
	if (getenv("HOSTQ_DISTRIBUTED_DIR"))
		dir = getenv("HOSTQ_DISTRIBUTED_DIR");
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--distributed_dir") == 0)
			dir = argv[i + 1];
	hq_extension *e = hq_extension_new("distributed_file", "1.0.0");
	hq_extension_add_distributed(e, "distributed_file", &d, NULL);
	int status = hq_extension_run(e, argc, argv);
	hq_extension_free(e);
	return status;
}
