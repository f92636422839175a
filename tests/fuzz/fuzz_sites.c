/* libFuzzer target: the inliner's site-table reader (vmi_sites_read) on arbitrary records.
 *
 * Input: 4 bytes little-endian, the linear address of the records, then the records (12 bytes
 * each, struct vmi_site).  Seeds: the vmi_sites sections of the glue test programs and the aot
 * test images, each prefixed with its address (tests/fuzz/mkseeds.sh).  When the table reads,
 * the native plan is built, laid into a text that spans the sites (when it is small), verified,
 * applied over itself, reverted, and reported line by line.  An error status is fine; a crash,
 * a sanitizer report or an inconsistency (abort) is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmi_inliner.h"

#define MAX_SITES 4096u
#define MAX_TEXT  0x10000u

static void sink_line(void *ctx, const char *line, uint32_t len)
{
    (void)line;
    *(uint32_t *)ctx += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vmi_site_info info[MAX_SITES];
    static struct vmi_site_plan sp[MAX_SITES];
    static uint8_t code[MAX_SITES * 256], save_bytes[MAX_SITES * 256];
    static uint8_t text[MAX_TEXT];
    static struct vmi_stats st;
    struct vmi_site_table table = { info, 0, MAX_SITES };
    struct vmi_error err;
    struct vmi_plan plan;
    char line[256];

    if (size < 4 || size - 4 > MAX_SITES * 12)
        return 0;
    uint32_t addr = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16
                  | (uint32_t)data[3] << 24;
    /* the records in a buffer of their exact size, so ASan sees any read past them */
    size_t n = size - 4;
    uint8_t *rec = malloc(n ? n : 1);
    if (!rec)
        return 0;
    memcpy(rec, data + 4, n);
    if (vmi_sites_read(&table, rec, addr, (uint32_t)n, &err) != VMI_OK) {
        vmi_error_format(&err, line, sizeof line);
        free(rec);
        return 0;
    }
    /* the reader's promises: sorted, no overlap, every call defined, len >= native */
    for (uint32_t i = 0; i < table.count; i++) {
        const struct vmi_site_info *s = &info[i];
        if (s->call >= VMI_NUM_CALLS || !(vmi_call_table[s->call].flags & VMI_CALL_F_DEFINED)
            || s->len < vmi_call_table[s->call].native_len || s->len == 0)
            abort();
        if (i && (s->addr - info[i - 1].addr < info[i - 1].len))
            abort();
    }
    vmi_plan_init(&plan, sp, MAX_SITES, code, sizeof code);
    if (vmi_plan_build(&plan, &table, NULL, NULL, NULL, &err) != VMI_OK)
        abort();    /* a table that read must give a native plan */
    uint32_t total = 0;
    for (uint32_t i = 0; i < plan.count; i++)
        vmi_report_site(&sp[i], line, sizeof line);
    vmi_plan_stats(&plan, &st);
    vmi_report(&plan, &st, 1, sink_line, &total);

    if (table.count) {
        uint32_t lo = info[0].addr, hi = info[table.count - 1].addr + info[table.count - 1].len;
        if (hi > lo && hi - lo <= MAX_TEXT) {
            struct vmi_text tx = { text, lo, hi - lo, NULL, NULL };
            memset(text, 0xcc, hi - lo);
            for (uint32_t i = 0; i < table.count; i++)
                if (vmi_render_native(info[i].call, info[i].len, text + (info[i].addr - lo))
                    == VMI_NO_SITE)
                    abort();
            struct vmi_save save = { save_bytes, sizeof save_bytes, 0, 0 };
            if (vmi_verify(&tx, &plan, &err) != VMI_OK
                || vmi_apply(&tx, &plan, NULL, &save, &err) != VMI_OK
                || vmi_revert(&tx, &plan, &save, &err) != VMI_OK)
                abort();
        }
    }
    free(rec);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
