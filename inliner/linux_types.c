/* What each .parainstructions type means for one kernel configuration, from the spec's Linux
 * profile (include/vmi_linux.h, walked by linux_ops.c): the op's VMI call and the one use of it
 * the planner acts on.  The op -> call mapping exists only in the spec; this only folds the
 * profile's use bits into enum vmi_site_use. */
#include "vmi_internal.h"
#include "vmi_linux_ops.h"
#include "vmi_linux_sites.h"

/* vmi_patch wins over para_fill for the irq ops (both apply; the site is rewritten); a wrapper
 * or a fetched pointer leaves the site alone, as does a probe-only op. */
static uint8_t site_use(uint8_t uses)
{
    if (uses & VMI_LINUX_USE_PATCH)
        return VMI_USE_LINUX_PATCH;
    if (uses & VMI_LINUX_USE_FILL)
        return VMI_USE_LINUX_FILL;
    if (uses & VMI_LINUX_USE_WRAP)
        return VMI_USE_LINUX_WRAP;
    if (uses & (VMI_LINUX_USE_GET | VMI_LINUX_USE_PROBE))
        return VMI_USE_LINUX_GET;
    return VMI_USE_LINUX_NATIVE;
}

vmi_status vmi_linux_types_for(struct vmi_linux_type *out, uint32_t cap, unsigned config,
                               struct vmi_linux_types *types, struct vmi_error *err)
{
    int words = vmi_linux_template_words(config);
    uint32_t t;

    vmi_error_clear(err);
    if (!types || (cap && !out) || words < 0)
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL type table");
    if ((uint32_t)words > cap)
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, 0, 0, (uint32_t)words, cap,
                        "type table too small (expected = the template's words)");
    for (t = 0; t < (uint32_t)words; t++) {
        int op = vmi_linux_op_at(config, t);
        out[t].defined = op >= 0;
        out[t].use = op >= 0 ? site_use(vmi_linux_ops[op].uses) : 0;
        out[t].call = op >= 0 && vmi_linux_ops[op].call >= 0 ? (uint8_t)vmi_linux_ops[op].call
                                                             : VMI_NO_CALL;
    }
    types->type = out;
    types->count = (uint32_t)words;
    return VMI_OK;
}
/* SPDX-License-Identifier: GPL-2.0-only */
