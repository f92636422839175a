/* A session: see session.h. */
#include "session.h"
#include "vmi_aot.h"

#include <stdlib.h>
#include <string.h>

#include "linux_image.h"

#define SPAN_MAX (256u << 20)          /* bytes between the first and the last site */

void aot_session_init(struct aot_session *s)
{
    memset(s, 0, sizeof *s);
}

const char *aot_session_site_name(const struct aot_session *s, uint32_t addr)
{
    const struct aot_site *site = s->have_img ? aot_image_site_at(&s->img, addr) : NULL;
    const char *name = !site ? "?"
                       : s->img.lx ? aot_linux_op_name(s->img.lx, s->img.lx->rec_type[site->rec_index])
                       : aot_call_name(site->call);
    return name ? name : "?";
}

/* The core's error about the image: the site it names (address, call or op, record) when any. */
static int fail_site(const struct aot_session *s, struct aot_err *err, const char *what,
                     const struct vmi_error *e)
{
    if (e->site != VMI_NO_SITE)
        return aot_fail_vmi(err, e, "%s: %s: site at 0x%08x (%s, record %u)", s->img.path, what,
                            e->address, aot_session_site_name(s, e->address), e->site);
    return aot_fail_vmi(err, e, "%s: %s", s->img.path, what);
}

int aot_session_open_image(struct aot_session *s, const char *path, unsigned flags,
                           struct aot_err *err)
{
    if (s->have_img)
        return aot_fail(err, "%s: the session has an image already (a caller's bug)", path);
    if (aot_image_open(&s->img, path, flags, err) != 0)
        return -1;
    s->have_img = 1;
    return 0;
}

int aot_session_load_rom(struct aot_session *s, const char *path, struct aot_err *err)
{
    if (s->have_rom)
        return aot_fail(err, "%s: the session has a ROM already (a caller's bug)", path);
    if (aot_rom_load(&s->rom, path, err) != 0)
        return -1;
    s->have_rom = 1;
    return 0;
}

int aot_session_place(struct aot_session *s, uint32_t base, struct aot_err *err)
{
    struct vmi_error ve;
    if (!s->have_rom)
        return aot_fail(err, "the session has no ROM to place (a caller's bug)");
    if (aot_rom_base_ok(&s->rom, base, err) != 0)
        return -1;
    if (vmi_rom_probe(&s->vrom, s->rom.img, s->rom.size, base, 0, &ve) != VMI_OK)
        return aot_fail_vmi(err, &ve, "%s: the inliner's probe refuses the ROM", s->rom.path);
    if (aot_rom_relocs(&s->rom, base, &s->relocs, err) != 0)
        return -1;
    s->base = base;
    return 0;
}

int aot_session_read_sites(struct aot_session *s, struct aot_err *err)
{
    struct vmi_error ve;
    const struct aot_image *img = &s->img;
    if (!s->have_img || s->table.sites)
        return aot_fail(err, "the session's sites: no image, or read already (a caller's bug)");
    uint32_t n = (uint32_t)img->nsites;
    s->table.sites = calloc(n ? n : 1, sizeof *s->table.sites);
    if (!s->table.sites)
        return aot_fail(err, "%s: out of memory for %u sites", img->path, n);
    s->table.cap = n;
    if (img->lx) {
        memcpy(s->table.sites, img->lx->infos, n * sizeof *s->table.sites);
        s->table.count = img->lx->table.count;
    } else if (vmi_sites_read(&s->table, img->data + img->site_table->offset,
                              img->site_table->addr, img->site_table->size, &ve) != VMI_OK) {
        return fail_site(s, err, "the inliner refuses the site table", &ve);
    }
    vmi_plan_size_for(&s->table, &s->need);
    for (uint32_t i = 0; i < n; i++)
        if (s->table.count != n || s->table.sites[i].addr != img->sites[i].addr)
            return aot_fail(err, "%s: the inliner and the ELF reader disagree about site %u",
                            img->path, i);
    return 0;
}

/* A buffer from the first of img's sites to the last at the image's addresses, holding only the
 * sites' bytes (vmi_apply reads and writes nothing else), and the core's text over it. */
static int sites_span(const struct aot_image *img, uint8_t **span, struct vmi_text *text,
                      struct aot_err *err)
{
    const struct aot_site *st = img->sites;
    uint32_t n = (uint32_t)img->nsites;
    uint32_t lo = n ? st[0].addr : 0;
    uint64_t hi = n ? (uint64_t)st[n - 1].addr + st[n - 1].len : 0;
    if (hi - lo > SPAN_MAX)
        return aot_fail(err, "%s: the sites span 0x%08x..0x%08llx, more than %u MiB",
                        img->path, lo, (unsigned long long)hi, SPAN_MAX >> 20);
    *span = calloc(hi - lo ? hi - lo : 1, 1);
    if (!*span)
        return aot_fail(err, "%s: out of memory", img->path);
    for (uint32_t i = 0; i < n; i++)
        memcpy(*span + (st[i].addr - lo), aot_site_bytes(img, &st[i]), st[i].len);
    *text = (struct vmi_text){ *span, lo, (uint32_t)(hi - lo), NULL, NULL };
    return 0;
}

static int make_span(struct aot_session *s, struct aot_err *err)
{
    if (sites_span(&s->img, &s->span, &s->text, err) != 0)
        return -1;
    s->lo = s->text.base;
    return 0;
}

int aot_session_sites_hash(const struct aot_session *s, uint64_t *hash, struct aot_err *err)
{
    struct vmi_error ve;
    if (!s->span || !s->table.sites)
        return aot_fail(err, "the session's sites hash: not planned (a caller's bug)");
    if (vmi_sites_hash(&s->text, &s->table, hash, &ve) != VMI_OK)
        return fail_site(s, err, "hash the sites", &ve);
    return 0;
}

/* The ELF reader's sites as the core's table (address and length are all vmi_sites_hash reads),
 * so that an image the inliner would refuse can still be hashed and compared. */
int aot_image_sites_hash(const struct aot_image *img, uint64_t *hash, struct aot_err *err)
{
    struct vmi_error ve;
    uint32_t n = (uint32_t)img->nsites;
    struct vmi_site_info *info = calloc(n ? n : 1, sizeof *info);
    if (!info)
        return aot_fail(err, "%s: out of memory for %u sites", img->path, n);
    for (uint32_t i = 0; i < n; i++)
        info[i] = (struct vmi_site_info){ .addr = img->sites[i].addr, .index = i,
                                          .len = img->sites[i].len };
    struct vmi_site_table table = { info, n, n };
    uint8_t *span = NULL;
    struct vmi_text text;
    int rc = sites_span(img, &span, &text, err);
    if (rc == 0 && vmi_sites_hash(&text, &table, hash, &ve) != VMI_OK)
        rc = aot_fail_vmi(err, &ve, "%s: hash the sites", img->path);
    free(span);
    free(info);
    return rc;
}

int aot_session_plan(struct aot_session *s, enum vmi_policy policy, struct aot_err *err)
{
    struct vmi_error ve;
    uint32_t n = s->table.cap, total = s->need.code;
    if (!s->table.sites || !s->base || s->plan.sites)
        return aot_fail(err, "the session's plan: sites not read, ROM not placed, or planned "
                        "already (a caller's bug)");
    struct vmi_site_plan *ps = calloc(n ? n : 1, sizeof *ps);
    uint8_t *code = malloc(total ? total : 1);
    s->orig = malloc(total ? total : 1);
    vmi_plan_init(&s->plan, ps, n, code, total);
    if (!ps || !code || !s->orig)
        return aot_fail(err, "%s: out of memory for %u sites", s->img.path, n);
    if (make_span(s, err) != 0)
        return -1;
    if (vmi_sites_capture(&s->table, &s->text, s->orig, total, &s->orig_len, &ve) != VMI_OK)
        return fail_site(s, err, "capture the original bytes", &ve);
    if (s->img.lx)     /* a Linux site's native form is what it holds: the indirect call */
        vmi_plan_set_original(&s->plan, s->orig, s->orig_len);
    struct vmi_plan_options opt = { policy, 0 };
    if (vmi_plan_build(&s->plan, &s->table, &s->vrom, &s->relocs, &opt, &ve) != VMI_OK)
        return fail_site(s, err, "plan", &ve);
    return 0;
}

int aot_session_apply(struct aot_session *s, struct aot_err *err)
{
    struct vmi_error ve;
    if (!s->span)
        return aot_fail(err, "the session's apply: nothing planned (a caller's bug)");
    if (vmi_apply(&s->text, &s->plan, NULL, NULL, &ve) != VMI_OK)
        return fail_site(s, err, ve.status == VMI_E_SITE_BYTES ? "not the native bytes "
                         "(already patched?)" : "apply", &ve);
    if (vmi_verify(&s->text, &s->plan, &ve) != VMI_OK)
        return fail_site(s, err, "verify", &ve);
    return 0;
}

void aot_session_close(struct aot_session *s)
{
    free(s->table.sites);
    free(s->plan.sites);
    free(s->plan.code);
    free(s->orig);
    free(s->span);
    if (s->have_rom)
        aot_rom_free(&s->rom);
    if (s->have_img)
        aot_image_close(&s->img);
    aot_session_init(s);
}
/* SPDX-License-Identifier: GPL-2.0-only */
