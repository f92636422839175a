/* The glue on a 32-bit target (built with gcc -O2 and clang -O2): the site table lists every
 * site with the right call, length and clobbers; every site holds the call's native bytes and the
 * standard NOP fill; constants are recorded where the compiler knows them; and the native sites an
 * unprivileged program may execute work unpatched.  Ends with "N passed, M failed". */
#include "vmi_glue.h"

#include <stdio.h>
#include <string.h>

static unsigned passed, failed;

#define CHECK(cond, ...)                                                                          \
    do {                                                                                          \
        if (cond) {                                                                               \
            passed++;                                                                             \
        } else {                                                                                  \
            failed++;                                                                             \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                         \
            printf(__VA_ARGS__);                                                                  \
            printf("\n");                                                                         \
        }                                                                                         \
    } while (0)

extern void glue_asm_sites(void);

/* One use of every C-callable call; never executed (most need ring 0). */
__attribute__((noinline, used)) void every_call(uint32_t x, void *p, uint64_t q)
{
    struct vmi_cpuid_regs r;
    vmi_CPUID(&r, x, 0);
    vmi_WRMSR(q, x);
    (void)vmi_RDMSR(0, x);
    vmi_SetGDT(p); vmi_SetLDT(x); vmi_SetIDT(p); vmi_SetTR(x);
    vmi_GetGDT(p); (void)vmi_GetLDT(); vmi_GetIDT(p); (void)vmi_GetTR();
    vmi_WriteGDTEntry(p, x, x, x); vmi_WriteLDTEntry(p, x, x, x); vmi_WriteIDTEntry(p, x, x, x);
    vmi_UpdateKernelStack(x, x);
    vmi_SetCR0(x); vmi_SetCR2(x); vmi_SetCR3(x); vmi_SetCR4(x);
    (void)vmi_GetCR0(); (void)vmi_GetCR2(); (void)vmi_GetCR3(); (void)vmi_GetCR4();
    vmi_WBINVD(); vmi_SetDR(x, x); (void)vmi_GetDR(x); (void)vmi_RDPMC(0, x); (void)vmi_RDTSC();
    vmi_CLTS(); vmi_EnableInterrupts(); vmi_DisableInterrupts(); (void)vmi_GetInterruptMask();
    vmi_SetInterruptMask(x); vmi_Halt(); vmi_Reboot(x); vmi_Shutdown();
    vmi_SetPxE(x, p, x); vmi_SetPxELong(q, p, x); vmi_UpdatePxE(p, x); vmi_UpdatePxELong(p, x);
    (void)vmi_MachineToPhysical(x); (void)vmi_PhysicalToMachine(x);
    vmi_AllocatePage(x, x, x, x, x); vmi_ReleasePage(x, x); vmi_InvalPage(x); vmi_FlushTLB(x);
    vmi_SetLinearMapping(x, x, x, x); vmi_SetIOPLMask(x); vmi_SetInitialAPState(p, x);
    vmi_APICWrite(x, x); (void)vmi_APICRead(x); vmi_IODelay(); (void)vmi_GetCycleFrequency();
    (void)vmi_GetCycleCounter(x); vmi_SetAlarm(x, q, q); (void)vmi_CancelAlarm(x);
    (void)vmi_GetWallclockTime(); (void)vmi_WallclockUpdated(); vmi_SetLazyMode(x);
    /* constants the sites record */
    vmi_FlushTLB(VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL);
    vmi_SetLazyMode(VMI_LAZY_MMU);
}

static const uint8_t *site_addr(const struct vmi_site *s)
{
    return (const uint8_t *)s + s->offset;
}

static void check_records(void)
{
    unsigned seen[VMI_NUM_CALLS] = { 0 };
    unsigned n = 0, jump = 0, consts = 0, narrowed = 0;
    int flush_const = 0, lazy_const = 0;
    for (const struct vmi_site *s = __start_vmi_sites; s < __stop_vmi_sites; s++, n++) {
        const struct vmi_call_meta *m = s->call < VMI_NUM_CALLS ? &vmi_call_table[s->call] : NULL;
        CHECK(m && m->name, "site %u has unknown call %u", n, s->call);
        if (!m || !m->name)
            continue;
        seen[s->call]++;
        CHECK(s->len == m->reserve, "%s site length %u, reserve %u", m->name, s->len, m->reserve);
        CHECK((s->clobbers & ~m->clobbers) == 0, "%s site allows 0x%x beyond the call's 0x%x",
              m->name, s->clobbers, m->clobbers);
        narrowed += s->clobbers != m->clobbers;
        CHECK(!!(s->flags & VMI_SITE_JUMP) == !!(m->flags & VMI_CALL_F_JUMP), "%s jump flag",
              m->name);
        jump += !!(s->flags & VMI_SITE_JUMP);
        /* the site's bytes: the native sequence, then the fewest NOPs */
        uint8_t want[VMI_RESERVE_MAX];
        memcpy(want, m->native, m->native_len);
        for (unsigned at = m->native_len; at < m->reserve;) {
            unsigned k = m->reserve - at > VMI_NOP_MAX ? VMI_NOP_MAX : m->reserve - at;
            memcpy(want + at, vmi_nops[k], k);
            at += k;
        }
        CHECK(memcmp(site_addr(s), want, m->reserve) == 0, "%s site bytes differ", m->name);
        if (s->flags & VMI_SITE_CONST) {
            consts++;
            CHECK(m->flags & VMI_CALL_F_CONST, "%s records a constant it should not", m->name);
            unsigned arg = (s->flags & VMI_SITE_CONST_ARG_MASK) >> VMI_SITE_CONST_ARG_SHIFT;
            CHECK(arg == m->const_arg, "%s constant argument %u", m->name, arg);
            if (s->call == VMI_CALL_FlushTLB && s->const_value == 3)
                flush_const = 1;
            if (s->call == VMI_CALL_SetLazyMode && s->const_value == VMI_LAZY_MMU)
                lazy_const = 1;
        }
    }
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++)
        if (vmi_call_table[c].name)
            CHECK(seen[c] > 0, "no site for %s", vmi_call_table[c].name);
    CHECK(jump == 2, "%u jump sites, expected IRET and SYSEXIT", jump);
    CHECK(narrowed == 2, "%u sites with narrowed clobbers, expected 2 (asm)", narrowed);
    CHECK(flush_const && lazy_const, "constant FlushTLB/SetLazyMode not recorded");
    printf("%u sites, %u jump sites, %u with a recorded constant\n", n, jump, consts);
}

/* Native sites that run in ring 3, unpatched. */
static void run_native_sites(void)
{
    uint32_t pte = 0;
    vmi_SetPxE(0x1234567u, &pte, 0);
    CHECK(pte == 0x1234567u, "SetPxE stored 0x%x", pte);
    uint64_t pte64 = 0;
    vmi_SetPxELong(0x8000000012345067ull, &pte64, 0);
    CHECK(pte64 == 0x8000000012345067ull, "SetPxELong stored 0x%llx", (unsigned long long)pte64);
    uint32_t gdt[8] = { 0 };
    vmi_WriteGDTEntry(gdt, 3, 0x0000ffffu, 0x00cf9a00u);
    CHECK(gdt[6] == 0x0000ffffu && gdt[7] == 0x00cf9a00u, "WriteGDTEntry wrote %x %x", gdt[6],
          gdt[7]);
    uint32_t mask = vmi_GetInterruptMask();
    CHECK(mask & VMI_INTERRUPT_MASK_IF, "user mode runs with IF set: 0x%x", mask);
    vmi_SetInterruptMask(mask);
    CHECK(vmi_GetInterruptMask() == mask, "flags round trip");
    uint32_t apic[4] = { 0 };
    vmi_APICWrite((uint32_t)(uintptr_t)&apic[2], 0xfee00000u);
    CHECK(apic[2] == 0xfee00000u && vmi_APICRead((uint32_t)(uintptr_t)&apic[2]) == 0xfee00000u,
          "APIC register access");
    uint64_t t0 = vmi_RDTSC(), t1 = vmi_GetCycleCounter(VMI_CYCLES_REAL);
    CHECK(t1 >= t0, "TSC went backwards");
    CHECK(vmi_GetCycleCounter(VMI_CYCLES_STOLEN) == 0, "no stolen time on bare metal");
    CHECK(vmi_GetCycleFrequency() == 0 && vmi_GetWallclockTime() == 0, "no VMI timer natively");
    CHECK(vmi_MachineToPhysical(0x1234) == 0x1234, "machine = physical natively");
    CHECK(vmi_CancelAlarm(0) == 0 && vmi_WallclockUpdated() == 0, "alarm and wallclock");
    struct vmi_cpuid_regs r;
    vmi_CPUID(&r, 0, 0);
    CHECK(r.eax >= 1 && r.ebx != 0, "CPUID leaf 0: max %u", r.eax);
    vmi_UpdatePxE(&pte, 0);
    vmi_SetLazyMode(VMI_LAZY_NONE);
}

int main(void)
{
    (void)glue_asm_sites;
    check_records();
    run_native_sites();
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
