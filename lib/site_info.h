/* What vmi-aot says about one site, shared by `sites` and the reports of `specialize`: where
 * it is in the source, what the record means in words, whether it still holds its native bytes. */
#ifndef VMI_AOT_SITE_INFO_H
#define VMI_AOT_SITE_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "dwarf_lines.h"
#include "elf_image.h"

struct aot_site_info {
    const char *func;       /* symbol table, else DWARF subprogram, else "?" */
    const char *file;       /* DWARF, else "?" */
    uint32_t line;          /* 0 when file is "?" */
};

void aot_site_info(const struct aot_image *img, const struct aot_dwarf *dw,
                   const struct aot_site *s, struct aot_site_info *out);

/* "eax,ecx,edx,flags", or "none". buf needs 40 bytes. */
const char *aot_clobber_names(uint8_t mask, char *buf, size_t bufsz);

/* The name of the constant argument of a VMI_SITE_CONST site ("flags"), or NULL. */
const char *aot_const_arg_name(const struct aot_site *s, char *buf, size_t bufsz);

/* 1 when the site holds exactly its call's native sequence followed by the standard NOP fill
 * (vmi_nops: as many 9-byte NOPs as fit, then one for the rest): what the glue laid down. */
int aot_site_is_native(const struct aot_image *img, const struct aot_site *s);

#endif /* VMI_AOT_SITE_INFO_H */
/* SPDX-License-Identifier: GPL-2.0-only */
