# SPDX-License-Identifier: Apache-2.0
# `hbmbench compare`, the plots and the HTML report (issue 4):
# runner/cli/cmd_compare.c, runner/compare/compare*.c, scripts/plot.py, scripts/report.py.
# Fixtures are made by tests/make_fixture.py and checked against the schema.

# Debian's interpreter: python3-matplotlib and python3-jsonschema are
# installed for it; another python3 earlier on PATH may lack them.
set(HB_COMPARE_PYTHON /usr/bin/python3 CACHE FILEPATH
    "Python with matplotlib and jsonschema, for the compare/plot/report tests")
set(HB_COMPARE_TMP ${CMAKE_CURRENT_BINARY_DIR}/compare_tmp)

add_executable(test_compare_units ${CMAKE_CURRENT_LIST_DIR}/compare_units.c)
target_link_libraries(test_compare_units PRIVATE hbcore)
file(MAKE_DIRECTORY ${HB_COMPARE_TMP})
add_test(NAME compare_units COMMAND test_compare_units ${HB_COMPARE_TMP})
# A hang (the locator once looped on a NUL byte) fails here, not in CI's time box.
set_tests_properties(compare_units PROPERTIES TIMEOUT 120)

# The command line on fixtures: identical, 10 % slower, noisy, invalid,
# environment differences, matching modes, formats, bad files and exit codes;
# then a real run compared with itself, and the committed reference results.
add_test(NAME compare_cli
         COMMAND ${HB_COMPARE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/compare_cli.py
                 $<TARGET_FILE:hbmbench> ${CMAKE_SOURCE_DIR} ${HB_COMPARE_TMP}/cli)
set_tests_properties(compare_cli PROPERTIES TIMEOUT 300)

add_test(NAME compare_plot
         COMMAND ${HB_COMPARE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/plot_test.py
                 ${CMAKE_SOURCE_DIR} ${HB_COMPARE_TMP}/plot)
set_tests_properties(compare_plot PROPERTIES TIMEOUT 300)

# Opens the report in headless Chromium; exits 77 (skipped) only when no
# chromium is installed (Debian package `chromium`; CI installs it).
add_test(NAME compare_report
         COMMAND ${HB_COMPARE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/report_test.py
                 ${CMAKE_SOURCE_DIR} ${HB_COMPARE_TMP}/report $<TARGET_FILE:hbmbench>)
set_tests_properties(compare_report PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# What a newcomer reads (issue 20): provenance is not a configuration
# difference, the table fits 120 columns with distinct device names
# (--wide: everything), model/host/created/timer per side in table and CSV,
# '~' on pairs noisier than check's CV limit, incomplete files named.
add_test(NAME compare_table
         COMMAND ${HB_COMPARE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/compare_table.py
                 $<TARGET_FILE:hbmbench> ${CMAKE_SOURCE_DIR} ${HB_COMPARE_TMP}/table)
set_tests_properties(compare_table PROPERTIES TIMEOUT 300)
