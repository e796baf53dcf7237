/* sock_diag netlink dump and parsers, and the /proc/net fallback parsers (sockdiag.h). Wire
 * structs come from the kernel UAPI headers; every message and attribute length is checked
 * against the bytes actually received before it is read. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hq/util.h"
#include "lib/rtnl.h"
#include "lib/sockdiag.h"

static int parse_inet(const struct inet_diag_msg *m, int protocol, hq_sock_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->family = m->idiag_family;
	if (rec->family != AF_INET && rec->family != AF_INET6)
		return -EBADMSG;
	rec->protocol = protocol;
	rec->state = m->idiag_state;
	rec->sport = ntohs(m->id.idiag_sport);
	rec->dport = ntohs(m->id.idiag_dport);
	memcpy(rec->src, m->id.idiag_src, rec->family == AF_INET ? 4 : 16);
	memcpy(rec->dst, m->id.idiag_dst, rec->family == AF_INET ? 4 : 16);
	rec->inode = m->idiag_inode;
	rec->uid = m->idiag_uid;
	return 0;
}

static void set_unix_path(hq_sock_record *rec, const char *p, size_t n)
{
	size_t o = 0;

	/* sun_path may or may not be NUL-terminated; an abstract name starts with NUL and may
	 * hold more NULs, which ss and /proc/net/unix show as '@'. */
	if (n > 0 && p[0] != '\0') {
		const char *nul = memchr(p, '\0', n);

		if (nul)
			n = (size_t)(nul - p);
	}
	for (size_t i = 0; i < n && o + 1 < sizeof(rec->path); i++)
		rec->path[o++] = p[i] == '\0' ? '@' : p[i];
	rec->path[o] = '\0';
}

static int parse_unix(const struct unix_diag_msg *m, const uint8_t *attrs, size_t alen,
		      hq_sock_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->family = AF_UNIX;
	rec->type = m->udiag_type;
	rec->state = m->udiag_state;
	rec->inode = m->udiag_ino;
	while (alen >= sizeof(struct rtattr)) {
		const struct rtattr *a = (const struct rtattr *)attrs;
		size_t l = a->rta_len, step = RTA_ALIGN(l);

		if (l < sizeof(struct rtattr) || l > alen)
			return -EBADMSG;
		if (a->rta_type == UNIX_DIAG_NAME)
			set_unix_path(rec, (const char *)RTA_DATA(a), l - RTA_LENGTH(0));
		if (step >= alen)
			break;
		attrs += step;
		alen -= step;
	}
	return 0;
}

typedef struct sockdiag_cb {
	int protocol;
	hq_sock_record_fn fn;
	void *userdata;
} sockdiag_cb;

static int on_sockdiag_msg(uint16_t type, const uint8_t *payload, size_t plen, void *userdata)
{
	const sockdiag_cb *cb = userdata;
	hq_sock_record rec;
	int r;

	if (type != SOCK_DIAG_BY_FAMILY)
		return 0;
	if (plen < 1)
		return -EBADMSG;
	if (payload[0] == AF_UNIX) {
		const struct unix_diag_msg *m = (const struct unix_diag_msg *)payload;
		size_t hl = NLMSG_ALIGN(sizeof(*m));

		if (plen < sizeof(*m))
			return -EBADMSG;
		r = parse_unix(m, payload + hl, plen > hl ? plen - hl : 0, &rec);
	} else {
		if (plen < sizeof(struct inet_diag_msg))
			return -EBADMSG;
		r = parse_inet((const struct inet_diag_msg *)payload, cb->protocol, &rec);
	}
	if (r < 0)
		return r;
	return cb->fn(&rec, cb->userdata);
}

int hq_sockdiag_parse(const void *buf, size_t len, int protocol, hq_sock_record_fn fn,
		      void *userdata)
{
	sockdiag_cb cb = {protocol, fn, userdata};

	return hq_nlmsg_walk(buf, len, on_sockdiag_msg, &cb);
}

int hq_sockdiag_build_request(void *buf, size_t size, int family, int protocol, uint32_t states,
			      uint32_t seq)
{
	struct nlmsghdr *h = buf;
	size_t body =
		family == AF_UNIX ? sizeof(struct unix_diag_req) : sizeof(struct inet_diag_req_v2);
	size_t total = NLMSG_LENGTH(body);

	if (size < total || (family != AF_UNIX && family != AF_INET && family != AF_INET6))
		return -EINVAL;
	memset(buf, 0, total);
	h->nlmsg_len = (uint32_t)total;
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = seq;
	if (family == AF_UNIX) {
		struct unix_diag_req *u = NLMSG_DATA(h);

		u->sdiag_family = AF_UNIX;
		u->udiag_states = states;
		u->udiag_show = UDIAG_SHOW_NAME;
	} else {
		struct inet_diag_req_v2 *q = NLMSG_DATA(h);

		q->sdiag_family = (uint8_t)family;
		q->sdiag_protocol = (uint8_t)protocol;
		q->idiag_states = states;
		/* raw_diag reads the byte after idiag_ext as the raw protocol to match (struct
		 * inet_diag_req_raw); IPPROTO_RAW there asks for raw sockets of every protocol. */
		if (protocol == IPPROTO_RAW)
			q->pad = IPPROTO_RAW;
	}
	return (int)total;
}

int hq_sockdiag_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	return fd < 0 ? -errno : fd;
}

int hq_sockdiag_dump(int fd, int family, int protocol, uint32_t states, hq_sock_record_fn fn,
		     void *userdata)
{
	_cleanup_close_ int own = -EBADF;
	sockdiag_cb cb = {protocol, fn, userdata};
	uint8_t req[128];
	int len, r;

	if (fd < 0) {
		own = hq_sockdiag_open();
		if (own < 0)
			return own;
		fd = own;
	}
	len = hq_sockdiag_build_request(req, sizeof(req), family, protocol, states, 1);
	if (len < 0)
		return len;
	r = hq_nl_dump(fd, req, (size_t)len, on_sockdiag_msg, &cb);
	/* The kernel answers a dump for a missing diag module with ENOENT. */
	if (r == -ENOENT)
		r = -EPROTONOSUPPORT;
	return r;
}

/* Parses n hex digits at s; false on a non-hex digit. */
static bool hex_n(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*ret = v;
	return true;
}

/* "0100007F:1F90": address words in kernel memory order, port in host order. */
static bool parse_hex_endpoint(const char *s, size_t n, int family, uint8_t addr[16],
			       uint16_t *port)
{
	size_t alen = family == AF_INET ? 8 : 32;
	uint64_t v;

	if (n != alen + 5 || s[alen] != ':')
		return false;
	for (size_t w = 0; w < alen / 8; w++) {
		uint32_t word;

		if (!hex_n(s + w * 8, 8, &v))
			return false;
		word = (uint32_t)v;
		memcpy(addr + w * 4, &word, 4);
	}
	if (!hex_n(s + alen + 1, 4, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

/* Splits a line into up to max whitespace-separated fields. */
static size_t split_fields(const char *line, size_t len, const char **f, size_t *fl, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		size_t s;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len)
			break;
		s = i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		f[n] = line + s;
		fl[n] = i - s;
		n++;
	}
	return n;
}

static bool dec_field(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0 || n > 19)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = v;
	return true;
}

/* Steps *pos (0 at the start) to the next line of a /proc/net table, skipping the header
 * line. Returns false at the end of buf. */
static bool next_row(const char *buf, size_t len, size_t *pos, const char **ret_line,
		     size_t *ret_len)
{
	for (;;) {
		size_t i = *pos, e;
		const char *nl;

		if (i >= len)
			return false;
		nl = memchr(buf + i, '\n', len - i);
		e = nl ? (size_t)(nl - buf) : len;
		*pos = e + 1;
		if (i == 0)
			continue; /* the header */
		*ret_line = buf + i;
		*ret_len = e - i;
		return true;
	}
}

int hq_procnet_parse_inet(const char *buf, size_t len, int family, int protocol,
			  hq_sock_record_fn fn, void *userdata)
{
	const char *line;
	size_t pos = 0, n;

	while (next_row(buf, len, &pos, &line, &n)) {
		const char *f[10];
		size_t fl[10];
		hq_sock_record rec = {};
		uint64_t st, uid, ino;
		int r;

		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		if (split_fields(line, n, f, fl, 10) < 10)
			continue;
		rec.family = family;
		rec.protocol = protocol;
		if (!parse_hex_endpoint(f[1], fl[1], family, rec.src, &rec.sport) ||
		    !parse_hex_endpoint(f[2], fl[2], family, rec.dst, &rec.dport) || fl[3] != 2 ||
		    !hex_n(f[3], 2, &st) || !dec_field(f[7], fl[7], &uid) ||
		    !dec_field(f[9], fl[9], &ino))
			continue;
		rec.state = (int)st;
		rec.uid = (uint32_t)uid;
		rec.inode = ino;
		r = fn(&rec, userdata);
		if (r != 0)
			return r;
	}
	return 0;
}

int hq_procnet_parse_unix(const char *buf, size_t len, hq_sock_record_fn fn, void *userdata)
{
	const char *line;
	size_t pos = 0, n;

	while (next_row(buf, len, &pos, &line, &n)) {
		const char *f[8];
		size_t fl[8], nf;
		hq_sock_record rec = {};
		uint64_t flags, type, st, ino;
		int r;

		/* Num RefCount Protocol Flags Type St Inode [Path] */
		nf = split_fields(line, n, f, fl, 8);
		if (nf < 7 || !hex_n(f[3], fl[3], &flags) || fl[3] > 8 || fl[4] > 4 ||
		    !hex_n(f[4], fl[4], &type) || fl[5] > 2 || !hex_n(f[5], fl[5], &st) ||
		    !dec_field(f[6], fl[6], &ino))
			continue;
		rec.family = AF_UNIX;
		rec.type = (int)type;
		/* Same numbering as sock_diag: listening (__SO_ACCEPTCON) is TCP_LISTEN,
		 * SS_CONNECTED is TCP_ESTABLISHED, anything else TCP_CLOSE. */
		rec.state = (flags & 0x10000) ? 10 : st == 3 ? 1 : 7;
		rec.inode = ino;
		if (nf == 8) {
			/* The path runs to the end of the line and may contain spaces. */
			size_t pl = (size_t)(line + n - f[7]);

			set_unix_path(&rec, f[7], pl);
		}
		r = fn(&rec, userdata);
		if (r != 0)
			return r;
	}
	return 0;
}

int hq_procnet_parse_packet(const char *buf, size_t len, hq_sock_record_fn fn, void *userdata)
{
	const char *line;
	size_t pos = 0, n;

	while (next_row(buf, len, &pos, &line, &n)) {
		const char *f[9];
		size_t fl[9];
		hq_sock_record rec = {};
		uint64_t proto, ino;
		int r;

		/* sk RefCnt Type Proto Iface R Rmem User Inode */
		if (split_fields(line, n, f, fl, 9) < 9 || fl[3] > 4 ||
		    !hex_n(f[3], fl[3], &proto) || !dec_field(f[8], fl[8], &ino))
			continue;
		rec.family = 17; /* AF_PACKET */
		rec.protocol = (int)proto;
		rec.state = -1;
		rec.inode = ino;
		r = fn(&rec, userdata);
		if (r != 0)
			return r;
	}
	return 0;
}

const char *hq_tcp_state_name(int state)
{
	static const char *const names[] = {
		[1] = "ESTABLISHED", [2] = "SYN_SENT",	[3] = "SYN_RECV", [4] = "FIN_WAIT1",
		[5] = "FIN_WAIT2",   [6] = "TIME_WAIT", [7] = "CLOSE",	  [8] = "CLOSE_WAIT",
		[9] = "LAST_ACK",    [10] = "LISTEN",	[11] = "CLOSING",
	};

	if (state < 0 || (size_t)state >= sizeof(names) / sizeof(names[0]) || !names[state])
		return "UNKNOWN"; /* osquery's word for 0 and anything past CLOSING */
	return names[state];
}

void hq_sock_format_addr(int family, const uint8_t addr[16], char *buf, size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	if (family == AF_INET || family == AF_INET6)
		(void)inet_ntop(family, addr, buf, (socklen_t)size);
}
