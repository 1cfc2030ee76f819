# SPDX-License-Identifier: Apache-2.0
# The native host baseline (runner/models/host/host_stream*.c) on the live machine:
# every kernel variant the CPU runs, then the whole run with small arrays.
add_executable(test_host_stream ${CMAKE_CURRENT_SOURCE_DIR}/test_host_stream.c)
target_link_libraries(test_host_stream PRIVATE hbcore)
add_test(NAME host_stream COMMAND test_host_stream)
