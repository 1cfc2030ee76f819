# SPDX-License-Identifier: Apache-2.0
# What hbmbench prints for people (runner/io/output.c, runner/core/text.c):
# strings from drivers reach the terminal without control characters.
add_executable(test_terminal_text ${CMAKE_CURRENT_LIST_DIR}/test_terminal_text.c)
target_link_libraries(test_terminal_text PRIVATE hbcore)
add_test(NAME terminal_text COMMAND test_terminal_text)
