/* Shared collection step of listening_ports and process_open_sockets: dump the sockets of the
 * reader's network namespace (sock_diag, or /proc/net text when netlink is unavailable) and,
 * only when asked, map socket inodes to (pid, fd) by walking /proc/<pid>/fd. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/util.h"
#include "lib/sockdiag.h"

typedef struct hq_sock_set {
	hq_sock_record *recs;
	size_t n;
	size_t cap;
	bool *owned; /* per record: matched by the fd walk */
} hq_sock_set;

void hq_sock_set_done(hq_sock_set *set);

enum {
	HQ_SOCKSCAN_LISTENING = 1 << 0, /* TCP LISTEN, unconnected UDP/RAW, bound UNIX only */
	HQ_SOCKSCAN_NO_UNIX = 1 << 1,
};

/* Fills set with the sockets of the caller's network namespace. procfd is an open /proc (for
 * the text fallback; may be -1). Returns 0 or -errno. */
int hq_sockscan_collect(hq_sock_set *set, unsigned flags, int procfd);

/* Called for each (socket, pid, fd) the walk finds; idx indexes set->recs. Non-zero stops. */
typedef int (*hq_sock_owner_fn)(size_t idx, int64_t pid, int64_t fd, void *userdata);

/* Walks /proc/<pid>/fd of every pid (pids == NULL) or of the n_pids given, matching
 * socket:[inode] links against set (sorted by inode here). Processes that vanish or deny
 * access are skipped. Marks set->owned. Returns 0, a callback's value, or -errno. */
int hq_sockscan_owners(hq_sock_set *set, int procfd, const int64_t *pids, size_t n_pids,
		       hq_sock_owner_fn fn, void *userdata);

/* The network namespace inode of the reader, as text (e.g. "4026531840"), or "" when
 * unknown. buf >= 24 bytes. */
void hq_sockscan_netns(int procfd, char *buf, size_t size);
