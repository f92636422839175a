#include "spec_lex.h"

#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

char *lex_trim(char *s)
{
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

int lex_split(const char *line, struct lex_line *out, int *bad_col, const char **why)
{
    const char *p = line;
    out->ntok = 0;
    out->comment = "";
    for (;;) {
        while (is_blank(*p))
            p++;
        if (*p == '\0' || *p == '\n')
            return 0;
        if (*p == '#') {
            p++;
            while (is_blank(*p))
                p++;
            out->comment = p;
            return 0;
        }
        if (out->ntok == LEX_MAX_TOKENS) {
            *bad_col = (int)(p - line) + 1;
            *why = "too many fields on one line";
            return -1;
        }
        struct lex_token *t = &out->tok[out->ntok];
        t->col = (int)(p - line) + 1;
        t->quoted = (*p == '"');
        size_t n = 0;
        if (t->quoted) {
            p++;
            while (*p != '"') {
                if (*p == '\0' || *p == '\n') {
                    *bad_col = t->col;
                    *why = "unterminated string";
                    return -1;
                }
                if (n + 1 >= LEX_TOKEN_MAX)
                    goto too_long;
                t->text[n++] = *p++;
            }
            p++;
        } else {
            while (*p && !is_blank(*p) && *p != '\n' && *p != '#') {
                if (n + 1 >= LEX_TOKEN_MAX)
                    goto too_long;
                t->text[n++] = *p++;
            }
        }
        t->text[n] = '\0';
        out->ntok++;
    }
too_long:
    *bad_col = out->tok[out->ntok].col;
    *why = "field too long";
    return -1;
}

void lex_normalize_space(char *dst, unsigned long cap, const char *src)
{
    unsigned long n = 0;
    int space = 0;
    for (; *src && n + 1 < cap; src++) {
        if (is_blank(*src)) {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < cap)
            dst[n++] = ' ';
        space = 0;
        dst[n++] = *src;
    }
    dst[n] = '\0';
}
/* SPDX-License-Identifier: GPL-2.0-only */
