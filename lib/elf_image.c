/* Reading a 32-bit ELF image and its VMI site table: see elf_image.h. */
#include "elf_image.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux_image.h"
#include "vmi_abi.h"
#include "vmi_inliner.h"

_Static_assert(sizeof(struct vmi_site) == 12, "vmi_site record size");

const char *aot_call_name(unsigned call)
{
    if (call >= VMI_NUM_CALLS)
        return NULL;
    return vmi_call_table[call].name;
}

static void image_reset(struct aot_image *img)
{
    memset(img, 0, sizeof *img);
    img->fd = -1;
}

void aot_image_close(struct aot_image *img)
{
    if (img->elf)
        elf_end(img->elf);
    if (img->data)
        munmap(img->data, img->size);
    if (img->fd >= 0)
        close(img->fd);
    free(img->path);
    free(img->secs);
    free(img->sites);
    free(img->funcs);
    aot_linux_free(img->lx);
    image_reset(img);
}

/* ---- headers ---- */

/* The checks libelf would do silently or not at all, with messages that say where. */
static int check_headers(struct aot_image *img, struct aot_err *err)
{
    const char *p = img->path;
    const uint8_t *d = img->data;
    Elf32_Ehdr eh;

    if (img->size < SELFMAG || memcmp(d, ELFMAG, SELFMAG) != 0)
        return aot_fail(err, "%s: not an ELF file (no \\177ELF magic at offset 0)", p);
    if (img->size < EI_NIDENT)
        return aot_fail(err, "%s: truncated ELF header: %zu bytes, e_ident needs %d", p, img->size,
                        EI_NIDENT);
    if (d[EI_CLASS] == ELFCLASS64)
        return aot_fail(err, "%s: 64-bit ELF (EI_CLASS 2); vmi-aot reads 32-bit i386 images", p);
    if (d[EI_CLASS] != ELFCLASS32)
        return aot_fail(err, "%s: bad ELF class %u at offset 0x%x", p, d[EI_CLASS], EI_CLASS);
    if (d[EI_DATA] != ELFDATA2LSB)
        return aot_fail(err, "%s: not little-endian (EI_DATA %u); i386 images are", p, d[EI_DATA]);
    if (d[EI_VERSION] != EV_CURRENT)
        return aot_fail(err, "%s: e_ident[EI_VERSION] is %u, not %u (EV_CURRENT)", p,
                        d[EI_VERSION], EV_CURRENT);
    if (img->size < sizeof eh)
        return aot_fail(err, "%s: truncated ELF header: file has %zu bytes, the header needs %zu", p,
                        img->size, sizeof eh);
    memcpy(&eh, d, sizeof eh);
    if (eh.e_machine != EM_386)
        return aot_fail(err, "%s: e_machine %u is not EM_386 (3)", p, eh.e_machine);
    if (eh.e_type == ET_REL)
        return aot_fail(err, "%s: relocatable object (ET_REL): the vmi_sites offsets are resolved "
                        "by the link; give the linked image", p);
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
        return aot_fail(err, "%s: e_type %u is neither ET_EXEC nor ET_DYN", p, eh.e_type);
    if (eh.e_ehsize != sizeof eh)
        return aot_fail(err, "%s: e_ehsize %u, expected %zu", p, eh.e_ehsize, sizeof eh);
    if (eh.e_shoff == 0)
        return aot_fail(err, "%s: no section header table (e_shoff 0)", p);
    if (eh.e_shentsize != sizeof(Elf32_Shdr))
        return aot_fail(err, "%s: e_shentsize %u, expected %zu", p, eh.e_shentsize,
                        sizeof(Elf32_Shdr));
    uint64_t nsh = eh.e_shnum;
    if (nsh == 0) {                     /* extended numbering: the count is in shdr[0].sh_size */
        Elf32_Shdr sh0;
        if ((uint64_t)eh.e_shoff + sizeof sh0 > img->size)
            return aot_fail(err, "%s: truncated: section header 0 at offset 0x%x is past the end "
                            "of the file (0x%zx bytes)", p, eh.e_shoff, img->size);
        memcpy(&sh0, d + eh.e_shoff, sizeof sh0);
        nsh = sh0.sh_size;
    }
    uint64_t shend = (uint64_t)eh.e_shoff + nsh * sizeof(Elf32_Shdr);
    if (shend > img->size)
        return aot_fail(err, "%s: truncated: section header table at offset 0x%x (%llu entries) "
                        "ends at 0x%llx, past the end of the file (0x%zx bytes)", p, eh.e_shoff,
                        (unsigned long long)nsh, (unsigned long long)shend, img->size);
    if (eh.e_phnum) {
        uint64_t phend = (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize;
        if (eh.e_phentsize != sizeof(Elf32_Phdr))
            return aot_fail(err, "%s: e_phentsize %u, expected %zu", p, eh.e_phentsize,
                            sizeof(Elf32_Phdr));
        if (phend > img->size)
            return aot_fail(err, "%s: truncated: program header table at offset 0x%x ends at "
                            "0x%llx, past the end of the file (0x%zx bytes)", p, eh.e_phoff,
                            (unsigned long long)phend, img->size);
    }
    img->type = eh.e_type;
    img->entry = eh.e_entry;
    return 0;
}

static int read_sections(struct aot_image *img, struct aot_err *err)
{
    const char *p = img->path;
    size_t n, strndx;

    if (elf_getshdrnum(img->elf, &n) != 0)
        return aot_fail(err, "%s: cannot read the section count: %s", p,
                        aot_lib_text(elf_errmsg(-1), "libelf gave no reason"));
    if (elf_getshdrstrndx(img->elf, &strndx) != 0)
        return aot_fail(err, "%s: cannot read the section name table index: %s", p,
                        aot_lib_text(elf_errmsg(-1), "libelf gave no reason"));
    if (n && strndx >= n)
        return aot_fail(err, "%s: section name table index %zu is not below the section count %zu",
                        p, strndx, n);
    img->secs = calloc(n ? n : 1, sizeof *img->secs);
    if (!img->secs)
        return aot_fail(err, "%s: out of memory for %zu section headers", p, n);
    img->nsecs = n;
    img->shstrndx = strndx;
    for (size_t i = 0; i < n; i++) {
        struct aot_section *s = &img->secs[i];
        GElf_Shdr sh;
        Elf_Scn *scn = elf_getscn(img->elf, i);
        if (!scn || !gelf_getshdr(scn, &sh))
            return aot_fail(err, "%s: cannot read section header %zu: %s", p, i,
                                  aot_lib_text(elf_errmsg(-1), "libelf gave no reason"));
        s->index = (uint32_t)i;
        s->type = sh.sh_type;
        s->flags = (uint32_t)sh.sh_flags;
        s->addr = (uint32_t)sh.sh_addr;
        s->offset = (uint32_t)sh.sh_offset;
        s->size = (uint32_t)sh.sh_size;
        if (i && sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
            (uint64_t)sh.sh_offset + sh.sh_size > img->size)
            return aot_fail(err, "%s: truncated: section [%zu] at offset 0x%llx, size 0x%llx, ends "
                            "past the end of the file (0x%zx bytes)", p, i,
                            (unsigned long long)sh.sh_offset, (unsigned long long)sh.sh_size,
                            img->size);
        if ((sh.sh_flags & SHF_ALLOC) && (uint64_t)sh.sh_addr + sh.sh_size > 0x100000000ull)
            return aot_fail(err, "%s: section [%zu] at 0x%llx, size 0x%llx, wraps the 32-bit "
                            "address space", p, i, (unsigned long long)sh.sh_addr,
                            (unsigned long long)sh.sh_size);
    }
    /* Names, once every header (the name table's included) is known to be in the file. */
    for (size_t i = 0; i < n; i++) {
        GElf_Shdr sh;
        gelf_getshdr(elf_getscn(img->elf, i), &sh);
        const char *name = NULL;
        if (img->secs[strndx].type == SHT_STRTAB && sh.sh_name < img->secs[strndx].size)
            name = elf_strptr(img->elf, strndx, sh.sh_name);
        img->secs[i].name = name ? name : "";
    }
    return 0;
}

const struct aot_section *aot_image_find_section(const struct aot_image *img, const char *name)
{
    for (size_t i = 0; i < img->nsecs; i++)
        if (strcmp(img->secs[i].name, name) == 0)
            return &img->secs[i];
    return NULL;
}

const struct aot_section *aot_image_section_at(const struct aot_image *img, uint32_t addr,
                                               uint32_t len, uint32_t need_flags)
{
    for (size_t i = 1; i < img->nsecs; i++) {
        const struct aot_section *s = &img->secs[i];
        if (s->type != SHT_PROGBITS || (s->flags & need_flags) != need_flags ||
            !(s->flags & SHF_ALLOC))
            continue;
        if (addr >= s->addr && (uint64_t)addr + len <= (uint64_t)s->addr + s->size)
            return s;
    }
    return NULL;
}

const uint8_t *aot_image_bytes(const struct aot_image *img, uint32_t addr, uint32_t len)
{
    const struct aot_section *s = aot_image_section_at(img, addr, len, SHF_ALLOC);
    return s ? img->data + s->offset + (addr - s->addr) : NULL;
}

/* ---- function symbols ---- */

static int func_cmp(const void *a, const void *b)
{
    const struct aot_func *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The symbol table: .symtab, else .dynsym; NULL when the image is stripped of both. */
static const struct aot_section *symbol_table(const struct aot_image *img)
{
    for (size_t i = 1; i < img->nsecs; i++)
        if (img->secs[i].type == SHT_SYMTAB)
            return &img->secs[i];
    for (size_t i = 1; i < img->nsecs; i++)
        if (img->secs[i].type == SHT_DYNSYM)
            return &img->secs[i];
    return NULL;
}

/* The symbol table's header and data, its link checked to be a string table.  1 with them, 0
 * when the image has no symbol table, -1 with err. */
static int open_symtab(const struct aot_image *img, const struct aot_section **tabp,
                       GElf_Shdr *sh, Elf_Data **data, struct aot_err *err)
{
    const struct aot_section *tab = *tabp = symbol_table(img);
    if (!tab)
        return 0;
    Elf_Scn *scn = elf_getscn(img->elf, tab->index);
    if (!scn || !gelf_getshdr(scn, sh) || !(*data = elf_getdata(scn, NULL)))
        return aot_fail(err, "%s: cannot read symbol table [%u] %s: %s", img->path, tab->index,
                        tab->name, aot_lib_text(elf_errmsg(-1), "libelf gave no reason"));
    if (sh->sh_link >= img->nsecs || img->secs[sh->sh_link].type != SHT_STRTAB)
        return aot_fail(err, "%s: symbol table [%u] links to section %u, not a string table",
                        img->path, tab->index, (unsigned)sh->sh_link);
    return 1;
}

static int read_funcs(struct aot_image *img, struct aot_err *err)
{
    const struct aot_section *tab;
    GElf_Shdr sh;
    Elf_Data *data;
    int has = open_symtab(img, &tab, &sh, &data, err);
    if (has <= 0)
        return has;                     /* stripped: functions come from DWARF or stay "?" */
    size_t nsym = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
    img->funcs = calloc(nsym ? nsym : 1, sizeof *img->funcs);
    if (!img->funcs)
        return aot_fail(err, "%s: out of memory for %zu symbols", img->path, nsym);
    size_t n = 0;
    uint32_t strsize = img->secs[sh.sh_link].size;
    for (size_t i = 1; i < nsym; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym))
            return aot_fail(err, "%s: cannot read symbol %zu of [%u] %s: %s", img->path, i,
                            tab->index, tab->name, aot_lib_text(elf_errmsg(-1), "libelf gave no reason"));
        if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_size == 0 ||
            sym.st_shndx == SHN_UNDEF || sym.st_name >= strsize)
            continue;
        const char *name = elf_strptr(img->elf, sh.sh_link, sym.st_name);
        if (!name || !*name)
            continue;
        img->funcs[n].addr = (uint32_t)sym.st_value;
        img->funcs[n].size = (uint32_t)sym.st_size;
        img->funcs[n].name = name;
        n++;
    }
    img->nfuncs = n;
    qsort(img->funcs, n, sizeof *img->funcs, func_cmp);
    return 0;
}

/* The one binary search of this file: in n records of stride bytes sorted by the uint32_t at
 * addr_off, the index of the first whose address is above addr (n when none is). */
static size_t after_addr(const void *recs, size_t n, size_t stride, size_t addr_off, uint32_t addr)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t a;
        memcpy(&a, (const char *)recs + mid * stride + addr_off, sizeof a);
        if (a <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct aot_func *aot_image_func_at(const struct aot_image *img, uint32_t addr)
{
    /* The last symbol starting at or below addr, then back over a few for one that contains it
     * (nested or aliased symbols); ties go to the first in sort order. */
    size_t lo = after_addr(img->funcs, img->nfuncs, sizeof *img->funcs,
                           offsetof(struct aot_func, addr), addr);
    const struct aot_func *best = NULL;
    for (size_t k = lo, steps = 0; k > 0 && steps < 64; k--, steps++) {
        const struct aot_func *f = &img->funcs[k - 1];
        if (addr - f->addr < f->size)
            best = f;           /* keep walking back: an earlier entry at the same address wins */
        else if (best && f->addr != best->addr)
            break;
    }
    return best;
}

/* ---- symbols by name ---- */

int aot_image_symbol(const struct aot_image *img, const char *name, struct aot_symbol *out,
                     struct aot_err *err)
{
    const struct aot_section *tab;
    GElf_Shdr sh;
    Elf_Data *data;
    int has = open_symtab(img, &tab, &sh, &data, err);
    if (has <= 0)
        return has;
    size_t nsym = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
    uint32_t strsize = img->secs[sh.sh_link].size;
    int found = 0, global = 0;
    for (size_t i = 1; i < nsym; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym))
            return aot_fail(err, "%s: cannot read symbol %zu of [%u] %s: %s", img->path, i,
                            tab->index, tab->name, aot_lib_text(elf_errmsg(-1), "libelf gave no reason"));
        if (sym.st_shndx == SHN_UNDEF || sym.st_name >= strsize)
            continue;
        const char *n = elf_strptr(img->elf, sh.sh_link, sym.st_name);
        if (!n || strcmp(n, name) != 0)
            continue;
        int g = GELF_ST_BIND(sym.st_info) != STB_LOCAL;
        if (g && global)
            return aot_fail(err, "%s: two global symbols named %s (symbol %zu of [%u] %s)",
                            img->path, name, i, tab->index, tab->name);
        if (found && (global || !g))
            continue;
        out->value = (uint32_t)sym.st_value;
        out->size = (uint32_t)sym.st_size;
        out->shndx = sym.st_shndx;
        out->type = (uint8_t)GELF_ST_TYPE(sym.st_info);
        out->bind = (uint8_t)GELF_ST_BIND(sym.st_info);
        found = 1;
        global |= g;
    }
    return found;
}

/* ---- the site table ---- */

static int site_cmp(const void *a, const void *b)
{
    const struct aot_site *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->rec_index < y->rec_index ? -1 : x->rec_index > y->rec_index;
}

#define SITE_FLAGS_KNOWN (VMI_SITE_JUMP | VMI_SITE_CONST | VMI_SITE_CONST_ARG_MASK)

/* Words vmi_sites_read's refusal of record r (one record read alone): what is wrong, in the
 * record's terms.  The inliner's own reason is the fallback, so a rule added there is reported
 * even before it gets its own wording here. */
static void record_problem(const struct vmi_site *r, const struct vmi_error *ve, char *buf,
                           size_t cap)
{
    const struct vmi_call_meta *m = r->call < VMI_NUM_CALLS ? &vmi_call_table[r->call] : NULL;
    unsigned arg = (r->flags & VMI_SITE_CONST_ARG_MASK) >> VMI_SITE_CONST_ARG_SHIFT;

    if (ve->status == VMI_E_SITE_CALL || !m || !m->name) {
        snprintf(buf, cap, "call %u is not a VMI call", r->call);
    } else if (ve->status == VMI_E_SITE_LEN) {
        snprintf(buf, cap, "length %u is shorter than the %u bytes of %s's native sequence", r->len,
                 m->native_len ? m->native_len : 1, m->name);
    } else if (ve->status == VMI_E_SITE_RANGE) {     /* it wraps past 4 GiB */
        snprintf(buf, cap, "site 0x%08x..0x%08llx (offset %+d) is outside every executable "
                 "section", ve->address, (unsigned long long)ve->address + r->len, r->offset);
    } else if (ve->status == VMI_E_SITE_FLAGS && (r->flags & ~SITE_FLAGS_KNOWN)) {
        snprintf(buf, cap, "unknown flag bits 0x%02x", r->flags & ~SITE_FLAGS_KNOWN);
    } else if (ve->status == VMI_E_SITE_FLAGS &&
               !!(r->flags & VMI_SITE_JUMP) != !!(m->flags & VMI_CALL_F_JUMP)) {
        snprintf(buf, cap, "jump flag %s, but %s is %sa jump call",
                 r->flags & VMI_SITE_JUMP ? "set" : "clear", m->name,
                 m->flags & VMI_CALL_F_JUMP ? "" : "not ");
    } else if (ve->status == VMI_E_SITE_FLAGS && (r->flags & VMI_SITE_CONST) &&
               !(m->flags & VMI_CALL_F_CONST)) {
        snprintf(buf, cap, "constant flag set, but %s records no constant argument", m->name);
    } else if (ve->status == VMI_E_SITE_FLAGS && (r->flags & VMI_SITE_CONST)) {
        snprintf(buf, cap, "constant flag set for argument index %u, but %s's constant argument is "
                 "index %u (flags 0x%02x)", arg, m->name, m->const_arg, r->flags);
    } else if (ve->status == VMI_E_SITE_FLAGS && arg) {
        snprintf(buf, cap, "constant-argument index %u without the constant flag (flags 0x%02x)",
                 arg, r->flags);
    } else {
        snprintf(buf, cap, "%s (vmi_sites_read: %s, expected 0x%x, found 0x%x)",
                 ve->reason ? ve->reason : "refused", vmi_status_name(ve->status), ve->expected,
                 ve->actual);
    }
}

/* The one section named VMI_SITE_SECTION_NAME into *out (NULL when there is none).  -1 when
 * two sections have the name. */
static int site_section(const struct aot_image *img, const struct aot_section **out,
                        struct aot_err *err)
{
    const struct aot_section *t = NULL;
    for (size_t i = 1; i < img->nsecs; i++) {
        if (strcmp(img->secs[i].name, VMI_SITE_SECTION_NAME) != 0)
            continue;
        if (t)
            return aot_fail(err, "%s: two site tables: sections [%u] and [%zu] are both named "
                            VMI_SITE_SECTION_NAME, img->path, t->index, i);
        t = &img->secs[i];
    }
    *out = t;
    return 0;
}

/* The table's section as records can be read from it: allocated (so its records have
 * addresses) and a whole number of records. */
static int site_section_check(const struct aot_image *img, const struct aot_section *t,
                              struct aot_err *err)
{
    if (t->type != SHT_PROGBITS || !(t->flags & SHF_ALLOC))
        return aot_fail(err, "%s: section [%u] " VMI_SITE_SECTION_NAME " is not allocated PROGBITS "
                        "(type %u, flags 0x%x): its records have no addresses", img->path,
                        t->index, t->type, t->flags);
    if (t->size % sizeof(struct vmi_site))
        return aot_fail(err, "%s: section [%u] " VMI_SITE_SECTION_NAME " is 0x%x bytes, not a whole "
                        "number of %zu-byte records", img->path, t->index, t->size,
                        sizeof(struct vmi_site));
    return 0;
}

#define REC_FMT "%s: " VMI_SITE_SECTION_NAME " record %zu (at 0x%08x, file offset 0x%x): "
#define REC_ARGS img->path, i, rec_addr, rec_off

/* Record i of table t into img->sites[i]: decoded, judged by the inliner, and placed in its
 * executable section (*last: the section that held the last site, tried first). */
static int read_record(struct aot_image *img, const struct aot_section *t, size_t i,
                       const struct aot_section **last, struct aot_err *err)
{
    struct vmi_site r;
    uint32_t rec_addr = t->addr + (uint32_t)(i * sizeof r);
    uint32_t rec_off = t->offset + (uint32_t)(i * sizeof r);
    memcpy(&r, img->data + rec_off, sizeof r);
    struct aot_site *s = &img->sites[i];
    s->addr = rec_addr + (uint32_t)r.offset;
    s->rec_addr = rec_addr;
    s->rec_index = (uint32_t)i;
    s->call = r.call;
    s->len = r.len;
    s->clobbers = r.clobbers;
    s->flags = r.flags;
    s->const_value = r.const_value;
    /* The inliner decides whether a record is valid (the kernel reads the table with the same
     * function); this file only words its answer. */
    struct vmi_site_info one;
    struct vmi_site_table tab = { .sites = &one, .count = 0, .cap = 1 };
    struct vmi_error ve;
    if (vmi_sites_read(&tab, img->data + rec_off, rec_addr, sizeof r, &ve) != VMI_OK) {
        char why[256];
        record_problem(&r, &ve, why, sizeof why);
        return aot_fail(err, REC_FMT "%s", REC_ARGS, why);
    }
    const struct aot_section *x = *last;
    if (!x || s->addr < x->addr || (uint64_t)s->addr + r.len > (uint64_t)x->addr + x->size)
        x = aot_image_section_at(img, s->addr, r.len, SHF_ALLOC | SHF_EXECINSTR);
    if (!x)
        return aot_fail(err, REC_FMT "site 0x%08x..0x%08llx (offset %+d) is outside every "
                        "executable section", REC_ARGS, s->addr,
                        (unsigned long long)s->addr + r.len, r.offset);
    *last = x;
    s->section = x->index;
    s->offset = x->offset + (s->addr - x->addr);
    return 0;
}

#undef REC_FMT
#undef REC_ARGS

/* The sites, sorted by address, do not overlap. */
static int check_overlaps(const struct aot_image *img, struct aot_err *err)
{
    for (size_t i = 1; i < img->nsites; i++) {
        const struct aot_site *a = &img->sites[i - 1], *b = &img->sites[i];
        if ((uint64_t)a->addr + a->len > b->addr)
            return aot_fail(err, "%s: overlapping sites: " VMI_SITE_SECTION_NAME " record %u (%s at "
                            "0x%08x, %u bytes) and record %u (%s at 0x%08x, %u bytes)", img->path,
                            a->rec_index, aot_call_name(a->call), a->addr, a->len, b->rec_index,
                            aot_call_name(b->call), b->addr, b->len);
    }
    return 0;
}

/* Phases: the table's section found (else a Linux kernel's .parainstructions, or none when
 * allowed) and checked, every record read, the sites sorted and checked for overlaps. */
static int read_sites(struct aot_image *img, unsigned flags, struct aot_err *err)
{
    const struct aot_section *t = NULL, *last = NULL;

    if (site_section(img, &t, err) != 0)
        return -1;
    if (!t && (flags & AOT_OPEN_LINUX)) {
        const struct aot_section *pv = aot_image_find_section(img, AOT_LINUX_SECTION);
        if (pv)
            return aot_linux_read(img, pv, err);
    }
    if (!t) {
        if (flags & AOT_OPEN_NO_SITES)
            return 0;
        return aot_fail(err, "%s: no site table: no section named " VMI_SITE_SECTION_NAME,
                        img->path);
    }
    img->site_table = t;
    if (site_section_check(img, t, err) != 0)
        return -1;
    size_t n = t->size / sizeof(struct vmi_site);
    img->sites = calloc(n ? n : 1, sizeof *img->sites);
    if (!img->sites)
        return aot_fail(err, "%s: out of memory for %zu sites", img->path, n);
    img->nsites = n;
    for (size_t i = 0; i < n; i++)
        if (read_record(img, t, i, &last, err) != 0)
            return -1;
    qsort(img->sites, n, sizeof *img->sites, site_cmp);
    return check_overlaps(img, err);
}

const struct aot_site *aot_image_site_at(const struct aot_image *img, uint32_t addr)
{
    size_t lo = after_addr(img->sites, img->nsites, sizeof *img->sites,
                           offsetof(struct aot_site, addr), addr);
    if (lo == 0)
        return NULL;
    const struct aot_site *s = &img->sites[lo - 1];
    return addr - s->addr < s->len ? s : NULL;
}

/* ---- open ---- */

int aot_image_open(struct aot_image *img, const char *path, unsigned flags, struct aot_err *err)
{
    struct stat st;

    image_reset(img);
    img->path = strdup(path);
    if (!img->path)
        return aot_fail(err, "%s: out of memory", path);
    img->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (img->fd < 0 || fstat(img->fd, &st) != 0) {
        aot_fail(err, "%s: cannot open: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        aot_fail(err, "%s: not a regular file", path);
        goto fail;
    }
    if (st.st_size == 0) {
        aot_fail(err, "%s: not an ELF file (empty)", path);
        goto fail;
    }
    if ((uint64_t)st.st_size > 0xffffffffull) {
        aot_fail(err, "%s: %lld bytes is larger than a 32-bit ELF can describe", path,
                 (long long)st.st_size);
        goto fail;
    }
    img->size = (size_t)st.st_size;
    img->open_flags = flags;
    /* Private and copy-on-write: libelf may touch its buffer, the file never changes. */
    img->data = mmap(NULL, img->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, img->fd, 0);
    if (img->data == MAP_FAILED) {
        img->data = NULL;
        aot_fail(err, "%s: cannot map %zu bytes: %s", path, img->size, strerror(errno));
        goto fail;
    }
    if (check_headers(img, err) != 0)
        goto fail;
    elf_version(EV_CURRENT);
    img->elf = elf_memory((char *)img->data, img->size);
    if (!img->elf || elf_kind(img->elf) != ELF_K_ELF) {
        aot_fail(err, "%s: libelf cannot read it: %s", path,
                 aot_lib_text(elf_errmsg(-1), "it found no ELF image in the file"));
        goto fail;
    }
    if (read_sections(img, err) != 0 || read_funcs(img, err) != 0 ||
        read_sites(img, flags, err) != 0)
        goto fail;
    return 0;
fail:
    aot_image_close(img);
    return -1;
}
/* SPDX-License-Identifier: GPL-2.0-only */
