/* Socket collection and inode -> (pid, fd) attribution for the socket tables (sockscan.h). */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

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
	uint64_t netns; /* tag for records of a foreign namespace, 0 for the reader's */
	const hq_sockscan_filter *filter; /* per-record protocol check for the packet list */
} collect_ctx;

static bool filter_wants(const hq_sockscan_filter *f, int family, int protocol);

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
	if (rec->family == AF_PACKET && !filter_wants(c->filter, rec->family, rec->protocol))
		return 0;
	if (set->n == set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 64;
		hq_sock_record *t = realloc(set->recs, ncap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		set->recs = t;
		set->cap = ncap;
	}
	set->recs[set->n] = *rec;
	set->recs[set->n++].netns = c->netns;
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
	/* Packet sockets (tcpdump, DHCP clients): a short list, read as text; protocol -1
	 * because each socket carries its own ethertype. Never "listening". */
	{AF_PACKET, -1, "net/packet", true, true},
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

/* Reads one /proc/net file; dir is "" for the reader's own, "<pid>/" for another
 * namespace. */
static int collect_procnet(const source *s, collect_ctx *c, int procfd, const char *dir)
{
	_cleanup_free_ char *buf = NULL;
	char path[48];
	size_t size = 0;
	int r;

	if (procfd < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s%s", dir, s->procnet);
	r = hq_read_full_file_at(procfd, path, PROCNET_MAX_BYTES, &buf, &size);
	if (r == -ENOENT)
		return s->optional || s->family == AF_INET6 ? 0 : r;
	if (r < 0)
		return r;
	if (s->family == AF_UNIX)
		return hq_procnet_parse_unix(buf, size, collect_one, c);
	if (s->family == AF_PACKET)
		return hq_procnet_parse_packet(buf, size, collect_one, c);
	return hq_procnet_parse_inet(buf, size, s->family, s->protocol, collect_one, c);
}

void hq_sockscan_filter_add(hq_sockscan_filter *f, bool is_family, bool is_eq, int64_t v)
{
	int64_t *arr = is_family ? (is_eq ? f->family_eq : f->family_ne)
				 : (is_eq ? f->protocol_eq : f->protocol_ne);
	size_t *n = is_family ? (is_eq ? &f->n_family_eq : &f->n_family_ne)
			      : (is_eq ? &f->n_protocol_eq : &f->n_protocol_ne);

	if (*n < HQ_SOCKSCAN_FILTER_MAX)
		arr[(*n)++] = v;
	else if (is_eq) /* too many values to remember: do not restrict */
		*(is_family ? &f->family_eq_overflow : &f->protocol_eq_overflow) = true;
}

void hq_sockscan_filter_from_ctx(hq_sockscan_filter *f, hq_query_ctx *ctx, int family_col,
				 int protocol_col)
{
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, family_col)
		if ((c->op == HQ_OP_EQ || c->op == HQ_OP_NE) && c->type == HQ_VALUE_INTEGER)
			hq_sockscan_filter_add(f, true, c->op == HQ_OP_EQ, c->i64);
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, protocol_col)
		if ((c->op == HQ_OP_EQ || c->op == HQ_OP_NE) && c->type == HQ_VALUE_INTEGER)
			hq_sockscan_filter_add(f, false, c->op == HQ_OP_EQ, c->i64);
}

static bool in_list(const int64_t *v, size_t n, int64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static bool filter_wants(const hq_sockscan_filter *f, int family, int protocol)
{
	if (!f)
		return true;
	if (in_list(f->family_ne, f->n_family_ne, family))
		return false;
	if (protocol < 0) /* varies per socket: only the family can rule the dump out */
		return !(f->n_family_eq && !f->family_eq_overflow &&
			 !in_list(f->family_eq, f->n_family_eq, family));
	if (in_list(f->protocol_ne, f->n_protocol_ne, protocol))
		return false;
	if (f->n_family_eq && !f->family_eq_overflow &&
	    !in_list(f->family_eq, f->n_family_eq, family))
		return false;
	if (f->n_protocol_eq && !f->protocol_eq_overflow &&
	    !in_list(f->protocol_eq, f->n_protocol_eq, protocol))
		return false;
	return true;
}

int hq_sockscan_collect(hq_sock_set *set, unsigned flags, const hq_sockscan_filter *filter,
			int procfd)
{
	_cleanup_close_ int nl = -EBADF;
	int r;

	set->flags = flags;
	set->filter = filter;
	if (!(flags & HQ_SOCKSCAN_PROCFS))
		nl = hq_sockdiag_open();
	for (size_t i = 0; i < HQ_ELEMENTSOF(sources); i++) {
		const source *s = &sources[i];
		collect_ctx c = {
			.set = set,
			.states = states_for(s, flags & HQ_SOCKSCAN_LISTENING),
			.listening = flags & HQ_SOCKSCAN_LISTENING,
			.filter = filter,
		};

		if ((s->family == AF_UNIX && (flags & HQ_SOCKSCAN_NO_UNIX)) ||
		    (s->family == AF_PACKET && (flags & HQ_SOCKSCAN_LISTENING)) ||
		    !filter_wants(filter, s->family, s->protocol))
			continue;
		if (nl >= 0 && !s->procnet_only) {
			size_t before = set->n;

			r = hq_sockdiag_dump(nl, s->family, s->protocol, c.states, collect_one, &c);
			if (r < 0 && r != -ENOMEM) {
				/* No diag module for this one (EPROTONOSUPPORT), or a sandbox that
				 * refuses sock_diag: the text file still lists it. After any other
				 * error the socket may hold unread replies, so drop it. */
				set->n = before;
				if (r != -EPROTONOSUPPORT && r != -EAFNOSUPPORT &&
				    r != -EOPNOTSUPP) {
					close(nl);
					nl = -EBADF;
				}
				r = collect_procnet(s, &c, procfd, "");
			}
		} else
			r = collect_procnet(s, &c, procfd, "");
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

/* struct linux_dirent64, read with getdents64 directly: fdopendir() would add an fcntl and
 * an fstat per process, a quarter of the syscalls of a whole-machine walk. */
struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Matches pid's socket fds against set; *unmatched is set when a socket is not in it (it may
 * live in another network namespace, or be of a kind not dumped, e.g. netlink). */
static int walk_pid(hq_sock_set *set, int procfd, int64_t pid, hq_sock_owner_fn fn, void *userdata,
		    bool *unmatched)
{
	_cleanup_close_ int fd = -EBADF;
	union {
		struct dirent64_raw d;
		char b[8192];
	} u;
	char path[40];
	long n;

	snprintf(path, sizeof(path), "%lld/fd", (long long)pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* gone, a kernel thread, or PID 1's EACCES: skip */
	while ((n = syscall(SYS_getdents64, fd, u.b, sizeof(u.b))) > 0) {
		for (long off = 0; off < n;) {
			const struct dirent64_raw *de = (const struct dirent64_raw *)(u.b + off);
			char link[64];
			ssize_t ln, idx;
			uint64_t inode = 0;
			int64_t fdnum = 0;
			bool bad = false;

			if (de->d_reclen == 0 || off + de->d_reclen > n)
				return 0;
			off += de->d_reclen;
			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			ln = readlinkat(fd, de->d_name, link, sizeof(link) - 1);
			/* "socket:[12345]" */
			if (ln < 10 || memcmp(link, "socket:[", 8) != 0 || link[ln - 1] != ']')
				continue;
			for (ssize_t i = 8; i < ln - 1 && !bad; i++) {
				if (link[i] < '0' || link[i] > '9' || inode > UINT64_MAX / 10)
					bad = true;
				else
					inode = inode * 10 + (uint64_t)(link[i] - '0');
			}
			for (const char *p = de->d_name; *p && !bad; p++) {
				if (*p < '0' || *p > '9' || fdnum > INT32_MAX)
					bad = true;
				else
					fdnum = fdnum * 10 + (*p - '0');
			}
			if (bad)
				continue;
			idx = find_inode(set, inode);
			if (idx < 0)
				*unmatched = true;
			for (; idx >= 0 && (size_t)idx < set->n && set->recs[idx].inode == inode;
			     idx++) {
				int r;

				set->owned[idx] = true;
				r = fn(&set->recs[idx], pid, fdnum, userdata);
				if (r != 0)
					return r;
			}
		}
	}
	return 0;
}

/* The inode of a "net:[N]" namespace link below procfd, or 0. */
static uint64_t netns_inode(int procfd, const char *path)
{
	char link[64];
	ssize_t n = readlinkat(procfd, path, link, sizeof(link) - 1);
	uint64_t v = 0;
	const char *p;

	if (n <= 0)
		return 0;
	link[n] = '\0';
	p = strchr(link, '[');
	if (!p)
		return 0;
	for (p++; *p >= '0' && *p <= '9' && v < UINT64_MAX / 10; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return *p == ']' ? v : 0;
}

/* Adds to foreign the sockets of pid's network namespace unless it is the reader's or one
 * already loaded. Returns its inode (0 when not foreign or unknown) or -errno. */
static int64_t load_foreign_netns(hq_sock_set *foreign, int procfd, int64_t pid, uint64_t own,
				  uint64_t **seen, size_t *n_seen)
{
	char path[40];
	uint64_t ns;
	uint64_t *t;

	snprintf(path, sizeof(path), "%lld/ns/net", (long long)pid);
	ns = netns_inode(procfd, path);
	if (ns == 0 || ns == own || ns > INT64_MAX)
		return 0;
	for (size_t i = 0; i < *n_seen; i++)
		if ((*seen)[i] == ns)
			return (int64_t)ns;
	t = realloc(*seen, (*n_seen + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	*seen = t;
	(*seen)[(*n_seen)++] = ns;

	snprintf(path, sizeof(path), "%lld/", (long long)pid);
	for (size_t i = 0; i < HQ_ELEMENTSOF(sources); i++) {
		const source *s = &sources[i];
		collect_ctx c = {
			.set = foreign,
			.states = states_for(s, foreign->flags & HQ_SOCKSCAN_LISTENING),
			.listening = foreign->flags & HQ_SOCKSCAN_LISTENING,
			.netns = ns,
			.filter = foreign->filter,
		};
		int r;

		if ((s->family == AF_UNIX && (foreign->flags & HQ_SOCKSCAN_NO_UNIX)) ||
		    (s->family == AF_PACKET && (foreign->flags & HQ_SOCKSCAN_LISTENING)) ||
		    !filter_wants(foreign->filter, s->family, s->protocol))
			continue;
		r = collect_procnet(s, &c, procfd, path);
		/* The process may exit meanwhile; its namespace is then simply not listed. */
		if (r < 0 && r != -ENOENT && r != -ESRCH && r != -EACCES && r != -EINVAL)
			return r;
	}
	return (int64_t)ns;
}

static int list_pids(int procfd, int64_t **ret, size_t *ret_n)
{
	_cleanup_(closedirp) DIR *d = NULL;
	int64_t *all = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd, r;

	fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			int64_t *t = realloc(all, ncap * sizeof(*t));

			if (!t) {
				free(all);
				return -ENOMEM;
			}
			all = t;
			cap = ncap;
		}
		all[n++] = pid;
	}
	*ret = all;
	*ret_n = n;
	return 0;
}

static int prepare(hq_sock_set *set)
{
	if (set->n > 0)
		qsort(set->recs, set->n, sizeof(*set->recs), cmp_inode);
	free(set->owned);
	set->owned = calloc(set->n ? set->n : 1, sizeof(*set->owned));
	return set->owned ? 0 : -ENOMEM;
}

int hq_sockscan_owners(hq_sock_set *set, int procfd, const int64_t *pids, size_t n_pids,
		       hq_sock_owner_fn fn, void *userdata)
{
	_cleanup_free_ int64_t *all = NULL, *cand = NULL;
	_cleanup_free_ uint64_t *seen = NULL;
	hq_sock_set foreign = {.flags = set->flags, .filter = set->filter};
	size_t n_cand = 0, n_seen = 0;
	bool any_foreign = false;
	uint64_t own;
	int r;

	r = prepare(set);
	if (r < 0 || procfd < 0)
		return r;
	if (!pids) {
		r = list_pids(procfd, &all, &n_pids);
		if (r < 0)
			return r;
		pids = all;
	}
	cand = calloc(n_pids ? n_pids : 1, sizeof(*cand));
	if (!cand)
		return -ENOMEM;
	for (size_t i = 0; i < n_pids; i++) {
		bool unmatched = false;

		if (pids[i] <= 0)
			continue;
		r = walk_pid(set, procfd, pids[i], fn, userdata, &unmatched);
		if (r != 0)
			return r;
		/* Only processes holding sockets netlink did not report can live in another
		 * network namespace worth reading. */
		if (unmatched)
			cand[n_cand++] = pids[i];
	}
	if (n_cand == 0)
		return 0;

	own = netns_inode(procfd, "self/ns/net");
	for (size_t i = 0; i < n_cand; i++) {
		int64_t ns = load_foreign_netns(&foreign, procfd, cand[i], own, &seen, &n_seen);

		if (ns < 0) {
			hq_sock_set_done(&foreign);
			return (int)ns;
		}
		if (ns == 0)
			cand[i] = 0; /* the reader's namespace: nothing more to match */
		else
			any_foreign = true;
	}
	if (any_foreign) {
		r = prepare(&foreign);
		for (size_t i = 0; i < n_cand && r == 0; i++) {
			bool unmatched = false;

			if (cand[i] > 0)
				r = walk_pid(&foreign, procfd, cand[i], fn, userdata, &unmatched);
		}
		/* Keep the foreign records (and whether they were owned) for the caller's
		 * unowned pass. */
		if (r == 0 && foreign.n > 0) {
			hq_sock_record *t = realloc(set->recs, (set->n + foreign.n) * sizeof(*t));
			bool *o = t ? realloc(set->owned, (set->n + foreign.n) * sizeof(*o)) : NULL;

			if (t)
				set->recs = t;
			if (o)
				set->owned = o;
			if (!t || !o)
				r = -ENOMEM;
			else {
				memcpy(set->recs + set->n, foreign.recs, foreign.n * sizeof(*t));
				memcpy(set->owned + set->n, foreign.owned, foreign.n * sizeof(*o));
				set->n += foreign.n;
				set->cap = set->n;
			}
		}
	}
	hq_sock_set_done(&foreign);
	return r;
}

int hq_sockscan_report(hq_sock_set *set, int procfd, bool need_owners, const int64_t *pids,
		       size_t n_pids, bool want_unowned, hq_sock_owner_fn fn, void *userdata)
{
	int r = 0;

	if (need_owners) {
		r = hq_sockscan_owners(set, procfd, pids, n_pids, fn, userdata);
		if (r != 0 || !want_unowned)
			return r;
	}
	for (size_t i = 0; i < set->n && r == 0; i++)
		if (!need_owners || !set->owned[i])
			r = fn(&set->recs[i], -1, -1, userdata);
	return r;
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
