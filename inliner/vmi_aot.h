/* The identity of a pre-specialized kernel image (docs/aot.md): shared by vmi-aot, which writes
 * struct vmi_aot_identity, and the kernel, which checks it at boot.  Freestanding. */
#ifndef VMI_AOT_H
#define VMI_AOT_H

#include <stdint.h>
#include "vmi_inliner.h"

#define VMI_FNV1A64_INIT 0xcbf29ce484222325ull

/* FNV-1a, 64 bits, continuing from h (VMI_FNV1A64_INIT to start). */
uint64_t vmi_fnv1a64(uint64_t h, const void *data, uint32_t len);

/* vmi_aot_identity.sites_hash: FNV-1a 64 over every site's bytes, in the order of the table as
 * vmi_sites_read returns it (by address).  The kernel and vmi-aot both call this, so the two cannot
 * drift.  VMI_E_SITE_RANGE (nothing hashed) when a site lies outside the text. */
vmi_status vmi_sites_hash(const struct vmi_text *text, const struct vmi_site_table *sites,
                          uint64_t *hash, struct vmi_error *err);

#endif
