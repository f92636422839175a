/* The work vmi-prof measures, shared by the loop generator (vmi-prof-gen, x86-64) and the
 * measurement engine (vmi-prof-engine, i386).  docs/profiling.md.
 *
 * A workload is a loop body of ops.  Every strategy runs the same body, loop and argument loads;
 * only the instructions standing for each call differ:
 *   hand      the ROM's code for the call written into the source at build time (its inline body
 *             when the ROM has one, else its routine without the ret);
 *   inline    a glue site the inliner patched with VMI_POLICY_AUTO;
 *   call      a glue site patched with VMI_POLICY_CALL_ONLY (Linux 2.6.21's CALL_REL patching);
 *   indirect  call *prof_ops(,NR,4), the table filled from GetRelocationInfo (unpatched pv-ops);
 *   trap      the unpatched glue site: the native sequence, trapping in ring 3 and emulated by a
 *             signal handler against the pv state page;
 *   empty     no instruction at all: the loop overhead, subtracted from the others.
 * Op k loads its registers from prof_args[k] (eax, edx, ecx), so the loads are identical too. */
#ifndef VMI_PROF_WORKLOADS_H
#define VMI_PROF_WORKLOADS_H

#include <stdint.h>
#include <string.h>

#include "vmi_abi.h"

/* The address the engine maps the ROM at, as a BIOS shadows an option ROM below 1 MiB.  The hand
 * strategy's code is assembled against it. */
#define PROF_ROM_BASE 0xc8000u

enum prof_engine_strategy { PE_HAND, PE_INLINE, PE_CALL, PE_INDIRECT, PE_TRAP, PE_EMPTY,
                            PE_COUNT };

enum prof_op_kind {
    PROF_OP_CALL = 0,   /* the VMI call */
    PROF_OP_SAVE,       /* mov %eax, %ebx: keep saved flags across calls that clobber eax */
    PROF_OP_RESTORE,    /* mov %ebx, %eax */
    PROF_OP_RAISE,      /* movl $1, pending: an interrupt arrives (what the monitor would do) */
};

/* Which registers an op loads from its argument slot, and which hold a page-table address. */
#define PROF_LOAD_EAX   0x01u
#define PROF_LOAD_EDX   0x02u
#define PROF_LOAD_ECX   0x04u
#define PROF_PT_EAX     0x08u   /* eax = the page-table page + eax */
#define PROF_PT_EDX     0x10u   /* edx = the page-table page + edx */
#define PROF_CONST      0x20u   /* the site records its constant argument (the call's const_arg) */

struct prof_op {
    uint8_t  kind;              /* enum prof_op_kind */
    uint8_t  call;              /* VMI_CALL_* for PROF_OP_CALL */
    uint8_t  flags;             /* PROF_LOAD_*, PROF_PT_*, PROF_CONST */
    uint32_t eax, edx, ecx;
};

#define PROF_MAX_OPS 16

/* Kernel-like paths. */
struct prof_path {
    const char *name;
    unsigned nops;
    struct prof_op ops[PROF_MAX_OPS];
};

#define OPC(c, fl, a, d, cx) { PROF_OP_CALL, VMI_CALL_##c, (fl), (a), (d), (cx) }
#define OPX(k) { (k), 0, 0, 0, 0, 0 }
#define PTE_FLAGS_CUR (VMI_PAGE_PT | VMI_PAGE_CURRENT_AS)
#define SETPXE_CUR(i) OPC(SetPxE, PROF_LOAD_EAX | PROF_LOAD_EDX | PROF_LOAD_ECX | PROF_PT_EDX, \
                          0x00abc067u + ((i) << 12), 4 * (i), PTE_FLAGS_CUR)

#define SETPXE_OTHER(i, c) OPC(SetPxE, PROF_LOAD_EAX | PROF_LOAD_EDX | PROF_LOAD_ECX | PROF_PT_EDX | (c), \
                               0x00abc067u + ((i) << 12), 4 * (i), 0)

static const struct prof_path prof_paths[] __attribute__((unused)) = {
    /* local_irq_save + local_irq_restore around a critical section: the spinlock path */
    { "path:irqsave-restore", 3, {
        OPC(GetInterruptMask, 0, 0, 0, 0),
        OPC(DisableInterrupts, 0, 0, 0, 0),
        OPC(SetInterruptMask, 0, 0, 0, 0),          /* eax: the flags GetInterruptMask returned */
    } },
    /* switch_mm + switch_to's kernel stack, under irqsave */
    { "path:context-switch", 7, {
        OPC(GetInterruptMask, 0, 0, 0, 0),
        OPX(PROF_OP_SAVE),
        OPC(DisableInterrupts, 0, 0, 0, 0),
        OPC(SetCR3, PROF_LOAD_EAX, 0x00100000u, 0, 0),
        OPC(UpdateKernelStack, PROF_LOAD_EAX | PROF_LOAD_EDX, 0x18, 0xc1234000u, 0),
        OPX(PROF_OP_RESTORE),
        OPC(SetInterruptMask, 0, 0, 0, 0),
    } },
    /* arch_enter_lazy_mmu_mode, 8 set_pte of the current address space, leave, flush */
    { "path:lazy-mmu-batch", 11, {
        OPC(SetLazyMode, PROF_LOAD_EAX | PROF_CONST, VMI_LAZY_MMU, 0, 0),
        SETPXE_CUR(0), SETPXE_CUR(1), SETPXE_CUR(2), SETPXE_CUR(3),
        SETPXE_CUR(4), SETPXE_CUR(5), SETPXE_CUR(6), SETPXE_CUR(7),
        OPC(SetLazyMode, PROF_LOAD_EAX | PROF_CONST, VMI_LAZY_NONE, 0, 0),
        OPC(FlushTLB, PROF_LOAD_EAX | PROF_CONST, VMI_FLUSH_TLB, 0, 0),
    } },
    /* Specialization (docs/specializer.md): filling the page tables of an address space that is
     * not the current one in a lazy-MMU batch, as a kernel builds a new mm: SetLazyMode(MMU), 8
     * SetPxE with flags 0 (no CURRENT_AS: nothing to queue), SetLazyMode(NONE).  "[...]": the
     * sites record the constants, so the planner picks the variants (SetLazyMode mode=1, SetPxE
     * flags=0); "(...)": the same values passed in registers, the generic bodies. */
    { "path:lazy-mmu-fill[mode=1,flags=0]", 10, {
        OPC(SetLazyMode, PROF_LOAD_EAX | PROF_CONST, VMI_LAZY_MMU, 0, 0),
        SETPXE_OTHER(0, PROF_CONST), SETPXE_OTHER(1, PROF_CONST), SETPXE_OTHER(2, PROF_CONST),
        SETPXE_OTHER(3, PROF_CONST), SETPXE_OTHER(4, PROF_CONST), SETPXE_OTHER(5, PROF_CONST),
        SETPXE_OTHER(6, PROF_CONST), SETPXE_OTHER(7, PROF_CONST),
        OPC(SetLazyMode, PROF_LOAD_EAX | PROF_CONST, VMI_LAZY_NONE, 0, 0),
    } },
    { "path:lazy-mmu-fill(mode=1,flags=0)", 10, {
        OPC(SetLazyMode, PROF_LOAD_EAX, VMI_LAZY_MMU, 0, 0),
        SETPXE_OTHER(0, 0), SETPXE_OTHER(1, 0), SETPXE_OTHER(2, 0), SETPXE_OTHER(3, 0),
        SETPXE_OTHER(4, 0), SETPXE_OTHER(5, 0), SETPXE_OTHER(6, 0), SETPXE_OTHER(7, 0),
        OPC(SetLazyMode, PROF_LOAD_EAX, VMI_LAZY_NONE, 0, 0),
    } },
    /* an interrupt arrives while interrupts are off; enabling them delivers it */
    { "path:irq-delivery", 3, {
        OPX(PROF_OP_RAISE),
        OPC(DisableInterrupts, 0, 0, 0, 0),
        OPC(EnableInterrupts, 0, 0, 0, 0),
    } },
};
#define PROF_NPATHS (sizeof(prof_paths) / sizeof(prof_paths[0]))

/* The op a per-call workload runs: the call's fast path, with ordinary arguments (SetPxE and
 * UpdatePxE on an entry of another address space: the current one is the lazy-mmu path's). */
static inline struct prof_op prof_call_op(uint8_t call)
{
    struct prof_op op = { PROF_OP_CALL, call, 0, 0, 0, 0 };
    switch (call) {
    case VMI_CALL_SetCR2:           op.flags = PROF_LOAD_EAX; op.eax = 0x0badf00du; break;
    case VMI_CALL_SetCR0:           op.flags = PROF_LOAD_EAX; op.eax = 0x80050033u; break;
    case VMI_CALL_SetCR3:           op.flags = PROF_LOAD_EAX; op.eax = 0x00100000u; break;
    case VMI_CALL_SetCR4:           op.flags = PROF_LOAD_EAX; op.eax = 0x000006d0u; break;
    case VMI_CALL_SetInterruptMask: op.flags = PROF_LOAD_EAX; op.eax = VMI_INTERRUPT_MASK_IF; break;
    case VMI_CALL_SetPxE:
        op.flags = PROF_LOAD_EAX | PROF_LOAD_EDX | PROF_LOAD_ECX | PROF_PT_EDX;
        op.eax = 0x00abc067u; op.edx = 0x40; op.ecx = VMI_PAGE_PT;
        break;
    case VMI_CALL_UpdatePxE:
        op.flags = PROF_LOAD_EAX | PROF_LOAD_EDX | PROF_PT_EAX;
        op.eax = 0x40; op.edx = VMI_PAGE_PT;
        break;
    case VMI_CALL_SetLazyMode:      op.flags = PROF_LOAD_EAX; op.eax = VMI_LAZY_MMU; break;
    case VMI_CALL_FlushTLB:         op.flags = PROF_LOAD_EAX; op.eax = VMI_FLUSH_TLB; break;
    case VMI_CALL_InvalPage:        op.flags = PROF_LOAD_EAX; op.eax = 0x00400000u; break;
    default: break;
    }
    return op;
}

/* The register (0 eax, 1 edx, 2 ecx, -1 other) that holds argument `arg` of a call, from the
 * spec's "name:type@reg" list. */
static inline int prof_arg_reg(uint8_t call, unsigned arg)
{
    const char *s = vmi_call_table[call].args;
    if (!s)
        return -1;
    for (unsigned i = 0; i < arg; i++) {
        s = strchr(s, ' ');
        if (!s)
            return -1;
        s++;
    }
    const char *at = strchr(s, '@');
    if (!at)
        return -1;
    at++;
    if (strncmp(at, "eax", 3) == 0 && (at[3] == 0 || at[3] == ' '))
        return 0;
    if (strncmp(at, "edx", 3) == 0 && (at[3] == 0 || at[3] == ' '))
        return 1;
    if (strncmp(at, "ecx", 3) == 0 && (at[3] == 0 || at[3] == ' '))
        return 2;
    return -1;
}

/* The constant a PROF_CONST op's site records. */
static inline uint32_t prof_const_value(const struct prof_op *op)
{
    switch (prof_arg_reg(op->call, vmi_call_table[op->call].const_arg)) {
    case 0: return op->eax;
    case 1: return op->edx;
    case 2: return op->ecx;
    default: return 0;
    }
}

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
