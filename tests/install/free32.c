/* check-install: a freestanding 32-bit program, as a kernel would be, built with
 * `cc -m32 -ffreestanding -nostdlib -static ... $(pkg-config --cflags --libs
 * vmi-inline-freestanding32)` against the installed core.  Its own _start fills 9 bytes with the
 * core's nops and leaves through the i386 exit system call: status 0 when the core wrote one
 * instruction, the 9-byte NOP of vmi_abi.h, and nothing past it; 1 otherwise (it runs on an
 * x86-64 Linux with 32-bit support). */
#include "vmi_inliner.h"

static void leave(int status)
{
    __asm__ volatile("int $0x80" : : "a"(1), "b"(status));
    for (;;) {
    }
}

void _start(void)
{
    uint8_t buf[16];
    vmi_memset(buf, 0xcc, sizeof buf);
    uint32_t n = vmi_nop_fill(buf, 9);
    leave(n == 1 && vmi_memcmp(buf, vmi_nops[9], 9) == 0 && buf[9] == 0xcc ? 0 : 1);
}
/* SPDX-License-Identifier: GPL-2.0-only */
