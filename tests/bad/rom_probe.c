/* rom-probe: the inliner's ROM probe (vmi_rom_probe, the checks a kernel runs at boot) on a file,
 * for the bad-ROM corpus.  No tool exposes the probe by itself (`vmi-aot check-rom` is a deeper,
 * separate checker), so this driver does, the way a kernel would report it.
 *
 *   rom-probe ROM        exit 0 and one line on stdout when the probe passes; exit 1 and one
 *                        line on stderr, "ROM: offset 0xN: STATUS: reason (expected 0xE, found
 *                        0xA)", when it fails or the file cannot be read; exit 2 on usage.
 * The image is probed as mapped at 0xc8000 with every check on (checksum, inline extension);
 * on success every inline body the ROM lists is looked up again through vmi_rom_inline_find. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmi_inliner.h"

#define MAX_ROM (256u * 512u)    /* rom_length is one byte of 512-byte blocks */

int main(int argc, char **argv)
{
    static uint8_t img[MAX_ROM + 1];
    if (argc != 2 || argv[1][0] == '-') {
        fputs("usage: rom-probe ROM\n", stderr);
        return 2;
    }
    const char *path = argv[1];
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "%s: not a regular file\n", path);
        fclose(f);
        return 1;
    }
    size_t n = fread(img, 1, sizeof img, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > MAX_ROM) {
        fprintf(stderr, "%s: read error, or larger than %u bytes\n", path, MAX_ROM);
        return 1;
    }
    struct vmi_rom rom;
    struct vmi_error err;
    if (vmi_rom_probe(&rom, img, (uint32_t)n, 0xc8000, 0, &err) != VMI_OK) {
        fprintf(stderr, "%s: offset 0x%x: %s: %s (expected 0x%x, found 0x%x)\n", path, err.offset,
                vmi_status_name(err.status), err.reason, err.expected, err.actual);
        return 1;
    }
    unsigned found = 0;
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++)
        found += (unsigned)vmi_rom_inline_find(&rom, (uint8_t)c, 0, 0, 0, NULL);
    printf("%s: ROM %u bytes, API %u.%u, warnings 0x%x, inline table %s (%u entries, %u generic "
           "bodies)\n", path, rom.size, rom.api_major, rom.api_minor, rom.warnings,
           rom.has_inline ? "yes" : "no", rom.inline_entries, found);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
