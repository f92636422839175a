/* The counting area (vmi.count=1, docs/profiling.md): per-site execution counters for Linux's pv
 * sites, in low memory that the loader takes out of the e820 map it gives Linux, so Linux never
 * reuses it; Linux maps it at PAGE_OFFSET + physical like all low memory.  This header is the one
 * description of its layout: the loader writes it, the guest workload (tools/vmi-prof/linux/)
 * reads it through /dev/mem (the address reaches init as the environment variable vmicount=,
 * from Linux's command line). */
#ifndef LOADER_COUNT_AREA_H
#define LOADER_COUNT_AREA_H

#include <stdint.h>

#define COUNT_AREA_PHYS      0x80000u   /* below the EBDA; usable RAM in QEMU's BIOS map */
#define COUNT_AREA_PHYS_STR  "0x80000"  /* the same, for the command line */
#define COUNT_AREA_SIZE      0x18000u   /* 96 KiB: header, addresses, counters, thunks */
#define COUNT_AREA_MAX_SITES 4096u
#define COUNT_ADDRS_OFFS     0x1000u    /* uint32_t Linux address of site i, plan order */
#define COUNT_COUNTERS_OFFS  0x5000u    /* uint32_t executions of site i */
#define COUNT_THUNKS_OFFS    0x9000u    /* the counting plan's thunks */
#define COUNT_AREA_MAGIC     0x544e4356u  /* "VCNT" */

struct count_area_header {
    uint32_t magic;
    uint32_t version;                   /* 1 */
    uint32_t sites;
    uint32_t addrs_offs, counters_offs, thunks_offs, thunks_len;
    uint32_t page_offset;               /* Linux's PAGE_OFFSET: virtual = page_offset + physical */
    char policy[16];                    /* the base plan's policy name */
};

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
