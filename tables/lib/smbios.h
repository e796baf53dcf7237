/* SMBIOS (DMTF DSP0134) parser: entry points (_SM_ 2.x, _SM3_ 3.x, legacy _DMI_), the structure
 * table (formatted area + string set of each structure, type 127 end marker) and typed decoders
 * for the structures hostq's tables read. The parser works on caller buffers, bounds-checks
 * every offset and never logs; hq_smbios_load() is the thin loader reading
 * <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI}, and hq_smbios_generate() with the
 * hq_smbios_set_*() cell setters is the generator glue the SMBIOS tables share. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/util.h"

#define HQ_SMBIOS_TYPE_BIOS 0
#define HQ_SMBIOS_TYPE_SYSTEM 1
#define HQ_SMBIOS_TYPE_BASEBOARD 2
#define HQ_SMBIOS_TYPE_PROCESSOR 4
#define HQ_SMBIOS_TYPE_OEM_STRINGS 11
#define HQ_SMBIOS_TYPE_MEMORY_ARRAY 16
#define HQ_SMBIOS_TYPE_MEMORY_DEVICE 17
#define HQ_SMBIOS_TYPE_MEMORY_ERROR_32 18
#define HQ_SMBIOS_TYPE_MEMORY_ARRAY_MAPPED_ADDRESS 19
#define HQ_SMBIOS_TYPE_MEMORY_DEVICE_MAPPED_ADDRESS 20
#define HQ_SMBIOS_TYPE_END 127

/* The largest DMI table the loader reads; real tables are a few KiB, the 3.x format allows 4 GiB.
 */
#define HQ_SMBIOS_TABLE_MAX (4U * 1024U * 1024U)

typedef enum hq_smbios_ep_kind {
	HQ_SMBIOS_EP_NONE,   /* no entry point: the table is walked until type 127 or its end */
	HQ_SMBIOS_EP_LEGACY, /* bare _DMI_ (DMI 2.0) */
	HQ_SMBIOS_EP_32,     /* _SM_ with _DMI_ intermediate anchor (SMBIOS 2.1 .. 2.8) */
	HQ_SMBIOS_EP_64,     /* _SM3_ (SMBIOS 3.x) */
} hq_smbios_ep_kind;

typedef struct hq_smbios_entry_point {
	hq_smbios_ep_kind kind;
	uint8_t major;
	uint8_t minor;
	uint8_t docrev;
	/* Table length (2.x: exact; 3.x: maximum) and structure count (2.x only, 0 = unknown). */
	uint32_t table_length;
	uint16_t n_structures;
} hq_smbios_entry_point;

/* One structure. All pointers point into the table buffer given to hq_smbios_parse(). */
typedef struct hq_smbios_struct {
	uint8_t type;
	uint8_t length; /* formatted length (header included), as declared by the structure */
	uint16_t handle;
	const uint8_t *data;	/* formatted area: `length` bytes, header included */
	const uint8_t *strings; /* string set, its final double NUL included */
	size_t strings_size;
	size_t size;   /* whole structure: formatted area + string set */
	size_t offset; /* byte offset of the structure in the table */
} hq_smbios_struct;

typedef struct hq_smbios {
	hq_smbios_entry_point ep;
	hq_smbios_struct *structs;
	size_t n_structs;
	/* The walk stopped at a broken structure (truncated, no string terminator, length < 4);
	 * the structures before it are kept. */
	bool truncated;
	/* Buffers owned by the handle when it came from hq_smbios_load(). */
	uint8_t *owned_ep;
	uint8_t *owned_table;
} hq_smbios;

/* Parses an entry point (as Linux exports it in smbios_entry_point). -EBADMSG when the anchor,
 * length or checksums are wrong, -EINVAL when the buffer is no known entry point. */
int hq_smbios_parse_entry_point(const uint8_t *buf, size_t size, hq_smbios_entry_point *ret);

/* Parses a structure table. ep may be NULL (then the whole buffer is walked as 3.x would). The
 * handle borrows `table`, which must outlive it. Returns -EBADMSG when the table is non-empty
 * but not even its first structure is well formed, -ENOMEM on OOM. */
int hq_smbios_parse(const hq_smbios_entry_point *ep, const uint8_t *table, size_t table_size,
		    hq_smbios **ret);

/* Reads <root>/sys/firmware/dmi/tables/{smbios_entry_point,DMI} and parses them. -ENOENT when
 * the host exports no SMBIOS (no DMI file); a missing entry point alone is tolerated. */
int hq_smbios_load(hq_query_ctx *ctx, hq_smbios **ret);

/* For table generators: loads the host's SMBIOS. Returns 1 with *ret set; 0 with *ret NULL when
 * the host exports none (a debug log, the table is empty); or a negative errno after
 * hq_ctx_error() set the message. Tables with one row per structure use hq_smbios_generate(). */
int hq_smbios_load_for_scan(hq_query_ctx *ctx, hq_smbios **ret);

void hq_smbios_free(hq_smbios *s);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_smbios *, hq_smbios_free);
#define _cleanup_smbios_ _cleanup_(hq_smbios_freep)

/* Formatted-area readers: false (and *ret untouched) when the field lies past the structure's
 * declared length, i.e. the structure's version does not have it. Little-endian. */
bool hq_smbios_u8(const hq_smbios_struct *st, size_t off, uint8_t *ret);
bool hq_smbios_u16(const hq_smbios_struct *st, size_t off, uint16_t *ret);
bool hq_smbios_u32(const hq_smbios_struct *st, size_t off, uint32_t *ret);
bool hq_smbios_u64(const hq_smbios_struct *st, size_t off, uint64_t *ret);

/* A string of the string set, trailing whitespace trimmed (len excludes it; s stays
 * NUL-terminated at its untrimmed end). s == NULL means unknown: the index field lies past the
 * formatted area or names a string the set does not have. Index 0 ("no string") gives "". */
typedef struct hq_smbios_text {
	const char *s;
	size_t len;
} hq_smbios_text;

hq_smbios_text hq_smbios_string(const hq_smbios_struct *st, uint8_t index);
/* The string whose index is stored in the byte at `off`. */
hq_smbios_text hq_smbios_string_at(const hq_smbios_struct *st, size_t off);

/* Description of a structure type as osquery's smbios_tables prints it ("Unknown" otherwise). */
const char *hq_smbios_type_name(uint8_t type);

/* Typed decoders. Integer fields are -1 when unknown (past the structure's length, or the
 * "unknown" value SMBIOS defines for the field); enumerations are decoded to osquery's names or
 * NULL. They return -EINVAL when the structure has another type or is shorter than its fixed
 * minimum. */

/* Type 17 Memory Device. */
typedef struct hq_smbios_memory_device {
	uint16_t handle;
	int64_t array_handle;
	int64_t total_width; /* bits; -1 for 0xFFFF */
	int64_t data_width;
	int64_t size_mb; /* 0 = no module installed; KB-granular sizes rounded up to MB */
	int64_t size_kb; /* the same size in KB (exact), -1 unknown */
	int64_t set;	 /* -1 for 0xFF */
	const char *form_factor;
	const char *memory_type;
	uint16_t type_detail; /* raw bit field; meaningful when has_type_detail */
	bool has_type_detail;
	int64_t max_speed; /* MT/s; Extended Speed used when the word is 0xFFFF; -1 unknown/0 */
	int64_t configured_speed;
	int64_t min_voltage; /* mV; -1 unknown (0) */
	int64_t max_voltage;
	int64_t configured_voltage;
	hq_smbios_text device_locator;
	hq_smbios_text bank_locator;
	hq_smbios_text manufacturer;
	hq_smbios_text serial_number;
	hq_smbios_text asset_tag;
	hq_smbios_text part_number;
} hq_smbios_memory_device;

int hq_smbios_decode_memory_device(const hq_smbios_struct *st, hq_smbios_memory_device *ret);

/* Space-separated names of the type-detail bits that are set (osquery's spelling). buf receives
 * at most size-1 characters; returns buf. */
char *hq_smbios_type_detail_str(uint16_t bits, char *buf, size_t size);

/* Type 16 Physical Memory Array. */
typedef struct hq_smbios_memory_array {
	uint16_t handle;
	const char *location;
	const char *use;
	const char *error_correction;
	int64_t max_capacity_gb;   /* osquery reports whole GB */
	int64_t error_info_handle; /* -1 for 0xFFFE (not provided) / 0xFFFF (none) */
	int64_t n_devices;
} hq_smbios_memory_array;

int hq_smbios_decode_memory_array(const hq_smbios_struct *st, hq_smbios_memory_array *ret);

/* Type 18 32-bit Memory Error Information. Addresses are -1 when SMBIOS says unknown
 * (0x80000000); vendor_syndrome is -1 when 0. */
typedef struct hq_smbios_memory_error {
	uint16_t handle;
	const char *error_type;
	const char *granularity;
	const char *operation;
	int64_t vendor_syndrome;
	int64_t array_error_address;
	int64_t device_error_address;
	int64_t resolution;
} hq_smbios_memory_error;

int hq_smbios_decode_memory_error(const hq_smbios_struct *st, hq_smbios_memory_error *ret);

/* Type 19 Memory Array Mapped Address. extended: the 64-bit addresses at 0x0F/0x17 were used. */
typedef struct hq_smbios_mapped_address {
	uint16_t handle;
	uint16_t array_handle;
	uint64_t start;
	uint64_t end;
	bool extended;
	int64_t partition_width;
} hq_smbios_mapped_address;

int hq_smbios_decode_mapped_address(const hq_smbios_struct *st, hq_smbios_mapped_address *ret);

/* Type 20 Memory Device Mapped Address. The three position/depth bytes are -1 for 0xFF
 * (unknown). */
typedef struct hq_smbios_device_mapped_address {
	uint16_t handle;
	uint16_t device_handle;
	uint16_t array_mapped_handle;
	uint64_t start;
	uint64_t end;
	bool extended;
	int64_t partition_row_position;
	int64_t interleave_position;
	int64_t interleave_data_depth;
} hq_smbios_device_mapped_address;

int hq_smbios_decode_device_mapped_address(const hq_smbios_struct *st,
					   hq_smbios_device_mapped_address *ret);

/* Type 11 OEM Strings: the number of strings the structure declares (its strings are then
 * hq_smbios_string(st, 1..n)); -EINVAL for another type or a short structure. */
int hq_smbios_oem_string_count(const hq_smbios_struct *st);

/* Type 0 BIOS Information. */
typedef struct hq_smbios_bios {
	hq_smbios_text vendor;
	hq_smbios_text version;
	hq_smbios_text date;
	uint16_t segment;
	uint64_t rom_size; /* bytes: (byte 0x09 + 1) * 64 KiB */
	int64_t major;	   /* system BIOS major/minor release (2.4+), -1 unknown */
	int64_t minor;
} hq_smbios_bios;

int hq_smbios_decode_bios(const hq_smbios_struct *st, hq_smbios_bios *ret);

/* Type 4 Processor Information. */
typedef struct hq_smbios_processor {
	hq_smbios_text socket;
	hq_smbios_text manufacturer;
	hq_smbios_text version;
	int64_t processor_type;
	int64_t status;
	int64_t max_speed; /* MHz */
	int64_t current_speed;
	int64_t core_count; /* 2.5+; Core Count 2 used when the byte is 0xFF (3.0+) */
	int64_t thread_count;
	int64_t address_width; /* 64 or 32 from the characteristics' 64-bit capable bit */
} hq_smbios_processor;

int hq_smbios_decode_processor(const hq_smbios_struct *st, hq_smbios_processor *ret);

/* The hardware_* (type 1) and board_* (type 2) strings of system_info, copied and trimmed; an
 * absent string is "". When the system manufacturer is "LENOVO" (any case), model and version
 * are swapped, as osquery does (Lenovo stores the model name in the Version string). */
#define HQ_SMBIOS_SYSINFO_STRMAX 256
typedef struct hq_smbios_system_info {
	bool has_system; /* a type 1 structure was found */
	bool has_board;	 /* a type 2 structure was found */
	char hardware_vendor[HQ_SMBIOS_SYSINFO_STRMAX];
	char hardware_model[HQ_SMBIOS_SYSINFO_STRMAX];
	char hardware_version[HQ_SMBIOS_SYSINFO_STRMAX];
	char hardware_serial[HQ_SMBIOS_SYSINFO_STRMAX];
	char board_vendor[HQ_SMBIOS_SYSINFO_STRMAX];
	char board_model[HQ_SMBIOS_SYSINFO_STRMAX];
	char board_version[HQ_SMBIOS_SYSINFO_STRMAX];
	char board_serial[HQ_SMBIOS_SYSINFO_STRMAX];
} hq_smbios_system_info;

void hq_smbios_get_system_info(const hq_smbios *s, hq_smbios_system_info *ret);

/* Loads the host's SMBIOS and fills ret; -ENOENT when the host has none (ret is then all ""). */
int hq_smbios_read_system_info(hq_query_ctx *ctx, hq_smbios_system_info *ret);

/* Table glue shared by the SMBIOS tables. */

/* The decoded form of one structure that hq_smbios_generate() hands to a table: the member of
 * the type it was asked for is set. */
typedef union hq_smbios_decoded {
	hq_smbios_bios bios;				       /* type 0 */
	hq_smbios_processor processor;			       /* type 4 */
	hq_smbios_memory_array memory_array;		       /* type 16 */
	hq_smbios_memory_device memory_device;		       /* type 17 */
	hq_smbios_memory_error memory_error;		       /* type 18 */
	hq_smbios_mapped_address mapped_address;	       /* type 19 */
	hq_smbios_device_mapped_address device_mapped_address; /* type 20 */
} hq_smbios_decoded;

/* hq_smbios_generate() type for "every structure, undecoded". */
#define HQ_SMBIOS_TYPE_ANY (-1)

/* Sets the cells of one row from a structure (d is NULL for HQ_SMBIOS_TYPE_ANY). Returns 0 to go
 * on, > 0 when this row is the last one the table wants, or a negative errno after
 * hq_ctx_error(). */
typedef int (*hq_smbios_fill_fn)(hq_query_ctx *ctx, hq_row *row, const hq_smbios_struct *st,
				 const hq_smbios_decoded *d, void *userdata);

/* The generator of a table with one row per structure: loads the host's SMBIOS as
 * hq_smbios_load_for_scan() does (none: no rows), decodes every structure of `type` (one of the
 * types hq_smbios_decoded has; a structure the decoder rejects is skipped) and commits one row
 * per structure, filled by fill(). Stops early when the scan's LIMIT is reached. */
int hq_smbios_generate(hq_query_ctx *ctx, hq_row_sink *sink, int type, hq_smbios_fill_fn fill,
		       void *userdata);

/* Cell setters in osquery's renderings; each leaves the cell NULL when the value is unknown. */
/* A string of the string set (t.s NULL: unknown). */
void hq_smbios_set_text(hq_row *row, unsigned col, hq_smbios_text t);
/* An integer field (-1: unknown). */
void hq_smbios_set_int(hq_row *row, unsigned col, int64_t v);
/* A structure handle, as 0x plus 4 hex digits (-1: none). */
void hq_smbios_set_handle(hq_row *row, unsigned col, int64_t handle);
/* A mapped address: the raw 32-bit field (KB units) with 8 hex digits, the 64-bit (extended)
 * byte address with 12. */
void hq_smbios_set_address(hq_row *row, unsigned col, uint64_t addr, bool extended);
