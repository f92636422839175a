/* The .vmi_aot section and the identity record: see aot_record.h and docs/aot.md. */
#include "aot_record.h"

#include <stdlib.h>
#include <string.h>

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }
static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

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

void aot_id_decode(const uint8_t in[AOT_ID_SIZE], struct vmi_aot_identity *id)
{
    memset(id, 0, sizeof *id);
    id->magic = get32(in + 0x00);
    id->version = (uint16_t)get16(in + 0x04);
    id->hash_kind = in[0x06];
    id->policy = in[0x07];
    id->rom_hash = get64(in + 0x08);
    id->rom_size = get32(in + 0x10);
    id->rom_base = get32(in + 0x14);
    id->site_count = get32(in + 0x18);
    id->reserved = get32(in + 0x1c);
    id->sites_hash = get64(in + 0x20);
}

size_t aot_rec_size(uint32_t count, uint32_t bytes_size)
{
    return AOT_REC_HEADER + (size_t)count * AOT_REC_ENTRY + bytes_size;
}

void aot_rec_encode(uint8_t *buf, const struct aot_rec *rec, const struct aot_rec_site *sites,
                    const uint8_t *orig)
{
    memset(buf, 0, AOT_REC_HEADER);
    memcpy(buf, AOT_REC_MAGIC, 4);
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

int aot_rec_parse(struct aot_rec *rec, const uint8_t *data, size_t len, const char *path,
                  struct aot_err *err)
{
    memset(rec, 0, sizeof *rec);
    if (len < AOT_REC_HEADER)
        return aot_fail(err, "%s: section " AOT_SECTION_NAME " is %zu bytes, shorter than its "
                        "0x%x-byte header", path, len, AOT_REC_HEADER);
    if (memcmp(data, AOT_REC_MAGIC, 4) != 0)
        return aot_fail(err, "%s: section " AOT_SECTION_NAME "+0x0: magic is not " AOT_REC_MAGIC,
                        path);
    if (get16(data + 4) != AOT_REC_VERSION || get16(data + 6) != AOT_REC_HEADER ||
        get16(data + 8) != AOT_REC_ENTRY)
        return aot_fail(err, "%s: section " AOT_SECTION_NAME "+0x4: version %u, header %u, entry "
                        "%u; expected %u, %u, %u", path, get16(data + 4), get16(data + 6),
                        get16(data + 8), AOT_REC_VERSION, AOT_REC_HEADER, AOT_REC_ENTRY);
    rec->count = get32(data + 0x0c);
    rec->bytes_size = get32(data + 0x10);
    rec->flags = get32(data + 0x14);
    aot_id_decode(data + 0x18, &rec->id);
    if (aot_rec_size(rec->count, rec->bytes_size) != len)
        return aot_fail(err, "%s: section " AOT_SECTION_NAME "+0xc: %u sites and %u bytes need "
                        "%zu bytes, the section has %zu", path, rec->count, rec->bytes_size,
                        aot_rec_size(rec->count, rec->bytes_size), len);
    if (rec->flags & ~(AOT_REC_F_IDENTITY | AOT_REC_F_LINUX))
        return aot_fail(err, "%s: section " AOT_SECTION_NAME "+0x14: unknown flags 0x%x", path,
                        rec->flags);
    struct aot_rec_site *s = calloc(rec->count ? rec->count : 1, sizeof *s);
    if (!s)
        return aot_fail(err, "%s: out of memory for %u sites", path, rec->count);
    const uint8_t *e = data + AOT_REC_HEADER;
    for (uint32_t i = 0; i < rec->count; i++, e += AOT_REC_ENTRY) {
        s[i].addr = get32(e);
        s[i].record = get32(e + 4);
        s[i].bytes_off = get32(e + 8);
        s[i].call = e[0xc];
        s[i].len = e[0xd];
        s[i].decision = e[0xe];
        s[i].reason = e[0xf];
        size_t at = (size_t)(e - data);
        if ((uint64_t)s[i].bytes_off + s[i].len > rec->bytes_size ||
            (i && (uint64_t)s[i - 1].addr + s[i - 1].len > s[i].addr)) {
            aot_fail(err, "%s: section " AOT_SECTION_NAME "+0x%zx: entry %u (0x%08x, %u "
                     "bytes at +%u) is outside the bytes area or not after the previous",
                     path, at, i, s[i].addr, s[i].len, s[i].bytes_off);
            free(s);        /* after the message, which reads s[i] */
            return -1;
        }
    }
    rec->sites = s;
    rec->bytes = data + AOT_REC_HEADER + (size_t)rec->count * AOT_REC_ENTRY;
    return 0;
}
