/* check-rom's 32-bit machine: an interpreter of the integer and system instructions a VMI ROM
 * routine, an inline body or a spec's native sequence uses, built on Zydis's decoder.  Memory is a
 * list of regions (the ROM image, a stack, the pv state page, a data area behind pointer
 * arguments, a copy of a native sequence); any access outside them ends the run as a fault, any
 * instruction outside the subset ends it as unsupported.  System state (control and debug
 * registers, descriptor-table registers, the TSC, MSRs, EFLAGS.IF/IOPL) is plain data, so a native
 * routine can be run on random machine states and compared with the spec's native sequence.
 * Used by romchk_emu.c (GetRelocationInfo) and romchk_behave.c (behaviour). */
#ifndef VMI_AOT_ROMCHK_MACH_H
#define VMI_AOT_ROMCHK_MACH_H

#include <stddef.h>
#include <stdint.h>

#define MACH_MAX_REGIONS 8
#define MACH_MAX_EVENTS  48
#define MACH_MAX_MSRS    8

/* Registers in Zydis's (and the hardware encoding's) order. */
enum { M_EAX, M_ECX, M_EDX, M_EBX, M_ESP, M_EBP, M_ESI, M_EDI };

#define M_FLAGS_ARITH 0x08d5u   /* CF PF AF ZF SF OF */
#define M_FLAGS_IF    0x0200u
#define M_FLAGS_DF    0x0400u
#define M_FLAGS_IOPL  0x3000u
/* The system flags a routine can change with popf (kernel mode: all; user mode: not IF, IOPL):
 * TF, IF, DF, IOPL, NT, AC, ID.  (RF, VM, VIF, VIP are not reachable by popf here.) */
#define M_FLAGS_SYS   0x247700u

/* Side effects outside registers and memory, in order: what a routine asked the machine or the
 * monitor to do. */
enum mach_event {
    EV_WBINVD = 1, EV_INVLPG, EV_OUT, EV_HLT, EV_WRMSR, EV_GATE, EV_GATE_REGS, EV_DRAIN,
    EV_DELIVER, EV_CR_WRITE,
};

struct mach_region {
    uint32_t base, size;
    uint8_t *bytes;
    int writable;
    const char *name;
};

enum mach_outcome { MACH_DONE, MACH_TRAP, MACH_FAULT, MACH_UNSUPPORTED, MACH_LIMIT };

struct mach;
typedef void (*mach_gate_fn)(struct mach *m, void *ctx);

struct mach {
    uint32_t r[8];
    uint32_t eflags;
    uint32_t cr[5];
    uint32_t dr[8];
    uint16_t ldtr, tr;
    uint8_t gdtr[6], idtr[6];
    uint64_t tsc;
    uint32_t msr_key[MACH_MAX_MSRS], msr_lo[MACH_MAX_MSRS], msr_hi[MACH_MAX_MSRS];
    unsigned nmsr;
    int kernel;                 /* CPL 0: privileged instructions execute (native flavor) */
    struct mach_region rg[MACH_MAX_REGIONS];
    unsigned nrg;
    uint32_t gate_addr;         /* calling this address runs gate() and returns; 0: none */
    mach_gate_fn gate;
    void *gate_ctx;
    uint32_t ev[MACH_MAX_EVENTS][4];
    unsigned nev, ev_lost;
    uint32_t eip;               /* where the run stopped */
    uint32_t fault_addr;
    char why[160];
};

/* Adds a region; returns its index or -1 when the table is full. */
int mach_map(struct mach *m, uint32_t base, uint32_t size, uint8_t *bytes, int writable,
             const char *name);
/* Runs from eip until eip == stop (MACH_DONE), a ud2 (MACH_TRAP) or a failure; m->why says why. */
enum mach_outcome mach_run(struct mach *m, uint32_t eip, uint32_t stop, unsigned max_steps);
/* Memory as the code sees it (bytes little-endian, 1..4); 0 on success, -1 outside the regions. */
int mach_read(struct mach *m, uint32_t addr, unsigned bytes, uint32_t *v);
int mach_write(struct mach *m, uint32_t addr, unsigned bytes, uint32_t v);
int mach_push(struct mach *m, uint32_t v);
int mach_pop(struct mach *m, uint32_t *v);
void mach_event(struct mach *m, uint32_t kind, uint32_t a, uint32_t b, uint32_t c);
/* What rdmsr / cpuid / rdpmc answer on this machine: fixed functions of their inputs (and of the
 * MSRs written), the same for every run, so two implementations see the same answers. */
uint64_t mach_msr(const struct mach *m, uint32_t index);
uint32_t mach_cpuid(uint32_t leaf, uint32_t sub, int reg);

#endif /* VMI_AOT_ROMCHK_MACH_H */
/* SPDX-License-Identifier: GPL-2.0-only */
