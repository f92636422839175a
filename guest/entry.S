/* Interrupt and exception entry.  Each vector pushes (error code, vector), the common path saves
 * the general registers, calls trap_dispatch(frame), and leaves through the VMI IRET site: native
 * iretd, or whatever the ROM makes of it (a jump into the ROM's IRET routine). */
#include "vmi_glue.h"

    .text
.macro ISR_NOERR n
    .balign 8
isr_\n:
    pushl   $0
    pushl   $\n
    jmp     isr_common
.endm
.macro ISR_ERR n
    .balign 8
isr_\n:
    pushl   $\n
    jmp     isr_common
.endm

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR   8
ISR_NOERR 9
ISR_ERR   10
ISR_ERR   11
ISR_ERR   12
ISR_ERR   13
ISR_ERR   14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR   17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_NOERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_NOERR 29
ISR_NOERR 30
ISR_NOERR 31
ISR_NOERR 32
ISR_NOERR 33
ISR_NOERR 34
ISR_NOERR 35
ISR_NOERR 36
ISR_NOERR 37
ISR_NOERR 38
ISR_NOERR 39
ISR_NOERR 40
ISR_NOERR 41
ISR_NOERR 42
ISR_NOERR 43
ISR_NOERR 44
ISR_NOERR 45
ISR_NOERR 46
ISR_NOERR 47

isr_common:
    pushal
    cld
    pushl   %esp                    /* struct trap_frame * */
    call    trap_dispatch
    addl    $4, %esp
    incl    vmi_count + 4 * VMI_CALL_IRET
    popal
    addl    $8, %esp                /* vector, error code */
    VMI_IRET

    .section .rodata
    .balign 4
    .globl isr_table
isr_table:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
    .long isr_\n
    .endr
    .irp n, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .long isr_\n
    .endr

/* int probe_read(uint32_t va, uint32_t *out): cdecl.  A fault at probe_insn resumes at
 * probe_fixup with eax = -1 (the #PF handler moves eip). */
    .text
    .globl probe_read, probe_insn, probe_fixup
probe_read:
    movl    4(%esp), %ecx
    xorl    %eax, %eax
probe_insn:
    movl    (%ecx), %edx
    movl    8(%esp), %ecx
    movl    %edx, (%ecx)
    ret
probe_fixup:
    movl    $-1, %eax
    ret
/* SPDX-License-Identifier: GPL-2.0-only */
