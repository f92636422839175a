# JSON (docs/json.md): every document the tools write, from real inputs of the build, is valid
# UTF-8 and valid against its schema in docs/schema/ (python3-jsonschema); the check also proves it
# refuses invalid UTF-8, a renamed member and an address as a number (tests/json/check.sh).
CHECKS += check-json-schema
.PHONY: check-json-schema
check-json-schema: $(VMI_AOT) $(PROF_FRONT) $(PROF_ENGINE) $(SELFTEST) $(ROM_IMAGES) \
                   $(AOT_T)/linux-mini-0.elf $(B)/guest/kernel.elf
	bash tests/json/check.sh $(B) $(LINUX_VMI_DIR)
