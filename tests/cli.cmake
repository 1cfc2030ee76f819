# SPDX-License-Identifier: Apache-2.0
# The command line end to end: error classes and exit codes, a real run
# validated against the JSON schema, and `list --json`.
find_program(HB_BASH bash REQUIRED)
set(HB_SCHEMA_PY /usr/bin/python3 CACHE FILEPATH "Python with python3-jsonschema (Debian's)")

add_test(NAME cli_errors
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli_errors.sh $<TARGET_FILE:hbmbench> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_errors PROPERTIES TIMEOUT 300)

add_test(NAME cli_run_schema
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli_run_schema.sh $<TARGET_FILE:hbmbench>
                 ${HB_SCHEMA_PY} ${CMAKE_CURRENT_SOURCE_DIR}/validate_schema.py)
set_tests_properties(cli_run_schema PROPERTIES TIMEOUT 300)

add_test(NAME cli_progress
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli_progress.sh $<TARGET_FILE:hbmbench> ${HB_SCHEMA_PY}
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_progress PROPERTIES TIMEOUT 300)
