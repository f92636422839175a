/* The loader's module parsing, hosted: the steps of loader/main.c from the multiboot information
 * to the site table, on the loader's own sources (hosted.h).  The process maps [RAM_LOW, RAM_TOP)
 * at the same addresses, so the loader's phys() (a physical address is a pointer) holds unchanged
 * in a 32-bit process: the multiboot information and the modules are laid out in it as QEMU lays
 * them out for `-m 256`, the modules are moved and the segments loaded exactly as in a boot.  The
 * loader's own image is [0x100000, 0x194000) (its symbols are defined so by mk/hardening.mk), the
 * size a boot measures (docs/loader.md, "Memory layout"). */
#define _GNU_SOURCE
#include "hosted.h"
#include "loader.h"
#include "bootparam.h"
#include "loader_linux.h"
#include <stdio.h>
#include <string.h>
#include "host_mman.h"     /* <sys/mman.h>, MAP_FIXED_NOREPLACE: lib/ */


#define RAM_LOW    0x10000u                /* below: the kernel's mmap_min_addr */
#define RAM_TOP    0x10000000u             /* 256 MiB */
#define RAM_USABLE 0x0ffe0000u             /* QEMU's top 128 KiB are ACPI tables */
#define MBI_ADDR   0x10000u
#define LOADER_END 0x194000u
#define MB_MAGIC   0x2badb002u
#define CMDLINE    "/vmi-loader.elf vmi.policy=auto console=ttyS0"

/* Multiboot 0.6.96's layouts, as a boot loader writes them (the loader's own are private to
 * multiboot.c). */
struct mbi_out {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};
struct mod_out {
    uint32_t mod_start, mod_end, string, reserved;
};
struct mmap_out {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

static const char initrd[] = "070701 a stand-in initrd: the parsers only move it\n";

static int ram_map(char *msg, size_t cap)
{
    static int mapped;
    if (mapped)
        return 0;
    void *p = mmap((void *)(uintptr_t)RAM_LOW, RAM_TOP - RAM_LOW, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
    if (p != (void *)(uintptr_t)RAM_LOW) {
        snprintf(msg, cap, "loader-hosted: cannot map the RAM at 0x%x-0x%x", RAM_LOW, RAM_TOP);
        if (p != MAP_FAILED)
            munmap(p, RAM_TOP - RAM_LOW);
        return -1;
    }
    mapped = 1;
    return 0;
}

/* What QEMU's multiboot loader writes: the information at MBI_ADDR, the modules page-aligned
 * after the loader.  Returns -1 when the image does not fit the RAM. */
static int boot_loader_writes(const uint8_t *elf, uint32_t size)
{
    uint32_t vm_at = LOADER_END, rd_at = PAGE_UP(vm_at + size);
    if (size > RAM_USABLE - vm_at || rd_at + sizeof(initrd) > RAM_USABLE)
        return -1;
    memset(phys(MBI_ADDR), 0, 0x1000);
    struct mbi_out *mbi = phys(MBI_ADDR);
    struct mmap_out *mm = phys(MBI_ADDR + 0x100);
    struct mod_out *mods = phys(MBI_ADDR + 0x200);
    char *cmd = phys(MBI_ADDR + 0x300), *names = phys(MBI_ADDR + 0xc00);
    const struct mmap_out map[] = { { 20, 0, 0x9fc00, 1 }, { 20, 0x9fc00, 0x400, 2 },
                                    { 20, 0xf0000, 0x10000, 2 },
                                    { 20, 0x100000, RAM_USABLE - 0x100000, 1 },
                                    { 20, RAM_USABLE, RAM_TOP - RAM_USABLE, 2 } };
    memcpy(mm, map, sizeof(map));
    strcpy(cmd, CMDLINE);
    strcpy(names, "vmlinux");
    strcpy(names + 16, "initrd.cpio");
    memcpy(phys(vm_at), elf, size);
    memcpy(phys(rd_at), initrd, sizeof(initrd));
    mods[0] = (struct mod_out){ vm_at, vm_at + size, MBI_ADDR + 0xc00, 0 };
    mods[1] = (struct mod_out){ rd_at, rd_at + (uint32_t)sizeof(initrd), MBI_ADDR + 0xc10, 0 };
    *mbi = (struct mbi_out){ .flags = 1u | 1u << 2 | 1u << 3 | 1u << 6, .mem_lower = 639,
                             .mem_upper = (RAM_USABLE - 0x100000) >> 10, .cmdline = MBI_ADDR + 0x300,
                             .mods_count = 2, .mods_addr = MBI_ADDR + 0x200,
                             .mmap_length = sizeof(map), .mmap_addr = MBI_ADDR + 0x100 };
    return 0;
}

static const char *after_first_word(const char *s)
{
    while (*s == ' ')
        s++;
    while (*s && *s != ' ')
        s++;
    return s;
}

static struct boot_info bi;
static struct loader_options opt;
static struct vmlinux vm;
static struct layout lay;
static struct linux_config lc;
static struct vmi_text text;
static struct aot_image aot;

/* loader/main.c's patch_plain and patch_specialized without a ROM: the native plan, proved
 * against the text (plain), or the original bytes written back (specialized). */
static int sites_step(struct hosted_result *res, struct ld_error *err)
{
    if (!aot.present) {
        res->aot = "none";
        return linux_capture(&text, err) || linux_plan(0, opt.policy, err) || linux_check(&text, err);
    }
    uint64_t h = 0;
    linux_set_original(aot.original, aot.original_len);
    res->aot = vmi_aot_state_name(aot_check(&aot, &text, linux_sites(), 0, &h));
    return linux_plan(0, VMI_POLICY_NATIVE_ONLY, err) || linux_write(&text, VMI_APPLY_TRUST_TEXT, err);
}

int loader_hosted_parse(const uint8_t *elf, uint32_t size, struct hosted_result *res, char *msg,
                        size_t cap)
{
    struct ld_error err = { "" };
    memset(res, 0, sizeof(*res));
    if (ram_map(msg, cap))
        return -2;
    if (boot_loader_writes(elf, size)) {
        snprintf(msg, cap, "vmlinux: %u bytes do not fit the 256 MiB machine", size);
        return -1;
    }
    memset(&bi, 0, sizeof(bi));
    int bad = multiboot_read(&bi, MB_MAGIC, MBI_ADDR, &err) ||
              options_parse(&opt, after_first_word(bi.cmdline), &err) ||
              vmlinux_check(&vm, phys(bi.mod[0].start), bi.mod[0].end - bi.mod[0].start, &err) ||
              memory_plan(&lay, &bi, &vm, INITRD_ADDR_MAX_DEFAULT, &err);
    if (!bad) {
        memory_move_modules(&bi, &lay);
        vmlinux_rebase(&vm, phys(bi.mod[0].start));
        vmlinux_load(&vm);
        bad = linux_config_pick(&lc, &vm, &err) || linux_sites_read(&vm, &lc, &text, &err) ||
              aot_read(&aot, &vm, linux_sites(), &err) || sites_step(res, &err);
    }
    if (bad) {
        snprintf(msg, cap, "%s", err.msg);
        return -1;
    }
    res->config = lc.config;
    res->sites = linux_sites()->count;
    res->kernel_lo = lay.kernel_lo;
    res->kernel_hi = lay.kernel_hi;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
