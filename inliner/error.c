/* The error record: filling it in one place. */
#include "vmi_internal.h"

void vmi_error_clear(struct vmi_error *err)
{
    if (!err)
        return;
    err->status = VMI_OK;
    err->site = VMI_NO_SITE;
    err->address = 0;
    err->offset = 0;
    err->expected = 0;
    err->actual = 0;
    err->reason = "";
}

vmi_status vmi_fail(struct vmi_error *err, vmi_status status, uint32_t site, uint32_t address,
                    uint32_t offset, uint32_t expected, uint32_t actual, const char *reason)
{
    if (err) {
        err->status = status;
        err->site = site;
        err->address = address;
        err->offset = offset;
        err->expected = expected;
        err->actual = actual;
        err->reason = reason;
    }
    return status;
}
/* SPDX-License-Identifier: GPL-2.0-only */
