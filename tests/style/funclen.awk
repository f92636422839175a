# funclen.awk: the C functions of one file longer than a limit (tests/style/funclen.sh runs it).
#
#   awk -v limit=80 -v marker=Long: -f funclen.awk FILE.c
#
# A function's length is its lines from the one holding its name to the one holding its closing
# brace.  A function longer than the limit is reported as "FILE:LINE: NAME is N lines (limit L)"
# unless the comment that ends on the line just above the definition (no blank line between) has a
# line whose text begins with the marker followed by the reason.  Exits 0 (none), 1 (some) or 2
# (the file cannot be measured: unbalanced braces or parentheses, an unterminated comment or #if).
#
# The file is read in two passes.  The first blanks what cannot hold a function: comments, the
# contents of strings and character constants, preprocessor lines (with their continuations), the
# lines of "#if 0" and every branch after the first of an #if/#elif/#else chain (the branches
# repeat one definition's head, and keeping the first leaves the braces balanced).  The second
# counts braces and parentheses in what is left: at file scope a "{" whose text since the last
# ";" or "}" ends with ")" and holds no "=" opens a function.

BEGIN {
    if (limit == "") limit = 80
    if (marker == "") marker = "Long:"
    status = 0
}

{ raw[NR] = $0 }

END {
    nlines = NR
    if (strip() && scan()) {
        exit status
    }
    exit 2
}

function fail(what) {
    printf "%s: cannot measure its functions: %s\n", FILENAME, what
    return 0
}

# ---- pass 1: comments, strings and the preprocessor blanked --------------------------------

# The chain of open conditionals: cond[i] is "take" (this branch is read), "if0" (inside "#if 0",
# its #else is read), "rest" (a branch was read: the others are not) or "dead" (inside a branch
# that is not read).
function skipping(    i) {
    for (i = 1; i <= ncond; i++)
        if (cond[i] != "take") return 1
    return 0
}

function directive(text,    word, rest) {
    sub(/^[ \t]*#[ \t]*/, "", text)
    word = text
    sub(/[^a-z].*$/, "", word)
    rest = substr(text, length(word) + 1)
    sub(/\/[*\/].*$/, "", rest)
    gsub(/[ \t]/, "", rest)
    if (word == "if" || word == "ifdef" || word == "ifndef") {
        if (skipping()) cond[++ncond] = "dead"
        else if (word == "if" && rest == "0") cond[++ncond] = "if0"
        else cond[++ncond] = "take"
    } else if (word == "elif" || word == "else") {
        if (ncond == 0) return fail("#" word " without #if")
        if (cond[ncond] == "take") cond[ncond] = "rest"
        else if (cond[ncond] == "if0" && (word == "else" || rest != "0")) cond[ncond] = "take"
    } else if (word == "endif") {
        if (ncond == 0) return fail("#endif without #if")
        ncond--
    }
    return 1
}

# Fills code[i] (the line with the blanked parts as spaces), comment_only[i] (the line is a comment
# and nothing else) and comment[i] (its comment text).
function strip(    i, j, n, s, c, nx, out, ctext, had_comment, dline, instr, incomment, indir) {
    incomment = 0; instr = ""; indir = 0; ncond = 0
    for (i = 1; i <= nlines; i++) {
        s = raw[i]; n = length(s); out = ""; ctext = ""; had_comment = incomment
        if (!incomment && !indir && instr == "" && s ~ /^[ \t]*#/) {
            indir = 1
            if (!directive(s)) return 0
        }
        dline = indir
        for (j = 1; j <= n; j++) {
            c = substr(s, j, 1); nx = substr(s, j + 1, 1)
            if (incomment) {
                if (c == "*" && nx == "/") { incomment = 0; j++; out = out "  " }
                else { ctext = ctext c; out = out " " }
            } else if (instr != "") {
                if (c == "\\") { out = out "  "; j++ }
                else if (c == instr) { instr = ""; out = out c }
                else out = out " "
            } else if (c == "/" && nx == "*") {
                incomment = 1; had_comment = 1; j++; out = out "  "
            } else if (c == "/" && nx == "/") {
                had_comment = 1; ctext = ctext substr(s, j + 2); break
            } else if (c == "\"" || c == "'") {
                instr = c; out = out c
            } else {
                out = out c
            }
        }
        # A string or character constant ends with its line unless the line ends in a backslash
        # (an apostrophe in "#error don't" is not a constant that runs on).
        if (s !~ /\\$/) instr = ""
        indir = indir && (s ~ /\\[ \t]*$/ || incomment)
        code[i] = (dline || skipping()) ? "" : out
        comment_only[i] = had_comment && !dline && out ~ /^[ \t]*$/
        comment[i] = ctext
    }
    if (incomment) return fail("a comment is not closed")
    if (ncond) return fail("an #if is not closed")
    return 1
}

# ---- pass 2: functions found and measured --------------------------------------------------

# The line of character k of the text collected since a file-scope ";" or "}" (it began on line
# head_line, one "\n" per line since).
function line_of(k,    t, nl) {
    t = substr(head, 1, k)
    nl = gsub(/\n/, "", t)
    return head_line + nl
}

function is_ident(c) { return c ~ /[A-Za-z0-9_$]/ }

# The declared name in a function's head: the identifier before the first "(" at the head's own
# level that is not an attribute's; "(*name(...))" for a function returning a function pointer.
function head_name(    k, n, c, d, e, b, word) {
    n = length(head); d = 0
    for (k = 1; k <= n; k++) {
        c = substr(head, k, 1)
        if (c == ")") { d--; continue }
        if (c != "(") continue
        if (d++ > 0) continue
        e = k - 1
        while (e > 0 && substr(head, e, 1) ~ /[ \t\n]/) e--
        b = e
        while (b > 0 && is_ident(substr(head, b, 1))) b--
        word = substr(head, b + 1, e - b)
        if (word ~ /^(__attribute__|__attribute|__declspec|_Alignas|alignas|__typeof__|typeof|__asm__|asm)$/)
            continue
        if (word == "" || substr(head, k + 1) ~ /^[ \t\n]*\*/) {
            if (match(substr(head, k + 1), /[A-Za-z_][A-Za-z0-9_]*[ \t\n]*\(/)) {
                word = substr(head, k + RSTART, RLENGTH)
                sub(/[ \t\n]*\($/, "", word)
                name_line = line_of(k + RSTART)
                return word
            }
        }
        name_line = line_of(e)
        return word
    }
    return ""
}

# Whether the collected head, followed by "{", opens a function: it ends with ")" and assigns
# nothing ("= {" and "= f(x) {" do not open one).
function head_is_function(    t, k, n, c, d) {
    t = head
    sub(/[ \t\n]+$/, "", t)
    if (substr(t, length(t), 1) != ")") return 0
    n = length(t); d = 0
    for (k = 1; k <= n; k++) {
        c = substr(t, k, 1)
        if (c == "(") d++
        else if (c == ")") d--
        else if (c == "=" && d == 0) return 0
    }
    return 1
}

# The line of the head's first character that is not blank: where the definition begins.
function head_start(    k, n) {
    n = length(head)
    for (k = 1; k <= n; k++)
        if (substr(head, k, 1) !~ /[ \t\n]/) return line_of(k)
    return head_line
}

# Whether the comment ending on the line above line `first` gives the reason for a long function.
function has_reason(first,    k, t, m) {
    m = length(marker)
    for (k = first - 1; k >= 1 && comment_only[k]; k--) {
        t = comment[k]
        sub(/^[ \t]*[*]*[ \t]*/, "", t)
        if (substr(t, 1, m) == marker && substr(t, m + 1) ~ /[A-Za-z]/) return 1
    }
    return 0
}

function report(end_line,    len) {
    len = end_line - fn_line + 1
    if (len > limit && !has_reason(fn_start)) {
        printf "%s:%d: %s is %d lines (limit %d)\n", FILENAME, fn_line, fn_name, len, limit
        status = 1
    }
}

function scan(    i, j, n, s, c, depth, pdepth, in_fn) {
    depth = 0; pdepth = 0; head = ""; head_line = 1; in_fn = 0
    for (i = 1; i <= nlines; i++) {
        s = code[i]; n = length(s)
        for (j = 1; j <= n; j++) {
            c = substr(s, j, 1)
            if (depth > 0) {
                if (c == "{") depth++
                else if (c == "}" && --depth == 0) {
                    if (in_fn) report(i)
                    in_fn = 0; head = ""; head_line = i
                }
                continue
            }
            if (c == "{" && pdepth == 0) {
                in_fn = head_is_function()
                if (in_fn) {
                    fn_name = head_name(); fn_line = name_line; fn_start = head_start()
                    if (fn_name == "") return fail("line " i ": a function without a name")
                }
                depth = 1
                continue
            }
            if (c == "}" && pdepth == 0) return fail("line " i ": \"}\" closes nothing")
            if (c == "(") pdepth++
            else if (c == ")" && --pdepth < 0) return fail("line " i ": \")\" closes nothing")
            if (c == ";" && pdepth == 0) { head = ""; head_line = i; continue }
            head = head c
        }
        if (depth == 0) head = head "\n"
    }
    if (depth > 0) return fail("a \"{\" is not closed")
    if (pdepth > 0) return fail("a \"(\" is not closed")
    return 1
}
