/* cmocka tests of the spec parser, checker and emitters against the real spec and the bad-spec
 * corpus in tests/bad/spec (each NAME.vmi with its expected one-line error in NAME.err).
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "spec_model.h"

static const char *const abi_files[] = { "spec/abi.vmi", "spec/ext.vmi", "spec/calls.vmi",
                                         "spec/native.vmi" };

static struct spec *load_abi(void)
{
    struct spec *spec = calloc(1, sizeof *spec);
    struct spec_error err;
    assert_non_null(spec);
    for (size_t i = 0; i < sizeof abi_files / sizeof abi_files[0]; i++) {
        int rc = spec_parse_file(spec, abi_files[i], &err);
        if (rc < 0)
            fail_msg("%s:%d:%d: %s", err.pos.file, err.pos.line, err.pos.col, err.msg);
    }
    if (spec_check(spec, &err) < 0)
        fail_msg("%s:%d:%d: %s", err.pos.file, err.pos.line, err.pos.col, err.msg);
    return spec;
}

static void unload(struct spec *spec)
{
    spec_free(spec);
    free(spec);
}

/* Call numbers and names as Linux 2.6.21 numbers them (VMI_CALL_*), written out independently
 * of the spec. */
static const struct { unsigned nr; const char *name; } reference_calls[] = {
    { 0, "CPUID" }, { 1, "WRMSR" }, { 2, "RDMSR" }, { 3, "SetGDT" }, { 4, "SetLDT" },
    { 5, "SetIDT" }, { 6, "SetTR" }, { 7, "GetGDT" }, { 8, "GetLDT" }, { 9, "GetIDT" },
    { 10, "GetTR" }, { 11, "WriteGDTEntry" }, { 12, "WriteLDTEntry" }, { 13, "WriteIDTEntry" },
    { 14, "UpdateKernelStack" }, { 15, "SetCR0" }, { 16, "SetCR2" }, { 17, "SetCR3" },
    { 18, "SetCR4" }, { 19, "GetCR0" }, { 20, "GetCR2" }, { 21, "GetCR3" }, { 22, "GetCR4" },
    { 23, "WBINVD" }, { 24, "SetDR" }, { 25, "GetDR" }, { 26, "RDPMC" }, { 27, "RDTSC" },
    { 28, "CLTS" }, { 29, "EnableInterrupts" }, { 30, "DisableInterrupts" },
    { 31, "GetInterruptMask" }, { 32, "SetInterruptMask" }, { 33, "IRET" }, { 34, "SYSEXIT" },
    { 35, "Halt" }, { 36, "Reboot" }, { 37, "Shutdown" }, { 38, "SetPxE" }, { 39, "SetPxELong" },
    { 40, "UpdatePxE" }, { 41, "UpdatePxELong" }, { 42, "MachineToPhysical" },
    { 43, "PhysicalToMachine" }, { 44, "AllocatePage" }, { 45, "ReleasePage" },
    { 46, "InvalPage" }, { 47, "FlushTLB" }, { 48, "SetLinearMapping" }, { 61, "SetIOPLMask" },
    { 62, "SetInitialAPState" }, { 63, "APICWrite" }, { 64, "APICRead" }, { 65, "IODelay" },
    { 66, "GetCycleFrequency" }, { 67, "GetCycleCounter" }, { 68, "SetAlarm" },
    { 69, "CancelAlarm" }, { 70, "GetWallclockTime" }, { 71, "WallclockUpdated" },
    { 73, "SetLazyMode" },
};

static void test_every_reference_call_is_specified(void **state)
{
    (void)state;
    struct spec *spec = load_abi();
    size_t n = sizeof reference_calls / sizeof reference_calls[0];
    assert_int_equal(spec->ncalls, n);
    for (size_t i = 0; i < n; i++) {
        /* check sorted calls[] by number */
        assert_int_equal(spec->calls[i].number, reference_calls[i].nr);
        assert_string_equal(spec->calls[i].name, reference_calls[i].name);
    }
    unload(spec);
}

static const struct spec_call *call(const struct spec *spec, const char *name)
{
    const struct spec_call *c = spec_find_call(spec, name);
    assert_non_null(c);
    return c;
}

static void test_convention_facts(void **state)
{
    (void)state;
    struct spec *spec = load_abi();
    const uint8_t flags = REG_BIT(REG_FLAGS);
    /* flags-only interrupt calls; GetInterruptMask's result register is its only other change */
    assert_int_equal(call(spec, "DisableInterrupts")->clobbers, flags);
    assert_int_equal(call(spec, "EnableInterrupts")->clobbers, flags);
    assert_int_equal(call(spec, "SetInterruptMask")->clobbers, flags);
    assert_int_equal(call(spec, "GetInterruptMask")->clobbers, flags | REG_BIT(REG_EAX));
    /* CPUID returns four registers, EBX among them */
    assert_int_equal(call(spec, "CPUID")->clobbers, flags | REG_BIT(REG_EAX) | REG_BIT(REG_EBX) |
                                                       REG_BIT(REG_ECX) | REG_BIT(REG_EDX));
    assert_int_equal(call(spec, "SetCR3")->clobbers, CLOBBER_STD);
    /* jump sites */
    assert_true(call(spec, "IRET")->jump_site);
    assert_true(call(spec, "SYSEXIT")->jump_site);
    assert_int_equal(call(spec, "SYSEXIT")->args[0].lo, REG_EDX);
    assert_int_equal(call(spec, "SYSEXIT")->args[1].lo, REG_ECX);
    /* regparm(3): SetPxE(pte eax, ptr edx, flags ecx); SetPxELong's u64 takes edx:eax */
    const struct spec_call *c = call(spec, "SetPxE");
    assert_int_equal(c->args[0].lo, REG_EAX);
    assert_int_equal(c->args[1].lo, REG_EDX);
    assert_int_equal(c->args[2].lo, REG_ECX);
    c = call(spec, "SetPxELong");
    assert_int_equal(c->args[0].lo, REG_EAX);
    assert_int_equal(c->args[0].hi, REG_EDX);
    assert_int_equal(c->args[2].lo, REG_STACK);
    assert_int_equal(c->stack_bytes, 4);
    assert_int_equal(call(spec, "AllocatePage")->stack_bytes, 8);
    assert_int_equal(call(spec, "SetAlarm")->stack_bytes, 8);
    assert_int_equal(call(spec, "RDTSC")->result, RESULT_EDX_EAX);
    /* every site holds its native sequence and a 5-byte call */
    for (unsigned i = 0; i < spec->ncalls; i++) {
        assert_true(spec->calls[i].reserve >= 5);
        assert_true(spec->calls[i].reserve >= spec->calls[i].native_len);
    }
    /* native bytes: SetCR3 is mov %eax,%cr3 */
    c = call(spec, "SetCR3");
    assert_int_equal(c->native_len, 3);
    assert_memory_equal(c->native, "\x0f\x22\xd8", 3);
    unload(spec);
}

static const struct spec_struct *find_struct(const struct spec *spec, const char *name)
{
    for (unsigned i = 0; i < spec->nstructs; i++)
        if (strcmp(spec->structs[i].name, name) == 0)
            return &spec->structs[i];
    fail_msg("no struct %s", name);
    return NULL;
}

static void test_layouts(void **state)
{
    (void)state;
    struct spec *spec = load_abi();
    assert_int_equal(find_struct(spec, "vrom_header")->size, 144);
    assert_int_equal(find_struct(spec, "vmi_relocation_info")->size, 8);
    assert_int_equal(find_struct(spec, "vmi_ap_state")->size, 92);
    assert_int_equal(find_struct(spec, "pci_header")->size, 24);
    assert_int_equal(find_struct(spec, "vmi_site")->size, 12);
    const struct spec_const *k = spec_find_const(spec, "VMI_SIGNATURE");
    assert_non_null(k);
    assert_int_equal(k->value, 0x696d5663);
    unload(spec);
}

static void test_output_is_deterministic(void **state)
{
    (void)state;
    struct spec *a = load_abi(), *b = load_abi();
    struct outbuf ha = { 0 }, hb = { 0 }, ga = { 0 }, gb = { 0 };
    emit_header(a, &ha);
    emit_header(b, &hb);
    emit_glue(a, &ga);
    emit_glue(b, &gb);
    assert_int_equal(ha.len, hb.len);
    assert_memory_equal(ha.data, hb.data, ha.len);
    assert_int_equal(ga.len, gb.len);
    assert_memory_equal(ga.data, gb.data, ga.len);
    ob_free(&ha);
    ob_free(&hb);
    ob_free(&ga);
    ob_free(&gb);
    unload(a);
    unload(b);
}

static int read_line(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    if (!fgets(buf, (int)cap, f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

static void test_bad_specs_are_rejected(void **state)
{
    (void)state;
    const char *dir = "tests/bad/spec";
    DIR *d = opendir(dir);
    assert_non_null(d);
    unsigned cases = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".vmi") != 0)
            continue;
        char path[512], errpath[512], want[512], got[600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(errpath, sizeof errpath, "%s/%.*s.err", dir, (int)(n - 4), e->d_name);
        assert_int_equal(read_line(errpath, want, sizeof want), 0);
        struct spec *spec = calloc(1, sizeof *spec);
        struct spec_error err;
        int rc = spec_parse_file(spec, path, &err);
        if (rc == 0)
            rc = spec_check(spec, &err);
        if (rc == 0 && linux_rules_check(spec, &err, 1) > 0)
            rc = -1;    /* a ROM flavor breaks a rule of the Linux profile: the first finding */
        if (rc == 0)
            fail_msg("%s was accepted", path);
        snprintf(got, sizeof got, "%s:%d:%d: %s", err.pos.file, err.pos.line, err.pos.col,
                 err.msg);
        if (strcmp(got, want) != 0)
            fail_msg("%s\n  got:  %s\n  want: %s", path, got, want);
        unload(spec);
        cases++;
    }
    closedir(d);
    assert_true(cases >= 15);
    print_message("%u bad specs rejected with their expected messages\n", cases);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_reference_call_is_specified),
        cmocka_unit_test(test_convention_facts),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_output_is_deterministic),
        cmocka_unit_test(test_bad_specs_are_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* SPDX-License-Identifier: GPL-2.0-only */
