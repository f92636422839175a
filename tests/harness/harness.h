/* vmi-selftest: a 32-bit program that patches its own call sites against the pv ROM and checks
 * every result against an independent model of the pv semantics (docs/pv-rom.md). */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdint.h>
#include "host_mman.h"     /* MAP_FIXED_NOREPLACE: lib/ */
#include "vmi_abi.h"
#include "vmi_inliner.h"
#include "vmi_host32.h"     /* the log, the monitor, the ROM entries: lib/m32 */

/* ---- checks ---- */
extern unsigned h_passed, h_failed;
void h_check(int ok, const char *file, int line, const char *what, uint32_t got, uint32_t want);
#define CHECK(c) h_check(!!(c), __FILE__, __LINE__, #c, 0, 0)
#define CHECK_EQ(got, want) do { \
        uint32_t got_ = (uint32_t)(got), want_ = (uint32_t)(want); \
        h_check(got_ == want_, __FILE__, __LINE__, #got " == " #want, got_, want_); \
    } while (0)

/* ---- the model (model.c): the pv semantics, predicted without the ROM ---- */
struct model {
    uint32_t vif, pending, lazy, cr[5];
    uint32_t qn, q[VMI_PV_QUEUE_LEN][2];
    uint32_t exits[256];
    uint32_t delivered;
    struct h_log log;
};
extern struct model M;
void model_reset(void);
void m_raise(void);
void m_cli(void);
void m_sti(void);
uint32_t m_pushf(void);
void m_popf(uint32_t mask);
void m_setcr(int n, uint32_t v);
uint32_t m_getcr(int n);
void m_setpxe(uint32_t *ptr, uint32_t pte, uint32_t flags);
void m_updpxe(uint32_t *ptr, uint32_t flags);
void m_lazy(uint32_t mode);
void m_hypercall(uint32_t nr, uint32_t a, uint32_t b);  /* drain, count, log (nr, a, b) */
void m_halt(void);
void m_iret(uint32_t eflags);
void model_compare(const char *where);

/* ---- workloads (workloads.c) ---- */
enum h_mode { MODE_NATIVE, MODE_PV };
struct workload {
    const char *name;
    int native_ok;                 /* valid in ring 3 with native sites */
    const uint8_t *calls;          /* the calls it uses */
    unsigned ncalls;
    void (*run)(enum h_mode mode);
};
extern const struct workload workloads[];
extern const unsigned n_workloads;

uint32_t harness_iret(uint32_t eflags_if);

/* ---- main.c, for the phases in other files ---- */
int text_writable(int on);
unsigned run_workloads(const struct vmi_plan *plan, const char *label);

/* aot_boot.c: the AOT mode (docs/aot.md "What the kernel does at boot", the ROM at rom->base).
 * Returns what it found; after NONE, MATCH and MISMATCH the text is native (the sites as the
 * plain image has them); after UNTRUSTED nothing was written; FAILED: a check failed (counted). */
enum aot_state { AOT_NONE, AOT_MATCH, AOT_MISMATCH, AOT_UNTRUSTED, AOT_FAILED };
enum aot_state aot_boot(struct vmi_text *text, const struct vmi_site_table *sites,
                        const struct vmi_rom *rom, const struct vmi_reloc_table *rel);

/* counting.c: the counting plan; writes a profile to `profile` if not NULL */
void run_counting(struct vmi_text *text, const struct vmi_site_table *sites,
                  const struct vmi_rom *rom, const struct vmi_reloc_table *rel,
                  struct vmi_save *save, const uint8_t *original, const char *profile);     /* iret.S: IRET to itself, returns 0x600d */

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
