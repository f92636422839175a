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
