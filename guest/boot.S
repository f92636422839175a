/* Multiboot entry.  QEMU's -kernel loads this ELF at 1 MiB and enters in 32-bit protected
 * mode, flat segments, paging off, IF clear, EAX = 0x2badb002, EBX = the multiboot info. */
#include "vmi_glue.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003          /* page-aligned modules, memory information */

    .section .multiboot, "a"
    .balign 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .text.boot, "ax"
    .globl _start
_start:
    movl    %eax, %esi
    movl    %ebx, %edi
    /* clear .bss (the stack lives there) */
    movl    $__bss_start, %edi
    movl    $__bss_end, %ecx
    subl    %edi, %ecx
    xorl    %eax, %eax
    cld
    rep stosb
    movl    %ebx, %edi
    movl    $boot_stack_top, %esp
    xorl    %ebp, %ebp
    pushl   %edi                    /* multiboot info */
    pushl   %esi                    /* magic */
    call    kmain
1:  VMI_Halt
    jmp     1b

    .bss
    .balign 4096
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip 16384
boot_stack_top:

/* The ROM's run-time home (docs/aot.md): 64 KiB, page-aligned, executable.  The kernel copies the
 * ROM it finds here and plans every site against this address. */
    .section .vmi_rom, "awx", @nobits
    .balign 4096
    .globl vmi_rom_area
vmi_rom_area:
    .skip VMI_ROM_AREA_SIZE
/* SPDX-License-Identifier: GPL-2.0-only */
