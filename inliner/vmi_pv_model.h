/* The reference model of the pv ROM's semantics (docs/pv-rom.md §1-3): what each VMI call does to
 * the virtual CPU state page, the registers and the memory behind its arguments, and which
 * hypercall it makes with which frame; and what every monitor must do on a hypercall (drain the
 * deferred queue first; deliver a pending interrupt when the interrupt-flag calls or Halt ask).
 *
 * One model for every user: vmi-aot check-rom runs each pv ROM routine and inline body on its
 * machine and compares it with pv_model_call on the same state; the 32-bit harness's monitor
 * (lib/m32/monitor.c) drains and delivers with pv_monitor_drain and pv_monitor_delivers.
 * Memory goes through the environment's callbacks, so the model works on emulated memory and on
 * real memory alike.  Freestanding C (it is part of the inliner core, in both archives): no allocation, no
 * library call. */
#ifndef VMI_PV_MODEL_H
#define VMI_PV_MODEL_H

#include <stdint.h>
#include "vmi_abi.h"

struct pv_model_env {
    void *ctx;
    uint32_t top;                     /* virtual_top: the state page */
    /* bytes 1..4, little-endian; 0 on success */
    int (*rd)(void *ctx, uint32_t addr, unsigned bytes, uint32_t *v);
    int (*wr)(void *ctx, uint32_t addr, unsigned bytes, uint32_t v);
    /* the monitor behind the gate: frame in, result fields out; the ROM counted the exit */
    void (*hypercall)(void *ctx, struct vmi_pv_frame *f);
    uint64_t (*rdtsc)(void *ctx);
    /* a deferred update the monitor applies while draining */
    void (*drained)(void *ctx, uint32_t addr, uint32_t value);
};

/* The registers a call sees and returns; esp = the site's ESP (the first stack argument). */
struct pv_model_regs {
    uint32_t eax, ecx, edx, ebx, esp;
};

enum pv_model_result {
    PV_MODEL_OK,            /* returned; regs hold the results */
    PV_MODEL_NORETURN,      /* the hypercall was made and the call does not come back */
    PV_MODEL_FAULT,         /* an access the environment refused */
    PV_MODEL_NO_CALL,       /* not a call of the ABI */
};

/* What the pv ROM's routine for `call` does on state (memory through env, registers r).
 * Registers the call may clobber without a defined result are left as they were in r. */
enum pv_model_result pv_model_call(const struct pv_model_env *env, unsigned call,
                                   struct pv_model_regs *r);

/* VMI_Init (docs/pv-rom.md §1, "the platform's hello"): with EAX = VMI_PV_STATE_MAGIC and
 * EDX = virtual_top it reads the page and answers 0 when magic, version and a nonzero gate are
 * there; otherwise it answers -1 (0xffffffff) having touched no memory.  *result is EAX. */
enum pv_model_result pv_model_init(const struct pv_model_env *env, uint32_t eax, uint32_t edx,
                                   uint32_t *result);

/* The monitor's duty before handling any hypercall: apply queue[0..queue_count) in order through
 * env->drained, then queue_count = 0.  Returns -1 when the page cannot be read. */
int pv_monitor_drain(const struct pv_model_env *env);

/* Whether the monitor delivers an interrupt on hypercall nr: EnableInterrupts and
 * SetInterruptMask when vif has IF and an interrupt is pending; Halt always (a safe halt returns
 * once one was delivered).  Clears `pending` when it delivers. */
int pv_monitor_delivers(const struct pv_model_env *env, uint32_t nr);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
