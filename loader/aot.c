/* A pre-specialized Linux kernel (vmi-aot specialize, docs/aot.md and docs/loader.md): its sites
 * hold the bytes planned for one ROM at one address, and the non-allocated section .vmi_aot keeps
 * a copy of the identity record and every site's original bytes.  The section is decoded by the
 * core (vmi_aot_record_decode) and the identity judged by the core (vmi_aot_check), the same
 * code the guest, the harness and vmi-aot use; this file adds only what is the loader's own: the
 * record must be a Linux kernel's and describe exactly the sites .parainstructions names. */
#include "loader.h"
#include "loader_linux.h"

/* The entries must be the site table's sites, in its (address) order, with their bytes laid out
 * one after another as in a plan. */
static int check_entries(const struct vmi_aot_record_view *rec, const struct vmi_site_table *sites,
                         struct ld_error *err)
{
    uint32_t off = 0;
    if (rec->count != sites->count)
        return ld_fail(err, "vmlinux: .vmi_aot has %u sites, .parainstructions %u", rec->count,
                       sites->count);
    for (uint32_t i = 0; i < rec->count; i++) {
        const struct vmi_aot_record_entry *e = &rec->entries[i];
        const struct vmi_site_info *s = &sites->sites[i];
        if (e->addr != s->addr || e->len != s->len || e->bytes_off != off)
            return ld_fail(err, "vmlinux: .vmi_aot entry %u (0x%x, %u bytes at +%u) is not site "
                           "0x%x of %u bytes", i, e->addr, e->len, e->bytes_off, s->addr, s->len);
        off += s->len;
    }
    if (off != rec->bytes_size)
        return ld_fail(err, "vmlinux: .vmi_aot holds %u original bytes, the sites %u",
                       rec->bytes_size, off);
    return 0;
}

int aot_read(struct aot_image *aot, const struct vmlinux *vm, const struct vmi_site_table *sites,
             struct ld_error *err)
{
    uint32_t addr, offset, size;
    struct ld_error absent;
    struct vmi_aot_record_view rec;
    struct vmi_error verr;
    char line[180];
    memset(aot, 0, sizeof(*aot));
    if (vmlinux_section(vm, VMI_AOT_SECTION_NAME, &addr, &offset, &size, &absent))
        return 0;                           /* not specialized */
    if (vmi_aot_record_decode(&rec, vm->file + offset, size, &verr) != VMI_OK) {
        vmi_error_format(&verr, line, sizeof(line));
        return ld_fail(err, "vmlinux: .vmi_aot+0x%x (%u bytes): %s", verr.offset, size, line);
    }
    if (!(rec.flags & VMI_AOT_REC_F_LINUX))
        return ld_fail(err, "vmlinux: .vmi_aot+0x14: flags 0x%x, not a Linux kernel's record",
                       rec.flags);
    if (check_entries(&rec, sites, err))
        return -1;
    aot->id = rec.id;
    aot->original = rec.bytes;
    aot->original_len = rec.bytes_size;
    aot->present = 1;
    return 0;
}

enum vmi_aot_state aot_check(const struct aot_image *aot, const struct vmi_text *text,
                             const struct vmi_site_table *sites, const struct loader_rom *lr,
                             uint64_t *sites_hash)
{
    struct vmi_aot_verdict v;
    enum vmi_aot_state state = vmi_aot_check(&aot->id, text, sites, lr ? &lr->rom : 0, &v);
    *sites_hash = v.sites_hash;
    return state;
}
/* SPDX-License-Identifier: GPL-2.0-only */
