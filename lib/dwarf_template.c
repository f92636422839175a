/* Flattening a structure type from DWARF: see dwarf_template.h.
 *
 * Cost: the top-level DIEs of each compile unit until the type is found (types are children of
 * their unit), then the type's members, recursively; nothing else is decoded. */
#include "dwarf_template.h"
#include "dwarf_sanity.h"

#include <fcntl.h>
#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH 8

struct tr {
    const struct aot_image *img;
    struct aot_err *err;
    Dwarf_Debug dbg;
    Dwarf_Error e;
    struct aot_template *t;
};

static int tr_fail(struct tr *r, const char *what)
{
    aot_fail(r->err, "%s: bad DWARF reading struct layout: %s: %s", r->img->path, what,
             r->e ? dwarf_errmsg(r->e) : "no detail");
    if (r->e) {
        dwarf_dealloc_error(r->dbg, r->e);
        r->e = NULL;
    }
    return -1;
}

static int has_attr(struct tr *r, Dwarf_Die d, Dwarf_Half at)
{
    Dwarf_Bool yes = 0;
    if (dwarf_hasattr(d, at, &yes, &r->e) != DW_DLV_OK)
        return tr_fail(r, "attribute");
    return yes ? 1 : 0;
}

/* The DIE DW_AT_type of d refers to, with typedefs and qualifiers skipped; NULL when none. */
static int type_of(struct tr *r, Dwarf_Die d, Dwarf_Die *out)
{
    Dwarf_Die cur = d;
    *out = NULL;
    for (int hop = 0; hop < 16; hop++) {
        Dwarf_Attribute a;
        Dwarf_Off off;
        Dwarf_Die next;
        int rc = dwarf_attr(cur, DW_AT_type, &a, &r->e);
        if (rc == DW_DLV_NO_ENTRY)
            break;
        if (rc != DW_DLV_OK)
            return tr_fail(r, "DW_AT_type");
        rc = dwarf_global_formref(a, &off, &r->e);
        dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
        if (rc != DW_DLV_OK || dwarf_offdie_b(r->dbg, off, 1, &next, &r->e) != DW_DLV_OK)
            return tr_fail(r, "type reference");
        if (cur != d)
            dwarf_dealloc_die(cur);
        cur = next;
        Dwarf_Half tag;
        if (dwarf_tag(cur, &tag, &r->e) != DW_DLV_OK)
            return tr_fail(r, "type tag");
        if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
            tag != DW_TAG_restrict_type) {
            *out = cur;
            return 0;
        }
    }
    if (cur != d)
        dwarf_dealloc_die(cur);
    return 0;
}

/* The member's byte offset: a constant, or DW_OP_plus_uconst (older DWARF). */
static int member_offset(struct tr *r, Dwarf_Die m, uint64_t *off)
{
    Dwarf_Attribute a;
    Dwarf_Half form;
    *off = 0;
    int rc = dwarf_attr(m, DW_AT_data_member_location, &a, &r->e);
    if (rc == DW_DLV_NO_ENTRY)
        return 0;           /* a union member, or the first member in some producers */
    if (rc != DW_DLV_OK || dwarf_whatform(a, &form, &r->e) != DW_DLV_OK)
        return tr_fail(r, "DW_AT_data_member_location");
    if (form == DW_FORM_exprloc || form == DW_FORM_block1) {
        Dwarf_Unsigned len;
        Dwarf_Ptr p;
        rc = dwarf_formexprloc(a, &len, &p, &r->e);
        dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
        const uint8_t *b = p;
        if (rc != DW_DLV_OK || len < 2 || b[0] != DW_OP_plus_uconst)
            return tr_fail(r, "member location expression (only DW_OP_plus_uconst is read)");
        uint64_t v = 0;
        unsigned shift = 0;
        for (Dwarf_Unsigned k = 1; k < len && shift < 64; k++, shift += 7) {
            v |= (uint64_t)(b[k] & 0x7f) << shift;
            if (!(b[k] & 0x80))
                break;
        }
        *off = v;
        return 0;
    }
    Dwarf_Unsigned v;
    rc = dwarf_formudata(a, &v, &r->e);
    dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
    if (rc != DW_DLV_OK)
        return tr_fail(r, "member offset");
    *off = v;
    return 0;
}

static int count_members(struct tr *r, Dwarf_Die s, int *n)
{
    Dwarf_Die c;
    *n = 0;
    int rc = dwarf_child(s, &c, &r->e);
    while (rc == DW_DLV_OK) {
        Dwarf_Half tag;
        if (dwarf_tag(c, &tag, &r->e) != DW_DLV_OK) {
            dwarf_dealloc_die(c);
            return tr_fail(r, "member tag");
        }
        *n += tag == DW_TAG_member;
        Dwarf_Die next;
        rc = dwarf_siblingof_b(r->dbg, c, 1, &next, &r->e);
        dwarf_dealloc_die(c);
        c = next;
    }
    return rc == DW_DLV_ERROR ? tr_fail(r, "members") : 0;
}

static int walk(struct tr *r, Dwarf_Die s, uint64_t base, const char *prefix, int single,
                int depth);

/* One member at byte offset at, full name `name`: a leaf word, or a struct to walk. */
static int member(struct tr *r, Dwarf_Die m, uint64_t at, const char *name, int depth)
{
    Dwarf_Die ty;
    if (type_of(r, m, &ty) != 0)
        return -1;
    Dwarf_Half tag = 0;
    if (ty && dwarf_tag(ty, &tag, &r->e) != DW_DLV_OK) {
        dwarf_dealloc_die(ty);
        return tr_fail(r, "member type tag");
    }
    int rc = 0;
    if (ty && (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) && depth < MAX_DEPTH) {
        int n = 0;
        rc = count_members(r, ty, &n);
        if (rc == 0)
            /* a one-member struct inside a group is a wrapper (paravirt_callee_save); a group
             * itself (the template's members) keeps its members' names even when it has one */
            rc = walk(r, ty, at, name, n == 1 && depth > 0, depth + 1);
    } else if (at % 4 == 0 && at / 4 < r->t->words && !r->t->names[at / 4]) {
        r->t->names[at / 4] = strdup(name);
        if (!r->t->names[at / 4])
            rc = aot_fail(r->err, "%s: out of memory", r->img->path);
    }
    if (ty)
        dwarf_dealloc_die(ty);
    return rc;
}

static int walk(struct tr *r, Dwarf_Die s, uint64_t base, const char *prefix, int single,
                int depth)
{
    Dwarf_Die c;
    int rc = dwarf_child(s, &c, &r->e);
    while (rc == DW_DLV_OK) {
        Dwarf_Half tag;
        int res = 0;
        if (dwarf_tag(c, &tag, &r->e) != DW_DLV_OK)
            res = tr_fail(r, "member tag");
        else if (tag == DW_TAG_member) {
            char *mn = NULL, full[256];
            uint64_t off;
            if (dwarf_diename(c, &mn, &r->e) == DW_DLV_ERROR)
                res = tr_fail(r, "member name");
            else if ((res = member_offset(r, c, &off)) == 0) {
                if (single || !mn)
                    snprintf(full, sizeof full, "%s", prefix);
                else
                    snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", mn);
                res = member(r, c, base + off, full, depth);
            }
        }
        Dwarf_Die next = NULL;
        rc = res ? DW_DLV_NO_ENTRY : dwarf_siblingof_b(r->dbg, c, 1, &next, &r->e);
        dwarf_dealloc_die(c);
        if (res)
            return -1;
        c = next;
    }
    return rc == DW_DLV_ERROR ? tr_fail(r, "members") : 0;
}

/* 1 when die is the complete structure type `name`. */
static int is_the_struct(struct tr *r, Dwarf_Die d, const char *name)
{
    Dwarf_Half tag;
    char *n = NULL;
    if (dwarf_tag(d, &tag, &r->e) != DW_DLV_OK)
        return tr_fail(r, "tag");
    if (tag != DW_TAG_structure_type)
        return 0;
    int rc = dwarf_diename(d, &n, &r->e);
    if (rc == DW_DLV_ERROR)
        return tr_fail(r, "name");
    if (rc != DW_DLV_OK || strcmp(n, name) != 0)
        return 0;
    int decl = has_attr(r, d, DW_AT_declaration);
    return decl < 0 ? -1 : !decl;
}

static int flatten(struct tr *r, Dwarf_Die d)
{
    Dwarf_Unsigned size;
    if (dwarf_bytesize(d, &size, &r->e) != DW_DLV_OK)
        return tr_fail(r, "struct size");
    r->t->words = (uint32_t)(size / 4);
    r->t->names = calloc(r->t->words ? r->t->words : 1, sizeof *r->t->names);
    if (!r->t->names)
        return aot_fail(r->err, "%s: out of memory", r->img->path);
    return walk(r, d, 0, "", 0, 0);
}

/* Searches the top-level DIEs of the current unit; 1 found and flattened, 0 not here. */
static int search_unit(struct tr *r, Dwarf_Die cu, const char *name)
{
    Dwarf_Die c;
    int rc = dwarf_child(cu, &c, &r->e);
    while (rc == DW_DLV_OK) {
        int hit = is_the_struct(r, c, name);
        if (hit == 1)
            hit = flatten(r, c) == 0 ? 1 : -1;
        Dwarf_Die next = NULL;
        rc = hit ? DW_DLV_NO_ENTRY : dwarf_siblingof_b(r->dbg, c, 1, &next, &r->e);
        dwarf_dealloc_die(c);
        if (hit)
            return hit;
        c = next;
    }
    return rc == DW_DLV_ERROR ? tr_fail(r, "unit DIEs") : 0;
}

void aot_template_free(struct aot_template *t)
{
    for (uint32_t i = 0; t->names && i < t->words; i++)
        free(t->names[i]);
    free(t->names);
    t->names = NULL;
    t->words = 0;
}

int aot_dwarf_template(const struct aot_image *img, const char *name, struct aot_template *out,
                       struct aot_err *err)
{
    struct tr r = { .img = img, .err = err, .t = out };
    memset(out, 0, sizeof *out);
    if (aot_dwarf_sanity(img, err) != 0)
        return -1;
    int fd = open(img->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return aot_fail(err, "%s: cannot reopen for DWARF", img->path);
    int rc = dwarf_init_b(fd, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, &r.dbg, &r.e);
    if (rc == DW_DLV_NO_ENTRY) {
        close(fd);
        return 0;
    }
    if (rc != DW_DLV_OK) {
        tr_fail(&r, "cannot open the debug sections");
        close(fd);
        return -1;
    }
    int found = 0;
    while (!found) {
        Dwarf_Unsigned next;
        Dwarf_Half hdrtype;
        Dwarf_Die cu;
        rc = dwarf_next_cu_header_d(r.dbg, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                    &next, &hdrtype, &r.e);
        if (rc == DW_DLV_NO_ENTRY)
            break;
        if (rc != DW_DLV_OK) {
            found = tr_fail(&r, "compile unit header");
            break;
        }
        rc = dwarf_siblingof_b(r.dbg, NULL, 1, &cu, &r.e);
        if (rc == DW_DLV_ERROR) {
            found = tr_fail(&r, "compile unit DIE");
            break;
        }
        if (rc == DW_DLV_NO_ENTRY)
            continue;
        found = search_unit(&r, cu, name);
        dwarf_dealloc_die(cu);
    }
    dwarf_finish(r.dbg, &r.e);
    close(fd);
    if (found != 1)
        aot_template_free(out);
    return found;
}
/* SPDX-License-Identifier: GPL-2.0-only */
