# SPDX-License-Identifier: Apache-2.0
# `hbmbench check` and `run --check` (acceptance checks): runner/check/,
# runner/cli/cmd_check.c, runner/check/default_rules.json. Fixtures are made
# by tests/make_fixture.py and validated against the schema; each case of
# tests/check_cli.py is a test of its own.
add_executable(test_check_units ${CMAKE_CURRENT_LIST_DIR}/test_check_units.c)
target_link_libraries(test_check_units PRIVATE hbcore)
add_test(NAME check_units COMMAND test_check_units)

# Debian's interpreter: it has python3-jsonschema for the fixture check.
set(HB_CHECK_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with jsonschema, for the check tests")
set(HB_CHECK_TMP ${CMAKE_CURRENT_BINARY_DIR}/check_tmp)
file(MAKE_DIRECTORY ${HB_CHECK_TMP})
foreach(case pass fail skip rules_malformed rules_unknown_field identical json_out run_pocl reference readme
             gathered groups strict junit outputs sku_family)
  add_test(NAME check_${case}
           COMMAND ${HB_CHECK_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/check_cli.py
                   $<TARGET_FILE:hbmbench> ${CMAKE_SOURCE_DIR} ${HB_CHECK_TMP} ${case})
  set_tests_properties(check_${case} PROPERTIES TIMEOUT 300)
endforeach()

# `hbmbench export --format openmetrics` (runner/io/openmetrics.c,
# runner/cli/cmd_export.c, docs/export.md) read back by the OpenMetrics
# parser of Debian's python3-prometheus-client and held against the JSON;
# skipped (77) without that package.
add_test(NAME export_openmetrics
         COMMAND ${HB_CHECK_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/export_openmetrics.py $<TARGET_FILE:hbmbench>
                 ${CMAKE_SOURCE_DIR} $<TARGET_FILE:hb_mock_cuda> $<TARGET_FILE:hb_mock_nvml>)
set_tests_properties(export_openmetrics PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
