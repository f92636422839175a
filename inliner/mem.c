/* The inliner's own memcpy, memset and memcmp: the freestanding core calls no libc.  Sites and
 * bodies are 5 to 64 bytes, so copies and compares go a 32-bit word at a time (x86 allows
 * unaligned words), then byte by byte for the tail (vmi_copy, vmi_same in vmi_internal.h,
 * which the hot paths inline). */
#include "vmi_internal.h"

void *vmi_memcpy(void *dst, const void *src, uint32_t n)
{
    vmi_copy(dst, src, n);
    return dst;
}

void *vmi_memset(void *dst, int c, uint32_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int vmi_memcmp(const void *a, const void *b, uint32_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n >= 4 && *(const vmi_word *)x == *(const vmi_word *)y; n -= 4, x += 4, y += 4)
        ;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
