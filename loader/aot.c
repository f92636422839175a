/* A pre-specialized Linux kernel (vmi-aot specialize, docs/aot.md and docs/loader.md): its sites
 * hold the bytes planned for one ROM at one address, and the non-allocated section .vmi_aot keeps
 * a copy of the identity record and every site's original bytes.  The layout constants are
 * vmi-aot's own (tools/vmi-aot/aot_record.h); the hashes are the core's (vmi_sites_hash,
 * vmi_fnv1a64), the comparisons those of guest/patch.c. */
#include "loader.h"
#include "loader_linux.h"
#include "aot_record.h"

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }

/* The header, then one entry per site, then the bytes: the entries must be the site table's
 * sites, in its (address) order, with their bytes laid out one after another as in a plan. */
static int check_entries(const uint8_t *e, uint32_t count, uint32_t bytes_size,
                         const struct vmi_site_table *sites, struct ld_error *err)
{
    uint32_t off = 0;
    if (count != sites->count)
        return ld_fail(err, "vmlinux: .vmi_aot has %u sites, .parainstructions %u", count, sites->count);
    for (uint32_t i = 0; i < count; i++, e += AOT_REC_ENTRY) {
        const struct vmi_site_info *s = &sites->sites[i];
        if (rd32(e) != s->addr || e[0xd] != s->len || rd32(e + 8) != off)
            return ld_fail(err, "vmlinux: .vmi_aot entry %u (0x%x, %u bytes at +%u) is not site "
                           "0x%x of %u bytes", i, rd32(e), e[0xd], rd32(e + 8), s->addr, s->len);
        off += s->len;
    }
    if (off != bytes_size)
        return ld_fail(err, "vmlinux: .vmi_aot holds %u original bytes, the sites %u", bytes_size, off);
    return 0;
}

int aot_read(struct aot_image *aot, const struct vmlinux *vm, const struct vmi_site_table *sites,
             struct ld_error *err)
{
    uint32_t addr, offset, size;
    struct ld_error absent;
    memset(aot, 0, sizeof(*aot));
    if (vmlinux_section(vm, AOT_SECTION_NAME, &addr, &offset, &size, &absent))
        return 0;                           /* not specialized */
    const uint8_t *d = vm->file + offset;
    if (size < AOT_REC_HEADER || memcmp(d, AOT_REC_MAGIC, 4) || rd16(d + 4) != AOT_REC_VERSION ||
        rd16(d + 6) != AOT_REC_HEADER || rd16(d + 8) != AOT_REC_ENTRY)
        return ld_fail(err, "vmlinux: .vmi_aot (%u bytes): not a version %u record", size,
                       AOT_REC_VERSION);
    uint32_t count = rd32(d + 0x0c), bytes_size = rd32(d + 0x10), flags = rd32(d + 0x14);
    if (count > (size - AOT_REC_HEADER) / AOT_REC_ENTRY ||
        bytes_size != size - AOT_REC_HEADER - count * AOT_REC_ENTRY)
        return ld_fail(err, "vmlinux: .vmi_aot+0xc: %u sites and %u bytes do not fill its %u bytes",
                       count, bytes_size, size);
    if (!(flags & AOT_REC_F_LINUX) || (flags & ~(AOT_REC_F_IDENTITY | AOT_REC_F_LINUX)))
        return ld_fail(err, "vmlinux: .vmi_aot+0x14: flags 0x%x, not a Linux kernel's record", flags);
    if (check_entries(d + AOT_REC_HEADER, count, bytes_size, sites, err))
        return -1;
    memcpy(&aot->id, d + 0x18, AOT_ID_SIZE);   /* struct vmi_aot_identity, little-endian */
    aot->original = d + AOT_REC_HEADER + count * AOT_REC_ENTRY;
    aot->original_len = bytes_size;
    aot->present = 1;
    return 0;
}

enum aot_state aot_check(const struct aot_image *aot, const struct vmi_text *text,
                         const struct vmi_site_table *sites, const struct loader_rom *lr,
                         uint64_t *sites_hash)
{
    const struct vmi_aot_identity *id = &aot->id;
    struct vmi_error verr;
    if (id->magic != VMI_AOT_MAGIC || id->version != VMI_AOT_VERSION ||
        id->hash_kind != VMI_AOT_HASH_FNV1A64 || id->policy >= VMI_POLICY_COUNT)
        return AOT_UNTRUSTED;
    if (vmi_sites_hash(text, sites, sites_hash, &verr) != VMI_OK || *sites_hash != id->sites_hash ||
        sites->count != id->site_count)
        return AOT_UNTRUSTED;               /* the text is not what vmi-aot wrote */
    if (!lr)
        return AOT_MISMATCH;
    uint64_t rh = vmi_fnv1a64(VMI_FNV1A64_INIT, lr->rom.image, lr->rom.size);
    if (rh != id->rom_hash || lr->rom.size != id->rom_size || lr->rom.base != id->rom_base)
        return AOT_MISMATCH;
    return AOT_MATCH;
}

const char *aot_state_name(enum aot_state s)
{
    static const char *const names[] = { "none", "match", "mismatch", "untrusted" };
    return s <= AOT_UNTRUSTED ? names[s] : "?";
}
