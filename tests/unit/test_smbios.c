/* Unit tests for the SMBIOS parser (tables/lib/smbios.c) on in-memory buffers: good 2.x and 3.x
 * entry points and tables, truncated and corrupt tables, string indexes past the set, short
 * (old-version) structures and every cut of a good table (copied to an exact-size heap buffer, so
 * a sanitizer build catches any read past it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/smbios.h"

typedef struct tbuf {
	uint8_t data[4096];
	size_t len;
} tbuf;

/* Appends one structure: header, `fmt` (length - 4 formatted bytes after the header) and the
 * NULL-terminated string list (an empty set is the double NUL). */
static void put_struct(tbuf *b, uint8_t type, uint8_t length, uint16_t handle, const uint8_t *fmt,
		       const char *const *strings)
{
	uint8_t *p = b->data + b->len;

	p[0] = type;
	p[1] = length;
	p[2] = handle & 0xFF;
	p[3] = handle >> 8;
	if (length > 4)
		memcpy(p + 4, fmt, length - 4);
	b->len += length;
	if (!strings || !strings[0]) {
		b->data[b->len++] = 0;
		b->data[b->len++] = 0;
		return;
	}
	for (size_t i = 0; strings[i]; i++) {
		size_t n = strlen(strings[i]) + 1;

		memcpy(b->data + b->len, strings[i], n);
		b->len += n;
	}
	b->data[b->len++] = 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xFF;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

static void fix_checksum(uint8_t *p, size_t n, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)(0x100 - sum);
}

static void make_ep32(uint8_t ep[0x1F], uint16_t table_len, uint16_t count)
{
	memset(ep, 0, 0x1F);
	memcpy(ep, "_SM_", 4);
	ep[0x05] = 0x1F;
	ep[0x06] = 2;
	ep[0x07] = 8;
	memcpy(ep + 0x10, "_DMI_", 5);
	put16(ep + 0x16, table_len);
	put32(ep + 0x18, 0xF0000);
	put16(ep + 0x1C, count);
	ep[0x1E] = 0x28;
	fix_checksum(ep + 0x10, 0x0F, 0x05);
	fix_checksum(ep, 0x1F, 0x04);
}

static void make_ep64(uint8_t ep[0x18], uint32_t table_max)
{
	memset(ep, 0, 0x18);
	memcpy(ep, "_SM3_", 5);
	ep[0x06] = 0x18;
	ep[0x07] = 3;
	ep[0x08] = 3;
	ep[0x0A] = 1;
	put32(ep + 0x0C, table_max);
	fix_checksum(ep, 0x18, 0x05);
}

/* A 92-byte (3.3) type 17 written at its structure offsets (f[0..3], the header, stays 0);
 * f + 4 is what put_struct() takes. */
static void make_memdev(uint8_t f[0x5C], uint16_t size, uint32_t ext_size)
{
	memset(f, 0, 0x5C);
	put16(f + 0x04, 0x1000);
	put16(f + 0x06, 0xFFFE);
	put16(f + 0x08, 72);
	put16(f + 0x0A, 64);
	put16(f + 0x0C, size);
	f[0x0E] = 0x09; /* DIMM */
	f[0x0F] = 0;
	f[0x10] = 1;			       /* "DIMM_A1" */
	f[0x11] = 2;			       /* "BANK 0" */
	f[0x12] = 0x1A;			       /* DDR4 */
	put16(f + 0x13, (1 << 7) | (1 << 13)); /* Synchronous Registered (Buffered) */
	put16(f + 0x15, 3200);
	f[0x17] = 3; /* manufacturer */
	f[0x18] = 4; /* serial */
	f[0x19] = 0; /* asset tag: none */
	f[0x1A] = 5; /* part number */
	f[0x1B] = 2;
	put32(f + 0x1C, ext_size);
	put16(f + 0x20, 2933);
	put16(f + 0x22, 1200);
	put16(f + 0x24, 1350);
	put16(f + 0x26, 1200);
}

static const char *const memdev_strings[] = {"DIMM_A1", "BANK 0", "Samsung  ",
					     "S123",	"M393A",  NULL};

/* type 0 (short), type 17, type 127. */
static void make_table(tbuf *b, uint16_t size, uint32_t ext_size)
{
	uint8_t bios[0x18 - 4] = {};
	uint8_t md[0x5C];
	static const char *const bios_strings[] = {"SeaBIOS", "1.16", "04/01/2014", NULL};

	b->len = 0;
	bios[0] = 1;		 /* vendor */
	bios[1] = 2;		 /* version */
	put16(bios + 2, 0xE800); /* segment */
	bios[4] = 3;		 /* date */
	bios[5] = 0;		 /* ROM size 64K */
	bios[0x14 - 4] = 1;
	bios[0x15 - 4] = 7;
	put_struct(b, 0, 0x18, 0x0000, bios, bios_strings);
	make_memdev(md, size, ext_size);
	put_struct(b, 17, 0x5C, 0x1100, md + 4, memdev_strings);
	put_struct(b, 127, 4, 0x7F00, NULL, NULL);
}

static hq_smbios *parse_copy(const hq_smbios_entry_point *ep, const uint8_t *data, size_t len,
			     uint8_t **ret_copy, int *ret_r)
{
	hq_smbios *s = NULL;
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	if (len)
		memcpy(copy, data, len);
	*ret_r = hq_smbios_parse(ep, copy, len, &s);
	*ret_copy = copy;
	return s;
}

static void assert_text(hq_smbios_text t, const char *want)
{
	if (!want) {
		assert_null(t.s);
		return;
	}
	assert_non_null(t.s);
	assert_int_equal(t.len, strlen(want));
	assert_memory_equal(t.s, want, t.len);
}

static void test_entry_point_32(void **state)
{
	uint8_t ep[0x1F];
	hq_smbios_entry_point e;

	make_ep32(ep, 500, 9);
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), 0);
	assert_int_equal(e.kind, HQ_SMBIOS_EP_32);
	assert_int_equal(e.major, 2);
	assert_int_equal(e.minor, 8);
	assert_int_equal(e.table_length, 500);
	assert_int_equal(e.n_structures, 9);

	/* Main checksum broken. */
	ep[0x04]++;
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), -EBADMSG);
	/* Intermediate checksum broken (main one fixed up again). */
	make_ep32(ep, 500, 9);
	ep[0x15]++;
	ep[0x04]--;
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), -EBADMSG);
	/* Missing _DMI_ anchor. */
	make_ep32(ep, 500, 9);
	ep[0x10] = 'X';
	fix_checksum(ep, 0x1F, 0x04);
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), -EBADMSG);
	/* Truncated. */
	make_ep32(ep, 500, 9);
	assert_int_equal(hq_smbios_parse_entry_point(ep, 0x10, &e), -EBADMSG);
	/* Declared length past the buffer. */
	ep[0x05] = 0x40;
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), -EBADMSG);
}

static void test_entry_point_64(void **state)
{
	uint8_t ep[0x18];
	hq_smbios_entry_point e;

	make_ep64(ep, 4000);
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), 0);
	assert_int_equal(e.kind, HQ_SMBIOS_EP_64);
	assert_int_equal(e.major, 3);
	assert_int_equal(e.minor, 3);
	assert_int_equal(e.table_length, 4000);
	assert_int_equal(e.n_structures, 0);

	ep[0x0C] ^= 1;
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), -EBADMSG);
	make_ep64(ep, 4000);
	assert_int_equal(hq_smbios_parse_entry_point(ep, 0x17, &e), -EBADMSG);
	assert_int_equal(hq_smbios_parse_entry_point((const uint8_t *)"garbage!", 8, &e), -EINVAL);
	assert_int_equal(hq_smbios_parse_entry_point(ep, 0, &e), -EINVAL);
}

static void test_good_table(void **state)
{
	tbuf b;
	uint8_t ep[0x18], *copy;
	hq_smbios_entry_point e;
	hq_smbios_memory_device d;
	hq_smbios_bios bios;
	hq_smbios *s;
	char details[128];
	int r;

	make_table(&b, 8192, 0);
	make_ep64(ep, (uint32_t)b.len + 100);
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), 0);
	/* Junk after the end marker must be ignored. */
	memset(b.data + b.len, 0xAB, 16);
	s = parse_copy(&e, b.data, b.len + 16, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 3);
	assert_false(s->truncated);
	assert_int_equal(s->structs[0].type, 0);
	assert_int_equal(s->structs[1].type, 17);
	assert_int_equal(s->structs[1].handle, 0x1100);
	assert_int_equal(s->structs[1].length, 0x5C);
	assert_int_equal(s->structs[2].type, 127);
	assert_int_equal(s->structs[2].size, 6);
	assert_string_equal(hq_smbios_type_name(17), "Memory Device");
	assert_string_equal(hq_smbios_type_name(200), "Unknown");

	assert_int_equal(hq_smbios_decode_bios(&s->structs[0], &bios), 0);
	assert_text(bios.vendor, "SeaBIOS");
	assert_text(bios.date, "04/01/2014");
	assert_int_equal(bios.segment, 0xE800);
	assert_int_equal(bios.rom_size, 65536);
	assert_int_equal(bios.major, 1);
	assert_int_equal(bios.minor, 7);
	assert_int_equal(hq_smbios_decode_memory_device(&s->structs[0], &d), -EINVAL);

	assert_int_equal(hq_smbios_decode_memory_device(&s->structs[1], &d), 0);
	assert_int_equal(d.handle, 0x1100);
	assert_int_equal(d.array_handle, 0x1000);
	assert_int_equal(d.total_width, 72);
	assert_int_equal(d.data_width, 64);
	assert_int_equal(d.size_mb, 8192);
	assert_int_equal(d.set, 0);
	assert_string_equal(d.form_factor, "DIMM");
	assert_string_equal(d.memory_type, "DDR4");
	assert_true(d.has_type_detail);
	assert_string_equal(hq_smbios_type_detail_str(d.type_detail, details, sizeof(details)),
			    "Synchronous Registered (Buffered)");
	assert_int_equal(d.max_speed, 3200);
	assert_int_equal(d.configured_speed, 2933);
	assert_int_equal(d.min_voltage, 1200);
	assert_int_equal(d.max_voltage, 1350);
	assert_int_equal(d.configured_voltage, 1200);
	assert_text(d.device_locator, "DIMM_A1");
	assert_text(d.bank_locator, "BANK 0");
	assert_text(d.manufacturer, "Samsung"); /* trailing blanks trimmed */
	assert_text(d.serial_number, "S123");
	assert_text(d.asset_tag, "");
	assert_text(d.part_number, "M393A");
	hq_smbios_free(s);
	free(copy);
}

static void test_sizes(void **state)
{
	static const struct {
		uint16_t word;
		uint32_t ext;
		int64_t mb, kb;
	} cases[] = {
		{0, 0, 0, 0},					/* empty slot */
		{0xFFFF, 0, -1, -1},				/* unknown */
		{0x8000 | 512, 0, 1, 512},			/* 512 KB: rounded up, never 0 */
		{0x8000 | 3072, 0, 3, 3072},			/* 3 MB in KB units */
		{0x7FFF, 65536, 65536, 65536LL * 1024},		/* extended: 64 GB */
		{0x7FFF, 0x80000000 | 1024, 1024, 1024 * 1024}, /* bit 31 reserved */
		{16384, 0, 16384, 16384 * 1024},
	};

	for (size_t i = 0; i < HQ_ELEMENTSOF(cases); i++) {
		tbuf b;
		uint8_t *copy;
		hq_smbios_memory_device d;
		hq_smbios *s;
		int r;

		make_table(&b, cases[i].word, cases[i].ext);
		s = parse_copy(NULL, b.data, b.len, &copy, &r);
		assert_int_equal(r, 0);
		assert_int_equal(hq_smbios_decode_memory_device(&s->structs[1], &d), 0);
		assert_int_equal(d.size_mb, cases[i].mb);
		assert_int_equal(d.size_kb, cases[i].kb);
		hq_smbios_free(s);
		free(copy);
	}
}

static void test_short_structure(void **state)
{
	/* An SMBIOS 2.1-sized type 17 (0x15 bytes): nothing after the type detail exists, and
	 * without the Extended Size field 0x7FFF is a plain 32767 MB. */
	tbuf b = {};
	uint8_t md[0x5C], *copy;
	hq_smbios_memory_device d;
	hq_smbios *s;
	int r;

	make_memdev(md, 0x7FFF, 65536);
	put_struct(&b, 17, 0x15, 0x1100, md + 4, memdev_strings);
	put_struct(&b, 127, 4, 0x7F00, NULL, NULL);
	s = parse_copy(NULL, b.data, b.len, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 2);
	assert_int_equal(hq_smbios_decode_memory_device(&s->structs[0], &d), 0);
	assert_int_equal(d.size_mb, 32767);
	assert_text(d.device_locator, "DIMM_A1");
	assert_int_equal(d.max_speed, -1);
	assert_int_equal(d.configured_speed, -1);
	assert_int_equal(d.min_voltage, -1);
	assert_text(d.manufacturer, NULL);
	assert_text(d.part_number, NULL);

	/* Shorter than the 2.1 minimum: not decodable at all. */
	b.len = 0;
	put_struct(&b, 17, 0x10, 0x1100, md + 4, NULL);
	hq_smbios_free(s);
	free(copy);
	s = parse_copy(NULL, b.data, b.len, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(hq_smbios_decode_memory_device(&s->structs[0], &d), -EINVAL);
	hq_smbios_free(s);
	free(copy);
}

static void test_string_index_out_of_range(void **state)
{
	tbuf b = {};
	uint8_t md[0x5C], *copy;
	hq_smbios_memory_device d;
	static const char *const two[] = {"DIMM_A1", "BANK 0", NULL};
	hq_smbios *s;
	int r;

	make_memdev(md, 4096, 0);
	put_struct(&b, 17, 0x5C, 0x1100, md + 4, two);	/* indexes 3..5 point past the set */
	put_struct(&b, 17, 0x5C, 0x1101, md + 4, NULL); /* no strings at all */
	s = parse_copy(NULL, b.data, b.len, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 2);
	assert_int_equal(hq_smbios_decode_memory_device(&s->structs[0], &d), 0);
	assert_text(d.device_locator, "DIMM_A1");
	assert_text(d.bank_locator, "BANK 0");
	assert_text(d.manufacturer, NULL);
	assert_text(d.part_number, NULL);
	assert_text(d.asset_tag, "");
	assert_text(hq_smbios_string(&s->structs[0], 255), NULL);
	assert_int_equal(hq_smbios_decode_memory_device(&s->structs[1], &d), 0);
	assert_text(d.device_locator, NULL);
	assert_int_equal(d.size_mb, 4096);
	hq_smbios_free(s);
	free(copy);
}

static void test_truncated_and_corrupt(void **state)
{
	tbuf b;
	uint8_t *copy;
	hq_smbios *s;
	int r;

	make_table(&b, 8192, 0);
	size_t bios_size = 0x18 + strlen("SeaBIOS") + strlen("1.16") + strlen("04/01/2014") + 4;

	/* Cut inside the type 17 formatted area: the BIOS structure survives. */
	s = parse_copy(NULL, b.data, bios_size + 20, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 1);
	assert_true(s->truncated);
	hq_smbios_free(s);
	free(copy);

	/* Cut inside the type 17 string set: no double NUL, the structure is dropped. */
	s = parse_copy(NULL, b.data, bios_size + 0x5C + 5, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 1);
	assert_true(s->truncated);
	hq_smbios_free(s);
	free(copy);

	/* A length below the 4-byte header in the middle of the table. */
	b.data[bios_size + 1] = 2;
	s = parse_copy(NULL, b.data, b.len, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 1);
	assert_true(s->truncated);
	hq_smbios_free(s);
	free(copy);

	/* The very first structure broken: the whole table is corrupt. */
	b.data[1] = 0xF0;
	s = parse_copy(NULL, b.data, 100, &copy, &r);
	assert_int_equal(r, -EBADMSG);
	assert_null(s);
	free(copy);

	/* Zero padding after the last structure is a clean end, and an empty table is fine. */
	make_table(&b, 8192, 0);
	b.len -= 6; /* drop the end marker */
	memset(b.data + b.len, 0, 32);
	s = parse_copy(NULL, b.data, b.len + 32, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 2);
	assert_false(s->truncated);
	hq_smbios_free(s);
	free(copy);
	s = parse_copy(NULL, b.data, 0, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 0);
	hq_smbios_free(s);
	free(copy);
}

static void test_every_cut(void **state)
{
	/* Every prefix of a good table parses without error or overread (the sanitizer build
	 * checks the latter), and yields a prefix of its structures. */
	tbuf b;

	make_table(&b, 0x7FFF, 65536);
	for (size_t len = 0; len <= b.len; len++) {
		uint8_t *copy;
		hq_smbios *s;
		int r;

		s = parse_copy(NULL, b.data, len, &copy, &r);
		if (r == 0) {
			assert_true(s->n_structs <= 3);
			for (size_t i = 0; i < s->n_structs; i++) {
				hq_smbios_memory_device d;
				hq_smbios_bios bios;

				(void)hq_smbios_decode_memory_device(&s->structs[i], &d);
				(void)hq_smbios_decode_bios(&s->structs[i], &bios);
				for (unsigned k = 0; k < 8; k++)
					(void)hq_smbios_string(&s->structs[i], (uint8_t)k);
			}
			assert_true(s->n_structs == 3 || len < b.len);
			hq_smbios_free(s);
		} else
			assert_int_equal(r, -EBADMSG);
		free(copy);
	}
}

static void test_structure_count_32(void **state)
{
	/* The 2.x entry point's structure count and length bound the walk. */
	tbuf b;
	uint8_t ep[0x1F], *copy;
	hq_smbios_entry_point e;
	hq_smbios *s;
	int r;

	make_table(&b, 8192, 0);
	make_ep32(ep, (uint16_t)b.len, 2);
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), 0);
	s = parse_copy(&e, b.data, b.len, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 2);
	hq_smbios_free(s);
	free(copy);

	make_ep32(ep, 10, 9); /* length ends inside the first structure */
	assert_int_equal(hq_smbios_parse_entry_point(ep, sizeof(ep), &e), 0);
	s = parse_copy(&e, b.data, b.len, &copy, &r);
	assert_int_equal(r, -EBADMSG);
	free(copy);
}

static void test_system_info(void **state)
{
	tbuf b = {};
	uint8_t sys[0x1B - 4] = {1, 2, 3, 4};
	uint8_t board[0x0F - 4] = {1, 2, 0, 3};
	static const char *const sys_strings[] = {"LENOVO", "20XW0055GE", "ThinkPad X1 Carbon",
						  "PF2ABCDE ", NULL};
	static const char *const board_strings[] = {"LENOVO", "20XW0055GE", "L1HF16J01BR", NULL};
	hq_smbios_system_info info;
	uint8_t *copy;
	hq_smbios *s;
	int r;

	put_struct(&b, 1, 0x1B, 0x0001, sys, sys_strings);
	put_struct(&b, 2, 0x0F, 0x0002, board, board_strings);
	s = parse_copy(NULL, b.data, b.len, &copy, &r);
	assert_int_equal(r, 0);
	hq_smbios_get_system_info(s, &info);
	assert_true(info.has_system);
	assert_true(info.has_board);
	assert_string_equal(info.hardware_vendor, "LENOVO");
	assert_string_equal(info.hardware_model, "ThinkPad X1 Carbon");
	assert_string_equal(info.hardware_version, "20XW0055GE");
	assert_string_equal(info.hardware_serial, "PF2ABCDE");
	assert_string_equal(info.board_vendor, "LENOVO");
	assert_string_equal(info.board_model, "20XW0055GE");
	assert_string_equal(info.board_version, "");
	assert_string_equal(info.board_serial, "L1HF16J01BR");
	hq_smbios_free(s);
	free(copy);

	hq_smbios_get_system_info(NULL, &info);
	assert_false(info.has_system);
	assert_string_equal(info.hardware_vendor, "");
}

static void test_oem_strings_and_device_mapping(void **state)
{
	tbuf b = {};
	uint8_t oem[1] = {3}; /* announces 3 strings, holds 2 */
	static const char *const two[] = {"first", "second", NULL};
	uint8_t dm[0x23 - 4] = {};
	hq_smbios_device_mapped_address m;
	uint8_t *copy;
	hq_smbios *s;
	int r;

	put_struct(&b, 11, 5, 0x0B00, oem, two);
	put32(dm + 0x04 - 4, 0xFFFFFFFF);
	put16(dm + 0x0C - 4, 0x1100);
	put16(dm + 0x0E - 4, 0x1300);
	dm[0x10 - 4] = 0xFF;
	dm[0x11 - 4] = 2;
	dm[0x12 - 4] = 0xFF;
	put32(dm + 0x13 - 4, 0x00000000);
	put32(dm + 0x1B - 4, 0xFFFFFFFF);
	put32(dm + 0x1F - 4, 0x0000000F);
	put_struct(&b, 20, 0x23, 0x1400, dm, NULL);
	put_struct(&b, 20, 0x13, 0x1401, dm, NULL); /* 2.1 length: no 64-bit fields */
	s = parse_copy(NULL, b.data, b.len, &copy, &r);
	assert_int_equal(r, 0);
	assert_int_equal(s->n_structs, 3);

	assert_int_equal(hq_smbios_oem_string_count(&s->structs[0]), 3);
	assert_text(hq_smbios_string(&s->structs[0], 1), "first");
	assert_text(hq_smbios_string(&s->structs[0], 2), "second");
	assert_text(hq_smbios_string(&s->structs[0], 3), NULL);
	assert_int_equal(hq_smbios_oem_string_count(&s->structs[1]), -EINVAL);

	assert_int_equal(hq_smbios_decode_device_mapped_address(&s->structs[1], &m), 0);
	assert_true(m.extended);
	assert_int_equal(m.start, 0);
	assert_int_equal(m.end, 0xFFFFFFFFFULL);
	assert_int_equal(m.device_handle, 0x1100);
	assert_int_equal(m.array_mapped_handle, 0x1300);
	assert_int_equal(m.partition_row_position, -1);
	assert_int_equal(m.interleave_position, 2);
	assert_int_equal(m.interleave_data_depth, -1);
	assert_int_equal(hq_smbios_decode_device_mapped_address(&s->structs[2], &m), 0);
	assert_false(m.extended);
	assert_int_equal(m.start, 0xFFFFFFFF);
	assert_int_equal(hq_smbios_decode_device_mapped_address(&s->structs[0], &m), -EINVAL);
	hq_smbios_free(s);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_point_32),
		cmocka_unit_test(test_entry_point_64),
		cmocka_unit_test(test_good_table),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_short_structure),
		cmocka_unit_test(test_string_index_out_of_range),
		cmocka_unit_test(test_truncated_and_corrupt),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_structure_count_32),
		cmocka_unit_test(test_system_info),
		cmocka_unit_test(test_oem_strings_and_device_mapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
