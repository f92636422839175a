/* Writes synthetic ROM seeds for fuzz_rom into DIR: ROMs built by the inliner tests' generator
 * (tests/inliner/romgen.c) with and without the inline extension, with relocated and variant
 * bodies.  Usage: mkseeds_rom DIR.  The built ROMs (build/rom/vmi-*.rom) are seeds too, when built. */
#include <stdio.h>
#include <string.h>

#include "romgen.h"

static const struct romgen_body b_cli = {
    .call = VMI_CALL_DisableInterrupts, .clobbers = 0, .len = 7,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x00 },
};
static const struct romgen_body b_sti = {
    .call = VMI_CALL_EnableInterrupts, .clobbers = VMI_CLOBBER_FLAGS, .len = 21,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x01, 0x80, 0x3d, 0x11, 0x00, 0x00, 0xfc, 0x00,
               0x74, 0x05, 0xe8 },
    .nrel = 1, .rel = { { 17, ROMGEN_ROUTINES, 0 } },
};
static const struct romgen_body b_popf_0 = {
    .call = VMI_CALL_SetInterruptMask, .clobbers = 0, .variant = 1, .arg = 0, .value = 0, .len = 7,
    .bytes = { 0xc6, 0x05, 0x10, 0x00, 0x00, 0xfc, 0x00 },
};
static const struct romgen_body b_popf = {
    .call = VMI_CALL_SetInterruptMask, .clobbers = VMI_CLOBBER_FLAGS, .len = 12,
    .bytes = { 0xe8, 0, 0, 0, 0, 0xe9 }, .nrel = 2,
    .rel = { { 1, ROMGEN_ROUTINES, 0 }, { 6, ROMGEN_ROUTINES + 16, 0 } },
};

static int put(const char *dir, const char *name, const uint8_t *img, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(img, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "mkseeds_rom: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static uint8_t img[ROMGEN_SIZE];
    int rc = 0;

    if (argc != 2) {
        fputs("usage: mkseeds_rom DIR\n", stderr);
        return 2;
    }
    struct romgen_body all[4] = { b_cli, b_sti, b_popf_0, b_popf };
    struct romgen_spec specs[] = {
        { 1, 0, all, 4 },       /* the inline extension with every kind of body */
        { 1, 0, all, 1 },       /* one body */
        { 0, 0, NULL, 0 },      /* API 3.0: no extension */
        { 1, 1, NULL, 0 },      /* minor 1 without the pointer */
    };
    for (unsigned i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        char name[32];
        romgen_build(img, 0xc8000, &specs[i]);
        snprintf(name, sizeof name, "romgen-%u.rom", i);
        rc |= put(argv[1], name, img, sizeof img);
    }
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
