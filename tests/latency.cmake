# SPDX-License-Identifier: Apache-2.0
# The latency family (benches/latency*.c): the random cycle and the expected
# end index without a device; the chase on PoCL outside the driver, launch
# after launch, and the check catching a chase that did not run or ended
# wrong; then `hbmbench run --bench latency` on the host model, PoCL and the
# mock CUDA driver: a valid result per working set, the plateaus, the schema,
# bad options and planted wrong ends.
add_executable(test_latency_cycle ${CMAKE_CURRENT_LIST_DIR}/test_latency_cycle.c)
target_link_libraries(test_latency_cycle PRIVATE hbcore)
add_test(NAME latency_cycle COMMAND test_latency_cycle)
set_tests_properties(latency_cycle PROPERTIES TIMEOUT 120)

add_executable(test_latency_pocl ${CMAKE_CURRENT_LIST_DIR}/test_latency_pocl.c)
target_link_libraries(test_latency_pocl PRIVATE hbcore)
add_test(NAME latency_pocl COMMAND test_latency_pocl)
set_tests_properties(latency_pocl PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

find_program(HB_BASH bash REQUIRED)
add_test(NAME latency_cli
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/latency_cli.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py $<TARGET_FILE:hb_mock_cuda>)
set_tests_properties(latency_cli PROPERTIES TIMEOUT 300)
