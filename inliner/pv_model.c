/* The reference model of the pv ROM (inliner/vmi_pv_model.h), written from docs/pv-rom.md §3, not from
 * the ROM's code: each call's effect on the state page, its arguments' memory and its result
 * registers, and the hypercalls it makes. */
#include "vmi_pv_model.h"

#include <stddef.h>

#define IF     VMI_INTERRUPT_MASK_IF
#define FIELD(f) (env->top + (uint32_t)offsetof(struct vmi_pv_state, f))

struct run {
    const struct pv_model_env *env;
    struct pv_model_regs *r;
    int bad;
};

static uint32_t get(struct run *x, uint32_t addr, unsigned bytes)
{
    uint32_t v = 0;
    if (x->env->rd(x->env->ctx, addr, bytes, &v) != 0)
        x->bad = 1;
    return v;
}

static void put(struct run *x, uint32_t addr, unsigned bytes, uint32_t v)
{
    if (x->env->wr(x->env->ctx, addr, bytes, v) != 0)
        x->bad = 1;
}

/* A hypercall: the ROM counts the exit, the monitor gets the frame.  Results per `results`:
 * 0 none (every register kept: the flags-only calls), 2 EAX and EDX, 4 all four (CPUID). */
static void hypercall(struct run *x, uint32_t nr, uint32_t arg_ptr, int results)
{
    const struct pv_model_env *env = x->env;
    uint32_t exits = FIELD(exits) + 4 * nr;
    put(x, exits, 4, get(x, exits, 4) + 1);
    if (x->bad)
        return;
    struct vmi_pv_frame f = { .nr = nr, .eax = x->r->eax, .edx = x->r->edx, .ecx = x->r->ecx,
                              .ebx = x->r->ebx, .arg_ptr = arg_ptr };
    env->hypercall(env->ctx, &f);
    if (results >= 2) {
        x->r->eax = f.eax;
        x->r->edx = f.edx;
    }
    if (results == 4) {
        x->r->ecx = f.ecx;
        x->r->ebx = f.ebx;
    }
}

/* The interrupt flag is the byte the ROM's stores write: byte 1 of vif, holding bit 9. */
static void set_vif(struct run *x, uint32_t on)
{
    const struct pv_model_env *env = x->env;
    put(x, FIELD(vif) + 1, 1, on ? IF >> 8 : 0);
}

static void set_pxe(struct run *x)
{
    const struct pv_model_env *env = x->env;
    struct pv_model_regs *r = x->r;
    put(x, r->edx, 4, r->eax);
    if (x->bad || !(r->ecx & VMI_PAGE_CURRENT_AS))
        return;
    uint32_t n = get(x, FIELD(queue_count), 4);
    int defer = (r->ecx & VMI_PAGE_DEFER) || get(x, FIELD(lazy_mode), 4) == VMI_LAZY_MMU;
    if (defer && n < VMI_PV_QUEUE_LEN) {
        put(x, FIELD(queue) + 8 * n, 4, r->edx);
        put(x, FIELD(queue) + 8 * n + 4, 4, r->eax);
        put(x, FIELD(queue_count), 4, n + 1);
        return;
    }
    hypercall(x, VMI_CALL_SetPxE, r->esp, 2);
}

static int fast_call(struct run *x, unsigned call)
{
    const struct pv_model_env *env = x->env;
    struct pv_model_regs *r = x->r;
    switch (call) {
    case VMI_CALL_SetCR2: put(x, FIELD(cr2), 4, r->eax); return 1;
    case VMI_CALL_GetCR0: r->eax = get(x, FIELD(cr0), 4); return 1;
    case VMI_CALL_GetCR2: r->eax = get(x, FIELD(cr2), 4); return 1;
    case VMI_CALL_GetCR3: r->eax = get(x, FIELD(cr3), 4); return 1;
    case VMI_CALL_GetCR4: r->eax = get(x, FIELD(cr4), 4); return 1;
    case VMI_CALL_RDTSC: {
        uint64_t t = env->rdtsc(env->ctx);
        r->eax = (uint32_t)t;
        r->edx = (uint32_t)(t >> 32);
        return 1;
    }
    case VMI_CALL_DisableInterrupts: set_vif(x, 0); return 1;
    case VMI_CALL_GetInterruptMask: r->eax = get(x, FIELD(vif), 4) & IF; return 1;
    case VMI_CALL_EnableInterrupts:
        set_vif(x, 1);
        if (get(x, FIELD(pending), 4))
            hypercall(x, call, 0, 0);
        return 1;
    case VMI_CALL_SetInterruptMask:
        set_vif(x, r->eax & IF);
        if ((r->eax & IF) && get(x, FIELD(pending), 4))
            hypercall(x, call, 0, 0);
        return 1;
    case VMI_CALL_MachineToPhysical: case VMI_CALL_PhysicalToMachine: case VMI_CALL_IODelay:
        return 1;                       /* the identity; no port to wait on */
    default:
        return 0;
    }
}

static int memory_call(struct run *x, unsigned call)
{
    const struct pv_model_env *env = x->env;
    struct pv_model_regs *r = x->r;
    switch (call) {
    case VMI_CALL_SetPxE:
        set_pxe(x);
        return 1;
    case VMI_CALL_SetPxELong:
        put(x, r->ecx + 4, 4, r->edx);
        put(x, r->ecx, 4, r->eax);
        if (!x->bad && (get(x, r->esp, 1) & VMI_PAGE_CURRENT_AS))
            hypercall(x, call, r->esp, 2);
        return 1;
    case VMI_CALL_UpdatePxE:
    case VMI_CALL_UpdatePxELong:
        if (r->edx & VMI_PAGE_CURRENT_AS)
            hypercall(x, call, r->esp, 2);
        return 1;
    case VMI_CALL_SetLazyMode:
        put(x, FIELD(lazy_mode), 4, r->eax);
        if (r->eax == VMI_LAZY_NONE && get(x, FIELD(queue_count), 4))
            hypercall(x, call, r->esp, 2);
        return 1;
    case VMI_CALL_Halt:
        set_vif(x, 1);
        hypercall(x, call, r->esp, 2);
        return 1;
    case VMI_CALL_CPUID:
        hypercall(x, call, r->esp - 4, 4);
        return 1;
    default:
        return 0;
    }
}

enum pv_model_result pv_model_call(const struct pv_model_env *env, unsigned call,
                                   struct pv_model_regs *r)
{
    struct run x = { env, r, 0 };
    if (call >= VMI_NUM_CALLS || !(vmi_call_table[call].flags & VMI_CALL_F_DEFINED))
        return PV_MODEL_NO_CALL;
    if (!fast_call(&x, call) && !memory_call(&x, call))
        hypercall(&x, call, r->esp, 2);     /* everything else is the monitor's */
    if (x.bad)
        return PV_MODEL_FAULT;
    return (vmi_call_table[call].flags & VMI_CALL_F_NORETURN) ? PV_MODEL_NORETURN : PV_MODEL_OK;
}

enum pv_model_result pv_model_init(const struct pv_model_env *env, uint32_t eax, uint32_t edx,
                                   uint32_t *result)
{
    struct pv_model_regs r = { eax, 0, edx, 0, 0 };
    struct run x = { env, &r, 0 };
    *result = 0xffffffffu;
    if (eax != VMI_PV_STATE_MAGIC || edx != env->top)
        return PV_MODEL_OK;
    if (get(&x, FIELD(magic), 4) == VMI_PV_STATE_MAGIC &&
        get(&x, FIELD(version), 4) == VMI_PV_VERSION && get(&x, FIELD(gate), 4) != 0)
        *result = 0;
    return x.bad ? PV_MODEL_FAULT : PV_MODEL_OK;
}

int pv_monitor_drain(const struct pv_model_env *env)
{
    uint32_t n;
    if (env->rd(env->ctx, FIELD(queue_count), 4, &n) != 0)
        return -1;
    for (uint32_t i = 0; i < n && i < VMI_PV_QUEUE_LEN; i++) {
        uint32_t addr, value;
        if (env->rd(env->ctx, FIELD(queue) + 8 * i, 4, &addr) != 0 ||
            env->rd(env->ctx, FIELD(queue) + 8 * i + 4, 4, &value) != 0)
            return -1;
        if (env->drained)
            env->drained(env->ctx, addr, value);
    }
    return env->wr(env->ctx, FIELD(queue_count), 4, 0) != 0 ? -1 : 0;
}

int pv_monitor_delivers(const struct pv_model_env *env, uint32_t nr)
{
    uint32_t vif = 0, pending = 0;
    if (env->rd(env->ctx, FIELD(vif), 4, &vif) != 0 ||
        env->rd(env->ctx, FIELD(pending), 4, &pending) != 0)
        return 0;
    int yes = nr == VMI_CALL_Halt ||
              ((nr == VMI_CALL_EnableInterrupts || nr == VMI_CALL_SetInterruptMask) &&
               (vif & IF) && pending);
    if (yes)
        env->wr(env->ctx, FIELD(pending), 4, 0);
    return yes;
}
/* SPDX-License-Identifier: GPL-2.0-only */
