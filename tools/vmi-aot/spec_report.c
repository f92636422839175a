/* specialize's report and summaries (spec_report.h). */
#include <stdlib.h>
#include <string.h>

#include "dwarf_lines.h"
#include "json_out.h"
#include "linux_image.h"
#include "linux_listing.h"
#include "site_info.h"
#include "spec_report.h"

/* ---- the JSON report ---- */

/* "totals": vmi_plan_stats, which the core also reports, so the numbers are the kernel's. */
static json_t *totals_json(const struct vmi_stats *st)
{
    json_t *reasons = json_object();
    int bad = 0;
    for (unsigned r = 0; r < VMI_REASON_COUNT; r++)
        if (st->reason[r])
            bad |= aot_json_set(reasons, vmi_reason_name(r), json_integer(st->reason[r]));
    json_t *t = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, "
                          "s:i, s:o}",
                          "sites", (int)st->sites, "inline", (int)st->decision[VMI_DECISION_INLINE],
                          "call", (int)st->decision[VMI_DECISION_CALL],
                          "jump", (int)st->decision[VMI_DECISION_JUMP],
                          "nop", (int)st->decision[VMI_DECISION_NOP],
                          "native", (int)st->decision[VMI_DECISION_NATIVE],
                          "variant", (int)st->reason[VMI_REASON_INLINE_VARIANT],
                          "bytes", (int)st->bytes_total, "bytes_inlined", (int)st->bytes_inlined,
                          "bytes_native", (int)st->bytes_native,
                          "bytes_branch", (int)st->bytes_branch, "bytes_nop", (int)st->bytes_nop,
                          "nop_count", (int)st->nop_count, "relocs", (int)st->relocs,
                          "reasons", reasons);
    if (bad && t) {
        json_decref(t);
        t = NULL;
    }
    return t;
}

/* Every member before "sites". */
static json_t *report_head(const struct aot_spec_view *v)
{
    struct vmi_stats *st = malloc(sizeof *st);      /* some 2 KB: the per-call tables */
    if (!st)
        return NULL;
    vmi_plan_stats(v->plan, st);
    json_t *doc = aot_json_doc(AOT_SPEC_TOOL, AOT_SPEC_SCHEMA);
    int bad = aot_json_set(doc, "image", aot_json_string(v->kernel));
    bad |= aot_json_set(doc, "kind", json_string(v->img->lx ? "linux" : "vmi"));
    bad |= aot_json_set(doc, "rom", aot_json_string(v->rom_path));
    bad |= aot_json_set(doc, "rom_size", json_integer(v->rom->size));
    bad |= aot_json_set(doc, "rom_hash", aot_json_hash(v->rom->hash));
    bad |= aot_json_set(doc, "rom_base", aot_json_addr(v->id->rom_base));
    bad |= aot_json_set(doc, "policy", json_string(vmi_policy_name(v->id->policy)));
    bad |= aot_json_set(doc, "identity", aot_json_bool(v->identity));
    bad |= aot_json_set(doc, "sites_hash", aot_json_hash(v->id->sites_hash));
    bad |= aot_json_set(doc, "dry_run", aot_json_bool(v->dry_run));
    bad |= aot_json_set(doc, "totals", totals_json(st));
    if (v->img->lx)
        bad |= aot_json_set(doc, "linux", aot_linux_report_json(v->img, v->plan));
    if (v->pr)
        bad |= aot_json_set(doc, "profile", aot_profile_report_json(v->pr, v->prof, v->plan));
    free(st);
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* One element of "sites". */
static json_t *site_json(const struct aot_spec_view *v, const struct aot_dwarf *dw, uint32_t i)
{
    const struct vmi_site_plan *sp = &v->plan->sites[i];
    const struct aot_site *s = &v->img->sites[i];
    struct aot_site_info si;
    aot_site_info(v->img, dw, s, &si);
    json_t *o = json_pack("{s:o, s:s, s:i, s:i, s:s, s:s, s:s, s:o, s:o}",
                          "addr", aot_json_addr(sp->addr), "call", vmi_call_name(sp->call),
                          "len", (int)sp->len, "record", (int)sp->index,
                          "decision", vmi_decision_name(sp->decision),
                          "reason", vmi_reason_name(sp->reason),
                          "noinline", vmi_noinline_name(sp->noinline),
                          "variant", sp->reason == VMI_REASON_INLINE_VARIANT
                              ? aot_json_hex(s->const_value) : json_null(),
                          "target", sp->target ? aot_json_addr(sp->target) : json_null());
    int bad = aot_json_set_location(o, si.func, si.file, si.line);
    if (v->img->lx) {
        unsigned t = v->img->lx->rec_type[s->rec_index];
        bad |= aot_json_set(o, "op", aot_json_string(aot_linux_op_name(v->img->lx, t)));
        bad |= aot_json_set(o, "type", json_integer(t));
        bad |= aot_json_set(o, "use", json_string(aot_linux_use_name(v->img->lx->type[t].use)));
    }
    bad |= aot_json_set(o, "bytes", aot_json_bytes(v->plan->code + sp->code_offs, sp->len));
    if (bad && o) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

int aot_spec_report(FILE *f, const struct aot_spec_view *v, struct aot_err *err)
{
    struct aot_dwarf *dw = NULL;
    if (aot_dwarf_open(&dw, v->img, err) != 0)
        return -1;
    struct aot_json_stream js;
    aot_json_stream_begin(&js, f, report_head(v), "sites");
    for (uint32_t i = 0; i < v->plan->count && !js.bad; i++)
        aot_json_stream_item(&js, site_json(v, dw, i));
    int rc = aot_json_stream_end(&js);
    aot_dwarf_close(dw);
    if (rc != 0)
        return aot_fail(err, "%s: the report could not be written (out of memory or a failed "
                        "write)", v->kernel);
    return 0;
}

/* ---- for a person ---- */

static void decisions_line(FILE *f, const char *head, const uint32_t *d)
{
    fprintf(f, "%sinline %u, call %u, jump %u, nop %u, native %u\n", head,
            d[VMI_DECISION_INLINE], d[VMI_DECISION_CALL], d[VMI_DECISION_JUMP],
            d[VMI_DECISION_NOP], d[VMI_DECISION_NATIVE]);
}

static void identity_line(FILE *f, const struct aot_spec_view *v)
{
    const char *verb = v->dry_run ? "would be " : "";
    fputs("identity: ", f);
    if (v->identity)
        fprintf(f, "%sfilled (vmi_aot_identity at 0x%08x)", verb, v->id_addr);
    else if (v->img->lx)
        fprintf(f, "%sin " AOT_SECTION_NAME " only (a Linux kernel: boot it with "
                "noreplace-paravirt)", verb);
    else
        fputs("none (no vmi_aot_identity; a copy in " AOT_SECTION_NAME ")", f);
    fprintf(f, "; sites_hash 0x%016llx\n", (unsigned long long)v->id->sites_hash);
}

void aot_spec_summary(FILE *f, const struct aot_spec_view *v, const struct aot_summary *sum)
{
    struct vmi_stats *st = calloc(1, sizeof *st);
    uint8_t order[AOT_KINDS];
    if (v->dry_run)
        fprintf(f, "dry run: nothing written%s%s\n", v->out ? "; OUT would be " : "",
                v->out ? v->out : "");
    else
        fprintf(f, "written: %s\n", v->out);
    fprintf(f, "image: %s: %u sites (%s)\n", v->kernel, sum->sites,
            v->img->lx ? ".parainstructions, Linux pv sites" : "vmi_sites");
    fprintf(f, "rom: %s: %u bytes, fnv1a64 0x%016llx, at 0x%08x\n", v->rom_path, v->rom->size,
            (unsigned long long)v->rom->hash, v->id->rom_base);
    fprintf(f, "policy: %s\n", vmi_policy_name(v->id->policy));
    decisions_line(f, "decisions: ", sum->decision);
    if (st) {
        vmi_plan_stats(v->plan, st);
        fputs("reasons:", f);
        for (unsigned r = 0, n = 0; r < VMI_REASON_COUNT; r++)
            if (st->reason[r])
                fprintf(f, "%s %s %u", n++ ? "," : "", vmi_reason_name(r), st->reason[r]);
        fprintf(f, "\ncode bytes: %u at the sites: inlined %u, native %u, branch %u, nop fill %u "
                "(%u NOPs); %u relocations\n", st->bytes_total, st->bytes_inlined,
                st->bytes_native, st->bytes_branch, st->bytes_nop, st->nop_count, st->relocs);
        free(st);
    }
    identity_line(f, v);
    unsigned n = aot_summary_order(sum, order);
    for (unsigned k = 0; k < n; k++) {
        const struct aot_kind_count *c = &sum->kind[order[k]];
        char head[160];
        snprintf(head, sizeof head, "kind %s: %u site%s, %u bytes: ",
                 aot_summary_kind_name(sum, order[k]), c->sites, c->sites == 1 ? "" : "s",
                 c->bytes);
        decisions_line(f, head, c->decision);
    }
}

int aot_spec_site_lines(FILE *f, const struct aot_spec_view *v, struct aot_err *err)
{
    struct aot_dwarf *dw = NULL;
    if (aot_dwarf_open(&dw, v->img, err) != 0)
        return -1;
    for (uint32_t i = 0; i < v->plan->count; i++) {
        const struct vmi_site_plan *sp = &v->plan->sites[i];
        const struct aot_site *s = &v->img->sites[i];
        struct aot_site_info si;
        aot_site_info(v->img, dw, s, &si);
        fprintf(f, "site 0x%08x ", sp->addr);
        if (v->img->lx)
            fprintf(f, "%s/", aot_linux_op_name(v->img->lx, v->img->lx->rec_type[s->rec_index]));
        fprintf(f, "%s %s %s %s ", vmi_call_name(sp->call), vmi_decision_name(sp->decision),
                vmi_reason_name(sp->reason), si.func);
        if (si.line)
            fprintf(f, "%s:%u\n", si.file, si.line);
        else
            fputs("?\n", f);
    }
    aot_dwarf_close(dw);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
