/* libFuzzer target for the key file parser: parse, then look up keys of every group seen. */
#include <stddef.h>
#include <stdint.h>

#include "lib/keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_(hq_keyfile_freep) hq_keyfile *kf = NULL;

	if (hq_keyfile_parse((const char *)data, size, &kf) < 0)
		return 0;
	for (size_t i = 0; i < kf->n_entries; i++) {
		const hq_keyfile_entry *e = &kf->entries[i];
		if (e->key)
			(void)hq_keyfile_get_bool(kf, e->group, e->key, 0);
		(void)hq_keyfile_has_group(kf, e->group);
	}
	return 0;
}
