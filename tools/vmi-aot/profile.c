/* Execution profiles for specialize: see profile.h.
 *
 * The reserve a site needs: the shortest ROM body the planner could inline there whatever the
 * site's length, i.e. the variant for the site's constant (when the ROM has one) or the call's
 * generic body, among those whose clobbers the site allows (plan.c's choose_body, with the
 * length test left out).  A site with no such body is not inlined by any reserve.
 *
 * The suggested reserve of a call: every site of a call has the same reserve (the glue lays down
 * vmi_call_table[call].reserve bytes), so the reserve R inlines exactly the executed sites whose
 * need is <= R.  The suggestion is the smallest R whose inlined executions are at least the share
 * asked for of the call's executions, but never below what the call needs without inlining
 * (its native sequence, and 5 bytes for a rel32 call or jmp).  When the sites with a usable body
 * carry less than the share, no R reaches it: the suggestion is then the largest need (it inlines
 * everything that can be), marked unreachable. */
#include "profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "site_info.h"
#include "vmi_abi.h"

#define REL32_LEN 5u

/* ---- reading ---- */

void aot_profile_free(struct aot_profile *p)
{
    free(p->count);
    memset(p, 0, sizeof *p);
}

static const struct aot_site *site_exact(const struct aot_image *img, uint32_t addr)
{
    const struct aot_site *s = aot_image_site_at(img, addr);
    return s && s->addr == addr ? s : NULL;
}

static int parse_hex32(const char *s, uint32_t *out)
{
    char *end;
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s + 2, &end, 16);
    if (*end || errno || v > 0xffffffffull || s[2] == '-' || s[2] == '+')
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_dec64(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = v;
    return 0;
}

/* A profile being read: where, for which image, and the line that listed each site (0: none
 * yet). */
struct prof_reader {
    struct aot_profile *p;
    const struct aot_image *img;
    uint32_t *line_of;
    uint32_t lineno, listed;
    struct aot_err *err;
};

/* The words of a site line: "site", then addr=, call= and count= once each; other key=value
 * words are skipped (for tools that add some). */
static int site_words(struct prof_reader *rd, char *q, const char **addr_s, const char **call_s,
                      const char **count_s)
{
    const char *path = rd->p->path;
    char *save = NULL, *tok = strtok_r(q, " \t", &save);
    if (strcmp(tok, "site") != 0)
        return aot_fail(rd->err, "%s:%u: not a profile line: expected 'site addr=0x... call=NAME "
                        "count=N' or a # comment", path, rd->lineno);
    while ((tok = strtok_r(NULL, " \t", &save))) {
        const char **slot = !strncmp(tok, "addr=", 5) ? addr_s
                          : !strncmp(tok, "call=", 5) ? call_s
                          : !strncmp(tok, "count=", 6) ? count_s : NULL;
        if (!slot)
            continue;
        if (*slot)
            return aot_fail(rd->err, "%s:%u: '%.*s' given twice", path, rd->lineno,
                            (int)(strchr(tok, '=') - tok + 1), tok);
        *slot = strchr(tok, '=') + 1;
    }
    if (!*addr_s || !*call_s || !*count_s)
        return aot_fail(rd->err, "%s:%u: a site line needs addr=, call= and count= (%s= is "
                        "missing)", path, rd->lineno, !*addr_s ? "addr" : !*call_s ? "call" : "count");
    return 0;
}

/* One site line: an address that is a site of the image, of the call named, not listed before,
 * and a count that keeps the total within 64 bits. */
static int site_line(struct prof_reader *rd, char *q)
{
    const struct aot_image *img = rd->img;
    struct aot_profile *p = rd->p;
    const char *path = p->path, *addr_s = NULL, *call_s = NULL, *count_s = NULL;
    uint32_t addr, lineno = rd->lineno;
    uint64_t count;

    if (site_words(rd, q, &addr_s, &call_s, &count_s) != 0)
        return -1;
    if (parse_hex32(addr_s, &addr) != 0)
        return aot_fail(rd->err, "%s:%u: addr '%s' is not a 32-bit 0x-hex address", path, lineno,
                        addr_s);
    if (parse_dec64(count_s, &count) != 0)
        return aot_fail(rd->err, "%s:%u: count '%s' is not a decimal count", path, lineno,
                        count_s);
    const struct aot_site *s = site_exact(img, addr);
    if (!s)
        return aot_fail(rd->err, "%s:%u: 0x%08x is not a site of %s: the profile is for another "
                        "image", path, lineno, addr, img->path);
    if (strcmp(call_s, aot_call_name(s->call)) != 0)
        return aot_fail(rd->err, "%s:%u: the site at 0x%08x is %s in %s, the profile says %s: the "
                        "profile is for another image", path, lineno, addr, aot_call_name(s->call),
                        img->path, call_s);
    size_t i = (size_t)(s - img->sites);
    if (rd->line_of[i])
        return aot_fail(rd->err, "%s:%u: the site at 0x%08x is listed twice (first at line %u)",
                        path, lineno, addr, rd->line_of[i]);
    if (p->total + count < p->total)
        return aot_fail(rd->err, "%s:%u: the counts add up to more than 2^64", path, lineno);
    rd->line_of[i] = lineno;
    p->count[i] = count;
    p->total += count;
    rd->listed++;
    return 0;
}

/* Every line of f: text without NUL bytes; blank lines and # comments skipped, the rest site
 * lines. */
static int read_lines(struct prof_reader *rd, FILE *f)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;

    while (rc == 0 && (errno = 0, (len = getline(&buf, &cap, f)) >= 0)) {
        rd->lineno++;
        if (memchr(buf, '\0', (size_t)len)) {
            rc = aot_fail(rd->err, "%s:%u: a NUL byte: not a text profile", rd->p->path,
                          rd->lineno);
            break;
        }
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
                           buf[len - 1] == '\t'))
            buf[--len] = '\0';
        char *q = buf + strspn(buf, " \t");
        if (*q && *q != '#')
            rc = site_line(rd, q);
    }
    if (rc == 0 && (errno || ferror(f)))
        rc = aot_fail(rd->err, "%s: cannot read: %s", rd->p->path, strerror(errno ? errno : EIO));
    free(buf);
    return rc;
}

/* Every site of the image is listed; else the first missing one is named. */
static int all_listed(const struct prof_reader *rd)
{
    const struct aot_profile *p = rd->p;
    if (rd->listed == p->nsites)
        return 0;
    size_t i = 0;
    while (i < p->nsites && rd->line_of[i])
        i++;
    return aot_fail(rd->err, "%s: lists %u of the %u sites of %s; the site at 0x%08x (%s) is "
                    "missing: the profile is for another image", p->path, rd->listed, p->nsites,
                    rd->img->path, rd->img->sites[i].addr, aot_call_name(rd->img->sites[i].call));
}

int aot_profile_read(struct aot_profile *p, const char *path, const struct aot_image *img,
                     struct aot_err *err)
{
    memset(p, 0, sizeof *p);
    p->path = path;
    p->nsites = (uint32_t)img->nsites;
    p->count = calloc(p->nsites ? p->nsites : 1, sizeof *p->count);
    struct prof_reader rd = { p, img, calloc(p->nsites ? p->nsites : 1, sizeof *rd.line_of), 0, 0,
                              err };
    FILE *f = NULL;
    int rc = -1;
    if (!p->count || !rd.line_of)
        aot_fail(err, "%s: out of memory for %u sites", path, p->nsites);
    else if (!(f = fopen(path, "r")))
        aot_fail(err, "%s: cannot open: %s", path, strerror(errno));
    else if (read_lines(&rd, f) == 0 && all_listed(&rd) == 0)
        rc = 0;
    if (f)
        fclose(f);
    free(rd.line_of);
    if (rc)
        aot_profile_free(p);
    return rc;
}

int aot_parse_share(const char *s, uint32_t *ppm)
{
    /* "1", "1.0", "0.9", ".95", at most 6 decimals; decimal, no exponent, no sign */
    uint64_t whole = 0, frac = 0, scale = 1000000;
    const char *q = s;
    int digits = 0;
    while (*q >= '0' && *q <= '9' && digits < 3)
        whole = whole * 10 + (uint64_t)(*q++ - '0'), digits++;
    if (*q == '.') {
        q++;
        for (int k = 0; *q >= '0' && *q <= '9'; k++, q++) {
            if (k >= 6)
                return -1;
            scale /= 10;
            frac += (uint64_t)(*q - '0') * scale;
            digits++;
        }
    }
    if (*q || !digits)
        return -1;
    uint64_t v = whole * 1000000 + frac;
    if (v == 0 || v > 1000000)
        return -1;
    *ppm = (uint32_t)v;
    return 0;
}

/* ---- analysis ---- */

/* The shortest body the planner could inline at s whatever its length, or -1; *conflict gets
 * what the generic body (else the variant) writes that the site keeps. */
static int site_need(const struct vmi_rom *rom, const struct vmi_site_info *s, uint8_t *conflict)
{
    struct vmi_inline_body b;
    int best = -1;
    uint8_t vconf = 0, gconf = 0;
    *conflict = 0;
    if (!rom || !rom->has_inline)
        return -1;
    if ((s->flags & VMI_SITE_CONST) &&
        vmi_rom_inline_find(rom, s->call, 1,
                            (uint8_t)((s->flags & VMI_SITE_CONST_ARG_MASK) >> VMI_SITE_CONST_ARG_SHIFT),
                            s->const_value, &b)) {
        vconf = b.clobbers & (uint8_t)~s->clobbers;
        if (!vconf)
            best = b.len;
    }
    if (vmi_rom_inline_find(rom, s->call, 0, 0, 0, &b)) {
        gconf = b.clobbers & (uint8_t)~s->clobbers;
        if (!gconf && (best < 0 || b.len < best))
            best = b.len;
    }
    *conflict = gconf ? gconf : vconf;
    return best;
}

static int miss_cmp(const void *a, const void *b)
{
    const struct aot_prof_miss *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->site < y->site ? -1 : x->site > y->site;
}

static int call_cmp(const void *a, const void *b)
{
    const struct aot_prof_call *x = a, *y = b;
    if (x->execs != y->execs)
        return x->execs > y->execs ? -1 : 1;
    return x->call < y->call ? -1 : x->call > y->call;
}

struct need_count {
    int need;
    uint64_t count;
};

static int need_cmp(const void *a, const void *b)
{
    const struct need_count *x = a, *y = b;
    return x->need < y->need ? -1 : x->need > y->need;
}

/* acc / total >= ppm / 1e6, exactly */
static int reaches(uint64_t acc, uint64_t total, uint32_t ppm)
{
    return (unsigned __int128)acc * 1000000u >= (unsigned __int128)ppm * total;
}

void aot_profile_result_free(struct aot_prof_result *r)
{
    free(r->miss);
    free(r->calls);
    memset(r, 0, sizeof *r);
}

/* Each site's need (need[i], conf[i]), the executed sites counted, and those the plan did not
 * inline listed in r->miss, most executed first. */
static void find_misses(struct aot_prof_result *r, const struct aot_profile *p,
                        const struct vmi_site_table *table, const struct vmi_plan *plan,
                        const struct vmi_rom *rom, int *need, uint8_t *conf)
{
    for (uint32_t i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        const struct vmi_site_info *s = &table->sites[i];
        need[i] = site_need(rom, s, &conf[i]);
        if (!p->count[i])
            continue;
        r->hot++;
        if (sp->decision == VMI_DECISION_INLINE) {
            r->inlined += p->count[i];
            continue;
        }
        struct aot_prof_miss *m = &r->miss[r->nmiss++];
        m->site = i;
        m->count = p->count[i];
        m->body_len = need[i];
        m->missed = sp->noinline == VMI_NOINLINE_TOO_LONG && need[i] > sp->len
                    ? need[i] - sp->len : -1;
        m->conflict = sp->noinline == VMI_NOINLINE_CLOBBERS ? conf[i] : 0;
    }
    qsort(r->miss, r->nmiss, sizeof *r->miss, miss_cmp);
}

/* The suggested reserve of call c from its k executed sites' needs nc (see the top of this file),
 * never below floor, and the executions it inlines. */
static void suggest_reserve(struct aot_prof_call *c, struct need_count *nc, uint32_t k,
                            uint32_t floor, uint32_t share_ppm)
{
    qsort(nc, k, sizeof *nc, need_cmp);
    uint64_t acc = 0;
    int found = 0;
    uint32_t want = 0;
    for (uint32_t j = 0; j < k && !found; j++) {
        acc += nc[j].count;
        if ((j + 1 == k || nc[j + 1].need != nc[j].need) && reaches(acc, c->execs, share_ppm)) {
            want = (uint32_t)nc[j].need;
            found = 1;
        }
    }
    c->reachable = found;
    if (!found)
        want = k ? (uint32_t)nc[k - 1].need : c->reserve;
    c->suggested = want > floor ? want : floor;
    for (uint32_t j = 0; j < k; j++)
        if ((uint32_t)nc[j].need <= c->suggested)
            c->at_suggested += nc[j].count;
}

/* The summary of one call into c: its sites, executed sites and executions, what its reserve
 * inlines today and what it should be.  0 when the call was not executed (c unused). */
static int call_summary(struct aot_prof_call *c, unsigned call, const struct aot_profile *p,
                        const struct vmi_site_table *table, const struct vmi_plan *plan,
                        const int *need, struct need_count *nc, uint32_t share_ppm)
{
    const struct vmi_call_meta *m = &vmi_call_table[call];
    uint32_t k = 0, sites = 0;

    memset(c, 0, sizeof *c);
    for (uint32_t i = 0; i < plan->count; i++) {
        if (table->sites[i].call != call)
            continue;
        sites++;
        if (!p->count[i])
            continue;
        c->hot++;
        c->execs += p->count[i];
        if (need[i] >= 0) {
            nc[k++] = (struct need_count){ need[i], p->count[i] };
            if (need[i] <= plan->sites[i].len)
                c->at_reserve += p->count[i];
        }
    }
    if (!c->execs)
        return 0;
    c->call = (uint8_t)call;
    c->sites = sites;
    c->reserve = m->reserve;
    suggest_reserve(c, nc, k, m->native_len > REL32_LEN ? m->native_len : REL32_LEN, share_ppm);
    return 1;
}

/* Phases: each site's need and the misses, then a summary per executed call, most executed
 * first. */
int aot_profile_analyze(struct aot_prof_result *r, const struct aot_profile *p,
                        const struct vmi_site_table *table, const struct vmi_plan *plan,
                        const struct vmi_rom *rom, uint32_t share_ppm, struct aot_err *err)
{
    uint32_t n = plan->count;
    memset(r, 0, sizeof *r);
    r->share_ppm = share_ppm;
    int *need = calloc(n ? n : 1, sizeof *need);
    uint8_t *conf = calloc(n ? n : 1, 1);
    struct need_count *nc = calloc(n ? n : 1, sizeof *nc);
    r->miss = calloc(n ? n : 1, sizeof *r->miss);
    r->calls = calloc(VMI_NUM_CALLS, sizeof *r->calls);
    if (!need || !conf || !nc || !r->miss || !r->calls) {
        free(need);
        free(conf);
        free(nc);
        aot_profile_result_free(r);
        return aot_fail(err, "%s: out of memory analysing %u sites", p->path, n);
    }
    find_misses(r, p, table, plan, rom, need, conf);
    for (unsigned call = 0; call < VMI_NUM_CALLS; call++)
        r->ncalls += (uint32_t)call_summary(&r->calls[r->ncalls], call, p, table, plan, need, nc,
                                            share_ppm);
    qsort(r->calls, r->ncalls, sizeof *r->calls, call_cmp);
    free(need);
    free(conf);
    free(nc);
    return 0;
}

/* ---- output ---- */

/* num/den as a percentage with one decimal ("81.0"), den 0 -> "0.0" */
static const char *pct(uint64_t num, uint64_t den, char *buf, size_t cap)
{
    uint64_t x = den ? (uint64_t)((unsigned __int128)num * 1000u / den) : 0;
    snprintf(buf, cap, "%llu.%llu", (unsigned long long)(x / 10), (unsigned long long)(x % 10));
    return buf;
}

/* num/den as a JSON number with 4 decimals (0.81), truncated as the text's percentages are */
static json_t *json_share(uint64_t num, uint64_t den)
{
    uint64_t x = den ? (uint64_t)((unsigned __int128)num * 10000u / den) : 0;
    return aot_json_real((double)x / 10000.0, 4);
}

void aot_profile_text(FILE *f, const struct aot_prof_result *r, const struct aot_profile *p,
                      const struct vmi_plan *plan)
{
    char b1[32], b2[32], clob[48];
    uint64_t missed = p->total - r->inlined;
    fprintf(f, "profile %s: %u sites, %u executed, %llu executions; inlined %llu (%s%%), not "
            "inlined %llu (%s%%) at %u sites\n", p->path, p->nsites, r->hot,
            (unsigned long long)p->total, (unsigned long long)r->inlined,
            pct(r->inlined, p->total, b1, sizeof b1), (unsigned long long)missed,
            pct(missed, p->total, b2, sizeof b2), r->nmiss);
    for (uint32_t k = 0; k < r->nmiss; k++) {
        const struct aot_prof_miss *m = &r->miss[k];
        const struct vmi_site_plan *sp = &plan->sites[m->site];
        fprintf(f, "  not inlined: 0x%08x %-18s count %llu (%s%%), %u bytes, %s: ", sp->addr,
                vmi_call_name(sp->call), (unsigned long long)m->count,
                pct(m->count, p->total, b1, sizeof b1), sp->len, vmi_noinline_name(sp->noinline));
        if (m->missed >= 0)
            fprintf(f, "the body is %d bytes, %d more than the site\n", m->body_len, m->missed);
        else if (sp->noinline == VMI_NOINLINE_CLOBBERS)
            fprintf(f, "the body writes %s, which the site keeps\n",
                    aot_clobber_names(m->conflict, clob, sizeof clob));
        else if (sp->noinline == VMI_NOINLINE_POLICY)
            fprintf(f, "the policy does not inline%s\n", m->body_len >= 0 ? "" : " (and no body fits)");
        else
            fprintf(f, "no body to inline\n");
    }
    fprintf(f, "  reserve per call for %s%% of its executions inlined:\n",
            pct(r->share_ppm, 1000000, b1, sizeof b1));
    for (uint32_t k = 0; k < r->ncalls; k++) {
        const struct aot_prof_call *c = &r->calls[k];
        fprintf(f, "  reserve: %-18s %llu executions at %u of %u sites; reserve %u inlines %s%%; ",
                vmi_call_name(c->call), (unsigned long long)c->execs, c->hot, c->sites,
                c->reserve, pct(c->at_reserve, c->execs, b1, sizeof b1));
        if (c->reachable)
            fprintf(f, "suggested %u inlines %s%%\n", c->suggested,
                    pct(c->at_suggested, c->execs, b2, sizeof b2));
        else if (!c->at_suggested)
            fprintf(f, "no reserve inlines any: the ROM has no inline body for it, or none whose clobbers its sites allow\n");
        else
            fprintf(f, "no reserve reaches the share: %u inlines the most, %s%%\n", c->suggested,
                    pct(c->at_suggested, c->execs, b2, sizeof b2));
    }
}

static json_t *miss_json(const struct aot_prof_miss *m, const struct vmi_site_plan *sp)
{
    char clob[48];
    return json_pack("{s:o, s:s, s:I, s:i, s:s, s:s, s:o, s:o, s:o}",
                     "addr", aot_json_addr(sp->addr), "call", vmi_call_name(sp->call),
                     "count", (json_int_t)m->count, "len", (int)sp->len,
                     "decision", vmi_decision_name(sp->decision),
                     "noinline", vmi_noinline_name(sp->noinline),
                     "body_len", m->body_len >= 0 ? json_integer(m->body_len) : json_null(),
                     "missed_bytes", m->missed >= 0 ? json_integer(m->missed) : json_null(),
                     "clobber_conflict", sp->noinline == VMI_NOINLINE_CLOBBERS
                         ? json_string(aot_clobber_names(m->conflict, clob, sizeof clob))
                         : json_null());
}

static json_t *call_json(const struct aot_prof_call *c)
{
    return json_pack("{s:s, s:i, s:i, s:I, s:i, s:I, s:o, s:i, s:I, s:o, s:b}",
                     "call", vmi_call_name(c->call), "sites", (int)c->sites, "hot", (int)c->hot,
                     "executions", (json_int_t)c->execs, "reserve", (int)c->reserve,
                     "inlined_at_reserve", (json_int_t)c->at_reserve,
                     "share_at_reserve", json_share(c->at_reserve, c->execs),
                     "suggested_reserve", (int)c->suggested,
                     "inlined_at_suggested", (json_int_t)c->at_suggested,
                     "share_at_suggested", json_share(c->at_suggested, c->execs),
                     "reachable", c->reachable);
}

json_t *aot_profile_report_json(const struct aot_prof_result *r, const struct aot_profile *p,
                                const struct vmi_plan *plan)
{
    json_t *miss = json_array(), *calls = json_array();
    int bad = 0;
    for (uint32_t k = 0; k < r->nmiss; k++)
        bad |= aot_json_push(miss, miss_json(&r->miss[k], &plan->sites[r->miss[k].site]));
    for (uint32_t k = 0; k < r->ncalls; k++)
        bad |= aot_json_push(calls, call_json(&r->calls[k]));
    json_t *o = json_pack("{s:o, s:i, s:i, s:I, s:I, s:I, s:o, s:o, s:o}",
                          "file", aot_json_string(p->path), "sites", (int)p->nsites,
                          "hot", (int)r->hot, "executions", (json_int_t)p->total,
                          "inlined", (json_int_t)r->inlined,
                          "not_inlined_executions", (json_int_t)(p->total - r->inlined),
                          "inline_share", json_share(r->share_ppm, 1000000),
                          "not_inlined", miss, "calls", calls);
    if (bad)
        json_decref(o);
    return bad ? NULL : o;
}
/* SPDX-License-Identifier: GPL-2.0-only */
