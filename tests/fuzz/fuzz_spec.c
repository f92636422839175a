/* libFuzzer target: the spec parser and checker on arbitrary text.  Seeds: the spec files and the
 * bad-spec corpus.  A crash, a sanitizer report or a leak is a bug; an error record is fine. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "spec_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct spec spec;   /* large: keep it off the stack */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&spec, 0, sizeof spec);
    struct spec_error err;
    if (spec_parse_text(&spec, "fuzz.vmi", text, &err) == 0 && spec_check(&spec, &err) == 0) {
        /* a spec that checks out must also emit */
        struct outbuf ob = { 0 };
        emit_header(&spec, &ob);
        emit_glue(&spec, &ob);
        if (spec.lx.present) {     /* the Linux profile: its header, its rules on the ROMs */
            struct spec_error findings[4];
            emit_linux_header(&spec, &ob);
            linux_rules_check(&spec, findings, 4);
        }
        ob_free(&ob);
    }
    spec_free(&spec);
    free(text);
    return 0;
}
