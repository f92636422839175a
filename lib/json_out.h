/* The one JSON writer of the tools (vmi-aot's and vmi-prof's documents), on jansson.  A document
 * is built as a jansson value and written once, so every byte that goes out was escaped by the
 * library and is valid UTF-8.  The conventions every document keeps (docs/json.md):
 *   - a top-level object that begins "tool", "version" (VMI_VERSION), "schema" ("vmi-aot.sites/1");
 *   - snake_case keys; "function" (never "func");
 *   - addresses, offsets into an image or a ROM, hashes, masks and constant values: "0x..." hex
 *     strings (aot_json_addr, aot_json_hash, aot_json_hex); counts, lengths, sizes, indices, line
 *     numbers and measurements: JSON numbers;
 *   - strings from input (paths, DWARF names, messages that quote input) through aot_json_string,
 *     which replaces each byte that is not part of valid UTF-8 with U+FFFD.
 * Every constructor returns a new reference, or NULL when out of memory; aot_json_set and
 * aot_json_push take (steal) the value and fail on a NULL one, so a builder ORs their results
 * (`bad |= aot_json_set(o, "len", json_integer(n));`) and tests once. */
#ifndef VMI_AOT_JSON_OUT_H
#define VMI_AOT_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* s as a JSON string, invalid UTF-8 bytes replaced with U+FFFD; NULL s gives null. */
json_t *aot_json_string(const char *s);
/* An address: "0x%08x". */
json_t *aot_json_addr(uint32_t a);
/* A 64-bit hash: "0x%016llx". */
json_t *aot_json_hash(uint64_t h);
/* A mask or a value: "0x%x" (shortest). */
json_t *aot_json_hex(uint64_t v);
/* Bytes as "0f 01 c1" (lowercase, one space between). */
json_t *aot_json_bytes(const uint8_t *b, size_t n);
/* x rounded to `decimals` places; a NaN or an infinity gives null (JSON has neither). */
json_t *aot_json_real(double x, int decimals);
/* A boolean. */
json_t *aot_json_bool(int b);

/* A site's location on o: "function" (null when NULL or "?"), "file" and "line" (both null when
 * line is 0: not known).  0, or -1 on out of memory. */
int aot_json_set_location(json_t *o, const char *function, const char *file, unsigned line);

/* The document's head: {"tool": tool, "version": VMI_VERSION, "schema": schema}.  The payload is
 * set after it, under named keys. */
json_t *aot_json_doc(const char *tool, const char *schema);

/* obj[key] = v, stealing v (also on failure).  0, or -1 when obj or v is NULL or out of memory. */
int aot_json_set(json_t *obj, const char *key, json_t *v);
/* arr += v, stealing v; the same. */
int aot_json_push(json_t *arr, json_t *v);

/* How a document is written: indented for a person (one member per line), or on one line. */
enum aot_json_style { AOT_JSON_PRETTY, AOT_JSON_COMPACT };
/* Writes v and a newline; drops the reference.  0, or -1 when v is NULL (nothing written) or
 * the write failed. */
int aot_json_write(FILE *f, json_t *v, enum aot_json_style style);

/* A document whose last member is a long array (a site per element: 100,000 sites would take
 * some 2 KB each as jansson values) written as it is built: the head (every other member), then
 * one element per line, compact, each dropped once written.  Output:
 *     {
 *      "tool": ..., (the head's members, indented)
 *      "sites": [
 *       {"addr":"0x00100031",...},
 *       ...
 *      ]
 *     }                                                                                      */
struct aot_json_stream {
    FILE *f;
    size_t n;                  /* elements written */
    int bad;                   /* a NULL element, out of memory or a write failed */
};
/* Writes head (taken) and `"key": [`.  0, or -1 (and s->bad set). */
int aot_json_stream_begin(struct aot_json_stream *s, FILE *f, json_t *head, const char *key);
/* Writes one element (taken; NULL marks the stream failed).  0 or -1. */
int aot_json_stream_item(struct aot_json_stream *s, json_t *item);
/* Closes the array and the document.  0 when everything since begin was written, else -1. */
int aot_json_stream_end(struct aot_json_stream *s);

/* Writes one value on one line, no newline, keeping the reference (a member spliced into a
 * document still written by hand; prefer aot_json_write of a whole document).  0 or -1. */
int aot_json_write_value(FILE *f, const json_t *v);
/* Writes s as a JSON string, quoted, through aot_json_string; NULL is written as null. */
void aot_json_str(FILE *f, const char *s);

#endif /* VMI_AOT_JSON_OUT_H */
/* SPDX-License-Identifier: GPL-2.0-only */
