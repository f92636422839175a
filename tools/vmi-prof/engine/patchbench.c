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

#include "aot_err.h"
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

/* The synthetic text and its records, with the buffers one repetition needs. */
struct bench {
    uint32_t nsites, text_len;
    uint8_t *text, *native, *save, *code, *scratch;
    struct vmi_site *rec;
    struct vmi_site_info *info;
    struct vmi_site_plan *plans;
};

/* Every defined call in turn, each at its reserve: the native text and the records of its sites.
 * 0, or -1 when out of memory. */
static int bench_build(struct bench *b, uint32_t nsites)
{
    uint8_t calls[VMI_NUM_CALLS];
    unsigned ncalls = 0;
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++)
        if (vmi_call_table[c].flags & VMI_CALL_F_DEFINED)
            calls[ncalls++] = (uint8_t)c;
    b->nsites = nsites;
    b->text_len = 0;
    for (uint32_t i = 0; i < nsites; i++)
        b->text_len += vmi_call_table[calls[i % ncalls]].reserve;
    b->text = malloc(b->text_len), b->native = malloc(b->text_len), b->save = malloc(b->text_len);
    b->code = malloc(b->text_len), b->scratch = malloc(b->text_len);
    b->rec = malloc(nsites * sizeof *b->rec);
    b->info = malloc(nsites * sizeof *b->info);
    b->plans = malloc(nsites * sizeof *b->plans);
    if (!b->text || !b->native || !b->save || !b->code || !b->scratch || !b->rec || !b->info ||
        !b->plans)
        return -1;
    uint32_t off = 0;
    for (uint32_t i = 0; i < nsites; i++) {
        uint8_t c = calls[i % ncalls];
        const struct vmi_call_meta *m = &vmi_call_table[c];
        struct vmi_site *r = &b->rec[i];
        vmi_render_native(c, m->reserve, b->native + off);
        r->offset = (int32_t)((uint32_t)(uintptr_t)(b->text + off) - (uint32_t)(uintptr_t)r);
        r->call = c;
        r->len = m->reserve;
        r->clobbers = m->clobbers;
        r->flags = m->flags & VMI_CALL_F_JUMP ? VMI_SITE_JUMP : 0;
        r->const_value = 0;
        off += m->reserve;
    }
    return 0;
}

static void bench_free(struct bench *b)
{
    void *p[] = { b->text, b->native, b->save, b->code, b->scratch, b->rec, b->info, b->plans };
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
        free(p[k]);
}

/* One repetition's clock readings: before read, plan, apply, verify, revert, the site copy, the
 * text copy, and after. */
struct rep_times {
    uint64_t t[8];
    uint32_t copied;
};

/* One repetition: read, plan, apply with a save area, verify, revert, the two reference copies.
 * 0, or -1 and err. */
static int bench_rep(struct bench *b, const struct vmi_rom *rom,
                     const struct vmi_reloc_table *relocs, struct vmi_plan *plan,
                     struct rep_times *rt, struct aot_err *err)
{
    memcpy(b->text, b->native, b->text_len);
    struct vmi_site_table table = { b->info, 0, b->nsites };
    struct vmi_plan_options opt = { VMI_POLICY_AUTO, 0 };
    struct vmi_text t = { b->text, (uint32_t)(uintptr_t)b->text, b->text_len, NULL, NULL };
    struct vmi_save sv = { b->save, b->text_len, 0, 0 };
    struct vmi_error ve;
    vmi_status st;
    uint64_t *tm = rt->t;
    tm[0] = now_ns();
    st = vmi_sites_read(&table, b->rec, (uint32_t)(uintptr_t)b->rec, b->nsites * sizeof *b->rec,
                        &ve);
    tm[1] = now_ns();
    if (st == VMI_OK) {
        vmi_plan_init(plan, b->plans, b->nsites, b->code, b->text_len);
        st = vmi_plan_build(plan, &table, rom, relocs, &opt, &ve);
    }
    tm[2] = now_ns();
    if (st == VMI_OK)
        st = vmi_apply(&t, plan, NULL, &sv, &ve);
    tm[3] = now_ns();
    if (st == VMI_OK)
        st = vmi_verify(&t, plan, &ve);
    tm[4] = now_ns();
    if (st == VMI_OK)
        st = vmi_revert(&t, plan, &sv, &ve);
    tm[5] = now_ns();
    rt->copied = st == VMI_OK ? copy_sites(b->scratch, b->text, t.base, plan) : 0;
    tm[6] = now_ns();
    memcpy(b->scratch, b->text, b->text_len);
    keep(b->scratch);
    tm[7] = now_ns();
    if (st != VMI_OK)
        return aot_fail_vmi(err, &ve, "patch-bench");
    if (memcmp(b->text, b->native, b->text_len) != 0)
        return aot_fail(err, "patch-bench: the text differs from the native text after revert");
    return 0;
}

static void print_rep(const struct bench *b, unsigned r, const struct rep_times *rt,
                      const struct vmi_stats *stats)
{
    const uint64_t *t = rt->t;
    printf("patch sites=%u rep=%u read_ns=%llu plan_ns=%llu apply_ns=%llu verify_ns=%llu "
           "revert_ns=%llu inline=%u call=%u native=%u nop=%u jump=%u copy_sites_ns=%llu "
           "copy_text_ns=%llu bytes=%u\n",
           b->nsites, r, (unsigned long long)(t[1] - t[0]), (unsigned long long)(t[2] - t[1]),
           (unsigned long long)(t[3] - t[2]), (unsigned long long)(t[4] - t[3]),
           (unsigned long long)(t[5] - t[4]), stats->decision[VMI_DECISION_INLINE],
           stats->decision[VMI_DECISION_CALL], stats->decision[VMI_DECISION_NATIVE],
           stats->decision[VMI_DECISION_NOP], stats->decision[VMI_DECISION_JUMP],
           (unsigned long long)(t[6] - t[5]), (unsigned long long)(t[7] - t[6]), rt->copied);
}

/* The phases: the synthetic text built, then per repetition: run, stats, report.  An error is
 * an "error ..." line (the front end reads it). */
int prof_patch_bench(const struct vmi_rom *rom, const struct vmi_reloc_table *relocs,
                     uint32_t nsites, unsigned reps)
{
    struct bench b = { 0 };
    struct aot_err err;
    int bad = 0;
    if (bench_build(&b, nsites) != 0) {
        printf("error patch-bench: out of memory\n");
        bench_free(&b);
        return 1;
    }
    for (unsigned r = 0; r < reps && !bad; r++) {
        struct vmi_plan plan;
        struct rep_times rt;
        if (bench_rep(&b, rom, relocs, &plan, &rt, &err) != 0) {
            printf("error %s\n", err.msg);
            bad = 1;
            break;
        }
        struct vmi_stats *stats = malloc(sizeof *stats);
        if (!stats) {
            bad = 1;
            break;
        }
        vmi_plan_stats(&plan, stats);
        print_rep(&b, r, &rt, stats);
        free(stats);
    }
    bench_free(&b);
    return bad;
}
/* SPDX-License-Identifier: GPL-2.0-only */
