/* dns_resolvers: the resolver configuration glibc's res_init() would load: one row per
 * nameserver, sortlist entry and search domain, each carrying the RES_* options mask.
 * Source: <root>/etc/resolv.conf, parsed with glibc's limits (3 nameservers, 6 search domains,
 * 10 sortlist pairs) and option names; world-readable. Differs from osquery (which reads the
 * res_init() state): an IPv6 nameserver is shown with netmask 128 (osquery shows it empty),
 * each search row names its own domain (osquery repeats the first), and the domain glibc
 * derives from the host name when resolv.conf has no search/domain line is not reported.
 * Example: SELECT address FROM dns_resolvers WHERE type = 'nameserver'; */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/etcfiles.h"
#include "lib/nsroot.h"

enum {
	COL_ID,
	COL_TYPE,
	COL_ADDRESS,
	COL_NETMASK,
	COL_OPTIONS,
	COL_PID_WITH_NAMESPACE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_ID] = {"id", HQ_TYPE_INTEGER, 0, "Resolver ordering"},
	[COL_TYPE] = {"type", HQ_TYPE_TEXT, 0, "Address type: sortlist, nameserver, search"},
	[COL_ADDRESS] = {"address", HQ_TYPE_TEXT, 0, "Resolver IP/IPv6 address"},
	[COL_NETMASK] = {"netmask", HQ_TYPE_TEXT, 0, "Address (sortlist) netmask length"},
	[COL_OPTIONS] = {"options", HQ_TYPE_BIGINT, 0, "Resolver options"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define RESOLV_MAX_BYTES (1u << 20)

static int emit(hq_row_sink *sink, const hq_nsroot *ns, int64_t id, const char *type,
		const char *address, size_t address_len, const char *netmask, uint64_t options)
{
	hq_row *row;
	int r;

	r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_int64(row, COL_ID, id);
	hq_row_set_text_static(row, COL_TYPE, type);
	hq_row_set_text_len(row, COL_ADDRESS, address, address_len);
	hq_row_set_text(row, COL_NETMASK, netmask);
	hq_row_set_int64(row, COL_OPTIONS, (int64_t)options);
	hq_row_set_int64(row, COL_PID_WITH_NAMESPACE, ns->pid);
	return hq_row_commit(sink, row);
}

static int scan(hq_query_ctx *ctx, hq_row_sink *sink, const hq_nsroot *ns)
{
	_cleanup_free_ char *buf = NULL;
	hq_resolv_conf rc;
	char path[64];
	size_t size = 0;
	int r;

	snprintf(path, sizeof(path), "%s/etc/resolv.conf", ns->prefix);
	r = hq_ctx_read_file(ctx, path, RESOLV_MAX_BYTES, &buf, &size);
	if (r < 0 && r != -ENOENT)
		return hq_ctx_error(ctx, r, "dns_resolvers: cannot read /etc/resolv.conf: %m");
	/* Without the file glibc still resolves with its defaults; report those. */
	hq_resolv_conf_parse(buf, r < 0 ? 0 : size, &rc);

	for (size_t i = 0; i < rc.n_ns; i++) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(rc.ns[i].family, rc.ns[i].addr, a, sizeof(a));
		r = emit(sink, ns, (int64_t)i, "nameserver", a, strlen(a),
			 rc.ns[i].family == AF_INET ? "32" : "128", rc.options);
		if (r != 0)
			return r;
	}
	for (size_t i = 0; i < rc.n_sort; i++) {
		char a[INET_ADDRSTRLEN], m[16];
		uint32_t mask;

		inet_ntop(AF_INET, rc.sort[i].addr, a, sizeof(a));
		/* osquery prints the in_addr mask as an integer (network byte order bits). */
		memcpy(&mask, rc.sort[i].mask, sizeof(mask));
		snprintf(m, sizeof(m), "%u", mask);
		r = emit(sink, ns, (int64_t)i, "sortlist", a, strlen(a), m, rc.options);
		if (r != 0)
			return r;
	}
	for (size_t i = 0; i < rc.n_search; i++) {
		/* "" rather than NULL, as osquery's string rows report it. */
		r = emit(sink, ns, (int64_t)i, "search", rc.search[i].p, rc.search[i].n, "",
			 rc.options);
		if (r != 0)
			return r;
	}
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	/* pid_with_namespace: the resolver configuration that process sees. */
	return hq_nsroot_generate(ctx, sink, COL_PID_WITH_NAMESPACE, scan);
}

const hq_table_def hq_table_dns_resolvers = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "dns_resolvers",
	.description = "Resolvers used by this host.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
