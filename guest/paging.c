/* Two-level (non-PAE) paging.  paging_early() turns paging on with boot page tables before the ROM
 * is found, natively, as Linux's head.S does; paging_init() then builds the kernel's page
 * directory through the VMI calls (AllocatePage, SetPxE under SetLazyMode) and switches to it with
 * SetCR3.  Frames come from a bitmap over the identity-mapped 4-15 MiB. */
#include "kernel.h"

#define FRAMES_START  (4u << 20)
#define FRAMES_END    (15u << 20)
#define NFRAMES       ((FRAMES_END - FRAMES_START) / PAGE_SIZE)
#define LOW_PDES      (LOWMEM_MAPPED >> 22)

static uint32_t frame_map[NFRAMES / 32];
static uint32_t frames_used;
uint32_t kernel_pd;

static uint32_t boot_pd[1024] __attribute__((aligned(4096)));
static uint32_t boot_pt[LOW_PDES][1024] __attribute__((aligned(4096)));

uint32_t frame_alloc(void)
{
    for (uint32_t i = 0; i < NFRAMES; i++) {
        if (!(frame_map[i / 32] & (1u << (i % 32)))) {
            frame_map[i / 32] |= 1u << (i % 32);
            frames_used++;
            uint32_t pa = FRAMES_START + i * PAGE_SIZE;
            memset((void *)pa, 0, PAGE_SIZE);
            return pa;
        }
    }
    panic("out of frames");
}

void frame_free(uint32_t pa)
{
    uint32_t i = (pa - FRAMES_START) / PAGE_SIZE;
    if (pa < FRAMES_START || pa >= FRAMES_END || !(frame_map[i / 32] & (1u << (i % 32))))
        panic("frame_free(%x): not allocated", pa);
    frame_map[i / 32] &= ~(1u << (i % 32));
    frames_used--;
}

static int is_current(uint32_t pd)
{
    return (VMI(GetCR3) & ~0xfffu) == pd;
}

uint32_t *pde_ptr(uint32_t pd, uint32_t va)
{
    return (uint32_t *)pd + (va >> 22);
}

uint32_t *pte_ptr(uint32_t pd, uint32_t va, int create)
{
    uint32_t *pde = pde_ptr(pd, va);
    if (!(*pde & PTE_P)) {
        if (!create)
            return NULL;
        uint32_t pt = frame_alloc();
        VMI(AllocatePage, pt >> 12, VMI_PAGE_L1, 0, 0, 0);
        VMI(SetPxE, pt | PTE_P | PTE_W, pde, VMI_PAGE_PD);
    }
    return (uint32_t *)(*pde & ~0xfffu) + ((va >> 12) & 1023);
}

static uint32_t pxe_flags(uint32_t pd, uint32_t va)
{
    return is_current(pd) ? (VMI_PAGE_PT | VMI_PAGE_CURRENT_AS | (va & VMI_PAGE_VA_MASK))
                          : VMI_PAGE_PT;
}

void map_page(uint32_t pd, uint32_t va, uint32_t pa, uint32_t flags)
{
    uint32_t *pte = pte_ptr(pd, va, 1);
    VMI(SetPxE, (pa & ~0xfffu) | flags | PTE_P, pte, pxe_flags(pd, va));
}

void unmap_page(uint32_t pd, uint32_t va)
{
    uint32_t *pte = pte_ptr(pd, va, 0);
    if (!pte)
        return;
    VMI(SetPxE, 0, pte, pxe_flags(pd, va));
    if (is_current(pd))
        VMI(InvalPage, va);
}

/* The kernel's shared page directory entries: low memory and the hole above virtual_top. */
static void copy_kernel_pdes(uint32_t dst, uint32_t src)
{
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t e = ((uint32_t *)src)[i];
        if ((i < LOW_PDES || (boot_rom.found && i >= (boot_rom.virtual_top >> 22))) && (e & PTE_P))
            VMI(SetPxE, e, (uint32_t *)dst + i, VMI_PAGE_PD);
    }
}

uint32_t as_create(void)
{
    uint32_t pd = frame_alloc();
    VMI(AllocatePage, pd >> 12, VMI_PAGE_L2, 0, 0, 0);
    copy_kernel_pdes(pd, kernel_pd);
    return pd;
}

/* Frees the page tables of the non-kernel part, then the directory. */
void as_destroy(uint32_t pd)
{
    for (uint32_t i = LOW_PDES; i < 1024; i++) {
        uint32_t e = ((uint32_t *)pd)[i];
        if (!(e & PTE_P) || (boot_rom.found && i >= (boot_rom.virtual_top >> 22)))
            continue;
        VMI(SetPxE, 0, (uint32_t *)pd + i, VMI_PAGE_PD);
        VMI(ReleasePage, e >> 12, VMI_PAGE_PT);
        frame_free(e & ~0xfffu);
    }
    VMI(ReleasePage, pd >> 12, VMI_PAGE_PD);
    frame_free(pd);
}

/* Identity-maps low memory with the boot tables and turns paging on, with plain stores and the
 * native instructions, as Linux's head.S does before vmi_init().  No call site may run before the
 * ROM is in place: in a pre-specialized image (docs/aot.md) the sites already reach into it. */
void paging_early(void)
{
    for (uint32_t t = 0; t < LOW_PDES; t++) {
        for (uint32_t i = 0; i < 1024; i++)
            boot_pt[t][i] = ((t << 22) | (i << 12)) | PTE_P | PTE_W;
        boot_pd[t] = (uint32_t)boot_pt[t] | PTE_P | PTE_W;
    }
    kernel_pd = (uint32_t)boot_pd;
    __asm__ volatile("mov %0, %%cr3\n\t"
                     "mov %%cr0, %%eax\n\t"
                     "orl $0x80000000, %%eax\n\t"
                     "mov %%eax, %%cr0"
                     :: "r"(kernel_pd) : "eax", "memory");
}

/* Maps [va, va + len) of the hole to [pa, ...) in the boot tables, before the ROM runs (so, like
 * paging_early, with plain stores; the entries were not present, so no TLB holds them). */
void paging_map_hole(uint32_t va, uint32_t pa, uint32_t len)
{
    for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
        uint32_t *pde = &boot_pd[(va + off) >> 22];
        if (!(*pde & PTE_P))
            *pde = frame_alloc() | PTE_P | PTE_W;
        ((uint32_t *)(*pde & ~0xfffu))[((va + off) >> 12) & 1023] = (pa + off) | PTE_P | PTE_W;
    }
}

/* The kernel's page directory, built through the ROM: every table registered with AllocatePage,
 * every entry written with SetPxE in one lazy-MMU batch; then CR4.PGE and the switch. */
void paging_init(void)
{
    uint32_t pd = frame_alloc();
    VMI(AllocatePage, pd >> 12, VMI_PAGE_L2, 0, 0, 0);
    VMI(SetLazyMode, VMI_LAZY_MMU);
    for (uint32_t t = 0; t < LOW_PDES; t++) {
        uint32_t pt = frame_alloc();
        VMI(AllocatePage, pt >> 12, VMI_PAGE_L1, 0, 0, 0);
        for (uint32_t i = 0; i < 1024; i++)
            VMI(SetPxE, ((t << 22) | (i << 12)) | PTE_P | PTE_W, (uint32_t *)pt + i, VMI_PAGE_PT);
        VMI(SetPxE, pt | PTE_P | PTE_W, (uint32_t *)pd + t, VMI_PAGE_PD);
    }
    /* the hole's tables are shared with the boot directory: register them and link them */
    if (boot_rom.found) {
        for (uint32_t i = boot_rom.virtual_top >> 22; i < 1024; i++) {
            uint32_t e = boot_pd[i];
            if (!(e & PTE_P))
                continue;
            VMI(AllocatePage, e >> 12, VMI_PAGE_PT, 0, 0, 0);
            VMI(SetPxE, e, (uint32_t *)pd + i, VMI_PAGE_PD);
        }
    }
    VMI(SetLazyMode, VMI_LAZY_NONE);
    VMI(SetCR3, pd);
    VMI(SetCR0, VMI(GetCR0) | 0x10000u);                      /* WP, as Linux runs */
    kernel_pd = pd;
    if ((VMI(GetCR3) & ~0xfffu) != pd)
        panic("GetCR3 after SetCR3: %x, expected %x", VMI(GetCR3), pd);

    struct vmi_cpuid_regs r;
    VMI(CPUID, &r, 1, 0);
    if (r.edx & (1u << 13))                                   /* PGE */
        VMI(SetCR4, VMI(GetCR4) | 0x80u);
}

uint32_t frames_in_use(void)
{
    return frames_used;
}
/* SPDX-License-Identifier: GPL-2.0-only */
