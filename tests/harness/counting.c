/* The counting plan in the harness (docs/specializer.md): the text patched with the auto plan made
 * to count, a probe whose executions are known exactly, every workload still right under counting,
 * a profile written out, and the text byte-identical after the revert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "vmi_glue.h"
#include "vmi_inliner.h"
#include "harness.h"

#define PROBE_RUNS 1000u

/* The probe: the only code that runs while the probe's counters are checked. */
__attribute__((noinline)) static uint32_t count_probe(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum += vmi_GetCR0();
    return sum;
}

static uint32_t counted(const struct vmi_plan *plan, const uint32_t *counters, uint8_t call)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < plan->count; i++)
        if (plan->sites[i].call == call)
            total += counters[i];
    return total;
}

static void write_profile(const char *path, const struct vmi_plan *plan, const uint32_t *counters)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "# vmi-profile 1: one line per site, in site-table order\n");
    for (uint32_t i = 0; i < plan->count; i++)
        fprintf(f, "site addr=0x%08x call=%s count=%u\n", plan->sites[i].addr,
                vmi_call_name(plan->sites[i].call), counters[i]);
    CHECK(fclose(f) == 0 && rename(tmp, path) == 0);
}

void run_counting(struct vmi_text *text, const struct vmi_site_table *sites,
                  const struct vmi_rom *rom, const struct vmi_reloc_table *rel,
                  struct vmi_save *save, const uint8_t *original, const char *profile)
{
    struct vmi_plan base, counting;
    struct vmi_plan_options opt = { VMI_POLICY_AUTO, 0 };
    struct vmi_error err;
    struct vmi_plan_size need;
    vmi_plan_size_for(sites, &need);
    uint32_t total = need.code, thunks_cap = need.thunks;
    uint8_t *thunks = mmap(NULL, thunks_cap, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t *counters = calloc(sites->count, sizeof *counters);
    struct vmi_site_plan *bs = calloc(sites->count, sizeof *bs);
    struct vmi_site_plan *cs = calloc(sites->count, sizeof *cs);
    uint8_t *bc = malloc(total), *cc = malloc(total);
    if (thunks == MAP_FAILED || !counters || !bs || !cs || !bc || !cc) {
        CHECK(!"counting: out of memory");
        return;
    }
    struct vmi_count_area area = { thunks, (uint32_t)(uintptr_t)thunks, thunks_cap, 0,
                                   (uint32_t)(uintptr_t)counters };
    vmi_plan_init(&base, bs, sites->count, bc, total);
    vmi_plan_init(&counting, cs, sites->count, cc, total);
    CHECK_EQ(vmi_plan_build(&base, sites, rom, rel, &opt, &err), VMI_OK);
    CHECK_EQ(vmi_plan_count(&counting, &base, rom, &area, &err), VMI_OK);

    CHECK_EQ(text_writable(1), 0);
    CHECK_EQ(vmi_apply(text, &counting, NULL, save, &err), VMI_OK);
    CHECK_EQ(text_writable(0), 0);

    /* the probe: exactly PROBE_RUNS executions of GetCR0's sites, nothing else counted */
    monitor_reset();
    model_reset();
    pv->cr0 = 0x80050033u;
    CHECK_EQ(count_probe(PROBE_RUNS), PROBE_RUNS * 0x80050033u);
    CHECK_EQ(counted(&counting, counters, VMI_CALL_GetCR0), PROBE_RUNS);
    uint32_t all = 0;
    for (uint32_t i = 0; i < counting.count; i++)
        all += counters[i];
    CHECK_EQ(all, PROBE_RUNS);

    /* every workload behaves as under the auto plan */
    unsigned ran = run_workloads(&counting, "counting");
    CHECK(ran >= 1);
    all = 0;
    for (uint32_t i = 0; i < counting.count; i++)
        all += counters[i];
    printf("counting: %u workloads ran, %u site executions counted, thunks %u bytes\n", ran, all,
           area.thunks_len);
    if (profile)
        write_profile(profile, &counting, counters);

    CHECK_EQ(text_writable(1), 0);
    CHECK_EQ(vmi_revert(text, &counting, save, &err), VMI_OK);
    CHECK_EQ(text_writable(0), 0);
    CHECK(memcmp(text->bytes, original, text->size) == 0);
    munmap(thunks, thunks_cap);
    free(counters);
    free(bs);
    free(cs);
    free(bc);
    free(cc);
}
/* SPDX-License-Identifier: GPL-2.0-only */
