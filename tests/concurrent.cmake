# SPDX-License-Identifier: Apache-2.0
# Every device at once: `run --concurrent` on two PoCL sub-devices
# (HBMBENCH_CL_SUBDEVICES=1), the aggregate and the overlap checked, --solo.
add_test(NAME concurrent_cli
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/concurrent_cli.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py)
set_tests_properties(concurrent_cli PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
