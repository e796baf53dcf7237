/* procfloor: the cheapest way this bench knows to read the process facts hostq's processes
 * table returns, used as the floor the table is measured against.
 *
 *   procfloor min|full|all [N]
 *
 * min:  stat, status, cmdline and the exe link (17 columns, TSV).
 * full: min + io, the cwd and root links and stat() of the exe path.
 * all:  full + cgroup and fstatat of the exe link (the same reads SELECT * FROM processes needs
 *       for on_disk and cgroup_path).
 * With N, the scan runs N times in one process and "best_us mean_us" goes to stderr.
 * Output goes through one 64 KiB buffer to stdout. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { MODE_MIN, MODE_FULL, MODE_ALL };

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

static void put(const char *s, size_t n)
{
	if (n > sizeof(out)) {
		flush_out();
		(void)!write(STDOUT_FILENO, s, n);
		return;
	}
	if (out_len + n > sizeof(out))
		flush_out();
	memcpy(out + out_len, s, n);
	out_len += n;
}

static void putstr(const char *s)
{
	put(s, strlen(s));
}

static void putnum(long long v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%lld", v);
	put(b, (size_t)n);
}

static void tab(void)
{
	put("\t", 1);
}

static ssize_t read_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static const char *field_after(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	return p ? p + strlen(key) : NULL;
}

static long long btime;
static long clk_tck;
static long page_size;

static void read_btime(int procfd)
{
	static char buf[65536];
	ssize_t n = read_at(procfd, "stat", buf, sizeof(buf));
	const char *b = n > 0 ? strstr(buf, "\nbtime ") : NULL;

	btime = b ? strtoll(b + 7, NULL, 10) : 0;
}

static void scan(int mode)
{
	static char stat_buf[4096], status_buf[8192], cmd_buf[65536], link[4200], buf[4096];
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fdopendir(dup(procfd));
	struct dirent *de;

	/* btime once per scan, like the table. */
	read_btime(procfd);

	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		int pfd = openat(procfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0)
			continue;
		ssize_t n = read_at(pfd, "stat", stat_buf, sizeof(stat_buf));
		char *open_p = n > 0 ? strchr(stat_buf, '(') : NULL;
		char *close_p = n > 0 ? strrchr(stat_buf, ')') : NULL;
		if (!open_p || !close_p) {
			close(pfd);
			continue;
		}
		*close_p = '\0';
		char state = close_p[2];
		char *p = close_p + 4;
		long long f[25] = {0};
		for (int i = 4; i <= 24 && *p; i++)
			f[i] = strtoll(p, &p, 10);

		long long uid[2] = {-1, -1}, gid[2] = {-1, -1};
		if (read_at(pfd, "status", status_buf, sizeof(status_buf)) > 0) {
			const char *u = field_after(status_buf, "\nUid:");
			const char *g = field_after(status_buf, "\nGid:");
			char *e;
			if (u) {
				uid[0] = strtoll(u, &e, 10);
				uid[1] = strtoll(e, NULL, 10);
			}
			if (g) {
				gid[0] = strtoll(g, &e, 10);
				gid[1] = strtoll(e, NULL, 10);
			}
		}

		putstr(de->d_name), tab();
		putnum(f[4]), tab();
		putnum(f[5]), tab();
		putstr(open_p + 1), tab();
		put(&state, 1), tab();
		putnum(uid[0]), tab();
		putnum(gid[0]), tab();
		putnum(uid[1]), tab();
		putnum(gid[1]), tab();
		putnum(f[20]), tab();
		putnum(f[19]), tab();
		putnum(f[14] * 1000 / clk_tck), tab();
		putnum(f[15] * 1000 / clk_tck), tab();
		putnum(btime + f[22] / clk_tck), tab();
		putnum(f[24] * page_size), tab();
		putnum(f[23]), tab();

		ssize_t ln = readlinkat(pfd, "exe", link, sizeof(link) - 1);
		if (ln < 0)
			ln = 0;
		link[ln] = '\0';
		put(link, (size_t)ln), tab();

		n = read_at(pfd, "cmdline", cmd_buf, sizeof(cmd_buf));
		if (n > 0) {
			while (n > 0 && cmd_buf[n - 1] == '\0')
				n--;
			for (ssize_t i = 0; i < n; i++)
				if (cmd_buf[i] == '\0')
					cmd_buf[i] = ' ';
			put(cmd_buf, (size_t)n);
		}

		if (mode >= MODE_FULL) {
			long long rb = -1, wb = -1;
			if (read_at(pfd, "io", buf, sizeof(buf)) > 0) {
				const char *r = field_after(buf, "read_bytes:");
				const char *w = field_after(buf, "\nwrite_bytes:");
				const char *c = field_after(buf, "cancelled_write_bytes:");
				if (r)
					rb = strtoll(r, NULL, 10);
				if (w)
					wb = strtoll(w, NULL, 10) - (c ? strtoll(c, NULL, 10) : 0);
			}
			tab(), putnum(rb), tab(), putnum(wb), tab();
			char l2[4200];
			ssize_t m = readlinkat(pfd, "cwd", l2, sizeof(l2));
			put(l2, m > 0 ? (size_t)m : 0), tab();
			m = readlinkat(pfd, "root", l2, sizeof(l2));
			put(l2, m > 0 ? (size_t)m : 0), tab();
			int on_disk = -1;
			struct stat st, st2;
			if (ln > 0) {
				on_disk = stat(link, &st) == 0;
				if (on_disk && mode == MODE_ALL)
					on_disk = fstatat(pfd, "exe", &st2, 0) == 0 &&
						  st.st_ino == st2.st_ino &&
						  st.st_dev == st2.st_dev;
			}
			putnum(on_disk);
			if (mode == MODE_ALL) {
				tab();
				n = read_at(pfd, "cgroup", buf, sizeof(buf));
				const char *cg = n > 0 ? strstr(buf, "0::") : NULL;
				if (cg) {
					const char *e = strchr(cg, '\n');
					put(cg + 3, e ? (size_t)(e - cg - 3) : strlen(cg + 3));
				}
			}
		}
		put("\n", 1);
		close(pfd);
	}
	closedir(d);
	close(procfd);
	flush_out();
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int mode, iters = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: procfloor min|full|all [N]\n");
		return 2;
	}
	if (strcmp(argv[1], "min") == 0)
		mode = MODE_MIN;
	else if (strcmp(argv[1], "full") == 0)
		mode = MODE_FULL;
	else if (strcmp(argv[1], "all") == 0)
		mode = MODE_ALL;
	else {
		fprintf(stderr, "unknown mode %s\n", argv[1]);
		return 2;
	}
	if (argc > 2)
		iters = atoi(argv[2]);

	clk_tck = sysconf(_SC_CLK_TCK);
	page_size = sysconf(_SC_PAGESIZE);
	if (iters <= 0) {
		scan(mode);
		return 0;
	}
	long long best = -1, total = 0;
	for (int i = 0; i < iters; i++) {
		long long t0 = now_ns();
		scan(mode);
		long long dt = now_ns() - t0;
		total += dt;
		if (best < 0 || dt < best)
			best = dt;
	}
	fprintf(stderr, "%.1f %.1f\n", best / 1000.0, total / 1000.0 / iters);
	return 0;
}
