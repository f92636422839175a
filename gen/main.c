/* vmi-gen: reads the VMI ABI spec and writes the generated files.
 *   vmi-gen [--check] [--header OUT] [--glue OUT] [--linux-header OUT] [--rom FLAVOR=OUT]...
 *           [--summary] [--spec-dir DIR] [SPEC...]
 * The spec files may come in any order (gen/spec_files.c).  Without SPEC and --spec-dir, vmi-gen
 * reads every *.vmi file of the installed spec: VMI_SPEC_DIR when built with one, otherwise
 * BINDIR/VMI_BIN_TO_PKGDATA/spec beside its own binary (mk/install.mk computes the relative path
 * from the install variables, so a staged or moved prefix works); in the build tree, where there
 * is no such directory, SPEC files are required.
 * A spec error prints FILE:LINE:COL: message and exits 1; nothing is written unless the whole spec
 * checked out, and each output is replaced atomically.  Usage errors exit 2. */
#include "emit.h"
#include "opts.h"
#include "spec_files.h"
#include "vmi_paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ROM_OUTPUTS 4
#define MAX_SPECS       16

struct options {
    int check_only;
    int summary;
    const char *header;
    const char *glue;
    const char *linux_header;
    const char *spec_dir;
    struct { const char *flavor; const char *path; } roms[MAX_ROM_OUTPUTS];
    unsigned nroms;
    const char *specs[MAX_SPECS];
    unsigned nspecs;
    char *dir_files[MAX_SPECS];         /* the spec directory's files (malloc'd) */
    int ndir;
};

/* The installed spec directory, or NULL when there is none (the build tree). */
static const char *default_spec_dir(void)
{
#ifdef VMI_SPEC_DIR
    return VMI_SPEC_DIR;
#else
    static char dir[PATH_MAX], canon[PATH_MAX];
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return NULL;
    dir[n] = 0;
    char *slash = strrchr(dir, '/');
    if (!slash)
        return NULL;
    *slash = 0;
    size_t len = strlen(dir);
    int w = snprintf(dir + len, sizeof dir - len, "/%s/spec", VMI_BIN_TO_PKGDATA);
    if (w < 0 || (size_t)w >= sizeof dir - len || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    return realpath(dir, canon) ? canon : dir;      /* without the bin/.. for --help */
#endif
}

enum { OPT_CHECK = 1, OPT_SUMMARY, OPT_HEADER, OPT_GLUE, OPT_LINUX, OPT_ROM, OPT_SPEC_DIR };

/* Its epilogue names the installed spec directory (gen_cmd_init). */
static struct opts_command gen_cmd = {
    .prog = "vmi-gen",
    .synopsis = "[--check] [--header OUT] [--glue OUT] [--linux-header OUT]\n"
                "        [--rom FLAVOR=OUT]... [--summary] [--spec-dir DIR] [SPEC...]",
    .description = "Reads the VMI ABI spec (the SPEC files, in any order) and writes the "
                   "generated files; nothing is written unless the whole spec checks out.",
    .operands = "SPEC",
    .min_operands = 0,
    .max_operands = MAX_SPECS,
    .options = (const struct opts_option[]){
        { "check", 0, OPTS_NO_ARG, NULL, "validate the spec only", OPT_CHECK },
        { "header", 0, OPTS_ARG, "OUT", "write the ABI header (include/vmi_abi.h)", OPT_HEADER },
        { "glue", 0, OPTS_ARG, "OUT", "write the call-site glue header", OPT_GLUE },
        { "linux-header", 0, OPTS_ARG, "OUT",
          "write the Linux profile's tables (include/vmi_linux.h)", OPT_LINUX },
        { "rom", 0, OPTS_ARG, "FLAVOR=OUT", "write the assembler source of a ROM flavor",
          OPT_ROM },
        { "summary", 0, OPTS_NO_ARG, NULL, "print a table of the calls", OPT_SUMMARY },
        { "spec-dir", 0, OPTS_ARG, "DIR", "read every DIR/*.vmi file as well", OPT_SPEC_DIR },
        { 0 },
    },
};

static void gen_cmd_init(void)
{
    static char epilogue[PATH_MAX + 128];
    const char *spec_dir = default_spec_dir();
    snprintf(epilogue, sizeof epilogue, "SPEC files may come in any order.%s%s%s",
             spec_dir ? "  Without SPEC and --spec-dir: every *.vmi of\n  " : "",
             spec_dir ? spec_dir : "", spec_dir ? "." : "");
    gen_cmd.epilogue = epilogue;
}

/* --rom FLAVOR=OUT: the flavor is checked against the spec once it is read (so that an unknown
 * one can be answered with the flavors there are). */
static int add_rom(struct options *o, char *arg, struct aot_err *err)
{
    char *eq = strchr(arg, '=');
    if (!eq)
        return opts_fail(err, "--rom '%s': expected FLAVOR=OUT", arg);
    if (o->nroms == MAX_ROM_OUTPUTS)
        return opts_fail(err, "--rom '%s': at most %d ROM outputs", arg, MAX_ROM_OUTPUTS);
    *eq = '\0';
    o->roms[o->nroms].flavor = arg;
    o->roms[o->nroms++].path = eq + 1;
    return 0;
}

/* One option (its value in arg).  0, or -1 with the usage error in err. */
static int take_opt(struct options *o, int id, char *arg, struct aot_err *err)
{
    switch (id) {
    case OPT_CHECK: o->check_only = 1; break;
    case OPT_SUMMARY: o->summary = 1; break;
    case OPT_HEADER: o->header = arg; break;
    case OPT_GLUE: o->glue = arg; break;
    case OPT_LINUX: o->linux_header = arg; break;
    case OPT_SPEC_DIR: o->spec_dir = arg; break;
    case OPT_ROM: return add_rom(o, arg, err);
    }
    return 0;
}

/* Returns -1 to go on, else the exit status (0 after --help or --version, 2 on a usage error:
 * the line, then the usage, on stderr). */
static int parse_args(int argc, char **argv, struct options *o)
{
    struct opts_parser p;
    struct aot_err err;
    int id;
    opts_begin(&p, &gen_cmd, argc, argv);
    while ((id = opts_next(&p, &err)) > 0)
        if (take_opt(o, id, (char *)p.arg, &err) != 0) {
            id = OPTS_ERROR;
            break;
        }
    if (id == OPTS_END && p.noperands == 0 && !o->spec_dir && !default_spec_dir())
        id = opts_fail(&err, "no spec files given");
    else if (id == OPTS_END && o->check_only &&
             (o->header || o->glue || o->linux_header || o->nroms))
        id = opts_fail(&err, "--check writes nothing: drop the outputs");
    if (id != OPTS_END)
        return opts_finish(&gen_cmd, id, &err, stdout, stderr);
    for (int i = 0; i < p.noperands; i++)
        o->specs[o->nspecs++] = p.operands[i];
    return -1;
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

/* Every --rom names a flavor of the spec and a file: else one line, with the flavors there are. */
static int check_rom_args(const struct spec *spec, const struct options *o)
{
    for (unsigned i = 0; i < o->nroms; i++) {
        const char *f = o->roms[i].flavor, *path = o->roms[i].path;
        if (f[0] && find_rom(spec, f)) {
            if (path[0])
                continue;
            fprintf(stderr, "vmi-gen: --rom %s=: no output file after '='\n", f);
            return -1;
        }
        char known[SPEC_MAX_ROMS * (SPEC_NAME_MAX + 2) + 1] = "";
        for (unsigned r = 0; r < spec->nroms; r++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", r ? ", " : "",
                     spec->roms[r].flavor);
        if (!f[0])
            fprintf(stderr, "vmi-gen: --rom =%s: no flavor before '='", path);
        else
            fprintf(stderr, "vmi-gen: --rom %s=%s: no ROM flavor '%s' in the spec", f, path, f);
        if (spec->nroms)
            fprintf(stderr, "; its flavors: %s\n", known);
        else
            fprintf(stderr, "; the spec files given define none (spec/rom-FLAVOR.vmi does)\n");
        return -1;
    }
    return 0;
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

/* The spec files of the command line and of --spec-dir (or, with neither, the installed ones),
 * parsed and checked into spec; prints the error and returns 1 if they do not check out. */
static int read_spec(struct spec *spec, struct options *o)
{
    const char *all[2 * MAX_SPECS];
    const char *dir = o->spec_dir;
    struct spec_error err;
    int rc = 0;
    if (!dir && o->nspecs == 0)
        dir = default_spec_dir();
    if (dir && (o->ndir = spec_dir_files(dir, o->dir_files, MAX_SPECS, &err)) < 0) {
        o->ndir = 0;
        print_error(&err);
        return 1;
    }
    memcpy(all, o->specs, o->nspecs * sizeof *all);
    for (int i = 0; i < o->ndir; i++)
        all[o->nspecs + (unsigned)i] = o->dir_files[i];
    if (spec_parse_files(spec, all, o->nspecs + (unsigned)o->ndir, &err) < 0 ||
        spec_check(spec, &err) < 0) {
        print_error(&err);
        rc = 1;
    }
    return rc;      /* spec's file names point into o->dir_files: main frees them last */
}

int main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof o);
    gen_cmd_init();
    int parsed = parse_args(argc, argv, &o);
    if (parsed >= 0)
        return parsed;
    struct spec *spec = calloc(1, sizeof *spec);
    if (!spec) {
        fprintf(stderr, "vmi-gen: out of memory\n");
        return 1;
    }
    int rc = read_spec(spec, &o);
    if (rc == 0 && check_rom_args(spec, &o) < 0) {
        opts_help(stderr, &gen_cmd);
        rc = 2;
    } else if (rc == 0 && report_rules(spec) > 0) {
        rc = 1;
    } else if (rc == 0) {
        rc = o.check_only ? check_roms(spec) : generate(spec, &o);
        if (rc == 0 && o.summary)
            emit_summary(spec, stdout);
    }
    spec_free(spec);
    free(spec);
    while (o.ndir > 0)
        free(o.dir_files[--o.ndir]);
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
