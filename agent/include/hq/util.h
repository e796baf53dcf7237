/* The small "basic" layer every part of hostq uses: cleanup attributes, ownership transfer,
 * errno helpers, safe number parsing and whole-file reads. Nothing here logs. */
#pragma once

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HQ_ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _likely_(x) __builtin_expect(!!(x), 1)
#define _unlikely_(x) __builtin_expect(!!(x), 0)

/* Take a pointer out of a cleanup-owned variable, leaving NULL behind. */
#define TAKE_PTR(p)                                                                                \
	({                                                                                         \
		typeof(p) _ptr_ = (p);                                                             \
		(p) = NULL;                                                                        \
		_ptr_;                                                                             \
	})

/* Take a file descriptor out of a cleanup-owned variable, leaving -EBADF behind. */
#define TAKE_FD(fd)                                                                                \
	({                                                                                         \
		int _fd_ = (fd);                                                                   \
		(fd) = -EBADF;                                                                     \
		_fd_;                                                                              \
	})

static inline void hq_freep(void *p)
{
	free(*(void **)p);
}

static inline void hq_closep(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
}

static inline void hq_fclosep(FILE **f)
{
	if (*f)
		(void)fclose(*f);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(hq_freep)
#define _cleanup_close_ _cleanup_(hq_closep)
#define _cleanup_fclose_ _cleanup_(hq_fclosep)

/* Defines func##p() for use with _cleanup_(), calling func(*p) when *p is not NULL. */
#define HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)                                                 \
	static inline void func##p(type *p)                                                        \
	{                                                                                          \
		if (*p)                                                                            \
			(void)func(*p);                                                            \
	}

/* Converts a libc -1/errno result into 0 or -errno, keeping positive results. */
#define RET_NERRNO(expr)                                                                           \
	({                                                                                         \
		long _r_ = (long)(expr);                                                           \
		_r_ < 0 ? -errno : (int)_r_;                                                       \
	})

static inline int hq_negative_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

static inline bool hq_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static inline bool hq_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Parses a whole decimal (or 0x-prefixed hex) integer; trailing garbage is -EINVAL, overflow
 * -ERANGE. ret is untouched on failure. */
int hq_safe_atoi64(const char *s, int64_t *ret);
int hq_safe_atou64(const char *s, uint64_t *ret);
int hq_safe_atoi(const char *s, int *ret);

/* Reads a whole file relative to dirfd (AT_FDCWD for paths). The buffer is NUL-terminated and
 * owned by the caller; max_size caps it (-E2BIG beyond). */
int hq_read_full_file_at(int dirfd, const char *path, size_t max_size, char **ret,
			 size_t *ret_size);

/* Reads up to size-1 bytes of a small file (procfs/sysfs) into a caller buffer in one read,
 * NUL-terminated. Returns the byte count or -errno. */
ssize_t hq_read_small_file_at(int dirfd, const char *path, char *buf, size_t size);

/* Strips trailing whitespace in place and returns s. */
char *hq_strstrip_trailing(char *s);

/* Growable string buffer with a hard cap (curl's dynbuf idea): a failed append frees nothing but
 * marks the buffer failed, so callers check once at the end. */
typedef struct hq_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int error; /* 0 or -ENOMEM / -E2BIG, sticky */
} hq_buf;

#define HQ_BUF_INIT(maxbytes)                                                                      \
	{                                                                                          \
		.max = (maxbytes)                                                                  \
	}
void hq_buf_append(hq_buf *b, const char *s, size_t n);
void hq_buf_puts(hq_buf *b, const char *s);
void hq_buf_putc(hq_buf *b, char c);
void hq_buf_printf(hq_buf *b, const char *fmt, ...) _printf_(2, 3);
void hq_buf_done(hq_buf *b);
/* Hands the NUL-terminated string to the caller and resets the buffer. */
char *hq_buf_steal(hq_buf *b);
