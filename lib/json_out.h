/* The few JSON helpers vmi-aot's reports need: strings with escapes, nothing else.  Output is
 * deterministic (no maps, no floats). */
#ifndef VMI_AOT_JSON_OUT_H
#define VMI_AOT_JSON_OUT_H

#include <stdio.h>

/* Writes s as a JSON string, quoted; NULL is written as null. */
void aot_json_str(FILE *f, const char *s);

#endif /* VMI_AOT_JSON_OUT_H */
