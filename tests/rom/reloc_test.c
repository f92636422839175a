/* 32-bit test of the built ROM images, run on the images themselves:
 *   - each image is mapped at three 2 KiB-aligned addresses (0xc8000, where a BIOS shadows it, and
 *     two more, one of them not page-aligned) and GetRelocationInfo (ROM+0x88) is called for every
 *     call number 0-255: the answers agree across the placements, lie inside the image, and match
 *     the ABI (NONE for undefined calls, JUMP_REL only for jump sites);
 *   - native ROM: VMI_Init returns 0; its CPUID and RDTSC routines give what the instructions give;
 *   - pv ROM: with the state page at virtual_top and a C gate installed, VMI_Init returns 0 (and -1
 *     without a gate); the interrupt-flag routines keep every register, take the gate only when an
 *     interrupt is pending; SetCR3 and a deferred SetPxE reach the gate or the queue.
 * Usage: test-rom-reloc NATIVE.rom PV.rom.  Prints "N passed, M failed". */
#define _GNU_SOURCE
#include "vmi_abi.h"
#include "rom_entry.h"

#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_mman.h"     /* <sys/mman.h>, MAP_FIXED_NOREPLACE: lib/ */


static int passed, failed;

#define CHECK(cond, ...) do {                                           \
        if (cond) { passed++; } else {                                  \
            failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__);       \
            printf(__VA_ARGS__); printf("\n"); }                        \
    } while (0)

/* Calls fn with the six general registers taken from and written back to r (eax ecx edx ebx esi
 * edi); EBP is preserved by every ROM routine. */
struct regs { uint32_t eax, ecx, edx, ebx, esi, edi; };
void call_regs(uint32_t fn, struct regs *r);
__asm__(".text\n.globl call_regs\ncall_regs:\n"
        "push %ebp\npush %ebx\npush %esi\npush %edi\n"
        "mov 20(%esp), %eax\nmov 24(%esp), %ebp\n"
        "push %ebp\npush %eax\n"
        "mov 0(%ebp), %eax\nmov 4(%ebp), %ecx\nmov 8(%ebp), %edx\n"
        "mov 12(%ebp), %ebx\nmov 16(%ebp), %esi\nmov 20(%ebp), %edi\n"
        "call *(%esp)\n"
        "add $4, %esp\npop %ebp\n"
        "mov %eax, 0(%ebp)\nmov %ecx, 4(%ebp)\nmov %edx, 8(%ebp)\n"
        "mov %ebx, 12(%ebp)\nmov %esi, 16(%ebp)\nmov %edi, 20(%ebp)\n"
        "pop %edi\npop %esi\npop %ebx\npop %ebp\nret\n");


struct rom { uint8_t *bytes; uint32_t size; };

static int load(const char *path, struct rom *r)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    r->bytes = malloc(256 * 1024);
    r->size = r->bytes ? (uint32_t)fread(r->bytes, 1, 256 * 1024, f) : 0;
    fclose(f);
    return r->size ? 0 : -1;
}

/* Maps a fresh region and copies the image to `at` (2 KiB aligned, maybe not page-aligned). */
static uint8_t *place(const struct rom *r, uint32_t at)
{
    uint32_t page = at & ~0xfffu, len = (at - page + r->size + 0xfff) & ~0xfffu;
    void *p = mmap((void *)page, len, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != (void *)page) {
        printf("FAIL: cannot map 0x%x bytes at 0x%x: %s\n", len, page, strerror(errno));
        return NULL;
    }
    memcpy((void *)at, r->bytes, r->size);
    return (uint8_t *)at;
}

static void unplace(const struct rom *r, uint32_t at)
{
    uint32_t page = at & ~0xfffu;
    munmap((void *)page, (at - page + r->size + 0xfff) & ~0xfffu);
}

static const uint32_t placements[3] = { 0x000c8000u, 0x10000800u, 0x20801800u };

/* GetRelocationInfo at three placements; answers[] gets the ROM-relative result of the first. */
static void check_relocs(const char *name, const struct rom *r, uint32_t off[256], uint8_t type[256])
{
    for (int p = 0; p < 3; p++) {
        uint8_t *base = place(r, placements[p]);
        CHECK(base != NULL, "%s: placement %d", name, p);
        if (!base)
            continue;
        uint32_t at = placements[p];
        for (uint32_t n = 0; n < 256; n++) {
            struct vmi_relocation_info ri;
            harness_query_rom(&at, (uint8_t)n, &ri);     /* lib/m32/rom_entry.c */
            uint32_t eip = ri.eip, t = ri.type;
            int defined = n < VMI_NUM_CALLS && (vmi_call_table[n].flags & VMI_CALL_F_DEFINED);
            CHECK(t <= VMI_RELOCATION_NOP, "%s@0x%x: call %u type %u", name, placements[p], n, t);
            if (t == VMI_RELOCATION_NONE) {
                CHECK(eip == 0, "%s@0x%x: call %u NONE with eip 0x%x", name, placements[p], n, eip);
            } else {
                CHECK(eip >= placements[p] && eip < placements[p] + r->size,
                      "%s@0x%x: call %u answers 0x%x, outside the image", name, placements[p], n,
                      eip);
                CHECK(defined, "%s: call %u is undefined but answers type %u", name, n, t);
            }
            if (t == VMI_RELOCATION_JUMP_REL)
                CHECK(defined && (vmi_call_table[n].flags & VMI_CALL_F_JUMP),
                      "%s: JUMP_REL for call %u, not a jump site", name, n);
            uint32_t rel = t == VMI_RELOCATION_NONE ? 0 : eip - placements[p];
            if (p == 0) {
                off[n] = rel;
                type[n] = (uint8_t)t;
            } else {
                CHECK(type[n] == t && off[n] == rel, "%s: call %u answers differ between 0x%x "
                      "and 0x%x", name, n, placements[0], placements[p]);
            }
        }
        if (p < 2)
            unplace(r, placements[p]);
    }
}

static void test_native(const struct rom *r)
{
    uint32_t off[256];
    uint8_t type[256];
    check_relocs("native", r, off, type);
    uint8_t *base = (uint8_t *)placements[2];     /* still mapped */
    uint32_t at = (uint32_t)(uintptr_t)base;
    CHECK(host_rom_init_regs(at, 0, 0) == 0, "native VMI_Init returns nonzero");
    CHECK(host_rom_init_regs(at, VMI_PV_STATE_MAGIC, VMI_PV_VIRTUAL_TOP) == 0,
          "native VMI_Init minds the pv hello");
    CHECK(type[VMI_CALL_CPUID] == VMI_RELOCATION_CALL_REL, "native CPUID is not CALL_REL");
    struct regs g = { 0, 0, 0, 0x11111111, 0x22222222, 0x33333333 };
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_CPUID]), &g);
    unsigned a, b, c, d;
    __cpuid_count(0, 0, a, b, c, d);
    CHECK(g.eax == a && g.ebx == b && g.ecx == c && g.edx == d, "native CPUID(0) differs");
    CHECK(g.esi == 0x22222222 && g.edi == 0x33333333, "native CPUID changed esi/edi");
    struct regs t = { 0 };
    uint64_t before = __builtin_ia32_rdtsc();
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_RDTSC]), &t);
    CHECK(((uint64_t)t.edx << 32 | t.eax) >= before, "native RDTSC went backwards");
    unplace(r, placements[2]);
}

/* ---- the pv ROM with a C monitor ---- */

static volatile struct vmi_pv_state *pv;
static struct vmi_pv_frame last;
static unsigned gate_calls;

__attribute__((force_align_arg_pointer, regparm(0)))
static void gate(struct vmi_pv_frame *f)
{
    last = *f;
    gate_calls++;
    if (f->nr == VMI_CALL_EnableInterrupts || f->nr == VMI_CALL_SetInterruptMask)
        pv->pending = 0;                         /* "delivered" */
    if (f->nr == VMI_CALL_SetCR3)
        pv->cr3 = f->eax;
    pv->queue_count = 0;                          /* drained */
}

static void test_pv(const struct rom *r)
{
    uint32_t off[256];
    uint8_t type[256];
    check_relocs("pv", r, off, type);
    uint8_t *base = (uint8_t *)placements[2];
    uint32_t vt;
    memcpy(&vt, r->bytes + offsetof(struct vrom_header, virtual_top), 4);
    CHECK(vt == VMI_PV_VIRTUAL_TOP, "pv virtual_top 0x%x is not VMI_PV_VIRTUAL_TOP", vt);
    /* no platform: the state page is not even mapped, so a VMI_Init that read it would fault here;
     * Linux calls it with whatever EAX and EDX hold */
    uint32_t at = (uint32_t)(uintptr_t)base;
    CHECK(host_rom_init_regs(at, 0, 0) == 0xffffffffu, "pv VMI_Init without a platform does not fail");
    CHECK(host_rom_init_regs(at, at + VMI_ROM_INIT_OFFSET, vt) == 0xffffffffu,
          "pv VMI_Init takes a wrong hello");
    void *page = mmap((void *)vt, 4096, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(page == (void *)vt, "cannot map the state page at 0x%x: %s", vt, strerror(errno));
    if (page != (void *)vt)
        return;
    pv = page;
    CHECK(host_rom_init_regs(at, VMI_PV_STATE_MAGIC, vt) == 0xffffffffu, "pv VMI_Init accepts an empty state page");
    pv->magic = VMI_PV_STATE_MAGIC;
    pv->version = VMI_PV_VERSION;
    pv->gate = (uint32_t)(uintptr_t)gate;
    CHECK(host_rom_init_regs(at, VMI_PV_STATE_MAGIC, vt) == 0, "pv VMI_Init refuses a set-up state page");
    CHECK(host_rom_init_regs(at, 0, 0) == 0xffffffffu, "pv VMI_Init without the hello accepts a set-up page");
    CHECK(host_rom_init_regs(at, VMI_PV_STATE_MAGIC, 0) == 0xffffffffu, "pv VMI_Init takes a hello without EDX");

    const struct regs mark = { 0x0a0a0a0a, 0x0c0c0c0c, 0x0d0d0d0d, 0x0b0b0b0b, 0x5151, 0xd1d1 };
    struct regs g = mark;
    pv->vif = VMI_INTERRUPT_MASK_IF;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_DisableInterrupts]), &g);
    CHECK(pv->vif == 0 && !memcmp(&g, &mark, sizeof g), "DisableInterrupts");
    g = mark;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_EnableInterrupts]), &g);
    CHECK(pv->vif == VMI_INTERRUPT_MASK_IF && gate_calls == 0 && !memcmp(&g, &mark, sizeof g),
          "EnableInterrupts, nothing pending");
    pv->vif = 0;
    pv->pending = 1;
    g = mark;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_EnableInterrupts]), &g);
    CHECK(gate_calls == 1 && last.nr == VMI_CALL_EnableInterrupts && pv->pending == 0 &&
          pv->exits[VMI_CALL_EnableInterrupts] == 1, "EnableInterrupts with a pending interrupt");
    CHECK(!memcmp(&g, &mark, sizeof g), "EnableInterrupts' slow path changed a register");
    g = mark;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_GetInterruptMask]), &g);
    CHECK(g.eax == VMI_INTERRUPT_MASK_IF && g.ecx == mark.ecx && g.edx == mark.edx,
          "GetInterruptMask");
    g = mark;
    g.eax = 0x246;                               /* IF set, other flags */
    pv->vif = 0;
    pv->pending = 1;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_SetInterruptMask]), &g);
    CHECK(pv->vif == VMI_INTERRUPT_MASK_IF && last.nr == VMI_CALL_SetInterruptMask &&
          g.eax == 0x246 && g.ecx == mark.ecx && g.edx == mark.edx && g.ebx == mark.ebx,
          "SetInterruptMask(IF) with a pending interrupt");
    g = mark;
    g.eax = 0x12345000;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_SetCR3]), &g);
    CHECK(last.nr == VMI_CALL_SetCR3 && last.eax == 0x12345000 && pv->cr3 == 0x12345000 &&
          g.ebx == mark.ebx && g.esi == mark.esi && g.edi == mark.edi, "SetCR3 through the gate");
    g = mark;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_GetCR3]), &g);
    CHECK(g.eax == 0x12345000, "GetCR3 reads the shadow");
    uint32_t pte = 0;
    unsigned calls = gate_calls;
    g = mark;
    g.eax = 0xabcde067;
    g.edx = (uint32_t)(uintptr_t)&pte;
    g.ecx = VMI_PAGE_CURRENT_AS | VMI_PAGE_DEFER;
    call_regs((uint32_t)(uintptr_t)(base + off[VMI_CALL_SetPxE]), &g);
    CHECK(pte == 0xabcde067 && gate_calls == calls && pv->queue_count == 1 &&
          pv->queue[0] == (uint32_t)(uintptr_t)&pte && pv->queue[1] == 0xabcde067,
          "a deferred SetPxE is stored and queued");
    unplace(r, placements[2]);
    munmap(page, 4096);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test-rom-reloc NATIVE.rom PV.rom\n");
        return 2;
    }
    struct rom n, p;
    if (load(argv[1], &n) < 0 || load(argv[2], &p) < 0) {
        fprintf(stderr, "test-rom-reloc: cannot read %s or %s\n", argv[1], argv[2]);
        return 1;
    }
    test_native(&n);
    test_pv(&p);
    printf("test-rom-reloc: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
