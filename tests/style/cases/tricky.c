/* Cases for tests/style/selftest.sh, measured with a limit of 5 lines: "expected" lists what
 * must be reported.  Each case's comment says what it tries. */
#include <stddef.h>

/* Braces in strings, character constants and comments do not count: 5 lines, not reported. */
static const char *quoted(void)
{
    const char *s = "}}}"; char c = '}'; /* } */ // }
    return c == '{' ? s : "{\"{";
}

/* The same braces in a longer function: 8 lines from the name, reported as 8. */
static int quoted_long(int x)
{
    const char *s = "{"; char c = '{';
    /* a block comment over lines
       { with a brace } */
    if (x) { x += s[0]; }
    return x + c + '\'' + "\\"[0];
}

/* The return type on its own line: the name's line is the one reported (7 lines). */
static int
type_above(int a, int b)
{
    if (a)
        return b;
    a += b;
    return a;
}

/* An attribute before the name: named attributed (7 lines). */
__attribute__((unused)) static int attributed(int a)
{
    a++;
    a++;
    a++;
    return a;
}

/* A function returning a function pointer: named pick (7 lines). */
static void nothing(void) { }
static void (*pick(int n))(void)
{
    if (n)
        return NULL;
    n++;
    return nothing;
}

/* Long definitions that are not functions: a struct, an enum, an initializer. */
struct many {
    int a;
    int b;
    int c;
    int d;
    int e;
};
enum colours {
    RED,
    GREEN,
    BLUE,
    CYAN,
    BLACK,
};
static const int table[] = {
    1,
    2,
    3,
    4,
    5,
};

/* Preprocessor lines do not count, with their continuations: 5 lines, not reported. */
#define OPEN {
#define BLOCK(x) do { \
        (x)++;        \
    } while (0)
static int macros(int x)
{
    BLOCK(x);
    return x + table[0];
}

/* "#if 0" is not read (its apostrophe is not a character constant), nor its "{". */
#if 0
#error this isn't read {
static int gone(void) {
#endif

/* Two heads for one body: the first branch is read, the function reported once, from the first
 * head's name (13 lines). */
#ifdef NOT_DEFINED
static int branches(long a)
{
#elif 0
static int branches(short a)
{
#else
static int branches(int a)
{
#endif
    a++;
    a++;
    return a;
}

/* Decodes nothing.
 * Long: the reason for the length is written here, so it is not reported. */
static int has_reason(int a)
{
    a++;
    a++;
    a++;
    return a;
}

// Line comments count as the comment above.
// Long: so this one has a reason too.
static int has_line_reason(int a)
{
    a++;
    a++;
    a++;
    return a;
}

/* Long: a reason separated from the function by a blank line is not its reason (reported). */

static int blank_between(int a)
{
    a++;
    a++;
    a++;
    return a;
}

/* Long:
 * A marker with no reason on its line is not a reason (reported). */
static int empty_reason(int a)
{
    a++;
    a++;
    a++;
    return a;
}

/* A string continued over a line with a backslash: its "{" does not count (5 lines). */
static const char *continued(void)
{
    return "abc\
{def";
}

/* The "{" on the definition's line, a statement expression and a struct inside: 7 lines. */
static int one_line_head(int a) {
    int b = ({ int t = a; t + 1; });
    struct { int x; } s = { b };
    if (s.x)
        return 0;
    return b;
}

/* Uses every case (6 lines, reported). */
int main(void)
{
    return quoted()[0] + quoted_long(1) + type_above(1, 2) + attributed(0) + (pick(0) != NULL) +
           macros(1) + branches(1) + has_reason(1) + has_line_reason(1) + blank_between(1) +
           empty_reason(1) + continued()[0] + one_line_head(1) + (int)sizeof(struct many) + RED;
}
/* SPDX-License-Identifier: GPL-2.0-only */
