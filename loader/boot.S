/* Multiboot entry of the loader, and the jump into Linux.
 * QEMU's -kernel loads this ELF at 1 MiB and enters in 32-bit protected mode, flat segments,
 * paging off, IF clear, EAX = 0x2badb002, EBX = the multiboot info (modules = vmlinux, initrd). */
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
    cli
    movl    %eax, %esi
    movl    %ebx, %edx
    /* clear .bss (the stack lives there); the loader's image ends before the modules */
    movl    $__bss_start, %edi
    movl    $__bss_end, %ecx
    subl    %edi, %ecx
    xorl    %eax, %eax
    cld
    rep stosb
    movl    $loader_stack_top, %esp
    xorl    %ebp, %ebp
    pushl   %edx                    /* multiboot info */
    pushl   %esi                    /* magic */
    call    loader_main
1:  cli
    hlt
    jmp     1b

/* void linux_enter(uint32_t entry, uint32_t boot_params) __attribute__((noreturn))
 * The 32-bit boot protocol: a GDT with flat __BOOT_CS (0x10, execute/read) and __BOOT_DS (0x18,
 * read/write), CS = __BOOT_CS, DS = ES = SS = __BOOT_DS, interrupts off, paging off,
 * ESI = boot_params, EBP = EDI = EBX = 0. */
    .text
    .globl linux_enter
linux_enter:
    cli
    movl    4(%esp), %eax           /* entry */
    movl    8(%esp), %esi           /* boot_params */
    lgdt    linux_gdt_descr
    ljmp    $0x10, $1f
1:  movl    $0x18, %ecx
    movl    %ecx, %ds
    movl    %ecx, %es
    movl    %ecx, %ss
    movl    %ecx, %fs
    movl    %ecx, %gs
    xorl    %ebx, %ebx
    xorl    %ebp, %ebp
    xorl    %edi, %edi
    xorl    %ecx, %ecx
    xorl    %edx, %edx
    jmp     *%eax

    .section .rodata
    .balign 8
linux_gdt:
    .quad 0                         /* 0x00 null */
    .quad 0                         /* 0x08 unused */
    .quad 0x00cf9a000000ffff        /* 0x10 __BOOT_CS: base 0, 4 GiB, code, execute/read */
    .quad 0x00cf92000000ffff        /* 0x18 __BOOT_DS: base 0, 4 GiB, data, read/write */
linux_gdt_end:
    .balign 4
    .word 0
linux_gdt_descr:
    .word linux_gdt_end - linux_gdt - 1
    .long linux_gdt

    .bss
    .balign 4096
    .globl loader_stack_top
loader_stack:
    .skip 32768
loader_stack_top:
/* SPDX-License-Identifier: GPL-2.0-only */
