# SPDX-License-Identifier: Apache-2.0
# A run keeps what it measured (README "Exit codes"; docs/usage.md "Signals",
# "Result files"): the output path checked before measuring, signals, injected
# faults (HB_FAULT), long runs (--repeat).
find_program(HB_BASH bash REQUIRED)
set(HB_SCHEMA_PY /usr/bin/python3 CACHE FILEPATH "Python with python3-jsonschema (Debian's)")

add_test(NAME cli_out
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli_out.sh $<TARGET_FILE:hbmbench>
                 ${HB_SCHEMA_PY} ${CMAKE_CURRENT_SOURCE_DIR}/validate_schema.py)
set_tests_properties(cli_out PROPERTIES TIMEOUT 300)

add_executable(test_signal ${CMAKE_CURRENT_LIST_DIR}/test_signal.c)
target_link_libraries(test_signal PRIVATE hbcore)
add_test(NAME signal_handler COMMAND test_signal)

add_test(NAME cli_signals
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli_signals.sh $<TARGET_FILE:hbmbench>
                 ${HB_SCHEMA_PY} ${CMAKE_CURRENT_SOURCE_DIR}/validate_schema.py)
set_tests_properties(cli_signals PROPERTIES TIMEOUT 600)

add_test(NAME cli_faults
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli_faults.sh $<TARGET_FILE:hbmbench>
                 ${HB_SCHEMA_PY} ${CMAKE_CURRENT_SOURCE_DIR}/validate_schema.py ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_faults PROPERTIES TIMEOUT 600)
if(HB_SANITIZE) # valgrind cannot run an ASan binary; the sanitizers check those paths instead
  set_property(TEST cli_faults APPEND PROPERTY ENVIRONMENT "HB_NO_VALGRIND=1")
endif()

add_executable(test_repeat_rss ${CMAKE_CURRENT_LIST_DIR}/test_repeat_rss.c)
target_link_libraries(test_repeat_rss PRIVATE hbcore)
# Resident memory is measured in the release build: under ASan freed memory
# stays in its quarantine by design, so growth there says nothing.
if(NOT HB_SANITIZE)
  add_test(NAME repeat_rss COMMAND test_repeat_rss)
  set_tests_properties(repeat_rss PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()

add_test(NAME cli_repeat
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/cli_repeat.sh $<TARGET_FILE:hbmbench>
                 ${HB_SCHEMA_PY} ${CMAKE_CURRENT_SOURCE_DIR}/validate_schema.py)
set_tests_properties(cli_repeat PROPERTIES TIMEOUT 300)
