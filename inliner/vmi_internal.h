/* Private helpers of the inliner: little-endian access and the error record. */
#ifndef VMI_INTERNAL_H
#define VMI_INTERNAL_H

#include "vmi_inliner.h"

static inline uint16_t vmi_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t vmi_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void vmi_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* True when [offs, offs + len) lies inside [0, size), without overflow. */
static inline int vmi_in_range(uint32_t offs, uint32_t len, uint32_t size)
{
    return offs <= size && len <= size - offs;
}

/* A 32-bit word at any address, which may alias any object (x86 allows unaligned words). */
typedef uint32_t __attribute__((aligned(1), may_alias)) vmi_word;

/* The hot paths' copy and equality test, inlined: a site is 5 to 64 bytes, and a call per site
 * costs as much as the copy.  8 bytes at a time, and the last 8 (or 4) bytes as one piece that
 * may overlap the ones before it, so there is no byte-by-byte tail.  vmi_copy's buffers must not
 * overlap, except dst below src (as a forward copy allows): every piece is read before the
 * pieces after it are written, and the last piece is read first. */
typedef uint16_t __attribute__((aligned(1), may_alias)) vmi_half;

static inline void vmi_copy(uint8_t *d, const uint8_t *s, uint32_t n)
{
    if (n >= 8) {
        uint32_t t0 = ((const vmi_word *)(s + n - 8))[0], t1 = ((const vmi_word *)(s + n - 8))[1];
        uint8_t *de = d + n - 8;
        for (; n > 8; n -= 8, d += 8, s += 8) {
            uint32_t w0 = ((const vmi_word *)s)[0], w1 = ((const vmi_word *)s)[1];
            ((vmi_word *)d)[0] = w0;
            ((vmi_word *)d)[1] = w1;
        }
        ((vmi_word *)de)[0] = t0;
        ((vmi_word *)de)[1] = t1;
    } else if (n >= 4) {
        uint32_t w0 = *(const vmi_word *)s, w1 = *(const vmi_word *)(s + n - 4);
        *(vmi_word *)d = w0;
        *(vmi_word *)(d + n - 4) = w1;
    } else if (n >= 2) {
        uint16_t h0 = *(const vmi_half *)s, h1 = *(const vmi_half *)(s + n - 2);
        *(vmi_half *)d = h0;
        *(vmi_half *)(d + n - 2) = h1;
    } else if (n) {
        *d = *s;
    }
}

/* 1 when the n bytes at a and b are the same. */
static inline int vmi_same(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    if (n >= 8) {
        const uint8_t *ae = a + n - 8, *be = b + n - 8;
        for (; n > 8; n -= 8, a += 8, b += 8)
            if ((((const vmi_word *)a)[0] ^ ((const vmi_word *)b)[0])
                | (((const vmi_word *)a)[1] ^ ((const vmi_word *)b)[1]))
                return 0;
        return !((((const vmi_word *)ae)[0] ^ ((const vmi_word *)be)[0])
                 | (((const vmi_word *)ae)[1] ^ ((const vmi_word *)be)[1]));
    }
    if (n >= 4)
        return !((*(const vmi_word *)a ^ *(const vmi_word *)b)
                 | (*(const vmi_word *)(a + n - 4) ^ *(const vmi_word *)(b + n - 4)));
    if (n >= 2)
        return !((*(const vmi_half *)a ^ *(const vmi_half *)b)
                 | (*(const vmi_half *)(a + n - 2) ^ *(const vmi_half *)(b + n - 2)));
    return !n || *a == *b;
}

/* 1 when the len bytes at have are the call's native bytes and the NOP fill (vmi_render_native),
 * compared in place: nothing is rendered.  0 also for an undefined call or a short len. */
int vmi_is_native(const uint8_t *have, uint8_t call, uint32_t len);

/* Fills *err (if any) and returns status. */
vmi_status vmi_fail(struct vmi_error *err, vmi_status status, uint32_t site, uint32_t address,
                    uint32_t offset, uint32_t expected, uint32_t actual, const char *reason);
void vmi_error_clear(struct vmi_error *err);

/* A call number the ABI defines. */
static inline int vmi_call_defined(uint32_t call)
{
    return call < VMI_NUM_CALLS && (vmi_call_table[call].flags & VMI_CALL_F_DEFINED);
}

/* Sorts decoded sites by address (then record number), in place, and checks that none overlap
 * (VMI_E_SITE_OVERLAP naming the later site).  Shared by the site-table readers. */
void vmi_sites_sort(struct vmi_site_info *s, uint32_t n);
vmi_status vmi_sites_check_overlap(const struct vmi_site_info *s, uint32_t n,
                                   struct vmi_error *err);

#endif /* VMI_INTERNAL_H */
/* SPDX-License-Identifier: GPL-2.0-only */
