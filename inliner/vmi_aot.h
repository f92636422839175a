/* The identity of a pre-specialized kernel image (docs/aot.md): shared by vmi-aot, which writes
 * struct vmi_aot_identity, and the kernel, which checks it at boot.  Freestanding. */
#ifndef VMI_AOT_H
#define VMI_AOT_H

#include <stdint.h>

#define VMI_FNV1A64_INIT 0xcbf29ce484222325ull

/* FNV-1a, 64 bits, continuing from h (VMI_FNV1A64_INIT to start). */
uint64_t vmi_fnv1a64(uint64_t h, const void *data, uint32_t len);

#endif
