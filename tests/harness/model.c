/* An independent model of the pv semantics (docs/pv-rom.md §3): what the state page and the
 * monitor's log must show after each operation, predicted without running the ROM. */
#include <string.h>
#include "harness.h"

struct model M;

#define IF VMI_INTERRUPT_MASK_IF

void model_reset(void)
{
    memset(&M, 0, sizeof(M));
    M.cr[0] = 0x80050033u;
    M.cr[3] = 0x00100000u;
    M.cr[4] = 0x000006d0u;
}

void m_raise(void) { M.pending = 1; }

/* Every hypercall: the monitor drains the queue first, the ROM counted the exit. */
static void enter(uint32_t nr)
{
    M.exits[nr]++;
    for (uint32_t i = 0; i < M.qn; i++)
        log_add(&M.log, LOG_DRAIN, M.q[i][0], M.q[i][1]);
    M.qn = 0;
}

static void deliver(void)
{
    M.delivered++;
    log_add(&M.log, LOG_DELIVER, 0, 0);
    M.pending = 0;
}

void m_hypercall(uint32_t nr, uint32_t a, uint32_t b)
{
    enter(nr);
    log_add(&M.log, nr, a, b);
}

void m_cli(void) { M.vif = 0; }

void m_sti(void)
{
    M.vif = IF;
    if (M.pending) {
        m_hypercall(VMI_CALL_EnableInterrupts, IF, 0);
        deliver();
    }
}

uint32_t m_pushf(void) { return M.vif; }

void m_popf(uint32_t mask)
{
    M.vif = mask & IF;
    if (M.vif && M.pending) {
        m_hypercall(VMI_CALL_SetInterruptMask, IF, 0);
        deliver();
    }
}

void m_setcr(int n, uint32_t v)
{
    M.cr[n] = v;
    if (n != 2)
        m_hypercall(n == 0 ? VMI_CALL_SetCR0 : n == 3 ? VMI_CALL_SetCR3 : VMI_CALL_SetCR4, v, 0);
}

uint32_t m_getcr(int n) { return M.cr[n]; }

void m_setpxe(uint32_t *ptr, uint32_t pte, uint32_t flags)
{
    uint32_t a = (uint32_t)(uintptr_t)ptr;
    if (!(flags & VMI_PAGE_CURRENT_AS))
        return;
    if (((flags & VMI_PAGE_DEFER) || M.lazy == VMI_LAZY_MMU) && M.qn < VMI_PV_QUEUE_LEN) {
        M.q[M.qn][0] = a;
        M.q[M.qn][1] = pte;
        M.qn++;
        return;
    }
    m_hypercall(VMI_CALL_SetPxE, a, pte);
}

void m_updpxe(uint32_t *ptr, uint32_t flags)
{
    if (flags & VMI_PAGE_CURRENT_AS)
        m_hypercall(VMI_CALL_UpdatePxE, (uint32_t)(uintptr_t)ptr, *ptr);
}

void m_lazy(uint32_t mode)
{
    M.lazy = mode;
    if (mode == VMI_LAZY_NONE && M.qn)
        m_hypercall(VMI_CALL_SetLazyMode, 0, 0);
}

void m_halt(void)
{
    M.vif = IF;
    m_hypercall(VMI_CALL_Halt, IF, 0);
    deliver();
}

void m_iret(uint32_t eflags)
{
    M.vif = eflags & IF;
    m_hypercall(VMI_CALL_IRET, eflags & IF, 0);
}

static void cmp(const char *where, const char *what, uint32_t got, uint32_t want)
{
    char buf[160];
    int n = 0;
    while (where[n] && n < 60) { buf[n] = where[n]; n++; }
    buf[n++] = ':';
    for (int i = 0; what[i] && n < 150; i++)
        buf[n++] = what[i];
    buf[n] = 0;
    h_check(got == want, "model", 0, buf, got, want);
}

void model_compare(const char *where)
{
    uint32_t i, n;
    cmp(where, "vif", pv->vif, M.vif);
    cmp(where, "pending", pv->pending, M.pending);
    cmp(where, "lazy_mode", pv->lazy_mode, M.lazy);
    cmp(where, "cr0", pv->cr0, M.cr[0]);
    cmp(where, "cr2", pv->cr2, M.cr[2]);
    cmp(where, "cr3", pv->cr3, M.cr[3]);
    cmp(where, "cr4", pv->cr4, M.cr[4]);
    cmp(where, "queue_count", pv->queue_count, M.qn);
    for (i = 0; i < M.qn && i < pv->queue_count; i++) {
        cmp(where, "queue addr", pv->queue[2 * i], M.q[i][0]);
        cmp(where, "queue value", pv->queue[2 * i + 1], M.q[i][1]);
    }
    for (i = 0; i < 256; i++)
        if (pv->exits[i] != M.exits[i])
            cmp(where, "exits[nr] (got/want below; nr in the log)", pv->exits[i] | i << 24,
                M.exits[i] | i << 24);
    cmp(where, "delivered", mon_delivered, M.delivered);
    cmp(where, "log length", mon_log.n, M.log.n);
    n = mon_log.n < M.log.n ? mon_log.n : M.log.n;
    for (i = 0; i < n && i < LOG_MAX; i++) {
        cmp(where, "log kind", mon_log.rec[i][0], M.log.rec[i][0]);
        cmp(where, "log a", mon_log.rec[i][1], M.log.rec[i][1]);
        cmp(where, "log b", mon_log.rec[i][2], M.log.rec[i][2]);
    }
}
/* SPDX-License-Identifier: GPL-2.0-only */
