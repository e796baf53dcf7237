/* hash: MD5, SHA-1 and SHA-256 of the files named in WHERE.
 * Source: reads <root><path> (regular files only; for directory, the regular files directly in
 * it) through OpenSSL's EVP digests (hq/digest.h), computing only the digests whose columns the
 * query uses. Like osquery, recent results are cached per path (HASH_CACHE_MAX entries, least
 * recently used evicted) and recomputed when the file's identity, size, mtime or ctime changes, so
 * scheduled queries over unchanged files cost one stat(2) each. Reads what the caller may read.
 * Example: SELECT path, sha256 FROM hash WHERE directory = '/etc/ssh'; */
#include <assert.h>
#include <pthread.h>
#include <sys/stat.h>

#include "hq/digest.h"
#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/glob.h"
#include "lib/path_constraints.h"

enum {
	COL_PATH,
	COL_DIRECTORY,
	COL_MD5,
	COL_SHA1,
	COL_SHA256,
	COL_PID_WITH_NAMESPACE,
	COL_MOUNT_NAMESPACE_ID,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_PATH] = {"path", HQ_TYPE_TEXT, HQ_COL_REQUIRED | HQ_COL_INDEX | HQ_COL_OPTIMIZED,
		      "Must provide a path or directory"},
	[COL_DIRECTORY] = {"directory", HQ_TYPE_TEXT, HQ_COL_REQUIRED | HQ_COL_OPTIMIZED,
			   "Must provide a path or directory"},
	[COL_MD5] = {"md5", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE,
		     "MD5 hash of provided filesystem data"},
	[COL_SHA1] = {"sha1", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE,
		      "SHA1 hash of provided filesystem data"},
	[COL_SHA256] = {"sha256", HQ_TYPE_TEXT, HQ_COL_COLLATE_NOCASE,
			"SHA256 hash of provided filesystem data"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
	[COL_MOUNT_NAMESPACE_ID] = {"mount_namespace_id", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				    "Mount namespace id"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

enum { ALG_MD5, ALG_SHA1, ALG_SHA256, _ALG_MAX };
static const unsigned alg_column[_ALG_MAX] = {COL_MD5, COL_SHA1, COL_SHA256};
static const hq_digest_alg alg_digest[_ALG_MAX] = {HQ_DIGEST_MD5, HQ_DIGEST_SHA1, HQ_DIGEST_SHA256};

typedef struct digests {
	bool want[_ALG_MAX];
	char hex[_ALG_MAX][HQ_DIGEST_HEX_MAX];
} digests;

/* The per-process digest cache. Scans may run on several threads (daemon, extension manager),
 * hence the lock; it is never held while a file is read. */
#define HASH_CACHE_MAX 500
#define HEX_MAX 65 /* the longest digest we keep: SHA-256 */

typedef struct cache_entry {
	char *real; /* NULL: free slot */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
	bool have[_ALG_MAX];
	char hex[_ALG_MAX][HEX_MAX];
	uint64_t last_use;
} cache_entry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry cache[HASH_CACHE_MAX];
static uint64_t cache_clock;

static bool same_file(const cache_entry *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
	       e->mtim.tv_sec == st->st_mtim.tv_sec && e->mtim.tv_nsec == st->st_mtim.tv_nsec &&
	       e->ctim.tv_sec == st->st_ctim.tv_sec && e->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

/* Fills the wanted digests from the cache when every one of them is there for this very file
 * state. Returns true on a hit. */
static bool cache_lookup(const char *real, const struct stat *st, digests *d)
{
	bool hit = false;
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < HASH_CACHE_MAX; i++) {
		cache_entry *e = &cache[i];
		if (!e->real || strcmp(e->real, real) != 0)
			continue;
		if (!same_file(e, st))
			break;
		hit = true;
		for (int a = 0; a < _ALG_MAX; a++)
			if (d->want[a] && !e->have[a])
				hit = false;
		if (hit) {
			for (int a = 0; a < _ALG_MAX; a++)
				if (d->want[a])
					memcpy(d->hex[a], e->hex[a], HEX_MAX);
			e->last_use = ++cache_clock;
		}
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

/* Remembers digests computed for the file state st (taken before the read). Keeps the other
 * digests of an entry for the same state. Allocation failure just skips caching. */
static void cache_store(const char *real, const struct stat *st, const digests *d)
{
	pthread_mutex_lock(&cache_lock);
	cache_entry *slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < HASH_CACHE_MAX; i++) {
		cache_entry *e = &cache[i];
		if (e->real && strcmp(e->real, real) == 0) {
			slot = e;
			break;
		}
		if (!oldest || !e->real || (oldest->real && e->last_use < oldest->last_use))
			oldest = e;
	}
	if (!slot) {
		char *copy = strdup(real);
		if (!copy) {
			pthread_mutex_unlock(&cache_lock);
			return;
		}
		slot = oldest;
		free(slot->real);
		memset(slot, 0, sizeof(*slot));
		slot->real = copy;
	}
	if (!same_file(slot, st))
		memset(slot->have, 0, sizeof(slot->have));
	slot->dev = st->st_dev;
	slot->ino = st->st_ino;
	slot->size = st->st_size;
	slot->mtim = st->st_mtim;
	slot->ctim = st->st_ctim;
	for (int a = 0; a < _ALG_MAX; a++) {
		if (!d->want[a])
			continue;
		memcpy(slot->hex[a], d->hex[a], HEX_MAX);
		slot->hex[a][HEX_MAX - 1] = '\0';
		slot->have[a] = true;
	}
	slot->last_use = ++cache_clock;
	pthread_mutex_unlock(&cache_lock);
}

typedef hq_digest *digest_array[_ALG_MAX];

static void digest_array_freep(digest_array *md)
{
	for (int a = 0; a < _ALG_MAX; a++)
		hq_digest_free((*md)[a]);
}

/* Hashes a regular file. Returns 0, -ENOENT/-EACCES/... when it cannot be read (the caller
 * skips it), -EISDIR-like -EINVAL when it is not a regular file, or -ENOMEM. */
static int hash_file(const char *real, digests *d, struct stat *ret_st)
{
	_cleanup_close_ int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	*ret_st = st;

	_cleanup_(digest_array_freep) digest_array md = {NULL};
	for (int a = 0; a < _ALG_MAX; a++) {
		if (!d->want[a])
			continue;
		if (hq_digest_new(alg_digest[a], 0, &md[a]) < 0)
			return -ENOMEM;
	}

	_cleanup_free_ unsigned char *buf = malloc(64 * 1024);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, buf, 64 * 1024);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		for (int a = 0; a < _ALG_MAX; a++)
			if (md[a] && hq_digest_update(md[a], buf, (size_t)n) < 0)
				return -EIO;
	}

	for (int a = 0; a < _ALG_MAX; a++) {
		if (!md[a])
			continue;
		if (hq_digest_final_hex(md[a], d->hex[a]) < 0)
			return -EIO;
	}
	return 0;
}

/* One row for a regular file; anything else, or a file we cannot read, gives none. */
static int emit_hash(hq_query_ctx *ctx, hq_row_sink *sink, const char *path, const char *directory)
{
	_cleanup_free_ char *real = hq_path_below_root(ctx, path);
	if (!real)
		return hq_ctx_root(ctx)[0] != '\0' && path[0] != '/' ? 0 : -ENOMEM;

	struct stat st;
	if (stat(real, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;

	digests d = {0};
	bool any = false;
	for (int a = 0; a < _ALG_MAX; a++) {
		d.want[a] = hq_ctx_column_used(ctx, alg_column[a]);
		any = any || d.want[a];
	}
	if (any && !cache_lookup(real, &st, &d)) {
		struct stat read_st = {0};
		int r = hash_file(real, &d, &read_st);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			hq_log_debug("hash: cannot hash %s, skipping: %s", real, strerror(-r));
			return 0;
		}
		cache_store(real, &read_st, &d);
	}

	hq_row *row;
	int r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_PATH, path);
	hq_row_set_text(row, COL_DIRECTORY, directory);
	for (int a = 0; a < _ALG_MAX; a++)
		if (d.want[a])
			hq_row_set_text(row, alg_column[a], d.hex[a]);
	return hq_row_commit(sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	for (int a = 0; a < _ALG_MAX; a++) {
		if (!hq_ctx_column_used(ctx, alg_column[a]))
			continue;
		int r = hq_digest_load();
		if (r < 0)
			return hq_ctx_error(ctx, r,
					    "hash: no digests: libcrypto.so.3 cannot be loaded");
		break;
	}
	return hq_path_constraints_generate(ctx, sink, COL_PATH, HQ_GLOB_FILES, COL_DIRECTORY,
					    emit_hash);
}

const hq_table_def hq_table_hash = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "hash",
	.description = "Filesystem hash data.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_DIRECTONLY,
	.generate = generate,
};
