/* Pure line parsers for the classic /etc text databases: hosts, services, protocols and
 * resolv.conf. They take a buffer and hand back slices into it or small typed structs, and
 * never log. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hq/util.h"
#include "lib/dpkg_status.h" /* hq_slice */

/* Iterates lines: returns true with the next line (without '\n') in ret. */
bool hq_etc_next_line(const char *buf, size_t size, size_t *pos, hq_slice *ret);

/* Splits a line at its first comment character (any of `comment_chars`): ret_data is the part
 * before it, trimmed; ret_comment the part after it, trimmed (p == NULL when there is none). */
void hq_etc_split_comment(hq_slice line, const char *comment_chars, hq_slice *ret_data,
			  hq_slice *ret_comment);

/* Next blank-separated token of s at or after *pos; false at the end. */
bool hq_etc_next_token(hq_slice s, size_t *pos, hq_slice *ret);

/* Appends the tokens of s to b joined by single spaces, as osquery's split-then-join prints
 * name lists (hosts' names, services' aliases). */
void hq_etc_join_tokens(hq_slice s, hq_buf *b);

/* One /etc/services entry: "name port/protocol [aliases...] [# comment]". */
typedef struct hq_etc_service {
	hq_slice name;
	int port;
	hq_slice protocol;
	hq_slice aliases; /* from the first alias to the last, as written ("" when none) */
	hq_slice comment; /* p == NULL when the line has none */
} hq_etc_service;

/* Returns 1 for an entry, 0 for a blank/comment/malformed line. */
int hq_etc_service_parse(hq_slice line, hq_etc_service *ret);

/* One /etc/protocols entry: "name number [alias...] [# comment]". */
typedef struct hq_etc_protocol {
	hq_slice name;
	int number;
	hq_slice alias; /* first alias, p == NULL when none */
	hq_slice comment;
} hq_etc_protocol;

int hq_etc_protocol_parse(hq_slice line, hq_etc_protocol *ret);

/* One /etc/hosts entry: "address name [names...] [# comment]". */
typedef struct hq_etc_host {
	hq_slice address;
	hq_slice hostnames; /* first to last name as written */
} hq_etc_host;

int hq_etc_host_parse(hq_slice line, hq_etc_host *ret);

/* resolv.conf as glibc's resolver reads it (res_init): at most 3 nameservers, 6 search
 * domains (the last "search" or "domain" line wins) and 10 sortlist pairs, options as the
 * RES_* bit mask including RES_INIT and RES_DEFAULT. */
#define HQ_RESOLV_MAXNS 3
#define HQ_RESOLV_MAXDNSRCH 6
#define HQ_RESOLV_MAXSORT 10

typedef struct hq_resolv_conf {
	struct {
		int family;
		uint8_t addr[16];
	} ns[HQ_RESOLV_MAXNS];
	size_t n_ns;
	hq_slice search[HQ_RESOLV_MAXDNSRCH];
	size_t n_search;
	struct {
		uint8_t addr[4];
		uint8_t mask[4];
	} sort[HQ_RESOLV_MAXSORT];
	size_t n_sort;
	uint64_t options;
} hq_resolv_conf;

/* Parses resolv.conf text (buf must outlive the search slices). Never fails; an empty buffer
 * gives glibc's defaults (one nameserver 127.0.0.1, options RES_INIT|RES_DEFAULT). */
void hq_resolv_conf_parse(const char *buf, size_t size, hq_resolv_conf *ret);
