#include "emit.h"
int emit_rom(const struct spec *spec, const struct spec_rom *rom, struct outbuf *ob,
             struct spec_error *err)
{
    (void)spec; (void)ob;
    spec_set_error(err, rom->pos, "SCAFFOLD: ROM emission is being written");
    return -1;
}
