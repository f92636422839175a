/* The loader's shared declarations (docs/loader.md).  The loader runs flat in ring 0 with paging
 * off, so a physical address is a pointer; every address here is a uint32_t physical address. */
#ifndef LOADER_H
#define LOADER_H

#include <stdint.h>
#include <stddef.h>

#define PAGE_SIZE 4096u
#define PAGE_UP(x)   (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_DOWN(x) ((x) & ~(PAGE_SIZE - 1))

/* ---- port I/O, CPU ---- */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint64_t rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((uint64_t)hi << 32) | lo; }
static inline void *phys(uint32_t pa) { return (void *)(uintptr_t)pa; }

/* ---- lib.c ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/* ---- serial.c: COM1, a small printf, leaving QEMU ---- */
void serial_init(void);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint32_t ksnprintf(char *buf, uint32_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Stops cleanly: isa-debug-exit (QEMU exits with status (code << 1) | 1, never 99), else hlt. */
#define LOADER_EXIT_STOP 0x01          /* QEMU status 3: bad input */
#define LOADER_EXIT_DONE 0x02          /* QEMU status 5: vmi.stop, everything done but entering Linux */
__attribute__((noreturn)) void loader_exit(uint8_t code);
__attribute__((noreturn)) void loader_stop(void);

/* One error record per layer: the first problem, worded for the one serial line. */
struct ld_error {
    char msg[200];
};
int ld_fail(struct ld_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- multiboot.c: what the boot loader handed over, copied into the loader's memory ---- */
#define MAX_MMAP    64
#define MAX_MODULES 4
#define CMDLINE_MAX 2048               /* Linux 2.6.32's COMMAND_LINE_SIZE */

struct mem_region {
    uint64_t base, len;
    uint32_t type;                     /* e820 / multiboot: 1 = usable RAM */
};

struct module {
    uint32_t start, end;               /* physical [start, end) */
    char name[64];
};

struct boot_info {
    struct mem_region mmap[MAX_MMAP];
    uint32_t mmap_count;
    uint32_t mem_lower_k, mem_upper_k;
    struct module mod[MAX_MODULES];
    uint32_t mod_count;
    char cmdline[CMDLINE_MAX];
};

int multiboot_read(struct boot_info *bi, uint32_t magic, uint32_t mbi_addr, struct ld_error *err);

/* ---- options.c: vmi.* for the loader, the rest for Linux ---- */
struct loader_options {
    int policy;                        /* enum vmi_policy */
    int stop;                          /* vmi.stop: do everything but enter Linux */
    int count;                         /* vmi.count=1: the counting version of the plan */
    int keep;                          /* vmi.keep=1: the plan guarded from vmi_activate (loader_linux.h) */
    char linux_cmdline[CMDLINE_MAX];
};
int options_parse(struct loader_options *opt, const char *cmdline, struct ld_error *err);
/* Appends " word" to the Linux command line (0, or -1 when it would not fit). */
int options_append(struct loader_options *opt, const char *word);
/* 1 when Linux's part of the command line holds exactly this word. */
int options_linux_has(const struct loader_options *opt, const char *word);

/* ---- vmlinux.c: the ELF image, validated whole before anything is copied ---- */
#define MAX_SEGMENTS 8
struct segment {
    uint32_t offset, filesz, memsz, paddr, vaddr, flags;
};
struct vmlinux {
    const uint8_t *file;               /* the module's bytes (moved: re-pointed by vmlinux_rebase) */
    uint32_t size;
    struct segment seg[MAX_SEGMENTS];
    uint32_t seg_count;
    uint32_t entry_phys;               /* startup_32 */
    uint32_t page_offset;              /* p_vaddr - p_paddr of the entry's segment */
    uint32_t phys_lo, phys_hi;         /* [lowest p_paddr, highest p_paddr + p_memsz) */
};
int vmlinux_check(struct vmlinux *vm, const uint8_t *file, uint32_t size, struct ld_error *err);
void vmlinux_rebase(struct vmlinux *vm, const uint8_t *file);
/* Copies every PT_LOAD segment to p_paddr and zeroes p_memsz - p_filesz after it. */
void vmlinux_load(const struct vmlinux *vm);
/* A section by name (0 and err when absent or outside the file). */
int vmlinux_section(const struct vmlinux *vm, const char *name, uint32_t *addr, uint32_t *offset,
                    uint32_t *size, struct ld_error *err);
/* A symbol's st_value and st_size from .symtab (0 found, -1 absent). */
int vmlinux_symbol(const struct vmlinux *vm, const char *name, uint32_t *value, uint32_t *size);
/* The virtual address range [lo, hi) is in one PT_LOAD segment's file bytes: its host view in the
 * loaded kernel (at p_paddr), or NULL. */
uint8_t *vmlinux_loaded(const struct vmlinux *vm, uint32_t vaddr, uint32_t len);
/* The loaded image as one range of Linux virtual addresses: [*vbase, *vbase + *size) at physical
 * *pbase; -1 when the segments do not share one p_vaddr - p_paddr. */
int vmlinux_span(const struct vmlinux *vm, uint32_t *vbase, uint32_t *pbase, uint32_t *size);

/* ---- memory.c: where things go ---- */
struct layout {
    uint32_t kernel_lo, kernel_hi;     /* what the kernel's segments (and bss) occupy */
    uint32_t ram_top;                  /* end of the usable region holding the kernel */
    uint32_t mod_dest[MAX_MODULES];    /* where each module is moved */
};
int memory_plan(struct layout *lay, const struct boot_info *bi, const struct vmlinux *vm,
                uint32_t initrd_max, struct ld_error *err);
void memory_move_modules(struct boot_info *bi, const struct layout *lay);

/* ---- bootparams.c: the zero page ---- */
struct boot_params;
void bootparams_fill(struct boot_params *bp, const struct boot_info *bi, const char *cmdline,
                     uint32_t initrd, uint32_t initrd_size);

/* ---- boot.S ---- */
__attribute__((noreturn)) void linux_enter(uint32_t entry, uint32_t boot_params);
extern const uint8_t __loader_start[], __loader_end[];

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
