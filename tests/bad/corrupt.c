/* corrupt: makes one malformed input from a real one, for the bad-input corpus (tests/bad/).
 *
 *   corrupt IN OUT OP [ARGS...] [: OP [ARGS...]]...
 *   corrupt --arm OUT          writes a minimal 32-bit little-endian ELF executable for EM_ARM
 *
 * IN is copied to OUT, then each operation is applied in order.  Numbers are C literals (0x..,
 * negative allowed).  Offsets are file offsets unless the operation says otherwise.
 *
 *   set OFF W V              write V, W bytes (1, 2, 4) little-endian, at OFF
 *   add OFF W D              add D to the W-byte value at OFF
 *   trunc LEN                keep the first LEN bytes (LEN < 0: drop -LEN bytes from the end)
 *   append N BYTE            append N copies of BYTE
 *   ELF32 (the input must be one):
 *   ehdr FIELD V             ident_class ident_data type machine entry phoff shoff ehsize
 *                            phentsize phnum shentsize shnum shstrndx
 *   shdr SEC FIELD V         a section header field of the section named SEC: name type flags
 *                            addr offset size link info addralign entsize
 *   shadd SEC FIELD D        add D to that field
 *   sec SEC OFF W V          write inside the section's file bytes
 *   rename SEC NEW           rename the section in place (NEW no longer than SEC)
 *   truncsec SEC D           keep the file up to the section's file offset + D
 *   rec N FIELD V            vmi_sites record N (12 bytes): offset call len clobbers flags const
 *   recadd N FIELD D         add D to that field
 *   ROM (struct vrom_header, docs/rom-format.md):
 *   romsum                   make the 8-bit sum of the rom_length * 512 bytes 0 again, by
 *                            adjusting the last byte of that range (the image must hold it)
 *   inl OFF W V              write at the inline table + OFF (table found through 0x20)
 *   ent I OFF W V            write at inline entry I + OFF
 *   rel I OFF W V            write at inline relocation I + OFF
 *
 * Exit 0, or 1 with one line on stderr when the input does not allow the operation (a corpus
 * case that no longer applies to the real input must fail loudly, not test nothing). */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmi_abi.h"

static uint8_t *buf;
static size_t len, cap;
static const char *in_path;

static void die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "corrupt: %s: ", in_path ? in_path : "-");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    exit(1);
}

static long long num(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || *end || end == s)
        die("bad number '%s'%s", s, "");
    return v;
}

static void need(size_t off, size_t w, const char *what)
{
    if (off > len || w > len - off)
        die("%s: bytes outside the file%s", what, "");
}

static uint32_t rd(size_t off, unsigned w)
{
    uint32_t v = 0;
    need(off, w, "read");
    for (unsigned i = 0; i < w; i++)
        v |= (uint32_t)buf[off + i] << (8 * i);
    return v;
}

static void wr(size_t off, unsigned w, uint32_t v)
{
    need(off, w, "write");
    for (unsigned i = 0; i < w; i++)
        buf[off + i] = (uint8_t)(v >> (8 * i));
}

static unsigned width(const char *s)
{
    long long w = num(s);
    if (w != 1 && w != 2 && w != 4)
        die("width %s is not 1, 2 or 4%s", s, "");
    return (unsigned)w;
}

/* ---- ELF32 ---- */

struct field { const char *name; size_t off; unsigned w; };

static const struct field ehdr_fields[] = {
    { "ident_class", EI_CLASS, 1 }, { "ident_data", EI_DATA, 1 },
    { "ident_version", EI_VERSION, 1 },
    { "type", offsetof(Elf32_Ehdr, e_type), 2 }, { "machine", offsetof(Elf32_Ehdr, e_machine), 2 },
    { "version", offsetof(Elf32_Ehdr, e_version), 4 },
    { "entry", offsetof(Elf32_Ehdr, e_entry), 4 }, { "phoff", offsetof(Elf32_Ehdr, e_phoff), 4 },
    { "shoff", offsetof(Elf32_Ehdr, e_shoff), 4 }, { "ehsize", offsetof(Elf32_Ehdr, e_ehsize), 2 },
    { "phentsize", offsetof(Elf32_Ehdr, e_phentsize), 2 },
    { "phnum", offsetof(Elf32_Ehdr, e_phnum), 2 },
    { "shentsize", offsetof(Elf32_Ehdr, e_shentsize), 2 },
    { "shnum", offsetof(Elf32_Ehdr, e_shnum), 2 },
    { "shstrndx", offsetof(Elf32_Ehdr, e_shstrndx), 2 },
    { NULL, 0, 0 },
};

static const struct field shdr_fields[] = {
    { "name", offsetof(Elf32_Shdr, sh_name), 4 }, { "type", offsetof(Elf32_Shdr, sh_type), 4 },
    { "flags", offsetof(Elf32_Shdr, sh_flags), 4 }, { "addr", offsetof(Elf32_Shdr, sh_addr), 4 },
    { "offset", offsetof(Elf32_Shdr, sh_offset), 4 }, { "size", offsetof(Elf32_Shdr, sh_size), 4 },
    { "link", offsetof(Elf32_Shdr, sh_link), 4 }, { "info", offsetof(Elf32_Shdr, sh_info), 4 },
    { "addralign", offsetof(Elf32_Shdr, sh_addralign), 4 },
    { "entsize", offsetof(Elf32_Shdr, sh_entsize), 4 },
    { NULL, 0, 0 },
};

static const struct field rec_fields[] = {
    { "offset", 0, 4 }, { "call", 4, 1 }, { "len", 5, 1 }, { "clobbers", 6, 1 }, { "flags", 7, 1 },
    { "const", 8, 4 }, { NULL, 0, 0 },
};

static const struct field *field(const struct field *t, const char *name)
{
    for (; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    die("unknown field '%s'%s", name, "");
    return NULL;
}

static void elf_check(void)
{
    if (len < sizeof(Elf32_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) || buf[EI_CLASS] != ELFCLASS32
        || buf[EI_DATA] != ELFDATA2LSB)
        die("not a 32-bit little-endian ELF file%s%s", "", "");
}

/* The file offset of the section header of the section named name. */
static size_t shdr_of(const char *name)
{
    elf_check();
    uint32_t shoff = rd(offsetof(Elf32_Ehdr, e_shoff), 4);
    uint32_t shnum = rd(offsetof(Elf32_Ehdr, e_shnum), 2);
    uint32_t shstrndx = rd(offsetof(Elf32_Ehdr, e_shstrndx), 2);
    size_t strhdr = shoff + (size_t)shstrndx * sizeof(Elf32_Shdr);
    uint32_t stroff = rd(strhdr + offsetof(Elf32_Shdr, sh_offset), 4);
    uint32_t strsize = rd(strhdr + offsetof(Elf32_Shdr, sh_size), 4);
    need(stroff, strsize, "section name table");
    for (uint32_t i = 0; i < shnum; i++) {
        size_t h = shoff + (size_t)i * sizeof(Elf32_Shdr);
        uint32_t n = rd(h + offsetof(Elf32_Shdr, sh_name), 4);
        if (n < strsize && strncmp((const char *)buf + stroff + n, name, strsize - n) == 0
            && memchr(buf + stroff + n, 0, strsize - n))
            return h;
    }
    die("no section named '%s'%s", name, "");
    return 0;
}

static size_t name_offset(const char *sec)
{
    size_t h = shdr_of(sec);
    uint32_t shoff = rd(offsetof(Elf32_Ehdr, e_shoff), 4);
    uint32_t shstrndx = rd(offsetof(Elf32_Ehdr, e_shstrndx), 2);
    size_t strhdr = shoff + (size_t)shstrndx * sizeof(Elf32_Shdr);
    return rd(strhdr + offsetof(Elf32_Shdr, sh_offset), 4) + rd(h + offsetof(Elf32_Shdr, sh_name), 4);
}

static size_t sec_data(const char *sec, size_t off, unsigned w)
{
    size_t h = shdr_of(sec);
    uint32_t o = rd(h + offsetof(Elf32_Shdr, sh_offset), 4);
    uint32_t s = rd(h + offsetof(Elf32_Shdr, sh_size), 4);
    if (off > s || w > s - off)
        die("offset outside section %s%s", sec, "");
    return o + off;
}

/* ---- ROM ---- */

static size_t inline_table(void)
{
    size_t ptr = VMI_INLINE_PTR_OFFSET;
    if (rd(ptr + offsetof(struct vmi_inline_ptr, magic), 4) != VMI_INLINE_PTR_MAGIC)
        die("no inline pointer (VMIX) at 0x20%s%s", "", "");
    return rd(ptr + offsetof(struct vmi_inline_ptr, table_offs), 2);
}

static void romsum(void)
{
    size_t size = (size_t)rd(offsetof(struct vrom_header, rom_length), 1) * VMI_ROM_BLOCK;
    uint8_t sum = 0;
    need(0, size, "ROM checksum range");
    if (size == 0)
        die("rom_length is 0%s%s", "", "");
    buf[size - 1] = 0;
    for (size_t i = 0; i < size; i++)
        sum = (uint8_t)(sum + buf[i]);
    buf[size - 1] = (uint8_t)-sum;
}

/* ---- a foreign file: 32-bit ARM ---- */

static int write_arm(const char *out)
{
    /* ELF header + one PT_LOAD program header + 4 bytes of code (bx lr), no sections */
    struct { Elf32_Ehdr eh; Elf32_Phdr ph; uint32_t code; } img;
    memset(&img, 0, sizeof img);
    memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
    img.eh.e_ident[EI_CLASS] = ELFCLASS32;
    img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
    img.eh.e_ident[EI_VERSION] = EV_CURRENT;
    img.eh.e_type = ET_EXEC;
    img.eh.e_machine = EM_ARM;
    img.eh.e_version = EV_CURRENT;
    img.eh.e_entry = 0x10000 + offsetof(__typeof__(img), code);
    img.eh.e_phoff = offsetof(__typeof__(img), ph);
    img.eh.e_flags = 0x05000200;   /* EABI5, soft-float */
    img.eh.e_ehsize = sizeof(Elf32_Ehdr);
    img.eh.e_phentsize = sizeof(Elf32_Phdr);
    img.eh.e_phnum = 1;
    img.eh.e_shentsize = sizeof(Elf32_Shdr);
    img.ph.p_type = PT_LOAD;
    img.ph.p_vaddr = img.ph.p_paddr = 0x10000;
    img.ph.p_filesz = img.ph.p_memsz = sizeof img;
    img.ph.p_flags = PF_R | PF_X;
    img.ph.p_align = 0x1000;
    img.code = 0xe12fff1e;         /* bx lr */
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(&img, sizeof img, 1, f) != 1 || fclose(f) != 0) {
        fprintf(stderr, "corrupt: cannot write %s\n", out);
        return 1;
    }
    return 0;
}

static void grow(size_t n)
{
    if (n <= cap)
        return;
    cap = n * 2;
    buf = realloc(buf, cap);
    if (!buf)
        die("out of memory%s%s", "", "");
}

/* ---- the operations: a[0..] are the arguments, op the name (for the variants that share a
 * function) ---- */

static void op_set(const char *op, char **a)
{
    (void)op;
    wr((size_t)num(a[0]), width(a[1]), (uint32_t)num(a[2]));
}

static void op_add(const char *op, char **a)
{
    (void)op;
    unsigned w = width(a[1]);
    size_t o = (size_t)num(a[0]);
    wr(o, w, rd(o, w) + (uint32_t)num(a[2]));
}

static void op_trunc(const char *op, char **a)
{
    (void)op;
    long long l = num(a[0]);
    if (l < 0)
        l += (long long)len;
    if (l < 0 || (size_t)l > len)
        die("trunc %s: outside the file%s", a[0], "");
    len = (size_t)l;
}

static void op_append(const char *op, char **a)
{
    (void)op;
    size_t k = (size_t)num(a[0]);
    grow(len + k);
    memset(buf + len, (int)num(a[1]), k);
    len += k;
}

static void op_ehdr(const char *op, char **a)
{
    (void)op;
    elf_check();
    const struct field *fl = field(ehdr_fields, a[0]);
    wr(fl->off, fl->w, (uint32_t)num(a[1]));
}

/* shdr sets the field, shadd adds to it. */
static void op_shdr(const char *op, char **a)
{
    const struct field *fl = field(shdr_fields, a[1]);
    size_t o = shdr_of(a[0]) + fl->off;
    uint32_t v = (uint32_t)num(a[2]);
    wr(o, fl->w, op[2] == 'a' ? rd(o, fl->w) + v : v);
}

static void op_sec(const char *op, char **a)
{
    (void)op;
    unsigned w = width(a[2]);
    wr(sec_data(a[0], (size_t)num(a[1]), w), w, (uint32_t)num(a[3]));
}

static void op_rename(const char *op, char **a)
{
    (void)op;
    size_t o = name_offset(a[0]);
    if (strlen(a[1]) > strlen(a[0]))
        die("rename: %s is longer than %s", a[1], a[0]);
    memcpy(buf + o, a[1], strlen(a[1]) + 1);
}

static void op_truncsec(const char *op, char **a)
{
    (void)op;
    size_t h = shdr_of(a[0]);
    long long l = (long long)rd(h + offsetof(Elf32_Shdr, sh_offset), 4) + num(a[1]);
    if (l < 0 || (size_t)l > len)
        die("truncsec %s: outside the file%s", a[0], "");
    len = (size_t)l;
}

/* rec sets the record's field, recadd adds to it. */
static void op_rec(const char *op, char **a)
{
    const struct field *fl = field(rec_fields, a[1]);
    size_t o = sec_data("vmi_sites", (size_t)num(a[0]) * 12 + fl->off, fl->w);
    uint32_t v = (uint32_t)num(a[2]);
    wr(o, fl->w, op[3] == 'a' ? rd(o, fl->w) + v : v);
}

static void op_romsum(const char *op, char **a)
{
    (void)op;
    (void)a;
    romsum();
}

static void op_inl(const char *op, char **a)
{
    (void)op;
    unsigned w = width(a[1]);
    wr(inline_table() + (size_t)num(a[0]), w, (uint32_t)num(a[2]));
}

/* ent writes inside inline entry I, rel inside inline relocation I. */
static void op_entry(const char *op, char **a)
{
    size_t t = inline_table();
    size_t entries = t + sizeof(struct vmi_inline_table);
    size_t nent = rd(t + offsetof(struct vmi_inline_table, entry_count), 2);
    size_t base = op[0] == 'e'
        ? entries + sizeof(struct vmi_inline_entry) * (size_t)num(a[0])
        : entries + sizeof(struct vmi_inline_entry) * nent +
              sizeof(struct vmi_inline_reloc) * (size_t)num(a[0]);
    unsigned w = width(a[2]);
    wr(base + (size_t)num(a[1]), w, (uint32_t)num(a[3]));
}

static const struct operation {
    const char *name;
    int nargs;
    void (*apply)(const char *op, char **a);
} operations[] = {
    { "set", 3, op_set }, { "add", 3, op_add }, { "trunc", 1, op_trunc },
    { "append", 2, op_append }, { "ehdr", 2, op_ehdr }, { "shdr", 3, op_shdr },
    { "shadd", 3, op_shdr }, { "sec", 4, op_sec }, { "rename", 2, op_rename },
    { "truncsec", 2, op_truncsec }, { "rec", 3, op_rec }, { "recadd", 3, op_rec },
    { "romsum", 0, op_romsum }, { "inl", 3, op_inl }, { "ent", 4, op_entry },
    { "rel", 4, op_entry },
};

/* The operation named op, given n arguments at a. */
static void apply(const char *op, char **a, int n)
{
    for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++) {
        if (strcmp(op, operations[i].name) != 0)
            continue;
        if (n != operations[i].nargs) {
            char k[16];
            snprintf(k, sizeof k, "%d", operations[i].nargs);
            die("operation %s takes %s arguments", op, k);
        }
        operations[i].apply(op, a);
        return;
    }
    die("unknown operation '%s'%s", op, "");
}

static void read_input(void)
{
    FILE *f = fopen(in_path, "rb");
    if (!f)
        die("cannot open: %s%s", strerror(errno), "");
    for (;;) {
        grow(len + 65536);
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
}

/* Phases: IN read, each operation applied in order (separated by ":"), OUT written. */
int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--arm") == 0)
        return write_arm(argv[2]);
    if (argc < 4) {
        fputs("usage: corrupt IN OUT OP [ARGS...] [: OP [ARGS...]]...\n"
              "       corrupt --arm OUT\n", stderr);
        return 2;
    }
    in_path = argv[1];
    read_input();
    char **a = argv + 3;
    while (*a) {
        const char *op = *a++;
        int n = 0;
        while (a[n] && strcmp(a[n], ":") != 0)
            n++;
        apply(op, a, n);
        a += n;
        if (*a)
            a++;    /* the ':' */
    }

    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "corrupt: cannot write %s\n", argv[2]);
        return 1;
    }
    free(buf);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
