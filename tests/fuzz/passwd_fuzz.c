/* libFuzzer target for the passwd/group line parsers: the input is split into lines the way
 * the users and groups tables do, and each line goes through both parsers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b = malloc(size + 1);
	if (!a || !b)
		goto out;
	memcpy(a, data, size);
	a[size] = '\0';
	memcpy(b, a, size + 1);

	char *save = NULL;
	for (char *line = strtok_r(a, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		hq_passwd_entry e;
		if (hq_passwd_parse_line(line, &e) == 0 && (!e.name || !e.shell))
			abort();
	}
	save = NULL;
	for (char *line = strtok_r(b, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		hq_group_entry g;
		if (hq_group_parse_line(line, &g) == 0 && (!g.name || !g.members))
			abort();
	}
out:
	free(a);
	free(b);
	return 0;
}
