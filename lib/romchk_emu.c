/* check-rom's way of asking GetRelocationInfo: execute it, on a copy of the image placed at a
 * chosen linear address, on check-rom's machine (romchk_mach.c) in user mode, with only the image
 * (read-only) and a 512-byte stack mapped, so a ROM that does more is reported, not guessed at. */
#include "romchk.h"
#include "romchk_mach.h"

#include <string.h>

#define STACK_TOP  0x00001000u
#define STACK_SIZE 512u
#define SENTINEL   0xfffffff0u
#define MAX_STEPS  2000

int romchk_emu_call(const uint8_t *img, uint32_t size, uint32_t base, uint32_t entry,
                    uint32_t eax_in, uint32_t *eax, uint32_t *edx, struct aot_err *err)
{
    static struct mach zero;
    static uint8_t stack[STACK_SIZE];
    struct mach m = zero;
    memset(stack, 0, sizeof stack);
    mach_map(&m, base, size, (uint8_t *)img, 0, "image");
    mach_map(&m, STACK_TOP - STACK_SIZE, STACK_SIZE, stack, 1, "stack");
    for (int i = 0; i < 8; i++)
        m.r[i] = 0xdead0000u + (uint32_t)i;    /* garbage the code must not depend on */
    m.r[M_ESP] = STACK_TOP;
    m.r[M_EAX] = eax_in;
    m.eflags = 0x202;
    if (mach_push(&m, SENTINEL) < 0)
        return aot_fail(err, "%s", m.why);
    enum mach_outcome o = mach_run(&m, base + entry, SENTINEL, MAX_STEPS);
    if (o != MACH_DONE)
        return aot_fail(err, "%s", o == MACH_TRAP ? "it reaches ud2" : m.why);
    if (m.r[M_ESP] != STACK_TOP)
        return aot_fail(err, "returned with ESP moved by %d bytes", (int)(m.r[M_ESP] - STACK_TOP));
    *eax = m.r[M_EAX];
    *edx = m.r[M_EDX];
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
