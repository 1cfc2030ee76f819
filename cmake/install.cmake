# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts where (docs/install.md has the table):
#   bin/hbmbench, bin/hbmbench-plot, bin/hbmbench-report (Python launchers)
#   share/hbmbench/scripts/{plot,report,plot_roofline}.py, share/hbmbench/results/schema.json
#   share/doc/hbmbench/ README.md, LICENSE, docs/*.md, results/README.md
#   share/man/man1/hbmbench.1, share/bash-completion/completions/hbmbench,
#   share/zsh/site-functions/_hbmbench
# The man page and the completions are generated after linking, from the
# built binary's --help texts (packaging/gen_help_files.py), so they cannot
# drift from it. tests/install.cmake installs into a temporary prefix and
# runs everything from another folder.
include(GNUInstallDirs)

# The launchers' interpreter: Debian's /usr/bin/python3, whose matplotlib is
# python3-matplotlib, not the first python3 on PATH (`/usr/bin/env python3`
# would pick a pyenv or venv Python without it). Spack and other prefixes
# pass their own: -DHB_PYTHON=/path/to/python3.
if(EXISTS /usr/bin/python3)
  set(HB_PYTHON_DEFAULT /usr/bin/python3)
else()
  find_program(HB_PYTHON_FOUND NAMES python3)
  set(HB_PYTHON_DEFAULT "")
  if(HB_PYTHON_FOUND)
    set(HB_PYTHON_DEFAULT "${HB_PYTHON_FOUND}")
  endif()
endif()
set(HB_PYTHON "${HB_PYTHON_DEFAULT}" CACHE FILEPATH
    "Python 3 of hbmbench-plot and hbmbench-report (needs matplotlib), and of the build's help-file generator")

install(TARGETS hbmbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Data and the Python tools.
set(HB_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/hbmbench)
install(FILES ${CMAKE_SOURCE_DIR}/results/schema.json DESTINATION ${HB_SHARE_DIR}/results)
# plot_roofline.py: plot.py imports it for the roofline chart. A module of
# scripts/ that either imports must be listed here (install_tree checks).
install(PROGRAMS ${CMAKE_SOURCE_DIR}/scripts/plot.py ${CMAKE_SOURCE_DIR}/scripts/report.py
        ${CMAKE_SOURCE_DIR}/scripts/plot_roofline.py
        DESTINATION ${HB_SHARE_DIR}/scripts)
# Each launcher finds the scripts relative to itself, so an installed tree
# can be moved (`cmake --install --prefix` anywhere, a container layer).
file(RELATIVE_PATH HB_SCRIPTS_REL ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/hbmbench/scripts)
set(HB_PYTHON_SHEBANG "${HB_PYTHON}")
if(NOT HB_PYTHON_SHEBANG)
  set(HB_PYTHON_SHEBANG "/usr/bin/env python3")
  message(WARNING "No python3 found: hbmbench-plot and hbmbench-report will run `/usr/bin/env python3`; "
                  "the man page and shell completions are not built (set HB_PYTHON)")
endif()
foreach(tool plot report)
  set(HB_SCRIPT ${tool})
  set(HB_LAUNCHER hbmbench-${tool})
  configure_file(${CMAKE_SOURCE_DIR}/packaging/launcher.py.in
                 ${CMAKE_BINARY_DIR}/launchers/hbmbench-${tool} @ONLY)
  install(PROGRAMS ${CMAKE_BINARY_DIR}/launchers/hbmbench-${tool} DESTINATION ${CMAKE_INSTALL_BINDIR})
endforeach()

# Documentation (CMAKE_INSTALL_DOCDIR: share/doc/hbmbench).
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")
install(FILES ${CMAKE_SOURCE_DIR}/results/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/results)

# The man page and the completions, from the binary that was just linked.
# Not when cross-compiling (the binary cannot run here).
if(HB_PYTHON AND NOT CMAKE_CROSSCOMPILING)
  set(HB_HELP_DIR ${CMAKE_BINARY_DIR}/help-files)
  set(HB_HELP_FILES ${HB_HELP_DIR}/hbmbench.1 ${HB_HELP_DIR}/hbmbench.bash ${HB_HELP_DIR}/_hbmbench)
  add_custom_command(
    OUTPUT ${HB_HELP_FILES}
    # Leak checks off: a sanitizer build's --help must not fail the build.
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
            ${HB_PYTHON} ${CMAKE_SOURCE_DIR}/packaging/gen_help_files.py $<TARGET_FILE:hbmbench> ${HB_HELP_DIR}
    DEPENDS hbmbench ${CMAKE_SOURCE_DIR}/packaging/gen_help_files.py
            ${CMAKE_SOURCE_DIR}/packaging/completion/hbmbench.bash.in
            ${CMAKE_SOURCE_DIR}/packaging/completion/_hbmbench.zsh.in
    COMMENT "Man page and bash/zsh completions from hbmbench's --help"
    VERBATIM)
  add_custom_target(hb_help_files ALL DEPENDS ${HB_HELP_FILES})
  install(FILES ${HB_HELP_DIR}/hbmbench.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${HB_HELP_DIR}/hbmbench.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME hbmbench)
  install(FILES ${HB_HELP_DIR}/_hbmbench DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
endif()
