/* Finding the VMI ROM and bringing it up, as Linux 2.6.21's vmi_init() does: scan 0xc0000-0xdffff
 * in 2 KiB steps (the inliner's vmi_rom_scan: Linux's checks, then the checksum), reserve the hole
 * above virtual_top (its first page is the pv state page, which the platform fills), copy the ROM
 * to its run-time address vmi_rom_area (docs/aot.md), and call VMI_Init there with interrupts off. */
#include "kernel.h"
#include "platform.h"
#include "vmi_inliner.h"

struct boot_rom boot_rom;
struct vmi_rom rom_info;

static void copy_str(char *dst, uint32_t cap, const uint8_t *img, uint32_t size, uint32_t offs)
{
    uint32_t n = 0;
    if (offs)
        for (; offs + n < size && img[offs + n] && n + 1 < cap; n++)
            dst[n] = (char)img[offs + n];
    dst[n] = 0;
}

static vmi_status reloc_query(void *ctx, uint8_t call, struct vmi_relocation_info *out)
{
    (void)ctx;
    uint64_t r = rom_get_reloc(call);
    out->eip = (uint32_t)r;
    out->type = (uint8_t)(r >> 32);
    return VMI_OK;
}

struct vmi_reloc_table rom_relocs;

/* Calls the ROM's GetRelocationInfo (regparm(2): the call in EAX, the answer in EDX:EAX). */
uint64_t rom_get_reloc(uint32_t call)
{
    uint32_t lo, hi;
    __asm__ volatile("call *%[fn]"
                     : "=a"(lo), "=d"(hi)
                     : "a"(call), [fn] "r"(boot_rom.base + VMI_ROM_GET_RELOC_OFFSET)
                     : "ecx", "cc", "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* The platform in this kernel plays the hypervisor, so VMI_Init gets its hello (EAX = the state
 * page's magic, EDX = virtual_top: docs/pv-rom.md); a ROM with no platform check ignores it. */
static uint32_t rom_init_call(void)
{
    uint32_t ret, edx = boot_rom.virtual_top;
    __asm__ volatile("call *%[fn]"
                     : "=a"(ret), "+d"(edx)
                     : "a"(VMI_PV_STATE_MAGIC), [fn] "r"(boot_rom.base + VMI_ROM_INIT_OFFSET)
                     : "ecx", "cc", "memory");
    return ret;
}

/* Returns 1 when a ROM was found and initialized, 0 to run native. */
int rom_find_and_init(void)
{
    struct vmi_error err;
    char line[200];
    vmi_status st = vmi_rom_scan(&rom_info, (const void *)VMI_ROM_SCAN_START, VMI_ROM_SCAN_START,
                                 VMI_ROM_SCAN_END - VMI_ROM_SCAN_START, 0, &err);
    if (st != VMI_OK) {
        vmi_error_format(&err, line, sizeof(line));
        kprintf("rom found=0 scan=0x%x-0x%x %s\n", VMI_ROM_SCAN_START, VMI_ROM_SCAN_END, line);
        return 0;
    }
    const uint8_t *img = rom_info.image;
    const struct vrom_header *h = (const void *)img;
    const struct pnp_header *pnp = h->pnp_header_offs ? (const void *)(img + h->pnp_header_offs) : 0;

    boot_rom.found = 1;
    boot_rom.phys = rom_info.base;
    boot_rom.size = rom_info.size;
    boot_rom.virtual_top = rom_info.virtual_top;
    copy_str(boot_rom.manufacturer, sizeof(boot_rom.manufacturer), img, rom_info.size,
             pnp ? pnp->manufacturer_offset : 0);
    copy_str(boot_rom.product, sizeof(boot_rom.product), img, rom_info.size,
             pnp ? pnp->product_offset : 0);
    kprintf("rom found=1 phys=0x%x size=%u manufacturer=\"%s\" product=\"%s\" api=%u.%u "
            "rom_version=%u.%u license=\"%s\" checksum=ok inline=%u virtual_top=0x%x warnings=0x%x\n",
            boot_rom.phys, boot_rom.size, boot_rom.manufacturer, boot_rom.product,
            rom_info.api_major, rom_info.api_minor, rom_info.rom_version_major,
            rom_info.rom_version_minor, (const char *)img + rom_info.license_offs,
            rom_info.has_inline, rom_info.virtual_top, rom_info.warnings);

    if (boot_rom.size > VMI_ROM_AREA_SIZE)
        panic("ROM of %u bytes does not fit vmi_rom_area (%u)", boot_rom.size, VMI_ROM_AREA_SIZE);
    /* Linux: reserve_top_address(-virtual_top); our platform puts its state page there. */
    platform_reserve_hole(boot_rom.virtual_top);

    memcpy(vmi_rom_area, img, boot_rom.size);
    boot_rom.base = (uint32_t)vmi_rom_area;
    /* re-read the header from the copy: every address the inliner computes uses the run-time base */
    st = vmi_rom_probe(&rom_info, vmi_rom_area, boot_rom.size, boot_rom.base, 0, &err);
    if (st != VMI_OK) {
        vmi_error_format(&err, line, sizeof(line));
        panic("the copied ROM fails the probe: %s", line);
    }

    /* interrupts are off: multiboot enters with IF clear and nothing has set it (Linux calls
     * VMI_Init with interrupts off); no call site may run before the sites are patched */
    uint32_t ret = rom_init_call();
    kprintf("rom init=%d base=0x%x\n", (int)ret, boot_rom.base);
    if (ret != 0) {
        kprintf("rom VMI_Init failed: running native\n");
        boot_rom.found = 0;
        return 0;
    }
    st = vmi_reloc_table_fill(&rom_relocs, reloc_query, 0, &err);
    if (st != VMI_OK) {
        vmi_error_format(&err, line, sizeof(line));
        panic("GetRelocationInfo: %s", line);
    }
    return 1;
}
/* SPDX-License-Identifier: GPL-2.0-only */
