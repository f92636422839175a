/* Source positions from DWARF: see dwarf_lines.h.
 *
 * Cost: one pass over the CU headers; for each CU holding a site, one decode of its line table
 * and one walk of its code-bearing DIEs (compile unit, subprograms, inlined subroutines, lexical
 * blocks; types and variables are skipped).  Everything lands in three sorted arrays, so a
 * lookup is three binary searches. */
#include "dwarf_lines.h"
#include "dwarf_sanity.h"

#include <elf.h>
#include <fcntl.h>
#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct row {
    uint32_t addr;
    uint32_t line;
    uint32_t file;          /* string index, or NO_STR */
    uint32_t ord;           /* position in the tables, for a stable sort */
    uint8_t end;            /* end_sequence: the address after the sequence */
};

struct span {
    uint32_t lo, hi;        /* [lo, hi) */
    uint32_t str;           /* subprogram: name; inline: call file */
    uint32_t line;          /* inline: call line */
};

#define NO_STR UINT32_MAX

struct aot_dwarf {
    struct row *rows;
    size_t nrows, caprows;
    struct span *fns, *inl;
    size_t nfns, capfns, ninl, capinl;
    char **strs;            /* interned strings */
    uint8_t *glue;          /* strs[i] is a vmi_glue.h path */
    size_t nstrs, capstrs;
    uint32_t *hash;         /* open addressing over strs, NO_STR when empty */
    size_t caphash;
    struct aot_dwarf_stats st;
};

/* Reading state for one open. */
struct rd {
    struct aot_dwarf *dw;
    const struct aot_image *img;
    struct aot_err *err;
    Dwarf_Debug dbg;
    Dwarf_Error e;
    Dwarf_Half version;
    Dwarf_Addr cu_base;
    Dwarf_Unsigned cu_off;
    /* the CU's file table: raw file number - base -> string index */
    char **srcfiles;
    Dwarf_Signed nsrcfiles, filebase;
    uint32_t *filestr;
    /* scratch ranges of one DIE */
    struct span *tmp;
    size_t ntmp, captmp;
    int oom;
    /* DIEs visited, and the most there can be: each distinct DIE takes at least one byte of
     * .debug_info, so more visits mean sibling links that loop back (a tree walked forever) */
    uint64_t dies, max_dies;
};

/* ---- growable arrays and the string pool ---- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static int is_glue_path(const char *s)
{
    const char *b = strrchr(s, '/');
    return strcmp(b ? b + 1 : s, "vmi_glue.h") == 0;
}

static uint32_t intern(struct rd *r, const char *s)
{
    struct aot_dwarf *dw = r->dw;
    if (dw->nstrs * 2 >= dw->caphash) {
        size_t nc = dw->caphash ? dw->caphash * 2 : 256;
        uint32_t *nh = malloc(nc * sizeof *nh);
        if (!nh)
            goto oom;
        memset(nh, 0xff, nc * sizeof *nh);
        for (size_t i = 0; i < dw->nstrs; i++) {
            size_t k = str_hash(dw->strs[i]) & (nc - 1);
            while (nh[k] != NO_STR)
                k = (k + 1) & (nc - 1);
            nh[k] = (uint32_t)i;
        }
        free(dw->hash);
        dw->hash = nh;
        dw->caphash = nc;
    }
    size_t k = str_hash(s) & (dw->caphash - 1);
    for (; dw->hash[k] != NO_STR; k = (k + 1) & (dw->caphash - 1))
        if (strcmp(dw->strs[dw->hash[k]], s) == 0)
            return dw->hash[k];
    size_t capglue = dw->capstrs;
    if (grow((void **)&dw->strs, &dw->capstrs, dw->nstrs + 1, sizeof *dw->strs) ||
        grow((void **)&dw->glue, &capglue, dw->nstrs + 1, 1))
        goto oom;
    if (capglue != dw->capstrs) {       /* keep both arrays the same capacity */
        uint8_t *g = realloc(dw->glue, dw->capstrs);
        if (!g)
            goto oom;
        dw->glue = g;
    }
    char *c = strdup(s);
    if (!c)
        goto oom;
    dw->strs[dw->nstrs] = c;
    dw->glue[dw->nstrs] = (uint8_t)is_glue_path(c);
    dw->hash[k] = (uint32_t)dw->nstrs;
    return (uint32_t)dw->nstrs++;
oom:
    r->oom = 1;
    return NO_STR;
}

/* ---- errors ---- */

static int dw_fail(struct rd *r, const char *what)
{
    const char *msg = aot_lib_text(r->e ? dwarf_errmsg(r->e) : NULL, "libdwarf gave no detail");
    aot_fail(r->err, "%s: bad DWARF: %s (compile unit at .debug_info offset 0x%llx): %s",
             r->img->path, what, (unsigned long long)r->cu_off, msg);
    if (r->e) {
        dwarf_dealloc_error(r->dbg, r->e);
        r->e = NULL;
    }
    return -1;
}

static int oom_fail(struct rd *r)
{
    return aot_fail(r->err, "%s: out of memory reading DWARF", r->img->path);
}

/* ---- attributes ---- */

/* 1 and *v when die has attribute at with a constant value, 0 when absent, -1 on error. */
static int die_udata(struct rd *r, Dwarf_Die die, Dwarf_Half at, Dwarf_Unsigned *v)
{
    Dwarf_Attribute a;
    int rc = dwarf_attr(die, at, &a, &r->e);
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    if (rc != DW_DLV_OK)
        return dw_fail(r, "attribute");
    Dwarf_Half form = 0;
    rc = dwarf_whatform(a, &form, &r->e);
    if (rc == DW_DLV_OK && form == DW_FORM_implicit_const) {
        /* this libdwarf's formudata refuses DW_FORM_implicit_const (gcc uses it for
         * DW_AT_call_file); formsdata reads it */
        Dwarf_Signed sv = 0;
        rc = dwarf_formsdata(a, &sv, &r->e);
        *v = (Dwarf_Unsigned)sv;
    } else if (rc == DW_DLV_OK) {
        rc = dwarf_formudata(a, v, &r->e);
    }
    dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
    if (rc == DW_DLV_ERROR)
        return dw_fail(r, "attribute value");
    return rc == DW_DLV_OK;
}

/* The name of a subprogram DIE, following abstract_origin / specification a few steps.
 * NULL when it has none; an error is reported through r->err with *failed set. */
static const char *die_name(struct rd *r, Dwarf_Die die, int *failed)
{
    static const Dwarf_Half refs[] = { DW_AT_abstract_origin, DW_AT_specification };
    Dwarf_Die cur = die;
    const char *name = NULL;
    for (int hop = 0; hop < 4 && !name; hop++) {
        char *n = NULL;
        int rc = dwarf_diename(cur, &n, &r->e);
        if (rc == DW_DLV_ERROR) {
            *failed = dw_fail(r, "DIE name");
            break;
        }
        if (rc == DW_DLV_OK) {
            uint32_t k = intern(r, n);
            name = k == NO_STR ? NULL : r->dw->strs[k];
            break;
        }
        Dwarf_Die next = NULL;
        for (size_t i = 0; i < sizeof refs / sizeof refs[0] && !next; i++) {
            Dwarf_Attribute a;
            Dwarf_Off off;
            rc = dwarf_attr(cur, refs[i], &a, &r->e);
            if (rc == DW_DLV_NO_ENTRY)
                continue;
            if (rc == DW_DLV_OK) {
                rc = dwarf_global_formref(a, &off, &r->e);
                dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
                if (rc == DW_DLV_OK)
                    rc = dwarf_offdie_b(r->dbg, off, 1, &next, &r->e);
            }
            if (rc == DW_DLV_ERROR) {
                *failed = dw_fail(r, "DIE reference");
                next = NULL;
                break;
            }
        }
        if (cur != die)
            dwarf_dealloc_die(cur);
        cur = next;
        if (!cur)
            break;
    }
    if (cur && cur != die)
        dwarf_dealloc_die(cur);
    return name;
}

/* Appends [lo, hi) to r->tmp, hi clipped to 32 bits.  -1 when out of memory. */
static int push_span(struct rd *r, Dwarf_Addr lo, Dwarf_Addr hi)
{
    if (grow((void **)&r->tmp, &r->captmp, r->ntmp + 1, sizeof *r->tmp))
        return -1;
    r->tmp[r->ntmp++] = (struct span){ (uint32_t)lo, hi > UINT32_MAX ? UINT32_MAX : (uint32_t)hi,
                                       0, 0 };
    return 0;
}

/* die's low_pc and high_pc as one range: 1 with the range pushed (or none, empty or above 32
 * bits), 0 when there is no pair (low_pc alone is then a base address for DW_AT_ranges), -1 on
 * error. */
static int pc_range(struct rd *r, Dwarf_Die die)
{
    Dwarf_Addr lo, hi;
    Dwarf_Half form;
    enum Dwarf_Form_Class cls;

    int rc = dwarf_lowpc(die, &lo, &r->e);
    if (rc == DW_DLV_ERROR)
        return dw_fail(r, "low_pc");
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    rc = dwarf_highpc_b(die, &hi, &form, &cls, &r->e);
    if (rc == DW_DLV_ERROR)
        return dw_fail(r, "high_pc");
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    if (cls == DW_FORM_CLASS_CONSTANT)
        hi += lo;
    if (hi > lo && lo <= UINT32_MAX && push_span(r, lo, hi))
        return oom_fail(r);
    return 1;
}

/* die's DW_AT_ranges with its form and value (a rnglistx index or a section offset): 1 with *a
 * to be freed by the caller, 0 when die has none, -1 on error (*a freed). */
static int ranges_attr(struct rd *r, Dwarf_Die die, Dwarf_Attribute *a, Dwarf_Half *form,
                       Dwarf_Unsigned *val)
{
    int rc = dwarf_attr(die, DW_AT_ranges, a, &r->e);
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    if (rc != DW_DLV_OK)
        return dw_fail(r, "ranges attribute");
    *val = 0;
    if (dwarf_whatform(*a, form, &r->e) != DW_DLV_OK)
        goto bad_attr;
    if (*form == DW_FORM_rnglistx || *form == DW_FORM_udata || *form == DW_FORM_data4 ||
        *form == DW_FORM_data8) {
        if (dwarf_formudata(*a, val, &r->e) != DW_DLV_OK)
            goto bad_attr;
    } else {
        Dwarf_Off off;
        if (dwarf_global_formref(*a, &off, &r->e) != DW_DLV_OK)
            goto bad_attr;
        *val = off;
    }
    return 1;

bad_attr:
    dwarf_dealloc(r->dbg, *a, DW_DLA_ATTR);
    return dw_fail(r, "ranges attribute value");
}

/* A DWARF 5 range list (.debug_rnglists): its bounded entries pushed.  Frees a. */
static int rnglist_ranges(struct rd *r, Dwarf_Attribute a, Dwarf_Half form, Dwarf_Unsigned val)
{
    Dwarf_Rnglists_Head head;
    Dwarf_Unsigned count, goff;
    int rc = dwarf_rnglists_get_rle_head(a, form, val, &head, &count, &goff, &r->e);
    dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    if (rc != DW_DLV_OK)
        return dw_fail(r, "range list");
    for (Dwarf_Unsigned i = 0; i < count; i++) {
        unsigned len, code;
        Dwarf_Unsigned raw1, raw2, c1, c2;
        Dwarf_Bool unavail = 0;
        rc = dwarf_get_rnglists_entry_fields_a(head, i, &len, &code, &raw1, &raw2, &unavail,
                                               &c1, &c2, &r->e);
        if (rc != DW_DLV_OK) {
            dwarf_dealloc_rnglists_head(head);
            return dw_fail(r, "range list entry");
        }
        if (unavail || c2 <= c1 || c1 > UINT32_MAX)
            continue;
        if (code != DW_RLE_offset_pair && code != DW_RLE_startx_endx &&
            code != DW_RLE_startx_length && code != DW_RLE_start_end &&
            code != DW_RLE_start_length)
            continue;
        if (push_span(r, c1, c2)) {
            dwarf_dealloc_rnglists_head(head);
            return oom_fail(r);
        }
    }
    dwarf_dealloc_rnglists_head(head);
    return 0;
}

/* A DWARF 2-4 range list (.debug_ranges) at offset val, relative to the unit's base address
 * until an entry selects another.  Frees a. */
static int debug_ranges(struct rd *r, Dwarf_Die die, Dwarf_Attribute a, Dwarf_Unsigned val)
{
    Dwarf_Ranges *buf;
    Dwarf_Signed cnt;
    Dwarf_Unsigned bytes;
    Dwarf_Off real;
    int rc = dwarf_get_ranges_b(r->dbg, val, die, &real, &buf, &cnt, &bytes, &r->e);
    dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    if (rc != DW_DLV_OK)
        return dw_fail(r, "range list");
    Dwarf_Addr base = r->cu_base;
    for (Dwarf_Signed i = 0; i < cnt; i++) {
        if (buf[i].dwr_type == DW_RANGES_END)
            break;
        if (buf[i].dwr_type == DW_RANGES_ADDRESS_SELECTION) {
            base = buf[i].dwr_addr2;
            continue;
        }
        Dwarf_Addr l = base + buf[i].dwr_addr1, h = base + buf[i].dwr_addr2;
        if (h <= l || l > UINT32_MAX)
            continue;
        if (push_span(r, l, h)) {
            dwarf_ranges_dealloc(r->dbg, buf, cnt);
            return oom_fail(r);
        }
    }
    dwarf_ranges_dealloc(r->dbg, buf, cnt);
    return 0;
}

/* The address ranges of die into r->tmp (r->ntmp): its low_pc/high_pc pair, else its
 * DW_AT_ranges list in the unit's version's form.  0 on success, also when it has none. */
static int die_ranges(struct rd *r, Dwarf_Die die)
{
    Dwarf_Attribute a;
    Dwarf_Half form;
    Dwarf_Unsigned val;
    int rc;

    r->ntmp = 0;
    rc = pc_range(r, die);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    rc = ranges_attr(r, die, &a, &form, &val);
    if (rc <= 0)
        return rc;
    return r->version >= 5 ? rnglist_ranges(r, a, form, val) : debug_ranges(r, die, a, val);
}

/* ---- line tables ---- */

static uint32_t file_str(struct rd *r, Dwarf_Unsigned fileno)
{
    if ((Dwarf_Signed)fileno < r->filebase || (Dwarf_Signed)fileno - r->filebase >= r->nsrcfiles)
        return NO_STR;
    size_t i = (size_t)((Dwarf_Signed)fileno - r->filebase);
    if (r->filestr[i] == NO_STR)
        r->filestr[i] = intern(r, r->srcfiles[i]);
    return r->filestr[i];
}

static int read_lines(struct rd *r, Dwarf_Die cu)
{
    Dwarf_Unsigned lver;
    Dwarf_Small tables;
    Dwarf_Line_Context ctx;
    Dwarf_Line *lines;
    Dwarf_Signed n;

    int rc = dwarf_srclines_b(cu, &lver, &tables, &ctx, &r->e);
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    if (rc != DW_DLV_OK)
        return dw_fail(r, "line table");
    rc = dwarf_srclines_from_linecontext(ctx, &lines, &n, &r->e);
    if (rc != DW_DLV_OK) {
        dwarf_srclines_dealloc_b(ctx);
        return rc == DW_DLV_NO_ENTRY ? 0 : dw_fail(r, "line table rows");
    }
    Dwarf_Signed base, cnt, end;
    if (dwarf_srclines_files_indexes(ctx, &base, &cnt, &end, &r->e) != DW_DLV_OK) {
        dwarf_srclines_dealloc_b(ctx);
        return dw_fail(r, "line table file indexes");
    }
    r->filebase = base;
    if (grow((void **)&r->dw->rows, &r->dw->caprows, r->dw->nrows + (size_t)n, sizeof(struct row))) {
        dwarf_srclines_dealloc_b(ctx);
        return oom_fail(r);
    }
    int skip = -1;          /* per sequence: -1 undecided, 0 keep, 1 drop */
    for (Dwarf_Signed i = 0; i < n; i++) {
        Dwarf_Addr addr;
        Dwarf_Unsigned line, fileno;
        Dwarf_Bool endseq;
        if (dwarf_lineaddr(lines[i], &addr, &r->e) != DW_DLV_OK ||
            dwarf_lineno(lines[i], &line, &r->e) != DW_DLV_OK ||
            dwarf_line_srcfileno(lines[i], &fileno, &r->e) != DW_DLV_OK ||
            dwarf_lineendsequence(lines[i], &endseq, &r->e) != DW_DLV_OK) {
            dwarf_srclines_dealloc_b(ctx);
            return dw_fail(r, "line table row");
        }
        if (skip < 0)       /* a sequence for code the link dropped starts outside the text */
            skip = addr > UINT32_MAX ||
                   !aot_image_section_at(r->img, (uint32_t)addr, 1, SHF_ALLOC | SHF_EXECINSTR);
        if (!skip && addr <= UINT32_MAX) {
            struct row *w = &r->dw->rows[r->dw->nrows];
            w->addr = (uint32_t)addr;
            w->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
            w->file = endseq ? NO_STR : file_str(r, fileno);
            w->ord = (uint32_t)r->dw->nrows;
            w->end = (uint8_t)!!endseq;
            r->dw->nrows++;
        }
        if (endseq)
            skip = -1;
    }
    dwarf_srclines_dealloc_b(ctx);
    return r->oom ? oom_fail(r) : 0;
}

/* ---- DIEs ---- */

static int push_spans(struct rd *r, struct span **arr, size_t *n, size_t *cap, uint32_t str,
                      uint32_t line)
{
    if (grow((void **)arr, cap, *n + r->ntmp, sizeof **arr))
        return oom_fail(r);
    for (size_t i = 0; i < r->ntmp; i++)
        (*arr)[(*n)++] = (struct span){ r->tmp[i].lo, r->tmp[i].hi, str, line };
    return 0;
}

/* Walks die's children; returns 1 when an inlined subroutine is among its descendants, 0 when
 * not, -1 on error. */
static int walk(struct rd *r, Dwarf_Die parent, int depth)
{
    Dwarf_Die child;
    int rc = dwarf_child(parent, &child, &r->e);
    if (rc == DW_DLV_NO_ENTRY)
        return 0;
    if (rc != DW_DLV_OK)
        return dw_fail(r, "DIE children");
    int any_inline = 0;
    while (child) {
        Dwarf_Half tag;
        if (++r->dies > r->max_dies) {
            dwarf_dealloc_die(child);
            return aot_fail(r->err, "%s: bad DWARF: more DIEs visited than .debug_info can hold "
                            "(sibling links that loop; compile unit at .debug_info offset 0x%llx)",
                            r->img->path, (unsigned long long)r->cu_off);
        }
        if (dwarf_tag(child, &tag, &r->e) != DW_DLV_OK) {
            dwarf_dealloc_die(child);
            return dw_fail(r, "DIE tag");
        }
        if (depth > 256) {
            dwarf_dealloc_die(child);
            return aot_fail(r->err, "%s: bad DWARF: DIEs nested deeper than 256 (compile unit at "
                            ".debug_info offset 0x%llx)", r->img->path,
                            (unsigned long long)r->cu_off);
        }
        if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
            tag == DW_TAG_lexical_block) {
            int sub = walk(r, child, depth + 1);
            if (sub < 0) {
                dwarf_dealloc_die(child);
                return -1;
            }
            if (tag == DW_TAG_inlined_subroutine) {
                any_inline = 1;
                Dwarf_Unsigned cf = 0, cl = 0;
                if (!sub) {     /* a leaf instance: the glue functions are leaves */
                    if (die_udata(r, child, DW_AT_call_file, &cf) < 0 ||
                        die_udata(r, child, DW_AT_call_line, &cl) < 0 || die_ranges(r, child) < 0 ||
                        push_spans(r, &r->dw->inl, &r->dw->ninl, &r->dw->capinl, file_str(r, cf),
                                   cl > UINT32_MAX ? 0 : (uint32_t)cl) < 0) {
                        dwarf_dealloc_die(child);
                        return -1;
                    }
                }
            } else if (tag == DW_TAG_subprogram) {
                if (die_ranges(r, child) < 0) {
                    dwarf_dealloc_die(child);
                    return -1;
                }
                if (r->ntmp) {
                    int failed = 0;
                    const char *name = die_name(r, child, &failed);
                    if (failed) {
                        dwarf_dealloc_die(child);
                        return -1;
                    }
                    if (name && push_spans(r, &r->dw->fns, &r->dw->nfns, &r->dw->capfns,
                                           intern(r, name), 0) < 0) {
                        dwarf_dealloc_die(child);
                        return -1;
                    }
                }
            }
            any_inline |= sub;
        }
        Dwarf_Die next;
        rc = dwarf_siblingof_b(r->dbg, child, 1, &next, &r->e);
        dwarf_dealloc_die(child);
        if (rc == DW_DLV_ERROR)
            return dw_fail(r, "DIE sibling");
        child = rc == DW_DLV_OK ? next : NULL;
    }
    return r->oom ? oom_fail(r) : any_inline;
}

/* 1 when some site lies in one of r->tmp's ranges. */
static int ranges_hold_site(const struct rd *r)
{
    const struct aot_image *img = r->img;
    for (size_t k = 0; k < r->ntmp; k++) {
        size_t lo = 0, hi = img->nsites;
        while (lo < hi) {           /* first site at or above the range's start */
            size_t mid = lo + (hi - lo) / 2;
            if (img->sites[mid].addr < r->tmp[k].lo)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < img->nsites && img->sites[lo].addr < r->tmp[k].hi)
            return 1;
    }
    return 0;
}

static int read_cu(struct rd *r, Dwarf_Die cu)
{
    Dwarf_Addr base;
    r->cu_base = dwarf_lowpc(cu, &base, &r->e) == DW_DLV_OK ? base : 0;
    if (r->e) {
        dwarf_dealloc_error(r->dbg, r->e);
        r->e = NULL;
    }
    if (die_ranges(r, cu) < 0)
        return -1;
    if (r->ntmp && !ranges_hold_site(r))
        return 0;                   /* no site here: skip its lines and DIEs */
    r->dw->st.cus_read++;

    int rc = dwarf_srcfiles(cu, &r->srcfiles, &r->nsrcfiles, &r->e);
    if (rc == DW_DLV_ERROR)
        return dw_fail(r, "file table");
    if (rc == DW_DLV_NO_ENTRY) {
        r->srcfiles = NULL;
        r->nsrcfiles = 0;
    }
    r->filebase = r->version >= 5 ? 0 : 1;
    free(r->filestr);
    r->filestr = malloc((r->nsrcfiles ? (size_t)r->nsrcfiles : 1) * sizeof *r->filestr);
    if (!r->filestr)
        return oom_fail(r);
    memset(r->filestr, 0xff, (r->nsrcfiles ? (size_t)r->nsrcfiles : 1) * sizeof *r->filestr);

    int res = read_lines(r, cu);
    if (res == 0)
        res = walk(r, cu, 0) < 0 ? -1 : 0;

    for (Dwarf_Signed i = 0; i < r->nsrcfiles; i++)
        dwarf_dealloc(r->dbg, r->srcfiles[i], DW_DLA_STRING);
    if (r->srcfiles)
        dwarf_dealloc(r->dbg, r->srcfiles, DW_DLA_LIST);
    r->srcfiles = NULL;
    r->nsrcfiles = 0;
    return res;
}

/* ---- sorting and lookup ---- */

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (x->end != y->end)           /* an end at A sorts before a row starting at A */
        return x->end ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int span_cmp(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->str < y->str ? -1 : x->str > y->str;
}

static const struct span *span_find(const struct span *s, size_t n, uint32_t addr)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].lo <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* spans may nest (a subprogram's ranges): look back a little for one that holds addr */
    for (size_t k = lo, steps = 0; k > 0 && steps < 16; k--, steps++)
        if (addr < s[k - 1].hi)
            return &s[k - 1];
    return NULL;
}

void aot_dwarf_lookup(const struct aot_dwarf *dw, uint32_t addr, struct aot_srcloc *loc)
{
    loc->file = NULL;
    loc->line = 0;
    loc->func = NULL;
    if (!dw)
        return;
    size_t lo = 0, hi = dw->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dw->rows[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && !dw->rows[lo - 1].end && dw->rows[lo - 1].file != NO_STR) {
        const struct row *w = &dw->rows[lo - 1];
        loc->file = dw->strs[w->file];
        loc->line = w->line;
        if (dw->glue[w->file]) {
            const struct span *in = span_find(dw->inl, dw->ninl, addr);
            if (in && in->str != NO_STR) {
                loc->file = dw->strs[in->str];
                loc->line = in->line;
            }
        }
    }
    const struct span *f = span_find(dw->fns, dw->nfns, addr);
    if (f)
        loc->func = dw->strs[f->str];
}

/* ---- open / close ---- */

void aot_dwarf_close(struct aot_dwarf *dw)
{
    if (!dw)
        return;
    for (size_t i = 0; i < dw->nstrs; i++)
        free(dw->strs[i]);
    free(dw->strs);
    free(dw->glue);
    free(dw->hash);
    free(dw->rows);
    free(dw->fns);
    free(dw->inl);
    free(dw);
}

int aot_dwarf_has_lines(const struct aot_dwarf *dw)
{
    return dw && dw->nrows > 0;
}

void aot_dwarf_stats(const struct aot_dwarf *dw, struct aot_dwarf_stats *st)
{
    *st = dw->st;
}

/* Every compile unit's lines, functions and inlined ranges into r->dw.  0, or -1 with the error
 * in r->err. */
static int read_units(struct rd *r)
{
    for (;;) {
        Dwarf_Unsigned next;
        Dwarf_Half hdrtype;
        Dwarf_Die cu;
        int rc = dwarf_next_cu_header_d(r->dbg, 1, NULL, &r->version, NULL, NULL, NULL, NULL, NULL,
                                        NULL, &next, &hdrtype, &r->e);
        if (rc == DW_DLV_NO_ENTRY)
            return 0;
        if (rc != DW_DLV_OK)
            return dw_fail(r, "compile unit header");
        r->dw->st.cus++;
        rc = dwarf_siblingof_b(r->dbg, NULL, 1, &cu, &r->e);
        if (rc == DW_DLV_ERROR)
            return dw_fail(r, "compile unit DIE");
        if (rc == DW_DLV_NO_ENTRY)
            continue;
        Dwarf_Off culen;
        if (dwarf_die_CU_offset_range(cu, &r->cu_off, &culen, &r->e) != DW_DLV_OK) {
            dwarf_dealloc_die(cu);
            return dw_fail(r, "compile unit offset");
        }
        int res = read_cu(r, cu);
        dwarf_dealloc_die(cu);
        if (res < 0)
            return -1;
    }
}

/* The index sorted for the binary searches of the look-ups, and its counts. */
static void index_sort(struct aot_dwarf *dw)
{
    if (dw->nrows) qsort(dw->rows, dw->nrows, sizeof *dw->rows, row_cmp);     /* qsort(NULL, 0) is UB */
    if (dw->nfns) qsort(dw->fns, dw->nfns, sizeof *dw->fns, span_cmp);
    if (dw->ninl) qsort(dw->inl, dw->ninl, sizeof *dw->inl, span_cmp);
    dw->st.rows = (uint32_t)dw->nrows;
    dw->st.funcs = (uint32_t)dw->nfns;
    dw->st.inlines = (uint32_t)dw->ninl;
}

/* Phases: the sections checked before libdwarf reads them, the file opened for libdwarf, every
 * unit read (only when there are sites to place), the index sorted. */
int aot_dwarf_open(struct aot_dwarf **out, const struct aot_image *img, struct aot_err *err)
{
    struct rd r = { .img = img, .err = err };
    const struct aot_section *info = aot_image_find_section(img, ".debug_info");
    r.max_dies = info && !(info->flags & SHF_COMPRESSED) ? (uint64_t)info->size + 1
                                                         : (uint64_t)img->size * 64 + 4096;
    *out = NULL;
    /* before libdwarf sees the file: it loads these while reading the first CU header */
    if (aot_dwarf_sanity(img, err) != 0)
        return -1;
    r.dw = calloc(1, sizeof *r.dw);
    if (!r.dw)
        return aot_fail(err, "%s: out of memory reading DWARF", img->path);

    int fd = open(img->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        aot_dwarf_close(r.dw);
        return aot_fail(err, "%s: cannot reopen for DWARF", img->path);
    }
    int rc = dwarf_init_b(fd, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, &r.dbg, &r.e);
    if (rc == DW_DLV_NO_ENTRY) {        /* no debug info: an empty index */
        close(fd);
        *out = r.dw;
        return 0;
    }
    if (rc != DW_DLV_OK) {
        dw_fail(&r, "cannot open the debug sections");
        close(fd);
        aot_dwarf_close(r.dw);
        return -1;
    }
    int res = img->nsites ? read_units(&r) : 0;
    free(r.filestr);
    free(r.tmp);
    dwarf_finish(r.dbg, &r.e);
    close(fd);
    if (res < 0) {
        aot_dwarf_close(r.dw);
        return -1;
    }
    index_sort(r.dw);
    *out = r.dw;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
