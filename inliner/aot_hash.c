/* FNV-1a 64: the hash that identifies a ROM and the bytes of a specialized image's sites. */
#include "vmi_aot.h"

uint64_t vmi_fnv1a64(uint64_t h, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    for (uint32_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
