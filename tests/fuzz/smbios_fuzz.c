/* libFuzzer target for the SMBIOS parser: the first byte picks how many of the following bytes
 * are the entry point (0 = none), the rest is the structure table. Every structure is run
 * through every decoder and every string index. */
#include <stddef.h>
#include <stdint.h>

#include "lib/smbios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hq_smbios_entry_point ep = {}, *epp = NULL;
	hq_smbios *s = NULL;
	size_t ep_size;

	if (size < 1)
		return 0;
	ep_size = data[0] % 0x21;
	data++;
	size--;
	if (ep_size > size)
		ep_size = size;
	if (ep_size > 0 && hq_smbios_parse_entry_point(data, ep_size, &ep) == 0)
		epp = &ep;
	data += ep_size;
	size -= ep_size;

	if (hq_smbios_parse(epp, data, size, &s) < 0)
		return 0;
	for (size_t i = 0; i < s->n_structs; i++) {
		const hq_smbios_struct *st = &s->structs[i];
		hq_smbios_memory_device md;
		hq_smbios_memory_array ma;
		hq_smbios_memory_error me;
		hq_smbios_mapped_address mm;
		hq_smbios_bios b;
		hq_smbios_processor p;
		char details[256];

		if (hq_smbios_decode_memory_device(st, &md) == 0 && md.has_type_detail)
			(void)hq_smbios_type_detail_str(md.type_detail, details, sizeof(details));
		(void)hq_smbios_decode_memory_array(st, &ma);
		(void)hq_smbios_decode_memory_error(st, &me);
		(void)hq_smbios_decode_mapped_address(st, &mm);
		{
			hq_smbios_device_mapped_address dm;
			int n = hq_smbios_oem_string_count(st);

			(void)hq_smbios_decode_device_mapped_address(st, &dm);
			for (int k = 1; k <= n; k++)
				(void)hq_smbios_string(st, (uint8_t)k);
		}
		(void)hq_smbios_decode_bios(st, &b);
		(void)hq_smbios_decode_processor(st, &p);
		for (unsigned k = 0; k < 256; k++)
			(void)hq_smbios_string(st, (uint8_t)k);
		(void)hq_smbios_type_name(st->type);
	}
	{
		hq_smbios_system_info info;

		hq_smbios_get_system_info(s, &info);
	}
	hq_smbios_free(s);
	return 0;
}
