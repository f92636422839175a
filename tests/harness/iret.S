/* uint32_t harness_iret(uint32_t eflags_if): builds an IRET frame to the instruction after an
 * IRET site and executes the site; returns 0x600d once control arrives there.  Natively this is
 * a real iret in ring 3 (IF in the image is ignored at CPL 3); patched, the pv monitor resumes
 * from the frame and sets vif from the image's IF. */
#include "vmi_glue.h"

	.text
	.globl harness_iret
	.type harness_iret, @function
harness_iret:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov 20(%esp), %ecx
	pushfl
	andl $~0x200, (%esp)
	orl %ecx, (%esp)
	xor %eax, %eax
	mov %cs, %ax
	push %eax
	push $1f
	VMI_IRET
1:	mov $0x600d, %eax
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret
	.size harness_iret, . - harness_iret
	.section .note.GNU-stack, "", @progbits
/* SPDX-License-Identifier: GPL-2.0-only */
