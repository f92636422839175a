# SPDX-License-Identifier: GPL-2.0-only
# JSON (docs/json.md): every document the tools write, from real inputs of the build, is valid
# UTF-8 and valid against its schema in docs/schema/ (python3-jsonschema); the check also proves it
# refuses invalid UTF-8, a renamed member and an address as a number (tests/json/check.sh).
CHECKS += check-json-schema
.PHONY: check-json-schema
check-json-schema: $(VMI_AOT) $(PROF_FRONT) $(PROF_ENGINE) $(SELFTEST) $(ROM_IMAGES) \
                   $(AOT_T)/linux-mini-0.elf $(B)/guest/kernel.elf
	bash tests/json/check.sh $(B) $(LINUX_VMI_DIR)

# cmocka: lib/json_out.c alone (strings as valid UTF-8, the number conventions, the head).
JSON_UNIT := $(B)/bin/test-json-out
$(JSON_UNIT): tests/json/test_json_out.c $(HOSTLIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOSTLIB_INC) $(HOST_LDFLAGS) $< $(HOSTLIB) $(HOSTLIB_LIBS) -lcmocka -o $@
CHECKS     += check-json-unit
SAN_CHECKS += check-json-unit
.PHONY: check-json-unit
check-json-unit: $(JSON_UNIT)
	$(JSON_UNIT)
