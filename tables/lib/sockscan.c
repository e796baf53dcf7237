/* Socket collection and inode -> (pid, fd) attribution for the socket tables (sockscan.h). */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/sockscan.h"

#define TCP_LISTEN_STATE 10
#define TCP_CLOSE_STATE 7
#define PROCNET_MAX_BYTES (256u << 20)

void hq_sock_set_done(hq_sock_set *set)
{
	free(set->recs);
	free(set->owned);
	*set = (hq_sock_set){};
}

typedef struct collect_ctx {
	hq_sock_set *set;
	uint32_t states;
	bool listening;
} collect_ctx;

static int collect_one(const hq_sock_record *rec, void *userdata)
{
	collect_ctx *c = userdata;
	hq_sock_set *set = c->set;

	if (rec->state >= 0 && rec->state < 32 && !(c->states & (1u << rec->state)))
		return 0;
	if (c->listening) {
		if (rec->family == AF_UNIX ? rec->path[0] == '\0' : rec->dport != 0)
			return 0;
	}
	if (set->n == set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 64;
		hq_sock_record *t = realloc(set->recs, ncap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		set->recs = t;
		set->cap = ncap;
	}
	set->recs[set->n++] = *rec;
	return 0;
}

typedef struct source {
	int family;
	int protocol;
	const char *procnet; /* fallback file below /proc */
	bool optional;	     /* absent without IPv6 or raw support */
	bool procnet_only;   /* see below */
} source;

/* raw_diag matches one protocol number per request (a dump for IPPROTO_RAW returns only
 * IPPROTO_RAW sockets, not ICMP ones), so raw sockets come from /proc/net/raw{,6}, whose
 * 256-bucket hash is cheap to print, unlike the TCP established hash. */
static const source sources[] = {
	{AF_INET, IPPROTO_TCP, "net/tcp", false, false},
	{AF_INET6, IPPROTO_TCP, "net/tcp6", false, false},
	{AF_INET, IPPROTO_UDP, "net/udp", false, false},
	{AF_INET6, IPPROTO_UDP, "net/udp6", false, false},
	{AF_INET, IPPROTO_RAW, "net/raw", true, true},
	{AF_INET6, IPPROTO_RAW, "net/raw6", true, true},
	{AF_UNIX, 0, "net/unix", false, false},
};

static uint32_t states_for(const source *s, bool listening)
{
	if (!listening)
		return ~0u;
	if (s->protocol == IPPROTO_TCP)
		return 1u << TCP_LISTEN_STATE;
	if (s->protocol == IPPROTO_UDP)
		return 1u << TCP_CLOSE_STATE;
	return ~0u;
}

static int collect_procnet(const source *s, collect_ctx *c, int procfd)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0;
	int r;

	if (procfd < 0)
		return -ENOENT;
	r = hq_read_full_file_at(procfd, s->procnet, PROCNET_MAX_BYTES, &buf, &size);
	if (r == -ENOENT)
		return s->optional || s->family == AF_INET6 ? 0 : r;
	if (r < 0)
		return r;
	if (s->family == AF_UNIX)
		return hq_procnet_parse_unix(buf, size, collect_one, c);
	return hq_procnet_parse_inet(buf, size, s->family, s->protocol, collect_one, c);
}

int hq_sockscan_collect(hq_sock_set *set, unsigned flags, int procfd)
{
	_cleanup_close_ int nl = hq_sockdiag_open();
	int r;

	for (size_t i = 0; i < HQ_ELEMENTSOF(sources); i++) {
		const source *s = &sources[i];
		collect_ctx c = {
			.set = set,
			.states = states_for(s, flags & HQ_SOCKSCAN_LISTENING),
			.listening = flags & HQ_SOCKSCAN_LISTENING,
		};

		if (s->family == AF_UNIX && (flags & HQ_SOCKSCAN_NO_UNIX))
			continue;
		if (nl >= 0 && !s->procnet_only) {
			size_t before = set->n;

			r = hq_sockdiag_dump(nl, s->family, s->protocol, c.states, collect_one, &c);
			if (r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT || r == -EOPNOTSUPP) {
				/* No diag module for this one: the text file still lists it. */
				set->n = before;
				r = collect_procnet(s, &c, procfd);
			}
		} else
			r = collect_procnet(s, &c, procfd);
		if (r < 0)
			return r;
	}
	return 0;
}

static int cmp_inode(const void *a, const void *b)
{
	const hq_sock_record *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

/* Index of the first record with this inode, or -1. */
static ssize_t find_inode(const hq_sock_set *set, uint64_t inode)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->recs[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < set->n && set->recs[lo].inode == inode ? (ssize_t)lo : -1;
}

HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);

static int walk_pid(hq_sock_set *set, int procfd, int64_t pid, hq_sock_owner_fn fn, void *userdata)
{
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	char path[40];
	int fd;

	snprintf(path, sizeof(path), "%lld/fd", (long long)pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* gone, a kernel thread, or PID 1's EACCES: skip */
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		char link[64];
		ssize_t n;
		uint64_t inode = 0;
		int64_t fdnum = 0;
		ssize_t idx;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		/* "socket:[12345]" */
		if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
			continue;
		for (ssize_t i = 8; i < n - 1; i++) {
			if (link[i] < '0' || link[i] > '9' || inode > UINT64_MAX / 10)
				goto next;
			inode = inode * 10 + (uint64_t)(link[i] - '0');
		}
		for (const char *p = de->d_name; *p; p++) {
			if (*p < '0' || *p > '9' || fdnum > INT32_MAX)
				goto next;
			fdnum = fdnum * 10 + (*p - '0');
		}
		idx = find_inode(set, inode);
		for (; idx >= 0 && (size_t)idx < set->n && set->recs[idx].inode == inode; idx++) {
			int r;

			set->owned[idx] = true;
			r = fn((size_t)idx, pid, fdnum, userdata);
			if (r != 0)
				return r;
		}
	next:;
	}
	return 0;
}

int hq_sockscan_owners(hq_sock_set *set, int procfd, const int64_t *pids, size_t n_pids,
		       hq_sock_owner_fn fn, void *userdata)
{
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	int r;

	if (set->n > 0)
		qsort(set->recs, set->n, sizeof(*set->recs), cmp_inode);
	free(set->owned);
	set->owned = calloc(set->n ? set->n : 1, sizeof(*set->owned));
	if (!set->owned)
		return -ENOMEM;
	if (procfd < 0)
		return 0;
	if (pids) {
		for (size_t i = 0; i < n_pids; i++) {
			if (pids[i] <= 0)
				continue;
			r = walk_pid(set, procfd, pids[i], fn, userdata);
			if (r != 0)
				return r;
		}
		return 0;
	}

	int fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((de = readdir(d))) {
		int64_t pid = 0;
		const char *p = de->d_name;

		for (; *p >= '0' && *p <= '9' && pid < INT32_MAX; p++)
			pid = pid * 10 + (*p - '0');
		if (*p || pid <= 0)
			continue;
		r = walk_pid(set, procfd, pid, fn, userdata);
		if (r != 0)
			return r;
	}
	return 0;
}

void hq_sockscan_netns(int procfd, char *buf, size_t size)
{
	char link[64];
	ssize_t n = procfd >= 0 ? readlinkat(procfd, "self/ns/net", link, sizeof(link) - 1) : -1;
	const char *lb, *rb;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (n <= 0)
		return;
	link[n] = '\0';
	/* "net:[4026531840]" */
	lb = strchr(link, '[');
	rb = lb ? strchr(lb, ']') : NULL;
	if (lb && rb && (size_t)(rb - lb - 1) < size) {
		memcpy(buf, lb + 1, (size_t)(rb - lb - 1));
		buf[rb - lb - 1] = '\0';
	}
}
