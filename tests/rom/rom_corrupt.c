/* rom-corrupt IN OUT OP...: writes a corrupted copy of a ROM image for check-rom's negative tests.
 * Unless an OP is `nofix`, the image checksum is set right again afterwards, so that each case
 * breaks exactly one thing.  OPs (tests/rom/corrupt-cases.txt):
 *   u8@LOC=V  u16@LOC=V  u32@LOC=V  u8@LOC+=V  u8@LOC&=V  (and |=, not usable in the case file)
 *   bytes@LOC=HEX...   str@LOC=TEXT (NUL-terminated)   truncate=N   nofix
 * LOC is a number, or BASE+N / BASE-N with BASE one of
 *   hdr  pci  pnp  table  end (= rom_length * 512)
 *   entry(CALL)   the first inline entry of CALL (a number or a name from vmi_call_table)
 *   variant(CALL) its first variant entry
 *   body(CALL)    the body of entry(CALL)
 *   vbody(CALL)   the body of variant(CALL)
 *   ireloc(CALL)  the first inline relocation record of entry(CALL)
 *   vrlt(CALL)    CALL's record in the generator's relocation table ("VRLT", docs/rom-format.md)
 *   routine(CALL) the routine that record names (CALL must not answer NONE)
 * A value written @LOC is that location's offset: u16@vrlt(A)+0=@routine(B) points A at B's
 * routine. */
#include "vmi_abi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROM (256 * 1024)

static uint8_t rom[MAX_ROM];
static size_t size;

static uint32_t rd16(size_t o) { return (uint32_t)rom[o] | (uint32_t)rom[o + 1] << 8; }

static int call_number(const char *s)
{
    char *end;
    long n = strtol(s, &end, 0);
    if (*end == '\0')
        return (int)n;
    for (unsigned i = 0; i < VMI_NUM_CALLS; i++)
        if (vmi_call_table[i].name && strcmp(vmi_call_table[i].name, s) == 0)
            return (int)i;
    return -1;
}

static long vrlt_of(int call)
{
    for (size_t i = 0; i + 8 < size; i += 4)
        if (memcmp(rom + i, "VRLT", 4) == 0)
            return (long)(i + 8 + 4 * (size_t)call);
    return -1;
}

static long entry_of(int call, int variant)
{
    uint32_t t = rd16(VMI_INLINE_PTR_OFFSET + 4), n = rd16(t + 8);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t e = t + 16 + 16 * i;
        if (rom[e] == call && !!(rom[e + 2] & VMI_INLINE_VARIANT) == variant)
            return e;
    }
    return -1;
}

static long locate(const char *loc)
{
    char base[32], arg[48] = "";
    const char *p = loc;
    size_t n = strcspn(p, "(+-");
    if (n >= sizeof base)
        return -1;
    memcpy(base, p, n);
    base[n] = '\0';
    p += n;
    if (*p == '(') {
        size_t m = strcspn(p + 1, ")");
        if (m >= sizeof arg || p[1 + m] != ')')
            return -1;
        memcpy(arg, p + 1, m);
        arg[m] = '\0';
        p += m + 2;
    }
    long off = *p ? strtol(p, NULL, 0) : 0;
    char *end;
    long num = strtol(base, &end, 0);
    if (*end == '\0' && base[0])
        return num + off;
    int call = arg[0] ? call_number(arg) : -1;
    long at;
    uint32_t t = rd16(VMI_INLINE_PTR_OFFSET + 4);
    if (strcmp(base, "hdr") == 0)
        at = 0;
    else if (strcmp(base, "pci") == 0)
        at = rd16(offsetof(struct vrom_header, pci_header_offs));
    else if (strcmp(base, "pnp") == 0)
        at = rd16(offsetof(struct vrom_header, pnp_header_offs));
    else if (strcmp(base, "table") == 0)
        at = t;
    else if (strcmp(base, "end") == 0)
        at = (long)rom[2] * 512;
    else if (strcmp(base, "entry") == 0 || strcmp(base, "variant") == 0)
        at = entry_of(call, base[0] == 'v');
    else if (strcmp(base, "body") == 0 || strcmp(base, "vbody") == 0)
        at = (at = entry_of(call, base[0] == 'v')) < 0 ? -1 : (long)rd16((size_t)at + 4);
    else if (strcmp(base, "ireloc") == 0) {
        long e = entry_of(call, 0);
        at = e < 0 ? -1 : (long)(t + 16 + 16 * rd16(t + 8) + 4 * rd16((size_t)e + 8));
    } else if (strcmp(base, "vrlt") == 0) {
        at = call < 0 ? -1 : vrlt_of(call);
    } else if (strcmp(base, "routine") == 0) {
        long r = call < 0 ? -1 : vrlt_of(call);
        at = r < 0 || (size_t)r + 4 > size || rom[r + 2] == 0 ? -1 : (long)rd16((size_t)r);
    } else
        return -1;
    return at < 0 ? -1 : at + off;
}

static int apply(const char *op, int *fix)
{
    if (strcmp(op, "nofix") == 0) {
        *fix = 0;
        return 0;
    }
    if (strncmp(op, "truncate=", 9) == 0) {
        size_t n = strtoul(op + 9, NULL, 0);
        if (n < size)
            size = n;
        *fix = 0;
        return 0;
    }
    const char *at = strchr(op, '@'), *eq = strchr(op, '=');
    if (!at || !eq || eq < at)
        return -1;
    char loc[96];
    const char *loc_end = eq;
    if (loc_end > at + 1 && strchr("+|&", loc_end[-1]))
        loc_end--;
    snprintf(loc, sizeof loc, "%.*s", (int)(loc_end - at - 1), at + 1);
    long o = locate(loc);
    if (o < 0 || (size_t)o >= size)
        return -1;
    const char *v = eq + 1;
    if (strncmp(op, "bytes@", 6) == 0) {
        for (size_t i = 0; v[2 * i] && v[2 * i + 1]; i++) {
            char h[3] = { v[2 * i], v[2 * i + 1], 0 };
            if ((size_t)o + i < size)
                rom[o + (long)i] = (uint8_t)strtoul(h, NULL, 16);
        }
        return 0;
    }
    if (strncmp(op, "str@", 4) == 0) {
        memcpy(rom + o, v, strlen(v) + 1);
        return 0;
    }
    unsigned long val;
    if (v[0] == '@') {
        long l = locate(v + 1);
        if (l < 0)
            return -1;
        val = (unsigned long)l;
    } else {
        val = strtoul(v, NULL, 0);
    }
    int width = op[1] == '8' ? 1 : op[1] == '1' ? 2 : 4;
    char how = *loc_end;
    for (int i = 0; i < width && (size_t)o + (size_t)i < size; i++) {
        uint8_t b = (uint8_t)(val >> (8 * i)), *p = &rom[o + i];
        *p = how == '+' ? (uint8_t)(*p + b) : how == '|' ? (uint8_t)(*p | b)
           : how == '&' ? (uint8_t)(*p & b) : b;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: rom-corrupt IN OUT OP...\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", argv[1]);
        return 1;
    }
    size = fread(rom, 1, sizeof rom, f);
    fclose(f);
    int fix = 1;
    for (int i = 3; i < argc; i++)
        if (apply(argv[i], &fix) < 0) {
            fprintf(stderr, "rom-corrupt: cannot apply '%s' to %s\n", argv[i], argv[1]);
            return 1;
        }
    if (fix && size >= 512 && (size_t)rom[2] * 512 <= size) {
        size_t n = (size_t)rom[2] * 512;
        uint8_t sum = 0;
        rom[n - 1] = 0;
        for (size_t i = 0; i < n; i++)
            sum = (uint8_t)(sum + rom[i]);
        rom[n - 1] = (uint8_t)-sum;
    }
    f = fopen(argv[2], "wb");
    if (!f || fwrite(rom, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "%s: cannot write\n", argv[2]);
        return 1;
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
