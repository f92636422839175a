/* Unit tests (cmocka) of one image `vmi-aot specialize` wrote, against the image it was made from
 * and the ROM it was made for (docs/aot.md, "What OUT records"):
 *
 *     test-aot-out ORIG OUT ROM POLICY [ROM_BASE]
 *
 * POLICY is the --policy OUT was made with (auto, call-only, ...); ROM_BASE the --rom-base, for
 * an image without vmi_rom_area (the harness, a Linux kernel).  Run by tests/aot/specialize.sh,
 * linux.sh and linux-mini.sh on the outputs they make; the byte facts the shell tests used to
 * check with cmp and Python live here:
 *   - of OUT's first ORIG-size bytes only the sites, the identity record and the ELF header's
 *     e_shoff and e_shnum differ from ORIG; the rest of the header is ORIG's, one section added;
 *   - the identity record (vmi_aot_identity, when ORIG defines it) has the magic, version, hash
 *     kind and policy, the ROM's FNV-1a 64 and size recomputed here from the ROM file, the base,
 *     the site count and the sites_hash recomputed here over OUT's site bytes;
 *   - .vmi_aot is a non-allocated PROGBITS section whose record decodes (the core's
 *     vmi_aot_record_decode), carries the identity (the same bytes as the symbol's record), the
 *     right flags, one entry per site with its address, record, call and length, and ORIG's
 *     bytes of every site.
 * Each field is reached through <elf.h> and the generated structs of include/vmi_abi.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot_err.h"
#include "elf_image.h"
#include "session.h"
#include "vmi_abi.h"
#include "vmi_aot.h"
#include "vmi_inliner.h"

static struct {
    const char *orig_path, *out_path, *rom_path;
    unsigned policy;
    int have_base;
    uint32_t rom_base;
} arg;

struct images {
    struct aot_image orig, out;
    uint8_t *rom;
    size_t rom_file;
    int has_identity;               /* ORIG defines vmi_aot_identity */
    struct aot_symbol identity;
};

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        buf = n > 0 ? malloc((size_t)n) : NULL;
        if (buf && (fseek(f, 0, SEEK_SET) || fread(buf, 1, (size_t)n, f) != (size_t)n)) {
            free(buf);
            buf = NULL;
        }
        *len = n > 0 ? (size_t)n : 0;
    }
    fclose(f);
    return buf;
}

static int setup(void **state)
{
    struct images *im = calloc(1, sizeof *im);
    struct aot_err err;
    if (!im)
        return -1;
    if (aot_image_open(&im->orig, arg.orig_path, AOT_OPEN_LINUX, &err) < 0 ||
        aot_image_open(&im->out, arg.out_path, AOT_OPEN_LINUX, &err) < 0) {
        fprintf(stderr, "test-aot-out: %s\n", err.msg);
        return -1;
    }
    im->rom = read_file(arg.rom_path, &im->rom_file);
    if (!im->rom || im->rom_file < sizeof(struct vrom_header)) {
        fprintf(stderr, "test-aot-out: %s: cannot read a ROM\n", arg.rom_path);
        return -1;
    }
    int r = aot_image_symbol(&im->orig, "vmi_aot_identity", &im->identity, &err);
    if (r < 0) {
        fprintf(stderr, "test-aot-out: %s\n", err.msg);
        return -1;
    }
    im->has_identity = r == 1;
    *state = im;
    return 0;
}

static int teardown(void **state)
{
    struct images *im = *state;
    aot_image_close(&im->orig);
    aot_image_close(&im->out);
    free(im->rom);
    free(im);
    return 0;
}

/* The file offset of the identity record in an image laid out as ORIG (OUT keeps every section
 * where it was). */
static size_t identity_offset(const struct images *im)
{
    const struct aot_section *s = aot_image_section_at(&im->orig, im->identity.value,
                                                       sizeof(struct vmi_aot_identity), SHF_ALLOC);
    assert_non_null(s);
    return s->offset + (im->identity.value - s->addr);
}

static uint32_t want_rom_base(const struct images *im)
{
    struct aot_symbol area;
    struct aot_err err;
    int r = aot_image_symbol(&im->orig, "vmi_rom_area", &area, &err);
    assert_true(r >= 0);
    if (r == 1) {
        assert_false(arg.have_base);    /* specialize refuses --rom-base against vmi_rom_area */
        return area.value;
    }
    assert_true(arg.have_base);
    return arg.rom_base;
}

/* The core's vmi_sites_hash over OUT's sites as they are in the file. */
static uint64_t out_sites_hash(const struct images *im)
{
    uint64_t h = 0;
    struct aot_err err;
    assert_int_equal(aot_image_sites_hash(&im->out, &h, &err), 0);
    return h;
}

/* ---- the tests ---- */

static void test_same_sites(void **state)
{
    const struct images *im = *state;
    assert_int_equal(im->out.nsites, im->orig.nsites);
    for (size_t i = 0; i < im->orig.nsites; i++) {
        assert_int_equal(im->out.sites[i].addr, im->orig.sites[i].addr);
        assert_int_equal(im->out.sites[i].offset, im->orig.sites[i].offset);
        assert_int_equal(im->out.sites[i].len, im->orig.sites[i].len);
        assert_int_equal(im->out.sites[i].call, im->orig.sites[i].call);
    }
}

static void test_header(void **state)
{
    const struct images *im = *state;
    Elf32_Ehdr a, b;
    memcpy(&a, im->orig.data, sizeof a);
    memcpy(&b, im->out.data, sizeof b);
    assert_int_equal(b.e_shnum, a.e_shnum + 1);     /* .vmi_aot */
    assert_true(b.e_shoff >= im->orig.size);        /* the new table is appended */
    b.e_shoff = a.e_shoff;
    b.e_shnum = a.e_shnum;
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(im->out.size > im->orig.size);
}

/* 1 when file offset k of ORIG may differ in OUT: a site's byte, e_shoff, e_shnum, the identity. */
static int may_differ(const struct images *im, size_t k)
{
    const size_t shoff = offsetof(Elf32_Ehdr, e_shoff), shnum = offsetof(Elf32_Ehdr, e_shnum);
    if ((k >= shoff && k < shoff + sizeof(Elf32_Off)) ||
        (k >= shnum && k < shnum + sizeof(Elf32_Half)))
        return 1;
    if (im->has_identity) {
        size_t id = identity_offset(im);
        if (k >= id && k < id + sizeof(struct vmi_aot_identity))
            return 1;
    }
    return 0;
}

static void test_only_sites_differ(void **state)
{
    const struct images *im = *state;
    uint8_t *site = calloc(im->orig.size, 1);
    assert_non_null(site);
    for (size_t i = 0; i < im->orig.nsites; i++)
        memset(site + im->orig.sites[i].offset, 1, im->orig.sites[i].len);
    size_t outside = 0, first = 0;
    for (size_t k = 0; k < im->orig.size; k++) {
        if (im->orig.data[k] != im->out.data[k] && !site[k] && !may_differ(im, k) && !outside++)
            first = k;
    }
    free(site);
    if (outside)
        fail_msg("%s: %zu bytes changed outside the sites and the records, the first at file "
                 "offset 0x%zx", arg.out_path, outside, first);
}

static void test_identity(void **state)
{
    const struct images *im = *state;
    if (!im->has_identity)
        skip();
    struct vmi_aot_identity id;
    memcpy(&id, im->out.data + identity_offset(im), sizeof id);
    struct vrom_header rh;
    memcpy(&rh, im->rom, sizeof rh);
    uint32_t rom_size = (uint32_t)rh.rom_length * VMI_ROM_BLOCK;
    assert_true(rom_size <= im->rom_file);
    assert_int_equal(id.magic, VMI_AOT_MAGIC);
    assert_int_equal(id.version, VMI_AOT_VERSION);
    assert_int_equal(id.hash_kind, VMI_AOT_HASH_FNV1A64);
    assert_int_equal(id.policy, arg.policy);
    assert_int_equal(id.rom_size, rom_size);
    assert_true(id.rom_hash == vmi_fnv1a64(VMI_FNV1A64_INIT, im->rom, rom_size));
    assert_int_equal(id.rom_base, want_rom_base(im));
    assert_int_equal(id.site_count, im->orig.nsites);
    assert_true(id.sites_hash == out_sites_hash(im));
}

static void record_view(const struct images *im, struct vmi_aot_record_view *rec)
{
    const struct aot_section *s = aot_image_find_section(&im->out, VMI_AOT_SECTION_NAME);
    assert_non_null(s);
    assert_null(aot_image_find_section(&im->orig, VMI_AOT_SECTION_NAME));
    assert_int_equal(s->type, SHT_PROGBITS);
    assert_int_equal(s->flags & SHF_ALLOC, 0);
    assert_int_equal(s->addr, 0);
    struct vmi_error verr;
    assert_int_equal(vmi_aot_record_decode(rec, im->out.data + s->offset, s->size, &verr), VMI_OK);
}

static void test_record(void **state)
{
    const struct images *im = *state;
    struct vmi_aot_record_view rec;
    record_view(im, &rec);
    uint32_t want = (im->has_identity ? VMI_AOT_REC_F_IDENTITY : 0) |
                    (im->orig.lx ? VMI_AOT_REC_F_LINUX : 0);
    assert_int_equal(rec.flags, want);
    assert_int_equal(rec.count, im->orig.nsites);
    assert_int_equal(rec.id.magic, VMI_AOT_MAGIC);
    assert_int_equal(rec.id.policy, arg.policy);
    assert_int_equal(rec.id.site_count, im->orig.nsites);
    assert_true(rec.id.sites_hash == out_sites_hash(im));
    assert_int_equal(rec.id.rom_base, want_rom_base(im));
    if (im->has_identity)
        assert_memory_equal(&rec.id, im->out.data + identity_offset(im), sizeof rec.id);
}

static void test_record_originals(void **state)
{
    const struct images *im = *state;
    struct vmi_aot_record_view rec;
    record_view(im, &rec);
    assert_int_equal(rec.count, im->orig.nsites);
    for (uint32_t i = 0; i < rec.count; i++) {
        const struct aot_site *s = &im->orig.sites[i];
        struct vmi_aot_record_entry e;
        memcpy(&e, &rec.entries[i], sizeof e);
        assert_int_equal(e.addr, s->addr);
        assert_int_equal(e.record, s->rec_index);
        assert_int_equal(e.len, s->len);
        assert_int_equal(e.call, s->call);
        assert_true((uint64_t)e.bytes_off + e.len <= rec.bytes_size);
        assert_memory_equal(rec.bytes + e.bytes_off, aot_site_bytes(&im->orig, s), s->len);
    }
}

static int parse_args(int argc, char **argv)
{
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: test-aot-out ORIG OUT ROM POLICY [ROM_BASE]\n");
        return -1;
    }
    arg.orig_path = argv[1];
    arg.out_path = argv[2];
    arg.rom_path = argv[3];
    for (arg.policy = 0; arg.policy < VMI_POLICY_COUNT; arg.policy++)
        if (!strcmp(vmi_policy_name(arg.policy), argv[4]))
            break;
    if (arg.policy == VMI_POLICY_COUNT) {
        fprintf(stderr, "test-aot-out: unknown policy '%s'\n", argv[4]);
        return -1;
    }
    if (argc == 6) {
        char *end;
        unsigned long v = strtoul(argv[5], &end, 0);
        if (end == argv[5] || *end || v > UINT32_MAX) {
            fprintf(stderr, "test-aot-out: ROM_BASE '%s' is not an address\n", argv[5]);
            return -1;
        }
        arg.rom_base = (uint32_t)v;
        arg.have_base = 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (parse_args(argc, argv) < 0)
        return 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_sites),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_only_sites_differ),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_record),
        cmocka_unit_test(test_record_originals),
    };
    return cmocka_run_group_tests_name(arg.out_path, tests, setup, teardown);
}
/* SPDX-License-Identifier: GPL-2.0-only */
