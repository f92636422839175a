/* Finding the VMI ROM as Linux 2.6.32's probe_vmi_rom() does: every 2 KiB from 0xc0000 to 0xe0000,
 * a candidate is a block with the 55 aa and "cVmi" signatures, and the first that passes the
 * inliner's vmi_rom_probe (Linux's checks, the checksum, the inline extension) is the ROM.  It is
 * probed at the address Linux will call it at, PAGE_OFFSET + its physical address.  The relocation
 * answers come from executing the ROM's GetRelocationInfo, as Linux does. */
#include "loader.h"
#include "loader_rom.h"

/* A second copy of the ROM at another address: GetRelocationInfo must answer relative to where
 * it runs, because the loader (paging off) runs it at the physical address and Linux at
 * PAGE_OFFSET + that. */
static uint8_t rom_copy[VMI_ROM_SCAN_END - VMI_ROM_SCAN_START] __attribute__((aligned(4096)));

static uint64_t get_reloc_at(uint32_t base, uint32_t call)
{
    uint32_t eax = call, edx;
    __asm__ volatile("call *%2" : "+a"(eax), "=d"(edx) : "r"(base + VMI_ROM_GET_RELOC_OFFSET)
                     : "ecx", "cc", "memory");
    return ((uint64_t)edx << 32) | eax;
}

struct reloc_ctx {
    struct loader_rom *lr;
    uint32_t copy;
};

static vmi_status reloc_query(void *ctx, uint8_t call, struct vmi_relocation_info *out)
{
    struct reloc_ctx *c = ctx;
    uint64_t a = get_reloc_at(c->lr->phys, call), b = get_reloc_at(c->copy, call);
    uint32_t type = (uint8_t)(a >> 32);
    out->type = (uint8_t)type;
    out->eip = 0;
    if (type != (uint8_t)(b >> 32))
        return VMI_E_RELOC_QUERY;
    if (type == VMI_RELOCATION_CALL_REL || type == VMI_RELOCATION_JUMP_REL) {
        uint32_t off = (uint32_t)a - c->lr->phys;
        if ((uint32_t)b - c->copy != off)
            return VMI_E_RELOC_QUERY;       /* not relative to where it runs */
        out->eip = c->lr->rom.base + off;   /* where Linux will reach the routine */
    }
    return VMI_OK;
}

static int is_candidate(const struct vrom_header *h)
{
    return h->rom_signature == VMI_ROM_SIGNATURE && h->vrom_signature == VMI_SIGNATURE;
}

int rom_find(struct loader_rom *lr, uint32_t page_offset, struct ld_error *err)
{
    char line[180];
    struct vmi_error verr;
    int bad = 0;
    memset(lr, 0, sizeof(*lr));
    for (uint32_t pa = VMI_ROM_SCAN_START; pa < VMI_ROM_SCAN_END; pa += VMI_ROM_SCAN_STEP) {
        if (!is_candidate(phys(pa)))
            continue;
        vmi_status st = vmi_rom_probe(&lr->rom, phys(pa), VMI_ROM_SCAN_END - pa, page_offset + pa,
                                      0, &verr);
        if (st == VMI_OK) {
            lr->found = 1;
            lr->phys = pa;
            return 0;
        }
        if (!bad) {
            /* Linux goes on to the next candidate too; the first failure is the one reported */
            vmi_error_format(&verr, line, sizeof(line));
            ld_fail(err, "ROM at 0x%x fails the probe: %s", pa, line);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

int rom_needs_hypervisor(const struct loader_rom *lr)
{
    /* 0: no hole at all (Linux reserves -0 = nothing) */
    return lr->rom.virtual_top != 0 && lr->rom.virtual_top < ROM_BARE_VIRTUAL_TOP;
}

int rom_relocs(struct loader_rom *lr, struct ld_error *err)
{
    char line[180];
    struct vmi_error verr;
    if (lr->rom.size > sizeof(rom_copy))
        return ld_fail(err, "ROM at 0x%x: %u bytes", lr->phys, lr->rom.size);
    memcpy(rom_copy, phys(lr->phys), lr->rom.size);
    struct reloc_ctx ctx = { lr, (uint32_t)rom_copy };
    if (vmi_reloc_table_fill(&lr->relocs, reloc_query, &ctx, &verr) != VMI_OK) {
        vmi_error_format(&verr, line, sizeof(line));
        return ld_fail(err, "ROM at 0x%x: GetRelocationInfo: %s (answers must be relative to where "
                       "the ROM runs)", lr->phys, line);
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
