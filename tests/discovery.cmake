# SPDX-License-Identifier: Apache-2.0
# Discovery within a limit, and only of the models named: an OpenCL driver
# that hangs (tests/fake_icd.c) is named and skipped, `--model host` loads
# no vendor library, a bad HB_DISCOVERY_TIMEOUT is bad usage.
add_library(hb_fake_icd MODULE ${CMAKE_CURRENT_LIST_DIR}/fake_icd.c)
set_target_properties(hb_fake_icd PROPERTIES PREFIX "lib" OUTPUT_NAME "hb_fake_icd"
                      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/fake_icd)
add_test(NAME discovery_timeout
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/discovery_timeout.sh $<TARGET_FILE:hbmbench>
                 $<TARGET_FILE:hb_fake_icd>)
set_tests_properties(discovery_timeout PROPERTIES TIMEOUT 300)

# The deadline itself (runner/core/deadline.c): waits, abandons, frees.
add_executable(test_deadline ${CMAKE_CURRENT_LIST_DIR}/test_deadline.c)
target_link_libraries(test_deadline PRIVATE hbcore)
add_test(NAME deadline COMMAND test_deadline)

# No /sys (gVisor): the host's memory from sysconf, `run --device host` works.
add_test(NAME discovery_nosys
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/discovery_nosys.sh $<TARGET_FILE:hbmbench> /usr/bin/python3)
set_tests_properties(discovery_nosys PROPERTIES TIMEOUT 300)

# Device identity (UUID, serial: mock CUDA and NVML, PoCL) and the batch job
# (Slurm, PBS, LSF variables) in result files; malformed values warned and null.
add_test(NAME identity_cli
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/identity_cli.sh $<TARGET_FILE:hbmbench>
                 $<TARGET_FILE:hb_mock_cuda> $<TARGET_FILE:hb_mock_nvml> /usr/bin/python3
                 ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py)
set_tests_properties(identity_cli PROPERTIES TIMEOUT 300)
