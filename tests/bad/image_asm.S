/* Jump sites for the bad-input corpus's base image (tests/bad/image.c): never executed. */
#include "vmi_glue.h"

	.text
	.globl	bad_image_jump_sites
bad_image_jump_sites:
	VMI_IRET clobbers=0
	VMI_SYSEXIT clobbers=0

	.section .note.GNU-stack, "", @progbits
/* SPDX-License-Identifier: GPL-2.0-only */
