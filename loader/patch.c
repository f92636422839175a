/* Patching Linux's pv sites in the loaded kernel with the inliner (docs/loader.md): the core reads
 * .parainstructions with the configuration's type table (vmi_linux_sites_read), keeps each site's
 * original bytes (vmi_sites_capture), plans against the ROM at Linux's address, and vmi_apply
 * checks every site before it writes one byte and reads every write back.  The text is the loaded
 * image at its physical address, with Linux's virtual addresses (struct vmi_text: bytes + base). */
#include "loader.h"
#include "loader_linux.h"
#include "vmi_linux_ops.h"
#include <elf.h>

#define MAX_SITES  4096
/* Linux's pv sites are 5-16 bytes (most 6 or 7): room for the largest on every site; a kernel
 * that needs more is refused by name (linux_sites_read, vmi_plan_size_for) */
#define CODE_CAP   VMI_PLAN_CODE_BYTES(MAX_SITES, 16)
#define MAX_RANGES MAX_SEGMENTS

static struct vmi_site_info site_info[MAX_SITES];
static struct vmi_site_table sites = { site_info, 0, MAX_SITES };
static struct vmi_site_plan plan_sites[MAX_SITES];
static uint8_t plan_code[CODE_CAP];
static uint8_t original[CODE_CAP];        /* captured from an unspecialized text */
static struct vmi_plan plan;

static int core_fail(struct ld_error *err, const char *what, const struct vmi_error *verr)
{
    char line[180];
    vmi_error_format(verr, line, sizeof(line));
    return ld_fail(err, "%s: %s", what, line);
}

static int text_of(struct vmi_text *text, const struct vmlinux *vm, struct ld_error *err)
{
    uint32_t vbase, pbase, size;
    if (vmlinux_span(vm, &vbase, &pbase, &size))
        return ld_fail(err, "vmlinux: its segments do not share one virtual - physical offset");
    text->bytes = phys(pbase);
    text->base = vbase;
    text->size = size;
    text->poke = 0;
    text->poke_ctx = 0;
    return 0;
}

/* The executable segments: where Linux's sites may lie. */
static uint32_t text_ranges(struct vmi_text_range *r, const struct vmlinux *vm)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < vm->seg_count; k++)
        if (vm->seg[k].flags & PF_X) {
            r[n].base = vm->seg[k].vaddr;
            r[n].size = vm->seg[k].filesz;
            n++;
        }
    return n;
}

int linux_sites_read(const struct vmlinux *vm, const struct linux_config *lc, struct vmi_text *text,
                     struct ld_error *err)
{
    uint32_t addr, offset, size;
    struct vmi_error verr;
    struct vmi_text_range ranges[MAX_RANGES];
    if (vmlinux_section(vm, ".parainstructions", &addr, &offset, &size, err))
        return -1;
    if (text_of(text, vm, err))
        return -1;
    uint32_t n = text_ranges(ranges, vm);
    if (vmi_linux_sites_read(&sites, vm->file + offset, size, &lc->types, ranges, n, &verr) != VMI_OK)
        return core_fail(err, "vmlinux: .parainstructions", &verr);
    struct vmi_plan_size need;
    vmi_plan_size_for(&sites, &need);
    if (need.code > CODE_CAP)
        return ld_fail(err, "vmlinux: .parainstructions: %u sites of %u bytes in all, the loader "
                       "has room for %u", need.sites, need.code, (uint32_t)CODE_CAP);
    vmi_plan_init(&plan, plan_sites, MAX_SITES, plan_code, sizeof(plan_code));
    return 0;
}

const struct vmi_site_table *linux_sites(void)
{
    return &sites;
}

int linux_capture(const struct vmi_text *text, struct ld_error *err)
{
    uint32_t len;
    struct vmi_error verr;
    if (vmi_sites_capture(&sites, text, original, sizeof(original), &len, &verr) != VMI_OK)
        return core_fail(err, "vmlinux: sites", &verr);
    vmi_plan_set_original(&plan, original, len);
    return 0;
}

void linux_set_original(const uint8_t *bytes, uint32_t len)
{
    vmi_plan_set_original(&plan, bytes, len);
}

/* rom NULL: the native plan, every site its original bytes. */
int linux_plan(const struct loader_rom *lr, int policy, struct ld_error *err)
{
    struct vmi_error verr;
    struct vmi_plan_options opt = { (enum vmi_policy)policy, 0 };
    if (vmi_plan_build(&plan, &sites, lr ? &lr->rom : 0, lr ? &lr->relocs : 0, &opt, &verr) != VMI_OK)
        return core_fail(err, "plan", &verr);
    return 0;
}

/* vmi_apply_ex checks every site (unless VMI_APPLY_TRUST_TEXT) before it writes one byte and
 * reads every write back; then the whole plan is verified once more. */
int linux_write(struct vmi_text *text, uint32_t flags, struct ld_error *err)
{
    struct vmi_error verr;
    if (vmi_apply_ex(text, &plan, 0, 0, flags, &verr) != VMI_OK)
        return core_fail(err, "apply", &verr);
    return linux_check(text, err);
}

int linux_check(const struct vmi_text *text, struct ld_error *err)
{
    struct vmi_error verr;
    if (vmi_verify(text, &plan, &verr) != VMI_OK)
        return core_fail(err, "verify", &verr);
    return 0;
}

uint32_t linux_guard_records(const struct vmlinux *vm)
{
    uint32_t addr, offset, size, n = 0;
    struct ld_error err;
    if (vmlinux_section(vm, ".parainstructions", &addr, &offset, &size, &err))
        return 0;
    struct vmi_linux_patch_site *rec = (struct vmi_linux_patch_site *)vmlinux_loaded(vm, addr, size);
    uint32_t records = size / (uint32_t)sizeof(*rec);
    /* only the sites the plan rewrote: a site it kept (inline-only without a body, native-only)
     * must still be patched by vmi_patch, or an iret site would jump through Linux's poison */
    for (uint32_t j = 0; rec && j < plan.count; j++) {
        const struct vmi_site_plan *sp = &plan.sites[j];
        if (sp->use != VMI_USE_LINUX_PATCH || sp->decision == VMI_DECISION_NATIVE ||
            sp->index >= records)
            continue;
        rec[sp->index].instrtype = LINUX_GUARD_TYPE;
        n++;
    }
    return n;
}

const struct vmi_plan *linux_plan_now(void)
{
    return &plan;
}

/* What the text holds now against the original bytes. */
void linux_result(struct patch_result *res)
{
    res->sites = sites.count;
    vmi_plan_stats(&plan, &res->stats);
    res->changed = 0;
    for (uint32_t i = 0; i < plan.count; i++)
        if (memcmp(plan.code + plan.sites[i].code_offs, plan.original + plan.sites[i].code_offs,
                   plan.sites[i].len))
            res->changed++;
}

/* "inlined irq_disable=N ..." for the ops Linux's vmi_patch rewrites. */
void linux_report_ops(const struct linux_config *lc, const struct patch_result *res)
{
    char line[200];
    uint32_t len = ksnprintf(line, sizeof(line), "vmi-loader: inlined");
    for (uint32_t t = 0; t < lc->types.count; t++) {
        const struct vmi_linux_type *ty = &lc->types.type[t];
        if (!ty->defined || ty->use != VMI_USE_LINUX_PATCH || ty->call == VMI_NO_CALL)
            continue;
        int op = vmi_linux_op_at(lc->config, t);
        len += ksnprintf(line + len, sizeof(line) - len, " %s=%u",
                         op >= 0 ? vmi_linux_ops[op].member : "?",
                         res->stats.call_decision[ty->call][VMI_DECISION_INLINE]);
    }
    kprintf("%s\n", line);
}
/* SPDX-License-Identifier: GPL-2.0-only */
