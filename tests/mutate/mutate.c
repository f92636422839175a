/* mutate KIND SEED COUNT IN OUTDIR: writes COUNT mutants of IN as OUTDIR/NNNN.EXT, the same
 * files for the same seed (the mutation guard, tests/mutate/run.sh, docs/reliability.md).
 * Kinds:
 *   rom   1-4 bytes changed, mostly past the header (routines, bodies, tables), then the image
 *         checksum set right again, so the checksum check does not hide the change;
 *   elf   1-3 bytes changed, mostly in the ELF header and the section header table, or the file
 *         cut short (1 in 16);
 *   text  a spec file: a line deleted, doubled or swapped with the next, a character replaced,
 *         a number replaced by a boundary value, or the file cut short. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IN (8u << 20)

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
        fputs("usage: mutate rom|elf|text SEED COUNT IN OUTDIR\n", stderr);
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
    const char *dot = strrchr(in, '.');
    for (unsigned long i = 0; i < count; i++) {
        rng = 0x9e3779b97f4a7c15ull ^ (seed * 0x100000001b3ull) ^ (i * 0xff51afd7ed558ccdull);
        for (int w = 0; w < 8; w++)
            rnd();
        memcpy(buf, orig, n);
        size_t m = strcmp(kind, "rom") == 0 ? mutate_rom(buf, n)
                   : strcmp(kind, "elf") == 0 ? mutate_elf(buf, n)
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
