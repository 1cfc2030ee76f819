# SPDX-License-Identifier: Apache-2.0
# The result file contract: runner/io/json_*.c, results/schema.json.
# json_roundtrip writes its run to roundtrip.json as well, and
# json_schema_fixture validates that file against the schema.
add_executable(test_json_roundtrip ${CMAKE_CURRENT_LIST_DIR}/test_json_roundtrip.c)
target_link_libraries(test_json_roundtrip PRIVATE hbcore)
add_test(NAME json_roundtrip
         COMMAND test_json_roundtrip ${CMAKE_CURRENT_BINARY_DIR}/roundtrip.json)
set_tests_properties(json_roundtrip PROPERTIES FIXTURES_SETUP json_roundtrip_file)

# Debian's interpreter: it has python3-jsonschema; a `python3` earlier on
# PATH (a virtual environment, a toolchain's) may not.
set(HB_SCHEMA_PYTHON /usr/bin/python3 CACHE FILEPATH
    "Python with the jsonschema module, for the schema tests")
add_test(NAME json_schema_fixture
         COMMAND ${HB_SCHEMA_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py
                 ${CMAKE_CURRENT_BINARY_DIR}/roundtrip.json)
set_tests_properties(json_schema_fixture PROPERTIES FIXTURES_REQUIRED json_roundtrip_file)
