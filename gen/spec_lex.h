/* Splits one spec line into tokens with their columns: whitespace separates tokens, a double-quoted
 * string is one token, '#' outside a string starts a comment. */
#ifndef VMI_SPEC_LEX_H
#define VMI_SPEC_LEX_H

#define LEX_MAX_TOKENS 64
#define LEX_TOKEN_MAX  160

struct lex_token {
    char text[LEX_TOKEN_MAX];  /* a string token without its quotes */
    int col;                   /* 1-based column of the token's first character */
    int quoted;
};

struct lex_line {
    struct lex_token tok[LEX_MAX_TOKENS];
    int ntok;
    const char *comment;       /* text after '#', trimmed; "" when none */
};

/* Returns 0, or -1 with *bad_col and *why set (unterminated string, too many or too long tokens). */
int lex_split(const char *line, struct lex_line *out, int *bad_col, const char **why);

/* Copies src to dst (cap bytes) with leading and trailing blanks removed and every run of blanks
 * inside folded to one space. */
void lex_normalize_space(char *dst, unsigned long cap, const char *src);

/* Trims leading and trailing blanks in place and returns the start. */
char *lex_trim(char *s);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
