/* Socket inventory through NETLINK_SOCK_DIAG (what ss uses), with /proc/net text parsers as the
 * fallback when the netlink family is unavailable. The parsers are pure: a buffer of netlink
 * messages (or a /proc/net file) in, typed records out through a callback, every length
 * checked. hq_sockdiag_dump() is the thin I/O part. Never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hq_sock_record {
	int family;   /* AF_INET, AF_INET6, AF_UNIX */
	int protocol; /* IPPROTO_TCP/UDP/RAW/... for inet, 0 for UNIX */
	int state;    /* kernel state number (TCP_* for inet, SS_*-like for UNIX) */
	int type;     /* SOCK_STREAM/DGRAM/SEQPACKET for UNIX, 0 otherwise */
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport; /* host byte order */
	uint16_t dport;
	uint64_t inode;
	uint32_t uid;
	/* UNIX path; an abstract name is rendered with a leading '@'. Empty when unbound. */
	char path[110];
	/* Network namespace inode when the record comes from another namespace than the
	 * reader's (see sockscan.h), else 0. Parsers leave it 0. */
	uint64_t netns;
} hq_sock_record;

/* Return non-zero to stop the walk (that value is returned). */
typedef int (*hq_sock_record_fn)(const hq_sock_record *rec, void *userdata);

/* Parses one receive buffer of a SOCK_DIAG_BY_FAMILY dump. protocol is the protocol the
 * request asked for (inet replies do not carry it). Returns 1 when NLMSG_DONE was seen, 0 when
 * more buffers follow, a callback's non-zero value, -EBADMSG for a truncated or malformed
 * message, or the negated error of an NLMSG_ERROR reply. */
int hq_sockdiag_parse(const void *buf, size_t len, int protocol, hq_sock_record_fn fn,
		      void *userdata);

/* Builds the dump request for one family/protocol into buf (>= 128 bytes). For AF_UNIX the
 * protocol is ignored. states is a bitmask of kernel states (1 << TCP_LISTEN, ...). Returns
 * the request length or -EINVAL. */
int hq_sockdiag_build_request(void *buf, size_t size, int family, int protocol, uint32_t states,
			      uint32_t seq);

/* Runs one dump on fd (a NETLINK_SOCK_DIAG socket, or -1 to open one). Returns 0, a callback's
 * non-zero value, -EPROTONOSUPPORT/-EAFNOSUPPORT when the kernel lacks the family or protocol
 * (e.g. no raw_diag module), or another -errno. */
int hq_sockdiag_dump(int fd, int family, int protocol, uint32_t states, hq_sock_record_fn fn,
		     void *userdata);

/* Opens a NETLINK_SOCK_DIAG socket (O_CLOEXEC). Returns fd or -errno. */
int hq_sockdiag_open(void);

/* Parses /proc/net/{tcp,tcp6,udp,udp6,raw,raw6} text (family from the file name, protocol
 * given). Lines that do not parse are skipped. Returns 0 or a callback's non-zero value. */
int hq_procnet_parse_inet(const char *buf, size_t len, int family, int protocol,
			  hq_sock_record_fn fn, void *userdata);

/* Parses /proc/net/unix text. Returns 0 or a callback's non-zero value. */
int hq_procnet_parse_unix(const char *buf, size_t len, hq_sock_record_fn fn, void *userdata);

/* Parses /proc/net/packet text: family 17 (AF_PACKET), protocol the ethertype, state -1.
 * Returns 0 or a callback's non-zero value. */
int hq_procnet_parse_packet(const char *buf, size_t len, hq_sock_record_fn fn, void *userdata);

/* TCP state name as osquery prints it ("LISTEN", "ESTABLISHED", ...), "UNKNOWN" otherwise. */
const char *hq_tcp_state_name(int state);

/* Formats an address of the record's family with inet_ntop into buf (>= 46 bytes). */
void hq_sock_format_addr(int family, const uint8_t addr[16], char *buf, size_t size);
