/* The counts behind specialize's --dry-run / --stats summary and verify's --stats: sites per
 * kind (a VMI call for a vmi_sites image, a pv op for a Linux kernel's .parainstructions), with
 * the plan's decision per kind, the sites verify decoded per kind, and the sites' bytes.  The
 * report's "totals" come from the core's vmi_plan_stats; these add the grouping by kind, which
 * for a Linux kernel the core does not know (its sites are typed by op, not by call). */
#ifndef VMI_AOT_SUMMARY_H
#define VMI_AOT_SUMMARY_H

#include <stdint.h>

#include "linux_image.h"
#include "vmi_inliner.h"

/* A kind is a VMI call number (below VMI_NUM_CALLS, or VMI_NO_CALL) or a Linux op type: both
 * fit a byte. */
#define AOT_KINDS 256

struct aot_kind_count {
    uint32_t sites;
    uint32_t decision[VMI_DECISION_COUNT];  /* the plan's, when summarized from a plan */
    uint32_t checked;                        /* sites verify decoded */
    uint32_t bytes;                          /* the sum of their lengths */
};

struct aot_summary {
    const struct aot_linux *lx;              /* NULL: the kinds are VMI calls */
    uint32_t sites, bytes, checked;
    uint32_t decision[VMI_DECISION_COUNT];
    struct aot_kind_count kind[AOT_KINDS];
};

/* A zeroed summary whose kinds are lx's ops (lx a Linux kernel) or VMI calls (lx NULL). */
void aot_summary_init(struct aot_summary *s, const struct aot_linux *lx);
/* The kind of a site: its record's op type on a Linux kernel, else its call. */
unsigned aot_summary_kind(const struct aot_summary *s, unsigned call, uint32_t record);
/* The kind's name: the op ("pv_irq_ops.irq_disable") or the call ("WriteGDTEntry"). */
const char *aot_summary_kind_name(const struct aot_summary *s, unsigned kind);
/* One site: decision below VMI_DECISION_COUNT counts it, VMI_DECISION_COUNT does not (verify
 * knows no plan); checked counts a decoded site. */
void aot_summary_add(struct aot_summary *s, unsigned kind, unsigned decision, uint32_t len,
                     int checked);
/* Every site of plan (sp->index is the record, for a Linux kernel's op). */
void aot_summary_plan(struct aot_summary *s, const struct vmi_plan *plan);
/* The kinds with sites into order[] (at least AOT_KINDS entries), most sites first, then by
 * kind number; returns how many. */
unsigned aot_summary_order(const struct aot_summary *s, uint8_t *order);

#endif /* VMI_AOT_SUMMARY_H */
/* SPDX-License-Identifier: GPL-2.0-only */
