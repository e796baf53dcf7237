/* Implementation of the basic layer declared in hq/util.h. */
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "hq/util.h"

int hq_safe_atoi64(const char *s, int64_t *ret)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int hq_safe_atou64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int hq_safe_atoi(const char *s, int *ret)
{
	int64_t v;
	int r = hq_safe_atoi64(s, &v);

	if (r < 0)
		return r;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int hq_read_full_file_at(int dirfd, const char *path, size_t max_size, char **ret, size_t *ret_size)
{
	_cleanup_close_ int fd = -EBADF;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap;
	struct stat st;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	/* procfs and sysfs report size 0 or a page; start small and grow. */
	cap = st.st_size > 0 && (size_t)st.st_size < max_size ? (size_t)st.st_size + 1 : 4096;
	if (cap > max_size + 1)
		cap = max_size + 1;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			size_t ncap;
			char *nbuf;

			if (len >= max_size)
				return -E2BIG;
			ncap = cap * 2 > max_size + 1 ? max_size + 1 : cap * 2;
			nbuf = realloc(buf, ncap);
			if (!nbuf)
				return -ENOMEM;
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (ret_size)
		*ret_size = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

ssize_t hq_read_small_file_at(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = -EBADF;
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

char *hq_strstrip_trailing(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	return s;
}

static bool hq_buf_reserve(hq_buf *b, size_t extra)
{
	size_t need, ncap;
	char *n;

	if (b->error)
		return false;
	need = b->len + extra + 1;
	if (need < b->len || (b->max && need > b->max + 1)) {
		b->error = -E2BIG;
		return false;
	}
	if (need <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (b->max && ncap > b->max + 1)
		ncap = b->max + 1;
	n = realloc(b->data, ncap);
	if (!n) {
		b->error = -ENOMEM;
		return false;
	}
	b->data = n;
	b->cap = ncap;
	return true;
}

void hq_buf_append(hq_buf *b, const char *s, size_t n)
{
	if (!hq_buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void hq_buf_puts(hq_buf *b, const char *s)
{
	hq_buf_append(b, s, strlen(s));
}

void hq_buf_putc(hq_buf *b, char c)
{
	hq_buf_append(b, &c, 1);
}

void hq_buf_printf(hq_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->error = -EINVAL;
		return;
	}
	if (!hq_buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void hq_buf_done(hq_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->error = 0;
}

char *hq_buf_steal(hq_buf *b)
{
	char *s;

	if (!b->data && !b->error)
		hq_buf_reserve(b, 0);
	if (b->error)
		return NULL;
	s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}
