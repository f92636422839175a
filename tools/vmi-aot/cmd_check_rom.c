/* vmi-aot check-rom [--json] [--flavor native|pv] ROM
 * The deep ROM checker's command: runs check-rom's checks (romchk_run, lib/romchk_check.c) and the
 * Linux profile's rules (romchk_consumer.c).  Prints a table of routines and the findings (or
 * JSON); exits 1 on any finding, 2 on usage.  A file that is not a VMI ROM at all (no 55 aa
 * option-ROM signature, or no "cVmi" header) is refused in one line before any table.
 * What is checked and why: docs/rom-format.md, "Checking a ROM". */
#include "aot_cmds.h"
#include "json_out.h"
#include "opts.h"
#include "romchk.h"
#include "romchk_consumer.h"
#include "romchk_run.h"
#include "vmi_abi.h"
#include "vmi_version.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- report ---------------------------------------------------------------------------------- */

static const char *kind_name(enum romchk_kind k)
{
    static const char *const n[] = { "entry", "routine", "helper", "inline", "variant" };
    return n[k];
}

/* "MAJ.MIN" from the ROM header (0.0 when the image is shorter than one). */
static void api_version(const struct romchk *c, char *buf, size_t cap)
{
    unsigned maj = 0, min = 0;
    if (c->size >= sizeof(struct vrom_header)) {
        const struct vrom_header *h = (const struct vrom_header *)c->img;
        maj = h->api_version_maj;
        min = h->api_version_min;
    }
    snprintf(buf, cap, "%u.%u", maj, min);
}

static void print_text(const struct romchk *c, FILE *f)
{
    char api[16];
    api_version(c, api, sizeof api);
    fprintf(f, "%s: %u bytes, API %s, %s flavor, virtual_top 0x%08x, inline table: %s\n",
            c->file, c->rom_size, api, c->native ? "native" : "pv", c->virtual_top,
            c->has_table ? "yes" : "no");
    fprintf(f, "%-8s %4s %-28s %-7s %4s %-9s %-26s %-26s %s\n", "kind", "call", "name", "offset",
            "len", "reloc", "writes", "allowed", "findings");
    for (unsigned i = 0; i < c->nroutines; i++) {
        const struct romchk_routine *r = &c->routines[i];
        char w[64], d[64], call[8];
        romchk_clobber_text(r->writes, w, sizeof w);
        romchk_clobber_text(r->declared, d, sizeof d);
        snprintf(call, sizeof call, r->call >= 0 ? "%d" : "-", r->call);
        fprintf(f, "%-8s %4s %-28s 0x%05x %4u %-9s %-26s %-26s %u\n", kind_name(r->kind), call,
                r->name, r->off, r->len, r->kind == RK_ROUTINE ? romchk_reloc_names[r->reloc_type] : "-",
                w, r->kind == RK_HELPER ? "-" : d, r->findings);
    }
    unsigned by[4] = { 0 };
    for (unsigned n = 0; n < 256; n++)
        by[c->reloc_type[n] & 3]++;
    fprintf(f, "GetRelocationInfo, calls 0-255 at 0x%x and 0x%x: %u CALL_REL, %u JUMP_REL, %u NOP, "
            "%u NONE\n", ROMCHK_BASE_A, ROMCHK_BASE_B, by[1], by[2], by[3], by[0]);
}

/* The findings: part of the report on stdout; error lines, named for the command, on stderr. */
static void print_findings(const struct romchk *c, FILE *f)
{
    const char *prefix = f == stderr ? "vmi-aot check-rom: " : "";
    for (unsigned i = 0; i < c->nfindings; i++) {
        const struct romchk_finding *x = &c->findings[i];
        if (x->off >= 0)
            fprintf(f, "%s%s:0x%lx: %s%s%s\n", prefix, c->file, x->off, x->where,
                    x->where[0] ? ": " : "", x->msg);
        else
            fprintf(f, "%s%s: %s%s%s\n", prefix, c->file, x->where, x->where[0] ? ": " : "",
                    x->msg);
    }
    if (c->dropped)
        fprintf(f, "%s%s: %u more findings not shown\n", prefix, c->file, c->dropped);
}

/* ---- JSON (docs/json.md, schema docs/schema/vmi-aot.check-rom.json) ---------------------------- */

#define CHECK_ROM_TOOL   "vmi-aot check-rom"
#define CHECK_ROM_SCHEMA "vmi-aot.check-rom/1"

/* One element of "routines": a new object, or NULL on out of memory. */
static json_t *routine_json(const struct romchk_routine *r)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:i, s:i}",
                     "kind", kind_name(r->kind),
                     "call_nr", r->call >= 0 ? json_integer(r->call) : json_null(),
                     "name", aot_json_string(r->name), "offset", aot_json_hex(r->off),
                     "length", (int)r->len,
                     "reloc", r->kind == RK_ROUTINE
                                  ? json_string(romchk_reloc_names[r->reloc_type & 3])
                                  : json_null(),
                     "writes", aot_json_hex(r->writes), "allowed", aot_json_hex(r->declared),
                     "relocations", (int)r->nrelocs, "findings", (int)r->findings);
}

/* One element of "findings" (its text from input, so through aot_json_string). */
static json_t *finding_json(const struct romchk_finding *x)
{
    return json_pack("{s:o, s:o, s:o}",
                     "offset", x->off >= 0 ? aot_json_hex((uint64_t)x->off) : json_null(),
                     "where", aot_json_string(x->where), "message", aot_json_string(x->msg));
}

/* GetRelocationInfo's answers for calls 0-255, counted per type (the text's summary line). */
static json_t *reloc_counts_json(const struct romchk *c)
{
    unsigned by[4] = { 0 };
    for (unsigned n = 0; n < 256; n++)
        by[c->reloc_type[n] & 3]++;
    return json_pack("{s:i, s:i, s:i, s:i}", "call_rel", (int)by[1], "jump_rel", (int)by[2],
                     "nop", (int)by[3], "none", (int)by[0]);
}

/* The whole document, or NULL on out of memory. */
static json_t *check_rom_json(const struct romchk *c)
{
    char api[16];
    api_version(c, api, sizeof api);
    json_t *doc = aot_json_doc(CHECK_ROM_TOOL, CHECK_ROM_SCHEMA);
    int bad = aot_json_set(doc, "rom", aot_json_string(c->file));
    bad |= aot_json_set(doc, "size", json_integer(c->rom_size));
    bad |= aot_json_set(doc, "api", json_string(api));
    bad |= aot_json_set(doc, "flavor", json_string(c->native ? "native" : "pv"));
    bad |= aot_json_set(doc, "virtual_top", aot_json_addr(c->virtual_top));
    bad |= aot_json_set(doc, "inline_table", aot_json_bool(c->has_table));
    bad |= aot_json_set(doc, "ok", aot_json_bool(c->nfindings == 0));
    json_t *routines = json_array(), *findings = json_array();
    for (unsigned i = 0; i < c->nroutines; i++)
        bad |= aot_json_push(routines, routine_json(&c->routines[i]));
    for (unsigned i = 0; i < c->nfindings; i++)
        bad |= aot_json_push(findings, finding_json(&c->findings[i]));
    bad |= aot_json_set(doc, "routines", routines);
    bad |= aot_json_set(doc, "relocation_types", reloc_counts_json(c));
    bad |= aot_json_set(doc, "findings", findings);
    bad |= aot_json_set(doc, "findings_not_shown", json_integer(c->dropped));
    if (bad)
        json_decref(doc);
    return bad ? NULL : doc;
}

enum { OPT_JSON = 1, OPT_FLAVOR };

static const struct opts_command check_rom_cmd = {
    .prog = "vmi-aot check-rom",
    .synopsis = "[--json] [--flavor native|pv] ROM",
    .description = "Checks the VMI option ROM image ROM: its structure, code, GetRelocationInfo, "
                   "the pv routines' behaviour and Linux's rules (docs/rom-format.md, \"Checking "
                   "a ROM\").",
    .operands = "ROM",
    .min_operands = 1,
    .max_operands = 1,
    .options = (const struct opts_option[]){
        { "json", 0, OPTS_NO_ARG, NULL,
          "the routines and findings as JSON (findings also on stderr)", OPT_JSON },
        { "flavor", 0, OPTS_ARG, "FLAVOR",
          "check as a native or pv ROM whatever its inline table says", OPT_FLAVOR },
        { 0 },
    },
    .epilogue = "Exit status: 0 no finding, 1 a finding or a file that is not a VMI ROM, 2 usage.",
};

struct check_rom_args {
    const char *path;
    int json;
    int flavor;                         /* 1 native, 0 pv, -1 as the ROM says */
};

/* Returns -1 to go on, else the exit status (0 after --help or --version, 2 on a usage error). */
static int parse_args(int argc, char **argv, struct check_rom_args *a)
{
    struct opts_parser p;
    struct aot_err err;
    int id;
    opts_begin(&p, &check_rom_cmd, argc, argv);
    while ((id = opts_next(&p, &err)) > 0) {
        if (id == OPT_JSON) {
            a->json = 1;
        } else if (strcmp(p.arg, "native") == 0 || strcmp(p.arg, "pv") == 0) {
            a->flavor = strcmp(p.arg, "native") == 0;
        } else {
            id = opts_fail(&err, "--flavor '%s': expected native or pv", p.arg);
            break;
        }
    }
    if (id != OPTS_END)
        return opts_finish(&check_rom_cmd, id, &err, stdout, stderr);
    a->path = p.operands[0];
    return -1;
}

/* Why the n bytes of img are no VMI ROM at all (so that no table is worth printing), or NULL.
 * A VMI ROM that is merely damaged gets its findings instead. */
static const char *not_a_rom(const uint8_t *img, size_t n, char *why, size_t len)
{
    struct vrom_header h;
    memset(&h, 0, sizeof h);
    memcpy(&h, img, n < sizeof h ? n : sizeof h);
    if (n < sizeof h.rom_signature)
        snprintf(why, len, "%zu byte%s, no option-ROM signature", n, n == 1 ? "" : "s");
    else if (h.rom_signature != VMI_ROM_SIGNATURE)
        snprintf(why, len, "no option-ROM signature (ROM signature is 0x%04x, not 0x%04x: "
                 "bytes 55 aa)", h.rom_signature, VMI_ROM_SIGNATURE);
    else if (n < offsetof(struct vrom_header, vrom_signature) + sizeof h.vrom_signature)
        snprintf(why, len, "an option ROM of %zu bytes, too short for a VMI header", n);
    else if (h.vrom_signature != VMI_SIGNATURE)
        snprintf(why, len, "an option ROM without a VMI header (VMI signature is 0x%08x, not "
                 "\"cVmi\")", h.vrom_signature);
    else
        return NULL;
    return why;
}

int aot_cmd_check_rom(int argc, char **argv)
{
    struct check_rom_args a = { NULL, 0, -1 };
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    const char *path = a.path;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vmi-aot check-rom: %s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    static uint8_t img[256 * 1024];
    size_t n = fread(img, 1, sizeof img, f);
    int bad = ferror(f) || !feof(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "vmi-aot check-rom: %s: read error, or larger than %zu bytes\n", path,
                sizeof img);
        return 1;
    }
    char why[160];
    if (not_a_rom(img, n, why, sizeof why)) {
        fprintf(stderr, "vmi-aot check-rom: %s: not a VMI ROM: %s\n", path, why);
        return 1;
    }
    struct romchk *c = calloc(1, sizeof *c);
    if (!c) {
        fprintf(stderr, "vmi-aot check-rom: %s: out of memory\n", path);
        return 1;
    }
    c->file = path;
    c->img = img;
    c->size = (uint32_t)n;
    c->native = a.flavor == 1;
    c->flavor_forced = a.flavor >= 0;
    romchk_run(c);
    romchk_consumer(c);     /* the Linux profile's rules: check-rom only, not specialize/verify */
    rc = c->nfindings ? 1 : 0;
    if (a.json) {
        if (aot_json_write(stdout, check_rom_json(c), AOT_JSON_PRETTY) != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "vmi-aot check-rom: %s: the JSON could not be written (out of memory, "
                    "or standard output failed)\n", path);
            rc = 1;
        }
        print_findings(c, stderr);
    } else {
        print_text(c, stdout);
        print_findings(c, stdout);
        printf("%s: %u finding%s\n", path, c->nfindings + c->dropped,
               c->nfindings + c->dropped == 1 ? "" : "s");
    }
    free(c);
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
