/* Shared collection step of listening_ports and process_open_sockets: dump the sockets of the
 * reader's network namespace (sock_diag, or /proc/net text when netlink is unavailable) and,
 * only when asked, map socket inodes to (pid, fd) by walking /proc/<pid>/fd. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/query.h"
#include "hq/util.h"
#include "lib/sockdiag.h"

typedef struct hq_sock_set {
	hq_sock_record *recs;
	size_t n;
	size_t cap;
	bool *owned;	/* per record: matched by the fd walk */
	unsigned flags; /* HQ_SOCKSCAN_* given to hq_sockscan_collect() */
	const struct hq_sockscan_filter *filter;
} hq_sock_set;

void hq_sock_set_done(hq_sock_set *set);

enum {
	HQ_SOCKSCAN_LISTENING = 1 << 0, /* TCP LISTEN, unconnected UDP/RAW, bound UNIX only */
	HQ_SOCKSCAN_NO_UNIX = 1 << 1,
	/* Read <procfd>/net files only, no netlink: for a host-path root other than "/", whose
	 * /proc is not the running kernel's. */
	HQ_SOCKSCAN_PROCFS = 1 << 2,
};

/* Which (family, protocol) dumps a query needs, from its equality/inequality constraints:
 * a dump is skipped when its value is excluded (family != 1) or not among the wanted ones
 * (family = 2, protocol IN (6, 17)). Zero-initialized means everything. */
#define HQ_SOCKSCAN_FILTER_MAX 8
typedef struct hq_sockscan_filter {
	int64_t family_eq[HQ_SOCKSCAN_FILTER_MAX], family_ne[HQ_SOCKSCAN_FILTER_MAX];
	int64_t protocol_eq[HQ_SOCKSCAN_FILTER_MAX], protocol_ne[HQ_SOCKSCAN_FILTER_MAX];
	size_t n_family_eq, n_family_ne, n_protocol_eq, n_protocol_ne;
	bool family_eq_overflow, protocol_eq_overflow;
} hq_sockscan_filter;

/* Records one constraint value; op is HQ_OP_EQ or HQ_OP_NE (others are ignored). */
void hq_sockscan_filter_add(hq_sockscan_filter *f, bool is_family, bool is_eq, int64_t v);

/* Adds the query's integer = and != constraints on the family and protocol columns, when the
 * engine passes them (WHERE family != 1 then skips the UNIX dump). */
void hq_sockscan_filter_from_ctx(hq_sockscan_filter *f, hq_query_ctx *ctx, int family_col,
				 int protocol_col);

/* Fills set with the sockets of the caller's network namespace. procfd is an open /proc (for
 * the text fallback; may be -1); filter may be NULL. Returns 0 or -errno. */
int hq_sockscan_collect(hq_sock_set *set, unsigned flags, const hq_sockscan_filter *filter,
			int procfd);

/* Called for each (socket, pid, fd) the walk finds; rec is borrowed for the call. Non-zero
 * stops. */
typedef int (*hq_sock_owner_fn)(const hq_sock_record *rec, int64_t pid, int64_t fd, void *userdata);

/* Walks /proc/<pid>/fd of every pid (pids == NULL) or of the n_pids given, matching
 * socket:[inode] links against set (sorted by inode here). Processes that vanish or deny
 * access are skipped. Marks set->owned. A process holding sockets missing from set may live in
 * another network namespace (netlink only sees the reader's): that namespace's sockets are
 * read from /proc/<pid>/net files, tagged with its inode, matched for those processes, and
 * appended to set. Returns 0, a callback's value, or -errno. */
int hq_sockscan_owners(hq_sock_set *set, int procfd, const int64_t *pids, size_t n_pids,
		       hq_sock_owner_fn fn, void *userdata);

/* The rows of a socket table: with need_owners, each socket of set once per (pid, fd) holding
 * it, as hq_sockscan_owners() finds them for pids/n_pids, then, when want_unowned, once with
 * pid -1 and fd -1 for each socket no walked process holds; without need_owners (no /proc
 * walk), every socket once with pid -1 and fd -1. Returns 0, a callback's value, or -errno. */
int hq_sockscan_report(hq_sock_set *set, int procfd, bool need_owners, const int64_t *pids,
		       size_t n_pids, bool want_unowned, hq_sock_owner_fn fn, void *userdata);

/* The network namespace inode of the reader, as text (e.g. "4026531840"), or "" when
 * unknown. buf >= 24 bytes. */
void hq_sockscan_netns(int procfd, char *buf, size_t size);
