/* The .vmi_aot section and the identity record: see aot_record.h and docs/aot.md. */
#include "aot_record.h"
#include "vmi_aot.h"

#include <stdlib.h>
#include <string.h>

/* The generated packed structs are the layout (little-endian, as every target of this project):
 * records are filled as structs and copied out, never placed by literal offsets. */
void aot_id_encode(const struct vmi_aot_identity *id, uint8_t out[AOT_ID_SIZE])
{
    memcpy(out, id, sizeof *id);
}

void aot_id_decode(const uint8_t in[AOT_ID_SIZE], struct vmi_aot_identity *id)
{
    memcpy(id, in, sizeof *id);
}

size_t aot_rec_size(uint32_t count, uint32_t bytes_size)
{
    return AOT_REC_HEADER + (size_t)count * AOT_REC_ENTRY + bytes_size;
}

void aot_rec_encode(uint8_t *buf, const struct aot_rec *rec, const struct aot_rec_site *sites,
                    const uint8_t *orig)
{
    struct vmi_aot_record h = {
        .magic = VMI_AOT_REC_MAGIC, .version = AOT_REC_VERSION, .header_size = AOT_REC_HEADER,
        .entry_size = AOT_REC_ENTRY, .count = rec->count, .bytes_size = rec->bytes_size,
        .flags = rec->flags,
    };
    _Static_assert(sizeof h.identity == AOT_ID_SIZE, "the record holds one identity");
    aot_id_encode(&rec->id, h.identity);
    memcpy(buf, &h, sizeof h);
    uint8_t *e = buf + AOT_REC_HEADER;
    for (uint32_t i = 0; i < rec->count; i++, e += AOT_REC_ENTRY) {
        struct vmi_aot_record_entry en = {
            .addr = sites[i].addr, .record = sites[i].record, .bytes_off = sites[i].bytes_off,
            .call = sites[i].call, .len = sites[i].len, .decision = sites[i].decision,
            .reason = sites[i].reason,
        };
        memcpy(e, &en, sizeof en);
    }
    if (rec->bytes_size)
        memcpy(e, orig, rec->bytes_size);
}

/* The core's refusal, worded as before: the header fields where they are what is wrong. */
static int rec_refusal(struct aot_err *err, const char *path, const uint8_t *data, size_t len,
                       const struct vmi_error *verr)
{
    const struct vmi_aot_record *h = (const struct vmi_aot_record *)data;
    if (verr->offset == offsetof(struct vmi_aot_record, version) ||
        verr->offset == offsetof(struct vmi_aot_record, header_size))
        return aot_fail(err, "%s: section " AOT_SECTION_NAME "+0x4: version %u, header %u, entry "
                        "%u; expected %u, %u, %u", path, h->version, h->header_size,
                        h->entry_size, AOT_REC_VERSION, AOT_REC_HEADER, AOT_REC_ENTRY);
    if (len >= AOT_REC_HEADER && verr->offset == offsetof(struct vmi_aot_record, count))
        return aot_fail(err, "%s: section " AOT_SECTION_NAME "+0xc: %u sites and %u bytes need "
                        "%zu bytes, the section has %zu", path, h->count, h->bytes_size,
                        aot_rec_size(h->count, h->bytes_size), len);
    return aot_fail(err, "%s: section " AOT_SECTION_NAME "+0x%x: %s (expected 0x%x, found 0x%x)",
                    path, verr->offset, verr->reason, verr->expected, verr->actual);
}

/* The bytes are decoded and checked by the core (vmi_aot_record_decode); this keeps the hosted
 * part: the error message and the allocated array of entries. */
int aot_rec_parse(struct aot_rec *rec, const uint8_t *data, size_t len, const char *path,
                  struct aot_err *err)
{
    struct vmi_aot_record_view view;
    struct vmi_error verr;
    memset(rec, 0, sizeof *rec);
    if (len > UINT32_MAX)
        return aot_fail(err, "%s: section " AOT_SECTION_NAME " is %zu bytes, too large", path, len);
    if (vmi_aot_record_decode(&view, data, (uint32_t)len, &verr) != VMI_OK)
        return rec_refusal(err, path, data, len, &verr);
    struct aot_rec_site *s = calloc(view.count ? view.count : 1, sizeof *s);
    if (!s)
        return aot_fail(err, "%s: out of memory for %u sites", path, view.count);
    for (uint32_t i = 0; i < view.count; i++) {
        const struct vmi_aot_record_entry *e = &view.entries[i];
        s[i] = (struct aot_rec_site){ e->addr, e->record, e->bytes_off, e->call, e->len,
                                      e->decision, e->reason };
    }
    rec->flags = view.flags;
    rec->id = view.id;
    rec->count = view.count;
    rec->bytes_size = view.bytes_size;
    rec->sites = s;
    rec->bytes = view.bytes;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
