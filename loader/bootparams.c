/* The zero page (struct boot_params, bootparam.h) for the 32-bit boot protocol: the setup header
 * a bzImage would carry, with the fields a boot loader writes, and the e820 map from the multiboot
 * memory map.  Linux's head_32.S copies it and the command line before it uses any memory. */
#include "loader.h"
#include "bootparam.h"

static void fill_e820(struct boot_params *bp, const struct boot_info *bi)
{
    uint32_t n = 0;
    uint64_t ext_end = 0x100000;
    for (uint32_t i = 0; i < bi->mmap_count && n < E820_MAX; i++) {
        const struct mem_region *r = &bi->mmap[i];
        if (!r->len)
            continue;
        bp->e820_map[n].addr = r->base;
        bp->e820_map[n].size = r->len;
        bp->e820_map[n].type = r->type;   /* multiboot uses the e820 type numbers */
        n++;
        if (r->type == E820_RAM && r->base == 0x100000)
            ext_end = r->base + r->len;
    }
    bp->e820_entries = (uint8_t)n;
    /* the fallback Linux reads without an e820 map: KiB above 1 MiB */
    bp->alt_mem_k = bi->mem_upper_k ? bi->mem_upper_k : (uint32_t)((ext_end - 0x100000) >> 10);
}

void bootparams_fill(struct boot_params *bp, const struct boot_info *bi, const char *cmdline,
                     uint32_t initrd, uint32_t initrd_size)
{
    memset(bp, 0, sizeof(*bp));
    struct setup_header *h = &bp->hdr;
    h->boot_flag = BOOT_FLAG;
    h->header = BOOT_HDRS;
    h->version = BOOT_VERSION;
    h->type_of_loader = LOADER_TYPE_UNDEFINED;  /* nonzero: Linux ignores the initrd otherwise */
    h->loadflags = LOADED_HIGH;                 /* not KEEP_SEGMENTS: head_32.S loads its own */
    h->code32_start = 0x100000;                 /* unused on the 32-bit entry; the bzImage default */
    h->ramdisk_image = initrd;
    h->ramdisk_size = initrd_size;
    h->cmd_line_ptr = (uint32_t)cmdline;
    h->initrd_addr_max = INITRD_ADDR_MAX_DEFAULT;
    h->cmdline_size = CMDLINE_MAX - 1;
    h->hardware_subarch = 0;                    /* X86_SUBARCH_PC: head_32.S's default_entry */
    fill_e820(bp, bi);
}
/* SPDX-License-Identifier: GPL-2.0-only */
