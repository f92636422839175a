/* vmi-aot sites [--json] [--stats] [-o FILE] KERNEL: every VMI call site of a 32-bit ELF image.
 *
 * Text: a '#' header line, one line per site in address order, then a '#' summary line.
 * Columns: address, call, length, allowed clobbers, constant argument ("-" or name=value),
 * native ("native" when the bytes are the call's native sequence and NOP fill, else "patched"),
 * function, file:line, the bytes disassembled (Intel syntax, disasm.h).
 * JSON (docs/json.md): one document, schema vmi-aot.sites/1 (docs/schema/vmi-aot.sites.json;
 * a Linux kernel's is vmi-aot.linux-sites/1, linux_listing.h): the head ("tool", "version",
 * "schema", "image", "kind", "table", "records"), then "sites", one object per line in address
 * order:
 *   {"addr":"0x08049000","call":"DisableInterrupts","call_nr":30,"len":8,
 *    "clobbers":"flags","clobber_mask":"0x80","const":null | {"arg":"flags","index":2,"value":"0x41"},
 *    "record":0,"function":"irq_off","file":"/src/irq.c","line":13,"native":true,
 *    "bytes":"fa 0f 1f 80 00 00 00 00","asm":"cli; nop dword ptr [eax], eax"}
 * An unknown function, file or line is null.  Nothing is written unless the whole image reads
 * cleanly; with -o the file appears whole or not at all. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "aot_cmds.h"
#include "disasm.h"
#include "dwarf_lines.h"
#include "elf_image.h"
#include "json_out.h"
#include "linux_image.h"
#include "linux_listing.h"
#include "opts.h"
#include "outfile.h"
#include "site_info.h"
#include "vmi_abi.h"
#include "vmi_version.h"

#define AOT_SITES_SCHEMA "vmi-aot.sites/1"

enum { OPT_JSON = 1, OPT_STATS, OPT_OUTPUT };

static const struct opts_command sites_cmd = {
    .prog = "vmi-aot sites",
    .synopsis = "[--json] [--stats] [-o FILE] KERNEL",
    .description = "Lists every VMI call site of the 32-bit ELF image KERNEL (its vmi_sites "
                   "table, or a Linux kernel's .parainstructions pv sites with their ops): "
                   "address, call, length, allowed clobbers, constant argument, function, "
                   "file:line (DWARF; ? without debug info) and the current bytes disassembled "
                   "(Intel syntax).",
    .operands = "KERNEL",
    .min_operands = 1,
    .max_operands = 1,
    .options = (const struct opts_option[]){
        { "json", 0, OPTS_NO_ARG, NULL, "a JSON document instead of text (docs/json.md)",
          OPT_JSON },
        { "output", 'o', OPTS_ARG, "FILE",
          "write to FILE (whole or not at all) instead of standard output", OPT_OUTPUT },
        { "stats", 0, OPTS_NO_ARG, NULL, "time the phases, on standard error", OPT_STATS },
        { 0 },
    },
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void print_text(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                       const struct aot_disasm *dis, struct aot_disasm_memo *memo)
{
    char clob[48], carg[32], cbuf[64], loc[4200];
    size_t whole;
    size_t with_line = 0, native = 0;

    fprintf(f, "# %-10s %-18s %3s %-26s %-14s %-7s %-20s %-24s %s\n", "addr", "call", "len",
            "clobbers", "const", "state", "func", "file:line", "instructions");
    for (size_t i = 0; i < img->nsites; i++) {
        const struct aot_site *s = &img->sites[i];
        struct aot_site_info si;
        aot_site_info(img, dw, s, &si);
        const char *an = aot_const_arg_name(s, carg, sizeof carg);
        if (an)
            snprintf(cbuf, sizeof cbuf, "%s=0x%x", an, s->const_value);
        else
            snprintf(cbuf, sizeof cbuf, "-");
        int nat = aot_site_is_native(img, s);
        const char *asmtext = aot_disasm_memo_text(memo, dis, aot_site_bytes(img, s), s->len,
                                                   s->addr, &whole);
        if (si.line) {
            with_line++;
            snprintf(loc, sizeof loc, "%s:%u", si.file, si.line);
        } else {
            snprintf(loc, sizeof loc, "?");
        }
        native += (size_t)nat;
        fprintf(f, "0x%08x   %-18s %3u %-26s %-14s %-7s %-20s %-24s %s\n", s->addr,
                aot_call_name(s->call), s->len, aot_clobber_names(s->clobbers, clob, sizeof clob),
                cbuf, nat ? "native" : "patched", si.func,
                loc, asmtext);
    }
    fprintf(f, "# %zu sites, %zu native, %zu with file:line\n", img->nsites, native, with_line);
}

/* One element of "sites" (docs/schema/vmi-aot.sites.json): a new object, or NULL on out of
 * memory. */
static json_t *site_json(const struct aot_image *img, const struct aot_dwarf *dw,
                         const struct aot_disasm *dis, struct aot_disasm_memo *memo,
                         const struct aot_site *s)
{
    char clob[48], carg[32];
    size_t whole;
    struct aot_site_info si;
    aot_site_info(img, dw, s, &si);
    const char *an = aot_const_arg_name(s, carg, sizeof carg);
    json_t *cst = an ? json_pack("{s:o, s:i, s:o}", "arg", aot_json_string(an), "index",
                                 (int)((s->flags & VMI_SITE_CONST_ARG_MASK) >> VMI_SITE_CONST_ARG_SHIFT),
                                 "value", aot_json_hex(s->const_value))
                     : json_null();
    json_t *o = json_pack("{s:o, s:s, s:i, s:i, s:s, s:o, s:o, s:i}",
                          "addr", aot_json_addr(s->addr), "call", aot_call_name(s->call),
                          "call_nr", (int)s->call, "len", (int)s->len,
                          "clobbers", aot_clobber_names(s->clobbers, clob, sizeof clob),
                          "clobber_mask", aot_json_hex(s->clobbers), "const", cst,
                          "record", (int)s->rec_index);
    const char *asmtext = aot_disasm_memo_text(memo, dis, aot_site_bytes(img, s), s->len,
                                               s->addr, &whole);
    int bad = aot_json_set_location(o, si.func, si.file, si.line);
    bad |= aot_json_set(o, "native", aot_json_bool(aot_site_is_native(img, s)));
    bad |= aot_json_set(o, "bytes", aot_json_bytes(aot_site_bytes(img, s), s->len));
    bad |= aot_json_set(o, "asm", aot_json_string(asmtext));
    if (bad)
        json_decref(o);
    return bad ? NULL : o;
}

/* The document (schema vmi-aot.sites/1): the head, then the sites one per line, streamed so that
 * a large image's sites never sit in memory as jansson values.  0, or -1 on out of memory or a
 * failed write. */
static int print_json(FILE *f, const struct aot_image *img, const struct aot_dwarf *dw,
                      const struct aot_disasm *dis, struct aot_disasm_memo *memo)
{
    json_t *doc = aot_json_doc(AOT_SITES_TOOL, AOT_SITES_SCHEMA);
    int bad = aot_json_set(doc, "image", aot_json_string(img->path));
    bad |= aot_json_set(doc, "kind", json_string("vmi"));
    bad |= aot_json_set(doc, "table", json_string("vmi_sites"));
    bad |= aot_json_set(doc, "records",
                        json_integer(img->site_table->size / sizeof(struct vmi_site)));
    if (bad) {
        json_decref(doc);
        return -1;
    }
    struct aot_json_stream js;
    aot_json_stream_begin(&js, f, doc, "sites");
    for (size_t i = 0; i < img->nsites && !js.bad; i++)
        aot_json_stream_item(&js, site_json(img, dw, dis, memo, &img->sites[i]));
    return aot_json_stream_end(&js);
}

/* Returns -1 to go on, else the exit status (0 after --help or --version, 2 on a usage error). */
/* Returns -1 to go on, else the exit status (0 after --help or --version, 2 on a usage error). */
static int parse_args(int argc, char **argv, const char **kernel, const char **out, int *json,
                      int *stats)
{
    struct opts_parser p;
    struct aot_err err;
    int id;
    opts_begin(&p, &sites_cmd, argc, argv);
    while ((id = opts_next(&p, &err)) > 0) {
        if (id == OPT_OUTPUT)
            *out = p.arg;
        else
            *(id == OPT_JSON ? json : stats) = 1;
    }
    if (id != OPTS_END)
        return opts_finish(&sites_cmd, id, &err, stdout, stderr);
    *kernel = p.operands[0];
    return -1;
}

int aot_cmd_sites(int argc, char **argv)
{
    const char *kernel = NULL, *out = NULL;
    int json = 0, stats = 0;
    double t0 = now_ms(), t1 = 0, t2 = 0;

    int parsed = parse_args(argc, argv, &kernel, &out, &json, &stats);
    if (parsed >= 0)
        return parsed;

    struct aot_err err;
    struct aot_image img;
    struct aot_dwarf *dw = NULL;
    struct aot_disasm dis;
    struct aot_outfile of;

    if (aot_image_open(&img, kernel, AOT_OPEN_LINUX, &err) != 0) {
        fprintf(stderr, "vmi-aot sites: %s\n", err.msg);
        return 1;
    }
    if (img.lx && aot_linux_check_dwarf(&img, &err) != 0) {
        fprintf(stderr, "vmi-aot sites: %s\n", err.msg);
        aot_image_close(&img);
        return 1;
    }
    t1 = now_ms();
    if (aot_dwarf_open(&dw, &img, &err) != 0) {
        fprintf(stderr, "vmi-aot sites: %s\n", err.msg);
        aot_image_close(&img);
        return 1;
    }
    if (aot_disasm_init(&dis) != 0)
        aot_fail(&err, "Zydis failed to initialize");
    else if (aot_outfile_open(&of, out, &err) == 0)
        goto write;
    {
        fprintf(stderr, "vmi-aot sites: %s\n", err.msg);
        aot_dwarf_close(dw);
        aot_image_close(&img);
        return 1;
    }
write:
    t2 = now_ms();
    if (!out)
        setvbuf(stdout, NULL, _IOFBF, 1 << 20);
    struct aot_disasm_memo memo;
    aot_disasm_memo_init(&memo);
    int rc = 0;
    if (img.lx)
        rc = json ? aot_linux_print_json(of.f, &img, dw, &dis, &memo)
                  : aot_linux_print_text(of.f, &img, dw, &dis, &memo);
    else if (json)
        rc = print_json(of.f, &img, dw, &dis, &memo);
    else
        print_text(of.f, &img, dw, &dis, &memo);
    aot_disasm_memo_free(&memo);
    if (rc != 0) {
        aot_outfile_abort(&of);
        aot_fail(&err, "%s: out of memory", kernel);
    } else {
        rc = aot_outfile_commit(&of, 0644, &err);
    }
    if (rc != 0)
        fprintf(stderr, "vmi-aot sites: %s\n", err.msg);
    if (stats) {
        struct aot_dwarf_stats ds;
        aot_dwarf_stats(dw, &ds);
        double t3 = now_ms();
        fprintf(stderr, "vmi-aot sites: %zu sites; image %.1f ms, DWARF %.1f ms (%u of %u CUs, "
                "%u rows, %u subprograms, %u inline ranges), output %.1f ms, total %.1f ms\n",
                img.nsites, t1 - t0, t2 - t1, ds.cus_read, ds.cus, ds.rows, ds.funcs, ds.inlines,
                t3 - t2, t3 - t0);
    }
    aot_dwarf_close(dw);
    aot_image_close(&img);
    return rc ? 1 : 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
