/* aotboot: a 32-bit user-space stand-in for a kernel's boot under the AOT contract (docs/aot.md),
 * for the tests of `vmi-aot specialize`.  It defines vmi_rom_area (64 KiB, NOBITS, executable) and
 * vmi_aot_identity, holds a few dozen glue sites in functions it never calls, and at start does
 * what the contract says a kernel does:
 *   1. reads the ROM file into vmi_rom_area, probes it there, executes its GetRelocationInfo there;
 *   2. identity magic 0: plans with the policy and applies (load-time patching, native bytes
 *      expected at every site);
 *   3. the ROM matches (hash, size, base) and sites_hash holds: plans with the recorded policy and
 *      only verifies (writes nothing);
 *   4. another ROM: sites_hash holds -> reverts every site to native (VMI_APPLY_TRUST_TEXT), then
 *      plans and applies for this ROM; sites_hash fails -> patches nothing.
 * Prints "aot state=none|match|mismatch|untrusted written=N policy=P" and "text fnv1a64=0x..." of
 * its whole text segment after the ELF header, afterwards, so that a test can check that every path ends in the same text as
 * load-time patching of the plain image.  Never runs a site.
 * Usage: aotboot ROM [POLICY] */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vmi_aot.h"
#include "vmi_glue.h"
#include "vmi_inliner.h"
#include "harness.h"

__asm__(".pushsection .vmi_rom, \"awx\", @nobits\n"
        ".balign 4096\n"
        ".globl vmi_rom_area\n"
        ".type vmi_rom_area, @object\n"
        ".size vmi_rom_area, 0x10000\n"
        "vmi_rom_area:\n"
        ".skip 0x10000\n"
        ".popsection");
extern uint8_t vmi_rom_area[VMI_ROM_AREA_SIZE];
struct vmi_aot_identity vmi_aot_identity __attribute__((section(".vmi_aot_id"), used));
extern char __executable_start[], etext[];

/* ---- sites, never executed ---- */
volatile uint32_t sink;
uint32_t ptes[16];

__attribute__((noinline, used)) void s_irq(void)
{
    uint32_t f = vmi_GetInterruptMask();
    vmi_DisableInterrupts();
    vmi_EnableInterrupts();
    vmi_SetInterruptMask(f);
}
__attribute__((noinline, used)) void s_cr(void)
{
    vmi_SetCR3(vmi_GetCR3());
    sink = vmi_GetCR0() + vmi_GetCR2() + vmi_GetCR4();
    vmi_SetCR2(sink);
}
__attribute__((noinline, used)) void s_mmu(uint32_t pte, uint32_t flags)
{
    vmi_SetPxE(pte, &ptes[1], flags);
    vmi_SetPxE(pte, &ptes[2], VMI_PAGE_L1);
    vmi_SetPxE(pte, &ptes[3], VMI_PAGE_PT);
    vmi_UpdatePxE(&ptes[1], flags);
    vmi_FlushTLB(VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL);
    vmi_SetLazyMode(VMI_LAZY_MMU);
    vmi_SetLazyMode(VMI_LAZY_NONE);
}
__attribute__((noinline, used)) void s_misc(void)
{
    sink = (uint32_t)vmi_RDTSC();
    vmi_IODelay();
    vmi_Halt();
}

/* ---- the boot ---- */

static void die(const char *what, const struct vmi_error *err)
{
    char line[256] = "";
    if (err)
        vmi_error_format(err, line, sizeof line);
    fprintf(stderr, "aotboot: %s %s\n", what, line);
    exit(1);
}

#define MAX_SITES 512
static struct vmi_site_info site_info[MAX_SITES];
static struct vmi_site_plan sp[MAX_SITES];
static uint8_t code[VMI_PLAN_CODE_BYTES(MAX_SITES, VMI_RESERVE_MAX)];

/* 1. The ROM read into vmi_rom_area (made executable), probed there and its GetRelocationInfo
 * executed there. */
static void load_rom(const char *path, struct vmi_rom *rom, struct vmi_reloc_table *rel)
{
    struct vmi_error err;
    if (mprotect(vmi_rom_area, VMI_ROM_AREA_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
        die("cannot make vmi_rom_area executable", NULL);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(vmi_rom_area, 1, VMI_ROM_AREA_SIZE, f) : 0;
    if (f)
        fclose(f);
    if (!n)
        die("cannot read the ROM", NULL);
    uint32_t base = (uint32_t)(uintptr_t)vmi_rom_area;
    if (vmi_rom_probe(rom, vmi_rom_area, (uint32_t)n, base, 0, &err) != VMI_OK)
        die("probe", &err);
    if (vmi_reloc_table_fill(rel, harness_query_rom, &base, &err) != VMI_OK)
        die("GetRelocationInfo", &err);
}

/* Our own site table, and our text made writable. */
static void read_text(struct vmi_site_table *sites, struct vmi_text *text)
{
    struct vmi_error err;
    uint32_t bytes = (uint32_t)((const char *)__stop_vmi_sites - (const char *)__start_vmi_sites);
    if (vmi_sites_read(sites, __start_vmi_sites, (uint32_t)(uintptr_t)__start_vmi_sites, bytes,
                       &err) != VMI_OK)
        die("sites", &err);
    *text = (struct vmi_text){ (uint8_t *)__executable_start,
                               (uint32_t)(uintptr_t)__executable_start,
                               (uint32_t)(etext - __executable_start), NULL, NULL };
    uint32_t lo = text->base & ~4095u, hi = (text->base + text->size + 4095u) & ~4095u;
    if (mprotect((void *)(uintptr_t)lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
        die("cannot make the text writable", NULL);
}

/* 2-4. The boot as the identity says: untrusted patches nothing; a match is verified with the
 * recorded policy (*policy becomes it), nothing written; a mismatch is reverted to native, then,
 * as a plain image, planned with *policy and applied.  Returns the state's name; *written: the
 * sites written by the last apply. */
static const char *boot(struct vmi_text *text, const struct vmi_site_table *sites,
                        const struct vmi_rom *rom, const struct vmi_reloc_table *rel, int *policy,
                        uint32_t *written)
{
    struct vmi_plan plan;
    const struct vmi_aot_identity *id = &vmi_aot_identity;
    const char *state = "none";
    struct vmi_error err;

    vmi_plan_init(&plan, sp, MAX_SITES, code, sizeof code);
    *written = 0;
    enum vmi_aot_state st = vmi_aot_check(id, text, sites, rom, NULL);
    if (st == VMI_AOT_UNTRUSTED)
        return "untrusted";
    if (st == VMI_AOT_MATCH) {
        struct vmi_plan_options opt = { (enum vmi_policy)id->policy, 0 };
        *policy = id->policy;
        if (vmi_plan_build(&plan, sites, rom, rel, &opt, &err) != VMI_OK)
            die("plan", &err);
        if (vmi_verify(text, &plan, &err) != VMI_OK)
            die("the specialized sites are not the plan:", &err);
        return "match";
    }
    if (st != VMI_AOT_NONE) {
        if (vmi_plan_build(&plan, sites, NULL, NULL, NULL, &err) != VMI_OK)
            die("native plan", &err);
        if (vmi_apply_ex(text, &plan, NULL, NULL, VMI_APPLY_TRUST_TEXT, &err) != VMI_OK)
            die("revert to native", &err);
        state = "mismatch";
    }
    struct vmi_plan_options opt = { (enum vmi_policy)*policy, 0 };
    if (vmi_plan_build(&plan, sites, rom, rel, &opt, &err) != VMI_OK)
        die("plan", &err);
    if (vmi_apply(text, &plan, NULL, NULL, &err) != VMI_OK)
        die("apply", &err);
    *written = plan.count;
    return state;
}

/* Phases: the policy named, the ROM loaded, our sites read, the boot, the report. */
int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: aotboot ROM [POLICY]\n");
        return 2;
    }
    int policy = VMI_POLICY_AUTO;
    if (argc > 2)
        for (policy = 0; policy < VMI_POLICY_COUNT && strcmp(argv[2], vmi_policy_name(policy));)
            policy++;
    if (policy >= VMI_POLICY_COUNT)
        die("unknown policy", NULL);

    struct vmi_rom rom;
    struct vmi_reloc_table rel;
    struct vmi_site_table sites = { site_info, 0, MAX_SITES };
    struct vmi_text text;
    uint32_t written;
    load_rom(argv[1], &rom, &rel);
    read_text(&sites, &text);
    const char *state = boot(&text, &sites, &rom, &rel, &policy, &written);
    printf("aot state=%s written=%u policy=%s sites=%u\n", state, written, vmi_policy_name(policy),
           sites.count);
    /* The text segment starts with the ELF header, whose e_shoff and e_shnum vmi-aot changes: the
     * hash starts after it. */
    printf("text fnv1a64=0x%016llx\n",
           (unsigned long long)vmi_fnv1a64(VMI_FNV1A64_INIT, text.bytes + sizeof(Elf32_Ehdr),
                                           text.size - (uint32_t)sizeof(Elf32_Ehdr)));
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
