/* Sites counted per kind for the human summaries (aot_summary.h). */
#include <string.h>

#include "aot_summary.h"
#include "elf_image.h"

void aot_summary_init(struct aot_summary *s, const struct aot_linux *lx)
{
    memset(s, 0, sizeof *s);
    s->lx = lx;
}

unsigned aot_summary_kind(const struct aot_summary *s, unsigned call, uint32_t record)
{
    if (s->lx)
        return record < s->lx->nrec ? s->lx->rec_type[record] : 0;
    return call & (AOT_KINDS - 1);
}

const char *aot_summary_kind_name(const struct aot_summary *s, unsigned kind)
{
    return s->lx ? aot_linux_op_name(s->lx, kind) : aot_call_name(kind);
}

void aot_summary_add(struct aot_summary *s, unsigned kind, unsigned decision, uint32_t len,
                     int checked)
{
    struct aot_kind_count *k = &s->kind[kind % AOT_KINDS];
    s->sites++;
    s->bytes += len;
    k->sites++;
    k->bytes += len;
    k->checked += checked != 0;
    s->checked += checked != 0;
    if (decision < VMI_DECISION_COUNT) {
        s->decision[decision]++;
        k->decision[decision]++;
    }
}

void aot_summary_plan(struct aot_summary *s, const struct vmi_plan *plan)
{
    for (uint32_t i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        aot_summary_add(s, aot_summary_kind(s, sp->call, sp->index), sp->decision, sp->len, 0);
    }
}

/* Insertion sort: at most 256 kinds, and no global for a qsort comparator. */
unsigned aot_summary_order(const struct aot_summary *s, uint8_t *order)
{
    unsigned n = 0;
    for (unsigned k = 0; k < AOT_KINDS; k++) {
        if (!s->kind[k].sites)
            continue;
        unsigned j = n++;
        while (j > 0 && s->kind[order[j - 1]].sites < s->kind[k].sites) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = (uint8_t)k;
    }
    return n;
}
/* SPDX-License-Identifier: GPL-2.0-only */
