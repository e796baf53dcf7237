/* osquery's config JSON (options, schedule, packs, decorators, file_paths), parsed into plain
 * structs. Pure: it reads no flags and logs nothing; problems that osquery only warns about are
 * returned in hq_config.warnings for the daemon to log. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "hq/plugin.h"
#include "hq/util.h"

#define HQ_CONFIG_MAX_SIZE (4u * 1024 * 1024)
#define HQ_CONFIG_MAX_DEPTH 32
#define HQ_INTERVAL_MAX 604800

typedef struct hq_sched_query {
	char *name; /* logged name: bare for "schedule", pack<d><pack><d><query> in packs */
	char *pack; /* "main" for the schedule key */
	char *sql;
	int64_t interval; /* 0: not given, use --schedule_default_interval */
	bool snapshot;
	bool removed;
	bool denylist;
	char *platform;		  /* NULL = any */
	char *version;		  /* minimum agent version or NULL */
	int shard;		  /* 0 = all hosts */
	int64_t startup_priority; /* -1 = none */
	size_t pack_index;
} hq_sched_query;

typedef struct hq_pack {
	char *name;
	char *source; /* config source it came from */
	char *platform;
	char *version;
	int shard;
	char **discovery; /* NULL-terminated */
	size_t n_queries;
} hq_pack;

typedef struct hq_decorator {
	int64_t interval; /* 0 for load/always */
	char *sql;
} hq_decorator;

typedef struct hq_config {
	json_t *options; /* merged {flag: text value}, later sources win */
	hq_pack *packs;
	size_t n_packs;
	hq_sched_query *queries;
	size_t n_queries;
	char **decorators_load;	  /* NULL-terminated */
	char **decorators_always; /* NULL-terminated */
	hq_decorator *decorators_interval;
	size_t n_decorators_interval;
	json_t *file_paths; /* merged {category: [globs]} */
	json_t *sources;    /* {source name: parsed JSON} for --config_dump */
	char hash[41];	    /* sha1 hex over every source text */
	char **warnings;    /* NULL-terminated, things osquery warns about and skips */
} hq_config;

/* Reads the JSON text of a string pack (osquery genPack); ret_json owned by the caller. */
typedef int (*hq_config_pack_fn)(const char *name, const char *value, char **ret_json,
				 void *userdata);

/* Parses and merges the sources. pack_delimiter is used unless the config's options set it.
 * resolve_pack may be NULL (string packs are then skipped with a warning). On a syntax or
 * structure error returns -EINVAL and ret_error "<source>:<line>:<column>: <message>" (caller
 * frees). */
int hq_config_parse(const hq_config_source *sources, size_t n, const char *pack_delimiter,
		    hq_config_pack_fn resolve_pack, void *userdata, hq_config **ret,
		    char **ret_error);
hq_config *hq_config_free(hq_config *c);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_config *, hq_config_free);

/* Removes osquery's comment lines (first non-blank chars # or //) in place, keeping line
 * numbers, and joins backslash-newline continuations. */
void hq_config_strip_comments(char *text);

/* Platform filter: NULL/"", "any", "all", "linux", "posix" (comma lists) match Linux. */
bool hq_config_platform_matches(const char *platform);
/* True when ours >= minimum (dotted numeric versions; NULL minimum always matches). */
bool hq_config_version_matches(const char *minimum, const char *ours);
/* osquery's host shard: first SHA-1 byte of the hostname * 100 / 255. */
int hq_config_host_shard(const char *hostname);
/* True when a query (and its pack) should run on this host. */
bool hq_config_query_applies(const hq_config *c, const hq_sched_query *q, int host_shard,
			     const char *version);
