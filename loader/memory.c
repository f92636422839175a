/* Where things go.  QEMU puts the modules right after the loader, so the 17 MB vmlinux module
 * usually lies across 16 MiB, where the kernel's segments must go: every module is moved to the
 * top of the usable RAM region that holds the kernel (the initrd highest, below Linux's
 * initrd_addr_max), keeping their order, before anything is loaded (docs/loader.md). */
#include "loader.h"

#define MB_USABLE 1

/* The end of the usable region holding [lo, hi), or 0. */
static uint32_t usable_top(const struct boot_info *bi, uint32_t lo, uint32_t hi)
{
    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        const struct mem_region *r = &bi->mmap[i];
        if (r->type != MB_USABLE || r->base > lo)
            continue;
        uint64_t end = r->base + r->len;
        if (end >= hi)
            return end > 0xfffff000ull ? 0xfffff000u : (uint32_t)end;
    }
    return 0;
}

int memory_plan(struct layout *lay, const struct boot_info *bi, const struct vmlinux *vm,
                uint32_t initrd_max, struct ld_error *err)
{
    lay->kernel_lo = PAGE_DOWN(vm->phys_lo);
    lay->kernel_hi = PAGE_UP(vm->phys_hi);
    lay->ram_top = usable_top(bi, lay->kernel_lo, lay->kernel_hi);
    if (!lay->ram_top)
        return ld_fail(err, "vmlinux: its segments 0x%x-0x%x are not inside usable RAM",
                       lay->kernel_lo, lay->kernel_hi);
    if ((uint32_t)__loader_end > lay->kernel_lo && (uint32_t)__loader_start < lay->kernel_hi)
        return ld_fail(err, "vmlinux: its segments 0x%x-0x%x overlap the loader", lay->kernel_lo,
                       lay->kernel_hi);
    /* the last module (the initrd) goes highest; the others below it, in order */
    uint32_t top = lay->ram_top;
    for (uint32_t i = bi->mod_count; i-- > 0;) {
        const struct module *m = &bi->mod[i];
        uint32_t len = PAGE_UP(m->end - m->start);
        if (i == 1 && top > initrd_max + 1)
            top = PAGE_DOWN(initrd_max + 1);
        if (len > top || top - len < lay->kernel_hi)
            return ld_fail(err, "not enough memory: %s (%u bytes) does not fit between the kernel's "
                           "end 0x%x and 0x%x", m->name, m->end - m->start, lay->kernel_hi, top);
        lay->mod_dest[i] = top - len;
        /* moving up in order never overwrites a module not yet moved */
        if (lay->mod_dest[i] < m->start)
            return ld_fail(err, "module %s at 0x%x lies above its place 0x%x at the top of RAM",
                           m->name, m->start, lay->mod_dest[i]);
        top = lay->mod_dest[i];
    }
    for (uint32_t i = 1; i < bi->mod_count; i++)
        if (bi->mod[i].start < bi->mod[i - 1].end)
            return ld_fail(err, "modules out of order: %s at 0x%x before %s", bi->mod[i].name,
                           bi->mod[i].start, bi->mod[i - 1].name);
    for (uint32_t i = 0; i < bi->mod_count; i++)
        if (bi->mod[i].start < (uint32_t)__loader_end)
            return ld_fail(err, "module %s at 0x%x overlaps the loader (ends 0x%x)", bi->mod[i].name,
                           bi->mod[i].start, (uint32_t)__loader_end);
    return 0;
}

void memory_move_modules(struct boot_info *bi, const struct layout *lay)
{
    /* highest source first: its destination is above every module still to move */
    for (uint32_t i = bi->mod_count; i-- > 0;) {
        struct module *m = &bi->mod[i];
        uint32_t len = m->end - m->start;
        memmove(phys(lay->mod_dest[i]), phys(m->start), len);
        m->start = lay->mod_dest[i];
        m->end = m->start + len;
    }
}
/* SPDX-License-Identifier: GPL-2.0-only */
