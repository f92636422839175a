/* The guest kernel's shared declarations.  The kernel runs flat in ring 0, identity-mapped
 * low memory, and reaches every privileged operation through a VMI call site (vmi_glue.h).
 * VMI(Name, args...) lays down the site and counts the call for the self-test's per-call
 * report; the benchmark loops use the bare vmi_<Name>() so they measure only the sites. */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include "vmi_glue.h"

extern uint32_t vmi_count[VMI_NUM_CALLS];
#define VMI(name, ...) (vmi_count[VMI_CALL_##name]++, vmi_##name(__VA_ARGS__))

/* ---- port I/O (not a VMI call: API 3.0 leaves I/O ports to trap-and-emulate) ---- */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }

/* ---- lib.c ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
const char *cmdline_get(const char *cmdline, const char *key, char *buf, size_t cap);

/* ---- serial.c ---- */
void serial_init(void);
void serial_putc(char c);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, __builtin_va_list ap);
void kputs(const char *s);
uint32_t ksnprintf(char *buf, uint32_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* isa-debug-exit at 0xf4: QEMU exits with status (code << 1) | 1. */
#define EXIT_PASS 0x10     /* qemu status 33 */
#define EXIT_FAIL 0x11     /* qemu status 35 */
__attribute__((noreturn)) void qemu_exit(uint8_t code);
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- irq flag helpers (irq.c): every critical section goes through these ---- */
extern volatile uint32_t cs_depth;       /* nesting depth of the kernel's critical sections */
uint32_t irq_save(void);                 /* GetInterruptMask, DisableInterrupts, depth++ */
void irq_restore(uint32_t flags);        /* depth--, SetInterruptMask */

/* ---- gdt.c ---- */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_TSS   0x18
void gdt_init(void);
void tss_set_stack(uint32_t esp0);

/* ---- idt.c / entry.S ---- */
struct trap_frame {
    uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;   /* pusha */
    uint32_t vector, error;
    uint32_t eip, cs, eflags;                                  /* the IRET frame */
};
typedef void (*trap_handler)(struct trap_frame *tf);
void idt_init(void);
void idt_set_handler(uint32_t vector, trap_handler h);
extern uint32_t isr_table[48];

/* Reads *va; returns 0, or -1 if the read faulted (the #PF handler resumes at the fixup). */
int probe_read(uint32_t va, uint32_t *out);
extern volatile uint32_t last_fault_cr2, fault_count;

/* ---- paging.c ---- */
#define PAGE_SIZE 4096u
#define PTE_P  0x001u
#define PTE_W  0x002u
#define PTE_A  0x020u
#define PTE_D  0x040u
#define LOWMEM_MAPPED (16u << 20)         /* identity-mapped at boot */
void paging_early(void);                  /* native page tables, paging on (before the ROM) */
void paging_init(void);                   /* the kernel's page tables, through the VMI calls */
uint32_t frame_alloc(void);               /* a zeroed physical frame (identity-mapped) */
void frame_free(uint32_t pa);
uint32_t *pde_ptr(uint32_t pd, uint32_t va);
uint32_t *pte_ptr(uint32_t pd, uint32_t va, int create);
void map_page(uint32_t pd, uint32_t va, uint32_t pa, uint32_t flags);
void unmap_page(uint32_t pd, uint32_t va);
uint32_t as_create(void);                 /* a page directory sharing the kernel mappings */
void as_destroy(uint32_t pd);
extern uint32_t kernel_pd;

/* ---- pit.c ---- */
#define TIMER_HZ 1000u
void pic_init(void);
void pit_init(void);
uint32_t pit_read(void);                  /* channel 0's current count */
int irq0_due(void);                       /* IRQ0 raised and not yet handled by the kernel */
extern volatile uint32_t ticks;
extern volatile uint32_t tick_violations; /* timer interrupts taken inside a critical section */

/* ---- rom.c ---- */
extern uint8_t vmi_rom_area[VMI_ROM_AREA_SIZE];   /* boot.S: section .vmi_rom (docs/aot.md) */
struct boot_rom {
    int found;
    uint32_t phys;                        /* where the BIOS left it */
    uint32_t base;                        /* where it runs (in the hole above virtual_top) */
    uint32_t size, virtual_top;
    char manufacturer[48], product[48];
};
extern struct boot_rom boot_rom;
int rom_find_and_init(void);
uint64_t rom_get_reloc(uint32_t call);
void paging_map_hole(uint32_t va, uint32_t pa, uint32_t len);
uint32_t frames_in_use(void);

/* ---- patch.c ---- */
int patch_boot(const char *policy, int count);   /* count: apply the counting version */
extern int counting;                              /* the text holds the counting plan */
uint32_t count_sites_sum(uint32_t lo, uint32_t hi, uint8_t call, uint32_t *nsites);
void count_report(void);                          /* the profile lines (docs/specializer.md) */
void bench_sites_init(void);
void bench_repatch(uint32_t policy, uint32_t *dec);
void bench_restore(void);

/* ---- bench.c ---- */
void bench_run(void);

/* ---- selftest.c ---- */
void selftest(void);
void check(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
extern uint32_t checks_failed;

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
