/* check-install: a user's x86-64 program built with `pkg-config --cflags --libs vmi-host` against
 * the installed library: probes the installed pv ROM with the hosted inliner core, and opens a
 * file that is not an ELF image through the hosted library (libelf), which must fail cleanly.
 *   host ROM   prints one line; exit 0 when both behaved, 1 otherwise. */
#include "vmi_inliner.h"
#include "elf_image.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    static unsigned char image[64 * 1024];
    if (argc != 2) {
        fprintf(stderr, "usage: host ROM\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t n = fread(image, 1, sizeof image, f);
    fclose(f);
    struct vmi_rom rom;
    struct vmi_error verr;
    vmi_status st = vmi_rom_probe(&rom, image, (uint32_t)n, 0xc0000, 0, &verr);
    if (st != VMI_OK) {
        fprintf(stderr, "host: %s: vmi_rom_probe refused the installed ROM (status %d)\n", argv[1], st);
        return 1;
    }
    struct aot_image img;
    struct aot_err err;
    if (aot_image_open(&img, argv[1], 0, &err) == 0) {
        fprintf(stderr, "host: %s: aot_image_open took a ROM for an ELF image\n", argv[1]);
        aot_image_close(&img);
        return 1;
    }
    printf("host: ROM API %u.%u, %u inline entries; a ROM is not an ELF image\n",
           rom.api_major, rom.api_minor, rom.inline_entries);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
