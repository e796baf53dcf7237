/* SMBIOS parser: entry point, structure walk, string sets and typed decoders (see smbios.h).
 * Every read goes through a bounds check against the structure's declared formatted length or
 * the table buffer's end; broken input ends the walk or yields "unknown", never a read past the
 * buffer. */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "lib/smbios.h"

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

static bool checksum_ok(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

/* The legacy DMI 2.0 anchor, also the intermediate anchor of the 2.x entry point: 15 bytes. */
static int parse_dmi_anchor(const uint8_t *p, size_t size, hq_smbios_entry_point *ep)
{
	if (size < 0x0F || memcmp(p, "_DMI_", 5) != 0)
		return -EBADMSG;
	if (!checksum_ok(p, 0x0F))
		return -EBADMSG;
	ep->table_length = le16(p + 0x06);
	ep->n_structures = le16(p + 0x0C);
	return 0;
}

int hq_smbios_parse_entry_point(const uint8_t *buf, size_t size, hq_smbios_entry_point *ret)
{
	hq_smbios_entry_point ep = {};
	int r;

	if (!buf || !ret)
		return -EINVAL;

	if (size >= 5 && memcmp(buf, "_SM3_", 5) == 0) {
		/* 64-bit entry point: 24 bytes, one checksum, no structure count. */
		uint8_t len;

		if (size < 0x18)
			return -EBADMSG;
		len = buf[0x06];
		if (len < 0x18 || len > size || !checksum_ok(buf, len))
			return -EBADMSG;
		ep.kind = HQ_SMBIOS_EP_64;
		ep.major = buf[0x07];
		ep.minor = buf[0x08];
		ep.docrev = buf[0x09];
		ep.table_length = le32(buf + 0x0C);
	} else if (size >= 4 && memcmp(buf, "_SM_", 4) == 0) {
		/* 32-bit entry point: 31 bytes (0x1E accepted: some SMBIOS 2.1 firmware says so),
		 * with the _DMI_ intermediate anchor at 0x10 carrying its own checksum. */
		uint8_t len;

		if (size < 0x1F)
			return -EBADMSG;
		len = buf[0x05];
		if (len < 0x1E || len > size || !checksum_ok(buf, len))
			return -EBADMSG;
		r = parse_dmi_anchor(buf + 0x10, size - 0x10, &ep);
		if (r < 0)
			return r;
		ep.kind = HQ_SMBIOS_EP_32;
		ep.major = buf[0x06];
		ep.minor = buf[0x07];
	} else if (size >= 5 && memcmp(buf, "_DMI_", 5) == 0) {
		r = parse_dmi_anchor(buf, size, &ep);
		if (r < 0)
			return r;
		ep.kind = HQ_SMBIOS_EP_LEGACY;
		ep.major = buf[0x0E] >> 4;
		ep.minor = buf[0x0E] & 0x0F;
	} else
		return -EINVAL;

	*ret = ep;
	return 0;
}

void hq_smbios_free(hq_smbios *s)
{
	if (!s)
		return;
	free(s->structs);
	free(s->owned_ep);
	free(s->owned_table);
	free(s);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

int hq_smbios_parse(const hq_smbios_entry_point *ep, const uint8_t *table, size_t table_size,
		    hq_smbios **ret)
{
	_cleanup_(hq_smbios_freep) hq_smbios *s = NULL;
	size_t limit = table_size, off = 0, cap = 0;
	unsigned max_count = 0;

	if (!ret || (!table && table_size > 0))
		return -EINVAL;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (ep) {
		s->ep = *ep;
		/* The entry point's length is exact for 2.x and a maximum for 3.x; either way
		 * nothing past it belongs to the table. */
		if (ep->kind != HQ_SMBIOS_EP_NONE && ep->table_length < limit)
			limit = ep->table_length;
		if (ep->kind == HQ_SMBIOS_EP_32 || ep->kind == HQ_SMBIOS_EP_LEGACY)
			max_count = ep->n_structures;
	}

	while (limit - off >= 4) {
		const uint8_t *h = table + off;
		hq_smbios_struct *st;
		size_t i;
		bool found = false;

		if (max_count > 0 && s->n_structs >= max_count)
			break;
		if (h[1] < 4) {
			/* Zero padding after the last structure is an end, anything else a break.
			 */
			if (!all_zero(h, limit - off))
				s->truncated = true;
			break;
		}
		if (h[1] > limit - off) {
			s->truncated = true; /* formatted area runs past the table */
			break;
		}
		/* The string set ends at the first double NUL after the formatted area. */
		for (i = off + h[1]; i + 1 < limit; i++)
			if (table[i] == 0 && table[i + 1] == 0) {
				found = true;
				break;
			}
		if (!found) {
			s->truncated = true; /* string set not terminated inside the table */
			break;
		}

		if (s->n_structs == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			hq_smbios_struct *n = reallocarray(s->structs, ncap, sizeof(*n));

			if (!n)
				return -ENOMEM;
			s->structs = n;
			cap = ncap;
		}
		st = &s->structs[s->n_structs++];
		*st = (hq_smbios_struct){
			.type = h[0],
			.length = h[1],
			.handle = le16(h + 2),
			.data = h,
			.strings = table + off + h[1],
			.strings_size = i + 2 - (off + h[1]),
			.size = i + 2 - off,
			.offset = off,
		};
		off = i + 2;
		if (st->type == HQ_SMBIOS_TYPE_END)
			break;
	}

	if (s->n_structs == 0 && s->truncated)
		return -EBADMSG;
	*ret = TAKE_PTR(s);
	return 0;
}

int hq_smbios_load(hq_query_ctx *ctx, hq_smbios **ret)
{
	_cleanup_(hq_smbios_freep) hq_smbios *s = NULL;
	_cleanup_free_ char *ep_buf = NULL, *table = NULL;
	size_t ep_size = 0, table_size = 0;
	hq_smbios_entry_point ep = {};
	int r;

	r = hq_ctx_read_file(ctx, "/sys/firmware/dmi/tables/DMI", HQ_SMBIOS_TABLE_MAX, &table,
			     &table_size);
	if (r < 0)
		return r;

	/* Linux exports both files since 4.2; without the entry point the table is still
	 * walkable (as osquery does), just without version and structure count. */
	r = hq_ctx_read_file(ctx, "/sys/firmware/dmi/tables/smbios_entry_point", 4096, &ep_buf,
			     &ep_size);
	if (r >= 0) {
		r = hq_smbios_parse_entry_point((const uint8_t *)ep_buf, ep_size, &ep);
		if (r < 0)
			return r;
	} else if (r != -ENOENT)
		return r;

	r = hq_smbios_parse(&ep, (const uint8_t *)table, table_size, &s);
	if (r < 0)
		return r;
	s->owned_ep = (uint8_t *)TAKE_PTR(ep_buf);
	s->owned_table = (uint8_t *)TAKE_PTR(table);
	*ret = TAKE_PTR(s);
	return 0;
}

int hq_smbios_load_for_scan(hq_query_ctx *ctx, hq_smbios **ret)
{
	hq_smbios *s = NULL;
	int r;

	*ret = NULL;
	r = hq_smbios_load(ctx, &s);
	if (r == -ENOENT) {
		hq_log_debug("smbios: no SMBIOS tables under the host root");
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(ctx, r, "failed to read SMBIOS tables: %m");
	if (s->truncated)
		hq_log_debug("smbios: table broken after %zu structures, rest ignored",
			     s->n_structs);
	*ret = s;
	return 1;
}

static int decode_as(int type, const hq_smbios_struct *st, hq_smbios_decoded *ret)
{
	switch (type) {
	case HQ_SMBIOS_TYPE_BIOS:
		return hq_smbios_decode_bios(st, &ret->bios);
	case HQ_SMBIOS_TYPE_PROCESSOR:
		return hq_smbios_decode_processor(st, &ret->processor);
	case HQ_SMBIOS_TYPE_MEMORY_ARRAY:
		return hq_smbios_decode_memory_array(st, &ret->memory_array);
	case HQ_SMBIOS_TYPE_MEMORY_DEVICE:
		return hq_smbios_decode_memory_device(st, &ret->memory_device);
	case HQ_SMBIOS_TYPE_MEMORY_ERROR_32:
		return hq_smbios_decode_memory_error(st, &ret->memory_error);
	case HQ_SMBIOS_TYPE_MEMORY_ARRAY_MAPPED_ADDRESS:
		return hq_smbios_decode_mapped_address(st, &ret->mapped_address);
	case HQ_SMBIOS_TYPE_MEMORY_DEVICE_MAPPED_ADDRESS:
		return hq_smbios_decode_device_mapped_address(st, &ret->device_mapped_address);
	default:
		return -EOPNOTSUPP;
	}
}

int hq_smbios_generate(hq_query_ctx *ctx, hq_row_sink *sink, int type, hq_smbios_fill_fn fill,
		       void *userdata)
{
	_cleanup_(hq_smbios_freep) hq_smbios *s = NULL;
	int r;

	r = hq_smbios_load_for_scan(ctx, &s);
	if (r <= 0)
		return r;

	for (size_t i = 0; i < s->n_structs; i++) {
		const hq_smbios_struct *st = &s->structs[i];
		hq_smbios_decoded d;
		hq_row *row;
		int last;

		if (type != HQ_SMBIOS_TYPE_ANY) {
			r = decode_as(type, st, &d);
			if (r == -EOPNOTSUPP)
				return hq_ctx_error(ctx, r, "no SMBIOS decoder for type %d", type);
			if (r < 0)
				continue;
		}
		r = hq_row_begin(sink, &row);
		if (r < 0)
			return r;
		last = fill(ctx, row, st, type == HQ_SMBIOS_TYPE_ANY ? NULL : &d, userdata);
		if (last < 0)
			return last;
		r = hq_row_commit(sink, row);
		if (r != 0)
			return r < 0 ? r : 0;
		if (last > 0)
			break;
	}
	return 0;
}

void hq_smbios_set_text(hq_row *row, unsigned col, hq_smbios_text t)
{
	if (t.s)
		hq_row_set_text_len(row, col, t.s, t.len);
}

void hq_smbios_set_int(hq_row *row, unsigned col, int64_t v)
{
	if (v >= 0)
		hq_row_set_int64(row, col, v);
}

void hq_smbios_set_handle(hq_row *row, unsigned col, int64_t handle)
{
	if (handle >= 0)
		hq_row_set_textf(row, col, "0x%04x", (unsigned)handle);
}

void hq_smbios_set_address(hq_row *row, unsigned col, uint64_t addr, bool extended)
{
	hq_row_set_textf(row, col, "0x%0*" PRIx64, extended ? 12 : 8, addr);
}

bool hq_smbios_u8(const hq_smbios_struct *st, size_t off, uint8_t *ret)
{
	if (off >= st->length)
		return false;
	*ret = st->data[off];
	return true;
}

bool hq_smbios_u16(const hq_smbios_struct *st, size_t off, uint16_t *ret)
{
	if (off + 2 > st->length)
		return false;
	*ret = le16(st->data + off);
	return true;
}

bool hq_smbios_u32(const hq_smbios_struct *st, size_t off, uint32_t *ret)
{
	if (off + 4 > st->length)
		return false;
	*ret = le32(st->data + off);
	return true;
}

bool hq_smbios_u64(const hq_smbios_struct *st, size_t off, uint64_t *ret)
{
	if (off + 8 > st->length)
		return false;
	*ret = le64(st->data + off);
	return true;
}

hq_smbios_text hq_smbios_string(const hq_smbios_struct *st, uint8_t index)
{
	const char *p = (const char *)st->strings;
	const char *end = p + st->strings_size;

	if (index == 0)
		return (hq_smbios_text){"", 0};
	/* The set is NUL-terminated by construction (it ends in a double NUL), so strnlen
	 * bounded by the set's end always stops inside it. */
	for (unsigned k = 1; p < end && *p != '\0'; k++) {
		size_t n = strnlen(p, (size_t)(end - p));

		if (k == index) {
			while (n > 0 && isspace((unsigned char)p[n - 1]))
				n--;
			return (hq_smbios_text){p, n};
		}
		p += n + 1;
	}
	return (hq_smbios_text){NULL, 0};
}

hq_smbios_text hq_smbios_string_at(const hq_smbios_struct *st, size_t off)
{
	uint8_t idx;

	if (!hq_smbios_u8(st, off, &idx))
		return (hq_smbios_text){NULL, 0};
	return hq_smbios_string(st, idx);
}

/* Lookup of an enumeration byte in a sparse name table. */
typedef struct name_entry {
	uint8_t code;
	const char *name;
} name_entry;

static const char *lookup(const name_entry *t, size_t n, uint8_t code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

#define LOOKUP(table, code) lookup(table, HQ_ELEMENTSOF(table), code)

static const name_entry type_names[] = {
	{0, "BIOS Information"},
	{1, "System Information"},
	{2, "Base Board or Module Information"},
	{3, "System Enclosure or Chassis"},
	{4, "Processor Information"},
	{5, "Memory Controller Information"},
	{6, "Memory Module Information"},
	{7, "Cache Information"},
	{8, "Port Connector Information"},
	{9, "System Slots"},
	{10, "On Board Devices Information"},
	{11, "OEM Strings"},
	{12, "System Configuration Options"},
	{13, "BIOS Language Information"},
	{14, "Group Associations"},
	{15, "System Event Log"},
	{16, "Physical Memory Array"},
	{17, "Memory Device"},
	{18, "32-bit Memory Error Information"},
	{19, "Memory Array Mapped Address"},
	{20, "Memory Device Mapped Address"},
	{21, "Built-in Pointing Device"},
	{22, "Portable Battery"},
	{23, "System Reset"},
	{24, "Hardware Security"},
	{25, "System Power Controls"},
	{26, "Voltage Probe"},
	{27, "Cooling Device"},
	{28, "Temperature Probe"},
	{29, "Electrical Current Probe"},
	{30, "Out-of-Band Remote Access"},
	{31, "Boot Integrity Services"},
	{32, "System Boot Information"},
	{33, "64-bit Memory Error Information"},
	{34, "Management Device"},
	{35, "Management Device Component"},
	{36, "Management Device Threshold Data"},
	{37, "Memory Channel"},
	{38, "IPMI Device Information"},
	{39, "System Power Supply"},
	{40, "Additional Information"},
	{41, "Onboard Devices Extended Info"},
	{126, "Inactive"},
	{127, "End-of-Table"},
	{130, "Memory SPD Data"},
	{131, "OEM Processor Type"},
	{132, "OEM Processor Bus Speed"},
};

const char *hq_smbios_type_name(uint8_t type)
{
	const char *n = LOOKUP(type_names, type);

	return n ? n : "Unknown";
}

/* Type 17 enumerations with osquery's spelling; codes osquery does not know (0x10 "Die", the
 * memory types after LPDDR4) use the DSP0134 3.x names. */
static const name_entry form_factors[] = {
	{0x01, "Other"},  {0x02, "Unknown"}, {0x03, "SIMM"},	     {0x04, "SIP"},
	{0x05, "Chip"},	  {0x06, "DIP"},     {0x07, "ZIP"},	     {0x08, "Proprietary Card"},
	{0x09, "DIMM"},	  {0x0A, "TSOP"},    {0x0B, "Row of chips"}, {0x0C, "RIMM"},
	{0x0D, "SODIMM"}, {0x0E, "SRIMM"},   {0x0F, "FB-DIMM"},	     {0x10, "Die"},
};

static const name_entry memory_types[] = {
	{0x01, "Other"},
	{0x02, "Unknown"},
	{0x03, "DRAM"},
	{0x04, "EDRAM"},
	{0x05, "VRAM"},
	{0x06, "SRAM"},
	{0x07, "RAM"},
	{0x08, "ROM"},
	{0x09, "FLASH"},
	{0x0A, "EEPROM"},
	{0x0B, "FEPROM"},
	{0x0C, "EPROM"},
	{0x0D, "CDRAM"},
	{0x0E, "3DRAM"},
	{0x0F, "SDRAM"},
	{0x10, "SGRAM"},
	{0x11, "RDRAM"},
	{0x12, "DDR"},
	{0x13, "DDR2"},
	{0x14, "DDR2 FB-DIMM"},
	{0x15, "RESERVED"},
	{0x16, "RESERVED"},
	{0x17, "RESERVED"},
	{0x18, "DDR3"},
	{0x19, "FBD2"},
	{0x1A, "DDR4"},
	{0x1B, "LPDDR"},
	{0x1C, "LPDDR2"},
	{0x1D, "LPDDR3"},
	{0x1E, "LPDDR4"},
	{0x1F, "Logical non-volatile device"},
	{0x20, "HBM"},
	{0x21, "HBM2"},
	{0x22, "DDR5"},
	{0x23, "LPDDR5"},
	{0x24, "HBM3"},
};

static const char *const type_detail_bits[16] = {
	"Reserved",
	"Other",
	"Unknown",
	"Fast-paged",
	"Static column",
	"Pseudo-static",
	"RAMBUS",
	"Synchronous",
	"CMOS",
	"EDO",
	"Window DRAM",
	"Cache DRAM",
	"Non-volatile",
	"Registered (Buffered)",
	"Unbuffered (Unregistered)",
	"LRDIMM",
};

char *hq_smbios_type_detail_str(uint16_t bits, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < 16; i++) {
		int n;

		if (!(bits & (1U << i)))
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", type_detail_bits[i]);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	return buf;
}

int hq_smbios_decode_memory_device(const hq_smbios_struct *st, hq_smbios_memory_device *ret)
{
	hq_smbios_memory_device d = {
		.array_handle = -1,
		.total_width = -1,
		.data_width = -1,
		.size_mb = -1,
		.size_kb = -1,
		.set = -1,
		.max_speed = -1,
		.configured_speed = -1,
		.min_voltage = -1,
		.max_voltage = -1,
		.configured_voltage = -1,
	};
	uint16_t w;
	uint32_t dw;
	uint8_t b;

	/* 0x15 is the SMBIOS 2.1 length: everything up to the type detail. */
	if (st->type != HQ_SMBIOS_TYPE_MEMORY_DEVICE || st->length < 0x15)
		return -EINVAL;

	d.handle = st->handle;
	if (hq_smbios_u16(st, 0x04, &w))
		d.array_handle = w;
	if (hq_smbios_u16(st, 0x08, &w) && w != 0xFFFF)
		d.total_width = w;
	if (hq_smbios_u16(st, 0x0A, &w) && w != 0xFFFF)
		d.data_width = w;
	if (hq_smbios_u16(st, 0x0C, &w) && w != 0xFFFF) {
		if (w == 0x7FFF && hq_smbios_u32(st, 0x1C, &dw)) {
			/* 2.7+: the real size is the Extended Size dword, in MB (bits 0-30). A
			 * structure too short to have it predates that meaning: 0x7FFF is then
			 * plainly 32767 MB (dmidecode reads it the same way). */
			d.size_mb = dw & 0x7FFFFFFF;
			d.size_kb = d.size_mb * 1024;
		} else if (w & 0x8000) {
			/* Rounded up, so that a populated sub-MB module never reads as an
			 * empty slot (size 0). */
			d.size_kb = w & 0x7FFF;
			d.size_mb = (d.size_kb + 1023) / 1024;
		} else {
			d.size_mb = w;
			d.size_kb = (int64_t)w * 1024;
		}
	}
	if (hq_smbios_u8(st, 0x0E, &b))
		d.form_factor = LOOKUP(form_factors, b);
	if (hq_smbios_u8(st, 0x0F, &b) && b != 0xFF)
		d.set = b;
	d.device_locator = hq_smbios_string_at(st, 0x10);
	d.bank_locator = hq_smbios_string_at(st, 0x11);
	if (hq_smbios_u8(st, 0x12, &b))
		d.memory_type = LOOKUP(memory_types, b);
	if (hq_smbios_u16(st, 0x13, &w)) {
		d.type_detail = w;
		d.has_type_detail = true;
	}
	/* Speeds: 0 is unknown; 0xFFFF (3.3+) defers to the Extended Speed dword. */
	if (hq_smbios_u16(st, 0x15, &w) && w != 0) {
		if (w != 0xFFFF)
			d.max_speed = w;
		else if (hq_smbios_u32(st, 0x54, &dw) && (dw & 0x7FFFFFFF) != 0)
			d.max_speed = dw & 0x7FFFFFFF;
	}
	d.manufacturer = hq_smbios_string_at(st, 0x17);
	d.serial_number = hq_smbios_string_at(st, 0x18);
	d.asset_tag = hq_smbios_string_at(st, 0x19);
	d.part_number = hq_smbios_string_at(st, 0x1A);
	if (hq_smbios_u16(st, 0x20, &w) && w != 0) {
		if (w != 0xFFFF)
			d.configured_speed = w;
		else if (hq_smbios_u32(st, 0x58, &dw) && (dw & 0x7FFFFFFF) != 0)
			d.configured_speed = dw & 0x7FFFFFFF;
	}
	if (hq_smbios_u16(st, 0x22, &w) && w != 0)
		d.min_voltage = w;
	if (hq_smbios_u16(st, 0x24, &w) && w != 0)
		d.max_voltage = w;
	if (hq_smbios_u16(st, 0x26, &w) && w != 0)
		d.configured_voltage = w;

	*ret = d;
	return 0;
}

static const name_entry array_locations[] = {
	{0x01, "Other"},
	{0x02, "Unknown"},
	{0x03, "System board or motherboard"},
	{0x04, "ISA add-on card"},
	{0x05, "EISA add-on card"},
	{0x06, "PCI add-on card"},
	{0x07, "MCA add-on card"},
	{0x08, "PCMCIA add-on card"},
	{0x09, "Proprietary add-on card"},
	{0x0A, "NuBus"},
	{0xA0, "PC-98/C20 add-on card"},
	{0xA1, "PC-98/C24 add-on card"},
	{0xA2, "PC-98/E add-on card"},
	{0xA3, "PC-98/Local bus add-on card"},
};

static const name_entry array_uses[] = {
	{0x01, "Other"},	{0x02, "Unknown"},	{0x03, "System memory"},
	{0x04, "Video memory"}, {0x05, "Flash memory"}, {0x06, "Non-volatile RAM"},
	{0x07, "Cache memory"},
};

static const name_entry array_ecc[] = {
	{0x01, "Other"},	  {0x02, "Unknown"},	   {0x03, "none"}, {0x04, "Parity"},
	{0x05, "Single-bit ECC"}, {0x06, "Multi-bit ECC"}, {0x07, "CRC"},
};

int hq_smbios_decode_memory_array(const hq_smbios_struct *st, hq_smbios_memory_array *ret)
{
	hq_smbios_memory_array a = {
		.max_capacity_gb = -1, .error_info_handle = -1, .n_devices = -1};
	uint32_t cap;
	uint64_t ext;
	uint16_t w;

	if (st->type != HQ_SMBIOS_TYPE_MEMORY_ARRAY || st->length < 0x0F)
		return -EINVAL;
	a.handle = st->handle;
	a.location = LOOKUP(array_locations, st->data[0x04]);
	a.use = LOOKUP(array_uses, st->data[0x05]);
	a.error_correction = LOOKUP(array_ecc, st->data[0x06]);
	/* Maximum Capacity is in KB; 0x80000000 defers to the 2.7+ Extended Maximum Capacity
	 * (bytes). osquery reports whole GB. */
	cap = le32(st->data + 0x07);
	if (cap < 0x80000000)
		a.max_capacity_gb = cap / (1024 * 1024);
	else if (hq_smbios_u64(st, 0x0F, &ext))
		a.max_capacity_gb = (int64_t)(ext / (1024ULL * 1024 * 1024));
	w = le16(st->data + 0x0B);
	if (w != 0xFFFE && w != 0xFFFF)
		a.error_info_handle = w;
	a.n_devices = le16(st->data + 0x0D);
	*ret = a;
	return 0;
}

static const name_entry error_types[] = {
	{0x01, "Other"},
	{0x02, "Unknown"},
	{0x03, "OK"},
	{0x04, "Bad read"},
	{0x05, "Parity error"},
	{0x06, "Single-bit error"},
	{0x07, "Double-bit error"},
	{0x08, "Multi-bit error"},
	{0x09, "Nibble error"},
	{0x0A, "Checksum error"},
	{0x0B, "CRC error"},
	{0x0C, "Corrected single-bit error"},
	{0x0D, "Corrected error"},
	{0x0E, "Uncorrectable error"},
};

static const name_entry error_granularities[] = {
	{0x01, "Other"},
	{0x02, "Unknown"},
	{0x03, "Device level"},
	{0x04, "Memory partition level"},
};

static const name_entry error_operations[] = {
	{0x01, "Other"}, {0x02, "Unknown"},	  {0x03, "Read"},
	{0x04, "Write"}, {0x05, "Partial write"},
};

int hq_smbios_decode_memory_error(const hq_smbios_struct *st, hq_smbios_memory_error *ret)
{
	hq_smbios_memory_error e = {};
	uint32_t dw;

	if (st->type != HQ_SMBIOS_TYPE_MEMORY_ERROR_32 || st->length < 0x17)
		return -EINVAL;
	e.handle = st->handle;
	e.error_type = LOOKUP(error_types, st->data[0x04]);
	e.granularity = LOOKUP(error_granularities, st->data[0x05]);
	e.operation = LOOKUP(error_operations, st->data[0x06]);
	dw = le32(st->data + 0x07);
	e.vendor_syndrome = dw != 0 ? (int64_t)dw : -1;
	/* 0x80000000 is SMBIOS's "unknown" for the three fields below. */
	dw = le32(st->data + 0x0B);
	e.array_error_address = dw != 0x80000000 ? (int64_t)dw : -1;
	dw = le32(st->data + 0x0F);
	e.device_error_address = dw != 0x80000000 ? (int64_t)dw : -1;
	dw = le32(st->data + 0x13);
	e.resolution = dw != 0x80000000 ? (int64_t)dw : -1;
	*ret = e;
	return 0;
}

int hq_smbios_decode_mapped_address(const hq_smbios_struct *st, hq_smbios_mapped_address *ret)
{
	hq_smbios_mapped_address m = {};
	uint64_t s, e;

	if (st->type != HQ_SMBIOS_TYPE_MEMORY_ARRAY_MAPPED_ADDRESS || st->length < 0x0F)
		return -EINVAL;
	m.handle = st->handle;
	m.start = le32(st->data + 0x04);
	m.end = le32(st->data + 0x08);
	m.array_handle = le16(st->data + 0x0C);
	m.partition_width = st->data[0x0E];
	/* 2.7+: a starting address of 0xFFFFFFFF defers to the 64-bit byte addresses. */
	if (m.start == 0xFFFFFFFF && hq_smbios_u64(st, 0x0F, &s) && hq_smbios_u64(st, 0x17, &e)) {
		m.start = s;
		m.end = e;
		m.extended = true;
	}
	*ret = m;
	return 0;
}

int hq_smbios_decode_device_mapped_address(const hq_smbios_struct *st,
					   hq_smbios_device_mapped_address *ret)
{
	hq_smbios_device_mapped_address m = {};
	uint64_t s, e;

	if (st->type != HQ_SMBIOS_TYPE_MEMORY_DEVICE_MAPPED_ADDRESS || st->length < 0x13)
		return -EINVAL;
	m.handle = st->handle;
	m.start = le32(st->data + 0x04);
	m.end = le32(st->data + 0x08);
	m.device_handle = le16(st->data + 0x0C);
	m.array_mapped_handle = le16(st->data + 0x0E);
	m.partition_row_position = st->data[0x10] != 0xFF ? st->data[0x10] : -1;
	m.interleave_position = st->data[0x11] != 0xFF ? st->data[0x11] : -1;
	m.interleave_data_depth = st->data[0x12] != 0xFF ? st->data[0x12] : -1;
	/* 2.7+: a starting address of 0xFFFFFFFF defers to the 64-bit byte addresses. */
	if (m.start == 0xFFFFFFFF && hq_smbios_u64(st, 0x13, &s) && hq_smbios_u64(st, 0x1B, &e)) {
		m.start = s;
		m.end = e;
		m.extended = true;
	}
	*ret = m;
	return 0;
}

int hq_smbios_oem_string_count(const hq_smbios_struct *st)
{
	if (st->type != HQ_SMBIOS_TYPE_OEM_STRINGS || st->length < 0x05)
		return -EINVAL;
	return st->data[0x04];
}

int hq_smbios_decode_bios(const hq_smbios_struct *st, hq_smbios_bios *ret)
{
	hq_smbios_bios b = {.major = -1, .minor = -1};
	uint16_t ext;

	if (st->type != HQ_SMBIOS_TYPE_BIOS || st->length < 0x12)
		return -EINVAL;
	b.vendor = hq_smbios_string_at(st, 0x04);
	b.version = hq_smbios_string_at(st, 0x05);
	b.segment = le16(st->data + 0x06);
	b.date = hq_smbios_string_at(st, 0x08);
	b.rom_size = ((uint64_t)st->data[0x09] + 1) * 64 * 1024;
	/* 3.1+: 0xFF defers to the Extended BIOS ROM Size word (bits 14-15: MB or GB). */
	if (st->data[0x09] == 0xFF && hq_smbios_u16(st, 0x18, &ext)) {
		uint64_t unit = (ext >> 14) == 1 ? 1024ULL * 1024 * 1024 : 1024ULL * 1024;

		if ((ext >> 14) <= 1)
			b.rom_size = (uint64_t)(ext & 0x3FFF) * unit;
	}
	if (st->length >= 0x16) {
		b.major = st->data[0x14];
		b.minor = st->data[0x15];
	}
	*ret = b;
	return 0;
}

int hq_smbios_decode_processor(const hq_smbios_struct *st, hq_smbios_processor *ret)
{
	hq_smbios_processor p = {
		.core_count = -1,
		.thread_count = -1,
		.address_width = -1,
	};
	uint16_t w;
	uint8_t b;

	if (st->type != HQ_SMBIOS_TYPE_PROCESSOR || st->length < 0x1A)
		return -EINVAL;
	p.socket = hq_smbios_string_at(st, 0x04);
	p.processor_type = st->data[0x05];
	p.manufacturer = hq_smbios_string_at(st, 0x07);
	p.version = hq_smbios_string_at(st, 0x10);
	p.max_speed = le16(st->data + 0x14);
	p.current_speed = le16(st->data + 0x16);
	p.status = st->data[0x18];
	/* Counts (2.5+); 0xFF means "see the 3.0+ 16-bit count". */
	if (hq_smbios_u8(st, 0x23, &b)) {
		p.core_count = b;
		if (b == 0xFF && hq_smbios_u16(st, 0x2A, &w))
			p.core_count = w;
	}
	if (hq_smbios_u8(st, 0x25, &b)) {
		p.thread_count = b;
		if (b == 0xFF && hq_smbios_u16(st, 0x2E, &w))
			p.thread_count = w;
	}
	if (hq_smbios_u16(st, 0x26, &w))
		p.address_width = (w & (1U << 2)) ? 64 : 32;
	*ret = p;
	return 0;
}

static void copy_text(char *dst, size_t size, hq_smbios_text t)
{
	size_t n = t.s ? t.len : 0;

	if (n >= size)
		n = size - 1;
	if (n > 0)
		memcpy(dst, t.s, n);
	dst[n] = '\0';
}

void hq_smbios_get_system_info(const hq_smbios *s, hq_smbios_system_info *ret)
{
	hq_smbios_system_info info = {};

	for (size_t i = 0; s && i < s->n_structs; i++) {
		const hq_smbios_struct *st = &s->structs[i];

		/* The first structure of each type wins; 0x08 is the 2.0 length of both. */
		if (st->type == HQ_SMBIOS_TYPE_SYSTEM && !info.has_system && st->length >= 0x08) {
			info.has_system = true;
			copy_text(info.hardware_vendor, sizeof(info.hardware_vendor),
				  hq_smbios_string_at(st, 0x04));
			copy_text(info.hardware_model, sizeof(info.hardware_model),
				  hq_smbios_string_at(st, 0x05));
			copy_text(info.hardware_version, sizeof(info.hardware_version),
				  hq_smbios_string_at(st, 0x06));
			copy_text(info.hardware_serial, sizeof(info.hardware_serial),
				  hq_smbios_string_at(st, 0x07));
		} else if (st->type == HQ_SMBIOS_TYPE_BASEBOARD && !info.has_board &&
			   st->length >= 0x08) {
			info.has_board = true;
			copy_text(info.board_vendor, sizeof(info.board_vendor),
				  hq_smbios_string_at(st, 0x04));
			copy_text(info.board_model, sizeof(info.board_model),
				  hq_smbios_string_at(st, 0x05));
			copy_text(info.board_version, sizeof(info.board_version),
				  hq_smbios_string_at(st, 0x06));
			copy_text(info.board_serial, sizeof(info.board_serial),
				  hq_smbios_string_at(st, 0x07));
		}
	}

	/* Lenovo keeps the model name in Version and an SKU in Product Name; osquery swaps
	 * them so hardware_model reads like other vendors'. */
	if (strcasecmp(info.hardware_vendor, "lenovo") == 0) {
		char tmp[HQ_SMBIOS_SYSINFO_STRMAX];

		memcpy(tmp, info.hardware_model, sizeof(tmp));
		memcpy(info.hardware_model, info.hardware_version, sizeof(tmp));
		memcpy(info.hardware_version, tmp, sizeof(tmp));
	}
	*ret = info;
}

int hq_smbios_read_system_info(hq_query_ctx *ctx, hq_smbios_system_info *ret)
{
	_cleanup_(hq_smbios_freep) hq_smbios *s = NULL;
	int r;

	r = hq_smbios_load(ctx, &s);
	if (r < 0) {
		hq_smbios_get_system_info(NULL, ret);
		return r;
	}
	hq_smbios_get_system_info(s, ret);
	return 0;
}
