/* libFuzzer target for the /proc/cpuinfo parser (input need not be NUL-terminated). */
#include <stddef.h>
#include <stdint.h>

#include "lib/cpuinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hq_cpuinfo info;
	if (hq_cpuinfo_parse((const char *)data, size, &info) == 0)
		hq_cpuinfo_done(&info);
	return 0;
}
