/* libFuzzer target for the deb822 / dpkg status parser: arbitrary bytes as a status file. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/dpkg_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t pos = 0;
	hq_slice st;

	while (hq_deb822_next_stanza(buf, size, &pos, &st) > 0) {
		hq_dpkg_package pkg;
		hq_deb822_field f;
		size_t fpos = 0;

		while (hq_deb822_next_field(st, &fpos, &f) > 0)
			(void)hq_deb822_name_is(f.name, "Package");
		if (hq_dpkg_package_parse(st, &pkg) < 0)
			continue;
		if (pkg.field[HQ_DPKG_STATUS].p) {
			hq_dpkg_status s;

			(void)hq_dpkg_status_parse(pkg.field[HQ_DPKG_STATUS], &s);
		}
		if (pkg.field[HQ_DPKG_VERSION].p) {
			hq_dpkg_version v;
			char out[256];

			if (hq_dpkg_version_parse(pkg.field[HQ_DPKG_VERSION], &v) == 0)
				(void)hq_dpkg_version_format(&v, out, sizeof(out));
		}
		if (pkg.field[HQ_DPKG_SOURCE].p)
			(void)hq_dpkg_source_name(pkg.field[HQ_DPKG_SOURCE]);
	}
	pos = 0;
	{
		hq_dpkg_package pkg;

		while (hq_dpkg_next_package(buf, size, &pos, &pkg) > 0)
			;
	}
	return 0;
}
