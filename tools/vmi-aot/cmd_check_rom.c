/* vmi-aot check-rom [--json] [--flavor native|pv] ROM
 * The deep ROM checker's command: runs check-rom's checks (romchk_run, lib/romchk_check.c) and the
 * Linux profile's rules (romchk_consumer.c).  Prints a table of routines and the findings (or
 * JSON); exits 1 on any finding, 2 on usage.
 * What is checked and why: docs/rom-format.md, "Checking a ROM". */
#include "aot_cmds.h"
#include "json_out.h"
#include "romchk.h"
#include "romchk_consumer.h"
#include "romchk_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- report ---------------------------------------------------------------------------------- */

static const char *kind_name(enum romchk_kind k)
{
    static const char *const n[] = { "entry", "routine", "helper", "inline", "variant" };
    return n[k];
}

static void print_text(const struct romchk *c, FILE *f)
{
    fprintf(f, "%s: %u bytes, API %u.%u, %s flavor, virtual_top 0x%08x, inline table: %s\n",
            c->file, c->rom_size, c->size > 0x0d ? c->img[0x0d] : 0,
            c->size > 0x0c ? c->img[0x0c] : 0, c->native ? "native" : "pv", c->virtual_top,
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

static void print_findings(const struct romchk *c, FILE *f)
{
    for (unsigned i = 0; i < c->nfindings; i++) {
        const struct romchk_finding *x = &c->findings[i];
        if (x->off >= 0)
            fprintf(f, "%s:0x%lx: %s%s%s\n", c->file, x->off, x->where, x->where[0] ? ": " : "",
                    x->msg);
        else
            fprintf(f, "%s: %s%s%s\n", c->file, x->where, x->where[0] ? ": " : "", x->msg);
    }
    if (c->dropped)
        fprintf(f, "%s: %u more findings not shown\n", c->file, c->dropped);
}

static void print_json(const struct romchk *c, FILE *f)
{
    fprintf(f, "{\"rom\": ");
    aot_json_str(f, c->file);
    fprintf(f, ", \"size\": %u, \"flavor\": \"%s\", \"virtual_top\": %u, \"ok\": %s,\n"
               " \"routines\": [", c->rom_size, c->native ? "native" : "pv", c->virtual_top,
            c->nfindings ? "false" : "true");
    for (unsigned i = 0; i < c->nroutines; i++) {
        const struct romchk_routine *r = &c->routines[i];
        fprintf(f, "%s\n  {\"kind\": \"%s\", \"call\": %d, \"name\": ", i ? "," : "",
                kind_name(r->kind), r->call);
        aot_json_str(f, r->name);
        fprintf(f, ", \"offset\": %u, \"length\": %u, \"reloc\": \"%s\", \"writes\": %u, "
                   "\"allowed\": %u, \"relocations\": %u, \"findings\": %u}", r->off, r->len,
                r->kind == RK_ROUTINE ? romchk_reloc_names[r->reloc_type] : "-", r->writes, r->declared,
                r->nrelocs, r->findings);
    }
    fprintf(f, "],\n \"findings\": [");
    for (unsigned i = 0; i < c->nfindings; i++) {
        fprintf(f, "%s\n  {\"offset\": %ld, \"where\": ", i ? "," : "", c->findings[i].off);
        aot_json_str(f, c->findings[i].where);
        fprintf(f, ", \"message\": ");
        aot_json_str(f, c->findings[i].msg);
        fprintf(f, "}");
    }
    fprintf(f, "]}\n");
}

static int usage(void)
{
    fprintf(stderr, "usage: vmi-aot check-rom [--json] [--flavor native|pv] ROM\n");
    return 2;
}

int aot_cmd_check_rom(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0, flavor = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--flavor") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "native") == 0)
                flavor = 1;
            else if (strcmp(argv[i], "pv") == 0)
                flavor = 0;
            else
                return usage();
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage();
            return 0;
        } else if (argv[i][0] == '-' || path)
            return usage();
        else
            path = argv[i];
    }
    if (!path)
        return usage();
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    static uint8_t img[256 * 1024];
    size_t n = fread(img, 1, sizeof img, f);
    int bad = ferror(f) || !feof(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: read error, or larger than %zu bytes\n", path, sizeof img);
        return 1;
    }
    struct romchk *c = calloc(1, sizeof *c);
    if (!c) {
        fprintf(stderr, "%s: out of memory\n", path);
        return 1;
    }
    c->file = path;
    c->img = img;
    c->size = (uint32_t)n;
    c->native = flavor == 1;
    c->flavor_forced = flavor >= 0;
    romchk_run(c);
    romchk_consumer(c);     /* the Linux profile's rules: check-rom only, not specialize/verify */
    if (json) {
        print_json(c, stdout);
        print_findings(c, stderr);
    } else {
        print_text(c, stdout);
        print_findings(c, stdout);
        printf("%s: %u finding%s\n", path, c->nfindings + c->dropped,
               c->nfindings + c->dropped == 1 ? "" : "s");
    }
    int rc = c->nfindings ? 1 : 0;
    free(c);
    return rc;
}
