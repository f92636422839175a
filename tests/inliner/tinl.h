/* Shared helpers of the inliner's unit tests. */
#ifndef TINL_H
#define TINL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vmi_inliner.h"
#include "romgen.h"

#define T_ROM_BASE   0x000c8000u
#define T_TEXT_BASE  0x08048000u
#define T_TEXT_SIZE  0x1000u
#define T_REC_ADDR   0x0804a000u     /* where the site records live */
#define T_MAX_SITES  64

struct tsite {
    uint32_t addr;
    uint8_t  call, len, clobbers, flags;
    uint32_t cv;
};

/* A site with the call's reserve and clobbers, flags from the call. */
struct tsite tsite_std(uint32_t addr, uint8_t call);

/* Encodes n records at T_REC_ADDR into buf; returns the byte count. */
uint32_t trecords(uint8_t *buf, const struct tsite *s, int n);

/* Reads n sites into table (backed by a static array); asserts success. */
void tread(struct vmi_site_table *table, const struct tsite *s, int n);

/* Builds a ROM with the bodies at T_ROM_BASE into img and probes it; asserts success. */
void tmkrom(struct vmi_rom *rom, uint8_t *img, const struct romgen_body *b, int n);

/* A text of T_TEXT_SIZE bytes at T_TEXT_BASE filled with int3, with each site's native bytes. */
void ttext(struct vmi_text *text, uint8_t *buf, const struct vmi_site_table *table);

/* Decodes code that was moved from orig_addr to site side by side with the original: same
 * instructions, branches inside the len bytes keep their offset, branches out keep their absolute
 * target.  Returns the number of branches. */
int tinl_compare_moved(const uint8_t *orig, uint32_t orig_addr, const uint8_t *copy,
                       uint32_t site, uint32_t len);

int run_rom_tests(void);
int run_count_tests(void);
int run_linux_tests(void);
int run_site_tests(void);
int run_plan_tests(void);
int run_reloc_tests(void);
int run_apply_tests(void);
int run_linux_site_tests(void);
int run_fastpath_tests(void);
int run_aot_tests(void);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
