/* The trap strategy: a kernel with no paravirtualization runs its privileged instructions, each
 * faults (here: in ring 3, SIGSEGV; SIGILL under valgrind), and the monitor emulates it against the virtual CPU.  The
 * handler decodes the instruction at EIP, applies its effect to the pv state page, makes the
 * hypercall the pv ROM would have made for it (the same monitor answers), and steps over it.
 * Page-table entries live in a write-protected page, as a shadow-paging monitor keeps the guest's
 * page tables: a store faults and the handler applies it through a writable alias of the page.
 * Only what the workloads' native sequences contain is decoded; anything else is fatal. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "engine.h"
#include "vmi_host32.h"

volatile uint32_t prof_traps;

static uint8_t *pt_ro, *pt_rw;

/* ModRM register number to the saved register. */
static const int greg[8] = { REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP, REG_EBP, REG_ESI,
                             REG_EDI };

/* What the pv ROM does on a hypercall: count the exit, call the platform's gate. */
static void hypercall(uint32_t nr, uint32_t eax, uint32_t edx, uint32_t ecx)
{
    struct vmi_pv_frame f = { nr, eax, edx, ecx, 0, 0 };
    pv->exits[nr]++;
    ((void (*)(struct vmi_pv_frame *))(uintptr_t)pv->gate)(&f);
}

static void fatal(const uint8_t *ip, const char *what)
{
    char buf[160];
    int n = snprintf(buf, sizeof buf,
                     "error trap: cannot emulate %s at %p (%02x %02x %02x %02x)\n", what,
                     (const void *)ip, ip[0], ip[1], ip[2], ip[3]);
    if (n > 0 && write(1, buf, (size_t)n) < 0)
        _exit(3);
    _exit(3);
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    const uint8_t *ip = (const uint8_t *)(uintptr_t)g[REG_EIP];
    uint8_t *addr = si->si_addr;

    if (sig == SIGSEGV && si->si_code == SEGV_ACCERR && addr >= pt_ro && addr < pt_ro + 4096) {
        /* mov %reg, (%base) or disp8(%base): the native SetPxE / SetPxELong stores */
        if (ip[0] != 0x89)
            fatal(ip, "a write to the page table that is not mov r32, m32");
        uint8_t modrm = ip[1], mod = modrm >> 6, rm = modrm & 7;
        uint32_t len;
        int32_t disp;
        if (rm == 4 || rm == 5 || mod > 1)
            fatal(ip, "an addressing form");
        len = mod == 1 ? 3 : 2;
        disp = mod == 1 ? (int8_t)ip[2] : 0;
        uint32_t ea = (uint32_t)g[greg[rm]] + (uint32_t)disp;
        uint32_t val = (uint32_t)g[greg[(modrm >> 3) & 7]];
        uint32_t off = ea - (uint32_t)(uintptr_t)pt_ro;
        if (off > 4092)
            fatal(ip, "a store across the page-table page");
        memcpy(pt_rw + off, &val, 4);
        hypercall(VMI_CALL_SetPxE, val, ea, 0);   /* the monitor hears of every entry */
        g[REG_EIP] += len;
        prof_traps++;
        return;
    }

    switch (ip[0]) {
    case 0xfa:                                  /* cli */
        pv->vif = 0;
        g[REG_EIP] += 1;
        break;
    case 0xfb:                                  /* sti */
        pv->vif = VMI_INTERRUPT_MASK_IF;
        if (pv->pending)
            hypercall(VMI_CALL_EnableInterrupts, VMI_INTERRUPT_MASK_IF, 0, 0);
        g[REG_EIP] += 1;
        break;
    case 0x0f: {
        uint8_t modrm = ip[2], reg = (modrm >> 3) & 7, rm = modrm & 7;
        if (ip[1] == 0x20 && modrm >= 0xc0) {   /* mov %crN, %r32 */
            uint32_t v;
            switch (reg) {
            case 0: v = pv->cr0; break;
            case 2: v = pv->cr2; break;
            case 3: v = pv->cr3; break;
            case 4: v = pv->cr4; break;
            default: fatal(ip, "a control register"); return;
            }
            g[greg[rm]] = (greg_t)v;
        } else if (ip[1] == 0x22 && modrm >= 0xc0) {   /* mov %r32, %crN */
            uint32_t v = (uint32_t)g[greg[rm]];
            switch (reg) {
            case 0: hypercall(VMI_CALL_SetCR0, v, 0, 0); break;
            case 2: pv->cr2 = v; break;
            case 3: hypercall(VMI_CALL_SetCR3, v, 0, 0); break;
            case 4: hypercall(VMI_CALL_SetCR4, v, 0, 0); break;
            default: fatal(ip, "a control register"); return;
            }
        } else if (ip[1] == 0x01 && reg == 7 && (modrm >> 6) == 0 && rm != 4 && rm != 5) {
            hypercall(VMI_CALL_InvalPage, (uint32_t)g[greg[rm]], 0, 0);   /* invlpg (%r32) */
        } else {
            fatal(ip, "a 0f instruction");
        }
        g[REG_EIP] += 3;
        break;
    }
    default:
        fatal(ip, "the instruction");
    }
    prof_traps++;
}

int prof_trap_install(uint8_t *ro, uint8_t *rw, struct aot_err *err)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    pt_ro = ro;
    pt_rw = rw;
    /* valgrind's VEX does not know the privileged instructions: it raises SIGILL at them */
    if (sigaction(SIGSEGV, &sa, NULL) != 0 || sigaction(SIGILL, &sa, NULL) != 0) {
        return aot_fail(err, "sigaction: cannot catch SIGSEGV and SIGILL");
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
