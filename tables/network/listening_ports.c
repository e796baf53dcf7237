/* listening_ports: sockets waiting for peers: TCP in LISTEN, unconnected UDP and RAW sockets
 * (remote port 0), and UNIX sockets bound to a path, with the owning process when one can be
 * read.
 * Source: NETLINK_SOCK_DIAG dumps (fallback /proc/net files), and /proc/<pid>/fd socket:[inode]
 * links walked only when pid or fd is selected or pid is constrained; root sees every
 * process's fds. Sockets no readable process holds (PID 1's fds give EACCES even to root)
 * keep pid -1 and fd -1. The reader's network namespace comes from netlink; when the fd walk
 * runs, the namespaces other processes live in (containers) are added from /proc/<pid>/net
 * like osquery does, with net_namespace telling them apart. Without pid/fd columns there is no
 * /proc walk, so only the reader's namespace is listed.
 * Under a host-path root (--root) the sockets come from <root>/proc/net files, not netlink.
 * Example: SELECT p.name, l.address, l.port, p.pid
 *          FROM processes p JOIN listening_ports l ON p.pid = l.pid; */
#include <assert.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/sockscan.h"

enum {
	COL_PID,
	COL_PORT,
	COL_PROTOCOL,
	COL_FAMILY,
	COL_ADDRESS,
	COL_FD,
	COL_SOCKET,
	COL_PATH,
	COL_NET_NAMESPACE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_PID] = {"pid", HQ_TYPE_INTEGER, 0, "Process (or thread) ID"},
	[COL_PORT] = {"port", HQ_TYPE_INTEGER, 0, "Transport layer port"},
	[COL_PROTOCOL] = {"protocol", HQ_TYPE_INTEGER, 0, "Transport protocol (TCP/UDP)"},
	[COL_FAMILY] = {"family", HQ_TYPE_INTEGER, 0, "Network protocol (IPv4, IPv6)"},
	[COL_ADDRESS] = {"address", HQ_TYPE_TEXT, 0, "Specific address for bind"},
	[COL_FD] = {"fd", HQ_TYPE_BIGINT, 0, "Socket file descriptor number"},
	[COL_SOCKET] = {"socket", HQ_TYPE_BIGINT, 0, "Socket handle or inode number"},
	[COL_PATH] = {"path", HQ_TYPE_TEXT, 0, "Path for UNIX domain sockets"},
	[COL_NET_NAMESPACE] = {"net_namespace", HQ_TYPE_TEXT, 0,
			       "The inode number of the network namespace"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define MAX_PIDS 1024

typedef struct scan {
	hq_row_sink *sink;
	hq_sock_set set;
	char netns[24];
} scan;

/* An hq_sock_owner_fn: pid and fd are -1 for a socket no walked process holds. */
static int emit(const hq_sock_record *rec, int64_t pid, int64_t fd, void *userdata)
{
	scan *s = userdata;
	hq_row *row;
	int r;

	r = hq_row_begin(s->sink, &row);
	if (r < 0)
		return r;
	hq_row_set_int64(row, COL_PID, pid);
	hq_row_set_int64(row, COL_PROTOCOL, rec->protocol);
	hq_row_set_int64(row, COL_FAMILY, rec->family);
	hq_row_set_int64(row, COL_FD, fd);
	if (rec->family == AF_UNIX) {
		/* osquery reports UNIX listeners with port 0, socket 0 and the path. */
		hq_row_set_int64(row, COL_PORT, 0);
		hq_row_set_text_static(row, COL_ADDRESS, "");
		hq_row_set_int64(row, COL_SOCKET, 0);
		hq_row_set_text(row, COL_PATH, rec->path);
	} else {
		char addr[64];

		hq_sock_format_addr(rec->family, rec->src, addr, sizeof(addr));
		hq_row_set_int64(row, COL_PORT, rec->sport);
		hq_row_set_text(row, COL_ADDRESS, addr);
		hq_row_set_int64(row, COL_SOCKET, (int64_t)rec->inode);
		hq_row_set_text_static(row, COL_PATH, "");
	}
	if (rec->netns)
		hq_row_set_textf(row, COL_NET_NAMESPACE, "%llu", (unsigned long long)rec->netns);
	else
		hq_row_set_text(row, COL_NET_NAMESPACE, s->netns);
	return hq_row_commit(s->sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_close_ int procfd = hq_ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
	scan s = {.sink = sink};
	hq_sockscan_filter filter = {};
	int64_t pids[MAX_PIDS];
	size_t n_pids = 0;
	bool filtered = false, need_owners, want_unowned = true;
	int r;

	/* A pid equality walks only those fds (when the engine passes one: pid carries no index
	 * flag in osquery's schema, so a join on processes usually drives from this side). */
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_PID) {
		if (c->op != HQ_OP_EQ || c->type != HQ_VALUE_INTEGER)
			continue;
		filtered = true;
		if (c->i64 == -1)
			continue; /* only unowned sockets can match */
		if (n_pids == MAX_PIDS) {
			filtered = false;
			break;
		}
		pids[n_pids++] = c->i64;
	}
	if (filtered) {
		want_unowned = false;
		HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_PID)
			if (c->op == HQ_OP_EQ && c->type == HQ_VALUE_INTEGER && c->i64 == -1)
				want_unowned = true;
	}
	/* family/protocol constraints skip whole dumps. */
	hq_sockscan_filter_from_ctx(&filter, ctx, COL_FAMILY, COL_PROTOCOL);
	need_owners =
		filtered || hq_ctx_column_used(ctx, COL_PID) || hq_ctx_column_used(ctx, COL_FD);

	/* Under a host-path root, /proc is that system's, not the running kernel's: read
	 * its net files instead of asking netlink. */
	r = hq_sockscan_collect(
		&s.set, HQ_SOCKSCAN_LISTENING | (hq_ctx_root(ctx)[0] ? HQ_SOCKSCAN_PROCFS : 0),
		&filter, procfd);
	if (r < 0) {
		hq_sock_set_done(&s.set);
		return hq_ctx_error(ctx, r, "listening_ports: cannot list sockets: %m");
	}
	if (hq_ctx_column_used(ctx, COL_NET_NAMESPACE))
		hq_sockscan_netns(procfd, s.netns, sizeof(s.netns));

	r = hq_sockscan_report(&s.set, procfd, need_owners, filtered ? pids : NULL, n_pids,
			       want_unowned, emit, &s);
	hq_sock_set_done(&s.set);
	if (r < 0)
		return hq_ctx_error(ctx, r, "listening_ports: %m");
	return 0;
}

const hq_table_def hq_table_listening_ports = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "listening_ports",
	.description = "Processes with listening (bound) network sockets/ports.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_CACHEABLE,
	.generate = generate,
};
