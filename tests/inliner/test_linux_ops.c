/* The Linux profile's layout functions (inliner/linux_ops.c) on the generated tables.  The
 * expected type numbers are PARAVIRT_PATCH() values read from the fixture kernels' DWARF
 * (offset / 4): tests/linux/layout.sh checks every row against the DWARF itself. */
#include "tinl.h"
#include "vmi_linux_ops.h"

#define NOPAE 0u
#define PAE   VMI_LINUX_CFG_PAE
#define SMP   (VMI_LINUX_CFG_LOCAL_APIC | VMI_LINUX_CFG_SMP)

static int type_of(unsigned config, const char *name)
{
    int op = vmi_linux_op_find(config, name);
    return op < 0 ? -1 : vmi_linux_op_type(config, (unsigned)op);
}

static void test_types_nopae(void **state)
{
    (void)state;
    assert_int_equal(type_of(NOPAE, "pv_init_ops.patch"), 0);
    assert_int_equal(type_of(NOPAE, "pv_cpu_ops.irq_enable_sysexit"), 144 / 4);
    assert_int_equal(type_of(NOPAE, "pv_cpu_ops.iret"), 156 / 4);
    assert_int_equal(type_of(NOPAE, "pv_irq_ops.save_fl"), 172 / 4);
    assert_int_equal(type_of(NOPAE, "pv_irq_ops.irq_disable"), 180 / 4);
    assert_int_equal(type_of(NOPAE, "pv_mmu_ops.read_cr2"), 196 / 4);
    assert_int_equal(type_of(NOPAE, "pv_mmu_ops.set_pte"), 276 / 4);
    assert_int_equal(type_of(NOPAE, "pv_mmu_ops.lazy_mode.enter"), 320 / 4);
    assert_int_equal(type_of(NOPAE, "pv_lock_ops.spin_unlock"), 352 / 4);
    assert_int_equal(vmi_linux_template_words(NOPAE), 356 / 4);
    assert_int_equal(vmi_linux_group_words(NOPAE, VMI_LINUX_GROUP_pv_mmu_ops), 136 / 4);
    assert_int_equal(vmi_linux_group_words(NOPAE, VMI_LINUX_GROUP_pv_apic_ops), 0);
    assert_int_equal(vmi_linux_op_find(NOPAE, "pv_mmu_ops.set_pte_atomic"), -1);
}

static void test_types_pae(void **state)
{
    (void)state;
    assert_int_equal(type_of(PAE, "pv_mmu_ops.set_pte"), 276 / 4);
    assert_int_equal(type_of(PAE, "pv_mmu_ops.set_pte_atomic"), 320 / 4);
    assert_int_equal(type_of(PAE, "pv_mmu_ops.make_pmd"), 340 / 4);
    assert_int_equal(type_of(PAE, "pv_mmu_ops.lazy_mode.enter"), 344 / 4);
    assert_int_equal(type_of(PAE, "pv_mmu_ops.set_fixmap"), 352 / 4);
    assert_int_equal(type_of(PAE, "pv_lock_ops.spin_is_locked"), 356 / 4);
    assert_int_equal(vmi_linux_template_words(PAE), 380 / 4);
    assert_int_equal(vmi_linux_group_words(PAE, VMI_LINUX_GROUP_pv_mmu_ops), 160 / 4);
}

static void test_types_smp(void **state)
{
    (void)state;
    assert_int_equal(vmi_linux_group_words(SMP, VMI_LINUX_GROUP_pv_apic_ops), 1);
    assert_int_equal(type_of(SMP, "pv_apic_ops.startup_ipi_hook"), 196 / 4);
    assert_int_equal(type_of(SMP, "pv_mmu_ops.read_cr2"), 200 / 4);
    assert_int_equal(vmi_linux_template_words(SMP), 360 / 4);
    /* the hook is wrapped only when the kernel is SMP */
    int op = vmi_linux_op_find(SMP, "pv_apic_ops.startup_ipi_hook");
    assert_true(op >= 0);
    assert_int_equal(vmi_linux_ops[op].uses, VMI_LINUX_USE_WRAP);
    assert_int_equal(vmi_linux_ops[op].call, VMI_CALL_SetInitialAPState);
    op = vmi_linux_op_find(VMI_LINUX_CFG_LOCAL_APIC, "pv_apic_ops.startup_ipi_hook");
    assert_true(op >= 0);
    assert_int_equal(vmi_linux_ops[op].uses, VMI_LINUX_USE_NATIVE);
    assert_int_equal(vmi_linux_ops[op].call, -1);
}

/* The call behind set_pte follows the paging mode. */
static void test_calls_follow_config(void **state)
{
    (void)state;
    int op = vmi_linux_op_find(NOPAE, "pv_mmu_ops.set_pte");
    assert_int_equal(vmi_linux_ops[op].call, VMI_CALL_SetPxE);
    op = vmi_linux_op_find(PAE, "pv_mmu_ops.pte_update");
    assert_int_equal(vmi_linux_ops[op].call, VMI_CALL_UpdatePxELong);
}

/* op_at and op_type are inverse on every row of every config; types past the end name nothing. */
static void test_round_trip(void **state)
{
    (void)state;
    for (unsigned config = 0; config < 16; config++) {
        int words = vmi_linux_template_words(config);
        int seen = 0;
        for (unsigned op = 0; op < VMI_LINUX_NUM_OPS; op++) {
            int type = vmi_linux_op_type(config, op);
            if (type < 0)
                continue;
            seen += vmi_linux_ops[op].words;
            assert_int_equal(vmi_linux_op_at(config, (unsigned)type), (int)op);
        }
        assert_int_equal(seen, words);
        assert_int_equal(vmi_linux_op_at(config, (unsigned)words), -1);
        assert_int_equal(vmi_linux_op_at(config, 255), -1);
    }
}

/* vmi_patch() rewrites exactly six types (irq_disable, irq_enable, restore_fl, save_fl, iret,
 * irq_enable_sysexit), and only IRET and SYSEXIT are reached by a jump. */
static void test_patch_rows(void **state)
{
    (void)state;
    int patched = 0;
    for (unsigned op = 0; op < VMI_LINUX_NUM_OPS; op++) {
        if (!(vmi_linux_ops[op].uses & VMI_LINUX_USE_PATCH))
            continue;
        patched++;
        assert_false(vmi_linux_groups[vmi_linux_ops[op].group].is_extern);
        int jump = vmi_linux_ops[op].call == VMI_CALL_IRET || vmi_linux_ops[op].call == VMI_CALL_SYSEXIT;
        assert_int_equal(jump, (vmi_call_table[vmi_linux_ops[op].call].flags & VMI_CALL_F_JUMP) != 0);
    }
    assert_int_equal(patched, 6);
}

static void test_externs_and_lookups(void **state)
{
    (void)state;
    int op = vmi_linux_op_find(SMP, "apic.read");
    assert_true(op >= 0);
    assert_int_equal(vmi_linux_op_type(SMP, (unsigned)op), -1);
    assert_int_equal(vmi_linux_ops[op].call, VMI_CALL_APICRead);
    assert_int_equal(vmi_linux_op_find(NOPAE, "apic.read"), -1);
    assert_int_equal(vmi_linux_group_find("pv_lock_ops"), VMI_LINUX_GROUP_pv_lock_ops);
    assert_int_equal(vmi_linux_group_find("pv_lock_op"), -1);
    assert_int_equal(vmi_linux_group_words(NOPAE, VMI_LINUX_NUM_GROUPS), -1);
    assert_int_equal(vmi_linux_op_active(NOPAE, VMI_LINUX_NUM_OPS), 0);
    assert_int_equal(vmi_linux_op_type(NOPAE, VMI_LINUX_NUM_OPS), -1);
}

/* The symbol sizes of the fixture kernels (readelf -s: pv_init_ops .. pv_apic_ops, pv_mmu_ops;
 * no pv_lock_ops symbol) tell the paging mode and the local APIC apart. */
static void test_size_check(void **state)
{
    (void)state;
    int32_t nopae[VMI_LINUX_NUM_GROUPS], pae[VMI_LINUX_NUM_GROUPS], smp[VMI_LINUX_NUM_GROUPS];
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++)
        nopae[g] = pae[g] = smp[g] = -1;
    static const int32_t common[] = { 4, 8, 160, 24 };
    for (unsigned g = 0; g < 4; g++)
        nopae[g] = pae[g] = smp[g] = common[g];
    nopae[VMI_LINUX_GROUP_pv_apic_ops] = pae[VMI_LINUX_GROUP_pv_apic_ops] = 0;
    smp[VMI_LINUX_GROUP_pv_apic_ops] = 4;
    nopae[VMI_LINUX_GROUP_pv_mmu_ops] = smp[VMI_LINUX_GROUP_pv_mmu_ops] = 136;
    pae[VMI_LINUX_GROUP_pv_mmu_ops] = 160;
    assert_int_equal(vmi_linux_size_mismatch(NOPAE, nopae), -1);
    assert_int_equal(vmi_linux_size_mismatch(PAE, pae), -1);
    assert_int_equal(vmi_linux_size_mismatch(SMP, smp), -1);
    assert_int_equal(vmi_linux_size_mismatch(PAE, nopae), VMI_LINUX_GROUP_pv_mmu_ops);
    assert_int_equal(vmi_linux_size_mismatch(NOPAE, smp), VMI_LINUX_GROUP_pv_apic_ops);
    assert_int_equal(vmi_linux_size_mismatch(VMI_LINUX_CFG_HIGHPTE, nopae), VMI_LINUX_GROUP_pv_mmu_ops);
    nopae[VMI_LINUX_GROUP_pv_lock_ops] = 24;
    assert_int_equal(vmi_linux_size_mismatch(NOPAE, nopae), -1);
    nopae[VMI_LINUX_GROUP_pv_lock_ops] = 20;
    assert_int_equal(vmi_linux_size_mismatch(NOPAE, nopae), VMI_LINUX_GROUP_pv_lock_ops);
}

int run_linux_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_nopae),
        cmocka_unit_test(test_types_pae),
        cmocka_unit_test(test_types_smp),
        cmocka_unit_test(test_calls_follow_config),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_patch_rows),
        cmocka_unit_test(test_externs_and_lookups),
        cmocka_unit_test(test_size_check),
    };
    return cmocka_run_group_tests_name("linux profile", tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
