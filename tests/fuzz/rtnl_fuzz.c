/* libFuzzer target for the rtnetlink parser: arbitrary bytes as a dump receive buffer. */
#include <stddef.h>
#include <stdint.h>

#include "lib/rtnl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(const hq_rtnl_record *rec, void *userdata)
{
	char buf[128];

	if (rec->kind == HQ_RTNL_LINK)
		hq_format_mac(rec->link.addr, rec->link.addr_len, buf, sizeof(buf));
	else if (rec->kind == HQ_RTNL_ADDR)
		hq_format_prefix_mask(rec->addr.family, rec->addr.prefixlen, buf, sizeof(buf));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)hq_rtnl_parse(data, size, sink, NULL);
	return 0;
}
