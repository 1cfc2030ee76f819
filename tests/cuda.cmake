# SPDX-License-Identifier: Apache-2.0
# The cuda model (runner/models/cuda/) without a GPU: its arithmetic, every
# kernel variant through NVRTC (skipped where NVRTC does not load), and the
# paths where the driver is missing or is the toolkit's stub.
add_executable(test_cuda_units ${CMAKE_CURRENT_LIST_DIR}/test_cuda_units.c)
target_link_libraries(test_cuda_units PRIVATE hbcore)
add_test(NAME cuda_units COMMAND test_cuda_units)

add_executable(test_cuda_nvrtc ${CMAKE_CURRENT_LIST_DIR}/test_cuda_nvrtc.c)
target_link_libraries(test_cuda_nvrtc PRIVATE hbcore)
add_test(NAME cuda_nvrtc COMMAND test_cuda_nvrtc)
set_tests_properties(cuda_nvrtc PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)

# NVRTC from a folder the loader does not search ($HB_NVRTC): its
# libnvrtc-builtins.so.* is loaded from the same folder, so compiles work.
add_executable(test_cuda_nvrtc_dir ${CMAKE_CURRENT_LIST_DIR}/test_cuda_nvrtc_dir.c)
target_link_libraries(test_cuda_nvrtc_dir PRIVATE hbcore)
add_test(NAME cuda_nvrtc_dir COMMAND test_cuda_nvrtc_dir)
set_tests_properties(cuda_nvrtc_dir PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 ENVIRONMENT "LD_LIBRARY_PATH=")

add_test(NAME cuda_missing_driver
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/cuda_missing.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 $<TARGET_FILE:hb_mock_nvml>)
set_tests_properties(cuda_missing_driver PROPERTIES TIMEOUT 300)

# One GPU through OpenCL and CUDA: the merge by PCI bus id, --model, the
# model ratios under the table; `compare --models` on a two-model fixture.
add_executable(test_cuda_merge ${CMAKE_CURRENT_LIST_DIR}/test_cuda_merge.c)
target_link_libraries(test_cuda_merge PRIVATE hbcore)
add_test(NAME cuda_merge COMMAND test_cuda_merge)

set(HB_CUDA_TMP ${CMAKE_CURRENT_BINARY_DIR}/cuda_tmp)
add_test(NAME cuda_compare_models
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cuda_compare.py $<TARGET_FILE:hbmbench>
                 ${CMAKE_SOURCE_DIR} ${HB_CUDA_TMP})
set_tests_properties(cuda_compare_models PROPERTIES TIMEOUT 300)

# A mock driver that runs the kernels' semantics on the host: the cuda
# model's host code end to end without a GPU (tests/mock_cuda/).
add_library(hb_mock_cuda MODULE ${CMAKE_CURRENT_LIST_DIR}/mock_cuda/mock_libcuda.c
            ${CMAKE_SOURCE_DIR}/benches/stream_values.c)
target_include_directories(hb_mock_cuda PRIVATE ${CMAKE_SOURCE_DIR}/benches ${CMAKE_SOURCE_DIR}/runner/core)
target_link_libraries(hb_mock_cuda PRIVATE m)
set_target_properties(hb_mock_cuda PROPERTIES PREFIX "lib" OUTPUT_NAME "cuda" SUFFIX ".so.1"
                      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/mock_cuda)
add_library(hb_mock_nvml MODULE ${CMAKE_CURRENT_LIST_DIR}/mock_cuda/mock_nvml.c)
# A folder of its own: NVRTC itself loads libcuda.so.1 from the loader
# path when it finds one, and must not find the mock driver there.
set_target_properties(hb_mock_nvml PROPERTIES PREFIX "lib" OUTPUT_NAME "nvidia-ml" SUFFIX ".so.1"
                      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/mock_nvml)
add_test(NAME cuda_mock_driver
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/cuda_mock.sh $<TARGET_FILE:hbmbench>
                 $<TARGET_FILE:hb_mock_cuda> /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py
                 $<TARGET_FILE:hb_mock_nvml>)
set_tests_properties(cuda_mock_driver PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)

# The search for libcuda.so.1 and libnvidia-ml.so.1 (runner/core/dl_search.h):
# by soname, then the folders container images use; refusals, the file
# recorded, every place named when none loads.
add_executable(test_cuda_libsearch ${CMAKE_CURRENT_LIST_DIR}/test_cuda_libsearch.c)
target_link_libraries(test_cuda_libsearch PRIVATE hbcore)
add_test(NAME cuda_libsearch COMMAND test_cuda_libsearch $<TARGET_FILE:hb_mock_cuda>)

# NVML's GPU state around each measurement: the judgement, the sampling
# window's thread against the mock NVML, and the result file's "telemetry"
# (written, read back, checked against the schema).
add_executable(test_cuda_telemetry ${CMAKE_CURRENT_LIST_DIR}/test_cuda_telemetry.c)
target_link_libraries(test_cuda_telemetry PRIVATE hbcore)
add_test(NAME cuda_telemetry COMMAND test_cuda_telemetry ${CMAKE_CURRENT_BINARY_DIR}/telemetry.json
                                     $<TARGET_FILE:hb_mock_nvml>)
set_tests_properties(cuda_telemetry PROPERTIES FIXTURES_SETUP cuda_telemetry_file)
add_test(NAME cuda_telemetry_schema
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py ${CMAKE_CURRENT_BINARY_DIR}/telemetry.json)
set_tests_properties(cuda_telemetry_schema PROPERTIES FIXTURES_REQUIRED cuda_telemetry_file)

# kernels/cuda/stream.cu's start values against benches/stream_values.h, on
# the host through nvcc (skipped without it).
add_test(NAME cuda_values COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/cuda_values.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(cuda_values PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
