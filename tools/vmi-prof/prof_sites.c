/* vmi-prof --sites PROFILE --image ELF [--rom ROM [--policy P]] [--top N] [--json]
 *
 * PROFILE is either a profile file (docs/specializer.md: "#" comments, blank lines and one line
 * "site addr=0x... call=NAME count=N" per site) or a serial log holding one profile block between
 * "profile begin ..." and "profile end ..." lines (the guest's pv-count mode); everything outside
 * the block is ignored.  Every site of the profile must be a site of ELF with the same call (the
 * profile was taken of that image).  Functions come from the symbol table, file:line from DWARF,
 * through vmi-aot's own objects.  With --rom, the image's sites are planned against the ROM as a
 * kernel does at boot (vmi_plan_build, GetRelocationInfo executed by check-rom's emulator) and each
 * row says what the plan decided and why. */
#define _GNU_SOURCE
#include "prof_sites.h"
#include "prof_sites_chart.h"
#include "prof_outfile.h"

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
#include "site_info.h"
#include "vmi_inliner.h"

#define DEFAULT_ROM_BASE 0xc8800u   /* an image without vmi_rom_area: where the harness maps it */

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

/* One "site ..." line (its first word already checked).  0, or -1 with the reason in why. */
static int parse_site(char *p, struct psite *s, char *why, size_t cap)
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
            snprintf(why, cap, "'%.*s' is not key=value", (int)wl, w);
            return -1;
        }
        size_t kl = (size_t)(eq - w), vl = wl - kl - 1;
        const char *v = eq + 1;
        char num[32];
        if (kl == 4 && !strncmp(w, "addr", 4) && !have_addr) {
            if (vl < 3 || vl > 10 || v[0] != '0' || v[1] != 'x') {
                snprintf(why, cap, "addr=%.*s is not 0x and 1 to 8 hex digits", (int)vl, v);
                return -1;
            }
            for (size_t k = 2; k < vl; k++)
                if (!isxdigit((unsigned char)v[k])) {
                    snprintf(why, cap, "addr=%.*s is not 0x and 1 to 8 hex digits", (int)vl, v);
                    return -1;
                }
            memcpy(num, v, vl);
            num[vl] = 0;
            s->addr = (uint32_t)strtoul(num, NULL, 16);
            have_addr = 1;
        } else if (kl == 4 && !strncmp(w, "call", 4) && !have_call) {
            int c = call_by_name(v, vl);
            if (c < 0) {
                snprintf(why, cap, "call=%.*s is not a VMI call", (int)vl, v);
                return -1;
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
                snprintf(why, cap, "count=%.*s is not a decimal count", (int)vl, v);
                return -1;
            }
            have_count = 1;
        } else {
            snprintf(why, cap, "unexpected field '%.*s' (want addr=, call=, count=, once each)",
                     (int)kl, w);
            return -1;
        }
    }
    if (!have_addr || !have_count) {
        snprintf(why, cap, "missing %s", !have_addr ? "addr=" : "count=");
        return -1;
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

/* Reads path: a profile file, or a log with one profile block (of the phase asked for).  0, or -1
 * and one line in why. */
static int read_profile(const char *path, const char *phase, struct profile *pr, char *why,
                        size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL, r[200];
    size_t lcap = 0;
    unsigned lineno = 0, begin_line = 0, end_line = 0;
    int rc = -1;
    /* pass 1: is it a log with a block (of this phase)? */
    int in_other = 0, any_block = 0;
    while (getline(&line, &lcap, f) >= 0) {
        lineno++;
        if (!strncmp(line, "profile begin", 13) && (line[13] == ' ' || line[13] == '\n' ||
                                                    line[13] == '\r' || !line[13])) {
            any_block = 1;
            if (!block_wanted(line, phase)) {
                in_other = 1;          /* another phase's block: skipped whole */
                continue;
            }
            if (begin_line) {
                snprintf(why, cap, "%s:%u: a second profile block (the first began on line %u)",
                         path, lineno, begin_line);
                goto out;
            }
            begin_line = lineno;
        } else if (!strncmp(line, "profile end", 11)) {
            if (in_other) {
                in_other = 0;
                continue;
            }
            if (!begin_line || end_line) {
                snprintf(why, cap, "%s:%u: profile end without profile begin", path, lineno);
                goto out;
            }
            end_line = lineno;
        }
    }
    if (any_block && !begin_line) {
        snprintf(why, cap, "%s: no profile block %s%s", path, phase ? "of phase " : "for the whole run"
                 " (phase=total; give --phase NAME)", phase ? phase : "");
        goto out;
    }
    if (begin_line && !end_line) {
        snprintf(why, cap, "%s:%u: profile begin without profile end (a truncated log?)", path,
                 begin_line);
        goto out;
    }
    if (ferror(f)) {
        snprintf(why, cap, "%s: %s", path, strerror(errno));
        goto out;
    }
    rewind(f);
    lineno = 0;
    while (getline(&line, &lcap, f) >= 0) {
        lineno++;
        if (begin_line && (lineno <= begin_line || lineno > end_line))
            continue;
        chomp(line);
        if (lineno == end_line) {
            char *s = strstr(line, " sites=");
            if (s && strtoul(s + 7, NULL, 10) != pr->n) {
                snprintf(why, cap, "%s:%u: profile end says sites=%lu, the block has %zu site "
                         "lines", path, lineno, strtoul(s + 7, NULL, 10), pr->n);
                goto out;
            }
            break;
        }
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        if (strncmp(p, "site", 4) || (p[4] != ' ' && p[4] != '\t')) {
            snprintf(why, cap, "%s:%u: not a profile line (want 'site addr=0x... call=NAME "
                     "count=N')", path, lineno);
            goto out;
        }
        if (pr->n == pr->cap) {
            size_t nc = pr->cap ? pr->cap * 2 : 256;
            struct psite *nv = realloc(pr->v, nc * sizeof *nv);
            if (!nv) {
                snprintf(why, cap, "%s:%u: out of memory", path, lineno);
                goto out;
            }
            pr->v = nv;
            pr->cap = nc;
        }
        struct psite *s = &pr->v[pr->n];
        memset(s, 0, sizeof *s);
        s->line = lineno;
        s->decision = s->reason = -1;
        if (parse_site((char *)p, s, r, sizeof r) != 0) {
            snprintf(why, cap, "%s:%u: %s", path, lineno, r);
            goto out;
        }
        if (pr->total + s->count < pr->total) {
            snprintf(why, cap, "%s:%u: the counts overflow 64 bits", path, lineno);
            goto out;
        }
        pr->total += s->count;
        pr->n++;
    }
    if (pr->n == 0) {
        if (begin_line)
            snprintf(why, cap, "%s:%u: the profile block has no site lines", path, begin_line);
        else
            snprintf(why, cap, "%s: no site lines (neither a profile nor a log with a profile "
                     "block)", path);
        goto out;
    }
    qsort(pr->v, pr->n, sizeof pr->v[0], by_addr);
    for (size_t k = 1; k < pr->n; k++)
        if (pr->v[k].addr == pr->v[k - 1].addr) {
            unsigned a = pr->v[k - 1].line, b = pr->v[k].line;
            snprintf(why, cap, "%s:%u: site 0x%08x already on line %u", path, a > b ? a : b,
                     pr->v[k].addr, a < b ? a : b);
            goto out;
        }
    rc = 0;
out:
    free(line);
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

/* Plans the image's sites against the ROM and records each profiled site's decision.  0, or 1
 * with why[] filled. */
static int decide(const struct prof_site_opts *o, const struct aot_image *img,
                  struct profile *pr, char *why, size_t cap)
{
    struct aot_rom rom;
    struct aot_err err;
    struct vmi_error ve;
    struct vmi_rom vrom;
    static struct vmi_reloc_table relocs;
    int rc = 1;
    if (aot_rom_load(&rom, o->rom, &err) != 0) {
        snprintf(why, cap, "%s", err.msg);
        return 1;
    }
    struct aot_symbol sym;
    uint32_t base = DEFAULT_ROM_BASE;
    int has = aot_image_symbol(img, "vmi_rom_area", &sym, &err);
    if (has < 0) {
        snprintf(why, cap, "%s", err.msg);
        goto done;
    }
    if (has)
        base = sym.value;
    uint32_t n = (uint32_t)img->nsites;
    struct vmi_site_info *ts = calloc(n ? n : 1, sizeof *ts);
    struct vmi_site_plan *ps = calloc(n ? n : 1, sizeof *ps);
    uint8_t *code = NULL;
    if (!ts || !ps) {
        snprintf(why, cap, "%s: out of memory for %u sites", img->path, n);
        goto free_all;
    }
    if (aot_rom_base_ok(&rom, base, &err) != 0 || aot_rom_relocs(&rom, base, &relocs, &err) != 0) {
        snprintf(why, cap, "%s", err.msg);
        goto free_all;
    }
    if (vmi_rom_probe(&vrom, rom.img, rom.size, base, 0, &ve) != VMI_OK) {
        aot_fail_vmi(&err, &ve, "%s: the inliner's probe refuses the ROM", o->rom);
        snprintf(why, cap, "%s", err.msg);
        goto free_all;
    }
    struct vmi_site_table table = { ts, 0, n };
    if (vmi_sites_read(&table, img->data + img->site_table->offset, img->site_table->addr,
                       img->site_table->size, &ve) != VMI_OK) {
        aot_fail_vmi(&err, &ve, "%s: the inliner refuses the site table", img->path);
        snprintf(why, cap, "%s", err.msg);
        goto free_all;
    }
    struct vmi_plan_size need;          /* the core's sizing */
    vmi_plan_size_for(&table, &need);
    if (!(code = malloc(need.code ? need.code : 1))) {
        snprintf(why, cap, "%s: out of memory for %u sites", img->path, n);
        goto free_all;
    }
    struct vmi_plan plan;
    struct vmi_plan_options opt = { (enum vmi_policy)o->policy, 0 };
    vmi_plan_init(&plan, ps, n, code, need.code);
    if (vmi_plan_build(&plan, &table, &vrom, &relocs, &opt, &ve) != VMI_OK) {
        aot_fail_vmi(&err, &ve, "%s: plan", img->path);
        snprintf(why, cap, "%s", err.msg);
        goto free_all;
    }
    for (size_t k = 0; k < pr->n; k++)
        for (uint32_t i = 0; i < plan.count; i++)
            if (plan.sites[i].addr == pr->v[k].addr) {
                pr->v[k].decision = plan.sites[i].decision;
                pr->v[k].reason = plan.sites[i].reason;
                break;
            }
    rc = 0;
free_all:
    free(ts);
    free(ps);
    free(code);
done:
    aot_rom_free(&rom);
    return rc;
}

/* Each profiled address to the image's site there, its call checked.  0, or 1 with why[]. */
static int match_sites(const struct prof_site_opts *o, const struct aot_image *img,
                       struct profile *pr, char *why, size_t cap)
{
    for (size_t k = 0; k < pr->n; k++) {
        struct psite *s = &pr->v[k];
        s->site = aot_image_site_at(img, s->addr);
        if (!s->site || s->site->addr != s->addr) {
            snprintf(why, cap, "%s:%u: no site of %s at 0x%08x (a profile of another image?)",
                     o->profile, s->line, o->image, s->addr);
            return 1;
        }
        if (!s->has_call && !img->lx) {
            snprintf(why, cap, "%s:%u: missing call= (only a Linux kernel's profile may leave it "
                     "to the image)", o->profile, s->line);
            return 1;
        }
        if (!s->has_call)
            s->call = s->site->call;
        if (s->site->call != s->call) {
            snprintf(why, cap, "%s:%u: the site at 0x%08x is %s in %s, not %s", o->profile,
                     s->line, s->addr, vmi_call_name(s->site->call), o->image,
                     vmi_call_name(s->call));
            return 1;
        }
    }
    return 0;
}

static void print_head(FILE *out, const struct prof_site_opts *o, const struct profile *pr,
                       const struct aot_image *img, size_t rows)
{
    if (o->json) {
        fprintf(out, "{\"profile\": ");
        aot_json_str(out, o->profile);
        fprintf(out, ", \"image\": ");
        aot_json_str(out, o->image);
        fprintf(out, ", \"sites\": %zu, \"image_sites\": %zu, \"executions\": %" PRIu64
                ", \"policy\": ", pr->n, img->nsites, pr->total);
        if (o->rom)
            aot_json_str(out, vmi_policy_name((unsigned)o->policy));
        else
            fputs("null", out);
        fprintf(out, ", \"top\": [");
    } else {
        fprintf(out, "%zu sites (of the image's %zu), %" PRIu64 " executions; the %zu hottest%s\n",
                pr->n, img->nsites, pr->total, rows,
                o->rom || img->lx ? "" : " (decision: give --rom to plan the image's sites)");
        fprintf(out, "%4s %-10s %12s %7s  %-18s %-22s %-32s %s\n", "rank", "addr", "count",
                "share", "call", img->lx ? "pv op" : "decision", "function", "file:line");
    }
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

static void print_row_json(FILE *out, const struct aot_image *img, const struct psite *s,
                           size_t k, double share, const char *dec,
                           const struct aot_site_info *si)
{
    fprintf(out, "%s\n  {\"rank\": %zu, \"addr\": \"0x%08x\", \"call\": \"%s\", "
            "\"count\": %" PRIu64 ", \"share\": %.6f, \"decision\": ", k ? "," : "",
            k + 1, s->addr, vmi_call_name(s->call), s->count, share / 100.0);
    if (s->decision >= 0) {
        aot_json_str(out, vmi_decision_name((unsigned)s->decision));
        fprintf(out, ", \"reason\": ");
        aot_json_str(out, vmi_reason_name((unsigned)s->reason));
    } else
        fprintf(out, "null, \"reason\": null");
    if (img->lx) {
        fprintf(out, ", \"op\": ");
        aot_json_str(out, dec);
    }
    fprintf(out, ", \"function\": ");
    aot_json_str(out, si->func);
    fprintf(out, ", \"file\": ");
    aot_json_str(out, si->file);
    fprintf(out, ", \"line\": %u}", si->line);
}

/* The rows, as text or JSON; each row's bar label too when bars is not NULL. */
static void print_rows(FILE *out, const struct prof_site_opts *o, const struct profile *pr,
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
        if (o->json) {
            print_row_json(out, img, s, k, share, dec, &si);
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
    if (o->json)
        fprintf(out, "\n]}\n");
}

/* The chart of the rows, into the temporary file opened before anything was printed. */
static int write_sites_chart(const struct prof_site_opts *o, struct prof_outfile *cf,
                             const struct profile *pr, const struct site_bar *bars, size_t rows)
{
    char title[300], why[600];
    size_t l = strlen(o->chart);
    snprintf(title, sizeof title, "the %zu hottest of %zu sites, %" PRIu64 " executions%s%s",
             rows, pr->n, pr->total, o->phase ? ", phase " : "", o->phase ? o->phase : "");
    if (prof_sites_chart(cf->tmp, l > 4 && !strcmp(o->chart + l - 4, ".png"), title, bars,
                         rows) != 0 ||
        prof_outfile_commit(cf, NULL, why, sizeof why) != 0) {
        fprintf(stderr, "vmi-prof: %s: the chart could not be written\n", o->chart);
        prof_outfile_abort(cf);
        return 1;
    }
    return 0;
}

/* The phases of --sites: the profile, the image and its sites, the DWARF lines, the plan (with
 * --rom), the chart's file opened, the rows printed, the chart written. */
int prof_sites_run(const struct prof_site_opts *o, FILE *out)
{
    struct profile pr = { 0 };
    struct aot_image img;
    struct aot_dwarf *dw = NULL;
    struct aot_err err;
    char why[600];
    int rc = 1, img_open = 0;
    struct site_bar *bars = NULL;

    if (read_profile(o->profile, o->phase, &pr, why, sizeof why) != 0)
        goto fail;
    if (aot_image_open(&img, o->image, AOT_OPEN_LINUX, &err) != 0)
        goto fail_err;
    img_open = 1;
    if (match_sites(o, &img, &pr, why, sizeof why) != 0)
        goto fail;
    if (aot_dwarf_open(&dw, &img, &err) != 0)
        goto fail_err;
    if (o->rom && img.lx) {
        snprintf(why, sizeof why, "--rom: the decisions of a Linux kernel's sites are the "
                 "loader's (its vmi-loader: lines); give no --rom with %s", o->image);
        goto fail;
    }
    if (o->rom && decide(o, &img, &pr, why, sizeof why) != 0)
        goto fail;

    qsort(pr.v, pr.n, sizeof pr.v[0], by_count);
    size_t rows = o->top && o->top < pr.n ? o->top : pr.n;
    struct prof_outfile cf = { 0 };
    if (o->chart) {
        if (prof_outfile_open(&cf, o->chart, why, sizeof why) != 0)
            goto fail;
        prof_outfile_close_fd(&cf);
        bars = calloc(rows ? rows : 1, sizeof *bars);
        if (!bars) {
            prof_outfile_abort(&cf);
            snprintf(why, sizeof why, "out of memory for the chart");
            goto fail;
        }
    }
    print_head(out, o, &pr, &img, rows);
    print_rows(out, o, &pr, &img, dw, rows, bars);
    rc = fflush(out) == 0 ? 0 : 1;
    if (rc)
        fprintf(stderr, "vmi-prof: writing the report: %s\n", strerror(errno));
    if (bars && write_sites_chart(o, &cf, &pr, bars, rows) != 0)
        rc = 1;
    goto out;
fail_err:
    snprintf(why, sizeof why, "%s", err.msg);
fail:
    fprintf(stderr, "vmi-prof: %s\n", why);
out:
    free(bars);
    if (dw)
        aot_dwarf_close(dw);
    if (img_open)
        aot_image_close(&img);
    free(pr.v);
    return rc;
}
