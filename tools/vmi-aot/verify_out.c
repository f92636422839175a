/* verify's findings written out (verify_out.h). */
#include <string.h>

#include "json_out.h"
#include "verify_out.h"
#include "vmi_inliner.h"

void aot_verify_note(struct aot_verify_result *r, const struct aot_site *site, const char *msg)
{
    if (r->problems++ >= AOT_VERIFY_SHOWN)
        return;
    struct aot_verify_problem *p = &r->shown[r->problems - 1];
    p->has_site = site != NULL;
    p->addr = site ? site->addr : 0;
    p->record = site ? site->rec_index : 0;
    snprintf(p->msg, sizeof p->msg, "%s", msg);
}

static json_t *problems_json(const struct aot_verify_result *r)
{
    json_t *a = json_array();
    unsigned n = r->problems < AOT_VERIFY_SHOWN ? r->problems : AOT_VERIFY_SHOWN;
    int bad = 0;
    for (unsigned k = 0; k < n && !bad; k++) {
        const struct aot_verify_problem *p = &r->shown[k];
        bad |= aot_json_push(a, json_pack("{s:o, s:o, s:o}",
                             "addr", p->has_site ? aot_json_addr(p->addr) : json_null(),
                             "record", p->has_site ? json_integer(p->record) : json_null(),
                             "message", aot_json_string(p->msg)));
    }
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The identity's values, null when .vmi_aot could not be read. */
static int identity_json(json_t *doc, const struct aot_verify_result *r)
{
    const struct vmi_aot_identity *id = r->id;
    int bad = aot_json_set(doc, "rom_size", id ? json_integer(id->rom_size) : json_null());
    bad |= aot_json_set(doc, "rom_hash", id ? aot_json_hash(id->rom_hash) : json_null());
    bad |= aot_json_set(doc, "rom_base", id ? aot_json_addr(id->rom_base) : json_null());
    bad |= aot_json_set(doc, "policy", id && id->policy < VMI_POLICY_COUNT
                        ? json_string(vmi_policy_name(id->policy)) : json_null());
    bad |= aot_json_set(doc, "identity", r->identity ? json_string(r->identity) : json_null());
    return bad;
}

int aot_verify_json(FILE *f, const struct aot_verify_result *r)
{
    uint32_t n = r->img ? (uint32_t)r->img->nsites : 0;
    json_t *doc = aot_json_doc(AOT_VERIFY_TOOL, AOT_VERIFY_SCHEMA);
    int bad = aot_json_set(doc, "image", aot_json_string(r->image));
    bad |= aot_json_set(doc, "rom", aot_json_string(r->rom));
    bad |= aot_json_set(doc, "orig", aot_json_string(r->orig));
    bad |= aot_json_set(doc, "ok", aot_json_bool(r->problems == 0));
    bad |= aot_json_set(doc, "kind", !r->img ? json_null()
                        : json_string(r->img->lx ? "linux" : "vmi"));
    bad |= identity_json(doc, r);
    bad |= aot_json_set(doc, "sites", json_integer(n));
    bad |= aot_json_set(doc, "decoded", json_integer(r->kinds.checked));
    bad |= aot_json_set(doc, "changed", r->sites_compared ? json_integer(r->changed)
                                                           : json_null());
    bad |= aot_json_set(doc, "unchanged", r->sites_compared ? json_integer(n - r->changed)
                                                             : json_null());
    bad |= aot_json_set(doc, "bytes_hashed", json_integer((json_int_t)r->bytes_hashed));
    bad |= aot_json_set(doc, "original_bytes_checked", aot_json_bool(r->orig_checked));
    bad |= aot_json_set(doc, "original_bytes_compared",
                        json_integer((json_int_t)(r->orig_site_bytes + r->image_bytes)));
    bad |= aot_json_set(doc, "problems", problems_json(r));
    bad |= aot_json_set(doc, "problems_not_shown", json_integer(r->problems > AOT_VERIFY_SHOWN
                        ? r->problems - AOT_VERIFY_SHOWN : 0));
    if (bad) {
        json_decref(doc);
        return -1;
    }
    return aot_json_write(f, doc, AOT_JSON_PRETTY);
}

void aot_verify_stats(FILE *f, const struct aot_verify_result *r)
{
    const struct aot_summary *k = &r->kinds;
    uint32_t n = r->img ? (uint32_t)r->img->nsites : 0;
    uint8_t order[AOT_KINDS];
    fprintf(f, "sites: %u (%s), %u decoded", n, r->img && r->img->lx ?
            ".parainstructions, Linux pv sites" : "vmi_sites", k->checked);
    if (r->sites_compared)
        fprintf(f, "; %u changed, %u as the original", r->changed, n - r->changed);
    fputc('\n', f);
    unsigned nk = r->sites_compared ? aot_summary_order(k, order) : 0;
    for (unsigned j = 0; j < nk; j++) {
        const struct aot_kind_count *c = &k->kind[order[j]];
        fprintf(f, "kind %s: %u site%s, %u bytes, %u decoded\n",
                aot_summary_kind_name(k, order[j]), c->sites, c->sites == 1 ? "" : "s",
                c->bytes, c->checked);
    }
    fprintf(f, "bytes: %llu site bytes hashed; ", (unsigned long long)r->bytes_hashed);
    if (r->orig_checked)
        fprintf(f, "%llu original site bytes and %llu bytes outside the sites compared with %s\n",
                (unsigned long long)r->orig_site_bytes, (unsigned long long)r->image_bytes,
                r->orig);
    else
        fputs("nothing compared with an original (no --orig)\n", f);
    fprintf(f, "problems: %u\n", r->problems);
}
/* SPDX-License-Identifier: GPL-2.0-only */
