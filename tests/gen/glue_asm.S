/* Assembler sites from the glue's macros, linked into the glue test.  The functions are never
 * called (IRET and a cli need ring 0); the test reads only their site records. */
#include "vmi_glue.h"

	.text
	.globl	glue_asm_sites
glue_asm_sites:
	VMI_DisableInterrupts
	VMI_EnableInterrupts clobbers=0x80
	VMI_GetInterruptMask
	VMI_IRET clobbers=0
	VMI_SYSEXIT clobbers=0
	VMI_SetCR3 clobbers=0x81
	VMI_RDTSC clobbers=0x85
	ret

	.section .note.GNU-stack, "", @progbits
/* SPDX-License-Identifier: GPL-2.0-only */
