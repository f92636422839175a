/* The recommended multi-byte NOPs (Intel SDM, "Recommended Multi-Byte Sequence of NOP"), 1 to 9
 * bytes.  A gap is filled with the fewest of them: as many 9-byte NOPs as fit, then one for the
 * rest.  The generator pads native sites with this rule and publishes the table in vmi_abi.h, so
 * the inliner fills and recognizes exactly the same bytes. */
#ifndef VMI_GEN_NOPS_H
#define VMI_GEN_NOPS_H

#include <stdint.h>

#define NOP_MAX 9
extern const uint8_t nop_forms[NOP_MAX + 1][NOP_MAX];

/* Writes len bytes of NOPs at buf. */
void nop_fill(uint8_t *buf, unsigned len);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
