/* Unit tests of vmi-aot's ELF/DWARF layer (cmocka): the image reader and its every refusal, on
 * small images built here byte by byte; the DWARF index on the gcc test image against the @site
 * tags of tests/aot/image.c; the disassembler; the per-site helpers; the image writer; symbol
 * lookup by name; the .vmi_aot and identity record formats of `specialize` / `verify`.
 * AOT_TEST_DIR names the directory holding image-gcc.elf; the writer test leaves
 * rewritten.elf there for tests/aot/writer.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aot_record.h"
#include "disasm.h"
#include "dwarf_lines.h"
#include "dwarf_sanity.h"
#include "elf_image.h"
#include "elf_writer.h"
#include "site_info.h"
#include "vmi_abi.h"
#include "vmi_inliner.h"

static const char *test_dir(void)
{
    const char *d = getenv("AOT_TEST_DIR");
    return d && *d ? d : "build/tests/aot";
}

/* ---- a tiny 32-bit ELF builder ---- */

#define TEXT_ADDR  0x08049000u
#define SITES_ADDR 0x0804a000u
#define TEXT_OFF   0x100u
#define TEXT_SIZE  0x40u

struct spec {
    uint8_t text[TEXT_SIZE];
    struct vmi_site recs[8];
    unsigned nrecs;
    int sites_size_delta;       /* bytes added to vmi_sites' size (not a record multiple) */
    int no_sites, sites_nobits, two_tables, no_symtab;
    unsigned char ei_class, ei_data;
    uint16_t e_type;
    long truncate_to;           /* > 0: cut the file */
    uint32_t text_size_override;
};

static void spec_init(struct spec *s)
{
    memset(s, 0, sizeof *s);
    memset(s->text, 0xcc, sizeof s->text);
    s->ei_class = ELFCLASS32;
    s->ei_data = ELFDATA2LSB;
    s->e_type = ET_EXEC;
}

/* Lays down the call's native bytes and NOP fill at text offset off and records it. */
static void add_site(struct spec *s, unsigned call, uint32_t off)
{
    const struct vmi_call_meta *m = &vmi_call_table[call];
    memcpy(s->text + off, m->native, m->native_len);
    for (unsigned pos = m->native_len; pos < m->reserve;) {
        unsigned n = m->reserve - pos > VMI_NOP_MAX ? VMI_NOP_MAX : m->reserve - pos;
        memcpy(s->text + off + pos, vmi_nops[n], n);
        pos += n;
    }
    struct vmi_site *r = &s->recs[s->nrecs];
    uint32_t rec_addr = SITES_ADDR + s->nrecs * 12u;
    r->offset = (int32_t)(TEXT_ADDR + off - rec_addr);
    r->call = (uint8_t)call;
    r->len = m->reserve;
    r->clobbers = m->clobbers;
    r->flags = (m->flags & VMI_CALL_F_JUMP) ? VMI_SITE_JUMP : 0;
    s->nrecs++;
}

/* Writes the image described by s to path. */
static void build(const struct spec *s, const char *path)
{
    static const char shstr[] = "\0.text\0vmi_sites\0.shstrtab\0.symtab\0.strtab\0vmi_sites";
    enum { N_TEXT = 1, N_SITES = 7, N_SHSTR = 17, N_SYMTAB = 27, N_STRTAB = 35, N_SITES2 = 43 };
    static const char strtab[] = "\0f";
    uint8_t buf[4096];
    memset(buf, 0, sizeof buf);
    uint32_t sites_off = TEXT_OFF + TEXT_SIZE;
    uint32_t sites_size = s->nrecs * 12u + (uint32_t)s->sites_size_delta;
    uint32_t shstr_off = sites_off + sites_size + 8;
    uint32_t sym_off = (shstr_off + sizeof shstr + 3) & ~3u;
    uint32_t str_off = sym_off + 2 * sizeof(Elf32_Sym);
    uint32_t sh_off = (str_off + sizeof strtab + 3) & ~3u;

    Elf32_Shdr sh[8];
    memset(sh, 0, sizeof sh);
    unsigned n = 1;
    sh[n++] = (Elf32_Shdr){ N_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, TEXT_ADDR, TEXT_OFF,
                            s->text_size_override ? s->text_size_override : TEXT_SIZE, 0, 0, 16, 0 };
    if (!s->no_sites)
        sh[n++] = (Elf32_Shdr){ N_SITES, s->sites_nobits ? SHT_NOBITS : SHT_PROGBITS, SHF_ALLOC,
                                SITES_ADDR, sites_off, sites_size, 0, 0, 4, 0 };
    if (s->two_tables)
        sh[n++] = (Elf32_Shdr){ N_SITES2, SHT_PROGBITS, SHF_ALLOC, SITES_ADDR, sites_off,
                                sites_size, 0, 0, 4, 0 };
    unsigned shstrndx = n;
    sh[n++] = (Elf32_Shdr){ N_SHSTR, SHT_STRTAB, 0, 0, shstr_off, sizeof shstr, 0, 0, 1, 0 };
    if (!s->no_symtab) {
        sh[n] = (Elf32_Shdr){ N_SYMTAB, SHT_SYMTAB, 0, 0, sym_off, 2 * sizeof(Elf32_Sym), n + 1, 1,
                              4, sizeof(Elf32_Sym) };
        n++;
        sh[n++] = (Elf32_Shdr){ N_STRTAB, SHT_STRTAB, 0, 0, str_off, sizeof strtab, 0, 0, 1, 0 };
        Elf32_Sym sym[2];
        memset(sym, 0, sizeof sym);
        sym[1].st_name = 1;
        sym[1].st_value = TEXT_ADDR;
        sym[1].st_size = TEXT_SIZE;
        sym[1].st_info = ELF32_ST_INFO(STB_GLOBAL, STT_FUNC);
        sym[1].st_shndx = 1;
        memcpy(buf + sym_off, sym, sizeof sym);
        memcpy(buf + str_off, strtab, sizeof strtab);
    }

    Elf32_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = s->ei_class;
    eh.e_ident[EI_DATA] = s->ei_data;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = s->e_type;
    eh.e_machine = EM_386;
    eh.e_version = EV_CURRENT;
    eh.e_entry = TEXT_ADDR;
    eh.e_shoff = sh_off;
    eh.e_ehsize = sizeof eh;
    eh.e_shentsize = sizeof(Elf32_Shdr);
    eh.e_shnum = (Elf32_Half)n;
    eh.e_shstrndx = (Elf32_Half)shstrndx;
    memcpy(buf, &eh, sizeof eh);
    memcpy(buf + TEXT_OFF, s->text, TEXT_SIZE);
    memcpy(buf + sites_off, s->recs, s->nrecs * 12u);
    memcpy(buf + shstr_off, shstr, sizeof shstr);
    memcpy(buf + sh_off, sh, n * sizeof sh[0]);
    size_t size = sh_off + n * sizeof sh[0];
    if (s->truncate_to > 0)
        size = (size_t)s->truncate_to;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

static char tmp_path[256];

static const char *tmp_elf(void)
{
    snprintf(tmp_path, sizeof tmp_path, "%s/unit-%ld.elf", test_dir(), (long)getpid());
    return tmp_path;
}

/* Builds s, opens it, expects a refusal whose message names the file and contains want. */
static void expect_refusal(const struct spec *s, const char *want)
{
    struct aot_image img;
    struct aot_err err;
    const char *p = tmp_elf();
    build(s, p);
    memset(&err, 0, sizeof err);
    int rc = aot_image_open(&img, p, 0, &err);
    if (rc == 0)
        aot_image_close(&img);
    unlink(p);
    if (rc == 0)
        fail_msg("accepted an image that should fail with '%s'", want);
    if (!strstr(err.msg, p) || !strstr(err.msg, want) || strchr(err.msg, '\n'))
        fail_msg("error '%s' should name %s and say '%s' on one line", err.msg, p, want);
}

static void good_spec(struct spec *s)
{
    spec_init(s);
    add_site(s, VMI_CALL_DisableInterrupts, 0);
    add_site(s, VMI_CALL_GetCR3, 0x10);
}

/* ---- the reader ---- */

static void test_reads_small_image(void **state)
{
    (void)state;
    struct spec s;
    struct aot_image img;
    struct aot_err err;
    struct aot_dwarf *dw;
    good_spec(&s);
    /* records out of address order: the reader sorts */
    struct vmi_site t = s.recs[0];
    s.recs[0] = s.recs[1];
    s.recs[1] = t;
    s.recs[0].offset += 12;         /* its record is now 12 bytes lower */
    s.recs[1].offset -= 12;
    const char *p = tmp_elf();
    build(&s, p);
    if (aot_image_open(&img, p, 0, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(img.nsites, 2);
    assert_int_equal(img.sites[0].addr, TEXT_ADDR);
    assert_int_equal(img.sites[0].call, VMI_CALL_DisableInterrupts);
    assert_int_equal(img.sites[0].rec_index, 1);
    assert_int_equal(img.sites[0].rec_addr, SITES_ADDR + 12);
    assert_int_equal(img.sites[0].offset, TEXT_OFF);
    assert_int_equal(img.sites[1].addr, TEXT_ADDR + 0x10);
    assert_int_equal(img.sites[1].len, 8);
    assert_int_equal(img.sites[1].rec_index, 0);
    assert_ptr_equal(aot_image_site_at(&img, TEXT_ADDR + 7), &img.sites[0]);
    assert_null(aot_image_site_at(&img, TEXT_ADDR + 8));
    assert_ptr_equal(aot_image_site_at(&img, TEXT_ADDR + 0x17), &img.sites[1]);
    assert_null(aot_image_site_at(&img, TEXT_ADDR + 0x18));
    assert_string_equal(aot_image_func_at(&img, TEXT_ADDR + 0x10)->name, "f");
    assert_null(aot_image_func_at(&img, TEXT_ADDR + TEXT_SIZE));
    assert_true(aot_site_is_native(&img, &img.sites[0]));
    assert_true(aot_site_is_native(&img, &img.sites[1]));
    assert_memory_equal(aot_image_bytes(&img, TEXT_ADDR, 1), "\xfa", 1);
    assert_null(aot_image_bytes(&img, TEXT_ADDR + TEXT_SIZE - 1, 2));

    /* no DWARF: not an error, every answer unknown */
    if (aot_dwarf_open(&dw, &img, &err) != 0)
        fail_msg("%s", err.msg);
    assert_false(aot_dwarf_has_lines(dw));
    struct aot_site_info si;
    aot_site_info(&img, dw, &img.sites[0], &si);
    assert_string_equal(si.func, "f");
    assert_string_equal(si.file, "?");
    assert_int_equal(si.line, 0);
    aot_dwarf_close(dw);
    aot_image_close(&img);

    /* no symbol table: func "?" */
    s.no_symtab = 1;
    build(&s, p);
    if (aot_image_open(&img, p, 0, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(aot_dwarf_open(&dw, &img, &err), 0);
    aot_site_info(&img, dw, &img.sites[1], &si);
    assert_string_equal(si.func, "?");
    aot_dwarf_close(dw);
    aot_image_close(&img);
    unlink(p);
}

static void test_not_native_detected(void **state)
{
    (void)state;
    struct spec s;
    struct aot_image img;
    struct aot_err err;
    good_spec(&s);
    s.text[0x10 + 7] = 0x90;            /* the GetCR3 site's last NOP byte changed */
    const char *p = tmp_elf();
    build(&s, p);
    assert_int_equal(aot_image_open(&img, p, 0, &err), 0);
    assert_true(aot_site_is_native(&img, &img.sites[0]));
    assert_false(aot_site_is_native(&img, &img.sites[1]));
    aot_image_close(&img);
    unlink(p);
}

static void test_refusals(void **state)
{
    (void)state;
    struct spec s;

    good_spec(&s); s.ei_class = ELFCLASS64;            expect_refusal(&s, "64-bit ELF");
    good_spec(&s); s.ei_data = ELFDATA2MSB;            expect_refusal(&s, "little-endian");
    good_spec(&s); s.e_type = ET_REL;                  expect_refusal(&s, "relocatable object");
    good_spec(&s); s.truncate_to = 3;                  expect_refusal(&s, "not an ELF file");
    good_spec(&s); s.truncate_to = 40;                 expect_refusal(&s, "truncated ELF header");
    good_spec(&s); s.truncate_to = 0x200;              expect_refusal(&s, "truncated: section header table");
    good_spec(&s); s.text_size_override = 0x100000;    expect_refusal(&s, "truncated: section [1]");
    good_spec(&s); s.no_sites = 1;                     expect_refusal(&s, "no site table");
    good_spec(&s); s.sites_nobits = 1;                 expect_refusal(&s, "not allocated PROGBITS");
    good_spec(&s); s.two_tables = 1;                   expect_refusal(&s, "two site tables");
    good_spec(&s); s.sites_size_delta = 4;             expect_refusal(&s, "not a whole number of 12-byte records");
    good_spec(&s); s.recs[1].call = 55;                expect_refusal(&s, "record 1 (at 0x0804a00c, file offset 0x14c): call 55 is not a VMI call");
    good_spec(&s); s.recs[1].len = 2;                  expect_refusal(&s, "length 2 is shorter than the 3 bytes of GetCR3");
    good_spec(&s); s.recs[0].flags = 0x40;             expect_refusal(&s, "unknown flag bits 0x40");
    good_spec(&s); s.recs[0].flags = VMI_SITE_JUMP;    expect_refusal(&s, "jump flag set, but DisableInterrupts is not a jump call");
    good_spec(&s); s.recs[0].flags = VMI_SITE_CONST;   expect_refusal(&s, "constant flag set");
    good_spec(&s); s.recs[1].offset += 0x100;          expect_refusal(&s, "site 0x08049110..0x08049118 (offset -3836) is outside every executable section");
    good_spec(&s); s.recs[1].offset += 0x3c;           expect_refusal(&s, "outside every executable section"); /* straddles the end */
    good_spec(&s); s.recs[1].offset -= 0xc;            expect_refusal(&s, "overlapping sites: vmi_sites record 0 (DisableInterrupts at 0x08049000, 8 bytes) and record 1 (GetCR3 at 0x08049004");
    good_spec(&s); s.recs[1].offset -= 0x10;           expect_refusal(&s, "overlapping sites");      /* same address */
}

static void test_refuses_missing_and_odd_files(void **state)
{
    (void)state;
    struct aot_image img;
    struct aot_err err;
    char p[300];
    assert_int_equal(aot_image_open(&img, "/nonexistent/vmlinux", 0, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/vmlinux: cannot open"));
    assert_int_equal(aot_image_open(&img, test_dir(), 0, &err), -1);
    assert_non_null(strstr(err.msg, "not a regular file"));
    snprintf(p, sizeof p, "%s/empty-%ld", test_dir(), (long)getpid());
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(aot_image_open(&img, p, 0, &err), -1);
    assert_non_null(strstr(err.msg, "not an ELF file (empty)"));
    unlink(p);
}

/* ---- the DWARF index, on the gcc image, against the source's @site tags ---- */

struct tag {
    char call[32];
    unsigned line;
    int used;
};

static size_t read_tags(struct tag *tags, size_t max)
{
    FILE *f = fopen("tests/aot/image.c", "r");
    char buf[512];
    size_t n = 0;
    unsigned line = 0;
    assert_non_null(f);
    while (fgets(buf, sizeof buf, f)) {
        line++;
        for (char *p = buf; (p = strstr(p, "@site ")) != NULL && n < max; p += 6) {
            if (sscanf(p + 6, "%31[A-Za-z0-9]", tags[n].call) == 1) {
                tags[n].line = line;
                tags[n].used = 0;
                n++;
            }
        }
    }
    fclose(f);
    return n;
}

static void test_dwarf_lines_match_tags(void **state)
{
    (void)state;
    struct aot_image img;
    struct aot_err err;
    struct aot_dwarf *dw;
    struct tag tags[64];
    char p[300];
    snprintf(p, sizeof p, "%s/image-gcc.elf", test_dir());
    size_t ntags = read_tags(tags, 64);
    assert_true(ntags >= 10);
    if (aot_image_open(&img, p, 0, &err) != 0 || aot_dwarf_open(&dw, &img, &err) != 0)
        fail_msg("%s", err.msg);
    assert_true(aot_dwarf_has_lines(dw));
    assert_int_equal(img.nsites, ntags);
    for (size_t i = 0; i < img.nsites; i++) {
        const struct aot_site *s = &img.sites[i];
        struct aot_site_info si;
        aot_site_info(&img, dw, s, &si);
        const char *base = strrchr(si.file, '/');
        if (!base || strcmp(base, "/image.c") != 0)
            fail_msg("site %zu (%s at 0x%08x): file %s, expected image.c", i,
                     aot_call_name(s->call), s->addr, si.file);
        size_t k;
        for (k = 0; k < ntags; k++)
            if (!tags[k].used && tags[k].line == si.line &&
                strcmp(tags[k].call, aot_call_name(s->call)) == 0)
                break;
        if (k == ntags)
            fail_msg("site %zu: %s at line %u has no @site tag there", i, aot_call_name(s->call),
                     si.line);
        tags[k].used = 1;
        assert_true(i == 0 || s->addr > img.sites[i - 1].addr);
        assert_true(aot_site_is_native(&img, s));
    }
    aot_dwarf_close(dw);
    aot_image_close(&img);
}

/* ---- disassembly ---- */

static void test_disasm(void **state)
{
    (void)state;
    struct aot_disasm d;
    struct aot_insn in;
    char buf[256];
    assert_int_equal(aot_disasm_init(&d), 0);
    assert_int_equal(aot_disasm_one(&d, (const uint8_t *)"\xfa", 1, 0x1000, &in, 1), 0);
    assert_int_equal(in.len, 1);
    assert_string_equal(in.text, "cli");
    assert_int_equal(aot_disasm_one(&d, (const uint8_t *)"\xe8\x00\x01\x00\x00", 5, 0x1000, &in,
                                    1), 0);
    assert_true(in.relative);
    assert_true(in.is_branch);
    assert_int_equal(in.target, 0x1105);
    assert_int_equal(aot_disasm_one(&d, (const uint8_t *)"\x0f\x20", 2, 0x1000, &in, 0), -1);
    assert_int_equal(in.len, 0);
    assert_int_equal(aot_disasm_one(&d, (const uint8_t *)"\xcf", 1, 0x1000, &in, 0), 0);
    assert_true(in.is_ret);
    /* a whole site; then one whose last instruction runs past its end */
    const uint8_t site[] = { 0x0f, 0x20, 0xd8, 0x0f, 0x1f, 0x44, 0x00, 0x00 };
    assert_int_equal(aot_disasm_text(&d, site, 8, 0x1000, buf, sizeof buf), 8);
    assert_string_equal(buf, "mov eax, cr3; nop dword ptr [eax+eax*1], eax");
    assert_int_equal(aot_disasm_text(&d, site, 6, 0x1000, buf, sizeof buf), 3);
    assert_string_equal(buf, "mov eax, cr3; .byte 0x0f, 0x1f, 0x44");
    /* cut at the buffer: terminated */
    assert_int_equal(aot_disasm_text(&d, site, 8, 0x1000, buf, 10), 8);
    assert_int_equal(strlen(buf), 9);
}

/* ---- per-site helpers ---- */

static void test_site_helpers(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(aot_clobber_names(0x87, buf, sizeof buf), "eax,ecx,edx,flags");
    assert_string_equal(aot_clobber_names(0, buf, sizeof buf), "none");
    assert_string_equal(aot_clobber_names(0xff, buf, sizeof buf), "eax,ecx,edx,ebx,esi,edi,ebp,flags");
    struct aot_site s = { .call = VMI_CALL_SetPxE,
                          .flags = VMI_SITE_CONST | (2 << VMI_SITE_CONST_ARG_SHIFT) };
    assert_string_equal(aot_const_arg_name(&s, buf, sizeof buf), "flags");
    s.flags = 0;
    assert_null(aot_const_arg_name(&s, buf, sizeof buf));
    s.call = VMI_CALL_FlushTLB;
    s.flags = VMI_SITE_CONST;
    assert_string_equal(aot_const_arg_name(&s, buf, sizeof buf), "flags");
    assert_string_equal(aot_call_name(VMI_CALL_SetLazyMode), "SetLazyMode");
    assert_null(aot_call_name(50));
    assert_null(aot_call_name(200));
}

/* ---- the writer ---- */

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return b;
}

static const char writer_payload[] = "vmi-aot writer test payload";

/* img with site 0 made NOPs (nops) and .vmi_aot added, written to op; the writer's refusals on
 * the way: an address outside a section, a second section, the input as output, a directory
 * that does not exist. */
static void write_patched_copy(struct aot_image *img, const char *in, const char *op,
                               const uint8_t *nops)
{
    struct aot_writer w;
    struct aot_err err;
    const struct aot_site *s0 = &img->sites[0];

    assert_int_equal(aot_writer_init(&w, img, &err), 0);
    assert_int_equal(aot_writer_patch(&w, s0->addr, nops, s0->len, &err), 0);
    assert_memory_equal(aot_writer_bytes(&w, s0->addr, s0->len), nops, s0->len);
    assert_int_equal(aot_writer_patch(&w, 0x10, nops, 4, &err), -1);     /* not in a section */
    assert_non_null(strstr(err.msg, "not inside one allocated PROGBITS section"));
    assert_int_equal(aot_writer_add_section(&w, ".vmi_aot", writer_payload, sizeof writer_payload,
                                            8, &err), 0);
    assert_int_equal(aot_writer_add_section(&w, ".other", writer_payload, 1, 1, &err), -1);
    /* never over the input */
    assert_int_equal(aot_writer_write(&w, in, 0755, &err), -1);
    assert_non_null(strstr(err.msg, "never modifies its input"));
    /* a directory that doesn't exist: an error and no file */
    assert_int_equal(aot_writer_write(&w, "/nonexistent-dir/out.elf", 0755, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/out.elf"));
    if (aot_writer_write(&w, op, 0755, &err) != 0)
        fail_msg("%s", err.msg);
    aot_writer_free(&w);
}

/* The output starts with the input's bytes, except e_shoff, e_shnum and site 0. */
static void check_prefix(const uint8_t *before, size_t in_size, const uint8_t *after,
                         size_t out_size, const struct aot_site *s0)
{
    assert_true(out_size > in_size);
    for (size_t i = 0; i < in_size; i++) {
        int allowed = (i >= offsetof(Elf32_Ehdr, e_shoff) && i < offsetof(Elf32_Ehdr, e_shoff) + 4) ||
                      (i >= offsetof(Elf32_Ehdr, e_shnum) && i < offsetof(Elf32_Ehdr, e_shnum) + 2) ||
                      (i >= s0->offset && i < s0->offset + s0->len);
        if (!allowed && before[i] != after[i])
            fail_msg("byte 0x%zx changed: %02x -> %02x", i, before[i], after[i]);
    }
}

/* The output read as an image: one section more, holding the payload; site 0 no longer native,
 * the others still; a second pass refuses to add .vmi_aot again. */
static void check_output_image(const char *op, const struct aot_image *img)
{
    struct aot_image out;
    struct aot_writer w;
    struct aot_err err;

    if (aot_image_open(&out, op, 0, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(out.nsecs, img->nsecs + 1);
    assert_int_equal(out.nsites, img->nsites);
    const struct aot_section *n = aot_image_find_section(&out, ".vmi_aot");
    assert_non_null(n);
    assert_int_equal(n->size, sizeof writer_payload);
    assert_int_equal(n->flags, 0);
    assert_memory_equal(out.data + n->offset, writer_payload, sizeof writer_payload);
    assert_false(aot_site_is_native(&out, &out.sites[0]));
    for (size_t i = 1; i < out.nsites; i++)
        assert_true(aot_site_is_native(&out, &out.sites[i]));
    assert_int_equal(aot_writer_init(&w, &out, &err), 0);
    assert_int_equal(aot_writer_add_section(&w, ".vmi_aot", writer_payload, 1, 1, &err), -1);
    assert_non_null(strstr(err.msg, "already has a section named .vmi_aot"));
    aot_writer_free(&w);
    aot_image_close(&out);
}

/* Patches only: the same size, only the site differs. */
static void check_patch_only(const struct aot_image *img, const uint8_t *nops,
                             const uint8_t *before, size_t in_size)
{
    struct aot_writer w;
    struct aot_err err;
    const struct aot_site *s0 = &img->sites[0];
    char op2[320];
    size_t out_size;

    assert_int_equal(aot_writer_init(&w, img, &err), 0);
    assert_int_equal(aot_writer_patch(&w, s0->addr, nops, s0->len, &err), 0);
    snprintf(op2, sizeof op2, "%s/rewritten-same-size.elf", test_dir());
    if (aot_writer_write(&w, op2, 0644, &err) != 0)
        fail_msg("%s", err.msg);
    aot_writer_free(&w);
    uint8_t *same = slurp(op2, &out_size);
    assert_int_equal(out_size, in_size);
    for (size_t i = 0; i < in_size; i++)
        if (same[i] != before[i] && !(i >= s0->offset && i < s0->offset + s0->len))
            fail_msg("byte 0x%zx changed in a patch-only write", i);
    free(same);
    unlink(op2);
}

static void test_writer(void **state)
{
    (void)state;
    struct aot_image img;
    struct aot_err err;
    char in[300], op[300];
    snprintf(in, sizeof in, "%s/image-gcc.elf", test_dir());
    snprintf(op, sizeof op, "%s/rewritten.elf", test_dir());
    unlink(op);
    size_t in_size, out_size, again_size;
    uint8_t *before = slurp(in, &in_size);
    assert_non_null(before);
    if (aot_image_open(&img, in, 0, &err) != 0)
        fail_msg("%s", err.msg);
    /* site 0 becomes NOPs; the payload names it */
    uint8_t nops[64];
    memcpy(nops, vmi_nops[img.sites[0].len], img.sites[0].len);
    write_patched_copy(&img, in, op, nops);

    /* the input is untouched */
    uint8_t *again = slurp(in, &again_size);
    assert_int_equal(again_size, in_size);
    assert_memory_equal(again, before, in_size);
    free(again);

    uint8_t *after = slurp(op, &out_size);
    assert_non_null(after);
    check_prefix(before, in_size, after, out_size, &img.sites[0]);
    check_output_image(op, &img);
    check_patch_only(&img, nops, before, in_size);
    aot_image_close(&img);
    free(before);
    free(after);
}

/* ---- symbols by name, records of specialize ---- */

static void test_symbol_lookup(void **state)
{
    (void)state;
    struct aot_image img;
    struct aot_err err;
    struct aot_symbol sym;
    char p[300];
    snprintf(p, sizeof p, "%s/image-gcc.elf", test_dir());
    assert_int_equal(aot_image_open(&img, p, 0, &err), 0);
    assert_int_equal(aot_image_symbol(&img, "vmi_rom_area", &sym, &err), 1);
    assert_int_equal(sym.size, VMI_ROM_AREA_SIZE);
    assert_int_equal(sym.value & 4095u, 0);
    assert_int_equal(sym.bind, STB_GLOBAL);
    assert_int_equal(aot_image_symbol(&img, "vmi_aot_identity", &sym, &err), 1);
    assert_int_equal(sym.size, sizeof(struct vmi_aot_identity));
    const struct aot_section *id = aot_image_find_section(&img, ".vmi_aot_id");
    assert_non_null(id);
    assert_int_equal(sym.value, id->addr);
    assert_int_equal(aot_image_symbol(&img, "irq_off", &sym, &err), 1);
    assert_int_equal(sym.type, STT_FUNC);
    assert_int_equal(aot_image_symbol(&img, "no_such_symbol", &sym, &err), 0);
    assert_int_equal(aot_image_symbol(&img, "", &sym, &err), 0);
    aot_image_close(&img);

    struct spec s;                          /* no symbol table at all: not found, not an error */
    good_spec(&s);
    s.no_symtab = 1;
    build(&s, tmp_elf());
    assert_int_equal(aot_image_open(&img, tmp_elf(), 0, &err), 0);
    assert_int_equal(aot_image_symbol(&img, "f", &sym, &err), 0);
    aot_image_close(&img);
    good_spec(&s);                          /* the builder's one symbol, f */
    build(&s, tmp_elf());
    assert_int_equal(aot_image_open(&img, tmp_elf(), 0, &err), 0);
    assert_int_equal(aot_image_symbol(&img, "f", &sym, &err), 1);
    assert_int_equal(sym.value, TEXT_ADDR);
    aot_image_close(&img);
    unlink(tmp_elf());
}

static void test_identity_layout(void **state)
{
    (void)state;
    struct vmi_aot_identity id = { VMI_AOT_MAGIC, VMI_AOT_VERSION, VMI_AOT_HASH_FNV1A64, 3,
                                   0x0102030405060708ull, 0x800, 0xd0000, 80, 0,
                                   0x1112131415161718ull }, back;
    uint8_t b[AOT_ID_SIZE];
    assert_int_equal(sizeof id, AOT_ID_SIZE);
    aot_id_encode(&id, b);
    assert_memory_equal(b, &id, AOT_ID_SIZE);       /* x86 is little-endian: the struct's bytes */
    assert_memory_equal(b, "VAOT", 4);
    aot_id_decode(b, &back);
    assert_memory_equal(&back, &id, sizeof id);
}

static size_t rec_build(uint8_t *buf, struct aot_rec_site *sites)
{
    static const uint8_t orig[] = { 0xfa, 0x90, 0x90, 0x0f, 0x20, 0xd8, 0x90, 0x90, 0x90 };
    struct aot_rec rec = { AOT_REC_F_IDENTITY, { .magic = VMI_AOT_MAGIC, .site_count = 2 }, 2,
                           sizeof orig, NULL, NULL };
    sites[0] = (struct aot_rec_site){ 0x1000, 1, 0, VMI_CALL_DisableInterrupts, 3,
                                      VMI_DECISION_INLINE, VMI_REASON_INLINE };
    sites[1] = (struct aot_rec_site){ 0x1010, 0, 3, VMI_CALL_GetCR3, 6, VMI_DECISION_CALL,
                                      VMI_REASON_CALL_REL };
    size_t n = aot_rec_size(2, sizeof orig);
    assert_int_equal(n, AOT_REC_HEADER + 2 * AOT_REC_ENTRY + sizeof orig);
    aot_rec_encode(buf, &rec, sites, orig);
    return n;
}

static void expect_rec_refusal(const uint8_t *buf, size_t len, const char *want)
{
    struct aot_rec rec;
    struct aot_err err;
    memset(&err, 0, sizeof err);
    if (aot_rec_parse(&rec, buf, len, "OUT", &err) == 0) {
        free((void *)rec.sites);
        fail_msg("accepted a .vmi_aot that should fail with '%s'", want);
    }
    if (strncmp(err.msg, "OUT: section .vmi_aot", 21) != 0 || !strstr(err.msg, want))
        fail_msg("error '%s' should name OUT and .vmi_aot and say '%s'", err.msg, want);
}

static void test_record_format(void **state)
{
    (void)state;
    uint8_t buf[256], bad[256];
    struct aot_rec_site sites[2];
    size_t n = rec_build(buf, sites);
    struct aot_rec rec;
    struct aot_err err;
    assert_int_equal(aot_rec_parse(&rec, buf, n, "OUT", &err), 0);
    assert_int_equal(rec.count, 2);
    assert_int_equal(rec.bytes_size, 9);
    assert_int_equal(rec.flags, AOT_REC_F_IDENTITY);
    assert_int_equal(rec.id.magic, VMI_AOT_MAGIC);
    assert_int_equal(rec.id.site_count, 2);
    assert_memory_equal(rec.sites, sites, sizeof sites);
    assert_int_equal(rec.bytes[3], 0x0f);
    assert_ptr_equal(rec.bytes, buf + AOT_REC_HEADER + 2 * AOT_REC_ENTRY);
    free((void *)rec.sites);

    expect_rec_refusal(buf, 10, "shorter than its");
    memcpy(bad, buf, n); bad[0] = 'X';      expect_rec_refusal(bad, n, "magic");
    memcpy(bad, buf, n); bad[4] = 2;        expect_rec_refusal(bad, n, "version 2");
    expect_rec_refusal(buf, n - 1, "the section has");
    memcpy(bad, buf, n); bad[0x14] = 0x80;  expect_rec_refusal(bad, n, "unknown flags");
    memcpy(bad, buf, n);                    /* site 1's bytes run past the bytes area */
    bad[AOT_REC_HEADER + AOT_REC_ENTRY + 8] = 4;
    expect_rec_refusal(bad, n, "outside the bytes area");
    memcpy(bad, buf, n);                    /* site 1 before site 0 */
    bad[AOT_REC_HEADER + AOT_REC_ENTRY + 1] = 0x0f;
    expect_rec_refusal(bad, n, "not after the previous");
}

/* ---- .debug_rnglists / .debug_loclists unit headers (dwarf_sanity.h) ---- */

/* One image with a single section `name` holding `n` bytes; 0 or -1 from aot_dwarf_sanity, and
 * the message must contain `want` when it is not NULL. */
static int sanity_of(const char *name, const uint8_t *bytes, size_t n, const char *want)
{
    static uint8_t data[256];
    struct aot_section secs[2] = { { .name = "" },
                                   { .name = name, .index = 1, .type = SHT_PROGBITS,
                                     .offset = 16, .size = (uint32_t)n } };
    struct aot_image img = { .path = "img", .data = data, .size = sizeof data, .secs = secs,
                             .nsecs = 2 };
    struct aot_err err = { "" };
    memcpy(data + 16, bytes, n);
    int rc = aot_dwarf_sanity(&img, &err);
    if (want && !strstr(err.msg, want))
        fail_msg("expected '%s', got '%s'", want, err.msg);
    return rc;
}

static void test_dwarf_sanity(void **state)
{
    (void)state;
    /* unit_length 16: version 5, address 4, segment 0, 1 offset, the offset, 4 bytes of list */
    const uint8_t good[] = { 16, 0, 0, 0, 5, 0, 4, 0, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0 };
    uint8_t two[2 * sizeof good], b[sizeof good];
    memcpy(two, good, sizeof good);
    memcpy(two + sizeof good, good, sizeof good);
    assert_int_equal(sanity_of(".debug_rnglists", good, sizeof good, NULL), 0);
    assert_int_equal(sanity_of(".debug_loclists", two, sizeof two, NULL), 0);
    assert_int_equal(sanity_of(".debug_info", (const uint8_t *)"\1", 1, NULL), 0);   /* not checked */
    memcpy(b, good, sizeof b); b[6] = 0;
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b,
                               ".debug_rnglists unit at offset 0x0: address size 0, expected 4"), -1);
    assert_int_equal(sanity_of(".debug_loclists", b, sizeof b, "address size 0"), -1);
    memcpy(b, good, sizeof b); b[6] = 8;
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "address size 8"), -1);
    memcpy(b, good, sizeof b); b[4] = 4;
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "version 4, expected 5"), -1);
    memcpy(b, good, sizeof b); b[7] = 1;
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "segment selector size 1"), -1);
    memcpy(b, good, sizeof b); b[8] = 3;        /* 3 offsets = 12 bytes, the unit has 8 after its header */
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "offset_entry_count 3"), -1);
    memcpy(b, good, sizeof b); b[12] = 8;       /* the list would start at the unit's end */
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b,
                               "offset entry 0 is 0x8, outside the unit's lists (0x4..0x8)"), -1);
    memcpy(b, good, sizeof b); b[15] = 8;       /* 0x08000004: the fuzzer's wild offset */
    assert_int_equal(sanity_of(".debug_loclists", b, sizeof b, "offset entry 0 is 0x8000004"), -1);
    memcpy(b, good, sizeof b); b[12] = 0;       /* a list inside the offset array itself */
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "offset entry 0 is 0x0"), -1);
    memcpy(b, good, sizeof b); b[0] = 17;       /* one byte past the section */
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "runs past the end"), -1);
    memcpy(b, good, sizeof b); b[0] = 4;        /* shorter than the header */
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "shorter than the 8-byte header"), -1);
    memcpy(b, good, sizeof b); b[0] = 0xf0; b[1] = b[2] = b[3] = 0xff;
    assert_int_equal(sanity_of(".debug_rnglists", b, sizeof b, "reserved unit_length"), -1);
    /* the units must tile the section: a second unit at 0x10 with 2 bytes is not one */
    memset(two, 0, sizeof two);
    memcpy(two, good, sizeof good);
    assert_int_equal(sanity_of(".debug_rnglists", two, sizeof good + 2,
                               "unit at offset 0x14: 2 bytes left"), -1);
    memcpy(two + sizeof good, good, sizeof good);
    assert_int_equal(sanity_of(".debug_loclists", two, sizeof good + 4,
                               ".debug_loclists unit at offset 0x14: unit_length 0x10 runs past"), -1);
    /* 64-bit DWARF: 0xffffffff, an 8-byte length, the same header, 8-byte offsets, 4 bytes of
     * list */
    const uint8_t g64[] = { 0xff, 0xff, 0xff, 0xff, 20, 0, 0, 0, 0, 0, 0, 0,
                            5, 0, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    assert_int_equal(sanity_of(".debug_rnglists", g64, sizeof g64, NULL), 0);
    memcpy(two, g64, sizeof g64); two[16] = 3;  /* 3 x 8 bytes of offsets, 12 in the unit */
    assert_int_equal(sanity_of(".debug_rnglists", two, sizeof g64, "offset_entry_count 3"), -1);
}

/* Library messages become one non-empty line: libdwarf's texts may start with a
 * newline, libelf says "no error" when it found nothing it calls an error. */
static void test_one_line_messages(void **state)
{
    (void)state;
    assert_string_equal(aot_lib_text("\nDW_DLE_X:  bad\tunit\n", "fallback"), "DW_DLE_X: bad unit");
    assert_string_equal(aot_lib_text("no error", "what was found"), "what was found");
    assert_string_equal(aot_lib_text("", "what was found"), "what was found");
    assert_string_equal(aot_lib_text(NULL, "what was found"), "what was found");
    struct aot_err e;
    aot_fail(&e, "f: bad DWARF: %s", "\nline one\nline two\n");
    assert_string_equal(e.msg, "f: bad DWARF: line one line two");
    aot_fail(&e, "%s", "\n");
    assert_true(e.msg[0] != '\0' && strchr(e.msg, '\n') == NULL);
    /* valid UTF-8 out: a damaged name's stray bytes become '?', real UTF-8 stays */
    aot_fail(&e, "section %s, file %s", ".text\x80vmi", "k\xc3\xbc" "che\xff.elf");
    assert_string_equal(e.msg, "section .text?vmi, file k\xc3\xbc" "che?.elf");
    aot_fail(&e, "%s", "\xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf0\x9f\x98\x80 \xc3");
    assert_string_equal(e.msg, "??? ??? ???? \xf0\x9f\x98\x80 ?");   /* overlong, surrogate, > U+10FFFF */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_small_image),
        cmocka_unit_test(test_not_native_detected),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_refuses_missing_and_odd_files),
        cmocka_unit_test(test_dwarf_lines_match_tags),
        cmocka_unit_test(test_dwarf_sanity),
        cmocka_unit_test(test_disasm),
        cmocka_unit_test(test_site_helpers),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_symbol_lookup),
        cmocka_unit_test(test_identity_layout),
        cmocka_unit_test(test_record_format),
        cmocka_unit_test(test_one_line_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
