/* loader_main: the loader's sequence (docs/loader.md).
 *   1. serial; the multiboot information copied; the command line split (vmi.* / Linux)
 *   2. vmlinux checked whole, in place; the modules moved to the top of RAM
 *   3. the kernel's segments loaded at p_paddr, bss zeroed
 *   4. the zero page, and into startup_32 through the 32-bit boot protocol */
#include "loader.h"
#include "bootparam.h"

static struct boot_info boot_info;
static struct loader_options options;
static struct vmlinux vmlinux;
static struct layout layout;
static struct boot_params zero_page __attribute__((aligned(4096)));
static char linux_cmdline[CMDLINE_MAX];

__attribute__((noreturn)) static void stop(const struct ld_error *err)
{
    kprintf("vmi-loader: %s\n", err->msg);
    loader_stop();
}

/* Multiboot loaders put the kernel's own path first. */
static const char *skip_first_word(const char *s)
{
    while (*s == ' ')
        s++;
    while (*s && *s != ' ')
        s++;
    return s;
}

void loader_main(uint32_t magic, uint32_t mbi);
void loader_main(uint32_t magic, uint32_t mbi)
{
    struct ld_error err;
    serial_init();
    if (multiboot_read(&boot_info, magic, mbi, &err))
        stop(&err);
    if (options_parse(&options, skip_first_word(boot_info.cmdline), &err))
        stop(&err);
    if (boot_info.mod_count < 2) {
        ld_fail(&err, "no initrd: give -initrd \"VMLINUX,INITRD\" (%u module)", boot_info.mod_count);
        stop(&err);
    }
    struct module *vm_mod = &boot_info.mod[0];
    if (vmlinux_check(&vmlinux, phys(vm_mod->start), vm_mod->end - vm_mod->start, &err))
        stop(&err);
    if (memory_plan(&layout, &boot_info, &vmlinux, 0x37ffffffu, &err))
        stop(&err);
    memory_move_modules(&boot_info, &layout);
    vmlinux_rebase(&vmlinux, phys(vm_mod->start));

    vmlinux_load(&vmlinux);
    memcpy(linux_cmdline, options.linux_cmdline, sizeof(linux_cmdline));
    const struct module *initrd = &boot_info.mod[1];
    bootparams_fill(&zero_page, &boot_info, linux_cmdline, initrd->start, initrd->end - initrd->start);
    kprintf("vmi-loader: rom=none sites=0 inline=0 call=0 jump=0 nop=0 native=0 aot=none\n");
    linux_enter(vmlinux.entry_phys, (uint32_t)&zero_page);
}
