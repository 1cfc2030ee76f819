# SPDX-License-Identifier: Apache-2.0
# The repository itself, no binary needed: every source file carries its
# licence line (tests/check_spdx.sh).
find_program(HB_BASH bash REQUIRED)
add_test(NAME spdx COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/check_spdx.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(spdx PROPERTIES TIMEOUT 60 LABELS repository)
