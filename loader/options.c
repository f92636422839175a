/* The command line: words starting with "vmi." are the loader's (docs/loader.md), everything else
 * is passed to Linux in order.  Linux's own "vmi=..." options are Linux's. */
#include "loader.h"
#include "vmi_inliner.h"

static int word_is(const char *w, uint32_t n, const char *s)
{
    uint32_t l = (uint32_t)strlen(s);
    return n == l && !strncmp(w, s, l);
}

static int parse_policy(struct loader_options *opt, const char *v, uint32_t n, struct ld_error *err)
{
    for (unsigned p = 0; p < VMI_POLICY_COUNT; p++)
        if (word_is(v, n, vmi_policy_name(p))) {
            opt->policy = (int)p;
            return 0;
        }
    return ld_fail(err, "command line: vmi.policy=%.*s: not auto, call-only, native-only or inline-only",
                   (int)n, v);
}

static int append_n(struct loader_options *opt, const char *w, uint32_t n)
{
    uint32_t len = (uint32_t)strlen(opt->linux_cmdline);
    if (len + (len ? 1 : 0) + n + 1 > sizeof(opt->linux_cmdline))
        return -1;
    if (len)
        opt->linux_cmdline[len++] = ' ';
    memcpy(opt->linux_cmdline + len, w, n);
    opt->linux_cmdline[len + n] = 0;
    return 0;
}

int options_append(struct loader_options *opt, const char *word)
{
    return append_n(opt, word, (uint32_t)strlen(word));
}

int options_parse(struct loader_options *opt, const char *cmdline, struct ld_error *err)
{
    opt->policy = VMI_POLICY_AUTO;
    opt->stop = 0;
    opt->count = 0;
    opt->keep = 1;                     /* docs/loader.md: vmi.keep */
    opt->linux_cmdline[0] = 0;
    const char *p = cmdline;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return 0;
        const char *w = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        uint32_t n = (uint32_t)(p - w);
        if (n > 4 && !strncmp(w, "vmi.", 4)) {
            if (n > 11 && !strncmp(w, "vmi.policy=", 11)) {
                if (parse_policy(opt, w + 11, n - 11, err))
                    return -1;
            } else if (word_is(w, n, "vmi.stop")) {
                opt->stop = 1;
            } else if (word_is(w, n, "vmi.count=1") || word_is(w, n, "vmi.count=0")) {
                opt->count = w[10] == '1';
            } else if (word_is(w, n, "vmi.keep=1") || word_is(w, n, "vmi.keep=0")) {
                opt->keep = w[9] == '1';
            } else {
                return ld_fail(err, "command line: unknown loader option %.*s (column %u)", (int)n, w,
                               (uint32_t)(w - cmdline) + 1);
            }
        } else if (append_n(opt, w, n)) {
            return ld_fail(err, "command line: longer than %u bytes", CMDLINE_MAX - 1);
        }
    }
}

int options_linux_has(const struct loader_options *opt, const char *word)
{
    for (const char *p = opt->linux_cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (word_is(w, (uint32_t)(p - w), word))
            return 1;
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
