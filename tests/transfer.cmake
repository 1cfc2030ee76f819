# SPDX-License-Identifier: Apache-2.0
# The transfer family: every direction and path copied and checked exactly
# on PoCL, and a real run validated against the schema, zero-copy reported
# as such, and --numa remote on this machine.
add_executable(test_transfer_pocl ${CMAKE_CURRENT_LIST_DIR}/test_transfer_pocl.c)
target_link_libraries(test_transfer_pocl PRIVATE hbcore)
add_test(NAME transfer_pocl COMMAND test_transfer_pocl)
set_tests_properties(transfer_pocl PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

add_test(NAME transfer_cli
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/transfer_cli.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py)
set_tests_properties(transfer_cli PROPERTIES TIMEOUT 300)
