/* Site disassembly: see disasm.h. */
#include "disasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int aot_disasm_init(struct aot_disasm *d)
{
    if (!ZYAN_SUCCESS(ZydisDecoderInit(&d->dec, ZYDIS_MACHINE_MODE_LEGACY_32,
                                       ZYDIS_STACK_WIDTH_32)) ||
        !ZYAN_SUCCESS(ZydisFormatterInit(&d->fmt, ZYDIS_FORMATTER_STYLE_INTEL)) ||
        !ZYAN_SUCCESS(ZydisFormatterSetProperty(&d->fmt, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE,
                                                ZYAN_FALSE)) ||
        !ZYAN_SUCCESS(ZydisFormatterSetProperty(&d->fmt, ZYDIS_FORMATTER_PROP_FORCE_SIZE,
                                                ZYAN_TRUE)))
        return -1;
    return 0;
}

int aot_disasm_one(const struct aot_disasm *d, const uint8_t *b, size_t len, uint32_t addr,
                   struct aot_insn *out, int want_text)
{
    ZydisDecodedInstruction in;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];

    memset(out, 0, sizeof *out);
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&d->dec, b, len, &in, ops)))
        return -1;
    out->len = in.length;
    out->mnemonic = in.mnemonic;
    out->is_ret = in.meta.category == ZYDIS_CATEGORY_RET || in.mnemonic == ZYDIS_MNEMONIC_IRETD ||
                  in.mnemonic == ZYDIS_MNEMONIC_IRET || in.mnemonic == ZYDIS_MNEMONIC_SYSEXIT;
    out->is_branch = (in.attributes & ZYDIS_ATTRIB_IS_RELATIVE) ||
                     in.meta.category == ZYDIS_CATEGORY_CALL ||
                     in.meta.category == ZYDIS_CATEGORY_UNCOND_BR ||
                     in.meta.category == ZYDIS_CATEGORY_COND_BR;
    for (unsigned i = 0; i < in.operand_count_visible; i++) {
        ZyanU64 abs;
        if ((ops[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && ops[i].imm.is_relative) &&
            ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&in, &ops[i], addr, &abs))) {
            out->relative = 1;
            out->target = (uint32_t)abs;
        }
    }
    if (want_text &&
        !ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&d->fmt, &in, ops, in.operand_count_visible,
                                                      out->text, sizeof out->text, addr, NULL)))
        snprintf(out->text, sizeof out->text, "(unformattable)");
    return 0;
}

static size_t text_impl(const struct aot_disasm *d, const uint8_t *b, size_t len, uint32_t addr,
                        char *buf, size_t bufsz, int *relative)
{
    size_t pos = 0, used = 0;
    struct aot_insn in;

    if (bufsz == 0)
        return 0;
    buf[0] = '\0';
#define PUT(...) do { \
        if (used < bufsz) { \
            int n_ = snprintf(buf + used, bufsz - used, __VA_ARGS__); \
            used = n_ < 0 ? bufsz : used + (size_t)n_; \
            if (used >= bufsz) used = bufsz - 1; \
        } \
    } while (0)
    while (pos < len && aot_disasm_one(d, b + pos, len - pos, addr + (uint32_t)pos, &in, 1) == 0) {
        PUT("%s%s", pos ? "; " : "", in.text);
        pos += in.len;
        *relative |= in.relative;
    }
    size_t whole = pos;
    if (pos < len) {
        PUT("%s.byte ", pos ? "; " : "");
        for (size_t i = pos; i < len; i++)
            PUT("%s0x%02x", i > pos ? ", " : "", b[i]);
    }
#undef PUT
    return whole;
}

size_t aot_disasm_text(const struct aot_disasm *d, const uint8_t *b, size_t len, uint32_t addr,
                       char *buf, size_t bufsz)
{
    int relative = 0;
    return text_impl(d, b, len, addr, buf, bufsz, &relative);
}

void aot_disasm_memo_init(struct aot_disasm_memo *m)
{
    m->slots = calloc(AOT_DISASM_MEMO_SLOTS, sizeof *m->slots);
    m->used = 0;
}

void aot_disasm_memo_free(struct aot_disasm_memo *m)
{
    if (m->slots)
        for (size_t i = 0; i < AOT_DISASM_MEMO_SLOTS; i++)
            free(m->slots[i].text);
    free(m->slots);
    m->slots = NULL;
}

const char *aot_disasm_memo_text(struct aot_disasm_memo *m, const struct aot_disasm *d,
                                 const uint8_t *b, size_t len, uint32_t addr, size_t *whole)
{
    int relative = 0;
    if (!m->slots || len == 0 || len > 255) {
        *whole = text_impl(d, b, len, addr, m->buf, sizeof m->buf, &relative);
        return m->buf;
    }
    uint32_t h = 2166136261u ^ (uint32_t)len;
    for (size_t i = 0; i < len; i++)
        h = (h ^ b[i]) * 16777619u;
    size_t k = h & (AOT_DISASM_MEMO_SLOTS - 1);
    for (; m->slots[k].len; k = (k + 1) & (AOT_DISASM_MEMO_SLOTS - 1)) {
        if (m->slots[k].len == len && memcmp(m->slots[k].bytes, b, len) == 0) {
            *whole = m->slots[k].whole;
            return m->slots[k].text;
        }
    }
    *whole = text_impl(d, b, len, addr, m->buf, sizeof m->buf, &relative);
    if (relative || m->used * 4 >= AOT_DISASM_MEMO_SLOTS * 3)
        return m->buf;
    char *t = strdup(m->buf);
    if (!t)
        return m->buf;
    m->slots[k].len = (uint8_t)len;
    m->slots[k].whole = (uint8_t)*whole;
    memcpy(m->slots[k].bytes, b, len);
    m->slots[k].text = t;
    m->used++;
    return t;
}
/* SPDX-License-Identifier: GPL-2.0-only */
