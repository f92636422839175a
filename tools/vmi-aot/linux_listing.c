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

int aot_linux_print_json(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo)
{
    const struct aot_linux *lx = img->lx;
    char clob[48], hex[3 * 256], cfg[96];
    size_t whole, nops = 0;
    struct op_count *ops = count_ops(img, &nops);
    if (!ops)
        return -1;
    fputs("{\"image\":", f);
    aot_json_str(f, img->path);
    fprintf(f, ",\"kind\":\"linux\",\"table\":\"" AOT_LINUX_SECTION "\",\"records\":%u,"
            "\"config\":{\"bits\":\"0x%02x\",\"name\":", lx->nrec, lx->config);
    aot_json_str(f, aot_linux_config_name(lx->config, cfg, sizeof cfg));
    fprintf(f, "},\"template_words\":%u,\"op_names\":\"%s\",\n \"ops\":[", lx->types.count,
            lx->op_source);
    for (size_t k = 0; k < nops; k++) {
        unsigned t = ops[k].type;
        fprintf(f, "%s\n  {\"op\":", k ? "," : "");
        aot_json_str(f, aot_linux_op_name(lx, t));
        fprintf(f, ",\"type\":%u,\"call\":", t);
        if (lx->type[t].call == VMI_NO_CALL)
            fputs("null", f);
        else
            aot_json_str(f, vmi_call_name(lx->type[t].call));
        fprintf(f, ",\"use\":\"%s\",\"sites\":%u}", aot_linux_use_name(lx->type[t].use),
                ops[k].sites);
    }
    fputs("],\n \"sites\":[", f);
    for (size_t i = 0; i < img->nsites; i++) {
        const struct aot_site *s = &img->sites[i];
        struct aot_site_info si;
        unsigned t = site_type(img, s);
        aot_site_info(img, dw, s, &si);
        fprintf(f, "%s\n  {\"addr\":\"0x%08x\",\"op\":", i ? "," : "", s->addr);
        aot_json_str(f, aot_linux_op_name(lx, t));
        fprintf(f, ",\"type\":%u,\"call\":", t);
        if (s->call == VMI_NO_CALL)
            fputs("null,\"call_nr\":null", f);
        else {
            aot_json_str(f, vmi_call_name(s->call));
            fprintf(f, ",\"call_nr\":%u", s->call);
        }
        fprintf(f, ",\"use\":\"%s\",\"len\":%u,\"clobbers\":\"%s\",\"clobber_mask\":\"0x%02x\","
                "\"linux_clobbers\":\"0x%x\",\"record\":%u,\"func\":",
                aot_linux_use_name(lx->type[t].use), s->len,
                aot_clobber_names(s->clobbers, clob, sizeof clob), s->clobbers,
                lx->rec_clobbers[s->rec_index], s->rec_index);
        aot_json_str(f, si.func);
        fputs(",\"file\":", f);
        aot_json_str(f, si.file);
        aot_hex_bytes(aot_site_bytes(img, s), s->len, hex);
        const char *asmtext = aot_disasm_memo_text(memo, dis, aot_site_bytes(img, s), s->len,
                                                   s->addr, &whole);
        fprintf(f, ",\"line\":%u,\"bytes\":\"%s\",\"asm\":", si.line, hex);
        aot_json_str(f, asmtext);
        fputs("}", f);
    }
    fputs(img->nsites ? "\n]}\n" : "]}\n", f);
    free(ops);
    return 0;
}

/* A Linux kernel's report: per op with sites (template order), what the plan did with them, and
 * how many sites Linux's own vmi_patch would rewrite were left as they are. */
int aot_linux_report_ops(FILE *f, const struct aot_image *img, const struct vmi_plan *plan)
{
    const struct aot_linux *lx = img->lx;
    uint32_t (*per)[VMI_DECISION_COUNT] = calloc(256, sizeof *per);
    uint32_t patch_native = 0, patch_sites = 0;
    if (!per)
        return -1;
    for (uint32_t i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        per[lx->rec_type[sp->index]][sp->decision < VMI_DECISION_COUNT ? sp->decision : 0]++;
        if (sp->use == VMI_USE_LINUX_PATCH) {
            patch_sites++;
            patch_native += sp->decision == VMI_DECISION_NATIVE;
        }
    }
    fprintf(f, " \"linux\":{\"patch_sites\":%u,\"patch_sites_native\":%u,\"ops\":[",
            patch_sites, patch_native);
    for (unsigned t = 0, n = 0; t < 256; t++) {
        uint32_t sum = 0;
        for (unsigned d = 0; d < VMI_DECISION_COUNT; d++)
            sum += per[t][d];
        if (!sum)
            continue;
        fprintf(f, "%s\n  {\"op\":", n++ ? "," : "");
        aot_json_str(f, aot_linux_op_name(lx, t));
        fprintf(f, ",\"type\":%u,\"use\":\"%s\",\"sites\":%u", t,
                aot_linux_use_name(lx->type[t].use), sum);
        for (unsigned d = 0; d < VMI_DECISION_COUNT; d++)
            fprintf(f, ",\"%s\":%u", vmi_decision_name(d), per[t][d]);
        fputs("}", f);
    }
    fputs("]},\n", f);
    free(per);
    return 0;
}
