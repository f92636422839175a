/* The pv platform's machine-level entries (docs/guest.md, "The pv platform").  This is the
 * hypervisor's side of the image: it may execute privileged instructions; the kernel may not.
 *
 *   platform_gate         the hypercall gate whose address goes in the state page (docs/pv-rom.md §2)
 *   pstub_N               the real IDT's 48 entries: every interrupt and exception lands here first
 *   platform_call_guest   runs a guest interrupt handler from inside the monitor (pending delivery)
 */
#include "vmi_abi.h"

    .text

/* void gate(struct vmi_pv_frame *frame), cdecl, entered by `call` from the ROM with the real IF
 * as the guest left it (on).  Runs the monitor with real interrupts off.  IRET never returns: the
 * monitor prepares the IRET frame at arg_ptr, and we resume the guest from it. */
    .globl platform_gate
platform_gate:
    pushfl
    cli
    cld
    movl    8(%esp), %eax                   /* the frame */
    cmpl    $VMI_CALL_IRET, (%eax)
    je      1f
    pushl   %eax
    call    platform_hypercall
    addl    $4, %esp
    popfl
    ret
1:  pushl   %eax
    call    platform_iret_prepare           /* sets vif, fixes the real IF in the EFLAGS image */
    popl    %eax
    movl    16(%eax), %ebx                  /* the registers the guest had at its IRET site */
    movl    12(%eax), %ecx
    movl    8(%eax), %edx
    movl    20(%eax), %esp                  /* arg_ptr: the IRET frame (real IF is off: no interrupt) */
    movl    4(%eax), %eax
    iret

/* The real IDT's stubs.  Each pushes a dummy error code where the CPU pushes none, then the vector
 * with bit 8 set when the dummy must be dropped again, so a reflected frame is exactly what the
 * CPU would have given the guest's own handler. */
.macro PSTUB n, err
    .balign 8
pstub_\n:
    .if \err == 0
    pushl   $0
    pushl   $(\n | 0x100)
    .else
    pushl   $\n
    .endif
    jmp     pstub_common
.endm

PSTUB 0,0
PSTUB 1,0
PSTUB 2,0
PSTUB 3,0
PSTUB 4,0
PSTUB 5,0
PSTUB 6,0
PSTUB 7,0
PSTUB 8,1
PSTUB 9,0
PSTUB 10,1
PSTUB 11,1
PSTUB 12,1
PSTUB 13,1
PSTUB 14,1
PSTUB 15,0
PSTUB 16,0
PSTUB 17,1
PSTUB 18,0
PSTUB 19,0
PSTUB 20,0
PSTUB 21,0
PSTUB 22,0
PSTUB 23,0
PSTUB 24,0
PSTUB 25,0
PSTUB 26,0
PSTUB 27,0
PSTUB 28,0
PSTUB 29,0
PSTUB 30,0
PSTUB 31,0
PSTUB 32,0
PSTUB 33,0
PSTUB 34,0
PSTUB 35,0
PSTUB 36,0
PSTUB 37,0
PSTUB 38,0
PSTUB 39,0
PSTUB 40,0
PSTUB 41,0
PSTUB 42,0
PSTUB 43,0
PSTUB 44,0
PSTUB 45,0
PSTUB 46,0
PSTUB 47,0

/* platform_trap(struct platform_frame *) returns the guest handler to reflect to, or 0 to resume
 * the interrupted code as it was (the interrupt was recorded as pending). */
pstub_common:
    pushal
    cld
    pushl   %esp
    call    platform_trap
    addl    $4, %esp
    movl    %eax, platform_target
    popal
    testl   $0x100, (%esp)
    jz      1f
    addl    $4, %esp                        /* the vector; the dummy error code goes below */
1:  addl    $4, %esp
    cmpl    $0, platform_target
    je      2f
    jmp     *platform_target                /* the guest's handler, with the CPU's frame */
2:  iret

/* void platform_call_guest(uint32_t handler): runs a guest handler as if an interrupt had arrived
 * here with the virtual IF on; its IRET hypercall comes back to 1: (the monitor's prepare keeps the
 * real IF off for frames inside the platform). */
    .globl platform_call_guest
platform_call_guest:
    pushl   %ebp
    pushl   %ebx
    pushl   %esi
    pushl   %edi
    movl    20(%esp), %eax
    pushfl
    orl     $VMI_INTERRUPT_MASK_IF, (%esp)  /* the EFLAGS image the guest sees: vif was on */
    pushl   %cs
    pushl   $1f
    jmp     *%eax
1:  popl    %edi
    popl    %esi
    popl    %ebx
    popl    %ebp
    ret

    .section .rodata
    .balign 4
    .globl pstub_table
pstub_table:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
    .long pstub_\n
    .endr
    .irp n, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .long pstub_\n
    .endr

    .bss
    .balign 4
    .globl platform_target
platform_target:
    .long 0
/* SPDX-License-Identifier: GPL-2.0-only */
