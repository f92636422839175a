# SPDX-License-Identifier: GPL-2.0-only
# The license (LICENSE, GPL-2.0, the "GPL v2" of the ROMs' license string) and the SPDX line of
# every tracked source file (tools/spdx.sh adds it; docs/install.md).
.PHONY: check-spdx
check-spdx:
	@bash tests/license/check-spdx.sh $(B)/tests/spdx

CHECKS += check-spdx
