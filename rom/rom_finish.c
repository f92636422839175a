/* vmi-romfinish IN OUT: turns the raw binary of an assembled ROM into an option-ROM image.
 * Pads with zeros to a whole number of 512-byte blocks (keeping one byte spare for the checksum),
 * sets rom_length and the PCI data structure's image length, the PnP header's checksum, and the
 * last byte of the image so that all its bytes sum to 0 mod 256.  The output is written to a
 * temporary file and renamed.  Layout: docs/rom-format.md. */
#include "vmi_abi.h"
#include "vmi_version.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROM_MAX (255u * VMI_ROM_BLOCK)

static unsigned rd16(const uint8_t *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

static int fail(const char *file, const char *msg, unsigned long at)
{
    fprintf(stderr, "%s:0x%lx: %s\n", file, at, msg);
    return 1;
}

static int finish(uint8_t *rom, size_t len, size_t *out_len, const char *in)
{
    if (len < sizeof(struct vrom_header))
        return fail(in, "shorter than the ROM header", len);
    if (rd16(rom) != VMI_ROM_SIGNATURE)
        return fail(in, "no 55 aa signature", 0);
    size_t size = (len + 1 + VMI_ROM_BLOCK - 1) / VMI_ROM_BLOCK * VMI_ROM_BLOCK;
    if (size > ROM_MAX)
        return fail(in, "image longer than 255 blocks of 512 bytes", len);
    memset(rom + len, 0, size - len);
    rom[offsetof(struct vrom_header, rom_length)] = (uint8_t)(size / VMI_ROM_BLOCK);

    unsigned pci = rd16(rom + offsetof(struct vrom_header, pci_header_offs));
    if (pci + sizeof(struct pci_header) > len || memcmp(rom + pci, "PCIR", 4) != 0)
        return fail(in, "pci_header_offs does not point at a PCI data structure", pci);
    rom[pci + offsetof(struct pci_header, chunks)] = (uint8_t)(size / VMI_ROM_BLOCK);
    rom[pci + offsetof(struct pci_header, chunks) + 1] = 0;

    unsigned pnp = rd16(rom + offsetof(struct vrom_header, pnp_header_offs));
    if (pnp + sizeof(struct pnp_header) > len || memcmp(rom + pnp, "$PnP", 4) != 0)
        return fail(in, "pnp_header_offs does not point at a PnP header", pnp);
    unsigned pnp_len = 16u * rom[pnp + offsetof(struct pnp_header, size)];
    if (pnp_len < sizeof(struct pnp_header) || pnp + pnp_len > len)
        return fail(in, "the PnP header's length runs past the image", pnp);
    uint8_t *pnp_sum = rom + pnp + offsetof(struct pnp_header, res) + 1;
    *pnp_sum = 0;
    *pnp_sum = (uint8_t)-sum8(rom + pnp, pnp_len);

    rom[size - 1] = 0;
    rom[size - 1] = (uint8_t)-sum8(rom, size);
    *out_len = size;
    return 0;
}

static const char usage_text[] =
    "usage: vmi-romfinish [--] IN.bin OUT.rom\n"
    "  Pads the raw binary of an assembled ROM to whole 512-byte blocks and sets its\n"
    "  lengths and checksums (docs/rom-format.md); OUT is written whole or not at all.\n"
    "  --help     this text\n"
    "  --version  the version\n";

/* Options: --help, --version and "--"; anything else starting with '-' is refused with a line
 * naming it.  Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "+", opts, NULL)) != -1;) {
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case 'V':
            printf("vmi-romfinish %s\n", VMI_VERSION);
            return 0;
        default:
            fprintf(stderr, "vmi-romfinish: unknown option '%s'\n", argv[optind - 1]);
            fputs(usage_text, stderr);
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "vmi-romfinish: %s\n", argc - optind < 2 ? "IN and OUT are needed"
                                                                  : "too many operands");
        fputs(usage_text, stderr);
        return 2;
    }
    return -1;
}

static int read_image(const char *in, uint8_t *rom, size_t *len)
{
    FILE *f = fopen(in, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", in, strerror(errno));
        return 1;
    }
    *len = fread(rom, 1, ROM_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return fail(in, "read error", 0);
    if (*len > ROM_MAX)
        return fail(in, "image longer than 255 blocks of 512 bytes", *len);
    return 0;
}

/* Written to OUT.tmp and renamed, so OUT is whole or absent. */
static int write_image(const char *out, const uint8_t *rom, size_t size)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", out) >= sizeof tmp) {
        fprintf(stderr, "%s: path too long\n", out);
        return 1;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
        return 1;
    }
    int bad = fwrite(rom, 1, size, f) != size;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, out) != 0) {
        fprintf(stderr, "%s: cannot write: %s\n", out, strerror(errno));
        remove(tmp);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int status = parse_options(argc, argv);
    if (status >= 0)
        return status;
    const char *in = argv[optind], *out = argv[optind + 1];
    static uint8_t rom[ROM_MAX + VMI_ROM_BLOCK];
    size_t len, size;
    if (read_image(in, rom, &len) || finish(rom, len, &size, in))
        return 1;
    return write_image(out, rom, size);
}
/* SPDX-License-Identifier: GPL-2.0-only */
