/* Version string comparisons behind the version collations and version_compare(). Inputs are
 * (pointer, length) pairs, not NUL-terminated; each returns -1, 0 or 1. */
#pragma once

#include <stddef.h>

/* osquery's generic "version": segments split on . - : ~ ^ (all equal), all-digit segments
 * compared numerically, other segments longer-first then bytewise; more segments win. */
int hq_version_cmp(const char *a, size_t na, const char *b, size_t nb);

/* dpkg's algorithm: [epoch:]upstream[-revision], '~' before everything, letters before other
 * characters, digit runs numerically. A missing revision equals "0". */
int hq_version_cmp_dpkg(const char *a, size_t na, const char *b, size_t nb);

/* rpm's EVR comparison (rpm.vercmp() of rpm 4.18): epoch, then rpmvercmp() of version (with
 * '~' and '^'), then release; a missing release sorts before any release. */
int hq_version_cmp_rhel(const char *a, size_t na, const char *b, size_t nb);

/* pacman's alpm_pkg_vercmp(): like rpm 4.8 (no '~'/'^' handling, separator length matters),
 * release compared only when both strings have one. */
int hq_version_cmp_arch(const char *a, size_t na, const char *b, size_t nb);
