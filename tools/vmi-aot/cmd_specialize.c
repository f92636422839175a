/* vmi-aot specialize KERNEL --rom ROM -o OUT [--policy P] [--rom-base ADDR] [--dry-run]
 *                    [--report FILE] [--stats] [-v]
 * Plans every call site of a 32-bit ELF image against one ROM with the inliner library the kernel
 * links (through a session, lib/session.h: vmi_rom_probe, vmi_sites_read, vmi_plan_build,
 * vmi_apply, vmi_verify), writes the new site bytes into
 * a copy of the image, fills the identity record (struct vmi_aot_identity vmi_aot_identity) and
 * appends the section .vmi_aot with the original bytes (docs/aot.md).  The ROM base is the value
 * of the symbol vmi_rom_area, or --rom-base for an image without one.  The input is never
 * written; OUT (and the report) appear whole or not at all; the same inputs give the same bytes.
 * The report and the summaries are spec_report.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aot_cmds.h"
#include "aot_record.h"
#include "aot_rom.h"
#include "elf_image.h"
#include "elf_writer.h"
#include "linux_image.h"
#include "opts.h"
#include "outfile.h"
#include "profile.h"
#include "session.h"
#include "spec_report.h"
#include "vmi_abi.h"
#include "vmi_aot.h"
#include "vmi_inliner.h"
#include "vmi_version.h"

#define ROM_AREA_SYM  "vmi_rom_area"
#define IDENTITY_SYM  "vmi_aot_identity"

enum { OPT_ROM = 1, OPT_OUT, OPT_REPORT, OPT_PROFILE, OPT_POLICY, OPT_ROM_BASE, OPT_SHARE,
       OPT_DRY_RUN, OPT_STATS, OPT_VERBOSE };

static const struct opts_command specialize_cmd = {
    .prog = "vmi-aot specialize",
    .synopsis = "[OPTIONS] [--] KERNEL --rom ROM -o OUT\n"
                "options: [--policy P] [--rom-base ADDR] [--dry-run] [--report FILE] [--stats] "
                "[-v]\n"
                "         [--profile FILE [--inline-share P]] [--help] [--version]",
    .description = "Plans and patches every VMI call site of KERNEL for ROM, with the inliner the "
                   "kernel uses at boot; fills vmi_aot_identity and adds section .vmi_aot "
                   "(docs/aot.md).",
    .operands = "KERNEL",
    .min_operands = 1,
    .max_operands = 1,
    .options = (const struct opts_option[]){
        { "rom", 0, OPTS_ARG, "ROM", "the ROM the sites are planned for", OPT_ROM },
        { NULL, 'o', OPTS_ARG, "OUT", "the specialized image (needless with --dry-run)", OPT_OUT },
        { "policy", 0, OPTS_ARG, "P", "auto (default), call-only, native-only, inline-only",
          OPT_POLICY },
        { "rom-base", 0, OPTS_ARG, "ADDR",
          "the ROM's run-time address, for an image without vmi_rom_area\n"
          "(then the image may also lack vmi_aot_identity)", OPT_ROM_BASE },
        { "dry-run", 0, OPTS_NO_ARG, NULL,
          "plan and check everything, write no OUT; print the summary", OPT_DRY_RUN },
        { "report", 0, OPTS_ARG, "FILE",
          "per-site JSON report (- for standard output, not with --dry-run\nor --stats)",
          OPT_REPORT },
        { "stats", 0, OPTS_NO_ARG, NULL, "after writing OUT, print the summary", OPT_STATS },
        { "verbose", 'v', OPTS_NO_ARG, NULL, "with --dry-run or --stats: one line per site",
          OPT_VERBOSE },
        { "profile", 0, OPTS_ARG, "FILE",
          "a per-site execution profile of KERNEL (docs/specializer.md): report\n"
          "the executed sites not inlined and a reserve per call", OPT_PROFILE },
        { "inline-share", 0, OPTS_ARG, "P",
          "the share of each call's executions the suggested reserve inlines\n"
          "(0 < P <= 1, default 0.9; with --profile)", OPT_SHARE },
        { 0 },
    },
};

struct spec_args {
    const char *kernel, *rom, *out, *report, *profile;
    int policy, dry_run, stats, verbose, have_base, have_share;
    uint32_t base, share_ppm;
};

static int parse_policy(const char *s)
{
    for (unsigned p = 0; p < VMI_POLICY_COUNT; p++)
        if (strcmp(s, vmi_policy_name(p)) == 0)
            return (int)p;
    return -1;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (!*s || *end || errno || v > 0xffffffffull || *s == '-')
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* ---- the command ---- */

static int fail(const char *msg)
{
    fprintf(stderr, "vmi-aot specialize: %s\n", msg);
    return 1;
}

/* Everything one specialize run holds, released by run_free whatever phase it stopped in. */
struct spec_run {
    struct spec_args a;
    struct aot_err err;
    struct aot_session s;       /* the image, the ROM, the plan, the span of the sites */
    struct aot_profile prof;
    struct aot_prof_result pres;
    struct aot_symbol area, idsym;
    int has_id;
    uint32_t base;              /* where the ROM will be */
    uint32_t n;                 /* sites */
    struct aot_rec_site *rsites;
    uint8_t *sec;
    struct vmi_aot_identity id;
    struct aot_writer w;
    struct aot_outfile rep;
    int have_writer, have_rep;
    struct aot_spec_view view;
};

/* One option (its value in v).  0, or -1 with the usage error in err. */
static int take_opt(struct spec_args *a, int c, const char *v, struct aot_err *err)
{
    switch (c) {
    case OPT_ROM: a->rom = v; break;
    case OPT_OUT: a->out = v; break;
    case OPT_REPORT: a->report = v; break;
    case OPT_PROFILE: a->profile = v; break;
    case OPT_DRY_RUN: a->dry_run = 1; break;
    case OPT_STATS: a->stats = 1; break;
    case OPT_VERBOSE: a->verbose = 1; break;
    case OPT_POLICY:
        if ((a->policy = parse_policy(v)) < 0)
            return opts_fail(err, "unknown policy '%s' (auto, call-only, native-only, "
                             "inline-only)", v);
        break;
    case OPT_ROM_BASE:
        if (parse_u32(v, &a->base) != 0)
            return opts_fail(err, "bad --rom-base '%s'", v);
        a->have_base = 1;
        break;
    case OPT_SHARE:
        if (aot_parse_share(v, &a->share_ppm) != 0)
            return opts_fail(err, "bad --inline-share '%s' (a decimal share, 0 < P <= 1, e.g. "
                             "0.9)", v);
        a->have_share = 1;
        break;
    }
    return 0;
}

/* Options that contradict each other: one line, exit status 2 (no usage: each option is fine
 * alone).  Returns -1 to go on. */
static int check_combinations(struct spec_args *a)
{
    const char *why = NULL;
    if (a->have_share && !a->profile)
        why = "--inline-share needs --profile FILE";
    else if (a->verbose && !a->dry_run && !a->stats)
        why = "-v lists the sites in the summary of --dry-run or --stats: give one of them";
    else if (a->report && strcmp(a->report, "-") == 0 && (a->dry_run || a->stats))
        why = "--report - would mix the JSON report with the summary of --dry-run or --stats "
              "on standard output: give --report FILE";
    if (why) {
        fprintf(stderr, "vmi-aot specialize: %s\n", why);
        return 2;
    }
    if (!a->have_share)
        a->share_ppm = 900000;
    return -1;
}

/* The options, then KERNEL.  Returns -1 to go on, else the exit status (0 after --help or
 * --version, 2 on a usage error). */
static int parse_args(int argc, char **argv, struct spec_args *a)
{
    struct opts_parser p;
    struct aot_err err;
    int id;
    opts_begin(&p, &specialize_cmd, argc, argv);
    while ((id = opts_next(&p, &err)) > 0)
        if (take_opt(a, id, p.arg, &err) != 0) {
            id = OPTS_ERROR;
            break;
        }
    if (id == OPTS_END && !a->rom)
        id = opts_fail(&err, "no --rom ROM given");
    else if (id == OPTS_END && !a->out && !a->dry_run)
        id = opts_fail(&err, "no -o OUT given (or --dry-run)");
    if (id != OPTS_END)
        return opts_finish(&specialize_cmd, id, &err, stdout, stderr);
    a->kernel = p.operands[0];
    return check_combinations(a);
}

/* The image (with a Linux kernel's DWARF checked), the ROM and the profile. */
static int open_inputs(struct spec_run *r)
{
    const struct spec_args *a = &r->a;
    struct aot_image *img = &r->s.img;
    if (aot_session_open_image(&r->s, a->kernel, AOT_OPEN_LINUX, &r->err) != 0)
        return fail(r->err.msg);
    if (img->lx && a->profile) {
        fprintf(stderr, "vmi-aot specialize: %s: --profile reads profiles of vmi_sites images; "
                "this is a Linux kernel (.parainstructions)\n", a->kernel);
        return 2;
    }
    if (img->lx && aot_linux_check_dwarf(img, &r->err) != 0)
        return fail(r->err.msg);
    if (aot_session_load_rom(&r->s, a->rom, &r->err) != 0)
        return fail(r->err.msg);
    if (a->profile && aot_profile_read(&r->prof, a->profile, img, &r->err) != 0)
        return fail(r->err.msg);
    r->n = (uint32_t)img->nsites;
    return 0;
}

/* The identity record, when the image has one: a zeroed struct vmi_aot_identity in PROGBITS. */
static int check_identity_slot(struct spec_run *r)
{
    const struct aot_symbol *id = &r->idsym;
    const uint8_t *b = NULL;
    if (id->size != AOT_ID_SIZE || !(b = aot_image_bytes(&r->s.img, id->value, AOT_ID_SIZE))) {
        fprintf(stderr, "vmi-aot specialize: %s: " IDENTITY_SYM " at 0x%08x (%u bytes) is not "
                "a %u-byte struct vmi_aot_identity in an allocated PROGBITS section\n",
                r->a.kernel, id->value, id->size, AOT_ID_SIZE);
        return 1;
    }
    for (unsigned k = 0; k < AOT_ID_SIZE; k++)
        if (b[k]) {
            fprintf(stderr, "vmi-aot specialize: %s: " IDENTITY_SYM " at 0x%08x is not all "
                    "zero (byte %u): the image is already specialized; specialize the "
                    "original\n", r->a.kernel, id->value, k);
            return 1;
        }
    return 0;
}

/* The ROM area's base and size against --rom-base and the ROM.  0, or the exit status. */
static int check_area(struct spec_run *r)
{
    const struct spec_args *a = &r->a;
    if (a->have_base && a->base != r->area.value) {
        fprintf(stderr, "vmi-aot specialize: %s: --rom-base 0x%08x, but the image's "
                ROM_AREA_SYM " is at 0x%08x: the kernel plans for its ROM area\n", a->kernel,
                a->base, r->area.value);
        return 1;
    }
    r->base = r->area.value;
    uint32_t cap = r->area.size ? r->area.size : VMI_ROM_AREA_SIZE;
    if (r->s.rom.size > cap || r->s.rom.size > VMI_ROM_AREA_SIZE) {
        fprintf(stderr, "vmi-aot specialize: %s: the ROM's %u bytes do not fit "
                ROM_AREA_SYM " (%u bytes at 0x%08x)\n", a->rom, r->s.rom.size,
                cap < VMI_ROM_AREA_SIZE ? cap : VMI_ROM_AREA_SIZE, r->base);
        return 1;
    }
    return 0;
}

/* Where the ROM will be (vmi_rom_area, or --rom-base) and the identity record; the ROM placed
 * there (probed, its relocations emulated). */
static int locate(struct spec_run *r)
{
    const struct spec_args *a = &r->a;
    int has_area = aot_image_symbol(&r->s.img, ROM_AREA_SYM, &r->area, &r->err);
    r->has_id = has_area < 0 ? -1 : aot_image_symbol(&r->s.img, IDENTITY_SYM, &r->idsym, &r->err);
    if (has_area < 0 || r->has_id < 0)
        return fail(r->err.msg);
    r->base = a->base;
    if (has_area) {
        if (check_area(r) != 0)
            return 1;
    } else if (!a->have_base) {
        fprintf(stderr, "vmi-aot specialize: %s: no " ROM_AREA_SYM " symbol, so the ROM's run-time "
                "address is unknown: give --rom-base ADDR (docs/aot.md)\n", a->kernel);
        return 1;
    }
    if (!r->has_id && !a->have_base) {
        fprintf(stderr, "vmi-aot specialize: %s: no " IDENTITY_SYM " symbol: a kernel without it "
                "cannot tell another ROM at boot; give --rom-base ADDR to specialize anyway "
                "(docs/aot.md)\n", a->kernel);
        return 1;
    }
    if (r->has_id && check_identity_slot(r) != 0)
        return 1;
    if (aot_session_place(&r->s, r->base, &r->err) != 0)
        return fail(r->err.msg);
    return 0;
}

/* The inliner, as the kernel runs it at boot: sites, plan, apply (to the session's span); each
 * site's entry of .vmi_aot; the profile against the plan. */
static int plan_and_apply(struct spec_run *r)
{
    struct aot_session *s = &r->s;
    if (aot_session_read_sites(s, &r->err) != 0)
        return fail(r->err.msg);
    r->rsites = calloc(r->n ? r->n : 1, sizeof *r->rsites);
    if (!r->rsites) {
        fprintf(stderr, "vmi-aot specialize: %s: out of memory for %u sites\n", r->a.kernel, r->n);
        return 1;
    }
    if (aot_session_plan(s, (enum vmi_policy)r->a.policy, &r->err) != 0)
        return fail(r->err.msg);
    uint32_t off = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        const struct aot_site *st = &s->img.sites[i];
        r->rsites[i] = (struct aot_rec_site){ st->addr, st->rec_index, off, st->call, st->len,
                                              s->plan.sites[i].decision, s->plan.sites[i].reason };
        off += st->len;
    }
    if (aot_session_apply(s, &r->err) != 0)
        return fail(r->err.msg);
    if (r->a.profile && aot_profile_analyze(&r->pres, &r->prof, &s->table, &s->plan, &s->vrom,
                                            r->a.share_ppm, &r->err) != 0)
        return fail(r->err.msg);
    return 0;
}

/* The identity: the ROM, where it is, the policy, and the hash of the new site bytes. */
static int fill_identity(struct spec_run *r)
{
    struct vmi_aot_identity *id = &r->id;
    *id = (struct vmi_aot_identity){ 0 };
    id->magic = VMI_AOT_MAGIC;
    id->version = VMI_AOT_VERSION;
    id->hash_kind = VMI_AOT_HASH_FNV1A64;
    id->policy = (uint8_t)r->a.policy;
    id->rom_hash = r->s.rom.hash;
    id->rom_size = r->s.rom.size;
    id->rom_base = r->base;
    id->site_count = r->n;
    uint64_t h;
    if (aot_session_sites_hash(&r->s, &h, &r->err) != 0)
        return fail(r->err.msg);
    id->sites_hash = h;
    return 0;
}

/* What the report and the summaries show: the plan, the identity, what is written. */
static void make_view(struct spec_run *r)
{
    r->view = (struct aot_spec_view){
        .kernel = r->a.kernel, .rom_path = r->a.rom, .out = r->a.out, .img = &r->s.img,
        .rom = &r->s.rom, .plan = &r->s.plan, .id = &r->id, .id_addr = r->idsym.value,
        .identity = r->has_id > 0, .dry_run = r->a.dry_run,
        .pr = r->a.profile ? &r->pres : NULL, .prof = &r->prof,
    };
}

/* The report, written to its temporary file; committed only once OUT is in place. */
static int start_report(struct spec_run *r)
{
    if (!r->a.report)
        return 0;
    if (aot_outfile_open(&r->rep, r->a.report, &r->err) != 0)
        return fail(r->err.msg);
    r->have_rep = 1;
    if (aot_spec_report(r->rep.f, &r->view, &r->err) != 0)
        return fail(r->err.msg);
    return 0;
}

/* .vmi_aot: the record, each site's entry and the original bytes, added to the writer. */
static int add_record(struct spec_run *r)
{
    uint32_t total = r->s.need.code;
    struct aot_rec rec = { .flags = (r->has_id ? AOT_REC_F_IDENTITY : 0) |
                                    (r->s.img.lx ? AOT_REC_F_LINUX : 0),
                           .id = r->id, .count = r->n, .bytes_size = total };
    size_t seclen = aot_rec_size(r->n, total);
    r->sec = malloc(seclen);
    if (!r->sec) {
        fprintf(stderr, "vmi-aot specialize: %s: out of memory\n", r->a.kernel);
        return 1;
    }
    aot_rec_encode(r->sec, &rec, r->rsites, r->s.orig);
    if (aot_writer_add_section(&r->w, AOT_SECTION_NAME, r->sec, seclen, AOT_REC_ALIGN,
                               &r->err) != 0)
        return fail(r->err.msg);
    return 0;
}

/* OUT: the image with the new site bytes, the identity filled and .vmi_aot added. */
static int write_out(struct spec_run *r)
{
    const struct aot_image *img = &r->s.img;
    if (aot_writer_init(&r->w, img, &r->err) != 0)
        return fail(r->err.msg);
    r->have_writer = 1;
    for (uint32_t i = 0; i < r->n; i++) {
        const struct aot_site *s = &img->sites[i];
        if (aot_writer_patch(&r->w, s->addr, aot_session_site_bytes(&r->s, i), s->len,
                             &r->err) != 0)
            return fail(r->err.msg);
    }
    uint8_t idb[AOT_ID_SIZE];
    aot_id_encode(&r->id, idb);
    if (r->has_id && aot_writer_patch(&r->w, r->idsym.value, idb, AOT_ID_SIZE, &r->err) != 0)
        return fail(r->err.msg);
    if (add_record(r) != 0)
        return 1;
    struct stat st;
    unsigned mode = fstat(img->fd, &st) == 0 ? (unsigned)(st.st_mode & 0777) : 0644u;
    if (aot_writer_write(&r->w, r->a.out, mode, &r->err) != 0)
        return fail(r->err.msg);
    return 0;
}

/* After a real run: one line (what was written and the decisions). */
static void print_written(const struct spec_run *r)
{
    const struct spec_args *a = &r->a;
    struct aot_summary *sum = malloc(sizeof *sum);
    if (!sum)
        return;
    aot_summary_init(sum, NULL);
    aot_summary_plan(sum, &r->s.plan);
    const uint32_t *d = sum->decision;
    printf("%s: %u sites for %s (%u bytes, fnv1a64 0x%016llx) at 0x%08x, policy %s: "
           "inline %u, call %u, jump %u, nop %u, native %u; identity %s\n", a->out, r->n,
           a->rom, r->s.rom.size, (unsigned long long)r->s.rom.hash, r->base,
           vmi_policy_name((unsigned)a->policy), d[VMI_DECISION_INLINE], d[VMI_DECISION_CALL],
           d[VMI_DECISION_JUMP], d[VMI_DECISION_NOP], d[VMI_DECISION_NATIVE],
           r->has_id ? "filled" : r->s.img.lx ? "in " AOT_SECTION_NAME
           " only (a Linux kernel: boot it with noreplace-paravirt, docs/linux.md)"
           : "none (no " IDENTITY_SYM ")");
    free(sum);
}

/* --dry-run, --stats: the summary, and with -v a line per site. */
static int print_summary(struct spec_run *r)
{
    struct aot_summary *sum = malloc(sizeof *sum);
    if (!sum)
        return fail("out of memory");
    aot_summary_init(sum, r->s.img.lx);
    aot_summary_plan(sum, &r->s.plan);
    aot_spec_summary(stdout, &r->view, sum);
    free(sum);
    if (r->a.verbose && aot_spec_site_lines(stdout, &r->view, &r->err) != 0)
        return fail(r->err.msg);
    return 0;
}

/* The report committed, then what goes to standard output (unless the report went there): the
 * line of a real run, the summary of --dry-run or --stats, the profile's text. */
static int finish(struct spec_run *r)
{
    const struct spec_args *a = &r->a;
    if (r->have_rep) {
        r->have_rep = 0;
        if (aot_outfile_commit(&r->rep, 0644, &r->err) != 0)
            return fail(r->err.msg);
    }
    if (a->report && strcmp(a->report, "-") == 0)
        return 0;
    if (!a->dry_run)
        print_written(r);
    if ((a->dry_run || a->stats) && print_summary(r) != 0)
        return 1;
    if (a->profile)
        aot_profile_text(stdout, &r->pres, &r->prof, &r->s.plan);
    return 0;
}

static void run_free(struct spec_run *r)
{
    if (r->have_rep)
        aot_outfile_abort(&r->rep);
    if (r->have_writer)
        aot_writer_free(&r->w);
    free(r->rsites);
    free(r->sec);
    aot_profile_result_free(&r->pres);
    aot_profile_free(&r->prof);
    aot_session_close(&r->s);
}

/* The phases: options, inputs, locate (where the ROM is), plan and apply, identity, report,
 * write OUT (not in a dry run), what goes to standard output. */
int aot_cmd_specialize(int argc, char **argv)
{
    static struct spec_run zero;
    struct spec_run r = zero;
    r.a.policy = VMI_POLICY_AUTO;
    aot_session_init(&r.s);
    int rc = parse_args(argc, argv, &r.a);
    if (rc >= 0)
        return rc;
    rc = open_inputs(&r);
    if (rc == 0)
        rc = locate(&r);
    if (rc == 0)
        rc = plan_and_apply(&r);
    if (rc == 0)
        rc = fill_identity(&r);
    if (rc == 0) {
        make_view(&r);
        rc = start_report(&r);
    }
    if (rc == 0 && !r.a.dry_run)
        rc = write_out(&r);
    if (rc == 0)
        rc = finish(&r);
    run_free(&r);
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
