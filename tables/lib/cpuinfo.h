/* Parser for /proc/cpuinfo (x86 and other "key : value" layouts): the brand and model of the
 * first processor and the logical, physical-core and socket counts. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Most processor blocks counted; beyond it the parser fails with -E2BIG. */
#define HQ_CPUINFO_MAX_CPUS 16384

typedef struct hq_cpuinfo {
	char *brand;	  /* first "model name" (or "Processor"), NULL when absent */
	char *model;	  /* first "model", NULL when absent */
	char *microcode;  /* first "microcode", NULL when absent */
	int64_t logical;  /* "processor" blocks */
	int64_t physical; /* distinct (physical id, core id) pairs; -1 when unknown */
	int64_t sockets;  /* distinct physical ids; -1 when unknown */
} hq_cpuinfo;

/* Parses len bytes of cpuinfo text. Returns 0, -ENOMEM or -E2BIG; ret is cleared on failure. */
int hq_cpuinfo_parse(const char *buf, size_t len, hq_cpuinfo *ret);
void hq_cpuinfo_done(hq_cpuinfo *info);
