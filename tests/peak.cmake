# SPDX-License-Identifier: Apache-2.0
# Peak resolution: datasheet table, peaks file, NVML fall-through, derived FLOP/s.
add_executable(test_peak test_peak.c)
target_link_libraries(test_peak PRIVATE hbcore)
add_test(NAME peak COMMAND test_peak)
