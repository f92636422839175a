/* The monitor behind the pv ROM's hypercall gate (docs/pv-rom.md §2-4): a C function in user
 * space.  Privileged calls are recorded in the log, not performed.  The duties every monitor has
 * (drain the deferred queue first, deliver a pending interrupt when the interrupt-flag calls or
 * Halt ask) are the inliner core's pv model (inliner/vmi_pv_model.h), the same one check-rom
 * proves the pv ROM against. */
#include <string.h>
#include "host_mman.h"     /* <sys/mman.h>, MAP_FIXED_NOREPLACE: lib/ */
#include "vmi_host32.h"
#include "vmi_pv_model.h"

volatile struct vmi_pv_state *pv;
struct h_log mon_log;
uint32_t mon_delivered;

static uint64_t msr[16];
static uint32_t apic_key[16], apic_val[16];

uint32_t monitor_cpuid(uint32_t leaf, uint32_t sub, int reg)
{
    switch (reg) {
    case 0: return leaf ^ 0x564d4900u;        /* "VMI" */
    case 1: return sub + 0x1000u;
    case 2: return leaf * 3u + sub;
    default: return ~leaf;
    }
}

static void deliver(void)
{
    mon_delivered++;
    log_add(&mon_log, LOG_DELIVER, 0, 0);
    pv->pending = 0;
}

/* The model's view of this process's memory: the state page and the guest's are ours. */
static int real_rd(void *ctx, uint32_t addr, unsigned bytes, uint32_t *v)
{
    (void)ctx;
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)addr;
    *v = 0;
    for (unsigned k = 0; k < bytes; k++)
        *v |= (uint32_t)p[k] << (8 * k);
    return 0;
}

static int real_wr(void *ctx, uint32_t addr, unsigned bytes, uint32_t v)
{
    (void)ctx;
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;
    for (unsigned k = 0; k < bytes; k++)
        p[k] = (uint8_t)(v >> (8 * k));
    return 0;
}

static void log_drain(void *ctx, uint32_t addr, uint32_t value)
{
    (void)ctx;
    log_add(&mon_log, LOG_DRAIN, addr, value);
}

static struct pv_model_env mon_env = { NULL, 0, real_rd, real_wr, NULL, NULL, log_drain };

static uint32_t *apic_slot(uint32_t key)
{
    for (unsigned i = 0; i < 16; i++)
        if (apic_key[i] == key || apic_key[i] == 0) {
            apic_key[i] = key;
            return &apic_val[i];
        }
    return &apic_val[15];
}

__attribute__((force_align_arg_pointer, used))
static void monitor_gate(struct vmi_pv_frame *f)
{
    /* Before handling any hypercall, drain the deferred queue in order. */
    pv_monitor_drain(&mon_env);

    switch (f->nr) {
    case VMI_CALL_CPUID: {
        uint32_t leaf = f->eax, sub = f->ecx;
        f->eax = monitor_cpuid(leaf, sub, 0);
        f->ebx = monitor_cpuid(leaf, sub, 1);
        f->ecx = monitor_cpuid(leaf, sub, 2);
        f->edx = monitor_cpuid(leaf, sub, 3);
        log_add(&mon_log, f->nr, leaf, sub);
        break;
    }
    case VMI_CALL_WRMSR:
        msr[f->ecx & 15] = (uint64_t)f->edx << 32 | f->eax;
        log_add(&mon_log, f->nr, f->ecx, f->eax);
        break;
    case VMI_CALL_RDMSR:
        f->eax = (uint32_t)msr[f->ecx & 15];
        f->edx = (uint32_t)(msr[f->ecx & 15] >> 32);
        log_add(&mon_log, f->nr, f->ecx, 0);
        break;
    case VMI_CALL_SetCR0: pv->cr0 = f->eax; log_add(&mon_log, f->nr, f->eax, 0); break;
    case VMI_CALL_SetCR3: pv->cr3 = f->eax; log_add(&mon_log, f->nr, f->eax, 0); break;
    case VMI_CALL_SetCR4: pv->cr4 = f->eax; log_add(&mon_log, f->nr, f->eax, 0); break;
    case VMI_CALL_EnableInterrupts:
    case VMI_CALL_SetInterruptMask:
    case VMI_CALL_Halt:                     /* a safe halt returns once one was delivered */
        log_add(&mon_log, f->nr, pv->vif & VMI_INTERRUPT_MASK_IF, 0);
        if (pv_monitor_delivers(&mon_env, f->nr))
            deliver();
        break;
    case VMI_CALL_IRET: {
        const uint32_t *frame = (const uint32_t *)(uintptr_t)f->arg_ptr;
        uint32_t eip = frame[0], eflags = frame[2], esp = f->arg_ptr + 12;
        pv->vif = eflags & VMI_INTERRUPT_MASK_IF;
        log_add(&mon_log, f->nr, eflags & VMI_INTERRUPT_MASK_IF, 0);
        __asm__ volatile("mov %0, %%esp\n\tjmp *%1" : : "r"(esp), "r"(eip) : "memory");
        __builtin_unreachable();
    }
    case VMI_CALL_SetPxE:
        log_add(&mon_log, f->nr, f->edx, f->eax);
        break;
    case VMI_CALL_UpdatePxE:
        log_add(&mon_log, f->nr, f->eax, *(const uint32_t *)(uintptr_t)f->eax);
        break;
    case VMI_CALL_GetCycleFrequency:
        f->eax = (uint32_t)H_CPU_HZ;
        f->edx = (uint32_t)(H_CPU_HZ >> 32);
        log_add(&mon_log, f->nr, 0, 0);
        break;
    case VMI_CALL_APICWrite:
        *apic_slot(f->eax) = f->edx;
        log_add(&mon_log, f->nr, f->eax, f->edx);
        break;
    case VMI_CALL_APICRead:
        f->eax = *apic_slot(f->eax);
        log_add(&mon_log, f->nr, 0, 0);
        break;
    case VMI_CALL_WriteGDTEntry: {
        uint32_t *d = (uint32_t *)(uintptr_t)(f->eax + 8 * f->edx);
        d[0] = f->ecx;
        d[1] = *(const uint32_t *)(uintptr_t)f->arg_ptr;
        log_add(&mon_log, f->nr, f->edx, d[1]);
        break;
    }
    case VMI_CALL_CLTS:
        pv->cr0 &= ~8u;                     /* TS */
        log_add(&mon_log, f->nr, 0, 0);
        break;
    default:                                /* recorded, not performed */
        log_add(&mon_log, f->nr, f->eax, 0);
        break;
    }
}

void monitor_raise(void)
{
    pv->pending = 1;
}

void monitor_reset(void)
{
    volatile uint8_t *p = (volatile uint8_t *)pv;
    for (uint32_t i = 0x0c; i < sizeof(struct vmi_pv_state); i++)
        p[i] = 0;
    pv->cr0 = 0x80050033u;
    pv->cr3 = 0x00100000u;
    pv->cr4 = 0x000006d0u;
    memset(&mon_log, 0, sizeof(mon_log));
    mon_delivered = 0;
    memset(msr, 0, sizeof(msr));
    memset(apic_key, 0, sizeof(apic_key));
}

int monitor_install(uint32_t virtual_top)
{
    void *p = mmap((void *)(uintptr_t)virtual_top, 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != (void *)(uintptr_t)virtual_top)
        return -1;
    pv = p;
    mon_env.top = virtual_top;
    memset(p, 0, 4096);
    pv->magic = VMI_PV_STATE_MAGIC;
    pv->version = VMI_PV_VERSION;
    pv->gate = (uint32_t)(uintptr_t)monitor_gate;
    monitor_reset();
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
