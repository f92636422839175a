/* vmi-prof-relocs ROM: maps the ROM at PROF_ROM_BASE, executes GetRelocationInfo for every
 * call, and prints "reloc NR TYPE OFFSET" (offset from the ROM base, hex) for vmi-prof-gen. */
#include <stdio.h>

#include "engine.h"

int main(int argc, char **argv)
{
    const uint8_t *img;
    uint32_t size;
    struct aot_err err;
    if (argc != 2) {
        fprintf(stderr, "usage: vmi-prof-relocs ROM\n");
        return 2;
    }
    if (prof_rom_map(argv[1], PROF_ROM_BASE, &img, &size, &err) != 0) {
        fprintf(stderr, "vmi-prof-relocs: %s\n", err.msg);
        return 1;
    }
    for (unsigned nr = 0; nr < VMI_NUM_CALLS; nr++) {
        if (!(vmi_call_table[nr].flags & VMI_CALL_F_DEFINED))
            continue;
        uint64_t r = prof_rom_reloc(PROF_ROM_BASE, nr);
        uint32_t eip = (uint32_t)r, type = (uint32_t)(r >> 32) & 0xff;
        if (type == VMI_RELOCATION_CALL_REL || type == VMI_RELOCATION_JUMP_REL) {
            if (eip < PROF_ROM_BASE || eip >= PROF_ROM_BASE + size) {
                fprintf(stderr, "vmi-prof-relocs: %s: target 0x%x outside the ROM\n",
                        vmi_call_table[nr].name, eip);
                return 1;
            }
            eip -= PROF_ROM_BASE;
        } else {
            eip = 0;
        }
        printf("reloc %u %u %x %s\n", nr, type, eip, vmi_call_table[nr].name);
    }
    (void)img;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
