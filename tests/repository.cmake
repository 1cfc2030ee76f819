# SPDX-License-Identifier: Apache-2.0
# The repository itself, no binary needed: every source file carries its
# licence line (tests/check_spdx.sh) and every path that the docs or a code
# comment cite exists (tests/check_paths.py), and the environment is read
# only through runner/core/env.c (tests/check_env_reads.sh).
find_program(HB_BASH bash REQUIRED)
add_test(NAME spdx COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/check_spdx.sh ${CMAKE_SOURCE_DIR})
# Debian's interpreter; the check needs only the standard library.
add_test(NAME paths COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_paths.py ${CMAKE_SOURCE_DIR})
set_tests_properties(spdx paths PROPERTIES TIMEOUT 60 LABELS repository)
add_test(NAME env_reads COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/check_env_reads.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(env_reads PROPERTIES TIMEOUT 60 LABELS repository)
