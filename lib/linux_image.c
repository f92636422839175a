/* Reading a Linux VMI kernel's pv sites: see linux_image.h. */
#include "linux_image.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_template.h"
#include "vmi_inliner.h"

#define SMP_EVIDENCE "__per_cpu_offset"     /* defined only by an SMP x86 kernel (setup_percpu.c) */

static const char *const use_names[VMI_USE_COUNT] = {
    [VMI_USE_GLUE] = "glue", [VMI_USE_LINUX_PATCH] = "patch", [VMI_USE_LINUX_FILL] = "fill",
    [VMI_USE_LINUX_WRAP] = "wrap", [VMI_USE_LINUX_GET] = "get", [VMI_USE_LINUX_NATIVE] = "native",
};

const char *aot_linux_use_name(unsigned use)
{
    return use < VMI_USE_COUNT ? use_names[use] : "?";
}

const char *aot_linux_config_name(unsigned config, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = 0;
    for (unsigned k = 0; k < VMI_LINUX_NUM_CONFIGS && n < cap; k++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s%s", k ? "," : "",
                              (config & vmi_linux_configs[k].bit) ? "" : "!",
                              vmi_linux_configs[k].name);
    return buf;
}

const char *aot_linux_op_name(const struct aot_linux *lx, unsigned type)
{
    int op = vmi_linux_op_at(lx->config, type);
    return op >= 0 ? vmi_linux_ops[op].name : "?";
}

void aot_linux_free(struct aot_linux *lx)
{
    if (!lx)
        return;
    free(lx->rec_type);
    free(lx->rec_clobbers);
    free(lx->text);
    free(lx->infos);
    free(lx);
}

/* ---- the configuration, from the template groups' symbol sizes ---- */

/* Two configurations that give every type the same op, call and use are the same to us. */
static int same_types(unsigned a, unsigned b)
{
    int words = vmi_linux_template_words(a);
    if (words != vmi_linux_template_words(b))
        return 0;
    for (int t = 0; t < words; t++) {
        int x = vmi_linux_op_at(a, (unsigned)t), y = vmi_linux_op_at(b, (unsigned)t);
        if ((x < 0) != (y < 0))
            return 0;
        if (x >= 0 && (strcmp(vmi_linux_ops[x].name, vmi_linux_ops[y].name) != 0 ||
                       vmi_linux_ops[x].uses != vmi_linux_ops[y].uses ||
                       vmi_linux_ops[x].call != vmi_linux_ops[y].call))
            return 0;
    }
    return 1;
}

static int decide_config(const struct aot_image *img, unsigned *out, struct aot_err *err)
{
    int32_t size[VMI_LINUX_NUM_GROUPS];
    int present = 0;
    char sizes[512] = "";
    size_t n = 0;
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++) {
        struct aot_symbol sym;
        size[g] = -1;
        if (vmi_linux_groups[g].is_extern)
            continue;
        int rc = aot_image_symbol(img, vmi_linux_groups[g].name, &sym, err);
        if (rc < 0)
            return -1;
        if (rc == 0)            /* e.g. no pv_lock_ops without CONFIG_PARAVIRT_SPINLOCKS */
            continue;
        size[g] = (int32_t)sym.size;
        present++;
        if (n < sizeof sizes)
            n += (size_t)snprintf(sizes + n, sizeof sizes - n, "%s%s %u bytes", n ? ", " : "",
                                  vmi_linux_groups[g].name, sym.size);
    }
    if (!present)
        return aot_fail(err, "%s: " AOT_LINUX_SECTION " but none of the pv ops symbols "
                        "(pv_cpu_ops, pv_irq_ops, ...): not a paravirt Linux kernel", img->path);
    struct aot_symbol sym;
    int smp = aot_image_symbol(img, SMP_EVIDENCE, &sym, err);
    if (smp < 0)
        return -1;
    unsigned found = 0, pick = 0;
    for (unsigned c = 0; c < (1u << VMI_LINUX_NUM_CONFIGS); c++) {
        if (!!(c & VMI_LINUX_CFG_SMP) != !!smp)
            continue;
        if (vmi_linux_size_mismatch(c, size) >= 0)     /* the loader's check, in the core */
            continue;
        if (found && !same_types(pick, c)) {
            char a[96], b[96];
            return aot_fail(err, "%s: its pv ops sizes (%s) fit two configurations of the spec's "
                            "Linux profile that type sites differently (%s and %s)", img->path,
                            sizes, aot_linux_config_name(pick, a, sizeof a),
                            aot_linux_config_name(c, b, sizeof b));
        }
        if (!found)
            pick = c;
        found++;
    }
    if (!found)
        return aot_fail(err, "%s: no configuration of the spec's Linux profile gives its pv ops "
                        "these sizes (%s%s)", img->path, sizes,
                        smp ? "; SMP: " SMP_EVIDENCE " is defined" : "");
    *out = pick;
    return 0;
}

/* ---- records ---- */

/* The record's problem in its own terms, from the inliner reader's refusal. */
static void record_problem(const struct aot_image *img, const struct aot_linux *lx,
                           const struct aot_section *t, const struct vmi_error *ve, char *buf,
                           size_t cap)
{
    const uint8_t *r = img->data + t->offset + (size_t)ve->site * VMI_LINUX_SITE_SIZE;
    unsigned type = r[4], len = r[5], clbr = (unsigned)(r[6] | (r[7] << 8));
    uint32_t instr = (uint32_t)(r[0] | (r[1] << 8) | (r[2] << 16) | ((uint32_t)r[3] << 24));
    char cfg[96];
    switch (ve->status) {
    case VMI_E_SITE_TYPE:
        snprintf(buf, cap, "type %u is no op of struct paravirt_patch_template (%u words for a %s "
                 "kernel, spec/linux.vmi)", type, lx->types.count,
                 aot_linux_config_name(lx->config, cfg, sizeof cfg));
        break;
    case VMI_E_SITE_FLAGS:
        snprintf(buf, cap, "clobbers 0x%04x has bits i386 Linux does not define (CLBR_ANY is "
                 "0x%x)", clbr, VMI_LINUX_CLBR_ANY);
        break;
    case VMI_E_SITE_LEN:
        snprintf(buf, cap, "length %u: %s", len, len ? "vmi_patch rewrites this op with a 5-byte "
                 "call or jmp" : "a site of no bytes");
        break;
    case VMI_E_SITE_RANGE:
        snprintf(buf, cap, "site 0x%08x..0x%08llx (%s, %u bytes) is outside every executable "
                 "section", instr, (unsigned long long)instr + len, aot_linux_op_name(lx, type),
                 len);
        break;
    case VMI_E_SITE_OVERLAP:
        snprintf(buf, cap, "site 0x%08x (%s, %u bytes) overlaps the site before it, which ends "
                 "at 0x%08x", instr, aot_linux_op_name(lx, type), len, ve->expected);
        break;
    default:
        snprintf(buf, cap, "%s (vmi_linux_sites_read: %s, expected 0x%x, found 0x%x)",
                 ve->reason ? ve->reason : "refused", vmi_status_name(ve->status), ve->expected,
                 ve->actual);
    }
}

static int collect_text(const struct aot_image *img, struct aot_linux *lx, struct aot_err *err)
{
    lx->text = calloc(img->nsecs ? img->nsecs : 1, sizeof *lx->text);
    if (!lx->text)
        return aot_fail(err, "%s: out of memory", img->path);
    for (size_t i = 1; i < img->nsecs; i++) {
        const struct aot_section *s = &img->secs[i];
        if (s->type == SHT_PROGBITS && (s->flags & SHF_ALLOC) && (s->flags & SHF_EXECINSTR) &&
            s->size)
            lx->text[lx->ntext++] = (struct vmi_text_range){ s->addr, s->size };
    }
    return 0;
}

int aot_linux_read(struct aot_image *img, const struct aot_section *t, struct aot_err *err)
{
    const char *p = img->path;
    struct vmi_error ve;
    if (t->type != SHT_PROGBITS || !(t->flags & SHF_ALLOC))
        return aot_fail(err, "%s: section [%u] " AOT_LINUX_SECTION " is not allocated PROGBITS "
                        "(type %u, flags 0x%x)", p, t->index, t->type, t->flags);
    if (t->size % VMI_LINUX_SITE_SIZE)
        return aot_fail(err, "%s: section [%u] " AOT_LINUX_SECTION " is 0x%x bytes, not a whole "
                        "number of %u-byte struct paravirt_patch_site records (truncated?)", p,
                        t->index, t->size, VMI_LINUX_SITE_SIZE);
    struct aot_linux *lx = calloc(1, sizeof *lx);
    if (!lx)
        return aot_fail(err, "%s: out of memory", p);
    img->lx = lx;
    lx->op_source = "spec";
    lx->nrec = t->size / VMI_LINUX_SITE_SIZE;
    uint32_t n = lx->nrec;
    if (decide_config(img, &lx->config, err) != 0 || collect_text(img, lx, err) != 0)
        return -1;
    if (vmi_linux_types_for(lx->type, VMI_LINUX_NUM_OPS, lx->config, &lx->types, &ve) != VMI_OK)
        return aot_fail(err, "%s: the spec's Linux profile: %s", p, ve.reason);
    lx->rec_type = calloc(n ? n : 1, 1);
    lx->rec_clobbers = calloc(n ? n : 1, sizeof *lx->rec_clobbers);
    lx->infos = calloc(n ? n : 1, sizeof *lx->infos);
    img->sites = calloc(n ? n : 1, sizeof *img->sites);
    if (!lx->rec_type || !lx->rec_clobbers || !lx->infos || !img->sites)
        return aot_fail(err, "%s: out of memory for %u pv sites", p, n);
    const uint8_t *rec = img->data + t->offset;
    for (uint32_t i = 0; i < n; i++) {
        lx->rec_type[i] = rec[i * VMI_LINUX_SITE_SIZE + 4];
        lx->rec_clobbers[i] = (uint16_t)(rec[i * VMI_LINUX_SITE_SIZE + 6] |
                                         (rec[i * VMI_LINUX_SITE_SIZE + 7] << 8));
    }
    lx->table = (struct vmi_site_table){ .sites = lx->infos, .cap = n };
    if (vmi_linux_sites_read(&lx->table, rec, t->size, &lx->types, lx->text, (uint32_t)lx->ntext,
                             &ve) != VMI_OK) {
        char why[320];
        if (ve.site == VMI_NO_SITE)
            return aot_fail(err, "%s: " AOT_LINUX_SECTION ": %s", p, ve.reason);
        record_problem(img, lx, t, &ve, why, sizeof why);
        return aot_fail(err, "%s: " AOT_LINUX_SECTION " record %u (at 0x%08x, file offset 0x%x): "
                        "%s", p, ve.site, t->addr + ve.site * VMI_LINUX_SITE_SIZE,
                        t->offset + ve.site * VMI_LINUX_SITE_SIZE, why);
    }
    img->site_table = t;
    img->nsites = n;
    for (uint32_t i = 0; i < n; i++) {
        const struct vmi_site_info *si = &lx->infos[i];
        struct aot_site *s = &img->sites[i];
        const struct aot_section *x = aot_image_section_at(img, si->addr, si->len,
                                                           SHF_ALLOC | SHF_EXECINSTR);
        if (!x)         /* the reader checked the same ranges */
            return aot_fail(err, "%s: pv site 0x%08x is in no executable section", p, si->addr);
        s->addr = si->addr;
        s->offset = x->offset + (si->addr - x->addr);
        s->rec_addr = t->addr + si->index * VMI_LINUX_SITE_SIZE;
        s->rec_index = si->index;
        s->section = x->index;
        s->call = si->call;
        s->len = si->len;
        s->clobbers = si->clobbers;
        s->flags = si->flags;
    }
    return 0;
}

/* ---- the DWARF cross-check ---- */

int aot_linux_check_dwarf(struct aot_image *img, struct aot_err *err)
{
    struct aot_linux *lx = img->lx;
    struct aot_template tp;
    int rc = aot_dwarf_template(img, "paravirt_patch_template", &tp, err);
    if (rc <= 0)
        return rc;
    char cfg[96];
    aot_linux_config_name(lx->config, cfg, sizeof cfg);
    if (tp.words != lx->types.count) {
        aot_fail(err, "%s: the DWARF's struct paravirt_patch_template has %u words, the spec's "
                 "Linux profile %u for a %s kernel", img->path, tp.words, lx->types.count, cfg);
        aot_template_free(&tp);
        return -1;
    }
    for (uint32_t i = 0; i < lx->nrec; i++) {
        unsigned type = lx->rec_type[i];
        const char *dw = type < tp.words ? tp.names[type] : NULL;
        const char *sp = aot_linux_op_name(lx, type);
        if (!dw || strcmp(dw, sp) != 0) {
            aot_fail(err, "%s: " AOT_LINUX_SECTION " record %u (at 0x%08x): type %u is %s in the "
                     "kernel's DWARF, but %s in the spec's Linux profile for a %s kernel",
                     img->path, i, img->site_table->addr + i * VMI_LINUX_SITE_SIZE, type,
                     dw ? dw : "no member", sp, cfg);
            aot_template_free(&tp);
            return -1;
        }
    }
    aot_template_free(&tp);
    lx->op_source = "dwarf";
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
