# SPDX-License-Identifier: Apache-2.0
# Unit tests of the runner, and the stream family on the PoCL device.
add_executable(test_units ${CMAKE_CURRENT_SOURCE_DIR}/test_units.c)
target_link_libraries(test_units PRIVATE hbcore)
add_test(NAME units COMMAND test_units)

add_executable(test_stream_pocl ${CMAKE_CURRENT_SOURCE_DIR}/test_stream_pocl.c)
target_link_libraries(test_stream_pocl PRIVATE hbcore)
add_test(NAME stream_pocl COMMAND test_stream_pocl)
set_tests_properties(stream_pocl PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
