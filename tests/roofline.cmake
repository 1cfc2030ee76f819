# SPDX-License-Identifier: Apache-2.0
# The roofline bench: the kernel's variants checked exactly on PoCL, and a
# real run whose roofline summary is checked and plotted.
add_executable(test_roofline_pocl ${CMAKE_CURRENT_LIST_DIR}/test_roofline_pocl.c)
target_link_libraries(test_roofline_pocl PRIVATE hbcore)
add_test(NAME roofline_pocl COMMAND test_roofline_pocl)
set_tests_properties(roofline_pocl PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)

add_test(NAME roofline_cli
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/roofline_cli.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py ${CMAKE_SOURCE_DIR}/scripts/plot_roofline.py)
set_tests_properties(roofline_cli PROPERTIES TIMEOUT 600)
