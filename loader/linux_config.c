/* Which configuration of the spec's Linux profile (include/vmi_linux.h) this vmlinux was built
 * with: every pv op group of struct paravirt_patch_template whose symbol the image defines must
 * have st_size = its words * 4 under that configuration (the core's vmi_linux_size_mismatch).  The type -> op table depends on it (PAE
 * changes pv_mmu_ops), so the loader refuses to patch when no configuration fits, or when two that
 * fit disagree on a type in a way the planner would act on (docs/loader.md). */
#include "loader.h"
#include "loader_linux.h"
#include "vmi_linux_ops.h"

#define NUM_CONFIGS (1u << VMI_LINUX_NUM_CONFIGS)

static struct vmi_linux_type cand_types[VMI_LINUX_NUM_OPS];

/* The groups the template must have in every image (the interrupt-flag ops and the MMU ops). */
static const char *const required_groups[] = { "pv_cpu_ops", "pv_irq_ops", "pv_mmu_ops" };

/* Each group's symbol size, or -1 when the kernel has no such symbol (extern groups are not
 * looked at by the core). */
static void group_sizes(const struct vmlinux *vm, int32_t bytes[VMI_LINUX_NUM_GROUPS])
{
    for (unsigned g = 0; g < VMI_LINUX_NUM_GROUPS; g++) {
        uint32_t value, size;
        bytes[g] = vmlinux_symbol(vm, vmi_linux_groups[g].name, &value, &size) ? -1 : (int32_t)size;
    }
}

/* Two type entries the planner treats alike: the same op presence, and the same use and call, or
 * two uses it keeps the site for whatever the call (wrap, get, native: vmi_inliner.h, enum
 * vmi_site_use), e.g. pv_apic_ops.startup_ipi_hook, which only CONFIG_SMP wraps. */
static int keeps(uint8_t use)
{
    return use != VMI_USE_LINUX_PATCH && use != VMI_USE_LINUX_FILL;
}

static int same_for_planner(const struct vmi_linux_type *a, const struct vmi_linux_type *b)
{
    if (a->defined != b->defined)
        return 0;
    if (!a->defined)
        return 1;
    if (keeps(a->use) && keeps(b->use))
        return 1;
    return a->call == b->call && a->use == b->use;
}

int linux_config_pick(struct linux_config *lc, const struct vmlinux *vm, struct ld_error *err)
{
    char why[120] = "";
    struct vmi_error verr;
    uint32_t value, size;
    memset(lc, 0, sizeof(*lc));
    for (unsigned i = 0; i < sizeof(required_groups) / sizeof(required_groups[0]); i++)
        if (vmlinux_symbol(vm, required_groups[i], &value, &size))
            return ld_fail(err, "vmlinux: no symbol %s: not a paravirt kernel the profile knows",
                           required_groups[i]);
    int32_t bytes[VMI_LINUX_NUM_GROUPS];
    group_sizes(vm, bytes);
    for (unsigned c = 0; c < NUM_CONFIGS; c++) {
        int g = vmi_linux_size_mismatch(c, bytes);
        if (g >= 0) {
            ksnprintf(why, sizeof(why), "%s is %d bytes, config 0x%x says %d", vmi_linux_groups[g].name,
                      (int)bytes[g], c, vmi_linux_group_words(c, (unsigned)g) * 4);
            continue;
        }
        if (!lc->fits) {
            if (vmi_linux_types_for(lc->type, VMI_LINUX_NUM_OPS, c, &lc->types, &verr) != VMI_OK)
                return ld_fail(err, "Linux profile: no type table for config 0x%x", c);
            lc->config = c;
            lc->fits = 1;
            continue;
        }
        struct vmi_linux_types other;
        if (vmi_linux_types_for(cand_types, VMI_LINUX_NUM_OPS, c, &other, &verr) != VMI_OK)
            return ld_fail(err, "Linux profile: no type table for config 0x%x", c);
        if (other.count != lc->types.count)
            return ld_fail(err, "vmlinux: configs 0x%x and 0x%x both fit its pv op groups but have "
                           "%u and %u types", lc->config, c, lc->types.count, other.count);
        for (uint32_t t = 0; t < other.count; t++)
            if (!same_for_planner(&lc->type[t], &other.type[t]))
                return ld_fail(err, "vmlinux: configs 0x%x and 0x%x both fit its pv op groups and "
                               "disagree on type %u", lc->config, c, t);
        lc->also |= 1u << c;
    }
    if (!lc->fits)
        return ld_fail(err, "vmlinux: its pv op groups fit no configuration of the Linux profile (%s)",
                       why);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
