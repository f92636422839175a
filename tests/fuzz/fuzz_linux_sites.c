/* libFuzzer target: the inliner's Linux pv-site reader (vmi_linux_sites_read) on arbitrary
 * records, then the planner, apply, verify and revert on sites that keep their original bytes.
 *
 * Input: 1 byte, the kernel configuration (VMI_LINUX_CFG_* in the low 4 bits); 4 bytes
 * little-endian, the text's base; 2 bytes, its size (at most MAX_TEXT); then the records (8 bytes
 * each, struct paravirt_patch_site).  The text's bytes are a pattern of the input.  Seeds: the
 * .parainstructions of the synthetic Linux kernels (tests/fuzz/mkseeds_linux.sh).  When the
 * table reads, its promises are checked, the original bytes captured, the native plan built
 * (it must be the original bytes exactly), applied over the text, verified, reverted (the text
 * must come back byte for byte) and reported.  An error status is fine; a crash, a sanitizer
 * report or a broken promise (abort) is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmi_inliner.h"
#include "vmi_linux_ops.h"
#include "vmi_linux_sites.h"

#define MAX_SITES 4096u
#define MAX_TEXT  0x8000u

static void sink_line(void *ctx, const char *line, uint32_t len)
{
    (void)line;
    *(uint32_t *)ctx += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vmi_site_info info[MAX_SITES];
    static struct vmi_site_plan sp[MAX_SITES];
    static struct vmi_linux_type tt[VMI_LINUX_NUM_OPS];
    static uint8_t code[MAX_SITES * 256], orig[MAX_SITES * 256], save_bytes[MAX_SITES * 256];
    static uint8_t text[MAX_TEXT], before[MAX_TEXT];
    static struct vmi_stats st;
    struct vmi_site_table table = { info, 0, MAX_SITES };
    struct vmi_linux_types types;
    struct vmi_error err;
    struct vmi_plan plan;
    char line[256];

    if (size < 7 || size - 7 > MAX_SITES * VMI_LINUX_SITE_SIZE)
        return 0;
    unsigned config = data[0] & 0xf;
    uint32_t base = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16
                  | (uint32_t)data[4] << 24;
    uint32_t tsize = (uint32_t)data[5] | (uint32_t)data[6] << 8;
    if (tsize > MAX_TEXT)
        tsize = MAX_TEXT;
    if ((uint64_t)base + tsize > 0x100000000ull)
        return 0;
    if (vmi_linux_types_for(tt, VMI_LINUX_NUM_OPS, config, &types, &err) != VMI_OK)
        abort();    /* every configuration of the profile has a type table */
    size_t n = size - 7;
    uint8_t *rec = malloc(n ? n : 1);   /* exact size: ASan sees a read past the records */
    if (!rec)
        return 0;
    memcpy(rec, data + 7, n);
    struct vmi_text_range range = { base, tsize };
    if (vmi_linux_sites_read(&table, rec, (uint32_t)n, &types, &range, 1, &err) != VMI_OK) {
        vmi_error_format(&err, line, sizeof line);
        free(rec);
        return 0;
    }
    /* the reader's promises */
    for (uint32_t i = 0; i < table.count; i++) {
        const struct vmi_site_info *s = &info[i];
        if (s->addr < base || s->addr - base > tsize || s->len > tsize - (s->addr - base)
            || s->len == 0 || !(s->flags & VMI_SITE_ORIGINAL)
            || (s->use == VMI_USE_LINUX_PATCH && s->len < 5)
            || s->use < VMI_USE_LINUX_PATCH || s->use >= VMI_USE_COUNT
            || (s->call != VMI_NO_CALL && (s->call >= VMI_NUM_CALLS
                                           || !(vmi_call_table[s->call].flags & VMI_CALL_F_DEFINED))))
            abort();
        if (i && s->addr - info[i - 1].addr < info[i - 1].len)
            abort();
    }
    for (uint32_t k = 0; k < tsize; k++)
        text[k] = data[k % size] ^ (uint8_t)k;
    memcpy(before, text, tsize);
    struct vmi_text tx = { text, base, tsize, NULL, NULL };
    uint32_t olen = 0;
    if (vmi_sites_capture(&table, &tx, orig, sizeof orig, &olen, &err) != VMI_OK)
        abort();
    vmi_plan_init(&plan, sp, MAX_SITES, code, sizeof code);
    vmi_plan_set_original(&plan, orig, olen);
    if (vmi_plan_build(&plan, &table, NULL, NULL, NULL, &err) != VMI_OK)
        abort();    /* a table that read must give a native plan */
    if (plan.code_len != olen || memcmp(plan.code, orig, olen) != 0)
        abort();    /* and that plan is the original bytes */
    struct vmi_save save = { save_bytes, sizeof save_bytes, 0, 0 };
    if (vmi_verify(&tx, &plan, &err) != VMI_OK || vmi_apply(&tx, &plan, NULL, &save, &err) != VMI_OK
        || vmi_revert(&tx, &plan, &save, &err) != VMI_OK || memcmp(text, before, tsize) != 0)
        abort();
    uint32_t total = 0;
    for (uint32_t i = 0; i < plan.count; i++)
        vmi_report_site(&sp[i], line, sizeof line);
    vmi_plan_stats(&plan, &st);
    vmi_report(&plan, &st, 1, sink_line, &total);
    free(rec);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
