/* aot-imgedit: damaged copies of 32-bit ELF images for the CLI tests of vmi-aot and the loader
 * (the scripts in tests/aot/, tests/loader/aot.sh), so that the shell tests keep to exit codes
 * and messages.
 * A test program: built in $(B)/bin for the checks, never installed.
 *
 * The input is opened with the hosted library (elf_image.h: vmi_sites or a Linux kernel's
 * .parainstructions); every field is reached through <elf.h> and the generated structs of
 * include/vmi_abi.h, never a literal offset.  The output is the input's bytes with one change,
 * written through a temporary file (outfile.h) with the input's permissions.
 *
 *   aot-imgedit sites IMAGE                    "INDEX ADDR LEN CALL BYTES" per site, address order
 *                                              (the library's site list)
 *   aot-imgedit records IMAGE                  "RECORD ADDR CALL LEN CLOBBERS BYTES" (a Linux
 *                                              kernel: TYPE for CALL), record order, decoded
 *                                              here from the table's bytes (BYTES: the site's,
 *                                              hex, space-separated)
 *   aot-imgedit flip IN OUT SITE [BYTE]        xor 0xff into byte BYTE (0) of site SITE
 *   aot-imgedit flip-addr IN OUT ADDR          xor 0xff into the byte at address ADDR
 *   aot-imgedit flip-outside IN OUT            xor 0xff into the first .text byte outside every
 *                                              site
 *   aot-imgedit branch IN OUT SITE TARGET      site := jmp rel32 TARGET + NOPs; hashes refreshed
 *   aot-imgedit cut IN OUT SITE                site := NOPs, then a call opcode as its last byte;
 *                                              hashes refreshed
 *   aot-imgedit rec-offset IN OUT REC DELTA    vmi_sites record REC's offset += DELTA
 *   aot-imgedit rec-alias IN OUT REC OTHER     record REC points at record OTHER's site
 *   aot-imgedit rec-clobbers IN OUT V          every vmi_sites record's clobbers := V
 *   aot-imgedit site-record IN OUT REC FIELD V vmi_sites record REC's FIELD (offset, call, len,
 *                                              clobbers, flags) := V
 *   aot-imgedit section-size IN OUT NAME DELTA the section's sh_size += DELTA
 *   aot-imgedit linux-record IN OUT REC FIELD V  .parainstructions record REC's FIELD (instr,
 *                                              type, len, clobbers) := V
 *   aot-imgedit machine IN OUT V               e_machine := V
 *   aot-imgedit symsize IN OUT NAME V          st_size of .symtab's symbol NAME := V
 *   aot-imgedit debug-str IN OUT OLD NEW       every OLD and its NUL in .debug_str := NEW (the
 *                                              same length)
 *   aot-imgedit record-magic IN OUT            .vmi_aot's magic := its complement
 *
 * "Hashes refreshed": vmi_aot_identity.sites_hash (the symbol's record and .vmi_aot's copy)
 * recomputed over the changed sites, so that only the change under test is wrong.
 * Exit 0, 1 with one line on stderr for bad input, 2 for usage. */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aot_err.h"
#include "elf_image.h"
#include "json_out.h"
#include "linux_image.h"
#include "outfile.h"
#include "vmi_abi.h"
#include "vmi_aot.h"
#include "vmi_inliner.h"

#define NOP1 0x90u      /* the one-byte NOP (vmi_nops[1]) */

struct edit {
    struct aot_image img;
    uint8_t *buf;       /* the output: a copy of img.data */
    struct aot_err err;
};

static int parse_num(const char *s, int64_t *out, struct aot_err *err)
{
    char *end;
    *out = 0;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || end == s || *end)
        return aot_fail(err, "'%s' is not a number", s);
    *out = v;
    return 0;
}

static int parse_u32(const char *s, uint32_t *out, struct aot_err *err)
{
    int64_t v;
    *out = 0;
    if (parse_num(s, &v, err) < 0)
        return -1;
    if (v < INT32_MIN || v > UINT32_MAX)
        return aot_fail(err, "'%s' does not fit in 32 bits", s);
    *out = (uint32_t)v;
    return 0;
}

static int edit_open(struct edit *e, const char *path)
{
    memset(e, 0, sizeof *e);
    if (aot_image_open(&e->img, path, AOT_OPEN_NO_SITES | AOT_OPEN_LINUX, &e->err) < 0)
        return -1;
    e->buf = malloc(e->img.size);
    if (!e->buf) {
        aot_image_close(&e->img);
        return aot_fail(&e->err, "%s: out of memory", path);
    }
    memcpy(e->buf, e->img.data, e->img.size);
    return 0;
}

static void edit_close(struct edit *e)
{
    free(e->buf);
    aot_image_close(&e->img);
}

static int edit_write(struct edit *e, const char *out)
{
    struct stat st;
    mode_t mode = fstat(e->img.fd, &st) == 0 ? (st.st_mode & 07777) : 0644;
    struct aot_outfile o;
    if (aot_outfile_open(&o, out, &e->err) < 0)
        return -1;
    if (fwrite(e->buf, 1, e->img.size, o.f) != e->img.size) {
        aot_outfile_abort(&o);
        return aot_fail(&e->err, "%s: cannot write", out);
    }
    return aot_outfile_commit(&o, mode, &e->err);
}

/* ---- where things are ---- */

static int site_arg(struct edit *e, const char *arg, const struct aot_site **s)
{
    uint32_t i;
    if (parse_u32(arg, &i, &e->err) < 0)
        return -1;
    if (i >= e->img.nsites)
        return aot_fail(&e->err, "%s: site %u: the image has %zu sites", e->img.path, i,
                        e->img.nsites);
    *s = &e->img.sites[i];
    return 0;
}

static int section_arg(struct edit *e, const char *name, const struct aot_section **s)
{
    *s = aot_image_find_section(&e->img, name);
    return *s ? 0 : aot_fail(&e->err, "%s: no section %s", e->img.path, name);
}

/* The file offset of section header idx (the ELF header read from the image). */
static size_t shdr_offset(const struct edit *e, uint32_t idx)
{
    Elf32_Ehdr eh;
    memcpy(&eh, e->img.data, sizeof eh);
    return eh.e_shoff + (size_t)idx * eh.e_shentsize;
}

static void shdr_read(const struct edit *e, uint32_t idx, Elf32_Shdr *sh)
{
    memcpy(sh, e->img.data + shdr_offset(e, idx), sizeof *sh);
}

/* The file offset of the bytes at [addr, addr + len), or -1 and err. */
static int64_t addr_offset(struct edit *e, uint32_t addr, uint32_t len)
{
    const struct aot_section *s = aot_image_section_at(&e->img, addr, len, SHF_ALLOC);
    if (!s)
        return aot_fail(&e->err, "%s: 0x%08x is in no allocated PROGBITS section", e->img.path,
                        addr);
    return (int64_t)s->offset + (addr - s->addr);
}

/* ---- the identity's sites_hash, refreshed after a site changed ---- */

static uint64_t sites_hash(const struct edit *e)
{
    uint64_t h = VMI_FNV1A64_INIT;
    for (size_t i = 0; i < e->img.nsites; i++)
        h = vmi_fnv1a64(h, e->buf + e->img.sites[i].offset, e->img.sites[i].len);
    return h;
}

static void put_sites_hash(uint8_t *id, uint64_t h)
{
    memcpy(id + offsetof(struct vmi_aot_identity, sites_hash), &h, sizeof h);
}

static int rehash(struct edit *e)
{
    uint64_t h = sites_hash(e);
    int found = 0;
    const struct aot_section *rec = aot_image_find_section(&e->img, VMI_AOT_SECTION_NAME);
    if (rec) {
        put_sites_hash(e->buf + rec->offset + offsetof(struct vmi_aot_record, identity), h);
        found = 1;
    }
    struct aot_symbol sym;
    int r = aot_image_symbol(&e->img, "vmi_aot_identity", &sym, &e->err);
    if (r < 0)
        return -1;
    if (r == 1) {
        int64_t off = addr_offset(e, sym.value, sizeof(struct vmi_aot_identity));
        if (off < 0)
            return -1;
        put_sites_hash(e->buf + off, h);
        found = 1;
    }
    return found ? 0 : aot_fail(&e->err, "%s: no identity record to refresh", e->img.path);
}

/* ---- the edits ---- */

static int cmd_flip(struct edit *e, int argc, char **argv)
{
    const struct aot_site *s;
    uint32_t pos = 0;
    if (site_arg(e, argv[0], &s) < 0 || (argc > 1 && parse_u32(argv[1], &pos, &e->err) < 0))
        return -1;
    if (pos >= s->len)
        return aot_fail(&e->err, "%s: site %s has %u bytes", e->img.path, argv[0], s->len);
    e->buf[s->offset + pos] ^= 0xff;
    return 0;
}

static int cmd_flip_addr(struct edit *e, int argc, char **argv)
{
    (void)argc;
    uint32_t addr;
    if (parse_u32(argv[0], &addr, &e->err) < 0)
        return -1;
    int64_t off = addr_offset(e, addr, 1);
    if (off < 0)
        return -1;
    e->buf[off] ^= 0xff;
    return 0;
}

static int cmd_flip_outside(struct edit *e, int argc, char **argv)
{
    (void)argc, (void)argv;
    const struct aot_section *t;
    if (section_arg(e, ".text", &t) < 0)
        return -1;
    for (uint32_t a = t->addr; a < t->addr + t->size; a++) {
        if (!aot_image_site_at(&e->img, a)) {
            e->buf[t->offset + (a - t->addr)] ^= 0xff;
            return 0;
        }
    }
    return aot_fail(&e->err, "%s: every .text byte is a site's", e->img.path);
}

static int cmd_branch(struct edit *e, int argc, char **argv)
{
    (void)argc;
    const struct aot_site *s;
    uint32_t target;
    if (site_arg(e, argv[0], &s) < 0 || parse_u32(argv[1], &target, &e->err) < 0)
        return -1;
    if (s->len < VMI_BRANCH_LEN)
        return aot_fail(&e->err, "%s: site %s has %u bytes, a jmp needs %u", e->img.path, argv[0],
                        s->len, VMI_BRANCH_LEN);
    uint8_t *p = e->buf + s->offset;
    uint32_t n = vmi_write_rel32_branch(p, VMI_OP_JMP_REL32, s->addr, target);
    memset(p + n, NOP1, s->len - n);
    return rehash(e);
}

static int cmd_cut(struct edit *e, int argc, char **argv)
{
    (void)argc;
    const struct aot_site *s;
    if (site_arg(e, argv[0], &s) < 0)
        return -1;
    memset(e->buf + s->offset, NOP1, s->len - 1u);
    e->buf[s->offset + s->len - 1u] = VMI_OP_CALL_REL32;
    return rehash(e);
}

/* The file offset of vmi_sites record rec. */
static int64_t site_record(struct edit *e, const char *arg)
{
    uint32_t rec;
    if (!e->img.site_table || e->img.lx)
        return aot_fail(&e->err, "%s: no vmi_sites table", e->img.path);
    if (parse_u32(arg, &rec, &e->err) < 0)
        return -1;
    if ((uint64_t)rec * sizeof(struct vmi_site) >= e->img.site_table->size)
        return aot_fail(&e->err, "%s: no record %u in vmi_sites", e->img.path, rec);
    return (int64_t)e->img.site_table->offset + (int64_t)rec * (int64_t)sizeof(struct vmi_site);
}

static void add_rec_offset(struct edit *e, int64_t at, int64_t delta)
{
    struct vmi_site r;
    memcpy(&r, e->buf + at, sizeof r);
    r.offset = (int32_t)((uint32_t)r.offset + (uint32_t)delta);
    memcpy(e->buf + at, &r, sizeof r);
}

static int cmd_rec_offset(struct edit *e, int argc, char **argv)
{
    (void)argc;
    int64_t delta, at = site_record(e, argv[0]);
    if (at < 0 || parse_num(argv[1], &delta, &e->err) < 0)
        return -1;
    add_rec_offset(e, at, delta);
    return 0;
}

/* A record's site address: its own address plus its offset field. */
static uint32_t rec_site_addr(const struct edit *e, int64_t at)
{
    struct vmi_site r;
    memcpy(&r, e->img.data + at, sizeof r);
    const struct aot_section *t = e->img.site_table;
    return t->addr + (uint32_t)(at - t->offset) + (uint32_t)r.offset;
}

static int cmd_site_record(struct edit *e, int argc, char **argv)
{
    (void)argc;
    int64_t at = site_record(e, argv[0]);
    uint32_t v;
    if (at < 0 || parse_u32(argv[2], &v, &e->err) < 0)
        return -1;
    struct vmi_site r;
    memcpy(&r, e->buf + at, sizeof r);
    if (!strcmp(argv[1], "offset"))
        r.offset = (int32_t)v;
    else if (!strcmp(argv[1], "call"))
        r.call = (uint8_t)v;
    else if (!strcmp(argv[1], "len"))
        r.len = (uint8_t)v;
    else if (!strcmp(argv[1], "clobbers"))
        r.clobbers = (uint8_t)v;
    else if (!strcmp(argv[1], "flags"))
        r.flags = (uint8_t)v;
    else
        return aot_fail(&e->err, "unknown field '%s' (offset, call, len, clobbers, flags)",
                        argv[1]);
    memcpy(e->buf + at, &r, sizeof r);
    return 0;
}

static int cmd_rec_clobbers(struct edit *e, int argc, char **argv)
{
    (void)argc;
    uint32_t v;
    if (!e->img.site_table || e->img.lx)
        return aot_fail(&e->err, "%s: no vmi_sites table", e->img.path);
    if (parse_u32(argv[0], &v, &e->err) < 0)
        return -1;
    for (uint32_t at = 0; at + sizeof(struct vmi_site) <= e->img.site_table->size;
         at += (uint32_t)sizeof(struct vmi_site)) {
        struct vmi_site r;
        uint8_t *p = e->buf + e->img.site_table->offset + at;
        memcpy(&r, p, sizeof r);
        r.clobbers = (uint8_t)v;
        memcpy(p, &r, sizeof r);
    }
    return 0;
}

static int cmd_rec_alias(struct edit *e, int argc, char **argv)
{
    (void)argc;
    int64_t at = site_record(e, argv[0]), other = at < 0 ? -1 : site_record(e, argv[1]);
    if (other < 0)
        return -1;
    add_rec_offset(e, at, (int64_t)rec_site_addr(e, other) - (int64_t)rec_site_addr(e, at));
    return 0;
}

static int cmd_section_size(struct edit *e, int argc, char **argv)
{
    (void)argc;
    const struct aot_section *s;
    int64_t delta;
    if (section_arg(e, argv[0], &s) < 0 || parse_num(argv[1], &delta, &e->err) < 0)
        return -1;
    Elf32_Shdr sh;
    shdr_read(e, s->index, &sh);
    sh.sh_size = (Elf32_Word)(sh.sh_size + delta);
    memcpy(e->buf + shdr_offset(e, s->index), &sh, sizeof sh);
    return 0;
}

static int cmd_linux_record(struct edit *e, int argc, char **argv)
{
    (void)argc;
    const struct aot_section *t;
    uint32_t rec, v;
    if (section_arg(e, AOT_LINUX_SECTION, &t) < 0 || parse_u32(argv[0], &rec, &e->err) < 0 ||
        parse_u32(argv[2], &v, &e->err) < 0)
        return -1;
    if ((uint64_t)rec * VMI_LINUX_SITE_SIZE >= t->size)
        return aot_fail(&e->err, "%s: no record %u in %s", e->img.path, rec, t->name);
    uint8_t *p = e->buf + t->offset + (size_t)rec * VMI_LINUX_SITE_SIZE;
    struct vmi_linux_patch_site r;
    memcpy(&r, p, sizeof r);
    if (!strcmp(argv[1], "instr"))
        r.instr = v;
    else if (!strcmp(argv[1], "type"))
        r.instrtype = (uint8_t)v;
    else if (!strcmp(argv[1], "len"))
        r.len = (uint8_t)v;
    else if (!strcmp(argv[1], "clobbers"))
        r.clobbers = (uint16_t)v;
    else
        return aot_fail(&e->err, "unknown field '%s' (instr, type, len, clobbers)", argv[1]);
    memcpy(p, &r, sizeof r);
    return 0;
}

static int cmd_machine(struct edit *e, int argc, char **argv)
{
    (void)argc;
    uint32_t v;
    if (parse_u32(argv[0], &v, &e->err) < 0)
        return -1;
    Elf32_Ehdr eh;
    memcpy(&eh, e->buf, sizeof eh);
    eh.e_machine = (Elf32_Half)v;
    memcpy(e->buf, &eh, sizeof eh);
    return 0;
}

/* The file offset of .symtab's entry for name, or -1 and err. */
static int64_t symtab_entry(struct edit *e, const char *name)
{
    size_t n = strlen(name) + 1;        /* the name and its NUL */
    for (size_t i = 0; i < e->img.nsecs; i++) {
        if (e->img.secs[i].type != SHT_SYMTAB)
            continue;
        Elf32_Shdr sh, strs;
        shdr_read(e, (uint32_t)i, &sh);
        shdr_read(e, sh.sh_link, &strs);
        for (uint32_t k = 0; k < sh.sh_size / sizeof(Elf32_Sym); k++) {
            size_t at = sh.sh_offset + (size_t)k * sizeof(Elf32_Sym);
            Elf32_Sym sym;
            memcpy(&sym, e->img.data + at, sizeof sym);
            if ((uint64_t)sym.st_name + n <= strs.sh_size &&
                !memcmp(e->img.data + strs.sh_offset + sym.st_name, name, n))
                return (int64_t)at;
        }
    }
    return aot_fail(&e->err, "%s: no symbol %s in .symtab", e->img.path, name);
}

static int cmd_symsize(struct edit *e, int argc, char **argv)
{
    (void)argc;
    uint32_t v;
    int64_t at = symtab_entry(e, argv[0]);
    if (at < 0 || parse_u32(argv[1], &v, &e->err) < 0)
        return -1;
    Elf32_Sym sym;
    memcpy(&sym, e->buf + at, sizeof sym);
    sym.st_size = v;
    memcpy(e->buf + at, &sym, sizeof sym);
    return 0;
}

static int cmd_debug_str(struct edit *e, int argc, char **argv)
{
    (void)argc;
    const struct aot_section *s;
    size_t n = strlen(argv[0]) + 1, hits = 0;
    if (strlen(argv[1]) + 1 != n)
        return aot_fail(&e->err, "'%s' and '%s' differ in length", argv[0], argv[1]);
    if (section_arg(e, ".debug_str", &s) < 0)
        return -1;
    uint8_t *p = e->buf + s->offset, *end = p + s->size;
    /* OLD and its NUL anywhere: the linker merges a string into the tail of a longer one, so a
     * member's name may be the end of another string */
    for (uint8_t *q = p; q + n <= end; q++) {
        if (!memcmp(q, argv[0], n)) {
            memcpy(q, argv[1], n);
            hits++;
            q += n - 1;
        }
    }
    return hits ? 0 : aot_fail(&e->err, "%s: no string '%s' in .debug_str", e->img.path, argv[0]);
}

static int cmd_record_magic(struct edit *e, int argc, char **argv)
{
    (void)argc, (void)argv;
    const struct aot_section *s;
    if (section_arg(e, VMI_AOT_SECTION_NAME, &s) < 0)
        return -1;
    if (s->size < sizeof(struct vmi_aot_record))
        return aot_fail(&e->err, "%s: %s is shorter than its header", e->img.path, s->name);
    struct vmi_aot_record h;
    memcpy(&h, e->buf + s->offset, sizeof h);
    h.magic = ~h.magic;
    memcpy(e->buf + s->offset, &h, sizeof h);
    return 0;
}

/* ---- listings ---- */

/* Prints "PREFIX BYTES\n": BYTES the n bytes at b as the JSON documents write them ("0f 01 c1",
 * json_out.h's one formatter), "?" when b is NULL or the string cannot be made. */
static void print_bytes(const char *prefix, const uint8_t *b, size_t n)
{
    json_t *v = b ? aot_json_bytes(b, n) : NULL;
    printf("%s %s\n", prefix, v ? json_string_value(v) : "?");
    json_decref(v);
}

static int cmd_sites(struct edit *e)
{
    char head[64];
    for (size_t i = 0; i < e->img.nsites; i++) {
        const struct aot_site *s = &e->img.sites[i];
        snprintf(head, sizeof head, "%zu 0x%08x %u %u", i, s->addr, s->len, s->call);
        print_bytes(head, aot_site_bytes(&e->img, s), s->len);
    }
    return 0;
}

/* One record as the listing prints it: "RECORD ADDR CALL|TYPE LEN CLOBBERS BYTES". */
static void print_record(const struct edit *e, uint32_t r, uint32_t addr, unsigned what,
                         unsigned len, unsigned clobbers)
{
    char head[80];
    snprintf(head, sizeof head, "%u 0x%08x %u %u %u", r, addr, what, len, clobbers);
    print_bytes(head, aot_image_bytes(&e->img, addr, len), len);
}

/* The table's records decoded here from the section's bytes (struct vmi_site or struct
 * vmi_linux_patch_site), not from the library's site list: an independent reading to hold
 * `sites` against. */
static int cmd_records(struct edit *e)
{
    const struct aot_section *t = e->img.site_table;
    if (!t)
        return aot_fail(&e->err, "%s: no site table", e->img.path);
    const uint8_t *p = e->img.data + t->offset;
    if (e->img.lx) {
        for (uint32_t r = 0; r < t->size / VMI_LINUX_SITE_SIZE; r++) {
            struct vmi_linux_patch_site rec;
            memcpy(&rec, p + (size_t)r * VMI_LINUX_SITE_SIZE, sizeof rec);
            print_record(e, r, rec.instr, rec.instrtype, rec.len, rec.clobbers);
        }
        return 0;
    }
    for (uint32_t r = 0; r < t->size / sizeof(struct vmi_site); r++) {
        struct vmi_site rec;
        memcpy(&rec, p + (size_t)r * sizeof rec, sizeof rec);
        uint32_t addr = t->addr + r * (uint32_t)sizeof rec + (uint32_t)rec.offset;
        print_record(e, r, addr, rec.call, rec.len, rec.clobbers);
    }
    return 0;
}

struct cmd {
    const char *name;
    int args;           /* after IN OUT (or IMAGE for a listing); -1: a listing */
    int opt;            /* optional arguments after those */
    int (*fn)(struct edit *, int, char **);
};

static const struct cmd cmds[] = {
    { "sites", -1, 0, NULL },
    { "records", -1, 0, NULL },
    { "flip", 1, 1, cmd_flip },
    { "flip-addr", 1, 0, cmd_flip_addr },
    { "flip-outside", 0, 0, cmd_flip_outside },
    { "branch", 2, 0, cmd_branch },
    { "cut", 1, 0, cmd_cut },
    { "rec-offset", 2, 0, cmd_rec_offset },
    { "rec-alias", 2, 0, cmd_rec_alias },
    { "rec-clobbers", 1, 0, cmd_rec_clobbers },
    { "site-record", 3, 0, cmd_site_record },
    { "section-size", 2, 0, cmd_section_size },
    { "linux-record", 3, 0, cmd_linux_record },
    { "machine", 1, 0, cmd_machine },
    { "symsize", 2, 0, cmd_symsize },
    { "debug-str", 2, 0, cmd_debug_str },
    { "record-magic", 0, 0, cmd_record_magic },
};

static int usage(void)
{
    fputs("usage: aot-imgedit sites|records IMAGE\n"
          "       aot-imgedit EDIT IN OUT ARGS...   (EDIT: flip, flip-addr, flip-outside, branch,\n"
          "       cut, rec-offset, rec-alias, rec-clobbers, site-record, section-size,\n"
          "       linux-record, machine, symsize, debug-str, record-magic;\n"
          "       see tests/aot/imgedit.c)\n",
          stderr);
    return 2;
}

static int run(const struct cmd *c, int argc, char **argv)
{
    struct edit e;
    if (edit_open(&e, argv[0]) < 0) {
        fprintf(stderr, "aot-imgedit: %s\n", e.err.msg);
        return 1;
    }
    int r;
    if (c->args < 0)
        r = !strcmp(c->name, "sites") ? cmd_sites(&e) : cmd_records(&e);
    else
        r = c->fn(&e, argc - 2, argv + 2);
    if (r == 0 && c->args >= 0)
        r = edit_write(&e, argv[1]);
    if (r < 0)
        fprintf(stderr, "aot-imgedit %s: %s\n", c->name, e.err.msg);
    edit_close(&e);
    return r < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        const struct cmd *c = &cmds[i];
        if (strcmp(argv[1], c->name))
            continue;
        int want = c->args < 0 ? 1 : 2 + c->args;
        if (argc - 2 < want || argc - 2 > want + c->opt)
            return usage();
        return run(c, argc - 2, argv + 2);
    }
    return usage();
}
/* SPDX-License-Identifier: GPL-2.0-only */
