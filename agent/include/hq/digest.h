/* Message digests (MD5, SHA-1, SHA-256) and base64, computed by OpenSSL's libcrypto. The
 * library is loaded with dlopen() on first use (see hq/dlopen.h), so only the processes that
 * hash something pay for it. Every call returns -EOPNOTSUPP when libcrypto.so.3 cannot be
 * loaded (the reason is logged at debug level). */
#pragma once

#include "hq/util.h"

typedef enum hq_digest_alg {
	HQ_DIGEST_MD5,
	HQ_DIGEST_SHA1,
	HQ_DIGEST_SHA256,
	_HQ_DIGEST_ALG_MAX,
} hq_digest_alg;

/* The longest digest (SHA-256) in bytes, and its lower-case hex form with the NUL. */
#define HQ_DIGEST_MAX_SIZE 32
#define HQ_DIGEST_HEX_MAX (2 * HQ_DIGEST_MAX_SIZE + 1)

typedef enum hq_digest_flags {
	/* OpenSSL's low-level MD5_*, SHA1_*, SHA256_* functions instead of EVP. Same digests;
	 * EVP's first use loads OpenSSL's provider machinery, about 2 MB of resident memory,
	 * which a long-running process that hashes a few small buffers (the daemon's config
	 * hash) does not want. */
	HQ_DIGEST_LOW_LEVEL = 1 << 0,
} hq_digest_flags;

/* Loads libcrypto if it is not loaded yet. 0, or -EOPNOTSUPP when it is not available. */
int hq_digest_load(void);

/* The digest length of alg in bytes, 0 for an unknown alg. */
size_t hq_digest_size(hq_digest_alg alg);

/* A streaming digest context. */
typedef struct hq_digest hq_digest;

int hq_digest_new(hq_digest_alg alg, hq_digest_flags flags, hq_digest **ret);
int hq_digest_update(hq_digest *d, const void *data, size_t len);
/* Finishes the digest into out and returns its length; the context is then spent (only
 * hq_digest_free() is allowed). */
int hq_digest_final(hq_digest *d, uint8_t out[static HQ_DIGEST_MAX_SIZE]);
/* Same, as lower-case hex; returns the number of hex characters. */
int hq_digest_final_hex(hq_digest *d, char out[static HQ_DIGEST_HEX_MAX]);
hq_digest *hq_digest_free(hq_digest *d);
HQ_DEFINE_TRIVIAL_CLEANUP_FUNC(hq_digest *, hq_digest_free)

/* One-shot forms: the digest of one buffer (len 0 may come with a NULL data). */
int hq_digest_buffer(hq_digest_alg alg, const void *data, size_t len,
		     uint8_t out[static HQ_DIGEST_MAX_SIZE]);
int hq_digest_buffer_hex(hq_digest_alg alg, const void *data, size_t len,
			 char out[static HQ_DIGEST_HEX_MAX]);

/* Writes lower-case hex of len bytes to out (2 * len + 1 bytes, NUL-terminated). */
void hq_hex_lower(const uint8_t *data, size_t len, char *out);

/* Standard base64 (RFC 4648 alphabet, '=' padding, no line breaks). The encoded length of len
 * bytes, without the NUL. */
static inline size_t hq_base64_encoded_size(size_t len)
{
	return (len + 2) / 3 * 4;
}

/* Encodes len bytes into out (hq_base64_encoded_size(len) + 1 bytes, NUL-terminated) and
 * returns the encoded length, -E2BIG beyond what OpenSSL's int lengths allow. */
ssize_t hq_base64_encode(const void *data, size_t len, char *out);

/* Decodes exactly len characters of padded base64 (whole 4-character groups, at most two '='
 * and only at the end; no whitespace) into out (len / 4 * 3 bytes suffice) and returns the
 * number of bytes, or -EINVAL for anything else. */
ssize_t hq_base64_decode(const char *s, size_t len, uint8_t *out);
