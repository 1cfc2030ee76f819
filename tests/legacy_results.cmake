# SPDX-License-Identifier: Apache-2.0
# Result files of schema_version 1 stay readable: compare and check read
# the committed reference files in results/ and give each result the
# figure that version implied (results/README.md, "Versions").
add_test(NAME legacy_results
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/legacy_results.py $<TARGET_FILE:hbmbench>
                 ${CMAKE_SOURCE_DIR}/results ${CMAKE_CURRENT_BINARY_DIR}/legacy_tmp)
set_tests_properties(legacy_results PROPERTIES TIMEOUT 300)
