/* The loader's module parsing built hosted (tests/loader/hosted/, docs/reliability.md §6): the
 * loader's own multiboot.c, options.c, vmlinux.c, memory.c, linux_config.c, patch.c and aot.c,
 * compiled for a 32-bit user process, run on a vmlinux as the loader runs them on its first
 * module, with a mapping at the same addresses standing for the machine's RAM. */
#ifndef LOADER_HOSTED_H
#define LOADER_HOSTED_H

#include <stddef.h>
#include <stdint.h>

struct hosted_result {
    unsigned config;                /* VMI_LINUX_CFG_* bits of the configuration that fits */
    uint32_t sites;                 /* .parainstructions records read */
    const char *aot;                /* none, or the pre-specialized image's state without a ROM */
    uint32_t kernel_lo, kernel_hi;  /* the kernel's physical range */
};

/* 0: the loader reads the image (result filled); -1: it refuses, msg holds its one line;
 * -2: the RAM could not be mapped (msg). */
int loader_hosted_parse(const uint8_t *elf, uint32_t size, struct hosted_result *res, char *msg,
                        size_t cap);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
