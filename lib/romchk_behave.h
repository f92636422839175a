/* check-rom's behavioural proof (docs/rom-format.md, "What the behaviour check proves"): every
 * implementation a ROM offers for a call is run on many random machine states on check-rom's
 * machine (romchk_mach.h) and compared with a reference on the same state:
 *   - an inline body with the routine GetRelocationInfo answers for its call;
 *   - a constant variant, its argument bound, with that routine under the same binding;
 *   - native flavor: every routine and body with the spec's native sequence for its call;
 *   - pv flavor: every routine and body with the reference model (inliner/vmi_pv_model.h).
 * The results must agree in every result register, every non-clobbered register (which must
 * keep its value), EFLAGS.IF/DF/IOPL, the control, debug and descriptor registers, the state
 * page, the memory behind pointer arguments and the stack at and above the site's ESP, and the
 * sequence of side effects (hypercalls with their frames, queue drains, wbinvd, invlpg, out, hlt,
 * wrmsr).  A finding names the implementation, the reference, the input state and the first
 * register or byte that differs. */
#ifndef VMI_AOT_ROMCHK_BEHAVE_H
#define VMI_AOT_ROMCHK_BEHAVE_H

#include "romchk.h"

/* States per comparison: 48 systematic (every argument through 0..15 and each single bit, the
 * state page's switches through their combinations) and 48 random, all from fixed seeds, so the
 * same ROM always gets the same verdict. */
#define ROMCHK_BEHAVE_STATES 96

/* Runs the comparisons; needs romchk_layout, check_relocs and the inline table checked first
 * (c->reloc_done).  Adds findings to c; returns the number of comparisons made. */
unsigned romchk_behave(struct romchk *c);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
