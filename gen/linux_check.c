/* The Linux profile's own consistency: every build sees each member once, rows of one member
 * are together, a template group has no extern-only uses, a jump-only rule names the jump sites.  Runs from spec_check() when a spec
 * file holds the profile.  (The ROM flavors against the profile's rules: linux_rules.c.) */
#include "spec_model.h"

#include <string.h>

/* Two conditions can hold in one build unless some bit both constrain is required set by one and
 * clear by the other. */
static int conds_overlap(struct spec_lcond a, struct spec_lcond b)
{
    return ((a.value ^ b.value) & a.mask & b.mask) == 0;
}

static int check_group(const struct spec_linux *lx, const struct spec_lgroup *g,
                       struct spec_error *err)
{
    for (unsigned i = g->first; i < g->first + g->nops; i++) {
        const struct spec_lop *o = &lx->ops[i];
        for (unsigned j = g->first; j < i; j++) {
            const struct spec_lop *p = &lx->ops[j];
            if (strcmp(p->member, o->member) != 0)
                continue;
            if (strcmp(lx->ops[i - 1].member, o->member) != 0) {
                spec_set_error(err, o->pos, "rows of %s.%s must be consecutive (first at line %d)",
                               g->name, o->member, p->pos.line);
                return -1;
            }
            if (conds_overlap(p->when, o->when)) {
                spec_set_error(err, o->pos, "%s.%s would exist twice in one build: its "
                               "conditions overlap the row at line %d", g->name, o->member,
                               p->pos.line);
                return -1;
            }
            if (p->words != o->words) {
                spec_set_error(err, o->pos, "%s.%s has %u words here and %u at line %d",
                               g->name, o->member, o->words, p->words, p->pos.line);
                return -1;
            }
        }
        if (g->is_extern && (o->uses & LUSE_PATCH)) {
            spec_set_error(err, o->pos, "%s.%s is outside the template: it has no call sites "
                           "to patch", g->name, o->member);
            return -1;
        }
    }
    return 0;
}

static const struct spec_call *call_by_number(const struct spec *spec, int number)
{
    for (unsigned i = 0; i < spec->ncalls; i++)
        if ((int)spec->calls[i].number == number)
            return &spec->calls[i];
    return NULL;
}

/* A jump-only rule names exactly the calls the table gives jump sites: the spec checker already
 * allows `jump` routines only there, so the two must agree. */
static int check_jump_only(const struct spec *spec, const struct spec_lrule *r,
                           struct spec_error *err)
{
    for (unsigned i = 0; i < r->ncalls; i++) {
        const struct spec_call *c = call_by_number(spec, r->calls[i]);
        if (!c->jump_site) {
            spec_set_error(err, r->pos, "rule '%s' allows JUMP_REL for %s, which has call sites, "
                           "not jump sites", r->name, c->name);
            return -1;
        }
    }
    for (unsigned k = 0; k < spec->ncalls; k++) {
        unsigned i;
        for (i = 0; i < r->ncalls && r->calls[i] != (int)spec->calls[k].number; i++)
            ;
        if (spec->calls[k].jump_site && i == r->ncalls) {
            spec_set_error(err, r->pos, "rule '%s' does not name %s, a jump site", r->name,
                           spec->calls[k].name);
            return -1;
        }
    }
    return 0;
}

int linux_check(struct spec *spec, struct spec_error *err)
{
    const struct spec_linux *lx = &spec->lx;
    if (!lx->present)
        return 0;
    if (!lx->kernel[0]) {
        spec_set_error(err, lx->pos, "the Linux profile needs a 'kernel \"NAME\"' line");
        return -1;
    }
    unsigned template_groups = 0;
    for (unsigned g = 0; g < lx->ngroups; g++) {
        if (check_group(lx, &lx->groups[g], err) < 0)
            return -1;
        template_groups += !lx->groups[g].is_extern;
    }
    if (!template_groups) {
        spec_set_error(err, lx->pos, "the Linux profile has no group of "
                       "struct paravirt_patch_template");
        return -1;
    }
    for (unsigned i = 0; i < lx->nrules; i++)
        if (lx->rules[i].kind == RULE_JUMP_ONLY && check_jump_only(spec, &lx->rules[i], err) < 0)
            return -1;
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
