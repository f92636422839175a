/* Decodes a call's native sequence with Zydis and holds it to what the spec says of it: every line's
 * bytes are exactly one instruction, the line's text is that instruction's AT&T disassembly, and a
 * branch lands inside the sequence or at its end.  The bytes are the truth the glue emits and the
 * inliner expects at an unpatched site; the text is what a reader checks them against. */
#include "spec_lex.h"
#include "spec_model.h"

#include <Zydis/Zydis.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int check_branch(const struct spec_call *call, const struct spec_insn *in,
                        const ZydisDecodedInstruction *zi, const ZydisDecodedOperand *ops,
                        struct spec_error *err)
{
    if (!(zi->attributes & ZYDIS_ATTRIB_IS_RELATIVE))
        return 0;
    ZyanU64 target;
    if (ZYAN_FAILED(ZydisCalcAbsoluteAddress(zi, &ops[0], in->offset, &target)) ||
        target > call->native_len) {
        spec_set_error(err, in->pos, "branch in the native sequence of %s leaves the sequence",
                       call->name);
        return -1;
    }
    if (target == call->native_len)
        return 0;
    for (unsigned i = 0; i < call->ninsns; i++)
        if (call->insns[i].offset == target)
            return 0;
    spec_set_error(err, in->pos, "branch to offset 0x%x, which is not an instruction boundary",
                   (unsigned)target);
    return -1;
}

int native_decode(struct spec_call *call, const char *const texts[], struct spec_error *err)
{
    ZydisDecoder dec;
    ZydisFormatter fmt;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_ATT);

    for (unsigned i = 0; i < call->ninsns; i++) {
        const struct spec_insn *in = &call->insns[i];
        ZydisDecodedInstruction zi;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, call->native + in->offset, in->len, &zi,
                                               ops))) {
            spec_set_error(err, in->pos, "bytes do not decode as one whole x86 instruction");
            return -1;
        }
        if (zi.length != in->len) {
            spec_set_error(err, in->pos,
                           "the first %u of these %u bytes are one instruction: one instruction "
                           "per line", zi.length, in->len);
            return -1;
        }
        char got[SPEC_TEXT_MAX], want[SPEC_TEXT_MAX], text[SPEC_TEXT_MAX];
        if (ZYAN_FAILED(ZydisFormatterFormatInstruction(&fmt, &zi, ops, zi.operand_count_visible,
                                                        text, sizeof text, in->offset, NULL))) {
            spec_set_error(err, in->pos, "cannot format the instruction");
            return -1;
        }
        lex_normalize_space(got, sizeof got, text);
        lex_normalize_space(want, sizeof want, texts[i]);
        if (strcasecmp(got, want) != 0) {
            spec_set_error(err, in->pos, "bytes decode as '%s', not '%s'", got, want);
            return -1;
        }
        if (check_branch(call, in, &zi, ops, err) < 0)
            return -1;
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
