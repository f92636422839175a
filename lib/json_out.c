/* The JSON writer on jansson: see json_out.h and docs/json.md. */
#include "json_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmi_version.h"

/* The length of the valid UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0 when the byte at p does not begin one. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||    /* overlong, surrogate */
        (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))      /* overlong, > U+10FFFF */
        return 0;
    return n;
}

/* s with every byte outside a valid sequence replaced by U+FFFD (EF BF BD); malloc'd. */
static char *utf8_repair(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t k = utf8_len(p);
        if (k) {
            memcpy(o, p, k);
            o += k;
            p += k;
        } else {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        }
    }
    *o = 0;
    return out;
}

json_t *aot_json_string(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);         /* NULL: invalid UTF-8 (or out of memory) */
    if (v)
        return v;
    char *fixed = utf8_repair(s);
    if (!fixed)
        return NULL;
    v = json_string(fixed);
    free(fixed);
    return v;
}

json_t *aot_json_addr(uint32_t a)
{
    char b[16];
    snprintf(b, sizeof b, "0x%08x", a);
    return json_string(b);
}

json_t *aot_json_hash(uint64_t h)
{
    char b[24];
    snprintf(b, sizeof b, "0x%016llx", (unsigned long long)h);
    return json_string(b);
}

json_t *aot_json_hex(uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return json_string(b);
}

json_t *aot_json_bytes(const uint8_t *b, size_t n)
{
    char *s = malloc(3 * n + 1);
    if (!s)
        return NULL;
    static const char digit[] = "0123456789abcdef";
    char *o = s;
    for (size_t i = 0; i < n; i++) {
        if (i)
            *o++ = ' ';
        *o++ = digit[b[i] >> 4];
        *o++ = digit[b[i] & 15];
    }
    *o = 0;
    json_t *v = json_string(s);
    free(s);
    return v;
}

json_t *aot_json_real(double x, int decimals)
{
    if (!isfinite(x))
        return json_null();
    double scale = pow(10, decimals);
    return json_real(round(x * scale) / scale);
}

json_t *aot_json_bool(int b)
{
    return json_boolean(b);
}

json_t *aot_json_doc(const char *tool, const char *schema)
{
    return json_pack("{s:s, s:s, s:s}", "tool", tool, "version", VMI_VERSION, "schema", schema);
}

int aot_json_set(json_t *obj, const char *key, json_t *v)
{
    if (!obj || !v) {
        json_decref(v);
        return -1;
    }
    return json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

int aot_json_push(json_t *arr, json_t *v)
{
    if (!arr || !v) {
        json_decref(v);
        return -1;
    }
    return json_array_append_new(arr, v) == 0 ? 0 : -1;
}

int aot_json_set_location(json_t *o, const char *function, const char *file, unsigned line)
{
    int known = function && strcmp(function, "?") != 0;
    int bad = aot_json_set(o, "function", known ? aot_json_string(function) : json_null());
    bad |= aot_json_set(o, "file", line ? aot_json_string(file) : json_null());
    bad |= aot_json_set(o, "line", line ? json_integer(line) : json_null());
    return bad;
}

/* 15 significant digits: what a double holds exactly in decimal, so a value rounded by
 * aot_json_real is written as rounded ("0.81", not "0.81000000000000005"). */
#define DUMP_FLAGS (JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)

int aot_json_write(FILE *f, json_t *v, enum aot_json_style style)
{
    if (!v)
        return -1;
    size_t flags = DUMP_FLAGS | (style == AOT_JSON_PRETTY ? JSON_INDENT(1) : JSON_COMPACT);
    int rc = json_dumpf(v, f, flags) == 0 && putc('\n', f) != EOF ? 0 : -1;
    json_decref(v);
    return rc;
}

/* json_dumpf hands each token to fwrite, whose stream lock dominated writing 100,000 sites (20%
 * of a listing's time); the compact text is made in memory and written once instead. */
int aot_json_write_value(FILE *f, const json_t *v)
{
    char *text = v ? json_dumps(v, DUMP_FLAGS | JSON_COMPACT) : NULL;
    if (!text)
        return -1;
    int rc = fputs(text, f) < 0 ? -1 : 0;
    free(text);
    return rc;
}

int aot_json_stream_begin(struct aot_json_stream *s, FILE *f, json_t *head, const char *key)
{
    s->f = f;
    s->n = 0;
    s->bad = 1;
    json_t *k = aot_json_string(key);
    char *text = head && k ? json_dumps(head, DUMP_FLAGS | JSON_INDENT(1)) : NULL;
    size_t len = text ? strlen(text) : 0;
    json_decref(head);
    if (len >= 2 && text[len - 1] == '}') {     /* "{\n ...\n}": drop the "\n}", go on */
        int empty = len == 2;
        text[len - (empty ? 1 : 2)] = 0;
        s->bad = fputs(text, f) < 0 || fputs(empty ? "\n " : ",\n ", f) < 0 ||
                 aot_json_write_value(f, k) != 0 || fputs(": [", f) < 0;
    }
    free(text);
    json_decref(k);
    return s->bad ? -1 : 0;
}

int aot_json_stream_item(struct aot_json_stream *s, json_t *item)
{
    if (!item || s->bad || fputs(s->n ? ",\n  " : "\n  ", s->f) < 0 ||
        aot_json_write_value(s->f, item) != 0)
        s->bad = 1;
    json_decref(item);
    s->n++;
    return s->bad ? -1 : 0;
}

int aot_json_stream_end(struct aot_json_stream *s)
{
    if (!s->bad && fputs(s->n ? "\n ]\n}\n" : "]\n}\n", s->f) < 0)
        s->bad = 1;
    return s->bad ? -1 : 0;
}

void aot_json_str(FILE *f, const char *s)
{
    json_t *v = aot_json_string(s);
    if (aot_json_write_value(f, v) != 0)
        fputs("null", f);               /* out of memory: still a value, the document parses */
    json_decref(v);
}
/* SPDX-License-Identifier: GPL-2.0-only */
