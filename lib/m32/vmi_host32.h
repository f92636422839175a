/* The hosted library's 32-bit part (build/lib/libvmihost32.a, -m32): what a 32-bit user-space
 * program needs to run a VMI ROM in its own address space, as the harness (tests/harness), the live
 * re-patching test, aotboot and the installed vmi-prof engine do.
 *   rom_entry.c    the ROM's two fixed entries called for real: VMI_Init with the platform's
 *                  hello, GetRelocationInfo (a vmi_reloc_query_fn); rom_entry.h
 *   monitor.c      the platform: the pv state page and the hypercall gate, in C
 *   monitor_log.c  the log the monitor writes
 * Nothing here prints. */
#ifndef VMI_HOST32_H
#define VMI_HOST32_H

#include <stdint.h>
#include "vmi_abi.h"
#include "vmi_inliner.h"

/* ---- what the monitor did: a log both the monitor and the harness's model write ---- */
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

#include "rom_entry.h"

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
