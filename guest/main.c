/* kmain: the boot sequence of a VMI kernel (docs/guest.md).
 *   1. serial, command line (policy=auto|call-only|native-only|inline-only)
 *   2. paging on with boot tables (native: nothing is patched yet)
 *   3. find the ROM, reserve the hole, copy it to vmi_rom_area, VMI_Init (interrupts off)
 *   4. patch every site (or check a pre-specialized image), still with interrupts off
 *   5. GDT, TSS, IDT, the kernel's page tables, PIC and PIT, all through the (patched) sites
 *   6. the self-test, the benchmark, the report, and out through isa-debug-exit */
#include "kernel.h"
#include "platform.h"
#include "vmi_inliner.h"

uint32_t vmi_count[VMI_NUM_CALLS];

struct multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

#ifdef __clang__
#define COMPILER "clang"
#else
#define COMPILER "gcc"
#endif

static void report_counts(void)
{
    char line[160];
    uint32_t len = 0, used = 0, missed = 0;
    extern const struct vmi_site __start_vmi_sites[], __stop_vmi_sites[];
    uint32_t has_site[VMI_NUM_CALLS] = { 0 };
    for (const struct vmi_site *s = __start_vmi_sites; s < __stop_vmi_sites; s++)
        has_site[s->call]++;
    for (uint32_t c = 0; c < VMI_NUM_CALLS; c++) {
        if (!has_site[c])
            continue;
        used++;
        if (!vmi_count[c])
            missed++;
        if (len > 100) {
            kprintf("count%s\n", line);
            len = 0;
        }
        len += ksnprintf(line + len, sizeof(line) - len, " %s=%u", vmi_call_name(c), vmi_count[c]);
    }
    if (len)
        kprintf("count%s\n", line);
    check("calls_exercised", missed == 0, "calls_with_sites=%u not_executed=%u", used, missed);
    if (missed)
        for (uint32_t c = 0; c < VMI_NUM_CALLS; c++)
            if (has_site[c] && !vmi_count[c])
                kprintf("count missing=%s\n", vmi_call_name(c));
}

void kmain(uint32_t magic, const struct multiboot_info *mbi);
void kmain(uint32_t magic, const struct multiboot_info *mbi)
{
    char policy[24] = "auto", count[4] = "0";
    const char *cmdline = "";

    serial_init();
    kprintf("\nVMI-GUEST compiler=%s\n", COMPILER);
    if (magic != 0x2badb002u)
        panic("not started by a multiboot loader (eax=%x)", magic);
    if (mbi->flags & 4)
        cmdline = (const char *)mbi->cmdline;
    cmdline_get(cmdline, "policy", policy, sizeof(policy));
    cmdline_get(cmdline, "count", count, sizeof(count));
    kprintf("boot cmdline=\"%s\" mem_upper_kib=%u\n", cmdline, mbi->mem_upper);

    paging_early();
    rom_find_and_init();
    patch_boot(policy, count[0] == '1');

    gdt_init();
    idt_init();
    paging_init();
    pic_init();
    pit_init();
    kprintf("boot done sites=%u interrupts=enabling\n",
            (uint32_t)(__stop_vmi_sites - __start_vmi_sites));

    selftest();
    bench_run();
    platform_report();
    report_counts();
    count_report();
    kprintf("RESULT %s checks_failed=%u\n", checks_failed ? "FAIL" : "PASS", checks_failed);
    qemu_exit(checks_failed ? EXIT_FAIL : EXIT_PASS);
}
/* SPDX-License-Identifier: GPL-2.0-only */
