/* The core's AOT contract (vmi_aot.h): the identity check, every state and every rule; the
 * .vmi_aot record decoder; and the small shared pieces: the rel32 branch writer and the plan
 * sizing helper (with the largest, 52-byte, site). */
#include "tinl.h"
#include "vmi_aot.h"

/* A text with three sites, a ROM at T_ROM_BASE and the identity vmi-aot would write for them. */
struct aot_fixture {
    struct vmi_site_table sites;
    struct vmi_text text;
    struct vmi_rom rom;
    struct vmi_aot_identity id;
    uint8_t textbuf[T_TEXT_SIZE];
    uint8_t romimg[ROMGEN_SIZE];
};

static void fixture(struct aot_fixture *f)
{
    struct tsite s[3] = {
        tsite_std(T_TEXT_BASE + 0x10, VMI_CALL_DisableInterrupts),
        tsite_std(T_TEXT_BASE + 0x40, VMI_CALL_SetCR3),
        tsite_std(T_TEXT_BASE + 0x80, VMI_CALL_SetDR),
    };
    uint64_t h;
    tread(&f->sites, s, 3);
    ttext(&f->text, f->textbuf, &f->sites);
    tmkrom(&f->rom, f->romimg, NULL, 0);
    assert_int_equal(vmi_sites_hash(&f->text, &f->sites, &h, NULL), VMI_OK);
    memset(&f->id, 0, sizeof f->id);
    f->id.magic = VMI_AOT_MAGIC;
    f->id.version = VMI_AOT_VERSION;
    f->id.hash_kind = VMI_AOT_HASH_FNV1A64;
    f->id.policy = VMI_POLICY_CALL_ONLY;
    f->id.rom_hash = vmi_fnv1a64(VMI_FNV1A64_INIT, f->romimg, f->rom.size);
    f->id.rom_size = f->rom.size;
    f->id.rom_base = f->rom.base;
    f->id.site_count = 3;
    f->id.sites_hash = h;
}

static void expect(struct aot_fixture *f, const struct vmi_rom *rom, enum vmi_aot_state state,
                   enum vmi_aot_rule rule)
{
    struct vmi_aot_verdict v;
    assert_int_equal(vmi_aot_check(&f->id, &f->text, &f->sites, rom, &v), state);
    assert_int_equal(v.state, state);
    assert_int_equal(v.rule, rule);
}

static void test_aot_check_states(void **state)
{
    static struct aot_fixture f;
    struct vmi_aot_verdict v;
    (void)state;
    fixture(&f);
    expect(&f, &f.rom, VMI_AOT_MATCH, VMI_AOT_RULE_MATCHED);
    assert_int_equal(vmi_aot_check(&f.id, &f.text, &f.sites, &f.rom, &v), VMI_AOT_MATCH);
    assert_true(v.sites_hash == f.id.sites_hash);
    assert_true(v.rom_hash == f.id.rom_hash);
    assert_int_equal(vmi_aot_check(&f.id, &f.text, &f.sites, &f.rom, NULL), VMI_AOT_MATCH);

    struct aot_fixture *g = &f;
    memset(&g->id, 0, sizeof g->id);                       /* a plain image: all zero */
    expect(g, &g->rom, VMI_AOT_NONE, VMI_AOT_RULE_ZERO);
    expect(g, NULL, VMI_AOT_NONE, VMI_AOT_RULE_ZERO);
    assert_string_equal(vmi_aot_state_name(VMI_AOT_NONE), "none");
    assert_string_equal(vmi_aot_state_name(VMI_AOT_UNTRUSTED), "untrusted");
    assert_string_equal(vmi_aot_state_name(VMI_AOT_MATCH), "match");
    assert_string_equal(vmi_aot_state_name(VMI_AOT_MISMATCH), "mismatch");
    assert_string_equal(vmi_aot_state_name(99), "?");
    assert_string_equal(vmi_aot_rule_name(VMI_AOT_RULE_SITES_HASH), "sites-hash");
}

/* Each rule, alone, in the order the check applies them. */
static void test_aot_check_rules(void **state)
{
    static struct aot_fixture f;
    (void)state;
    fixture(&f); f.id.magic = 0x544f4157;                 expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_MAGIC);
    fixture(&f); f.id.version = VMI_AOT_VERSION + 1;      expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_VERSION);
    fixture(&f); f.id.hash_kind = 2;                      expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_HASH_KIND);
    fixture(&f); f.id.policy = VMI_POLICY_COUNT;          expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_POLICY);
    fixture(&f); f.id.policy = VMI_POLICY_COUNT - 1;      expect(&f, &f.rom, VMI_AOT_MATCH, VMI_AOT_RULE_MATCHED);
    fixture(&f); f.id.site_count = 2;                     expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_SITE_COUNT);
    fixture(&f); f.id.sites_hash ^= 1;                    expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_SITES_HASH);
    /* a site byte changed after specialize: untrusted even with no ROM at all */
    fixture(&f); f.textbuf[0x41] ^= 0xff;                 expect(&f, NULL, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_SITES_HASH);
    /* a site outside the text cannot be hashed: untrusted */
    fixture(&f); f.text.size = 0x80;                      expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_SITES_HASH);
    /* the sites are vmi-aot's: the ROM decides between match and mismatch */
    fixture(&f);                                          expect(&f, NULL, VMI_AOT_MISMATCH, VMI_AOT_RULE_NO_ROM);
    fixture(&f); f.id.rom_size += 512;                    expect(&f, &f.rom, VMI_AOT_MISMATCH, VMI_AOT_RULE_ROM_SIZE);
    fixture(&f); f.id.rom_base += 0x800;                  expect(&f, &f.rom, VMI_AOT_MISMATCH, VMI_AOT_RULE_ROM_BASE);
    fixture(&f); f.romimg[0x100] ^= 1;                    expect(&f, &f.rom, VMI_AOT_MISMATCH, VMI_AOT_RULE_ROM_HASH);
    fixture(&f); f.id.rom_hash ^= 1ull << 63;             expect(&f, &f.rom, VMI_AOT_MISMATCH, VMI_AOT_RULE_ROM_HASH);
    /* the first failing rule decides: a bad version wins over a bad sites hash */
    fixture(&f); f.id.version = 2; f.id.sites_hash ^= 1;  expect(&f, &f.rom, VMI_AOT_UNTRUSTED, VMI_AOT_RULE_VERSION);
}

/* ---- the .vmi_aot record ---- */

#define R_HDR   sizeof(struct vmi_aot_record)
#define R_ENTRY sizeof(struct vmi_aot_record_entry)

/* Two sites (5 and 4 bytes) with their original bytes; returns the section's size. */
static uint32_t record_build(uint8_t *buf)
{
    struct vmi_aot_record h = { VMI_AOT_REC_MAGIC, VMI_AOT_REC_VERSION, R_HDR, R_ENTRY, 0, 2, 9,
                                VMI_AOT_REC_F_IDENTITY, { 0 } };
    struct vmi_aot_identity id = { .magic = VMI_AOT_MAGIC, .version = VMI_AOT_VERSION,
                                   .site_count = 2, .sites_hash = 0x1122334455667788ull };
    struct vmi_aot_record_entry e[2] = {
        { 0x08048010, 1, 0, VMI_CALL_SetCR3, 5, VMI_DECISION_CALL, VMI_REASON_CALL_REL },
        { 0x08048020, 0, 5, VMI_CALL_DisableInterrupts, 4, VMI_DECISION_INLINE, VMI_REASON_INLINE },
    };
    memcpy(h.identity, &id, sizeof id);
    memcpy(buf, &h, R_HDR);
    memcpy(buf + R_HDR, e, sizeof e);
    for (uint32_t i = 0; i < 9; i++)
        buf[R_HDR + sizeof e + i] = (uint8_t)(0x0c + i);
    return (uint32_t)(R_HDR + sizeof e + 9);
}

static void expect_refused(const uint8_t *buf, uint32_t len, uint32_t offset, uint32_t site)
{
    struct vmi_aot_record_view rec;
    struct vmi_error err;
    assert_int_equal(vmi_aot_record_decode(&rec, buf, len, &err), VMI_E_AOT_RECORD);
    assert_int_equal(err.status, VMI_E_AOT_RECORD);
    assert_int_equal(err.offset, offset);
    assert_int_equal(err.site, site);
    assert_null(rec.entries);
    assert_string_equal(vmi_status_name(VMI_E_AOT_RECORD), "aot-record");
}

static void test_aot_record(void **state)
{
    uint8_t buf[256], bad[256];
    struct vmi_aot_record_view rec;
    struct vmi_error err;
    (void)state;
    uint32_t n = record_build(buf);
    assert_int_equal(vmi_aot_record_decode(&rec, buf, n, &err), VMI_OK);
    assert_int_equal(rec.count, 2);
    assert_int_equal(rec.bytes_size, 9);
    assert_int_equal(rec.flags, VMI_AOT_REC_F_IDENTITY);
    assert_int_equal(rec.id.magic, VMI_AOT_MAGIC);
    assert_true(rec.id.sites_hash == 0x1122334455667788ull);
    assert_int_equal(rec.entries[1].addr, 0x08048020);
    assert_int_equal(rec.entries[1].len, 4);
    assert_int_equal(rec.entries[0].decision, VMI_DECISION_CALL);
    assert_ptr_equal(rec.bytes, buf + R_HDR + 2 * R_ENTRY);
    assert_int_equal(rec.bytes[5], 0x11);
    /* no sites at all is a valid record */
    struct vmi_aot_record h0 = { VMI_AOT_REC_MAGIC, VMI_AOT_REC_VERSION, R_HDR, R_ENTRY, 0, 0, 0, 0, { 0 } };
    assert_int_equal(vmi_aot_record_decode(&rec, &h0, R_HDR, &err), VMI_OK);
    assert_int_equal(rec.count, 0);

    /* truncated: shorter than the header, or than what count and bytes_size say */
    expect_refused(buf, R_HDR - 1, 0, VMI_NO_SITE);
    expect_refused(buf, 10, 0, VMI_NO_SITE);
    expect_refused(buf, n - 1, offsetof(struct vmi_aot_record, count), VMI_NO_SITE);
    expect_refused(buf, R_HDR + R_ENTRY, offsetof(struct vmi_aot_record, count), VMI_NO_SITE);
    memcpy(bad, buf, n); bad[n] = 0;                     /* a byte too many */
    expect_refused(bad, n + 1, offsetof(struct vmi_aot_record, count), VMI_NO_SITE);
    memcpy(bad, buf, n); ((struct vmi_aot_record *)bad)->count = 0x10000000;   /* no overflow */
    expect_refused(bad, n, offsetof(struct vmi_aot_record, count), VMI_NO_SITE);
    /* bad magic, version, sizes, flags */
    memcpy(bad, buf, n); bad[0] = 'X';
    expect_refused(bad, n, offsetof(struct vmi_aot_record, magic), VMI_NO_SITE);
    memcpy(bad, buf, n); ((struct vmi_aot_record *)bad)->magic = VMI_AOT_MAGIC;  /* the identity's */
    expect_refused(bad, n, offsetof(struct vmi_aot_record, magic), VMI_NO_SITE);
    memcpy(bad, buf, n); ((struct vmi_aot_record *)bad)->version = 2;
    expect_refused(bad, n, offsetof(struct vmi_aot_record, version), VMI_NO_SITE);
    memcpy(bad, buf, n); ((struct vmi_aot_record *)bad)->header_size = 0x48;
    expect_refused(bad, n, offsetof(struct vmi_aot_record, header_size), VMI_NO_SITE);
    memcpy(bad, buf, n); ((struct vmi_aot_record *)bad)->entry_size = 0x0c;
    expect_refused(bad, n, offsetof(struct vmi_aot_record, header_size), VMI_NO_SITE);
    memcpy(bad, buf, n); ((struct vmi_aot_record *)bad)->flags = 0x80;
    expect_refused(bad, n, offsetof(struct vmi_aot_record, flags), VMI_NO_SITE);
    memcpy(bad, buf, n); ((struct vmi_aot_record *)bad)->flags = VMI_AOT_REC_F_LINUX;
    assert_int_equal(vmi_aot_record_decode(&rec, bad, n, &err), VMI_OK);
    /* entries: bytes outside the bytes area, a site not after the previous one */
    struct vmi_aot_record_entry *e = (struct vmi_aot_record_entry *)(bad + R_HDR);
    memcpy(bad, buf, n); e[1].bytes_off = 6;
    expect_refused(bad, n, R_HDR + R_ENTRY + offsetof(struct vmi_aot_record_entry, bytes_off), 1);
    memcpy(bad, buf, n); e[0].len = 0x11;
    expect_refused(bad, n, R_HDR + offsetof(struct vmi_aot_record_entry, bytes_off), 0);
    memcpy(bad, buf, n); e[1].addr = 0x08048014;                  /* inside site 0 */
    expect_refused(bad, n, R_HDR + R_ENTRY, 1);
    memcpy(bad, buf, n); e[1].addr = 0x08048015;                  /* right after it: fine */
    assert_int_equal(vmi_aot_record_decode(&rec, bad, n, &err), VMI_OK);
    assert_int_equal(vmi_aot_record_decode(NULL, buf, n, &err), VMI_E_ARG);
}

/* ---- rel32 branches and plan sizes ---- */

static void test_rel32_branch(void **state)
{
    uint8_t out[6] = { 0, 0, 0, 0, 0, 0xaa };
    (void)state;
    assert_int_equal(vmi_write_rel32_branch(out, VMI_OP_CALL_REL32, 0x1000, 0x2000), VMI_BRANCH_LEN);
    static const uint8_t call[6] = { 0xe8, 0xfb, 0x0f, 0x00, 0x00, 0xaa };
    assert_memory_equal(out, call, 6);
    vmi_write_rel32_branch(out, VMI_OP_JMP_REL32, 0x2000, 0x1000);     /* backwards */
    static const uint8_t back[6] = { 0xe9, 0xfb, 0xef, 0xff, 0xff, 0xaa };
    assert_memory_equal(out, back, 6);
    vmi_write_rel32_branch(out, VMI_OP_JMP_REL32, 0xfffffff0u, 0x10);   /* wraps at 4 GiB */
    static const uint8_t wrap[6] = { 0xe9, 0x1b, 0x00, 0x00, 0x00, 0xaa };
    assert_memory_equal(out, wrap, 6);
    vmi_write_rel32_branch(out, VMI_OP_CALL_REL32, 0x5000, 0x5005);     /* the next instruction */
    static const uint8_t next[6] = { 0xe8, 0, 0, 0, 0, 0xaa };
    assert_memory_equal(out, next, 6);
}

static void test_plan_size(void **state)
{
    static uint8_t img[ROMGEN_SIZE];
    struct vmi_site_table sites;
    struct vmi_plan_size size;
    struct vmi_site_plan sp[4];
    uint8_t code[256];
    struct vmi_plan plan;
    struct vmi_rom rom;
    struct vmi_reloc_table rel;
    struct vmi_error err;
    (void)state;
    struct tsite s[3] = {
        tsite_std(T_TEXT_BASE + 0x10, VMI_CALL_SetDR),           /* the largest site: 52 bytes */
        tsite_std(T_TEXT_BASE + 0x80, VMI_CALL_DisableInterrupts),
        tsite_std(T_TEXT_BASE + 0xc0, VMI_CALL_SetCR3),
    };
    assert_int_equal(s[0].len, VMI_RESERVE_MAX);
    assert_int_equal(VMI_RESERVE_MAX, 52);
    tread(&sites, s, 3);
    vmi_plan_size_for(&sites, &size);
    uint32_t total = s[0].len + s[1].len + s[2].len;
    assert_int_equal(size.sites, 3);
    assert_int_equal(size.code, total);
    assert_int_equal(size.thunks, 3 * VMI_COUNT_THUNK_FIXED + total);
    assert_int_equal(VMI_PLAN_CODE_BYTES(3, VMI_RESERVE_MAX), 156);
    assert_int_equal(VMI_COUNT_THUNK_BYTES(3, VMI_RESERVE_MAX), 3 * 64);
    vmi_plan_size_for(NULL, &size);
    assert_int_equal(size.sites + size.code + size.thunks, 0);

    /* the sizes are what the planner and the counting plan need: exactly, not one byte less */
    tmkrom(&rom, img, NULL, 0);
    memset(&rel, 0, sizeof rel);
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++) {
        rel.info[c].type = VMI_RELOCATION_CALL_REL;
        rel.info[c].eip = T_ROM_BASE + 0x200;
    }
    vmi_plan_size_for(&sites, &size);
    vmi_plan_init(&plan, sp, size.sites - 1, code, size.code);
    assert_int_equal(vmi_plan_build(&plan, &sites, &rom, &rel, NULL, &err), VMI_E_CAPACITY);
    vmi_plan_init(&plan, sp, size.sites, code, size.code - 1);
    assert_int_equal(vmi_plan_build(&plan, &sites, &rom, &rel, NULL, &err), VMI_E_CAPACITY);
    assert_int_equal(err.expected, size.code);
    vmi_plan_init(&plan, sp, size.sites, code, size.code);
    assert_int_equal(vmi_plan_build(&plan, &sites, &rom, &rel, NULL, &err), VMI_OK);

    static uint8_t thunks[512];
    struct vmi_site_plan csp[4];
    uint8_t ccode[256];
    struct vmi_plan cplan;
    struct vmi_count_area area = { thunks, 0x10000000u, size.thunks, 0, 0x20000000u };
    vmi_plan_init(&cplan, csp, size.sites, ccode, size.code);
    assert_int_equal(vmi_plan_count(&cplan, &plan, &rom, &area, &err), VMI_OK);
    assert_true(area.thunks_len <= size.thunks);
    area.thunks_cap = area.thunks_len - 1;
    assert_int_equal(vmi_plan_count(&cplan, &plan, &rom, &area, &err), VMI_E_CAPACITY);
}

int run_aot_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aot_check_states),
        cmocka_unit_test(test_aot_check_rules),
        cmocka_unit_test(test_aot_record),
        cmocka_unit_test(test_rel32_branch),
        cmocka_unit_test(test_plan_size),
    };
    return cmocka_run_group_tests_name("aot", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
