# SPDX-License-Identifier: Apache-2.0
# The GPU scripts without a GPU (issue 16 part 2, items 1, 3 and 9):
# gpu_check_env runs scripts/gpu-check.sh with LD_LIBRARY_PATH unset (the
# list part only, then every part within a 1 s budget); gpu_bundle makes a
# bundle from this build's hbmbench with scripts/gpu-bundle.sh and starts
# it with only the bundle's libraries and glibc (skipped, 77, when no
# Debian mirror answers apt-get download). Not in sanitizer builds: the
# bundle ships the release binary, and the download would run twice.
find_program(HB_BASH bash REQUIRED)
add_test(NAME gpu_check_env
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/gpu_check_env.sh ${CMAKE_SOURCE_DIR} $<TARGET_FILE:hbmbench>
                 /usr/bin/python3)
set_tests_properties(gpu_check_env PROPERTIES TIMEOUT 120)
if(NOT HB_SANITIZE)
  add_test(NAME gpu_bundle
           COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/gpu_bundle.sh ${CMAKE_SOURCE_DIR} $<TARGET_FILE:hbmbench>)
  set_tests_properties(gpu_bundle PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
