# SPDX-License-Identifier: Apache-2.0
# Every command's options come from one table (runner/cli/options.h): the
# docs' option tables list exactly what --help lists.
add_test(NAME options_doc
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/options_doc.py $<TARGET_FILE:hbmbench> ${CMAKE_SOURCE_DIR})
set_tests_properties(options_doc PROPERTIES TIMEOUT 60)
