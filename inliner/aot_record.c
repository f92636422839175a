/* Decoding the .vmi_aot section (struct vmi_aot_record, include/vmi_abi.h): the one reader of the
 * format, freestanding; the loader calls it directly and vmi-aot's hosted reader around it. */
#include "vmi_aot.h"
#include "vmi_internal.h"

#define HDR   ((uint32_t)sizeof(struct vmi_aot_record))
#define ENTRY ((uint32_t)sizeof(struct vmi_aot_record_entry))
#define AT(field) ((uint32_t)offsetof(struct vmi_aot_record, field))
#define AT_ENTRY(i, field) (HDR + (i) * ENTRY + (uint32_t)offsetof(struct vmi_aot_record_entry, field))
#define KNOWN_FLAGS ((uint32_t)(VMI_AOT_REC_F_IDENTITY | VMI_AOT_REC_F_LINUX))

static vmi_status rec_fail(struct vmi_error *err, uint32_t entry, uint32_t offset,
                           uint32_t expected, uint32_t actual, const char *why)
{
    return vmi_fail(err, VMI_E_AOT_RECORD, entry, 0, offset, expected, actual, why);
}

static vmi_status check_header(const struct vmi_aot_record *h, uint32_t len,
                               struct vmi_error *err)
{
    if (h->magic != VMI_AOT_REC_MAGIC)
        return rec_fail(err, VMI_NO_SITE, AT(magic), VMI_AOT_REC_MAGIC, h->magic,
                        "magic is not VAOS");
    if (h->version != VMI_AOT_REC_VERSION)
        return rec_fail(err, VMI_NO_SITE, AT(version), VMI_AOT_REC_VERSION, h->version,
                        "unknown record version");
    if (h->header_size != HDR || h->entry_size != ENTRY)
        return rec_fail(err, VMI_NO_SITE, AT(header_size), HDR << 16 | ENTRY,
                        (uint32_t)h->header_size << 16 | h->entry_size,
                        "header or entry size is wrong (expected, actual: header << 16 | entry)");
    if (h->count > (len - HDR) / ENTRY || h->bytes_size != len - HDR - h->count * ENTRY)
        return rec_fail(err, VMI_NO_SITE, AT(count), len, HDR + h->count * ENTRY + h->bytes_size,
                        "count entries and bytes_size bytes do not fill the section exactly");
    if (h->flags & ~KNOWN_FLAGS)
        return rec_fail(err, VMI_NO_SITE, AT(flags), KNOWN_FLAGS, h->flags, "unknown flags");
    return VMI_OK;
}

static vmi_status check_entries(const struct vmi_aot_record_view *rec, struct vmi_error *err)
{
    for (uint32_t i = 0; i < rec->count; i++) {
        const struct vmi_aot_record_entry *e = &rec->entries[i], *prev = e - 1;
        if ((uint64_t)e->bytes_off + e->len > rec->bytes_size)
            return rec_fail(err, i, AT_ENTRY(i, bytes_off), rec->bytes_size, e->bytes_off + e->len,
                            "entry's bytes outside the bytes area");
        if (i && (uint64_t)prev->addr + prev->len > e->addr)
            return rec_fail(err, i, AT_ENTRY(i, addr), prev->addr + prev->len, e->addr,
                            "entry's site is not after the previous one (expected = its end)");
    }
    return VMI_OK;
}

vmi_status vmi_aot_record_decode(struct vmi_aot_record_view *rec, const void *data, uint32_t len,
                                 struct vmi_error *err)
{
    const struct vmi_aot_record *h = data;
    vmi_status st;

    vmi_error_clear(err);
    if (!rec || (!data && len))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL record or data");
    vmi_memset(rec, 0, sizeof(*rec));
    if (len < HDR)
        return rec_fail(err, VMI_NO_SITE, 0, HDR, len, "section shorter than its header");
    st = check_header(h, len, err);
    if (st != VMI_OK)
        return st;
    rec->flags = h->flags;
    vmi_memcpy(&rec->id, h->identity, sizeof(rec->id));
    rec->count = h->count;
    rec->bytes_size = h->bytes_size;
    rec->entries = (const struct vmi_aot_record_entry *)((const uint8_t *)data + HDR);
    rec->bytes = (const uint8_t *)data + HDR + h->count * ENTRY;
    st = check_entries(rec, err);
    if (st != VMI_OK)
        vmi_memset(rec, 0, sizeof(*rec));
    return st;
}
/* SPDX-License-Identifier: GPL-2.0-only */
