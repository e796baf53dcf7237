/* libFuzzer target for the os-release and legacy release-file parsers: the same bytes go
 * through both, and the parsed VERSION_ID through the version splitter. */
#include <stddef.h>
#include <stdint.h>

#include "lib/os_release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hq_os_release osr;
	if (hq_os_release_parse((const char *)data, size, &osr) == 0) {
		int64_t v[3];
		bool have[3];
		hq_version_split(osr.version_id, v, have);
		hq_version_split(osr.version, v, have);
		hq_os_release_done(&osr);
	}

	hq_release_file rf;
	if (hq_release_file_parse((const char *)data, size, &rf) == 0)
		hq_release_file_done(&rf);
	return 0;
}
