# SPDX-License-Identifier: Apache-2.0
# The tuning cache: its file (runner/io/tune_cache*.c) shared by processes
# writing at once, damaged and foreign files; and the driver's use of it
# (runner/driver/winners.c, measure.c) end to end on PoCL: each damaged or
# foreign cache that issue 19 found, warned about under --quiet and
# searched again.
add_executable(test_tune_cache ${CMAKE_CURRENT_LIST_DIR}/test_tune_cache.c)
target_link_libraries(test_tune_cache PRIVATE hbcore)
add_test(NAME tune_cache_file COMMAND test_tune_cache)
set_tests_properties(tune_cache_file PROPERTIES TIMEOUT 300)

add_test(NAME tune_cache_cli
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/tune_cache_cli.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(tune_cache_cli PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
