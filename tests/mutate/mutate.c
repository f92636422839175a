/* mutate KIND SEED COUNT IN OUTDIR: writes COUNT mutants of IN as OUTDIR/NNNN.EXT, the same
 * files for the same seed (the mutation guard, tests/mutate/run.sh, docs/reliability.md).
 * Kinds:
 *   rom   1-4 bytes changed, mostly past the header (routines, bodies, tables), then the image
 *         checksum set right again, so the checksum check does not hide the change;
 *   elf   1-3 bytes changed, mostly in the ELF header and the section header table, or the file
 *         cut short (1 in 16);
 *   text  a spec file: a line deleted, doubled or swapped with the next, a character replaced,
 *         a number replaced by a boundary value, or the file cut short;
 *   linux a Linux vmlinux, aimed at what its readers read: a field of the ELF header, a program
 *         header or a section header set to a boundary value or moved a little, a field of one
 *         .parainstructions record (address, type, length, clobbers), a record doubled or the
 *         section cut by a few bytes, a pv_*_ops symbol's size or section, a byte in the DWARF
 *         of struct paravirt_patch_template (its DIE and the ones after it, or its name), a
 *         random byte, or the file cut short (1 in 16). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IN (32u << 20)              /* the fixture vmlinux: 17-20 MB */

static uint64_t rng;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static uint8_t new_byte(uint8_t old)
{
    static const uint8_t edge[] = { 0x00, 0xff, 0x7f, 0x80, 0x01, 0xc3, 0x90, 0xcc };
    switch (rnd() % 4) {
    case 0: return (uint8_t)(old ^ (1u << (rnd() % 8)));
    case 1: return (uint8_t)(old + (rnd() % 2 ? 1 : -1));
    case 2: return edge[rnd() % sizeof edge];
    default: return (uint8_t)rnd();
    }
}

static void fix_rom_checksum(uint8_t *b, size_t n)
{
    size_t len = n > 2 ? (size_t)b[2] * 512 : 0;
    if (len == 0 || len > n)
        len = n;
    uint8_t sum = 0;
    for (size_t i = 0; i + 1 < len; i++)
        sum = (uint8_t)(sum + b[i]);
    b[len - 1] = (uint8_t)-sum;
}

static size_t mutate_rom(uint8_t *b, size_t n)
{
    unsigned k = 1 + (rnd() % 4 == 0 ? rnd() % 4 : 0);
    for (unsigned i = 0; i < k && n > 0x81; i++) {
        size_t at = rnd() % 8 ? 0x80 + rnd() % (n - 0x81) : rnd() % (n - 1);
        uint8_t v = new_byte(b[at]);
        b[at] = v == b[at] ? (uint8_t)~v : v;
    }
    fix_rom_checksum(b, n);
    return n;
}

static uint32_t rd32(const uint8_t *b, size_t n, size_t off)
{
    return off + 4 <= n ? (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
                          (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24 : 0;
}

static size_t mutate_elf(uint8_t *b, size_t n)
{
    if (rnd() % 16 == 0)
        return n > 1 ? 1 + rnd() % (n - 1) : n;
    uint32_t shoff = rd32(b, n, 32);
    uint32_t shnum = n > 49 ? (uint32_t)b[48] | (uint32_t)b[49] << 8 : 0;
    unsigned k = 1 + rnd() % 3;
    for (unsigned i = 0; i < k; i++) {
        size_t at;
        uint32_t w = rnd() % 10;
        if (w < 4)
            at = rnd() % (n < 52 ? n : 52);
        else if (w < 7 && shnum && shoff < n)
            at = shoff + rnd() % (shnum * 40u);
        else
            at = rnd() % n;
        if (at >= n)
            at = rnd() % n;
        uint8_t v = new_byte(b[at]);
        b[at] = v == b[at] ? (uint8_t)~v : v;
    }
    return n;
}

static uint16_t rd16(const uint8_t *b, size_t n, size_t off)
{
    return off + 2 <= n ? (uint16_t)(b[off] | b[off + 1] << 8) : 0;
}

static void wr32(uint8_t *b, size_t n, size_t off, uint32_t v)
{
    for (unsigned i = 0; i < 4 && off + i < n; i++)
        b[off + i] = (uint8_t)(v >> (8 * i));
}

/* A 32-bit field's new value: a boundary, or the old one moved a little. */
static uint32_t new_word(uint32_t old)
{
    static const uint32_t edge[] = { 0, 1, 4, 0x7fffffff, 0x80000000u, 0xffffffffu, 0x100000,
                                     0xc0000000u };
    switch (rnd() % 4) {
    case 0: return edge[rnd() % (sizeof edge / sizeof edge[0])];
    case 1: return old + (rnd() % 2 ? 1u : -1u) * (1u + rnd() % 8);
    case 2: return old ^ (1u << (rnd() % 32));
    default: return old + (rnd() % 2 ? 4096u : -4096u);
    }
}

struct elf_view {
    uint32_t shoff, shnum, shstrndx, phoff, phnum;
};

static struct elf_view view_of(const uint8_t *b, size_t n)
{
    struct elf_view v = { rd32(b, n, 32), rd16(b, n, 48), rd16(b, n, 50), rd32(b, n, 28),
                          rd16(b, n, 44) };
    if ((uint64_t)v.shoff + (uint64_t)v.shnum * 40 > n)
        v.shnum = 0;
    if ((uint64_t)v.phoff + (uint64_t)v.phnum * 32 > n)
        v.phnum = 0;
    return v;
}

/* The section header offset of the section named name, or 0. */
static size_t section_named(const uint8_t *b, size_t n, const struct elf_view *v, const char *name)
{
    if (!v->shnum || v->shstrndx >= v->shnum)
        return 0;
    uint32_t stroff = rd32(b, n, v->shoff + v->shstrndx * 40u + 16);
    uint32_t strsz = rd32(b, n, v->shoff + v->shstrndx * 40u + 20);
    size_t len = strlen(name) + 1;
    for (uint32_t i = 0; i < v->shnum; i++) {
        uint32_t nm = rd32(b, n, v->shoff + i * 40u);
        if (nm < strsz && (uint64_t)stroff + nm + len <= n && memcmp(b + stroff + nm, name, len) == 0)
            return v->shoff + i * 40u;
    }
    return 0;
}

/* The offset of a pv_*_ops symbol in .symtab, or 0. */
static size_t pv_symbol(const uint8_t *b, size_t n, const struct elf_view *v)
{
    size_t sym = section_named(b, n, v, ".symtab"), str = section_named(b, n, v, ".strtab");
    if (!sym || !str)
        return 0;
    uint32_t so = rd32(b, n, sym + 16), ss = rd32(b, n, sym + 20), to = rd32(b, n, str + 16);
    uint32_t ts = rd32(b, n, str + 20);
    if ((uint64_t)so + ss > n || (uint64_t)to + ts > n || ss < 16)
        return 0;
    size_t found[64], k = 0;
    for (uint32_t i = 0; i + 16 <= ss && k < 64; i += 16) {
        uint32_t nm = rd32(b, n, so + i);
        const char *s = (const char *)b + to + nm;
        if (nm + 12 < ts && strncmp(s, "pv_", 3) == 0 && memchr(s, 0, ts - nm) &&
            strlen(s) > 7 && strcmp(s + strlen(s) - 4, "_ops") == 0)
            found[k++] = so + i;
    }
    return k ? found[rnd() % k] : 0;
}

/* Where the DWARF names struct paravirt_patch_template in .debug_info: its DW_FORM_strp
 * reference to .debug_str, or the name inline; 0 when neither is found. */
static size_t template_die(const uint8_t *b, size_t n, const struct elf_view *v, size_t *end)
{
    static const char name[] = "paravirt_patch_template";
    size_t info = section_named(b, n, v, ".debug_info"), str = section_named(b, n, v, ".debug_str");
    if (!info)
        return 0;
    uint32_t io = rd32(b, n, info + 16), is = rd32(b, n, info + 20);
    if ((uint64_t)io + is > n)
        return 0;
    *end = io + is;
    if (str) {
        uint32_t so = rd32(b, n, str + 16), ss = rd32(b, n, str + 20);
        for (uint32_t i = 0; (uint64_t)so + i + sizeof name <= n && i + sizeof name <= ss; i++)
            if (memcmp(b + so + i, name, sizeof name) == 0 && (i == 0 || b[so + i - 1] == 0)) {
                for (uint32_t k = 0; k + 4 <= is; k++)
                    if (rd32(b, n, io + k) == i)
                        return io + k;
                break;
            }
    }
    for (uint32_t k = 0; k + sizeof name <= is; k++)
        if (memcmp(b + io + k, name, sizeof name) == 0)
            return io + k;
    return 0;
}

static void flip(uint8_t *b, size_t at)
{
    uint8_t v = new_byte(b[at]);
    b[at] = v == b[at] ? (uint8_t)~v : v;
}

static size_t mutate_linux(uint8_t *b, size_t n)
{
    if (rnd() % 16 == 0 || n < 64)
        return n > 1 ? 1 + rnd() % (n - 1) : n;
    struct elf_view v = view_of(b, n);
    size_t sh, at, end;
    switch (rnd() % 8) {
    case 0:                                                /* the ELF header */
        if (rnd() % 2)
            flip(b, rnd() % 52);
        else {
            static const uint8_t words[] = { 24, 28, 32 };
            at = words[rnd() % 3];
            wr32(b, n, at, new_word(rd32(b, n, at)));
        }
        return n;
    case 1:                                                /* a program header field */
        if (!v.phnum)
            break;
        at = v.phoff + (rnd() % v.phnum) * 32u + (rnd() % 8) * 4u;
        wr32(b, n, at, new_word(rd32(b, n, at)));
        return n;
    case 2:                                                /* a section header field */
        if (!v.shnum)
            break;
        at = v.shoff + (rnd() % v.shnum) * 40u + (rnd() % 10) * 4u;
        wr32(b, n, at, new_word(rd32(b, n, at)));
        return n;
    case 3: case 4: {                                      /* .parainstructions */
        if (!(sh = section_named(b, n, &v, ".parainstructions")))
            break;
        uint32_t off = rd32(b, n, sh + 16), size = rd32(b, n, sh + 20), recs = size / 8;
        if (!recs || (uint64_t)off + size > n)
            break;
        size_t r = off + (rnd() % recs) * 8u;
        switch (rnd() % 6) {
        case 0: wr32(b, n, r, new_word(rd32(b, n, r))); break;              /* instr */
        case 1: b[r + 4] = rnd() % 3 ? (uint8_t)(b[r + 4] + (rnd() % 2 ? 1 : -1)) : (uint8_t)rnd(); break;
        case 2: { static const uint8_t lens[] = { 0, 1, 2, 5, 7, 8, 16, 255 };   /* len */
                  b[r + 5] = rnd() % 2 ? lens[rnd() % sizeof lens] : (uint8_t)(b[r + 5] + 1); break; }
        case 3: b[r + 6 + rnd() % 2] = (uint8_t)rnd(); break;                /* clobbers */
        case 4: if (r + 16 <= (size_t)off + size) memcpy(b + r + 8, b + r, 8); break;
        default: wr32(b, n, sh + 20, size - 1 - rnd() % 8); break;          /* cut short */
        }
        return n;
    }
    case 5:                                                /* a pv_*_ops symbol */
        if (!(at = pv_symbol(b, n, &v)))
            break;
        if (rnd() % 4)
            wr32(b, n, at + 8, new_word(rd32(b, n, at + 8)));              /* st_size */
        else if (rnd() % 2)
            b[at + 14] = (uint8_t)(rnd() % 2 ? 0 : b[at + 14] + 1);         /* st_shndx */
        else
            wr32(b, n, at + 4, new_word(rd32(b, n, at + 4)));              /* st_value */
        return n;
    case 6:                                                /* the template's DWARF */
        if (!(at = template_die(b, n, &v, &end)))
            break;
        if (rnd() % 4 == 0)
            flip(b, at + rnd() % 4);
        else {
            size_t span = end - at < 2048 ? end - at : 2048;
            for (unsigned k = 1 + rnd() % 2; k-- && span;)
                flip(b, at + rnd() % span);
        }
        return n;
    default:
        break;
    }
    flip(b, rnd() % n);                                    /* anywhere */
    return n;
}

/* Lines as [start, end) offsets into b. */
static size_t line_start(const uint8_t *b, size_t n, size_t nth)
{
    size_t at = 0;
    while (nth && at < n)
        if (b[at++] == '\n')
            nth--;
    return at;
}

static size_t count_lines(const uint8_t *b, size_t n)
{
    size_t c = 1;
    for (size_t i = 0; i < n; i++)
        c += b[i] == '\n';
    return c;
}

static size_t mutate_text(uint8_t *b, size_t n, size_t cap)
{
    static const char chars[] = "0123456789abcdefx %$,():=.-@\t#\"";
    static const char *const nums[] = { "0", "1", "255", "256", "65536", "4294967295",
                                        "4294967296", "-1", "0x7fffffff", "99999999999999999999" };
    size_t lines = count_lines(b, n);
    size_t l = rnd() % lines, s = line_start(b, n, l), e = line_start(b, n, l + 1);
    switch (rnd() % 6) {
    case 0:                                        /* delete the line */
        memmove(b + s, b + e, n - e);
        return n - (e - s);
    case 1:                                        /* double it */
        if (n + (e - s) > cap)
            return n;
        memmove(b + e + (e - s), b + e, n - e);
        memcpy(b + e, b + s, e - s);
        return n + (e - s);
    case 2: {                                      /* swap it with the next */
        size_t e2 = line_start(b, n, l + 2);
        static uint8_t tmp[MAX_IN];
        memcpy(tmp, b + s, e2 - s);
        memcpy(b + s, tmp + (e - s), e2 - e);
        memcpy(b + s + (e2 - e), tmp, e - s);
        return n;
    }
    case 3:                                        /* one character */
        if (n)
            b[rnd() % n] = (uint8_t)chars[rnd() % (sizeof chars - 1)];
        return n;
    case 4: {                                      /* a number becomes a boundary value */
        size_t at = n ? rnd() % n : 0, k;
        for (k = 0; k < n && !(b[(at + k) % n] >= '0' && b[(at + k) % n] <= '9'); k++)
            ;
        if (k == n)
            return n;
        at = (at + k) % n;
        size_t end = at;
        while (end < n && ((b[end] >= '0' && b[end] <= '9') || b[end] == 'x' ||
                           (b[end] >= 'a' && b[end] <= 'f')))
            end++;
        const char *v = nums[rnd() % (sizeof nums / sizeof nums[0])];
        size_t vl = strlen(v);
        if (n - (end - at) + vl > cap)
            return n;
        memmove(b + at + vl, b + end, n - end);
        memcpy(b + at, v, vl);
        return n - (end - at) + vl;
    }
    default:                                       /* cut short */
        return n ? rnd() % n : 0;
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fputs("usage: mutate rom|elf|text|linux SEED COUNT IN OUTDIR\n", stderr);
        return 2;
    }
    const char *kind = argv[1], *in = argv[4], *dir = argv[5];
    unsigned long seed = strtoul(argv[2], NULL, 0), count = strtoul(argv[3], NULL, 0);
    static uint8_t orig[MAX_IN], buf[MAX_IN + 4096];
    FILE *f = fopen(in, "rb");
    if (!f) {
        fprintf(stderr, "mutate: cannot open %s\n", in);
        return 1;
    }
    size_t n = fread(orig, 1, sizeof orig, f);
    fclose(f);
    const char *base = strrchr(in, '/'), *dot = strrchr(base ? base : in, '.');
    for (unsigned long i = 0; i < count; i++) {
        rng = 0x9e3779b97f4a7c15ull ^ (seed * 0x100000001b3ull) ^ (i * 0xff51afd7ed558ccdull);
        for (int w = 0; w < 8; w++)
            rnd();
        memcpy(buf, orig, n);
        size_t m = strcmp(kind, "rom") == 0 ? mutate_rom(buf, n)
                   : strcmp(kind, "elf") == 0 ? mutate_elf(buf, n)
                   : strcmp(kind, "linux") == 0 ? mutate_linux(buf, n)
                   : mutate_text(buf, n, sizeof buf);
        if (m == n && memcmp(buf, orig, n) == 0 && n) {
            buf[n > 0x81 ? 0x80 + rnd() % (n - 0x81) : rnd() % n] ^= 0x20;   /* never the input */
            if (strcmp(kind, "rom") == 0)
                fix_rom_checksum(buf, n);
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%04lu%s", dir, i, dot ? dot : "");
        FILE *o = fopen(path, "wb");
        if (!o || fwrite(buf, 1, m, o) != m || fclose(o) != 0) {
            fprintf(stderr, "mutate: cannot write %s\n", path);
            return 1;
        }
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
