/* loader_main: the loader's sequence (docs/loader.md).
 *   1. serial; the multiboot information copied; the command line split (vmi.* / Linux)
 *   2. vmlinux checked whole, in place; the modules moved to the top of RAM
 *   3. the VMI ROM found as Linux finds it
 *   4. the kernel's segments loaded at p_paddr, bss zeroed
 *   5. its pv sites read, planned against the ROM at Linux's address, applied and verified
 *   6. the zero page, and into startup_32 through the 32-bit boot protocol
 * A problem with the kernel image or the command line stops the loader (one line, QEMU exit
 * status 3); a problem with the ROM or the sites boots the unchanged kernel (one line). */
#include "loader.h"
#include "bootparam.h"
#include "loader_linux.h"
#include "count_area.h"

static struct boot_info boot_info;
static struct loader_options options;
static struct vmlinux vmlinux;
static struct layout layout;
static struct boot_params zero_page __attribute__((aligned(4096)));
static char linux_cmdline[CMDLINE_MAX];
static struct loader_rom rom;
static struct linux_config linux_config;
static struct patch_result result;
static struct vmi_text text;
static struct aot_image aot;
static int counted;                     /* the text holds the counting plan (vmi.count=1) */

__attribute__((noreturn)) static void stop(const struct ld_error *err)
{
    kprintf("vmi-loader: %s\n", err->msg);
    loader_stop();
}

static void problem(const struct ld_error *err)
{
    kprintf("vmi-loader: %s\n", err->msg);
}

/* Linux's options that change how activate_vmi() sets up a fill op (safe_halt: with the VMI timer
 * and idle, Linux wraps it instead): the plan's uses are those of a boot without them
 * (docs/linux.md, section 5). */
static const char *const replan_options[] = { "vmi=disable_timer", "vmi=disable_noidle" };

/* Which ROM the sites are planned against: NULL for none (every site native). */
static const struct loader_rom *usable_rom(void)
{
    struct ld_error err;
    if (!rom.found)
        return 0;
    for (unsigned i = 0; i < sizeof(replan_options) / sizeof(replan_options[0]); i++)
        if (options_linux_has(&options, replan_options[i])) {
            kprintf("vmi-loader: not patched: %s changes how Linux sets up the ops the plan "
                    "patches\n", replan_options[i]);
            return 0;
        }
    if (rom_needs_hypervisor(&rom)) {
        kprintf("vmi-loader: not patched: the ROM at 0x%x keeps a hypervisor area from 0x%x, which "
                "only its hypervisor maps, and its VMI_Init is Linux's to call\n", rom.phys,
                rom.rom.virtual_top);
        return 0;
    }
    if (rom_relocs(&rom, &err)) {
        problem(&err);
        return 0;
    }
    return &rom;
}

/* The plan's sites of vmi_patch's ops, kept from Linux's own re-patching (vmi.keep=0: not). */
static void guard_plan(void)
{
    if (options.keep)
        kprintf("vmi-loader: keep: %u records of vmi_patch's ops retyped (vmi_activate leaves "
                "their sites)\n", linux_guard_records(&vmlinux));
}

/* A plain image: the original bytes are what the loaded text holds; plan, write, verify. */
static int patch_plain(const struct loader_rom *r, struct ld_error *err)
{
    if (linux_capture(&text, err) || linux_plan(r, options.policy, err))
        return -1;
    if (options.count) {
        uint32_t guarded = r ? linux_guard_records(&vmlinux) : 0;
        if (count_area_usable(&boot_info, err) ||
            count_write(&text, r, vmlinux.page_offset, guarded, err))
            return -1;
        counted = 1;
        return 0;
    }
    if (!r)
        return linux_check(&text, err);
    if (linux_write(&text, 0, err))
        return -1;
    guard_plan();
    return 0;
}

/* Back to the original bytes .vmi_aot keeps: the sites hash was checked (or the image is not
 * trusted and nothing of it may stay), so the text is trusted to be the specialized one. */
static int restore_original(struct ld_error *err)
{
    return linux_plan(0, VMI_POLICY_NATIVE_ONLY, err) || linux_write(&text, VMI_APPLY_TRUST_TEXT, err);
}

static int patch_specialized(const struct loader_rom *r, struct ld_error *err)
{
    uint64_t h = 0;
    linux_set_original(aot.original, aot.original_len);
    enum vmi_aot_state state = aot_check(&aot, &text, linux_sites(), r, &h);
    result.aot = vmi_aot_state_name(state);
    if (state == VMI_AOT_MATCH) {
        /* the image already holds what this ROM and the identity's policy give: prove it */
        if (linux_plan(r, aot.id.policy, err) || linux_check(&text, err))
            return -1;
        kprintf("vmi-loader: aot state=match policy=%s sites_hash=0x%llx written=0 verified=%u\n",
                vmi_policy_name(aot.id.policy), (unsigned long long)h, linux_sites()->count);
        guard_plan();
        return 0;
    }
    if (state == VMI_AOT_UNTRUSTED) {
        if (restore_original(err))
            return -1;
        kprintf("vmi-loader: aot state=untrusted: the sites hash to 0x%llx, the identity says 0x%llx "
                "(%u sites): original bytes restored, nothing patched\n", (unsigned long long)h,
                (unsigned long long)aot.id.sites_hash, aot.id.site_count);
        return 0;
    }
    if (restore_original(err))
        return -1;
    kprintf("vmi-loader: aot state=mismatch: specialized for rom_hash=0x%llx (%u bytes) at 0x%x: "
            "%u sites restored, then planned for this ROM\n", (unsigned long long)aot.id.rom_hash,
            aot.id.rom_size, aot.id.rom_base, linux_sites()->count);
    if (!r)
        return 0;
    if (linux_plan(r, options.policy, err) || linux_write(&text, 0, err))
        return -1;
    guard_plan();
    return 0;
}

/* Step 5: on any problem the kernel is loaded again exactly as the file has it. */
static void patch_kernel(void)
{
    struct ld_error err;
    if (linux_config_pick(&linux_config, &vmlinux, &err) ||
        linux_sites_read(&vmlinux, &linux_config, &text, &err)) {
        problem(&err);
        return;
    }
    if (aot_read(&aot, &vmlinux, linux_sites(), &err))
        stop(&err);                      /* its sites may be patched and nothing says how to undo it */
    const struct loader_rom *r = usable_rom();
    if (aot.present && options.count) {
        kprintf("vmi-loader: vmi.count: not with a pre-specialized image (not counted)\n");
        options.count = 0;
    }
    uint64_t t0 = rdtsc();
    int bad = aot.present ? patch_specialized(r, &err) : patch_plain(r, &err);
    result.cycles = rdtsc() - t0;
    if (bad) {
        if (aot.present)
            stop(&err);                  /* the file itself holds specialized sites */
        problem(&err);
        vmlinux_load(&vmlinux);          /* whatever was written is undone */
        memset(&result, 0, sizeof(result));
        counted = 0;
        return;
    }
    linux_result(&result);
}

static void report(void)
{
    const struct vmi_stats *st = &result.stats;
    char romstr[16] = "none";
    if (rom.found)
        ksnprintf(romstr, sizeof(romstr), "0x%x", rom.phys);
    kprintf("vmi-loader: rom=%s sites=%u inline=%u call=%u jump=%u nop=%u native=%u aot=%s\n",
            romstr, result.sites, st->decision[VMI_DECISION_INLINE], st->decision[VMI_DECISION_CALL],
            st->decision[VMI_DECISION_JUMP], st->decision[VMI_DECISION_NOP],
            st->decision[VMI_DECISION_NATIVE], result.aot ? result.aot : "none");
    if (!result.sites)
        return;
    linux_report_ops(&linux_config, &result);
    uint32_t cycles = result.cycles > 0xffffffffull ? 0xffffffffu : (uint32_t)result.cycles;
    kprintf("vmi-loader: patch policy=%s changed=%u tsc=%u tsc_per_site=%u\n",
            vmi_policy_name((unsigned)options.policy), result.changed, cycles,
            result.sites ? cycles / result.sites : 0);
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
    if (memory_plan(&layout, &boot_info, &vmlinux, INITRD_ADDR_MAX_DEFAULT, &err))
        stop(&err);
    memory_move_modules(&boot_info, &layout);
    vmlinux_rebase(&vmlinux, phys(vm_mod->start));

    if (rom_find(&rom, vmlinux.page_offset, &err))
        problem(&err);
    vmlinux_load(&vmlinux);
    patch_kernel();
    /* Linux's apply_paravirt would put its own calls back over the inlined (or counted) sites;
     * the counting area's address reaches init as an environment variable */
    if ((result.changed || counted) && options_append(&options, "noreplace-paravirt")) {
        ld_fail(&err, "command line: no room for noreplace-paravirt");
        stop(&err);
    }
    if (counted && options_append(&options, "vmicount=" COUNT_AREA_PHYS_STR)) {
        ld_fail(&err, "command line: no room for vmicount=");
        stop(&err);
    }
    report();
    memcpy(linux_cmdline, options.linux_cmdline, sizeof(linux_cmdline));
    const struct module *initrd = &boot_info.mod[1];
    bootparams_fill(&zero_page, &boot_info, linux_cmdline, initrd->start, initrd->end - initrd->start);
    if (counted && count_reserve(&zero_page, &err))
        stop(&err);
    if (options.stop)
        loader_exit(LOADER_EXIT_DONE);
    linux_enter(vmlinux.entry_phys, (uint32_t)&zero_page);
}
/* SPDX-License-Identifier: GPL-2.0-only */
