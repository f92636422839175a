/* Unit tests of aot_summary (cmocka): the counts behind specialize --dry-run/--stats and verify
 * --stats, on plans built here: sites, bytes and decisions per kind (a VMI call, or a Linux op
 * through its record's type), decoded sites counted apart, sites without a decision (verify's),
 * and the order of the kinds (most sites first, ties by number). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "aot_summary.h"
#include "vmi_abi.h"

static struct vmi_site_plan site(unsigned call, uint32_t record, unsigned decision, uint8_t len)
{
    struct vmi_site_plan sp;
    memset(&sp, 0, sizeof sp);
    sp.call = (uint8_t)call;
    sp.index = record;
    sp.decision = (uint8_t)decision;
    sp.len = len;
    return sp;
}

/* A vmi_sites plan: kinds are calls. */
static void test_calls(void **state)
{
    (void)state;
    struct vmi_site_plan sites[] = {
        site(VMI_CALL_CPUID, 0, VMI_DECISION_CALL, 8),
        site(VMI_CALL_GetCR0, 1, VMI_DECISION_INLINE, 8),
        site(VMI_CALL_CPUID, 2, VMI_DECISION_CALL, 8),
        site(VMI_CALL_GetCR0, 3, VMI_DECISION_NATIVE, 8),
        site(VMI_CALL_GetCR0, 4, VMI_DECISION_INLINE, 12),
        site(VMI_CALL_Halt, 5, VMI_DECISION_NOP, 8),
    };
    struct vmi_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.sites = sites;
    plan.count = 6;
    static struct aot_summary s;
    aot_summary_init(&s, NULL);
    aot_summary_plan(&s, &plan);
    assert_int_equal(s.sites, 6);
    assert_int_equal(s.bytes, 52);
    assert_int_equal(s.checked, 0);
    assert_int_equal(s.decision[VMI_DECISION_INLINE], 2);
    assert_int_equal(s.decision[VMI_DECISION_CALL], 2);
    assert_int_equal(s.decision[VMI_DECISION_NATIVE], 1);
    assert_int_equal(s.decision[VMI_DECISION_NOP], 1);
    unsigned cr0 = aot_summary_kind(&s, VMI_CALL_GetCR0, 1);
    assert_int_equal(cr0, VMI_CALL_GetCR0);
    assert_string_equal(aot_summary_kind_name(&s, cr0), "GetCR0");
    assert_int_equal(s.kind[cr0].sites, 3);
    assert_int_equal(s.kind[cr0].bytes, 28);
    assert_int_equal(s.kind[cr0].decision[VMI_DECISION_INLINE], 2);
    assert_int_equal(s.kind[cr0].decision[VMI_DECISION_NATIVE], 1);
    uint8_t order[AOT_KINDS];
    assert_int_equal(aot_summary_order(&s, order), 3);
    assert_int_equal(order[0], VMI_CALL_GetCR0);          /* 3 sites */
    assert_int_equal(order[1], VMI_CALL_CPUID);           /* 2 */
    assert_int_equal(order[2], VMI_CALL_Halt);            /* 1 */
}

/* Ties keep the kinds' numeric order; an empty summary has no kinds. */
static void test_order_ties(void **state)
{
    (void)state;
    static struct aot_summary s;
    uint8_t order[AOT_KINDS];
    aot_summary_init(&s, NULL);
    assert_int_equal(aot_summary_order(&s, order), 0);
    aot_summary_add(&s, 200, VMI_DECISION_CALL, 6, 0);
    aot_summary_add(&s, 7, VMI_DECISION_CALL, 6, 0);
    aot_summary_add(&s, 90, VMI_DECISION_CALL, 6, 0);
    aot_summary_add(&s, 90, VMI_DECISION_CALL, 6, 0);
    assert_int_equal(aot_summary_order(&s, order), 3);
    assert_int_equal(order[0], 90);
    assert_int_equal(order[1], 7);
    assert_int_equal(order[2], 200);
}

/* verify's use: no decision (VMI_DECISION_COUNT), decoded sites counted per kind and in all. */
static void test_verify_counts(void **state)
{
    (void)state;
    static struct aot_summary s;
    aot_summary_init(&s, NULL);
    aot_summary_add(&s, VMI_CALL_IRET, VMI_DECISION_COUNT, 8, 1);
    aot_summary_add(&s, VMI_CALL_IRET, VMI_DECISION_COUNT, 8, 0);
    assert_int_equal(s.sites, 2);
    assert_int_equal(s.checked, 1);
    assert_int_equal(s.kind[VMI_CALL_IRET].checked, 1);
    for (unsigned d = 0; d < VMI_DECISION_COUNT; d++)
        assert_int_equal(s.decision[d] + s.kind[VMI_CALL_IRET].decision[d], 0);
}

/* A Linux kernel: the kind is the record's op type, whatever the site's call; its name the op. */
static void test_linux_ops(void **state)
{
    (void)state;
    static struct aot_linux lx;
    uint8_t types[3] = { 45, 45, 3 };
    memset(&lx, 0, sizeof lx);
    lx.config = 0;
    lx.nrec = 3;
    lx.rec_type = types;
    struct vmi_site_plan sites[] = {
        site(VMI_CALL_DisableInterrupts, 0, VMI_DECISION_INLINE, 6),
        site(VMI_CALL_DisableInterrupts, 1, VMI_DECISION_CALL, 6),
        site(VMI_NO_CALL, 2, VMI_DECISION_NATIVE, 6),
    };
    struct vmi_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.sites = sites;
    plan.count = 3;
    static struct aot_summary s;
    aot_summary_init(&s, &lx);
    aot_summary_plan(&s, &plan);
    assert_int_equal(aot_summary_kind(&s, VMI_CALL_DisableInterrupts, 1), 45);
    assert_int_equal(aot_summary_kind(&s, VMI_NO_CALL, 2), 3);
    assert_int_equal(aot_summary_kind(&s, VMI_NO_CALL, 99), 0);       /* no such record */
    assert_string_equal(aot_summary_kind_name(&s, 45), "pv_irq_ops.irq_disable");
    assert_string_equal(aot_summary_kind_name(&s, 3), aot_linux_op_name(&lx, 3));
    assert_int_equal(s.kind[45].sites, 2);
    assert_int_equal(s.kind[45].decision[VMI_DECISION_INLINE], 1);
    assert_int_equal(s.kind[45].decision[VMI_DECISION_CALL], 1);
    assert_int_equal(s.kind[3].decision[VMI_DECISION_NATIVE], 1);
    uint8_t order[AOT_KINDS];
    assert_int_equal(aot_summary_order(&s, order), 2);
    assert_int_equal(order[0], 45);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_order_ties),
        cmocka_unit_test(test_verify_counts),
        cmocka_unit_test(test_linux_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
