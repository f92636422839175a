/* The .vmi_aot section and the identity record: see aot_record.h and docs/aot.md. */
#include "aot_record.h"
#include "vmi_aot.h"

#include <stdlib.h>
#include <string.h>

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

void aot_id_encode(const struct vmi_aot_identity *id, uint8_t out[AOT_ID_SIZE])
{
    memset(out, 0, AOT_ID_SIZE);
    put32(out + 0x00, id->magic);
    put16(out + 0x04, id->version);
    out[0x06] = id->hash_kind;
    out[0x07] = id->policy;
    put64(out + 0x08, id->rom_hash);
    put32(out + 0x10, id->rom_size);
    put32(out + 0x14, id->rom_base);
    put32(out + 0x18, id->site_count);
    put32(out + 0x1c, id->reserved);
    put64(out + 0x20, id->sites_hash);
}

/* The generated packed struct is the layout (little-endian, as every target of this project). */
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
    memset(buf, 0, AOT_REC_HEADER);
    put32(buf + 0x00, VMI_AOT_REC_MAGIC);
    put16(buf + 0x04, AOT_REC_VERSION);
    put16(buf + 0x06, AOT_REC_HEADER);
    put16(buf + 0x08, AOT_REC_ENTRY);
    put32(buf + 0x0c, rec->count);
    put32(buf + 0x10, rec->bytes_size);
    put32(buf + 0x14, rec->flags);
    aot_id_encode(&rec->id, buf + 0x18);
    uint8_t *e = buf + AOT_REC_HEADER;
    for (uint32_t i = 0; i < rec->count; i++, e += AOT_REC_ENTRY) {
        put32(e + 0x0, sites[i].addr);
        put32(e + 0x4, sites[i].record);
        put32(e + 0x8, sites[i].bytes_off);
        e[0xc] = sites[i].call;
        e[0xd] = sites[i].len;
        e[0xe] = sites[i].decision;
        e[0xf] = sites[i].reason;
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
