# SPDX-License-Identifier: Apache-2.0
# Valgrind memcheck of `hbmbench list`, a tiny run and `compare`
# (tests/valgrind/memcheck.sh). Not in sanitizer builds: valgrind cannot run
# ASan's shadow memory. Skipped (77) where valgrind is missing.
if(NOT HB_SANITIZE)
  add_test(NAME valgrind_memcheck
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/valgrind/memcheck.sh $<TARGET_FILE:hbmbench>
                   ${CMAKE_CURRENT_LIST_DIR}/valgrind/memcheck.supp)
  set_tests_properties(valgrind_memcheck PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77)
endif()
