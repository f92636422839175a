/* cmocka tests of check-rom's code analysis and emulator on hand-assembled bytes: what it must
 * call preserved, written, unbalanced or privileged, and what GetRelocationInfo-style code
 * computes when executed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "romchk.h"
#include "vmi_pv_model.h"

static struct romchk *mk(const uint8_t *code, size_t n, int native)
{
    static uint8_t img[4096];
    struct romchk *c = calloc(1, sizeof *c);
    memset(img, 0xcc, sizeof img);
    memcpy(img + 0x100, code, n);
    img[0x100 + n] = 0xc3;                      /* the ret after a body */
    c->file = "test.rom";
    c->img = img;
    c->size = c->rom_size = sizeof img;
    c->virtual_top = 0xfc000000u;
    c->gate_addr = c->virtual_top + 8;
    c->native = native;
    return c;
}

static int has(const struct romchk *c, const char *text)
{
    for (unsigned i = 0; i < c->nfindings; i++)
        if (strstr(c->findings[i].msg, text))
            return 1;
    return 0;
}

static struct romchk *body(const uint8_t *code, size_t n, int native, struct romchk_summary *s)
{
    struct romchk *c = mk(code, n, native);
    struct romchk_body b = { .is_inline = 1, .len = (uint32_t)n };
    romchk_code(c, 0x100, &b, "t", s);
    return c;
}

static void push_pop_same_preserves(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0x50, 0x31, 0xc0, 0x58 };   /* push eax; xor eax; pop eax */
    struct romchk_summary s;
    struct romchk *c = body(code, sizeof code, 1, &s);
    assert_int_equal(c->nfindings, 0);
    assert_int_equal(s.writes, VMI_CLOBBER_FLAGS);
    free(c);
}

static void push_pop_other_writes(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0x50, 0x59 };               /* push eax; pop ecx */
    struct romchk_summary s;
    struct romchk *c = body(code, sizeof code, 1, &s);
    assert_int_equal(c->nfindings, 0);
    assert_int_equal(s.writes, VMI_CLOBBER_ECX);
    free(c);
}

static void unbalanced_push(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0x53 };                     /* push ebx */
    struct romchk_summary s;
    struct romchk *c = body(code, sizeof code, 1, &s);
    assert_true(has(c, "4 bytes still pushed"));
    free(c);
}

static void ret_in_body(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0x90, 0xc3, 0x90 };
    struct romchk_summary s;
    struct romchk *c = body(code, sizeof code, 1, &s);
    assert_true(has(c, "contains ret"));
    free(c);
}

static void cli_only_native(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0xfa };                     /* cli */
    struct romchk_summary s;
    struct romchk *c = body(code, sizeof code, 1, &s);
    assert_int_equal(c->nfindings, 0);
    free(c);
    c = body(code, sizeof code, 0, &s);
    assert_true(has(c, "privileged or sensitive instruction 'cli'"));
    free(c);
}

static void call_out_is_a_relocation(void **state)
{
    (void)state;
    /* call +0x100 (to 0x205, outside the 5-byte body) */
    static const uint8_t code[] = { 0xe8, 0x00, 0x01, 0x00, 0x00 };
    struct romchk *c = mk(code, sizeof code, 1);
    c->img = memcpy(malloc(4096), c->img, 4096);
    ((uint8_t *)c->img)[0x205] = 0xc3;                          /* the helper: ret */
    struct romchk_body b = { .is_inline = 1, .len = 5 };
    struct romchk_summary s;
    romchk_code(c, 0x100, &b, "t", &s);
    assert_int_equal(c->nfindings, 0);
    assert_int_equal(b.nrel, 1);
    assert_int_equal(b.rel_fields[0], 1);
    free((void *)c->img);
    free(c);
}

static void gate_clobbers_scratch(void **state)
{
    (void)state;
    /* push ecx; push esp; call *0xfc000008; add $4,%esp; pop ecx: ecx preserved, eax/edx not */
    static const uint8_t code[] = { 0x51, 0x54, 0xff, 0x15, 0x08, 0x00, 0x00, 0xfc,
                                    0x83, 0xc4, 0x04, 0x59 };
    struct romchk_summary s;
    struct romchk *c = body(code, sizeof code, 0, &s);
    assert_int_equal(c->nfindings, 0);
    assert_int_equal(s.writes, VMI_CLOBBER_EAX | VMI_CLOBBER_EDX | VMI_CLOBBER_FLAGS |
                               VMI_CLOBBER_ECX);   /* the frame slot held ecx: the gate may write it */
    free(c);
}

static void emu_position_independent(void **state)
{
    (void)state;
    /* call 1f; 1: pop %edx; lea 0x10(%edx), %eax; ret */
    static const uint8_t code[] = { 0xe8, 0, 0, 0, 0, 0x5a, 0x8d, 0x42, 0x10, 0xc3 };
    uint8_t img[64] = { 0 };
    memcpy(img, code, sizeof code);
    uint32_t a, d;
    struct aot_err err;
    assert_int_equal(romchk_emu_call(img, sizeof img, 0xc8000, 0, 7, &a, &d, &err), 0);
    assert_int_equal(a, 0xc8000 + 5 + 0x10);
    assert_int_equal(romchk_emu_call(img, sizeof img, 0xd0800, 0, 7, &a, &d, &err), 0);
    assert_int_equal(a, 0xd0800 + 5 + 0x10);
}

static void emu_refuses_unknown(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0x0f, 0xc8, 0xc3 };        /* bswap %eax; ret */
    uint32_t a, d;
    struct aot_err err;
    assert_int_equal(romchk_emu_call(code, sizeof code, 0xc8000, 0, 0, &a, &d, &err), -1);
    assert_non_null(strstr(err.msg, "outside the subset"));
    /* no record: the failure is still reported, and nothing is written */
    assert_int_equal(romchk_emu_call(code, sizeof code, 0xc8000, 0, 0, &a, &d, NULL), -1);
}

/* A routine that returns with its stack unbalanced: the reason in the record says by how much. */
static void emu_reports_unbalanced_stack(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0x59, 0x51, 0x51, 0xc3 };  /* pop %ecx; push %ecx x2; ret */
    uint32_t a, d;
    struct aot_err err;
    assert_int_equal(romchk_emu_call(code, sizeof code, 0xc8000, 0, 0, &a, &d, &err), -1);
    assert_string_equal(err.msg, "returned with ESP moved by -4 bytes");
}

/* pushad/popad are eight pushes and pops: balanced, and every register comes back. */
static void pushad_popad_preserves(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0x60, 0x31, 0xdb, 0x31, 0xc0, 0x61 }; /* pushad; xor ebx; xor eax; popad */
    struct romchk_summary s;
    struct romchk *c = body(code, sizeof code, 1, &s);
    assert_int_equal(c->nfindings, 0);
    assert_int_equal(s.writes, VMI_CLOBBER_FLAGS);
    free(c);
}

/* Each instruction with a hidden ESP or memory operand is seen. */
static void hidden_stack_operands(void **state)
{
    (void)state;
    static const struct { uint8_t code[4]; unsigned n; const char *msg; } k[] = {
        { { 0x60 }, 1, "32 bytes still pushed" },                    /* pushad */
        { { 0x61 }, 1, "pops above the body's entry stack" },        /* popad */
        { { 0x66, 0x60 }, 2, "16-bit stack operation" },             /* pushaw */
        { { 0x66, 0x9c }, 2, "16-bit stack operation" },             /* pushfw */
        { { 0x66, 0x9d }, 2, "16-bit stack operation" },             /* popfw */
        { { 0xc8, 8, 0, 0 }, 4, "through EBP" },                     /* enter $8, $0 */
        { { 0xc9 }, 1, "through EBP" },                              /* leave */
        { { 0xab }, 1, "ESI/EDI" },                                  /* stosd */
        { { 0xa5 }, 1, "ESI/EDI" },                                  /* movsd */
        { { 0x87, 0xe0 }, 2, "cannot follow" },                      /* xchg %esp, %eax */
        { { 0x89, 0xc4 }, 2, "cannot follow" },                      /* mov %eax, %esp */
        { { 0x83, 0xe4, 0xf0 }, 3, "cannot follow" },                /* and $-16, %esp */
        { { 0x9c }, 1, "still pushed" },                             /* pushfd */
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        struct romchk_summary s;
        struct romchk *c = body(k[i].code, k[i].n, 1, &s);
        if (!has(c, k[i].msg))
            fail_msg("case %zu: no finding says '%s'", i, k[i].msg);
        free(c);
    }
}

/* The machine runs pushad/popad and leave as the processor does. */
static void machine_stack_instructions(void **state)
{
    (void)state;
    /* push %ebp; mov %esp,%ebp; pushad; xor %eax,%eax; popad; leave; ret */
    static const uint8_t code[] = { 0x55, 0x89, 0xe5, 0x60, 0x31, 0xc0, 0x61, 0xc9, 0xc3 };
    uint32_t a, d;
    struct aot_err err;
    assert_int_equal(romchk_emu_call(code, sizeof code, 0xc8000, 0, 0x1234, &a, &d, &err), 0);
    assert_int_equal(a, 0x1234);
}

/* ---- the pv model (inliner/pv_model.c) on a page in a buffer ---- */
#define TOP 0xfc000000u
static uint8_t page[4096];
static uint32_t pte_slot;
static struct vmi_pv_frame calls[4];
static unsigned ncalls;

static uint8_t *where(uint32_t addr, unsigned n)
{
    if (addr >= TOP && addr - TOP + n <= sizeof page)
        return page + (addr - TOP);
    if (addr == 0x1000 && n <= 4)
        return (uint8_t *)&pte_slot;
    return NULL;
}
static int m_rd(void *ctx, uint32_t a, unsigned n, uint32_t *v)
{
    (void)ctx;
    uint8_t *p = where(a, n);
    if (!p)
        return -1;
    *v = 0;
    memcpy(v, p, n);
    return 0;
}
static int m_wr(void *ctx, uint32_t a, unsigned n, uint32_t v)
{
    (void)ctx;
    uint8_t *p = where(a, n);
    if (!p)
        return -1;
    memcpy(p, &v, n);
    return 0;
}
static void m_gate(void *ctx, struct vmi_pv_frame *f)
{
    (void)ctx;
    if (ncalls < 4)
        calls[ncalls] = *f;
    ncalls++;
    f->eax = 0x1234;
}
static uint64_t m_tsc(void *ctx) { (void)ctx; return 0x1122334455667788ull; }
static const struct pv_model_env menv = { NULL, TOP, m_rd, m_wr, m_gate, m_tsc, NULL };

static struct vmi_pv_state *st(void) { return (struct vmi_pv_state *)page; }

static void model_setpxe_queue_and_hypercall(void **state)
{
    (void)state;
    memset(page, 0, sizeof page);
    ncalls = 0;
    struct pv_model_regs r = { 0xabc, VMI_PAGE_CURRENT_AS | VMI_PAGE_DEFER, 0x1000, 0, 0x7000 };
    assert_int_equal(pv_model_call(&menv, VMI_CALL_SetPxE, &r), PV_MODEL_OK);
    assert_int_equal(pte_slot, 0xabc);                   /* stored */
    assert_int_equal(st()->queue_count, 1);              /* deferred, no hypercall */
    assert_int_equal(st()->queue[0], 0x1000);
    assert_int_equal(ncalls, 0);
    st()->queue_count = VMI_PV_QUEUE_LEN;                /* full: the hypercall instead */
    r = (struct pv_model_regs){ 0xdef, VMI_PAGE_CURRENT_AS | VMI_PAGE_DEFER, 0x1000, 0, 0x7000 };
    assert_int_equal(pv_model_call(&menv, VMI_CALL_SetPxE, &r), PV_MODEL_OK);
    assert_int_equal(ncalls, 1);
    assert_int_equal(calls[0].nr, VMI_CALL_SetPxE);
    assert_int_equal(st()->exits[VMI_CALL_SetPxE], 1);
    assert_int_equal(r.eax, 0x1234);                     /* the frame's result */
}

static void model_interrupt_flag(void **state)
{
    (void)state;
    memset(page, 0, sizeof page);
    ncalls = 0;
    struct pv_model_regs r = { VMI_INTERRUPT_MASK_IF, 1, 2, 3, 0x7000 };
    assert_int_equal(pv_model_call(&menv, VMI_CALL_SetInterruptMask, &r), PV_MODEL_OK);
    assert_int_equal(st()->vif, VMI_INTERRUPT_MASK_IF);
    assert_int_equal(ncalls, 0);                         /* nothing pending */
    st()->pending = 1;
    r = (struct pv_model_regs){ 0, 1, 2, 3, 0x7000 };
    pv_model_call(&menv, VMI_CALL_DisableInterrupts, &r);
    assert_int_equal(st()->vif, 0);
    pv_model_call(&menv, VMI_CALL_EnableInterrupts, &r);
    assert_int_equal(ncalls, 1);
    assert_int_equal(r.eax, 0);                          /* flags-only: registers kept */
    assert_int_equal(pv_monitor_delivers(&menv, VMI_CALL_EnableInterrupts), 1);
    assert_int_equal(st()->pending, 0);
}

static void model_init_hello(void **state)
{
    (void)state;
    memset(page, 0, sizeof page);
    st()->magic = VMI_PV_STATE_MAGIC;
    st()->version = VMI_PV_VERSION;
    st()->gate = 0x4000;
    uint32_t eax;
    assert_int_equal(pv_model_init(&menv, VMI_PV_STATE_MAGIC, TOP, &eax), PV_MODEL_OK);
    assert_int_equal(eax, 0);
    assert_int_equal(pv_model_init(&menv, 0, TOP, &eax), PV_MODEL_OK);
    assert_int_equal(eax, 0xffffffffu);                  /* no hello */
    st()->gate = 0;
    pv_model_init(&menv, VMI_PV_STATE_MAGIC, TOP, &eax);
    assert_int_equal(eax, 0xffffffffu);                  /* no gate */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(push_pop_same_preserves),
        cmocka_unit_test(push_pop_other_writes),
        cmocka_unit_test(unbalanced_push),
        cmocka_unit_test(ret_in_body),
        cmocka_unit_test(cli_only_native),
        cmocka_unit_test(call_out_is_a_relocation),
        cmocka_unit_test(gate_clobbers_scratch),
        cmocka_unit_test(emu_position_independent),
        cmocka_unit_test(emu_refuses_unknown),
        cmocka_unit_test(emu_reports_unbalanced_stack),
        cmocka_unit_test(pushad_popad_preserves),
        cmocka_unit_test(hidden_stack_operands),
        cmocka_unit_test(machine_stack_instructions),
        cmocka_unit_test(model_setpxe_queue_and_hypercall),
        cmocka_unit_test(model_interrupt_flag),
        cmocka_unit_test(model_init_hello),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
