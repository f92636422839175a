/* vmi-gen: reads the VMI ABI spec and writes the generated files.
 *   vmi-gen [--check] [--header OUT] [--glue OUT] [--linux-header OUT] [--rom FLAVOR=OUT]...
 *           [--summary] SPEC...
 * A spec error prints FILE:LINE:COL: message and exits 1; nothing is written unless the whole spec
 * checked out, and each output is replaced atomically. */
#include "emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROM_OUTPUTS 4

struct options {
    int check_only;
    int summary;
    const char *header;
    const char *glue;
    const char *linux_header;
    struct { const char *flavor; const char *path; } roms[MAX_ROM_OUTPUTS];
    unsigned nroms;
    const char *specs[16];
    unsigned nspecs;
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: vmi-gen [--check] [--header OUT] [--glue OUT] [--linux-header OUT]\n"
        "               [--rom FLAVOR=OUT]... [--summary] SPEC...\n"
        "  --check            validate the spec only\n"
        "  --header OUT       write the ABI header (include/vmi_abi.h)\n"
        "  --glue OUT         write the call-site glue header\n"
        "  --linux-header OUT write the Linux profile's tables (include/vmi_linux.h)\n"
        "  --rom FLAVOR=OUT   write the assembler source of a ROM flavor\n"
        "  --summary          print a table of the calls\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--check") == 0) {
            o->check_only = 1;
        } else if (strcmp(a, "--summary") == 0) {
            o->summary = 1;
        } else if (strcmp(a, "--header") == 0 && has_value) {
            o->header = argv[++i];
        } else if (strcmp(a, "--glue") == 0 && has_value) {
            o->glue = argv[++i];
        } else if (strcmp(a, "--linux-header") == 0 && has_value) {
            o->linux_header = argv[++i];
        } else if (strcmp(a, "--rom") == 0 && has_value) {
            char *eq = strchr(argv[++i], '=');
            if (!eq || eq == argv[i] || !eq[1] || o->nroms == MAX_ROM_OUTPUTS) {
                fprintf(stderr, "vmi-gen: --rom takes FLAVOR=OUT (at most %d)\n", MAX_ROM_OUTPUTS);
                return -1;
            }
            *eq = '\0';
            o->roms[o->nroms].flavor = argv[i];
            o->roms[o->nroms++].path = eq + 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (a[0] == '-') {
            fprintf(stderr, "vmi-gen: unknown or incomplete option '%s'\n", a);
            return -1;
        } else if (o->nspecs == sizeof o->specs / sizeof o->specs[0]) {
            fprintf(stderr, "vmi-gen: too many spec files\n");
            return -1;
        } else {
            o->specs[o->nspecs++] = a;
        }
    }
    if (o->nspecs == 0) {
        fprintf(stderr, "vmi-gen: no spec files given\n");
        return -1;
    }
    if (o->check_only && (o->header || o->glue || o->linux_header || o->nroms)) {
        fprintf(stderr, "vmi-gen: --check writes nothing: drop the outputs\n");
        return -1;
    }
    return 0;
}

static void print_error(const struct spec_error *e)
{
    if (e->pos.line)
        fprintf(stderr, "%s:%d:%d: %s\n", e->pos.file, e->pos.line, e->pos.col, e->msg);
    else
        fprintf(stderr, "%s: %s\n", e->pos.file, e->msg);
}

static const struct spec_rom *find_rom(const struct spec *spec, const char *flavor)
{
    for (unsigned i = 0; i < spec->nroms; i++)
        if (strcmp(spec->roms[i].flavor, flavor) == 0)
            return &spec->roms[i];
    return NULL;
}

/* Prints every Linux rule a ROM flavor of the spec breaks; returns how many. */
static unsigned report_rules(const struct spec *spec)
{
    static struct spec_error findings[64];
    unsigned n = linux_rules_check(spec, findings, 64);
    for (unsigned i = 0; i < n && i < 64; i++)
        print_error(&findings[i]);
    if (n > 64)
        fprintf(stderr, "vmi-gen: %u more rule findings\n", n - 64);
    return n;
}

/* Builds every output in memory first, so a failure writes nothing. */
static int generate(const struct spec *spec, const struct options *o)
{
    struct outbuf header = { 0 }, glue = { 0 }, lxh = { 0 }, roms[MAX_ROM_OUTPUTS];
    memset(roms, 0, sizeof roms);
    struct spec_error err;
    int rc = 1;
    char why[512];

    emit_header(spec, &header);
    emit_glue(spec, &glue);
    if (o->linux_header) {
        if (!spec->lx.present) {
            fprintf(stderr, "vmi-gen: --linux-header needs the Linux profile (spec/linux.vmi)\n");
            goto out;
        }
        emit_linux_header(spec, &lxh);
    }
    for (unsigned i = 0; i < o->nroms; i++) {
        const struct spec_rom *rom = find_rom(spec, o->roms[i].flavor);
        if (!rom) {
            fprintf(stderr, "vmi-gen: no ROM flavor '%s' in the spec\n", o->roms[i].flavor);
            goto out;
        }
        if (emit_rom(spec, rom, &roms[i], &err) < 0) {
            print_error(&err);
            goto out;
        }
    }
    if (o->header && ob_write_file(&header, o->header, why, sizeof why) < 0)
        goto write_failed;
    if (o->glue && ob_write_file(&glue, o->glue, why, sizeof why) < 0)
        goto write_failed;
    if (o->linux_header && ob_write_file(&lxh, o->linux_header, why, sizeof why) < 0)
        goto write_failed;
    for (unsigned i = 0; i < o->nroms; i++)
        if (ob_write_file(&roms[i], o->roms[i].path, why, sizeof why) < 0)
            goto write_failed;
    rc = 0;
    goto out;
write_failed:
    fprintf(stderr, "vmi-gen: %s\n", why);
out:
    ob_free(&header);
    ob_free(&glue);
    ob_free(&lxh);
    for (unsigned i = 0; i < MAX_ROM_OUTPUTS; i++)
        ob_free(&roms[i]);
    return rc;
}

/* --check: every ROM flavor in the spec is emitted in memory and thrown away, so that the checks
 * only emission makes (the ROM blocks' bodies, relocations, variants) are run too: a spec that
 * --check accepts is one every output accepts. */
static int check_roms(const struct spec *spec)
{
    for (unsigned i = 0; i < spec->nroms; i++) {
        struct outbuf ob = { 0 };
        struct spec_error err;
        int rc = emit_rom(spec, &spec->roms[i], &ob, &err);
        ob_free(&ob);
        if (rc < 0) {
            print_error(&err);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof o);
    if (parse_args(argc, argv, &o) < 0) {
        usage(stderr);
        return 2;
    }
    struct spec *spec = calloc(1, sizeof *spec);
    if (!spec) {
        fprintf(stderr, "vmi-gen: out of memory\n");
        return 1;
    }
    struct spec_error err;
    int rc = 0;
    for (unsigned i = 0; i < o.nspecs && rc == 0; i++)
        if (spec_parse_file(spec, o.specs[i], &err) < 0)
            rc = 1;
    if (rc == 0 && spec_check(spec, &err) < 0)
        rc = 1;
    if (rc) {
        print_error(&err);
    } else if (report_rules(spec) > 0) {
        rc = 1;
    } else {
        rc = o.check_only ? check_roms(spec) : generate(spec, &o);
        if (rc == 0 && o.summary)
            emit_summary(spec, stdout);
    }
    spec_free(spec);
    free(spec);
    return rc;
}
