/* The patching benchmark: what a kernel does at load time with its site table, at scale.  A
 * synthetic text of SITES sites (every defined call in turn, each at its reserve, native bytes and
 * the standard NOP fill) and their records; K times: read the table, plan it against the mapped
 * ROM (VMI_POLICY_AUTO), apply with a save area, verify, then revert; and, as the reference, copy
 * the same bytes: site by site with the copy the core uses (vmi_copy), and as one memcpy of the
 * whole text.  Prints
 *   patch sites=N rep=R read_ns=.. plan_ns=.. apply_ns=.. verify_ns=.. revert_ns=..
 *         inline=N call=N native=N nop=N jump=N copy_sites_ns=.. copy_text_ns=.. bytes=N
 *                                                          (one line per repetition) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "vmi_internal.h"   /* vmi_copy: the core's own copy, for the reference */

/* The compiler must not drop a copy nobody reads. */
static void keep(void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* The reference: the plan's sites' bytes copied out of the text one site at a time, as the save
 * step does for scattered sites.  Returns the bytes copied. */
static uint32_t copy_sites(uint8_t *dst, const uint8_t *text, uint32_t base,
                           const struct vmi_plan *plan)
{
    uint32_t off = 0;
    for (uint32_t i = 0; i < plan->count; i++) {
        vmi_copy(dst + off, text + (plan->sites[i].addr - base), plan->sites[i].len);
        off += plan->sites[i].len;
    }
    keep(dst);
    return off;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int prof_patch_bench(const struct vmi_rom *rom, const struct vmi_reloc_table *relocs,
                     uint32_t nsites, unsigned reps)
{
    uint8_t calls[VMI_NUM_CALLS];
    unsigned ncalls = 0;
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++)
        if (vmi_call_table[c].flags & VMI_CALL_F_DEFINED)
            calls[ncalls++] = (uint8_t)c;

    uint32_t text_len = 0;
    for (uint32_t i = 0; i < nsites; i++)
        text_len += vmi_call_table[calls[i % ncalls]].reserve;
    uint8_t *text = malloc(text_len), *native = malloc(text_len), *save = malloc(text_len);
    uint8_t *code = malloc(text_len), *scratch = malloc(text_len);
    struct vmi_site *rec = malloc(nsites * sizeof *rec);
    struct vmi_site_info *info = malloc(nsites * sizeof *info);
    struct vmi_site_plan *plans = malloc(nsites * sizeof *plans);
    if (!text || !native || !save || !code || !scratch || !rec || !info || !plans) {
        printf("error patch-bench: out of memory\n");
        return 1;
    }
    uint32_t off = 0;
    for (uint32_t i = 0; i < nsites; i++) {
        uint8_t c = calls[i % ncalls];
        const struct vmi_call_meta *m = &vmi_call_table[c];
        vmi_render_native(c, m->reserve, native + off);
        rec[i].offset = (int32_t)((uint32_t)(uintptr_t)(text + off) -
                                  (uint32_t)(uintptr_t)&rec[i]);
        rec[i].call = c;
        rec[i].len = m->reserve;
        rec[i].clobbers = m->clobbers;
        rec[i].flags = m->flags & VMI_CALL_F_JUMP ? VMI_SITE_JUMP : 0;
        rec[i].const_value = 0;
        off += m->reserve;
    }

    int bad = 0;
    for (unsigned r = 0; r < reps && !bad; r++) {
        memcpy(text, native, text_len);
        struct vmi_site_table table = { info, 0, nsites };
        struct vmi_plan plan;
        struct vmi_plan_options opt = { VMI_POLICY_AUTO, 0 };
        struct vmi_text t = { text, (uint32_t)(uintptr_t)text, text_len, NULL, NULL };
        struct vmi_save sv = { save, text_len, 0, 0 };
        struct vmi_error err;
        vmi_status st;
        uint64_t t0 = now_ns();
        st = vmi_sites_read(&table, rec, (uint32_t)(uintptr_t)rec, nsites * sizeof *rec, &err);
        uint64_t t1 = now_ns();
        if (st == VMI_OK) {
            vmi_plan_init(&plan, plans, nsites, code, text_len);
            st = vmi_plan_build(&plan, &table, rom, relocs, &opt, &err);
        }
        uint64_t t2 = now_ns();
        if (st == VMI_OK)
            st = vmi_apply(&t, &plan, NULL, &sv, &err);
        uint64_t t3 = now_ns();
        if (st == VMI_OK)
            st = vmi_verify(&t, &plan, &err);
        uint64_t t4 = now_ns();
        if (st == VMI_OK)
            st = vmi_revert(&t, &plan, &sv, &err);
        uint64_t t5 = now_ns();
        uint32_t copied = st == VMI_OK ? copy_sites(scratch, text, t.base, &plan) : 0;
        uint64_t t6 = now_ns();
        memcpy(scratch, text, text_len);
        keep(scratch);
        uint64_t t7 = now_ns();
        if (st == VMI_OK && memcmp(text, native, text_len) != 0) {
            printf("error patch-bench: the text differs from the native text after revert\n");
            bad = 1;
            break;
        }
        if (st != VMI_OK) {
            char line[256];
            vmi_error_format(&err, line, sizeof line);
            printf("error patch-bench: %s\n", line);
            bad = 1;
            break;
        }
        struct vmi_stats *stats = malloc(sizeof *stats);
        if (!stats) {
            bad = 1;
            break;
        }
        vmi_plan_stats(&plan, stats);
        printf("patch sites=%u rep=%u read_ns=%llu plan_ns=%llu apply_ns=%llu verify_ns=%llu "
               "revert_ns=%llu inline=%u call=%u native=%u nop=%u jump=%u copy_sites_ns=%llu "
               "copy_text_ns=%llu bytes=%u\n",
               nsites, r, (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1),
               (unsigned long long)(t3 - t2), (unsigned long long)(t4 - t3),
               (unsigned long long)(t5 - t4), stats->decision[VMI_DECISION_INLINE],
               stats->decision[VMI_DECISION_CALL], stats->decision[VMI_DECISION_NATIVE],
               stats->decision[VMI_DECISION_NOP], stats->decision[VMI_DECISION_JUMP],
               (unsigned long long)(t6 - t5), (unsigned long long)(t7 - t6), copied);
        free(stats);
    }
    free(text); free(native); free(save); free(code); free(scratch); free(rec); free(info); free(plans);
    return bad;
}
