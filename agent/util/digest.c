/* Digests and base64 through libcrypto, loaded on first use (see hq/digest.h). All the
 * cryptography is OpenSSL's; this file only resolves its functions and keeps the contexts. */
#include <limits.h>
#include <pthread.h>

/* The low-level MD5_*, SHA1_*, SHA256_* functions are deprecated in OpenSSL 3 but exported, and
 * they are what HQ_DIGEST_LOW_LEVEL wants (see hq/digest.h). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include "hq/digest.h"
#include "hq/dlopen.h"

static void *libcrypto_dl;
static pthread_once_t libcrypto_once = PTHREAD_ONCE_INIT;
static int libcrypto_result;

static typeof(EVP_MD_CTX_new) *sym_EVP_MD_CTX_new;
static typeof(EVP_MD_CTX_free) *sym_EVP_MD_CTX_free;
static typeof(EVP_DigestInit_ex) *sym_EVP_DigestInit_ex;
static typeof(EVP_DigestUpdate) *sym_EVP_DigestUpdate;
static typeof(EVP_DigestFinal_ex) *sym_EVP_DigestFinal_ex;
static typeof(EVP_Digest) *sym_EVP_Digest;
static typeof(EVP_md5) *sym_EVP_md5;
static typeof(EVP_sha1) *sym_EVP_sha1;
static typeof(EVP_sha256) *sym_EVP_sha256;
static typeof(EVP_EncodeBlock) *sym_EVP_EncodeBlock;
static typeof(EVP_DecodeBlock) *sym_EVP_DecodeBlock;
static typeof(MD5_Init) *sym_MD5_Init;
static typeof(MD5_Update) *sym_MD5_Update;
static typeof(MD5_Final) *sym_MD5_Final;
static typeof(SHA1_Init) *sym_SHA1_Init;
static typeof(SHA1_Update) *sym_SHA1_Update;
static typeof(SHA1_Final) *sym_SHA1_Final;
static typeof(SHA256_Init) *sym_SHA256_Init;
static typeof(SHA256_Update) *sym_SHA256_Update;
static typeof(SHA256_Final) *sym_SHA256_Final;

static void libcrypto_load(void)
{
	libcrypto_result = hq_dlopen_many_sym(
		&libcrypto_dl, "libcrypto.so.3", HQ_DLSYM_ARG(EVP_MD_CTX_new),
		HQ_DLSYM_ARG(EVP_MD_CTX_free), HQ_DLSYM_ARG(EVP_DigestInit_ex),
		HQ_DLSYM_ARG(EVP_DigestUpdate), HQ_DLSYM_ARG(EVP_DigestFinal_ex),
		HQ_DLSYM_ARG(EVP_Digest), HQ_DLSYM_ARG(EVP_md5), HQ_DLSYM_ARG(EVP_sha1),
		HQ_DLSYM_ARG(EVP_sha256), HQ_DLSYM_ARG(EVP_EncodeBlock),
		HQ_DLSYM_ARG(EVP_DecodeBlock), HQ_DLSYM_ARG(MD5_Init), HQ_DLSYM_ARG(MD5_Update),
		HQ_DLSYM_ARG(MD5_Final), HQ_DLSYM_ARG(SHA1_Init), HQ_DLSYM_ARG(SHA1_Update),
		HQ_DLSYM_ARG(SHA1_Final), HQ_DLSYM_ARG(SHA256_Init), HQ_DLSYM_ARG(SHA256_Update),
		HQ_DLSYM_ARG(SHA256_Final), NULL);
}

int hq_digest_load(void)
{
	(void)pthread_once(&libcrypto_once, libcrypto_load);
	return libcrypto_result;
}

static const size_t digest_sizes[_HQ_DIGEST_ALG_MAX] = {
	[HQ_DIGEST_MD5] = MD5_DIGEST_LENGTH,
	[HQ_DIGEST_SHA1] = SHA_DIGEST_LENGTH,
	[HQ_DIGEST_SHA256] = SHA256_DIGEST_LENGTH,
};
static_assert(SHA256_DIGEST_LENGTH == HQ_DIGEST_MAX_SIZE, "HQ_DIGEST_MAX_SIZE is SHA-256's");

size_t hq_digest_size(hq_digest_alg alg)
{
	return alg >= 0 && alg < _HQ_DIGEST_ALG_MAX ? digest_sizes[alg] : 0;
}

static const EVP_MD *evp_md(hq_digest_alg alg)
{
	switch (alg) {
	case HQ_DIGEST_MD5:
		return sym_EVP_md5();
	case HQ_DIGEST_SHA1:
		return sym_EVP_sha1();
	case HQ_DIGEST_SHA256:
		return sym_EVP_sha256();
	default:
		return NULL;
	}
}

struct hq_digest {
	hq_digest_alg alg;
	bool low_level;
	bool done;
	EVP_MD_CTX *evp;
	union {
		MD5_CTX md5;
		SHA_CTX sha1;
		SHA256_CTX sha256;
	} ll;
};

hq_digest *hq_digest_free(hq_digest *d)
{
	if (!d)
		return NULL;
	if (d->evp)
		sym_EVP_MD_CTX_free(d->evp);
	free(d);
	return NULL;
}

int hq_digest_new(hq_digest_alg alg, hq_digest_flags flags, hq_digest **ret)
{
	_cleanup_(hq_digest_freep) hq_digest *d = NULL;
	int r, ok;

	if (hq_digest_size(alg) == 0 || !ret)
		return -EINVAL;
	r = hq_digest_load();
	if (r < 0)
		return r;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->alg = alg;
	d->low_level = flags & HQ_DIGEST_LOW_LEVEL;
	if (d->low_level) {
		switch (alg) {
		case HQ_DIGEST_MD5:
			ok = sym_MD5_Init(&d->ll.md5);
			break;
		case HQ_DIGEST_SHA1:
			ok = sym_SHA1_Init(&d->ll.sha1);
			break;
		default:
			ok = sym_SHA256_Init(&d->ll.sha256);
			break;
		}
		if (ok != 1)
			return -EIO;
	} else {
		d->evp = sym_EVP_MD_CTX_new();
		if (!d->evp)
			return -ENOMEM;
		if (sym_EVP_DigestInit_ex(d->evp, evp_md(alg), NULL) != 1)
			return -EIO;
	}
	*ret = TAKE_PTR(d);
	return 0;
}

int hq_digest_update(hq_digest *d, const void *data, size_t len)
{
	int ok;

	if (!d || d->done || (!data && len > 0))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!d->low_level)
		return sym_EVP_DigestUpdate(d->evp, data, len) == 1 ? 0 : -EIO;
	switch (d->alg) {
	case HQ_DIGEST_MD5:
		ok = sym_MD5_Update(&d->ll.md5, data, len);
		break;
	case HQ_DIGEST_SHA1:
		ok = sym_SHA1_Update(&d->ll.sha1, data, len);
		break;
	default:
		ok = sym_SHA256_Update(&d->ll.sha256, data, len);
		break;
	}
	return ok == 1 ? 0 : -EIO;
}

int hq_digest_final(hq_digest *d, uint8_t out[static HQ_DIGEST_MAX_SIZE])
{
	unsigned len = 0;
	int ok;

	if (!d || d->done)
		return -EINVAL;
	d->done = true;
	if (!d->low_level) {
		if (sym_EVP_DigestFinal_ex(d->evp, out, &len) != 1 || len != hq_digest_size(d->alg))
			return -EIO;
		return (int)len;
	}
	switch (d->alg) {
	case HQ_DIGEST_MD5:
		ok = sym_MD5_Final(out, &d->ll.md5);
		break;
	case HQ_DIGEST_SHA1:
		ok = sym_SHA1_Final(out, &d->ll.sha1);
		break;
	default:
		ok = sym_SHA256_Final(out, &d->ll.sha256);
		break;
	}
	return ok == 1 ? (int)hq_digest_size(d->alg) : -EIO;
}

void hq_hex_lower(const uint8_t *data, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[data[i] >> 4];
		out[2 * i + 1] = hex[data[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int hq_digest_final_hex(hq_digest *d, char out[static HQ_DIGEST_HEX_MAX])
{
	uint8_t md[HQ_DIGEST_MAX_SIZE];
	int r;

	r = hq_digest_final(d, md);
	if (r < 0)
		return r;
	hq_hex_lower(md, (size_t)r, out);
	return 2 * r;
}

int hq_digest_buffer(hq_digest_alg alg, const void *data, size_t len,
		     uint8_t out[static HQ_DIGEST_MAX_SIZE])
{
	unsigned n = 0;
	int r;

	if (hq_digest_size(alg) == 0 || (!data && len > 0))
		return -EINVAL;
	r = hq_digest_load();
	if (r < 0)
		return r;
	if (sym_EVP_Digest(data ?: "", len, out, &n, evp_md(alg), NULL) != 1 ||
	    n != hq_digest_size(alg))
		return -EIO;
	return (int)n;
}

int hq_digest_buffer_hex(hq_digest_alg alg, const void *data, size_t len,
			 char out[static HQ_DIGEST_HEX_MAX])
{
	uint8_t md[HQ_DIGEST_MAX_SIZE];
	int r;

	r = hq_digest_buffer(alg, data, len, md);
	if (r < 0)
		return r;
	hq_hex_lower(md, (size_t)r, out);
	return 2 * r;
}

ssize_t hq_base64_encode(const void *data, size_t len, char *out)
{
	int r;

	if (!data && len > 0)
		return -EINVAL;
	/* EVP_EncodeBlock() counts in int, output included. */
	if (len > (size_t)INT_MAX / 4 * 3)
		return -E2BIG;
	r = hq_digest_load();
	if (r < 0)
		return r;
	return sym_EVP_EncodeBlock((unsigned char *)out, data ?: "", (int)len);
}

static bool is_base64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

ssize_t hq_base64_decode(const char *s, size_t len, uint8_t *out)
{
	size_t pad = 0;
	int r;

	if ((!s && len > 0) || len % 4 != 0)
		return -EINVAL;
	if (len > (size_t)INT_MAX)
		return -E2BIG;
	/* EVP_DecodeBlock() skips surrounding whitespace, reads '=' anywhere as zero bits and
	 * returns the padding as zero bytes: the strict shape is checked here, and the padding
	 * taken off its count. */
	if (len > 0 && s[len - 1] == '=')
		pad = len > 1 && s[len - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < len - pad; i++)
		if (!is_base64_char(s[i]))
			return -EINVAL;
	if (len == 0)
		return 0;
	r = hq_digest_load();
	if (r < 0)
		return r;
	r = sym_EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
	if (r < 0 || (size_t)r != len / 4 * 3)
		return -EINVAL;
	return r - (ssize_t)pad;
}
