/* process_open_sockets: sockets of all processes (TCP, UDP, RAW and UNIX, IPv4 and IPv6, and
 * AF_PACKET sockets from /proc/net/packet), each matched to the (pid, fd) holding it.
 * Source: NETLINK_SOCK_DIAG dumps of the reader's network namespace (fallback
 * /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix}), /proc/<pid>/net of every other namespace a
 * process lives in, and /proc/<pid>/fd socket:[inode] links; root sees every process's fds.
 * Without a pid filter, sockets no readable process holds are listed with pid -1 and fd -1.
 * When neither pid nor fd is used or constrained, no /proc walk happens and only the reader's
 * namespace is listed (one row per socket).
 * Under a host-path root (--root) the sockets come from <root>/proc/net files, not netlink.
 * Example: SELECT pid, local_address, local_port, state FROM process_open_sockets
 *          WHERE family = 2 AND protocol = 6; */
#include <assert.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/sockscan.h"

enum {
	COL_PID,
	COL_FD,
	COL_SOCKET,
	COL_FAMILY,
	COL_PROTOCOL,
	COL_LOCAL_ADDRESS,
	COL_REMOTE_ADDRESS,
	COL_LOCAL_PORT,
	COL_REMOTE_PORT,
	COL_PATH,
	COL_STATE,
	COL_NET_NAMESPACE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_PID] = {"pid", HQ_TYPE_INTEGER, HQ_COL_ADDITIONAL, "Process (or thread) ID"},
	[COL_FD] = {"fd", HQ_TYPE_BIGINT, 0, "Socket file descriptor number"},
	[COL_SOCKET] = {"socket", HQ_TYPE_BIGINT, 0, "Socket handle or inode number"},
	[COL_FAMILY] = {"family", HQ_TYPE_INTEGER, 0, "Network protocol (IPv4, IPv6)"},
	[COL_PROTOCOL] = {"protocol", HQ_TYPE_INTEGER, 0, "Transport protocol (TCP/UDP)"},
	[COL_LOCAL_ADDRESS] = {"local_address", HQ_TYPE_TEXT, 0, "Socket local address"},
	[COL_REMOTE_ADDRESS] = {"remote_address", HQ_TYPE_TEXT, 0, "Socket remote address"},
	[COL_LOCAL_PORT] = {"local_port", HQ_TYPE_INTEGER, 0, "Socket local port"},
	[COL_REMOTE_PORT] = {"remote_port", HQ_TYPE_INTEGER, 0, "Socket remote port"},
	[COL_PATH] = {"path", HQ_TYPE_TEXT, 0,
		      "For UNIX sockets (family=AF_UNIX), the domain path"},
	[COL_STATE] = {"state", HQ_TYPE_TEXT, 0, "TCP socket state"},
	[COL_NET_NAMESPACE] = {"net_namespace", HQ_TYPE_TEXT, 0,
			       "The inode number of the network namespace"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define MAX_PIDS 1024

typedef struct scan {
	hq_query_ctx *ctx;
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
	hq_row_set_int64(row, COL_FD, fd);
	hq_row_set_int64(row, COL_SOCKET, (int64_t)rec->inode);
	hq_row_set_int64(row, COL_FAMILY, rec->family);
	hq_row_set_int64(row, COL_PROTOCOL, rec->protocol);
	if (rec->family == AF_PACKET) {
		hq_row_set_text_static(row, COL_LOCAL_ADDRESS, "");
		hq_row_set_text_static(row, COL_REMOTE_ADDRESS, "");
		hq_row_set_int64(row, COL_LOCAL_PORT, 0);
		hq_row_set_int64(row, COL_REMOTE_PORT, 0);
		hq_row_set_text_static(row, COL_PATH, "");
		hq_row_set_text_static(row, COL_STATE, "");
	} else if (rec->family == AF_UNIX) {
		hq_row_set_text_static(row, COL_LOCAL_ADDRESS, "");
		hq_row_set_text_static(row, COL_REMOTE_ADDRESS, "");
		hq_row_set_int64(row, COL_LOCAL_PORT, 0);
		hq_row_set_int64(row, COL_REMOTE_PORT, 0);
		hq_row_set_text(row, COL_PATH, rec->path);
		hq_row_set_text_static(row, COL_STATE, "");
	} else {
		char addr[64];

		hq_sock_format_addr(rec->family, rec->src, addr, sizeof(addr));
		hq_row_set_text(row, COL_LOCAL_ADDRESS, addr);
		hq_sock_format_addr(rec->family, rec->dst, addr, sizeof(addr));
		hq_row_set_text(row, COL_REMOTE_ADDRESS, addr);
		hq_row_set_int64(row, COL_LOCAL_PORT, rec->sport);
		hq_row_set_int64(row, COL_REMOTE_PORT, rec->dport);
		hq_row_set_text_static(row, COL_PATH, "");
		/* Only TCP has connection states worth naming. */
		hq_row_set_text_static(row, COL_STATE,
				       rec->protocol == IPPROTO_TCP ? hq_tcp_state_name(rec->state)
								    : "");
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
	scan s = {.ctx = ctx, .sink = sink};
	hq_sockscan_filter filter = {};
	int64_t pids[MAX_PIDS];
	size_t n_pids = 0;
	bool filtered = false, need_owners;
	int r;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_PID) {
		if (c->op != HQ_OP_EQ || c->type != HQ_VALUE_INTEGER)
			continue;
		if (c->i64 == -1) { /* osquery: pid = -1 means "no filter" */
			filtered = false;
			n_pids = 0;
			break;
		}
		filtered = true;
		if (n_pids < MAX_PIDS)
			pids[n_pids++] = c->i64;
		else
			filtered = false, n_pids = 0; /* too many to push down: walk all */
	}
	/* family/protocol constraints skip whole dumps. */
	hq_sockscan_filter_from_ctx(&filter, ctx, COL_FAMILY, COL_PROTOCOL);
	need_owners =
		filtered || hq_ctx_column_used(ctx, COL_PID) || hq_ctx_column_used(ctx, COL_FD);

	/* Under a host-path root, /proc is that system's, not the running kernel's: read
	 * its net files instead of asking netlink. */
	r = hq_sockscan_collect(&s.set, hq_ctx_root(ctx)[0] ? HQ_SOCKSCAN_PROCFS : 0, &filter,
				procfd);
	if (r < 0) {
		hq_sock_set_done(&s.set);
		return hq_ctx_error(ctx, r, "process_open_sockets: cannot list sockets: %m");
	}
	if (hq_ctx_column_used(ctx, COL_NET_NAMESPACE))
		hq_sockscan_netns(procfd, s.netns, sizeof(s.netns));

	r = hq_sockscan_report(&s.set, procfd, need_owners, filtered ? pids : NULL, n_pids,
			       !filtered, emit, &s);
	hq_sock_set_done(&s.set);
	if (r < 0)
		return hq_ctx_error(ctx, r, "process_open_sockets: %m");
	return 0;
}

const hq_table_def hq_table_process_open_sockets = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "process_open_sockets",
	.description = "Processes which have open network sockets on the system.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
