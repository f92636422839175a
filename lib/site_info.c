/* Per-site descriptions: see site_info.h. */
#include "site_info.h"

#include <stdio.h>
#include <string.h>

#include "vmi_abi.h"

void aot_site_info(const struct aot_image *img, const struct aot_dwarf *dw,
                   const struct aot_site *s, struct aot_site_info *out)
{
    struct aot_srcloc loc;
    aot_dwarf_lookup(dw, s->addr, &loc);
    const struct aot_func *f = aot_image_func_at(img, s->addr);
    out->func = f ? f->name : loc.func ? loc.func : "?";
    out->file = loc.file ? loc.file : "?";
    out->line = loc.file ? loc.line : 0;
}

const char *aot_clobber_names(uint8_t mask, char *buf, size_t bufsz)
{
    static const char *const names[8] = { "eax", "ecx", "edx", "ebx", "esi", "edi", "ebp",
                                          "flags" };
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < 8; i++) {
        if (!(mask & (1u << i)))
            continue;
        int n = snprintf(buf + used, bufsz - used, "%s%s", used ? "," : "", names[i]);
        if (n < 0 || (size_t)n >= bufsz - used)
            break;
        used += (size_t)n;
    }
    if (!mask)
        snprintf(buf, bufsz, "none");
    return buf;
}

const char *aot_const_arg_name(const struct aot_site *s, char *buf, size_t bufsz)
{
    if (!(s->flags & VMI_SITE_CONST))
        return NULL;
    unsigned want = (s->flags & VMI_SITE_CONST_ARG_MASK) >> VMI_SITE_CONST_ARG_SHIFT;
    const char *p = vmi_call_table[s->call].args;     /* "pte:u32@eax ptr:ptr@edx flags:u32@ecx" */
    for (unsigned i = 0; p && *p; i++) {
        const char *end = strchr(p, ' ');
        const char *colon = strchr(p, ':');
        if (i == want) {
            size_t n = (size_t)((colon && (!end || colon < end)) ? colon - p
                                                                  : (end ? end - p : (long)strlen(p)));
            snprintf(buf, bufsz, "%.*s", (int)n, p);
            return buf;
        }
        p = end ? end + 1 : NULL;
    }
    snprintf(buf, bufsz, "arg%u", want);
    return buf;
}

int aot_site_is_native(const struct aot_image *img, const struct aot_site *s)
{
    const struct vmi_call_meta *m = &vmi_call_table[s->call];
    const uint8_t *b = aot_site_bytes(img, s);
    if (s->len < m->native_len || memcmp(b, m->native, m->native_len) != 0)
        return 0;
    size_t pos = m->native_len;
    while (pos < s->len) {
        size_t gap = s->len - pos, n = gap > VMI_NOP_MAX ? VMI_NOP_MAX : gap;
        if (memcmp(b + pos, vmi_nops[n], n) != 0)
            return 0;
        pos += n;
    }
    return 1;
}
/* SPDX-License-Identifier: GPL-2.0-only */
