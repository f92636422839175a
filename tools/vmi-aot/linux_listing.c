/* `vmi-aot sites` on a Linux kernel: one line (or JSON object) per .parainstructions record, in
 * address order, and the counts per op.  See linux_listing.h. */
#include "linux_listing.h"

#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "site_info.h"
#include "vmi_inliner.h"

struct op_count {
    unsigned type;
    uint32_t sites;
};

static int by_count(const void *a, const void *b)
{
    const struct op_count *x = a, *y = b;
    if (x->sites != y->sites)
        return x->sites > y->sites ? -1 : 1;
    return x->type < y->type ? -1 : x->type > y->type;
}

/* The ops that have sites, most sites first; *n of them.  NULL on out of memory. */
static struct op_count *count_ops(const struct aot_image *img, size_t *n)
{
    const struct aot_linux *lx = img->lx;
    struct op_count *c = calloc(256, sizeof *c);
    if (!c)
        return NULL;
    for (unsigned t = 0; t < 256; t++)
        c[t].type = t;
    for (uint32_t i = 0; i < lx->nrec; i++)
        c[lx->rec_type[i]].sites++;
    qsort(c, 256, sizeof *c, by_count);
    for (*n = 0; *n < 256 && c[*n].sites; (*n)++)
        ;
    return c;
}

static const char *call_name(uint8_t call)
{
    return call == VMI_NO_CALL ? "-" : vmi_call_name(call);
}

static unsigned site_type(const struct aot_image *img, const struct aot_site *s)
{
    return img->lx->rec_type[s->rec_index];
}

int aot_linux_print_text(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo)
{
    const struct aot_linux *lx = img->lx;
    char clob[48], loc[4200], cfg[96];
    size_t whole, with_line = 0, nops = 0;
    struct op_count *ops = count_ops(img, &nops);
    if (!ops)
        return -1;
    fprintf(f, "# %s: Linux pv sites, %u " AOT_LINUX_SECTION " records, a %s kernel, op names "
            "from the %s\n", img->path, lx->nrec, aot_linux_config_name(lx->config, cfg, sizeof cfg),
            strcmp(lx->op_source, "dwarf") == 0 ? "kernel's DWARF (agreeing with the spec)"
                                               : "spec (no DWARF)");
    fprintf(f, "# %-10s %-32s %4s %-18s %-6s %3s %-18s %-24s %-30s %s\n", "addr", "op", "type",
            "call", "use", "len", "clobbers", "func", "file:line", "instructions");
    for (size_t i = 0; i < img->nsites; i++) {
        const struct aot_site *s = &img->sites[i];
        struct aot_site_info si;
        aot_site_info(img, dw, s, &si);
        const char *asmtext = aot_disasm_memo_text(memo, dis, aot_site_bytes(img, s), s->len,
                                                   s->addr, &whole);
        if (si.line) {
            with_line++;
            snprintf(loc, sizeof loc, "%s:%u", si.file, si.line);
        } else {
            snprintf(loc, sizeof loc, "?");
        }
        unsigned t = site_type(img, s);
        fprintf(f, "0x%08x   %-32s %4u %-18s %-6s %3u %-18s %-24s %-30s %s\n", s->addr,
                aot_linux_op_name(lx, t), t, call_name(s->call),
                aot_linux_use_name(lx->type[t].use), s->len,
                aot_clobber_names(s->clobbers, clob, sizeof clob), si.func, loc, asmtext);
    }
    fprintf(f, "# %zu sites, %zu with file:line, %zu ops\n", img->nsites, with_line, nops);
    fprintf(f, "# %-32s %4s %-18s %-6s %s\n", "op", "type", "call", "use", "sites");
    for (size_t k = 0; k < nops; k++) {
        unsigned t = ops[k].type;
        fprintf(f, "# %-32s %4u %-18s %-6s %u\n", aot_linux_op_name(lx, t), t,
                call_name(lx->type[t].call), aot_linux_use_name(lx->type[t].use), ops[k].sites);
    }
    free(ops);
    return 0;
}

/* A call's name, or null for an op no VMI call serves. */
static json_t *call_json(uint8_t call)
{
    return call == VMI_NO_CALL ? json_null() : json_string(vmi_call_name(call));
}

/* The ops with sites, most sites first. */
static json_t *ops_json(const struct aot_linux *lx, const struct op_count *ops, size_t nops)
{
    json_t *a = json_array();
    int bad = 0;
    for (size_t k = 0; k < nops; k++) {
        unsigned t = ops[k].type;
        bad |= aot_json_push(a, json_pack("{s:o, s:i, s:o, s:s, s:i}",
                                          "op", aot_json_string(aot_linux_op_name(lx, t)),
                                          "type", (int)t, "call", call_json(lx->type[t].call),
                                          "use", aot_linux_use_name(lx->type[t].use),
                                          "sites", (int)ops[k].sites));
    }
    if (bad)
        json_decref(a);
    return bad ? NULL : a;
}

json_t *aot_linux_site_json(const struct aot_image *img, const struct aot_dwarf *dw,
                            const struct aot_disasm *dis, struct aot_disasm_memo *memo,
                            const struct aot_site *s)
{
    const struct aot_linux *lx = img->lx;
    char clob[48];
    size_t whole;
    struct aot_site_info si;
    unsigned t = site_type(img, s);
    aot_site_info(img, dw, s, &si);
    const char *asmtext = aot_disasm_memo_text(memo, dis, aot_site_bytes(img, s), s->len,
                                               s->addr, &whole);
    json_t *o = json_pack("{s:o, s:o, s:i, s:o, s:o, s:s, s:i, s:s, s:o, s:o, s:i}",
                          "addr", aot_json_addr(s->addr),
                          "op", aot_json_string(aot_linux_op_name(lx, t)), "type", (int)t,
                          "call", call_json(s->call),
                          "call_nr", s->call == VMI_NO_CALL ? json_null() : json_integer(s->call),
                          "use", aot_linux_use_name(lx->type[t].use), "len", (int)s->len,
                          "clobbers", aot_clobber_names(s->clobbers, clob, sizeof clob),
                          "clobber_mask", aot_json_hex(s->clobbers),
                          "linux_clobbers", aot_json_hex(lx->rec_clobbers[s->rec_index]),
                          "record", (int)s->rec_index);
    int bad = aot_json_set_location(o, si.func, si.file, si.line);
    bad |= aot_json_set(o, "bytes", aot_json_bytes(aot_site_bytes(img, s), s->len));
    bad |= aot_json_set(o, "asm", aot_json_string(asmtext));
    if (bad)
        json_decref(o);
    return bad ? NULL : o;
}

int aot_linux_sites_head(json_t *doc, const struct aot_image *img)
{
    const struct aot_linux *lx = img->lx;
    char cfg[96];
    size_t nops = 0;
    struct op_count *ops = count_ops(img, &nops);
    if (!ops)
        return -1;
    int bad = aot_json_set(doc, "image", aot_json_string(img->path));
    bad |= aot_json_set(doc, "kind", json_string("linux"));
    bad |= aot_json_set(doc, "table", json_string(AOT_LINUX_SECTION));
    bad |= aot_json_set(doc, "records", json_integer(lx->nrec));
    bad |= aot_json_set(doc, "config", json_pack("{s:o, s:o}", "bits", aot_json_hex(lx->config),
                        "name", aot_json_string(aot_linux_config_name(lx->config, cfg, sizeof cfg))));
    bad |= aot_json_set(doc, "template_words", json_integer(lx->types.count));
    bad |= aot_json_set(doc, "op_names", json_string(lx->op_source));
    bad |= aot_json_set(doc, "ops", ops_json(lx, ops, nops));
    free(ops);
    return bad ? -1 : 0;
}

int aot_linux_print_json(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo)
{
    json_t *doc = aot_json_doc(AOT_SITES_TOOL, AOT_LINUX_SITES_SCHEMA);
    if (aot_linux_sites_head(doc, img) != 0) {
        json_decref(doc);
        return -1;
    }
    struct aot_json_stream js;
    aot_json_stream_begin(&js, f, doc, "sites");
    for (size_t i = 0; i < img->nsites && !js.bad; i++)
        aot_json_stream_item(&js, aot_linux_site_json(img, dw, dis, memo, &img->sites[i]));
    return aot_json_stream_end(&js);
}

/* A Linux kernel's report: per op with sites (template order), what the plan did with them, and
 * how many sites Linux's own vmi_patch would rewrite were left as they are. */
json_t *aot_linux_report_json(const struct aot_image *img, const struct vmi_plan *plan)
{
    const struct aot_linux *lx = img->lx;
    uint32_t (*per)[VMI_DECISION_COUNT] = calloc(256, sizeof *per);
    uint32_t patch_native = 0, patch_sites = 0;
    if (!per)
        return NULL;
    for (uint32_t i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        per[lx->rec_type[sp->index]][sp->decision < VMI_DECISION_COUNT ? sp->decision : 0]++;
        if (sp->use == VMI_USE_LINUX_PATCH) {
            patch_sites++;
            patch_native += sp->decision == VMI_DECISION_NATIVE;
        }
    }
    json_t *ops = json_array();
    int bad = 0;
    for (unsigned t = 0; t < 256 && !bad; t++) {
        uint32_t sum = 0;
        for (unsigned d = 0; d < VMI_DECISION_COUNT; d++)
            sum += per[t][d];
        if (!sum)
            continue;
        json_t *o = json_pack("{s:o, s:i, s:s, s:i}", "op",
                              aot_json_string(aot_linux_op_name(lx, t)), "type", (int)t, "use",
                              aot_linux_use_name(lx->type[t].use), "sites", (int)sum);
        for (unsigned d = 0; d < VMI_DECISION_COUNT; d++)
            bad |= aot_json_set(o, vmi_decision_name(d), json_integer(per[t][d]));
        bad |= aot_json_push(ops, o);
    }
    free(per);
    json_t *r = json_pack("{s:i, s:i, s:o}", "patch_sites", (int)patch_sites,
                          "patch_sites_native", (int)patch_native, "ops", ops);
    if (bad)
        json_decref(r);
    return bad ? NULL : r;
}
/* SPDX-License-Identifier: GPL-2.0-only */
