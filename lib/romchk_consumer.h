/* check-rom's consumer rules: the rules the Linux profile (spec/linux.vmi, generated into
 * include/vmi_linux.h) sets for a ROM, checked on the image.  docs/linux-rules.md. */
#ifndef VMI_AOT_ROMCHK_CONSUMER_H
#define VMI_AOT_ROMCHK_CONSUMER_H

#include "romchk.h"

/* Adds a finding "breaks KERNEL rule 'NAME': ..." for every rule of vmi_linux_rules[] the image
 * breaks.  Needs romchk_run()'s GetRelocationInfo answers (c->reloc_done); without them only the
 * header rule is checked. */
void romchk_consumer(struct romchk *c);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
