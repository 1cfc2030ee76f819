# SPDX-License-Identifier: Apache-2.0
# The gemm family: every kernel variant and dtype at odd sizes on PoCL,
# the tuner and its cache through the driver, and the CLI's gemm options.
add_executable(test_gemm_pocl ${CMAKE_CURRENT_LIST_DIR}/test_gemm_pocl.c)
target_link_libraries(test_gemm_pocl PRIVATE hbcore)
add_test(NAME gemm_pocl COMMAND test_gemm_pocl)
set_tests_properties(gemm_pocl PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)

add_executable(test_gemm_tune ${CMAKE_CURRENT_LIST_DIR}/test_gemm_tune.c)
target_link_libraries(test_gemm_tune PRIVATE hbcore)
add_test(NAME gemm_tune COMMAND test_gemm_tune)
set_tests_properties(gemm_tune PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)

add_test(NAME gemm_cli
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/gemm_cli.sh $<TARGET_FILE:hbmbench> /usr/bin/python3)
set_tests_properties(gemm_cli PROPERTIES TIMEOUT 300)
