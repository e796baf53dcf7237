/* libFuzzer target for the sock_diag and /proc/net parsers: arbitrary bytes as a netlink
 * receive buffer and as /proc/net/{tcp6,unix} text. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/sockdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(const hq_sock_record *rec, void *userdata)
{
	char addr[64];

	hq_sock_format_addr(rec->family, rec->src, addr, sizeof(addr));
	(void)hq_tcp_state_name(rec->state);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)hq_sockdiag_parse(data, size, IPPROTO_TCP, sink, NULL);
	(void)hq_procnet_parse_inet((const char *)data, size, AF_INET6, IPPROTO_UDP, sink, NULL);
	(void)hq_procnet_parse_unix((const char *)data, size, sink, NULL);
	(void)hq_procnet_parse_packet((const char *)data, size, sink, NULL);
	return 0;
}
