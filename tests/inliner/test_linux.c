/* Linux's pv sites: the .parainstructions reader, the original-bytes capture, and the planner,
 * apply, verify and revert on sites whose native bytes are what the text held (indirect calls
 * through an ops table), on synthetic records and byte strings. */
#include "tinl.h"
#include "vmi_linux_sites.h"
#include "vmi_linux_ops.h"

/* Site types of a synthetic template (word indexes), as a kernel's profile would give them. */
enum {
    T_HOLE = 0,         /* no op */
    T_IRQ_DISABLE,      /* patch DisableInterrupts */
    T_IRQ_ENABLE,       /* patch EnableInterrupts */
    T_SAVE_FL,          /* patch GetInterruptMask */
    T_IRET,             /* patch IRET */
    T_READ_CR2,         /* fill GetCR2 */
    T_WBINVD,           /* fill WBINVD */
    T_CPUID,            /* wrap CPUID */
    T_SET_PTE,          /* get SetPxE */
    T_PTE_VAL,          /* native, no call */
    T_COUNT
};

static const struct vmi_linux_type type_tab[T_COUNT] = {
    [T_HOLE] = { 0, 0, VMI_NO_CALL },
    [T_IRQ_DISABLE] = { 1, VMI_USE_LINUX_PATCH, VMI_CALL_DisableInterrupts },
    [T_IRQ_ENABLE] = { 1, VMI_USE_LINUX_PATCH, VMI_CALL_EnableInterrupts },
    [T_SAVE_FL] = { 1, VMI_USE_LINUX_PATCH, VMI_CALL_GetInterruptMask },
    [T_IRET] = { 1, VMI_USE_LINUX_PATCH, VMI_CALL_IRET },
    [T_READ_CR2] = { 1, VMI_USE_LINUX_FILL, VMI_CALL_GetCR2 },
    [T_WBINVD] = { 1, VMI_USE_LINUX_FILL, VMI_CALL_WBINVD },
    [T_CPUID] = { 1, VMI_USE_LINUX_WRAP, VMI_CALL_CPUID },
    [T_SET_PTE] = { 1, VMI_USE_LINUX_GET, VMI_CALL_SetPxE },
    [T_PTE_VAL] = { 1, VMI_USE_LINUX_NATIVE, VMI_NO_CALL },
};
static const struct vmi_linux_types types = { type_tab, T_COUNT };
static const struct vmi_text_range text_range[2] = {
    { T_TEXT_BASE, 0x800 }, { T_TEXT_BASE + 0x800, 0x800 },
};

struct lrec {
    uint32_t instr;
    uint8_t type, len;
    uint16_t clobbers;
};

/* The records as Linux lays them out: struct vmi_linux_patch_site (little-endian, packed). */
static uint32_t lrecords(uint8_t *buf, const struct lrec *r, int n)
{
    for (int i = 0; i < n; i++) {
        struct vmi_linux_patch_site rec = { .instr = r[i].instr, .instrtype = r[i].type,
                                            .len = r[i].len, .clobbers = r[i].clobbers };
        memcpy(buf + sizeof rec * (size_t)i, &rec, sizeof rec);
    }
    return (uint32_t)sizeof(struct vmi_linux_patch_site) * (uint32_t)n;
}

static struct vmi_site_info infos[T_MAX_SITES];

static vmi_status lread(const struct lrec *r, int n, struct vmi_site_table *t, struct vmi_error *err)
{
    uint8_t buf[8 * T_MAX_SITES];
    uint32_t bytes = lrecords(buf, r, n);
    t->sites = infos;
    t->cap = T_MAX_SITES;
    return vmi_linux_sites_read(t, buf, bytes, &types, text_range, 2, err);
}

/* call *disp32 (ff 15), the C form; jmp *%cs:disp32 (2e ff 25), the iret form. */
static void put_indirect(uint8_t *at, const struct lrec *r)
{
    uint32_t slot = 0xc1400000u + 4u * r->type;
    memset(at, 0x90, r->len);
    if (r->type == T_IRET) {
        at[0] = 0x2e;
        at[1] = 0xff;
        at[2] = 0x25;
        memcpy(at + 3, &slot, 4);
    } else {
        at[0] = 0xff;
        at[1] = 0x15;
        memcpy(at + 2, &slot, 4);
    }
}

static uint8_t textbuf[T_TEXT_SIZE], pristine[T_TEXT_SIZE];

static void ltext(struct vmi_text *text, const struct lrec *r, int n)
{
    memset(textbuf, 0xcc, sizeof textbuf);
    for (int i = 0; i < n; i++)
        put_indirect(textbuf + (r[i].instr - T_TEXT_BASE), &r[i]);
    memcpy(pristine, textbuf, sizeof textbuf);
    memset(text, 0, sizeof *text);
    text->bytes = textbuf;
    text->base = T_TEXT_BASE;
    text->size = T_TEXT_SIZE;
}

static void test_clobbers(void **state)
{
    (void)state;
    assert_int_equal(vmi_linux_clobbers(0), VMI_CLOBBER_FLAGS);
    assert_int_equal(vmi_linux_clobbers(VMI_LINUX_CLBR_EAX | VMI_LINUX_CLBR_EDX),
                     VMI_CLOBBER_EAX | VMI_CLOBBER_EDX | VMI_CLOBBER_FLAGS);
    /* CLBR_ANY: eax, ecx, edx; never edi, which i386 C sites do not declare clobbered */
    assert_int_equal(vmi_linux_clobbers(VMI_LINUX_CLBR_ANY), VMI_CLOBBER_STD);
    assert_int_equal(vmi_linux_clobbers(VMI_LINUX_CLBR_EDI), VMI_CLOBBER_FLAGS);
}

static void test_read(void **state)
{
    struct lrec r[5] = {
        { T_TEXT_BASE + 0x900, T_IRET, 7, 0 },
        { T_TEXT_BASE + 0x10, T_IRQ_DISABLE, 6, VMI_LINUX_CLBR_EAX | VMI_LINUX_CLBR_EDX },
        { T_TEXT_BASE + 0x20, T_PTE_VAL, 6, VMI_LINUX_CLBR_ANY },
        { T_TEXT_BASE + 0x40, T_CPUID, 6, VMI_LINUX_CLBR_ANY },
        { T_TEXT_BASE + 0x7fc, T_READ_CR2, 4, VMI_LINUX_CLBR_ANY },  /* short, not a patch type */
    };
    struct vmi_site_table t;
    struct vmi_error err;
    (void)state;
    assert_int_equal(lread(r, 5, &t, &err), VMI_OK);
    assert_int_equal(t.count, 5);
    assert_int_equal(t.sites[0].addr, T_TEXT_BASE + 0x10);
    assert_int_equal(t.sites[0].index, 1);
    assert_int_equal(t.sites[0].call, VMI_CALL_DisableInterrupts);
    assert_int_equal(t.sites[0].use, VMI_USE_LINUX_PATCH);
    assert_int_equal(t.sites[0].len, 6);
    assert_int_equal(t.sites[0].clobbers, VMI_CLOBBER_EAX | VMI_CLOBBER_EDX | VMI_CLOBBER_FLAGS);
    assert_int_equal(t.sites[0].flags, VMI_SITE_ORIGINAL);
    assert_int_equal(t.sites[1].call, VMI_NO_CALL);
    assert_int_equal(t.sites[1].use, VMI_USE_LINUX_NATIVE);
    assert_int_equal(t.sites[2].use, VMI_USE_LINUX_WRAP);
    assert_int_equal(t.sites[3].use, VMI_USE_LINUX_FILL);
    assert_int_equal(t.sites[3].len, 4);
    assert_int_equal(t.sites[4].addr, T_TEXT_BASE + 0x900);
    assert_int_equal(t.sites[4].call, VMI_CALL_IRET);
    assert_int_equal(t.sites[4].flags, VMI_SITE_ORIGINAL | VMI_SITE_JUMP);
    assert_int_equal(t.sites[4].clobbers, VMI_CLOBBER_FLAGS);
    assert_int_equal(lread(r, 0, &t, &err), VMI_OK);
    assert_int_equal(t.count, 0);
}

static void expect_bad(struct lrec *r, int n, vmi_status want, uint32_t site, uint32_t offset)
{
    struct vmi_site_table t;
    struct vmi_error err;
    assert_int_equal(lread(r, n, &t, &err), want);
    assert_int_equal(err.status, want);
    assert_int_equal(err.site, site);
    assert_int_equal(err.offset, offset);
    assert_int_equal(t.count, 0);
}

static void test_read_errors(void **state)
{
    struct lrec ok = { T_TEXT_BASE + 0x10, T_IRQ_DISABLE, 6, 5 };
    struct lrec r[2];
    struct vmi_site_table t = { infos, 0, 1 };
    struct vmi_error err;
    uint8_t buf[16];
    (void)state;

    r[0] = ok; r[1] = ok; r[1].instr += 0x10; r[1].type = T_COUNT;      /* outside the template */
    expect_bad(r, 2, VMI_E_SITE_TYPE, 1, 8 + 4);
    r[1].type = T_HOLE;                                                 /* a hole */
    expect_bad(r, 2, VMI_E_SITE_TYPE, 1, 8 + 4);
    r[1] = ok; r[1].instr += 0x10; r[1].clobbers = 0x10;                /* a 64-bit CLBR_* bit */
    expect_bad(r, 2, VMI_E_SITE_FLAGS, 1, 8 + 6);
    r[1].clobbers = 0; r[1].len = 4;                                    /* patch type, 4 bytes */
    expect_bad(r, 2, VMI_E_SITE_LEN, 1, 8 + 5);
    r[1].type = T_READ_CR2; r[1].len = 0;
    expect_bad(r, 2, VMI_E_SITE_LEN, 1, 8 + 5);
    r[1] = ok; r[1].instr = T_TEXT_BASE + 0x1000;                       /* past the text */
    expect_bad(r, 2, VMI_E_SITE_RANGE, 1, 8);
    r[1].instr = T_TEXT_BASE + 0x7fe;                                   /* straddles two ranges */
    expect_bad(r, 2, VMI_E_SITE_RANGE, 1, 8);
    r[1].instr = T_TEXT_BASE - 6;
    expect_bad(r, 2, VMI_E_SITE_RANGE, 1, 8);
    r[1] = ok; r[1].instr += 5;                                         /* shares a byte */
    expect_bad(r, 2, VMI_E_SITE_OVERLAP, 1, 0);
    r[1] = ok;                                                          /* the same site twice */
    expect_bad(r, 2, VMI_E_SITE_OVERLAP, 1, 0);

    lrecords(buf, &ok, 1);
    assert_int_equal(vmi_linux_sites_read(&t, buf, 7, &types, text_range, 2, &err), VMI_E_SITE_TABLE);
    assert_int_equal(err.offset, 7);
    lrecords(buf, r, 2);
    r[1].instr += 0x10;
    lrecords(buf, r, 2);
    assert_int_equal(vmi_linux_sites_read(&t, buf, 16, &types, text_range, 2, &err), VMI_E_CAPACITY);
    assert_int_equal(err.expected, 2);
    assert_int_equal(vmi_linux_sites_read(&t, buf, 8, NULL, text_range, 2, &err), VMI_E_ARG);
    /* a type table that maps to an undefined call, or gives no use */
    {
        struct vmi_linux_type bad[2] = { { 1, VMI_USE_LINUX_PATCH, 49 }, { 1, VMI_USE_GLUE, 0 } };
        struct vmi_linux_types bt = { bad, 2 };
        struct lrec b = { T_TEXT_BASE, 0, 6, 0 };
        lrecords(buf, &b, 1);
        assert_int_equal(vmi_linux_sites_read(&t, buf, 8, &bt, text_range, 2, &err), VMI_E_SITE_CALL);
        b.type = 1;
        lrecords(buf, &b, 1);
        assert_int_equal(vmi_linux_sites_read(&t, buf, 8, &bt, text_range, 2, &err), VMI_E_SITE_TYPE);
    }
    assert_string_equal(vmi_status_name(VMI_E_SITE_TYPE), "site-type");
}

static void test_capture(void **state)
{
    struct lrec r[2] = {
        { T_TEXT_BASE + 0x30, T_IRQ_ENABLE, 6, 5 },
        { T_TEXT_BASE + 0x10, T_IRET, 7, 0 },
    };
    struct vmi_site_table t;
    struct vmi_text text;
    struct vmi_error err;
    uint8_t orig[16];
    uint32_t len = 99;
    (void)state;
    assert_int_equal(lread(r, 2, &t, &err), VMI_OK);
    ltext(&text, r, 2);
    assert_int_equal(vmi_sites_capture(&t, &text, orig, 12, &len, &err), VMI_E_CAPACITY);
    assert_int_equal(err.expected, 13);
    assert_int_equal(len, 0);
    assert_int_equal(vmi_sites_capture(&t, &text, orig, sizeof orig, &len, &err), VMI_OK);
    assert_int_equal(len, 13);
    assert_memory_equal(orig, textbuf + 0x10, 7);            /* address order: the iret first */
    assert_memory_equal(orig + 7, textbuf + 0x30, 6);
    text.size = 0x30;
    assert_int_equal(vmi_sites_capture(&t, &text, orig, sizeof orig, &len, &err), VMI_E_SITE_RANGE);
    assert_int_equal(err.site, 0);
}

/* ---- planning ---- */

static uint8_t romimg[ROMGEN_SIZE];
static struct vmi_rom rom;
static struct vmi_reloc_table relocs;
static struct vmi_site_plan sp[T_MAX_SITES];
static uint8_t code[T_MAX_SITES * 16], orig[T_MAX_SITES * 16];
static uint32_t orig_len;
static struct vmi_plan plan;
static struct vmi_site_table table;
static struct vmi_text text;

/* cli-like 1-byte body; EnableInterrupts 8 bytes (too long for 6); GetCR2 5 bytes, clobbers eax;
 * WBINVD 2 bytes clobbering ecx, more than the call allows (eax, ecx, edx, flags allows it:
 * use a call whose set excludes it below). */
static const struct romgen_body b_cli1 = {
    .call = VMI_CALL_DisableInterrupts, .clobbers = 0, .len = 1, .bytes = { 0xfa },
};
static const struct romgen_body b_sti8 = {
    .call = VMI_CALL_EnableInterrupts, .clobbers = VMI_CLOBBER_FLAGS, .len = 8, .bytes = { 0x90 },
};
static const struct romgen_body b_cr2 = {
    .call = VMI_CALL_GetCR2, .clobbers = VMI_CLOBBER_EAX, .len = 3, .bytes = { 0x0f, 0x20, 0xd0 },
};
/* GetInterruptMask writing ecx: inside the site's CLBR_ANY, outside the call's eax+flags. */
static const struct romgen_body b_pushf_ecx = {
    .call = VMI_CALL_GetInterruptMask, .clobbers = VMI_CLOBBER_EAX | VMI_CLOBBER_ECX, .len = 3,
    .bytes = { 0x9c, 0x58, 0x90 },
};

static const struct lrec sites7[] = {
    { T_TEXT_BASE + 0x010, T_IRQ_DISABLE, 6, VMI_LINUX_CLBR_EAX | VMI_LINUX_CLBR_EDX },
    { T_TEXT_BASE + 0x020, T_IRQ_ENABLE, 6, VMI_LINUX_CLBR_EAX | VMI_LINUX_CLBR_EDX },
    { T_TEXT_BASE + 0x030, T_SAVE_FL, 6, VMI_LINUX_CLBR_ANY },
    { T_TEXT_BASE + 0x040, T_IRET, 7, 0 },
    { T_TEXT_BASE + 0x050, T_READ_CR2, 6, VMI_LINUX_CLBR_ANY },
    { T_TEXT_BASE + 0x060, T_WBINVD, 6, VMI_LINUX_CLBR_ANY },
    { T_TEXT_BASE + 0x070, T_CPUID, 6, VMI_LINUX_CLBR_ANY },
    { T_TEXT_BASE + 0x080, T_SET_PTE, 6, VMI_LINUX_CLBR_ANY },
    { T_TEXT_BASE + 0x090, T_PTE_VAL, 6, VMI_LINUX_CLBR_ANY },
};
#define NSITES ((int)(sizeof sites7 / sizeof sites7[0]))

static void lsetup(void)
{
    struct romgen_body b[4] = { b_cli1, b_sti8, b_cr2, b_pushf_ecx };
    struct vmi_error err;
    tmkrom(&rom, romimg, b, 4);
    romgen_relocs(&relocs, T_ROM_BASE);
    assert_int_equal(lread(sites7, NSITES, &table, &err), VMI_OK);
    ltext(&text, sites7, NSITES);
    assert_int_equal(vmi_sites_capture(&table, &text, orig, sizeof orig, &orig_len, &err), VMI_OK);
}

static vmi_status lplan(const struct vmi_rom *r, unsigned policy, struct vmi_error *err)
{
    struct vmi_plan_options opt = { (enum vmi_policy)policy, 0 };
    vmi_plan_init(&plan, sp, T_MAX_SITES, code, sizeof code);
    vmi_plan_set_original(&plan, orig, orig_len);
    return vmi_plan_build(&plan, &table, r, r ? &relocs : NULL, &opt, err);
}

static void lexpect(int i, unsigned decision, unsigned reason, unsigned why)
{
    assert_string_equal(vmi_decision_name(plan.sites[i].decision), vmi_decision_name(decision));
    assert_string_equal(vmi_reason_name(plan.sites[i].reason), vmi_reason_name(reason));
    assert_string_equal(vmi_noinline_name(plan.sites[i].noinline), vmi_noinline_name(why));
}

static const uint8_t *site_code(int i)
{
    return plan.code + plan.sites[i].code_offs;
}

static void expect_original(int i)
{
    assert_int_equal(plan.sites[i].used, plan.sites[i].len);
    assert_int_equal(plan.sites[i].nops, 0);
    assert_memory_equal(site_code(i), pristine + (plan.sites[i].addr - T_TEXT_BASE),
                        plan.sites[i].len);
}

static void expect_branch(int i, uint8_t op, uint8_t call)
{
    uint32_t disp;
    assert_int_equal(site_code(i)[0], op);
    memcpy(&disp, site_code(i) + 1, 4);
    assert_int_equal(plan.sites[i].addr + 5 + disp, romgen_routine(T_ROM_BASE, call));
    assert_memory_equal(site_code(i) + 5, vmi_nops[plan.sites[i].len - 5], plan.sites[i].len - 5);
}

static void test_plan_auto(void **state)
{
    struct vmi_error err;
    (void)state;
    lsetup();
    relocs.info[VMI_CALL_WBINVD].type = VMI_RELOCATION_NOP;
    assert_int_equal(lplan(&rom, VMI_POLICY_AUTO, &err), VMI_OK);
    assert_int_equal(plan.count, NSITES);
    /* patch: irq_disable inlined (1 byte + a 5-byte NOP) */
    lexpect(0, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
    assert_int_equal(site_code(0)[0], 0xfa);
    assert_memory_equal(site_code(0) + 1, vmi_nops[5], 5);
    /* patch: irq_enable's body is too long: a direct call, as vmi_patch */
    lexpect(1, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_TOO_LONG);
    expect_branch(1, 0xe8, VMI_CALL_EnableInterrupts);
    /* patch: save_fl's body writes ecx: the site (CLBR_ANY) allows it, the call does not */
    lexpect(2, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_CLOBBERS);
    /* patch: iret, JUMP_REL: jmp rel32 */
    lexpect(3, VMI_DECISION_JUMP, VMI_REASON_JUMP_REL, VMI_NOINLINE_NO_BODY);
    expect_branch(3, 0xe9, VMI_CALL_IRET);
    /* fill: read_cr2 inlined */
    lexpect(4, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
    assert_memory_equal(site_code(4), b_cr2.bytes, 3);
    /* fill answered NOP: Linux points the op at an empty function; the call stays */
    lexpect(5, VMI_DECISION_NATIVE, VMI_REASON_FILL_NOP, VMI_NOINLINE_NO_BODY);
    expect_original(5);
    /* wrap, get, native: kept */
    for (int i = 6; i < 9; i++) {
        lexpect(i, VMI_DECISION_NATIVE, VMI_REASON_LINUX_KEEP, VMI_NOINLINE_LINUX_USE);
        expect_original(i);
        assert_int_equal(plan.sites[i].flags & VMI_SITE_ORIGINAL, VMI_SITE_ORIGINAL);
    }
    assert_int_equal(plan.sites[6].use, VMI_USE_LINUX_WRAP);
    assert_string_equal(vmi_reason_name(VMI_REASON_LINUX_KEEP), "linux-keep");
    assert_string_equal(vmi_reason_name(VMI_REASON_FILL_NOP), "fill-nop");
    assert_string_equal(vmi_noinline_name(VMI_NOINLINE_LINUX_USE), "linux-use");
    assert_string_equal(vmi_call_name(VMI_NO_CALL), "none");
    {
        static struct vmi_stats st;
        vmi_plan_stats(&plan, &st);
        assert_int_equal(st.sites, NSITES);
        assert_int_equal(st.decision[VMI_DECISION_NATIVE], 4);
        assert_int_equal(st.reason[VMI_REASON_LINUX_KEEP], 3);
        assert_int_equal(st.call_sites[VMI_CALL_CPUID], 1);
    }
}

static void test_plan_relocs(void **state)
{
    struct vmi_error err;
    (void)state;
    lsetup();
    /* CALL_REL for the fill op without a body: a direct call to the routine Linux points it at */
    relocs.info[VMI_CALL_DisableInterrupts].type = VMI_RELOCATION_NOP;
    relocs.info[VMI_CALL_EnableInterrupts].type = VMI_RELOCATION_NONE;
    relocs.info[VMI_CALL_IRET].type = VMI_RELOCATION_CALL_REL;
    relocs.info[VMI_CALL_GetCR2].type = VMI_RELOCATION_JUMP_REL;
    assert_int_equal(lplan(&rom, VMI_POLICY_CALL_ONLY, &err), VMI_OK);
    lexpect(0, VMI_DECISION_NOP, VMI_REASON_NOP_REL, VMI_NOINLINE_POLICY);     /* whole site NOPs */
    assert_memory_equal(site_code(0), vmi_nops[6], 6);
    lexpect(1, VMI_DECISION_NATIVE, VMI_REASON_RELOC_NONE, VMI_NOINLINE_POLICY);
    expect_original(1);
    lexpect(3, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_POLICY);   /* iret by call */
    expect_branch(3, 0xe8, VMI_CALL_IRET);
    lexpect(4, VMI_DECISION_NATIVE, VMI_REASON_JUMP_AT_CALL_SITE, VMI_NOINLINE_POLICY);
    expect_original(4);
    lexpect(5, VMI_DECISION_CALL, VMI_REASON_CALL_REL, VMI_NOINLINE_POLICY);
    expect_branch(5, 0xe8, VMI_CALL_WBINVD);
    lexpect(6, VMI_DECISION_NATIVE, VMI_REASON_LINUX_KEEP, VMI_NOINLINE_LINUX_USE);
}

static void test_plan_policies(void **state)
{
    struct vmi_error err;
    (void)state;
    lsetup();
    assert_int_equal(lplan(&rom, VMI_POLICY_NATIVE_ONLY, &err), VMI_OK);
    for (int i = 0; i < NSITES; i++) {
        lexpect(i, VMI_DECISION_NATIVE, VMI_REASON_POLICY, VMI_NOINLINE_POLICY);
        expect_original(i);
    }
    assert_int_equal(lplan(NULL, VMI_POLICY_AUTO, &err), VMI_OK);       /* the native plan */
    for (int i = 0; i < NSITES; i++) {
        lexpect(i, VMI_DECISION_NATIVE, VMI_REASON_NO_ROM, VMI_NOINLINE_NO_EXTENSION);
        expect_original(i);
    }
    assert_int_equal(lplan(&rom, VMI_POLICY_INLINE_ONLY, &err), VMI_OK);
    lexpect(0, VMI_DECISION_INLINE, VMI_REASON_INLINE, VMI_NOINLINE_INLINED);
    lexpect(1, VMI_DECISION_NATIVE, VMI_REASON_POLICY, VMI_NOINLINE_TOO_LONG);
    expect_original(1);
    lexpect(6, VMI_DECISION_NATIVE, VMI_REASON_LINUX_KEEP, VMI_NOINLINE_LINUX_USE);
    /* no original bytes, or too few: refused */
    {
        struct vmi_plan_options opt = { VMI_POLICY_AUTO, 0 };
        vmi_plan_init(&plan, sp, T_MAX_SITES, code, sizeof code);
        assert_int_equal(vmi_plan_build(&plan, &table, &rom, &relocs, &opt, &err), VMI_E_ARG);
        assert_int_equal(err.site, 0);
        assert_int_equal(plan.count, 0);
        vmi_plan_set_original(&plan, orig, orig_len - 1);
        assert_int_equal(vmi_plan_build(&plan, &table, &rom, &relocs, &opt, &err), VMI_E_ARG);
        assert_int_equal(err.address, sites7[NSITES - 1].instr);
    }
}

static void test_apply_cycle(void **state)
{
    static uint8_t savebuf[T_MAX_SITES * 16];
    struct vmi_save save = { savebuf, sizeof savebuf, 0, 0 };
    struct vmi_error err;
    (void)state;
    lsetup();
    assert_int_equal(lplan(&rom, VMI_POLICY_AUTO, &err), VMI_OK);
    /* expected == NULL: every site must hold its original bytes */
    textbuf[0x93] ^= 1;
    assert_int_equal(vmi_apply(&text, &plan, NULL, &save, &err), VMI_E_SITE_BYTES);
    assert_int_equal(err.address, T_TEXT_BASE + 0x90);
    assert_int_equal(err.offset, 3);
    assert_string_equal(err.reason, "site does not hold its original bytes");
    textbuf[0x93] ^= 1;
    assert_memory_equal(textbuf, pristine, sizeof textbuf);               /* nothing written */
    assert_int_equal(vmi_apply(&text, &plan, NULL, &save, &err), VMI_OK);
    assert_int_equal(vmi_verify(&text, &plan, &err), VMI_OK);
    assert_int_equal(textbuf[0x10], 0xfa);
    assert_memory_equal(textbuf + 0x70, pristine + 0x70, 0x30);           /* kept sites */
    assert_memory_equal(textbuf + 0xa0, pristine + 0xa0, sizeof textbuf - 0xa0);
    assert_int_equal(vmi_revert(&text, &plan, &save, &err), VMI_OK);
    assert_memory_equal(textbuf, pristine, sizeof textbuf);
    /* a plan without its original bytes cannot check the text */
    plan.original = NULL;
    assert_int_equal(vmi_apply(&text, &plan, NULL, NULL, &err), VMI_E_ARG);
    assert_memory_equal(textbuf, pristine, sizeof textbuf);
    /* the native plan of the same table applies over a specialized text: back to the original */
    assert_int_equal(lplan(&rom, VMI_POLICY_AUTO, &err), VMI_OK);
    assert_int_equal(vmi_apply(&text, &plan, NULL, NULL, &err), VMI_OK);
    {
        static struct vmi_site_plan sp2[T_MAX_SITES];
        static uint8_t code2[T_MAX_SITES * 16];
        struct vmi_plan native;
        vmi_plan_init(&native, sp2, T_MAX_SITES, code2, sizeof code2);
        vmi_plan_set_original(&native, orig, orig_len);
        assert_int_equal(vmi_plan_build(&native, &table, NULL, NULL, NULL, &err), VMI_OK);
        assert_int_equal(vmi_apply(&text, &native, &plan, NULL, &err), VMI_OK);
        assert_memory_equal(textbuf, pristine, sizeof textbuf);
    }
}

/* The type table from the spec's profile: the ops the fixtures' README names land on their types
 * with their calls and uses, and the PAE build's set_pte is the Long form. */
static void test_types_for(void **state)
{
    static struct vmi_linux_type tt[VMI_LINUX_NUM_OPS];
    struct vmi_linux_types ty;
    struct vmi_error err;
    unsigned configs[2] = { 0, VMI_LINUX_CFG_PAE };
    (void)state;
    for (int c = 0; c < 2; c++) {
        unsigned cfg = configs[c];
        assert_int_equal(vmi_linux_types_for(tt, VMI_LINUX_NUM_OPS, cfg, &ty, &err), VMI_OK);
        assert_int_equal(ty.count, (uint32_t)vmi_linux_template_words(cfg));
        int t = vmi_linux_op_type(cfg, (unsigned)vmi_linux_op_find(cfg, "pv_irq_ops.irq_disable"));
        assert_true(t >= 0 && ty.type[t].defined);
        assert_int_equal(ty.type[t].use, VMI_USE_LINUX_PATCH);
        assert_int_equal(ty.type[t].call, VMI_CALL_DisableInterrupts);
        t = vmi_linux_op_type(cfg, (unsigned)vmi_linux_op_find(cfg, "pv_cpu_ops.iret"));
        assert_int_equal(ty.type[t].use, VMI_USE_LINUX_PATCH);
        assert_int_equal(ty.type[t].call, VMI_CALL_IRET);
        t = vmi_linux_op_type(cfg, (unsigned)vmi_linux_op_find(cfg, "pv_mmu_ops.read_cr2"));
        assert_int_equal(ty.type[t].use, VMI_USE_LINUX_FILL);
        t = vmi_linux_op_type(cfg, (unsigned)vmi_linux_op_find(cfg, "pv_cpu_ops.cpuid"));
        assert_int_equal(ty.type[t].use, VMI_USE_LINUX_WRAP);
        t = vmi_linux_op_type(cfg, (unsigned)vmi_linux_op_find(cfg, "pv_mmu_ops.pte_val"));
        assert_int_equal(ty.type[t].use, VMI_USE_LINUX_NATIVE);
        assert_int_equal(ty.type[t].call, VMI_NO_CALL);
        t = vmi_linux_op_type(cfg, (unsigned)vmi_linux_op_find(cfg, "pv_mmu_ops.set_pte"));
        assert_int_equal(ty.type[t].use, VMI_USE_LINUX_GET);
        assert_int_equal(ty.type[t].call, cfg ? VMI_CALL_SetPxELong : VMI_CALL_SetPxE);
    }
    assert_int_equal(vmi_linux_types_for(tt, 3, 0, &ty, &err), VMI_E_CAPACITY);
}

int run_linux_site_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clobbers),
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_capture),
        cmocka_unit_test(test_plan_auto),
        cmocka_unit_test(test_plan_relocs),
        cmocka_unit_test(test_plan_policies),
        cmocka_unit_test(test_apply_cycle),
        cmocka_unit_test(test_types_for),
    };
    return cmocka_run_group_tests_name("linux pv sites", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
