/* netpkgfloor: the cheapest way this bench knows to produce what listening_ports and
 * deb_packages return, used as the floors those tables are measured against in-process.
 *
 *   netpkgfloor nl|nlpids|dpkg [N]
 *
 * nl:     NETLINK_SOCK_DIAG dumps of TCP LISTEN and unconnected UDP, IPv4 and IPv6, printing
 *         "proto addr port inode" (what `ss -ltnu` reads).
 * nlpids: nl + a /proc/<pid>/fd walk (getdents64 + readlinkat) mapping socket inodes to
 *         (pid, fd) by binary search (what `ss -ltnup` adds).
 * dpkg:   mmap of /var/lib/dpkg/status and a line scan printing Package and Version.
 * With N, the work runs N times in one process and "best_us mean_us" goes to stderr. Output
 * goes through one 64 KiB buffer to stdout. */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char out[65536];
static size_t out_len;

static void flush_out(void)
{
	size_t off = 0;

	while (off < out_len) {
		ssize_t n = write(STDOUT_FILENO, out + off, out_len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	out_len = 0;
}

static void emit(const char *s, size_t n)
{
	if (out_len + n > sizeof(out))
		flush_out();
	if (n > sizeof(out))
		n = sizeof(out);
	memcpy(out + out_len, s, n);
	out_len += n;
}

typedef struct sock {
	uint64_t inode;
	int proto, family;
	uint8_t addr[16];
	uint16_t port;
} sock;

static sock socks[65536];
static size_t n_socks;

static void dump(int fd, int family, int proto, uint32_t states)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
		.h = {.nlmsg_len = sizeof(req),
		      .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		      .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
		.r = {.sdiag_family = (uint8_t)family,
		      .sdiag_protocol = (uint8_t)proto,
		      .idiag_states = states},
	};
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	static char buf[32768];

	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n <= 0)
			return;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			struct inet_diag_msg *m = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				return;
			if (n_socks < sizeof(socks) / sizeof(socks[0])) {
				sock *s = &socks[n_socks++];

				s->inode = m->idiag_inode;
				s->proto = proto;
				s->family = m->idiag_family;
				memcpy(s->addr, m->id.idiag_src, 16);
				s->port = ntohs(m->id.idiag_sport);
			}
		}
	}
}

static int cmp_sock(const void *a, const void *b)
{
	const sock *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static void run_nl(int pids)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	char line[128];

	n_socks = 0;
	if (fd < 0)
		return;
	dump(fd, AF_INET, IPPROTO_TCP, 1u << 10);
	dump(fd, AF_INET6, IPPROTO_TCP, 1u << 10);
	dump(fd, AF_INET, IPPROTO_UDP, 1u << 7);
	dump(fd, AF_INET6, IPPROTO_UDP, 1u << 7);
	close(fd);
	if (!pids) {
		for (size_t i = 0; i < n_socks; i++) {
			char a[INET6_ADDRSTRLEN];

			inet_ntop(socks[i].family, socks[i].addr, a, sizeof(a));
			emit(line, (size_t)snprintf(line, sizeof(line), "%d %s %u %llu\n",
						    socks[i].proto, a, socks[i].port,
						    (unsigned long long)socks[i].inode));
		}
		return;
	}
	qsort(socks, n_socks, sizeof(sock), cmp_sock);
	DIR *d = opendir("/proc");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char path[300], b[8192];
		long n;
		int dfd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", de->d_name);
		dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		while ((n = syscall(SYS_getdents64, dfd, b, sizeof(b))) > 0) {
			for (long off = 0; off < n;) {
				struct {
					uint64_t ino;
					int64_t off;
					unsigned short reclen;
					unsigned char type;
					char name[];
				} *e = (void *)(b + off);
				char link[64];
				ssize_t l;

				off += e->reclen;
				if (e->name[0] < '0' || e->name[0] > '9')
					continue;
				l = readlinkat(dfd, e->name, link, sizeof(link) - 1);
				if (l < 10 || memcmp(link, "socket:[", 8) != 0)
					continue;
				link[l - 1] = '\0';
				sock key = {.inode = strtoull(link + 8, NULL, 10)};
				sock *s = bsearch(&key, socks, n_socks, sizeof(sock), cmp_sock);

				if (s) {
					char a[INET6_ADDRSTRLEN];

					inet_ntop(s->family, s->addr, a, sizeof(a));
					emit(line, (size_t)snprintf(line, sizeof(line),
								    "%s %s %d %s %u\n", de->d_name,
								    e->name, s->proto, a, s->port));
				}
			}
		}
		close(dfd);
	}
	if (d)
		closedir(d);
}

static void run_dpkg(void)
{
	int fd = open("/var/lib/dpkg/status", O_RDONLY | O_CLOEXEC);
	struct stat st;
	const char *p, *end, *name = NULL, *ver = NULL;
	size_t nlen = 0, vlen = 0;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return;
	const char *base = p;

	end = p + st.st_size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		if (e == p) { /* blank line ends the stanza */
			if (name && ver) {
				emit(name, nlen);
				emit(" ", 1);
				emit(ver, vlen);
				emit("\n", 1);
			}
			name = ver = NULL;
		} else if (e - p > 9 && memcmp(p, "Package: ", 9) == 0) {
			name = p + 9;
			nlen = (size_t)(e - name);
		} else if (e - p > 9 && memcmp(p, "Version: ", 9) == 0) {
			ver = p + 9;
			vlen = (size_t)(e - ver);
		}
		p = e + 1;
	}
	if (name && ver) {
		emit(name, nlen);
		emit(" ", 1);
		emit(ver, vlen);
		emit("\n", 1);
	}
	munmap((void *)base, (size_t)st.st_size);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
	long long best = -1, total = 0;
	int mode;

	if (argc < 2) {
		fprintf(stderr, "usage: netpkgfloor nl|nlpids|dpkg [N]\n");
		return 2;
	}
	mode = strcmp(argv[1], "nl") == 0 ? 0 : strcmp(argv[1], "nlpids") == 0 ? 1 : 2;
	if (n < 1)
		n = 1;
	for (long i = 0; i < n; i++) {
		long long t0 = now_ns(), dt;

		if (mode == 2)
			run_dpkg();
		else
			run_nl(mode == 1);
		flush_out();
		dt = now_ns() - t0;
		total += dt;
		if (best < 0 || dt < best)
			best = dt;
	}
	if (argc > 2)
		fprintf(stderr, "%.1f %.1f\n", best / 1000.0, total / 1000.0 / n);
	return 0;
}
