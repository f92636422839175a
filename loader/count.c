/* vmi.count=1: the counting version of the plan (vmi_plan_count in the core, docs/specializer.md)
 * written to Linux's pv sites, with the thunks and counters in the counting area
 * (count_area.h): every site jumps to a thunk that does `lock incl counter`, runs what the base
 * plan put at the site, and jumps back.  Linux behaves as under the base plan; the area is
 * reserved in the e820 map so Linux leaves it alone, and mapped by Linux's own lowmem mapping. */
#include "loader.h"
#include "loader_linux.h"
#include "bootparam.h"
#include "count_area.h"

static struct vmi_site_plan count_sites[COUNT_AREA_MAX_SITES];
static uint8_t count_code[COUNT_AREA_MAX_SITES * 16];
static struct vmi_plan count_plan;

int count_write(struct vmi_text *text, const struct loader_rom *lr, uint32_t page_offset,
                uint32_t guarded, struct ld_error *err)
{
    const struct vmi_plan *base = linux_plan_now();
    uint8_t *area = phys(COUNT_AREA_PHYS);
    struct count_area_header *h = (struct count_area_header *)area;
    struct vmi_error verr;
    char line[180];
    if (base->count > COUNT_AREA_MAX_SITES)
        return ld_fail(err, "vmi.count: %u sites, the counting area holds %u", base->count,
                       COUNT_AREA_MAX_SITES);
    memset(area, 0, COUNT_AREA_SIZE);
    struct vmi_count_area ca = {
        area + COUNT_THUNKS_OFFS, page_offset + COUNT_AREA_PHYS + COUNT_THUNKS_OFFS,
        COUNT_AREA_SIZE - COUNT_THUNKS_OFFS, 0, page_offset + COUNT_AREA_PHYS + COUNT_COUNTERS_OFFS
    };
    vmi_plan_init(&count_plan, count_sites, COUNT_AREA_MAX_SITES, count_code, sizeof(count_code));
    if (vmi_plan_count(&count_plan, base, lr ? &lr->rom : 0, &ca, &verr) != VMI_OK ||
        vmi_apply_ex(text, &count_plan, 0, 0, 0, &verr) != VMI_OK ||
        vmi_verify(text, &count_plan, &verr) != VMI_OK) {
        vmi_error_format(&verr, line, sizeof(line));
        return ld_fail(err, "vmi.count: %s", line);
    }
    uint32_t *addrs = (uint32_t *)(area + COUNT_ADDRS_OFFS);
    for (uint32_t i = 0; i < base->count; i++)
        addrs[i] = base->sites[i].addr;
    h->version = 1;
    h->sites = base->count;
    h->addrs_offs = COUNT_ADDRS_OFFS;
    h->counters_offs = COUNT_COUNTERS_OFFS;
    h->thunks_offs = COUNT_THUNKS_OFFS;
    h->thunks_len = ca.thunks_len;
    h->page_offset = page_offset;
    const char *pn = vmi_policy_name(base->policy);
    for (uint32_t k = 0; k + 1 < sizeof(h->policy) && pn[k]; k++)
        h->policy[k] = pn[k];
    h->magic = COUNT_AREA_MAGIC;
    kprintf("vmi-loader: count plan=%s sites=%u area=0x%x counters=0x%x thunks=0x%x "
            "thunk_bytes=%u guarded=%u\n", pn, base->count, COUNT_AREA_PHYS,
            COUNT_AREA_PHYS + COUNT_COUNTERS_OFFS, COUNT_AREA_PHYS + COUNT_THUNKS_OFFS,
            ca.thunks_len, guarded);
    return 0;
}

/* Linux's sanitize_e820_map lets the higher type win where entries overlap, so one reserved
 * entry over the RAM below 640 KiB takes the area out of what Linux allocates. */
int count_reserve(struct boot_params *bp, struct ld_error *err)
{
    if (bp->e820_entries >= E820_MAX)
        return ld_fail(err, "vmi.count: no room in the e820 map for the counting area");
    struct e820_entry *e = &bp->e820_map[bp->e820_entries++];
    e->addr = COUNT_AREA_PHYS;
    e->size = COUNT_AREA_SIZE;
    e->type = E820_RESERVED_TYPE;
    return 0;
}

/* The area must be RAM in the map the BIOS gave (and not under the loader or a module). */
int count_area_usable(const struct boot_info *bi, struct ld_error *err)
{
    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        const struct mem_region *r = &bi->mmap[i];
        if (r->type == E820_RAM && r->base <= COUNT_AREA_PHYS &&
            r->base + r->len >= COUNT_AREA_PHYS + COUNT_AREA_SIZE)
            return 0;
    }
    return ld_fail(err, "vmi.count: 0x%x-0x%x is not usable RAM in the BIOS memory map",
                   COUNT_AREA_PHYS, COUNT_AREA_PHYS + COUNT_AREA_SIZE);
}
/* SPDX-License-Identifier: GPL-2.0-only */
