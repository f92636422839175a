/* vmi-prof --sites PROFILE --image ELF [--rom ROM [--policy P]] [--top N] [--json]
 *
 * PROFILE is either a profile file (docs/specializer.md: "#" comments, blank lines and one line
 * "site addr=0x... call=NAME count=N" per site) or a serial log holding one profile block between
 * "profile begin ..." and "profile end ..." lines (the guest's pv-count mode); everything outside
 * the block is ignored.  Every site of the profile must be a site of ELF with the same call (the
 * profile was taken of that image).  Functions come from the symbol table, file:line from DWARF,
 * through the hosted library (lib/).  With --rom, the image's sites are planned against the ROM as
 * a kernel does at boot (a session, lib/session.h: vmi_plan_build, GetRelocationInfo executed by
 * check-rom's emulator) and each row says what the plan decided and why.  The helpers return
 * errors (struct aot_err); prof_sites_run prints them. */
#define _GNU_SOURCE
#include "prof_sites.h"
#include "prof_sites_chart.h"
#include "outfile.h"
#include "prof_version.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "aot_rom.h"
#include "dwarf_lines.h"
#include "elf_image.h"
#include "json_out.h"
#include "linux_image.h"
#include "session.h"
#include "site_info.h"
#include "vmi_inliner.h"

#define PROF_SITES_SCHEMA "vmi-prof.sites/1"   /* docs/json.md */
#ifndef HARNESS_ROM_BASE
#error "HARNESS_ROM_BASE: where the harness maps the ROM, from mk/inliner.mk"
#endif
#define DEFAULT_ROM_BASE HARNESS_ROM_BASE   /* an image without vmi_rom_area: the harness's */

struct psite {
    uint32_t addr;
    uint8_t call;
    int has_call;               /* 0: a Linux profile line, the call comes from the image */
    uint64_t count;
    unsigned line;              /* in the profile file */
    const struct aot_site *site;
    int decision, reason;       /* -1: unknown */
};

struct profile {
    struct psite *v;
    size_t n, cap;
    uint64_t total;
};

static int call_by_name(const char *name, size_t len)
{
    for (unsigned c = 0; c < VMI_NUM_CALLS; c++) {
        const char *n = vmi_call_name(c);
        if (strcmp(n, "?") && strlen(n) == len && strncmp(n, name, len) == 0)
            return (int)c;
    }
    return -1;
}

/* One "site ..." line (its first word already checked).  0, or -1 with the reason in err (the
 * caller adds the file and line). */
static int parse_site(char *p, struct psite *s, struct aot_err *err)
{
    int have_addr = 0, have_call = 0, have_count = 0;
    p += 4;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        char *w = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        size_t wl = (size_t)(p - w);
        char *eq = memchr(w, '=', wl);
        if (!eq || eq == w || eq + 1 == w + wl) {
            return aot_fail(err, "'%.*s' is not key=value", (int)wl, w);
        }
        size_t kl = (size_t)(eq - w), vl = wl - kl - 1;
        const char *v = eq + 1;
        char num[32];
        if (kl == 4 && !strncmp(w, "addr", 4) && !have_addr) {
            if (vl < 3 || vl > 10 || v[0] != '0' || v[1] != 'x') {
                return aot_fail(err, "addr=%.*s is not 0x and 1 to 8 hex digits", (int)vl, v);
            }
            for (size_t k = 2; k < vl; k++)
                if (!isxdigit((unsigned char)v[k])) {
                    return aot_fail(err, "addr=%.*s is not 0x and 1 to 8 hex digits", (int)vl, v);
                }
            memcpy(num, v, vl);
            num[vl] = 0;
            s->addr = (uint32_t)strtoul(num, NULL, 16);
            have_addr = 1;
        } else if (kl == 4 && !strncmp(w, "call", 4) && !have_call) {
            int c = call_by_name(v, vl);
            if (c < 0) {
                return aot_fail(err, "call=%.*s is not a VMI call", (int)vl, v);
            }
            s->call = (uint8_t)c;
            have_call = s->has_call = 1;
        } else if (kl == 5 && !strncmp(w, "count", 5) && !have_count) {
            int ok = vl >= 1 && vl <= 20;
            for (size_t k = 0; ok && k < vl; k++)
                ok = isdigit((unsigned char)v[k]);
            if (ok) {
                memcpy(num, v, vl);
                num[vl] = 0;
                errno = 0;
                s->count = strtoull(num, NULL, 10);
                ok = errno == 0;
            }
            if (!ok) {
                return aot_fail(err, "count=%.*s is not a decimal count", (int)vl, v);
            }
            have_count = 1;
        } else {
            return aot_fail(err, "unexpected field '%.*s' (want addr=, call=, count=, once each)",
                            (int)kl, w);
        }
    }
    if (!have_addr || !have_count) {
        return aot_fail(err, "missing %s", !have_addr ? "addr=" : "count=");
    }
    return 0;
}

static void chomp(char *l)
{
    size_t n = strlen(l);
    while (n && (l[n - 1] == '\n' || l[n - 1] == '\r'))
        l[--n] = 0;
}

static int by_addr(const void *a, const void *b)
{
    const struct psite *x = a, *y = b;
    return (x->addr > y->addr) - (x->addr < y->addr);
}

/* A "profile begin" line is the block wanted: with a phase, the one saying phase=PHASE; without,
 * one that names no phase or phase=total (the Linux workload's whole run). */
static int block_wanted(const char *line, const char *phase)
{
    const char *p = strstr(line, " phase=");
    size_t n = 0;
    if (p) {
        p += 7;
        while (p[n] && p[n] != ' ' && p[n] != '\n' && p[n] != '\r')
            n++;
    }
    if (!phase)
        return !p || (n == 5 && !strncmp(p, "total", 5));
    return p && strlen(phase) == n && !strncmp(p, phase, n);
}

/* Where a log's profile block is: lines begin_line..end_line (0, 0: no block, the whole file is
 * a profile). */
struct block {
    unsigned begin_line, end_line;
};

/* Pass 1: is path a log with a profile block (of this phase)?  0, or -1 and err. */
static int find_block(FILE *f, const char *path, const char *phase, struct block *blk,
                      struct aot_err *err)
{
    char *line = NULL;
    size_t lcap = 0;
    unsigned lineno = 0;
    int in_other = 0, any_block = 0, rc = -1;
    *blk = (struct block){ 0, 0 };
    while (getline(&line, &lcap, f) >= 0) {
        lineno++;
        if (!strncmp(line, "profile begin", 13) && (line[13] == ' ' || line[13] == '\n' ||
                                                    line[13] == '\r' || !line[13])) {
            any_block = 1;
            if (!block_wanted(line, phase)) {
                in_other = 1;          /* another phase's block: skipped whole */
                continue;
            }
            if (blk->begin_line) {
                aot_fail(err, "%s:%u: a second profile block (the first began on line %u)", path,
                         lineno, blk->begin_line);
                goto out;
            }
            blk->begin_line = lineno;
        } else if (!strncmp(line, "profile end", 11)) {
            if (in_other) {
                in_other = 0;
                continue;
            }
            if (!blk->begin_line || blk->end_line) {
                aot_fail(err, "%s:%u: profile end without profile begin", path, lineno);
                goto out;
            }
            blk->end_line = lineno;
        }
    }
    if (any_block && !blk->begin_line)
        aot_fail(err, "%s: no profile block %s%s", path, phase ? "of phase " : "for the whole run"
                 " (phase=total; give --phase NAME)", phase ? phase : "");
    else if (blk->begin_line && !blk->end_line)
        aot_fail(err, "%s:%u: profile begin without profile end (a truncated log?)", path,
                 blk->begin_line);
    else if (ferror(f))
        aot_fail(err, "%s: %s", path, strerror(errno));
    else
        rc = 0;
out:
    free(line);
    return rc;
}

/* One "site ..." line (p, its indentation skipped) appended to pr.  0, or -1 and err. */
static int add_site(struct profile *pr, const char *p, const char *path, unsigned lineno,
                    struct aot_err *err)
{
    struct aot_err why;
    if (strncmp(p, "site", 4) || (p[4] != ' ' && p[4] != '\t'))
        return aot_fail(err, "%s:%u: not a profile line (want 'site addr=0x... call=NAME "
                        "count=N')", path, lineno);
    if (pr->n == pr->cap) {
        size_t nc = pr->cap ? pr->cap * 2 : 256;
        struct psite *nv = realloc(pr->v, nc * sizeof *nv);
        if (!nv)
            return aot_fail(err, "%s:%u: out of memory", path, lineno);
        pr->v = nv;
        pr->cap = nc;
    }
    struct psite *s = &pr->v[pr->n];
    memset(s, 0, sizeof *s);
    s->line = lineno;
    s->decision = s->reason = -1;
    if (parse_site((char *)p, s, &why) != 0)
        return aot_fail(err, "%s:%u: %s", path, lineno, why.msg);
    /* the total (and so every count) stays a signed 64-bit integer: the JSON's numbers */
    if (s->count > (uint64_t)INT64_MAX - pr->total)
        return aot_fail(err, "%s:%u: the counts add up to more than 2^63 - 1", path, lineno);
    pr->total += s->count;
    pr->n++;
    return 0;
}

/* Pass 2: the site lines of the file (or of its block); the block's end line's sites= checked.
 * 0, or -1 and err. */
static int read_sites(FILE *f, const char *path, const struct block *blk, struct profile *pr,
                      struct aot_err *err)
{
    char *line = NULL;
    size_t lcap = 0;
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &lcap, f) >= 0) {
        lineno++;
        if (blk->begin_line && (lineno <= blk->begin_line || lineno > blk->end_line))
            continue;
        chomp(line);
        if (lineno == blk->end_line) {
            char *s = strstr(line, " sites=");
            if (s && strtoul(s + 7, NULL, 10) != pr->n)
                rc = aot_fail(err, "%s:%u: profile end says sites=%lu, the block has %zu site "
                              "lines", path, lineno, strtoul(s + 7, NULL, 10), pr->n);
            break;
        }
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != '#')
            rc = add_site(pr, p, path, lineno, err);
    }
    free(line);
    return rc;
}

/* The sites in address order, none twice.  0, or -1 and err. */
static int sort_sites(struct profile *pr, const char *path, const struct block *blk,
                      struct aot_err *err)
{
    if (pr->n == 0) {
        if (blk->begin_line)
            return aot_fail(err, "%s:%u: the profile block has no site lines", path,
                            blk->begin_line);
        return aot_fail(err, "%s: no site lines (neither a profile nor a log with a profile "
                        "block)", path);
    }
    qsort(pr->v, pr->n, sizeof pr->v[0], by_addr);
    for (size_t k = 1; k < pr->n; k++)
        if (pr->v[k].addr == pr->v[k - 1].addr) {
            unsigned a = pr->v[k - 1].line, b = pr->v[k].line;
            return aot_fail(err, "%s:%u: site 0x%08x already on line %u", path, a > b ? a : b,
                            pr->v[k].addr, a < b ? a : b);
        }
    return 0;
}

/* Reads path: a profile file, or a log with one profile block (of the phase asked for).  0, or -1
 * and err. */
static int read_profile(const char *path, const char *phase, struct profile *pr,
                        struct aot_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return aot_fail(err, "%s: %s", path, strerror(errno));
    struct block blk;
    int rc = find_block(f, path, phase, &blk, err);
    if (rc == 0) {
        rewind(f);
        rc = read_sites(f, path, &blk, pr, err);
    }
    if (rc == 0)
        rc = sort_sites(pr, path, &blk, err);
    fclose(f);
    return rc;
}

static int by_count(const void *a, const void *b)
{
    const struct psite *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Plans the image's sites against the ROM as a kernel does at boot (a session: the ROM at
 * vmi_rom_area, else where the harness maps it) and records each profiled site's decision.  0,
 * or -1 and err. */
static int decide(const struct prof_site_opts *o, struct aot_session *ss, struct profile *pr,
                  struct aot_err *err)
{
    struct aot_symbol sym;
    if (aot_session_load_rom(ss, o->rom, err) != 0)
        return -1;
    int has = aot_image_symbol(&ss->img, "vmi_rom_area", &sym, err);
    if (has < 0 ||
        aot_session_place(ss, has ? sym.value : DEFAULT_ROM_BASE, err) != 0 ||
        aot_session_read_sites(ss, err) != 0 ||
        aot_session_plan(ss, (enum vmi_policy)o->policy, err) != 0)
        return -1;
    const struct vmi_plan *plan = &ss->plan;
    for (size_t k = 0; k < pr->n; k++)
        for (uint32_t i = 0; i < plan->count; i++)
            if (plan->sites[i].addr == pr->v[k].addr) {
                pr->v[k].decision = plan->sites[i].decision;
                pr->v[k].reason = plan->sites[i].reason;
                break;
            }
    return 0;
}

/* Each profiled address to the image's site there, its call checked.  0, or -1 and err. */
static int match_sites(const struct prof_site_opts *o, const struct aot_image *img,
                       struct profile *pr, struct aot_err *err)
{
    for (size_t k = 0; k < pr->n; k++) {
        struct psite *s = &pr->v[k];
        s->site = aot_image_site_at(img, s->addr);
        if (!s->site || s->site->addr != s->addr)
            return aot_fail(err, "%s:%u: no site of %s at 0x%08x (a profile of another image?)",
                            o->profile, s->line, o->image, s->addr);
        if (!s->has_call && !img->lx)
            return aot_fail(err, "%s:%u: missing call= (only a Linux kernel's profile may leave "
                            "it to the image)", o->profile, s->line);
        if (!s->has_call)
            s->call = s->site->call;
        if (s->site->call != s->call)
            return aot_fail(err, "%s:%u: the site at 0x%08x is %s in %s, not %s", o->profile,
                            s->line, s->addr, vmi_call_name(s->site->call), o->image,
                            vmi_call_name(s->call));
    }
    return 0;
}

/* The text's two header lines. */
static void print_head(FILE *out, const struct prof_site_opts *o, const struct profile *pr,
                       const struct aot_image *img, size_t rows)
{
    fprintf(out, "%zu sites (of the image's %zu), %" PRIu64 " executions; the %zu hottest%s\n",
            pr->n, img->nsites, pr->total, rows,
            o->rom || img->lx ? "" : " (decision: give --rom to plan the image's sites)");
    fprintf(out, "%4s %-10s %12s %7s  %-18s %-22s %-32s %s\n", "rank", "addr", "count",
            "share", "call", img->lx ? "pv op" : "decision", "function", "file:line");
}

/* The JSON document's members before "top" (docs/schema/vmi-prof.sites.json), or NULL on out of
 * memory. */
static json_t *sites_head_json(const struct prof_site_opts *o, const struct profile *pr,
                               const struct aot_image *img)
{
    json_t *doc = aot_json_doc(PROF_TOOL, PROF_SITES_SCHEMA);
    int bad = aot_json_set(doc, "profile", aot_json_string(o->profile));
    bad |= aot_json_set(doc, "phase", aot_json_string(o->phase));
    bad |= aot_json_set(doc, "image", aot_json_string(o->image));
    bad |= aot_json_set(doc, "kind", json_string(img->lx ? "linux" : "vmi"));
    bad |= aot_json_set(doc, "sites", json_integer((json_int_t)pr->n));
    bad |= aot_json_set(doc, "image_sites", json_integer((json_int_t)img->nsites));
    bad |= aot_json_set(doc, "executions", json_integer((json_int_t)pr->total));  /* < 2^63: add_site */
    bad |= aot_json_set(doc, "policy", o->rom ? json_string(vmi_policy_name((unsigned)o->policy))
                                              : json_null());
    if (bad)
        json_decref(doc);
    return bad ? NULL : doc;
}

/* What the row says of the site: a Linux kernel's pv op, else the plan's decision and reason. */
static void decision_text(const struct aot_image *img, const struct psite *s, char *dec,
                          size_t cap)
{
    snprintf(dec, cap, "-");
    if (img->lx)
        snprintf(dec, cap, "%s", aot_linux_op_name(img->lx, img->lx->rec_type[s->site->rec_index]));
    else if (s->decision >= 0)
        snprintf(dec, cap, "%s/%s", vmi_decision_name((unsigned)s->decision),
                 vmi_reason_name((unsigned)s->reason));
}

/* One element of "top": a new object, or NULL on out of memory.  share is in percent. */
static json_t *row_json(const struct aot_image *img, const struct psite *s, size_t k,
                        double share, const struct aot_site_info *si)
{
    int known = s->decision >= 0;
    json_t *o = json_pack("{s:I, s:o, s:s, s:I, s:o, s:o, s:o, s:o}",
                          "rank", (json_int_t)(k + 1), "addr", aot_json_addr(s->addr),
                          "call", vmi_call_name(s->call), "count", (json_int_t)s->count,
                          "share", aot_json_real(share / 100.0, 6),
                          "decision", known ? json_string(vmi_decision_name((unsigned)s->decision))
                                            : json_null(),
                          "reason", known ? json_string(vmi_reason_name((unsigned)s->reason))
                                          : json_null(),
                          "op", img->lx ? aot_json_string(aot_linux_op_name(
                                              img->lx, img->lx->rec_type[s->site->rec_index]))
                                        : json_null());
    if (aot_json_set_location(o, si->func, si->file, si->line) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The rows, as text or (js not NULL) JSON elements of "top"; each row's bar label too when bars
 * is not NULL. */
static void print_rows(FILE *out, struct aot_json_stream *js, const struct profile *pr,
                       const struct aot_image *img, const struct aot_dwarf *dw, size_t rows,
                       struct site_bar *bars)
{
    for (size_t k = 0; k < rows; k++) {
        const struct psite *s = &pr->v[k];
        struct aot_site_info si;
        aot_site_info(img, dw, s->site, &si);
        double share = pr->total ? 100.0 * (double)s->count / (double)pr->total : 0.0;
        char dec[48];
        decision_text(img, s, dec, sizeof dec);
        if (js) {
            aot_json_stream_item(js, row_json(img, s, k, share, &si));
        } else {
            char loc[600];
            snprintf(loc, sizeof loc, "%s:%u", si.file, si.line);
            fprintf(out, "%4zu 0x%08x %12" PRIu64 " %6.2f%%  %-18s %-22s %-32s %s\n", k + 1,
                    s->addr, s->count, share, vmi_call_name(s->call), dec, si.func, loc);
        }
        if (bars) {
            snprintf(bars[k].label, sizeof bars[k].label, "%2zu 0x%08x %s %s", k + 1, s->addr,
                     dec[0] == '-' ? vmi_call_name(s->call) : dec, si.func);
            bars[k].count = s->count;
        }
    }
}

/* The report: the table, or the JSON document (its rows streamed, one per line).  0, or -1 when
 * it could not be written (out of memory, or a write error: ferror(out)). */
static int print_report(FILE *out, const struct prof_site_opts *o, const struct profile *pr,
                        const struct aot_image *img, const struct aot_dwarf *dw, size_t rows,
                        struct site_bar *bars)
{
    if (!o->json) {
        print_head(out, o, pr, img, rows);
        print_rows(out, NULL, pr, img, dw, rows, bars);
        return fflush(out) == 0 ? 0 : -1;
    }
    struct aot_json_stream js;
    aot_json_stream_begin(&js, out, sites_head_json(o, pr, img), "top");
    print_rows(out, &js, pr, img, dw, rows, bars);
    return aot_json_stream_end(&js) == 0 && fflush(out) == 0 ? 0 : -1;
}

/* The chart of the rows, into the temporary file opened before anything was printed.  0, or -1
 * and err. */
static int write_sites_chart(const struct prof_site_opts *o, struct aot_outfile *cf,
                             const struct profile *pr, const struct site_bar *bars, size_t rows,
                             struct aot_err *err)
{
    char title[300];
    size_t l = strlen(o->chart);
    snprintf(title, sizeof title, "the %zu hottest of %zu sites, %" PRIu64 " executions%s%s",
             rows, pr->n, pr->total, o->phase ? ", phase " : "", o->phase ? o->phase : "");
    const char *tmp = aot_outfile_by_name(cf);
    if (!tmp || prof_sites_chart(tmp, l > 4 && !strcmp(o->chart + l - 4, ".png"), title, bars,
                                 rows) != 0 ||
        aot_outfile_commit(cf, aot_outfile_mode(), err) != 0) {
        aot_outfile_abort(cf);
        return aot_fail(err, "%s: the chart could not be written", o->chart);
    }
    return 0;
}

/* Everything one --sites run holds. */
struct sites_run {
    struct profile pr;
    struct aot_session ss;      /* the image; with --rom the ROM and the plan */
    struct aot_dwarf *dw;
    struct aot_err err;
    struct aot_outfile cf;
    struct site_bar *bars;
    size_t rows;
};

/* The profile, the image and its sites, the DWARF lines, the plan (with --rom).  0, or -1 and
 * err. */
static int locate_and_plan(const struct prof_site_opts *o, struct sites_run *r)
{
    struct aot_image *img = &r->ss.img;
    if (read_profile(o->profile, o->phase, &r->pr, &r->err) != 0 ||
        aot_session_open_image(&r->ss, o->image, AOT_OPEN_LINUX, &r->err) != 0 ||
        match_sites(o, img, &r->pr, &r->err) != 0 ||
        aot_dwarf_open(&r->dw, img, &r->err) != 0)
        return -1;
    if (o->rom && img->lx)
        return aot_fail(&r->err, "--rom: the decisions of a Linux kernel's sites are the "
                        "loader's (its vmi-loader: lines); give no --rom with %s", o->image);
    if (o->rom && decide(o, &r->ss, &r->pr, &r->err) != 0)
        return -1;
    return 0;
}

/* The rows chosen (the hottest first) and the chart's file opened.  0, or -1 and err. */
static int open_chart(const struct prof_site_opts *o, struct sites_run *r)
{
    qsort(r->pr.v, r->pr.n, sizeof r->pr.v[0], by_count);
    r->rows = o->top && o->top < r->pr.n ? o->top : r->pr.n;
    if (!o->chart)
        return 0;
    if (aot_outfile_open(&r->cf, o->chart, &r->err) != 0)
        return -1;
    r->bars = calloc(r->rows ? r->rows : 1, sizeof *r->bars);
    if (!r->bars) {
        aot_outfile_abort(&r->cf);
        return aot_fail(&r->err, "out of memory for the chart");
    }
    return 0;
}

/* The phases of --sites: locate and plan, the chart's file opened, the rows printed (report), the
 * chart written.  Only this function prints. */
int prof_sites_run(const struct prof_site_opts *o, FILE *out)
{
    static struct sites_run zero;
    struct sites_run r = zero;
    int rc = 1;
    aot_session_init(&r.ss);
    if (locate_and_plan(o, &r) != 0 || open_chart(o, &r) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", r.err.msg);
        goto out;
    }
    rc = print_report(out, o, &r.pr, &r.ss.img, r.dw, r.rows, r.bars) == 0 ? 0 : 1;
    if (rc)
        fprintf(stderr, "vmi-prof: writing the report: %s\n",
                ferror(out) ? strerror(errno) : "out of memory");
    if (r.bars && write_sites_chart(o, &r.cf, &r.pr, r.bars, r.rows, &r.err) != 0) {
        fprintf(stderr, "vmi-prof: %s\n", r.err.msg);
        rc = 1;
    }
out:
    aot_outfile_abort(&r.cf);         /* opened and not written: a failed run leaves no file */
    free(r.bars);
    if (r.dw)
        aot_dwarf_close(r.dw);
    aot_session_close(&r.ss);
    free(r.pr.v);
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
