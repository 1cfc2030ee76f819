# SPDX-License-Identifier: Apache-2.0
# `cmake --install` into a temporary prefix, and everything installed run
# from another folder (tests/install_tree.sh, docs/install.md). HB_PYTHON is
# the launchers' interpreter (cmake/install.cmake).
find_program(HB_BASH bash REQUIRED)
add_test(NAME install_tree
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/install_tree.sh ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR}
                 ${CMAKE_SOURCE_DIR} "${HB_PYTHON}")
set_tests_properties(install_tree PROPERTIES TIMEOUT 300 LABELS install)

# Both Containerfiles parse, use only what packaging/containerfile-chroot.sh
# can run in a chroot, and COPY only what the context has (no engine, no root).
foreach(cf Containerfile Containerfile.cuda)
  add_test(NAME containerfile_parse_${cf}
           COMMAND ${HB_BASH} ${CMAKE_SOURCE_DIR}/packaging/containerfile-chroot.sh --dry-run
                   ${CMAKE_SOURCE_DIR}/packaging/${cf} "" ${CMAKE_SOURCE_DIR})
  set_tests_properties(containerfile_parse_${cf} PROPERTIES TIMEOUT 60 LABELS install)
endforeach()
