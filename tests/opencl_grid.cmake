# SPDX-License-Identifier: Apache-2.0
# The OpenCL stream grids: only coalesced points on a GPU; a point whose
# program the compiler rejects is skipped with the build log's first line
# in its note, and the run goes on (runner/models/opencl/).
add_executable(test_opencl_stream_configs ${CMAKE_CURRENT_LIST_DIR}/test_opencl_stream_configs.c)
target_link_libraries(test_opencl_stream_configs PRIVATE hbcore)
add_test(NAME opencl_stream_configs COMMAND test_opencl_stream_configs)

add_executable(test_cl_build ${CMAKE_CURRENT_LIST_DIR}/test_cl_build.c)
target_link_libraries(test_cl_build PRIVATE hbcore)
add_test(NAME cl_build COMMAND test_cl_build)
set_tests_properties(cl_build PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

add_test(NAME opencl_build_skip
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/opencl_build_skip.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(opencl_build_skip PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
