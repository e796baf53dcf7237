/* Unit tests for hq/digest.h (agent/util/digest.c): MD5, SHA-1 and SHA-256 against the
 * published test vectors (RFC 1321, FIPS 180-2), streaming in pieces through both the EVP and
 * the low-level paths, and base64 against RFC 4648's vectors, binary round trips and input the
 * strict decoder must refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hq/digest.h"

typedef struct vector {
	hq_digest_alg alg;
	const char *input;
	const char *hex;
} vector;

static const vector vectors[] = {
	{HQ_DIGEST_MD5, "", "d41d8cd98f00b204e9800998ecf8427e"},
	{HQ_DIGEST_MD5, "abc", "900150983cd24fb0d6963f7d28e17f72"},
	{HQ_DIGEST_MD5, "message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
	{HQ_DIGEST_SHA1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
	{HQ_DIGEST_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
	{HQ_DIGEST_SHA1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	 "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
	{HQ_DIGEST_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{HQ_DIGEST_SHA256, "abc",
	 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{HQ_DIGEST_SHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
};

static void test_load(void **state)
{
	/* This machine has libcrypto.so.3 (libssl3 is a dependency of the build). */
	assert_int_equal(hq_digest_load(), 0);
	assert_int_equal(hq_digest_load(), 0);
	assert_int_equal(hq_digest_size(HQ_DIGEST_MD5), 16);
	assert_int_equal(hq_digest_size(HQ_DIGEST_SHA1), 20);
	assert_int_equal(hq_digest_size(HQ_DIGEST_SHA256), 32);
	assert_int_equal(hq_digest_size(_HQ_DIGEST_ALG_MAX), 0);
}

static void test_one_shot(void **state)
{
	for (size_t i = 0; i < HQ_ELEMENTSOF(vectors); i++) {
		const vector *v = &vectors[i];
		char hex[HQ_DIGEST_HEX_MAX];
		uint8_t md[HQ_DIGEST_MAX_SIZE];
		char again[HQ_DIGEST_HEX_MAX];

		assert_int_equal(hq_digest_buffer_hex(v->alg, v->input, strlen(v->input), hex),
				 (int)strlen(v->hex));
		assert_string_equal(hex, v->hex);

		assert_int_equal(hq_digest_buffer(v->alg, v->input, strlen(v->input), md),
				 (int)hq_digest_size(v->alg));
		hq_hex_lower(md, hq_digest_size(v->alg), again);
		assert_string_equal(again, v->hex);
	}
	/* An empty buffer may come as NULL. */
	char hex[HQ_DIGEST_HEX_MAX];
	assert_int_equal(hq_digest_buffer_hex(HQ_DIGEST_MD5, NULL, 0, hex), 32);
	assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");
	assert_int_equal(hq_digest_buffer_hex(HQ_DIGEST_MD5, NULL, 1, hex), -EINVAL);
	assert_int_equal(hq_digest_buffer_hex(_HQ_DIGEST_ALG_MAX, "", 0, hex), -EINVAL);
}

/* Feeds the input one byte, then the rest, in as many updates as it takes. */
static void check_streaming(hq_digest_flags flags)
{
	for (size_t i = 0; i < HQ_ELEMENTSOF(vectors); i++) {
		const vector *v = &vectors[i];
		_cleanup_(hq_digest_freep) hq_digest *d = NULL;
		char hex[HQ_DIGEST_HEX_MAX];
		size_t len = strlen(v->input);

		assert_int_equal(hq_digest_new(v->alg, flags, &d), 0);
		assert_int_equal(hq_digest_update(d, NULL, 0), 0);
		for (size_t off = 0; off < len;) {
			size_t n = off == 0 ? 1 : (len - off < 7 ? len - off : 7);
			assert_int_equal(hq_digest_update(d, v->input + off, n), 0);
			off += n;
		}
		assert_int_equal(hq_digest_final_hex(d, hex), (int)strlen(v->hex));
		assert_string_equal(hex, v->hex);

		/* The context is spent. */
		assert_int_equal(hq_digest_update(d, "x", 1), -EINVAL);
		assert_int_equal(hq_digest_final_hex(d, hex), -EINVAL);
	}
}

static void test_streaming_evp(void **state)
{
	check_streaming(0);
}

static void test_streaming_low_level(void **state)
{
	check_streaming(HQ_DIGEST_LOW_LEVEL);
}

static void test_streaming_large(void **state)
{
	/* One million 'a's (FIPS 180-2's third vector), in 1000-byte updates. */
	static const char *const expected[_HQ_DIGEST_ALG_MAX] = {
		[HQ_DIGEST_MD5] = "7707d6ae4e027c70eea2a935c2296f21",
		[HQ_DIGEST_SHA1] = "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
		[HQ_DIGEST_SHA256] =
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	};
	char block[1000];

	memset(block, 'a', sizeof(block));
	for (int alg = 0; alg < _HQ_DIGEST_ALG_MAX; alg++) {
		for (int ll = 0; ll < 2; ll++) {
			_cleanup_(hq_digest_freep) hq_digest *d = NULL;
			char hex[HQ_DIGEST_HEX_MAX];

			assert_int_equal(hq_digest_new(alg, ll ? HQ_DIGEST_LOW_LEVEL : 0, &d), 0);
			for (int i = 0; i < 1000; i++)
				assert_int_equal(hq_digest_update(d, block, sizeof(block)), 0);
			assert_true(hq_digest_final_hex(d, hex) > 0);
			assert_string_equal(hex, expected[alg]);
		}
	}
}

static void test_new_invalid(void **state)
{
	hq_digest *d = NULL;

	assert_int_equal(hq_digest_new(_HQ_DIGEST_ALG_MAX, 0, &d), -EINVAL);
	assert_null(d);
	assert_null(hq_digest_free(NULL));
}

static void test_base64_vectors(void **state)
{
	static const char *const pairs[][2] = {
		{"", ""},
		{"f", "Zg=="},
		{"fo", "Zm8="},
		{"foo", "Zm9v"},
		{"foob", "Zm9vYg=="},
		{"fooba", "Zm9vYmE="},
		{"foobar", "Zm9vYmFy"},
	};

	for (size_t i = 0; i < HQ_ELEMENTSOF(pairs); i++) {
		const char *plain = pairs[i][0], *enc = pairs[i][1];
		char out[16];
		uint8_t dec[16];

		assert_int_equal(hq_base64_encoded_size(strlen(plain)), strlen(enc));
		assert_int_equal(hq_base64_encode(plain, strlen(plain), out), (ssize_t)strlen(enc));
		assert_string_equal(out, enc);

		assert_int_equal(hq_base64_decode(enc, strlen(enc), dec), (ssize_t)strlen(plain));
		assert_memory_equal(dec, plain, strlen(plain));
	}
	/* "+" and "/" are the last two of the alphabet. */
	char out[8];
	assert_int_equal(hq_base64_encode("\xfb\xff\xbf", 3, out), 4);
	assert_string_equal(out, "+/+/");
}

static void test_base64_round_trip(void **state)
{
	uint8_t in[256], dec[256 + 3];
	char enc[4 * ((256 + 2) / 3) + 1];

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(255 - i);
	/* Every length up to 256 over every byte value, so all three tail shapes occur. */
	for (size_t n = 0; n <= sizeof(in); n++) {
		ssize_t e = hq_base64_encode(in, n, enc);

		assert_int_equal(e, (ssize_t)hq_base64_encoded_size(n));
		assert_int_equal(strlen(enc), (size_t)e);
		assert_int_equal(hq_base64_decode(enc, (size_t)e, dec), (ssize_t)n);
		assert_memory_equal(dec, in, n);
	}
}

static void test_base64_invalid(void **state)
{
	static const char *const bad[] = {
		"Zg",	    /* not whole groups */
		"Zg=",	    /* padding short of a group */
		"Zm9vY",    /* five characters */
		"Zg=a",	    /* padding in the middle */
		"Z===",	    /* three padding characters */
		"====",	    /* padding only */
		"=Zm9",	    /* leading padding */
		"Zm9v!A==", /* outside the alphabet */
		" Zm9",	    /* whitespace */
		"Zm9v\n",   /* a line break */
		"Zm-_",	    /* the URL-safe alphabet */
	};
	uint8_t out[16];

	for (size_t i = 0; i < HQ_ELEMENTSOF(bad); i++)
		assert_int_equal(hq_base64_decode(bad[i], strlen(bad[i]), out), -EINVAL);
	assert_int_equal(hq_base64_decode(NULL, 0, out), 0);
	assert_int_equal(hq_base64_decode(NULL, 4, out), -EINVAL);
	/* Embedded NUL bytes are not base64 either. */
	assert_int_equal(hq_base64_decode("Zm\0v", 4, out), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_one_shot),
		cmocka_unit_test(test_streaming_evp),
		cmocka_unit_test(test_streaming_low_level),
		cmocka_unit_test(test_streaming_large),
		cmocka_unit_test(test_new_invalid),
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_base64_round_trip),
		cmocka_unit_test(test_base64_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
