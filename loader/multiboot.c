/* The multiboot information (Multiboot 0.6.96): memory map, modules, command line.  Everything is
 * copied into the loader's own memory first, because QEMU places these structures right after the
 * modules, which the loader moves. */
#include "loader.h"

#define MULTIBOOT_MAGIC 0x2badb002u
#define MBI_MEM     (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_module {
    uint32_t mod_start, mod_end, string, reserved;
};

struct mb_mmap_entry {
    uint32_t size;                  /* of the rest of the entry */
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

static void copy_string(char *dst, uint32_t cap, uint32_t src)
{
    uint32_t n = 0;
    if (src)
        for (const char *s = phys(src); s[n] && n + 1 < cap; n++)
            dst[n] = s[n];
    dst[n] = 0;
}

static int read_mmap(struct boot_info *bi, const struct mb_info *mbi, struct ld_error *err)
{
    uint32_t at = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;
    while (at + 4 <= end) {
        const struct mb_mmap_entry *e = phys(at);
        if (e->size < 20 || at + 4 + e->size > end)
            return ld_fail(err, "multiboot: memory map entry at 0x%x has size %u", at, e->size);
        if (bi->mmap_count == MAX_MMAP)
            return ld_fail(err, "multiboot: more than %u memory map entries", MAX_MMAP);
        struct mem_region *r = &bi->mmap[bi->mmap_count++];
        r->base = e->base;
        r->len = e->len;
        r->type = e->type;
        at += 4 + e->size;
    }
    return 0;
}

int multiboot_read(struct boot_info *bi, uint32_t magic, uint32_t mbi_addr, struct ld_error *err)
{
    if (magic != MULTIBOOT_MAGIC)
        return ld_fail(err, "not started by a multiboot loader (eax=0x%x)", magic);
    const struct mb_info *mbi = phys(mbi_addr);
    if (mbi->flags & MBI_MEM) {
        bi->mem_lower_k = mbi->mem_lower;
        bi->mem_upper_k = mbi->mem_upper;
    }
    if (mbi->flags & MBI_CMDLINE)
        copy_string(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline);
    if (!(mbi->flags & MBI_MMAP))
        return ld_fail(err, "multiboot: no memory map");
    if (read_mmap(bi, mbi, err))
        return -1;
    if (!(mbi->flags & MBI_MODS) || mbi->mods_count == 0)
        return ld_fail(err, "no modules: give -initrd \"VMLINUX,INITRD\"");
    if (mbi->mods_count > MAX_MODULES)
        return ld_fail(err, "%u modules, at most %u", mbi->mods_count, MAX_MODULES);
    const struct mb_module *m = phys(mbi->mods_addr);
    for (uint32_t i = 0; i < mbi->mods_count; i++) {
        if (m[i].mod_end < m[i].mod_start)
            return ld_fail(err, "multiboot: module %u ends before it starts", i);
        bi->mod[i].start = m[i].mod_start;
        bi->mod[i].end = m[i].mod_end;
        copy_string(bi->mod[i].name, sizeof(bi->mod[i].name), m[i].string);
    }
    bi->mod_count = mbi->mods_count;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
