/* Parsers for per-process procfs files. Everything works on (pointer, end) pairs so that no
 * input, however truncated, makes a parser read past the buffer it was given. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "lib/procfs.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses an optionally negative decimal number at *p, skipping leading blanks. The number
 * must be followed by whitespace or the end of the buffer. Advances *p past it. */
static int parse_num(const char **p, const char *end, bool *ret_neg, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;
	bool neg = false;

	while (s < end && is_blank(*s))
		s++;
	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	if (s >= end || *s < '0' || *s > '9')
		return -EBADMSG;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EBADMSG;
		v = v * 10 + d;
	}
	if (s < end && !is_blank(*s) && *s != '\n')
		return -EBADMSG;
	*p = s;
	*ret_neg = neg;
	*ret = v;
	return 0;
}

static int parse_i64(const char **p, const char *end, int64_t *ret)
{
	uint64_t v;
	bool neg;
	int r;

	r = parse_num(p, end, &neg, &v);
	if (r < 0)
		return r;
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return -EBADMSG;
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

static int parse_u64(const char **p, const char *end, uint64_t *ret)
{
	uint64_t v;
	bool neg;
	int r;

	r = parse_num(p, end, &neg, &v);
	if (r < 0)
		return r;
	if (neg)
		return -EBADMSG;
	*ret = v;
	return 0;
}

int hq_procfs_parse_stat(const char *buf, size_t len, hq_proc_stat *ret)
{
	const char *end = buf + len, *open, *close, *p;
	hq_proc_stat st = {};
	int r;

	if (!buf || !ret)
		return -EINVAL;
	open = memchr(buf, '(', len);
	if (!open)
		return -EBADMSG;
	close = memrchr(open, ')', (size_t)(end - open));
	if (!close)
		return -EBADMSG;
	st.comm = open + 1;
	st.comm_len = (size_t)(close - open - 1);

	/* ") S ppid ..." */
	p = close + 1;
	if (end - p < 3 || p[0] != ' ' || p[2] != ' ')
		return -EBADMSG;
	st.state = p[1];
	p += 2;

	/* Fields 4 (ppid) .. 24 (rss), numbered as in proc(5); these are printed unsigned. */
	const uint32_t unsigned_fields = 1u << 9 | 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13 |
					 1u << 14 | 1u << 15 | 1u << 22 | 1u << 23;
	for (unsigned field = 4; field <= 24; field++) {
		int64_t i = 0;
		uint64_t u = 0;

		if (unsigned_fields & (1u << field))
			r = parse_u64(&p, end, &u);
		else
			r = parse_i64(&p, end, &i);
		if (r < 0)
			return r;
		switch (field) {
		case 4:
			st.ppid = i;
			break;
		case 5:
			st.pgrp = i;
			break;
		case 9:
			st.flags = u;
			break;
		case 14:
			st.utime = u;
			break;
		case 15:
			st.stime = u;
			break;
		case 19:
			st.nice = i;
			break;
		case 20:
			st.num_threads = i;
			break;
		case 22:
			st.starttime = u;
			break;
		case 23:
			st.vsize = u;
			break;
		case 24:
			st.rss = i;
			break;
		}
	}
	*ret = st;
	return 0;
}

/* The end of the line starting at p: its '\n', or end for an unterminated last line. */
static const char *line_end(const char *p, const char *end)
{
	const char *eol = memchr(p, '\n', (size_t)(end - p));

	return eol ? eol : end;
}

/* If the line [p, eol) starts with key (which includes the colon), returns the value start. */
static const char *line_value(const char *p, const char *eol, const char *key, size_t keylen)
{
	if ((size_t)(eol - p) < keylen || memcmp(p, key, keylen) != 0)
		return NULL;
	return p + keylen;
}

#define LINE_VALUE(p, eol, key) line_value((p), (eol), key, sizeof(key) - 1)

static int parse_id_triple(const char *p, const char *eol, int64_t ret[3])
{
	for (unsigned k = 0; k < 3; k++) {
		int r = parse_i64(&p, eol, &ret[k]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_kb(const char *p, const char *eol, int64_t *ret)
{
	int r;

	r = parse_i64(&p, eol, ret);
	if (r < 0)
		return r;
	while (p < eol && is_blank(*p))
		p++;
	if (eol - p != 2 || memcmp(p, "kB", 2) != 0)
		return -EBADMSG;
	return 0;
}

int hq_procfs_parse_status(const char *buf, size_t len, hq_proc_status *ret)
{
	const char *end = buf + len, *p = buf;
	hq_proc_status s = {};
	int r = 0;

	if (!buf || !ret)
		return -EINVAL;
	while (p < end) {
		const char *eol = line_end(p, end), *v;

		switch (*p) {
		case 'N':
			if ((v = LINE_VALUE(p, eol, "Name:"))) {
				while (v < eol && *v == '\t')
					v++;
				s.name = v;
				s.name_len = (size_t)(eol - v);
				s.fields |= HQ_PROC_STATUS_NAME;
			}
			break;
		case 'S':
			if ((v = LINE_VALUE(p, eol, "State:"))) {
				while (v < eol && is_blank(*v))
					v++;
				if (v >= eol)
					return -EBADMSG;
				s.state = *v;
				s.fields |= HQ_PROC_STATUS_STATE;
			}
			break;
		case 'P':
			if ((v = LINE_VALUE(p, eol, "PPid:"))) {
				r = parse_i64(&v, eol, &s.ppid);
				s.fields |= HQ_PROC_STATUS_PPID;
			}
			break;
		case 'K':
			if ((v = LINE_VALUE(p, eol, "Kthread:"))) {
				int64_t k = 0;
				r = parse_i64(&v, eol, &k);
				s.kthread = k != 0;
				s.fields |= HQ_PROC_STATUS_KTHREAD;
			}
			break;
		case 'U':
			if ((v = LINE_VALUE(p, eol, "Uid:"))) {
				r = parse_id_triple(v, eol, s.uid);
				s.fields |= HQ_PROC_STATUS_UID;
			}
			break;
		case 'G':
			if ((v = LINE_VALUE(p, eol, "Gid:"))) {
				r = parse_id_triple(v, eol, s.gid);
				s.fields |= HQ_PROC_STATUS_GID;
			}
			break;
		case 'T':
			if ((v = LINE_VALUE(p, eol, "Threads:"))) {
				r = parse_i64(&v, eol, &s.threads);
				s.fields |= HQ_PROC_STATUS_THREADS;
			}
			break;
		case 'V':
			if ((v = LINE_VALUE(p, eol, "VmRSS:"))) {
				r = parse_kb(v, eol, &s.vm_rss_kb);
				s.fields |= HQ_PROC_STATUS_VMRSS;
			} else if ((v = LINE_VALUE(p, eol, "VmSize:"))) {
				r = parse_kb(v, eol, &s.vm_size_kb);
				s.fields |= HQ_PROC_STATUS_VMSIZE;
			}
			break;
		}
		if (r < 0)
			return r;
		p = eol + 1;
	}
	if ((s.fields & (HQ_PROC_STATUS_UID | HQ_PROC_STATUS_GID)) !=
	    (HQ_PROC_STATUS_UID | HQ_PROC_STATUS_GID))
		return -EBADMSG;
	*ret = s;
	return 0;
}

size_t hq_procfs_unescape_name(const char *name, size_t len, char *out, size_t out_size)
{
	size_t o = 0;

	if (!name || !out)
		return 0;
	for (size_t i = 0; i < len && o < out_size; i++) {
		char c = name[i];

		if (c == '\\' && i + 1 < len && (name[i + 1] == 'n' || name[i + 1] == '\\')) {
			c = name[i + 1] == 'n' ? '\n' : '\\';
			i++;
		}
		out[o++] = c;
	}
	return o;
}

int hq_procfs_parse_io(const char *buf, size_t len, hq_proc_io *ret)
{
	const char *end = buf + len, *p = buf;
	hq_proc_io io = {};
	int r = 0;

	if (!buf || !ret)
		return -EINVAL;
	while (p < end) {
		const char *eol = line_end(p, end), *v;

		if ((v = LINE_VALUE(p, eol, "read_bytes:"))) {
			r = parse_u64(&v, eol, &io.read_bytes);
			io.fields |= HQ_PROC_IO_READ_BYTES;
		} else if ((v = LINE_VALUE(p, eol, "write_bytes:"))) {
			r = parse_u64(&v, eol, &io.write_bytes);
			io.fields |= HQ_PROC_IO_WRITE_BYTES;
		} else if ((v = LINE_VALUE(p, eol, "cancelled_write_bytes:"))) {
			r = parse_u64(&v, eol, &io.cancelled_write_bytes);
			io.fields |= HQ_PROC_IO_CANCELLED_WRITE_BYTES;
		}
		if (r < 0)
			return r;
		p = eol + 1;
	}
	if (io.fields == 0)
		return -EBADMSG;
	*ret = io;
	return 0;
}

size_t hq_procfs_cmdline_to_text(char *buf, size_t len)
{
	if (!buf)
		return 0;
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (char *p = buf, *end = buf + len; (p = memchr(p, '\0', (size_t)(end - p))); p++)
		*p = ' ';
	return len;
}

int hq_procfs_parse_cgroup(const char *buf, size_t len, const char **ret_path, size_t *ret_path_len)
{
	const char *end = buf + len, *p = buf, *first = NULL, *first_eol = NULL, *line, *eol;

	if (!buf || !ret_path || !ret_path_len)
		return -EINVAL;
	for (line = NULL; p < end; p = eol + 1) {
		eol = line_end(p, end);
		if (eol == p)
			continue;
		if (!first) {
			first = p;
			first_eol = eol;
		}
		if (eol - p >= 3 && memcmp(p, "0::", 3) == 0) {
			line = p;
			break;
		}
	}
	if (!line) {
		if (!first)
			return -ENODATA;
		line = first;
		eol = first_eol;
	}
	/* Skip "id:" and "controllers:"; the path itself may contain colons. */
	for (unsigned k = 0; k < 2; k++) {
		const char *c = memchr(line, ':', (size_t)(eol - line));
		if (!c)
			return -EBADMSG;
		line = c + 1;
	}
	*ret_path = line;
	*ret_path_len = (size_t)(eol - line);
	return 0;
}

int hq_procfs_parse_btime(const char *buf, size_t len, int64_t *ret)
{
	const char *end = buf + len, *p = buf;

	if (!buf || !ret)
		return -EINVAL;
	while (p < end) {
		const char *eol = line_end(p, end), *v;

		if ((v = LINE_VALUE(p, eol, "btime "))) {
			int64_t t;
			int r = parse_i64(&v, eol, &t);
			if (r < 0)
				return r;
			*ret = t;
			return 0;
		}
		p = eol + 1;
	}
	return -ENODATA;
}
