/*
 * util/sha256.c: SHA-256 of a buffer (dhr_sha256_hex, include/dhr/util.h).
 *
 * The scan hashes every new PDF in the parent before any worker starts, so
 * the hash is on the critical path of a cold run. GLib's portable SHA-256
 * costs about 45 instructions per byte (~0.5 s for 200 reports); x86 CPUs
 * with the SHA extensions (Intel since Goldmont/Ice Lake, AMD since Zen) do
 * a 64-byte block in a few dozen instructions. On such a CPU this file uses
 * them, chosen at run time; anywhere else, and when DHR_SHA256_PORTABLE is
 * set in the environment, it uses GLib. Both give the same digest, which
 * tests/test_util.c checks on many lengths and alignments.
 */
#include "dhr/util.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void hex_of(char hex[65], const uint8_t d[32])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

static void sha256_glib(char hex[65], const void *data, size_t len)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	/* g_checksum_update takes a gssize: feed very large buffers in parts */
	const guchar *p = data;
	while (len > 0) {
		size_t n = len > ((size_t)1 << 30) ? ((size_t)1 << 30) : len;
		g_checksum_update(ck, p, (gssize)n);
		p += n;
		len -= n;
	}
	g_strlcpy(hex, g_checksum_get_string(ck), 65);
	g_checksum_free(ck);
}

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

#define DHR_HAVE_SHA_NI 1

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/*
 * Compress `n` 64-byte blocks into state[8] with the SHA-NI instructions.
 * The state is kept as the two registers the instructions want: ABEF and
 * CDGH. Each group of four rounds takes the next four message words plus
 * their constants; sha256rnds2 does two rounds, so it is issued twice with
 * the high half moved down in between.
 */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_ni(uint32_t state[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i t = _mm_loadu_si128((const __m128i *)(const void *)&state[0]);    /* D C B A */
	__m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&state[4]);   /* H G F E */
	t = _mm_shuffle_epi32(t, 0xB1);                                           /* C D A B */
	s1 = _mm_shuffle_epi32(s1, 0x1B);                                         /* E F G H */
	__m128i s0 = _mm_alignr_epi8(t, s1, 8);                                   /* A B E F */
	s1 = _mm_blend_epi16(s1, t, 0xF0);                                        /* C D G H */

	for (; n > 0; n--, p += 64) {
		const __m128i save0 = s0, save1 = s1;
		__m128i w[4];
		for (int g = 0; g < 16; g++) {
			__m128i m;
			if (g < 4) {
				m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * g)), bswap);
			} else {
				/* W[t] from W[t-16..t-1], four words at a time */
				__m128i w16 = w[g & 3], w12 = w[(g + 1) & 3], w8 = w[(g + 2) & 3], w4 = w[(g + 3) & 3];
				m = _mm_add_epi32(_mm_sha256msg1_epu32(w16, w12), _mm_alignr_epi8(w4, w8, 4));
				m = _mm_sha256msg2_epu32(m, w4);
			}
			w[g & 3] = m;
			__m128i k = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)(const void *)&K[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, k);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0E));
		}
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}

	t = _mm_shuffle_epi32(s0, 0x1B);   /* F E B A */
	s1 = _mm_shuffle_epi32(s1, 0xB1);  /* D C H G */
	s0 = _mm_blend_epi16(t, s1, 0xF0); /* D C B A */
	s1 = _mm_alignr_epi8(s1, t, 8);    /* H G F E */
	_mm_storeu_si128((__m128i *)(void *)&state[0], s0);
	_mm_storeu_si128((__m128i *)(void *)&state[4], s1);
}

static void sha256_ni(char hex[65], const void *data, size_t len)
{
	uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	const uint8_t *p = data;
	size_t full = len / 64;
	compress_ni(st, p, full);
	/* the tail, the 0x80 byte and the bit length: one or two last blocks */
	uint8_t last[128] = {0};
	size_t rest = len - full * 64;
	if (rest)
		memcpy(last, p + full * 64, rest);
	last[rest] = 0x80;
	size_t nlast = rest < 56 ? 1 : 2;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		last[nlast * 64 - 1 - (size_t)i] = (uint8_t)(bits >> (8 * i));
	compress_ni(st, last, nlast);
	uint8_t d[32];
	for (int i = 0; i < 8; i++) {
		d[4 * i] = (uint8_t)(st[i] >> 24);
		d[4 * i + 1] = (uint8_t)(st[i] >> 16);
		d[4 * i + 2] = (uint8_t)(st[i] >> 8);
		d[4 * i + 3] = (uint8_t)st[i];
	}
	hex_of(hex, d);
}
#endif

int dhr_sha256_hardware(void)
{
#ifdef DHR_HAVE_SHA_NI
	static int have = -1;
	if (have < 0) {
		/* CPUID: leaf 7 EBX bit 29 is SHA; leaf 1 ECX bits 19 and 9 are
		 * SSE4.1 and SSSE3 (asked directly: clang's __builtin_cpu_supports
		 * does not know "sha") */
		unsigned a, b, c, d;
		int sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
		int sse = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9));
		have = sha && sse && !getenv("DHR_SHA256_PORTABLE");
	}
	return have;
#else
	return 0;
#endif
}

void dhr_sha256_hex(char hex[65], const void *data, size_t len)
{
#ifdef DHR_HAVE_SHA_NI
	if (dhr_sha256_hardware()) {
		sha256_ni(hex, data, len);
		return;
	}
#endif
	sha256_glib(hex, data, len);
}

void dhr_sha256_hex_portable(char hex[65], const void *data, size_t len)
{
	sha256_glib(hex, data, len);
}
