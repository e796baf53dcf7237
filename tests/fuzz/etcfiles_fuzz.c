/* libFuzzer target for the /etc line parsers: arbitrary bytes as each kind of file. */
#include <stddef.h>
#include <stdint.h>

#include "lib/etcfiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	hq_resolv_conf rc;
	hq_slice line;
	size_t pos = 0;

	while (hq_etc_next_line(buf, size, &pos, &line)) {
		hq_etc_service s;
		hq_etc_protocol p;
		hq_etc_host h;

		(void)hq_etc_service_parse(line, &s);
		(void)hq_etc_protocol_parse(line, &p);
		(void)hq_etc_host_parse(line, &h);
	}
	hq_resolv_conf_parse(buf, size, &rc);
	return 0;
}
