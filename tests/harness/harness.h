/* vmi-selftest: a 32-bit program that patches its own call sites against the pv ROM and checks
 * every result against an independent model of the pv semantics (docs/pv-rom.md). */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdint.h>
#include <sys/mman.h>
#include "vmi_abi.h"
#include "vmi_inliner.h"

/* Older C libraries lack it (Linux >= 4.17 has the flag): the harness, its monitor and the live
 * re-patching test map the option-ROM area only where nothing is mapped yet. */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* ---- checks ---- */
extern unsigned h_passed, h_failed;
void h_check(int ok, const char *file, int line, const char *what, uint32_t got, uint32_t want);
#define CHECK(c) h_check(!!(c), __FILE__, __LINE__, #c, 0, 0)
#define CHECK_EQ(got, want) do { \
        uint32_t got_ = (uint32_t)(got), want_ = (uint32_t)(want); \
        h_check(got_ == want_, __FILE__, __LINE__, #got " == " #want, got_, want_); \
    } while (0)

/* ---- what the monitor did: a log both the monitor and the model write ---- */
enum { LOG_DRAIN = 0x100, LOG_DELIVER = 0x101 };
#define LOG_MAX 256
struct h_log {
    uint32_t n;
    uint32_t rec[LOG_MAX][3];      /* kind (a call number or LOG_*), a, b */
};
void log_add(struct h_log *l, uint32_t kind, uint32_t a, uint32_t b);

/* ---- the monitor (monitor.c) ---- */
extern volatile struct vmi_pv_state *pv;
extern struct h_log mon_log;
extern uint32_t mon_delivered;
int  monitor_install(uint32_t virtual_top);     /* maps the state page; 0 on success */
void monitor_reset(void);                       /* the page's dynamic fields and the log */
void monitor_raise(void);                       /* an interrupt arrives: pending = 1 */
#define H_CPU_HZ 2600000000ull
uint32_t monitor_cpuid(uint32_t leaf, uint32_t sub, int reg);   /* what the monitor answers */

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

/* ---- rom_entry.c: the ROM's VMI_Init and GetRelocationInfo, called for real ---- */
vmi_status harness_query_rom(void *ctx, uint8_t call, struct vmi_relocation_info *out); /* ctx: &base */
uint32_t harness_rom_init(uint32_t base);   /* VMI_Init with the platform's hello */

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
