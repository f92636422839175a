# The loader agent (issue 13): build/loader/vmi-loader.elf, a freestanding 32-bit multiboot program
# that loads an unchanged Linux 2.6.32 VMI vmlinux through the 32-bit boot protocol and patches its
# paravirt call sites with the inliner against the VMI ROM it finds.  docs/loader.md.

LOADER_C   := $(wildcard loader/*.c)
LOADER_S   := $(wildcard loader/*.S)
LOADER_H   := $(wildcard loader/*.h) inliner/vmi_inliner.h inliner/vmi_aot.h include/vmi_abi.h
LOADER_LD  := loader/loader.ld
LOADER_DIR := $(B)/loader
LOADER     := $(LOADER_DIR)/vmi-loader.elf
LOADER_CLANG := $(LOADER_DIR)/vmi-loader-clang.elf
LOADER_CFLAGS = $(FREE_CFLAGS) -Iinliner -Iloader -fno-omit-frame-pointer
LOADER_LDFLAGS := -m32 -nostdlib -static -Wl,-T,$(LOADER_LD) -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

LOADER_OBJ       := $(LOADER_C:loader/%.c=$(B)/obj/loader/gcc/%.o) $(LOADER_S:loader/%.S=$(B)/obj/loader/gcc/%.o)
LOADER_OBJ_CLANG := $(LOADER_C:loader/%.c=$(B)/obj/loader/clang/%.o) $(LOADER_S:loader/%.S=$(B)/obj/loader/clang/%.o)

ALL += $(LOADER) $(LOADER_CLANG)

$(B)/obj/loader/gcc/%.o: loader/%.c $(LOADER_H)
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(INL_NOLOOPCALL) -c $< -o $@
$(B)/obj/loader/gcc/%.o: loader/%.S
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) -c $< -o $@
$(B)/obj/loader/clang/%.o: loader/%.c $(LOADER_H)
	@mkdir -p $(@D)
	$(CLANG) $(LOADER_CFLAGS) -c $< -o $@
$(B)/obj/loader/clang/%.o: loader/%.S
	@mkdir -p $(@D)
	$(CLANG) $(LOADER_CFLAGS) -c $< -o $@

$(LOADER): $(LOADER_OBJ) $(INL_LIB) $(LOADER_LD)
	@mkdir -p $(@D)
	$(CC) $(LOADER_LDFLAGS) $(LOADER_OBJ) $(INL_LIB) -o $@
$(LOADER_CLANG): $(LOADER_OBJ_CLANG) $(INL_CLANG_LIB) $(LOADER_LD)
	@mkdir -p $(@D)
	$(CLANG) -fuse-ld=bfd $(LOADER_LDFLAGS) $(LOADER_OBJ_CLANG) $(INL_CLANG_LIB) -o $@
