/* The vmlinux ELF image: checked whole (ELF32, little-endian, EM_386, ET_EXEC, program headers,
 * PT_LOAD segments inside the file and not overlapping, the entry inside a segment) before the
 * loader copies anything; then its segments are loaded at p_paddr.  Sections and symbols are read
 * for the patching (.parainstructions, the pv_*_ops groups). */
#include "loader.h"
#include <elf.h>

static int in_file(uint32_t off, uint32_t len, uint32_t size)
{
    return off <= size && len <= size - off;
}

static int check_header(const Elf32_Ehdr *eh, uint32_t size, struct ld_error *err)
{
    if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
        return ld_fail(err, "vmlinux: not an ELF file");
    if (eh->e_ident[EI_CLASS] != ELFCLASS32)
        return ld_fail(err, "vmlinux: ELF class %u, expected ELFCLASS32", eh->e_ident[EI_CLASS]);
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return ld_fail(err, "vmlinux: not little-endian");
    if (eh->e_machine != EM_386)
        return ld_fail(err, "vmlinux: e_machine %u, expected EM_386 (3)", eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return ld_fail(err, "vmlinux: e_type %u, expected ET_EXEC (2)", eh->e_type);
    if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 ||
        !in_file(eh->e_phoff, (uint32_t)eh->e_phnum * sizeof(Elf32_Phdr), size))
        return ld_fail(err, "vmlinux: program headers (%u at 0x%x) outside the file of %u bytes",
                       eh->e_phnum, eh->e_phoff, size);
    /* the headers are read in place, as structs: misaligned they would be misaligned accesses */
    if (eh->e_phoff % 4 || (eh->e_shnum && eh->e_shoff % 4))
        return ld_fail(err, "vmlinux: program headers at 0x%x or section headers at 0x%x not "
                       "4-byte aligned", eh->e_phoff, eh->e_shoff);
    if (eh->e_shnum && (eh->e_shentsize != sizeof(Elf32_Shdr) ||
                        !in_file(eh->e_shoff, (uint32_t)eh->e_shnum * sizeof(Elf32_Shdr), size) ||
                        eh->e_shstrndx >= eh->e_shnum))
        return ld_fail(err, "vmlinux: section headers (%u at 0x%x) outside the file of %u bytes",
                       eh->e_shnum, eh->e_shoff, size);
    return 0;
}

static int add_segment(struct vmlinux *vm, const Elf32_Phdr *ph, uint32_t i, struct ld_error *err)
{
    if (!in_file(ph->p_offset, ph->p_filesz, vm->size))
        return ld_fail(err, "vmlinux: segment %u (offset 0x%x, %u bytes) runs past the file's %u bytes",
                       i, ph->p_offset, ph->p_filesz, vm->size);
    if (ph->p_filesz > ph->p_memsz || ph->p_paddr + ph->p_memsz < ph->p_paddr ||
        ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
        return ld_fail(err, "vmlinux: segment %u: filesz %u, memsz %u at 0x%x", i, ph->p_filesz,
                       ph->p_memsz, ph->p_paddr);
    if (ph->p_paddr < 0x100000)
        return ld_fail(err, "vmlinux: segment %u at 0x%x, below 1 MiB", i, ph->p_paddr);
    for (uint32_t k = 0; k < vm->seg_count; k++) {
        const struct segment *s = &vm->seg[k];
        if (ph->p_paddr < s->paddr + s->memsz && s->paddr < ph->p_paddr + ph->p_memsz)
            return ld_fail(err, "vmlinux: segment %u overlaps an earlier one at 0x%x", i, s->paddr);
    }
    if (vm->seg_count == MAX_SEGMENTS)
        return ld_fail(err, "vmlinux: more than %u PT_LOAD segments", MAX_SEGMENTS);
    struct segment *s = &vm->seg[vm->seg_count++];
    s->offset = ph->p_offset;
    s->filesz = ph->p_filesz;
    s->memsz = ph->p_memsz;
    s->paddr = ph->p_paddr;
    s->vaddr = ph->p_vaddr;
    s->flags = ph->p_flags;
    return 0;
}

/* startup_32: e_entry is physical in a vmlinux (ENTRY(phys_startup_32)); a virtual e_entry is
 * converted with its segment's p_vaddr - p_paddr. */
static int find_entry(struct vmlinux *vm, uint32_t entry, struct ld_error *err)
{
    for (uint32_t k = 0; k < vm->seg_count; k++) {
        const struct segment *s = &vm->seg[k];
        if (entry >= s->paddr && entry - s->paddr < s->filesz) {
            vm->entry_phys = entry;
            vm->page_offset = s->vaddr - s->paddr;
            return 0;
        }
        if (entry >= s->vaddr && entry - s->vaddr < s->filesz) {
            vm->entry_phys = entry - (s->vaddr - s->paddr);
            vm->page_offset = s->vaddr - s->paddr;
            return 0;
        }
    }
    return ld_fail(err, "vmlinux: entry 0x%x is in no loaded segment", entry);
}

int vmlinux_check(struct vmlinux *vm, const uint8_t *file, uint32_t size, struct ld_error *err)
{
    const Elf32_Ehdr *eh = (const void *)file;
    memset(vm, 0, sizeof(*vm));
    vm->file = file;
    vm->size = size;
    if (check_header(eh, size, err))
        return -1;
    const Elf32_Phdr *ph = (const void *)(file + eh->e_phoff);
    for (uint32_t i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && ph[i].p_memsz && add_segment(vm, &ph[i], i, err))
            return -1;
    if (!vm->seg_count)
        return ld_fail(err, "vmlinux: no PT_LOAD segment");
    vm->phys_lo = 0xffffffffu;
    for (uint32_t k = 0; k < vm->seg_count; k++) {
        const struct segment *s = &vm->seg[k];
        if (s->paddr < vm->phys_lo)
            vm->phys_lo = s->paddr;
        if (s->paddr + s->memsz > vm->phys_hi)
            vm->phys_hi = s->paddr + s->memsz;
    }
    return find_entry(vm, eh->e_entry, err);
}

void vmlinux_rebase(struct vmlinux *vm, const uint8_t *file)
{
    vm->file = file;
}

void vmlinux_load(const struct vmlinux *vm)
{
    for (uint32_t k = 0; k < vm->seg_count; k++) {
        const struct segment *s = &vm->seg[k];
        memmove(phys(s->paddr), vm->file + s->offset, s->filesz);
        memset((uint8_t *)phys(s->paddr) + s->filesz, 0, s->memsz - s->filesz);
    }
}

static const Elf32_Shdr *section_headers(const struct vmlinux *vm, uint32_t *count)
{
    const Elf32_Ehdr *eh = (const void *)vm->file;
    *count = eh->e_shnum;
    return (const void *)(vm->file + eh->e_shoff);
}

/* The NUL-terminated name at off in string section sh, or NULL when it is not inside it. */
static const char *string_at(const struct vmlinux *vm, const Elf32_Shdr *sh, uint32_t off)
{
    if (!in_file(sh->sh_offset, sh->sh_size, vm->size) || off >= sh->sh_size)
        return 0;
    const char *s = (const char *)vm->file + sh->sh_offset;
    for (uint32_t i = off; i < sh->sh_size; i++)
        if (!s[i])
            return s + off;
    return 0;
}

int vmlinux_section(const struct vmlinux *vm, const char *name, uint32_t *addr, uint32_t *offset,
                    uint32_t *size, struct ld_error *err)
{
    uint32_t n;
    const Elf32_Shdr *sh = section_headers(vm, &n);
    const Elf32_Ehdr *eh = (const void *)vm->file;
    if (!n)
        return ld_fail(err, "vmlinux: no section headers");
    for (uint32_t i = 0; i < n; i++) {
        const char *nm = string_at(vm, &sh[eh->e_shstrndx], sh[i].sh_name);
        if (!nm || strncmp(nm, name, 64))
            continue;
        if (sh[i].sh_type == SHT_NOBITS || !in_file(sh[i].sh_offset, sh[i].sh_size, vm->size))
            return ld_fail(err, "vmlinux: section %s (offset 0x%x, %u bytes) outside the file", name,
                           sh[i].sh_offset, sh[i].sh_size);
        *addr = sh[i].sh_addr;
        *offset = sh[i].sh_offset;
        *size = sh[i].sh_size;
        return 0;
    }
    return ld_fail(err, "vmlinux: no %s section", name);
}

int vmlinux_symbol(const struct vmlinux *vm, const char *name, uint32_t *value, uint32_t *size)
{
    uint32_t n;
    const Elf32_Shdr *sh = section_headers(vm, &n);
    for (uint32_t i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_entsize != sizeof(Elf32_Sym) ||
            sh[i].sh_link >= n || sh[i].sh_offset % 4 ||
            !in_file(sh[i].sh_offset, sh[i].sh_size, vm->size))
            continue;
        const Elf32_Sym *sym = (const void *)(vm->file + sh[i].sh_offset);
        uint32_t count = sh[i].sh_size / sizeof(Elf32_Sym);
        for (uint32_t k = 0; k < count; k++) {
            const char *nm = string_at(vm, &sh[sh[i].sh_link], sym[k].st_name);
            if (nm && sym[k].st_shndx != SHN_UNDEF && !strncmp(nm, name, 64)) {
                *value = sym[k].st_value;
                *size = sym[k].st_size;
                return 0;
            }
        }
    }
    return -1;
}

uint8_t *vmlinux_loaded(const struct vmlinux *vm, uint32_t vaddr, uint32_t len)
{
    for (uint32_t k = 0; k < vm->seg_count; k++) {
        const struct segment *s = &vm->seg[k];
        if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->filesz && len <= s->filesz - (vaddr - s->vaddr))
            return (uint8_t *)phys(s->paddr + (vaddr - s->vaddr));
    }
    return 0;
}

int vmlinux_span(const struct vmlinux *vm, uint32_t *vbase, uint32_t *pbase, uint32_t *size)
{
    uint32_t lo = vm->phys_lo, hi = 0;
    for (uint32_t k = 0; k < vm->seg_count; k++) {
        const struct segment *s = &vm->seg[k];
        if (s->vaddr - s->paddr != vm->page_offset)
            return -1;
        if (s->paddr + s->filesz > hi)
            hi = s->paddr + s->filesz;
    }
    *pbase = lo;
    *vbase = lo + vm->page_offset;
    *size = hi - lo;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
