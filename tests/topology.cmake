# SPDX-License-Identifier: Apache-2.0
# topology and host info on a hand-written two-socket, two-GPU hwloc XML
# (tests/fixtures/two_socket_two_gpu.xml) and on the live machine.
add_executable(test_topology_xml ${CMAKE_CURRENT_SOURCE_DIR}/test_topology_xml.c)
target_link_libraries(test_topology_xml PRIVATE hbcore)
add_test(NAME topology_xml
         COMMAND test_topology_xml ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/two_socket_two_gpu.xml)
