/* The rel32 call / jmp: the one writer of the branches a plan and a counting plan put down. */
#include "vmi_internal.h"

uint32_t vmi_write_rel32_branch(uint8_t *out, uint8_t opcode, uint32_t at, uint32_t target)
{
    out[0] = opcode;
    vmi_wr32(out + 1, target - (at + VMI_BRANCH_LEN));
    return VMI_BRANCH_LEN;
}
/* SPDX-License-Identifier: GPL-2.0-only */
