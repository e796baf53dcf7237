/* libFuzzer target for the version comparisons behind the collations: the first byte splits
 * the input into two keys. Each comparison must be antisymmetric and reflexive, and must never
 * read past a key (keys are handed over without a NUL, as SQLite does). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql/version_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const cmps[])(const char *, size_t, const char *, size_t) = {
		hq_version_cmp, hq_version_cmp_dpkg, hq_version_cmp_rhel, hq_version_cmp_arch};
	char *a, *b;
	size_t na;

	if (size < 1)
		return 0;
	na = data[0] < size - 1 ? data[0] : size - 1;
	/* Exact-size copies so that ASan catches any overread. */
	a = malloc(na ? na : 1);
	b = malloc(size - 1 - na ? size - 1 - na : 1);
	if (!a || !b)
		abort();
	memcpy(a, data + 1, na);
	memcpy(b, data + 1 + na, size - 1 - na);
	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		int ab = cmps[i](a, na, b, size - 1 - na), ba = cmps[i](b, size - 1 - na, a, na);

		if (ab != -ba || ab < -1 || ab > 1 || cmps[i](a, na, a, na) != 0)
			abort();
	}
	free(a);
	free(b);
	return 0;
}
