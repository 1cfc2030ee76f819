# SPDX-License-Identifier: Apache-2.0
# Fuzzing (tests/fuzz): one libFuzzer target per parser. In every build each
# target also becomes fuzz_<name>_replay, which runs its seed corpus and its
# saved findings once (tests/fuzz/corpus/<name>, tests/fuzz/findings/<name>):
# the regression test of every fixed finding, without clang. With -DHB_FUZZ=ON
# (clang) the real targets are built, and fuzz_<name> runs each for
# HB_FUZZ_SECONDS (CI: a short run; long runs: docs/testing.md, "The test suite").
set(HB_FUZZ_TARGETS parse select peaks result locate rules args solo tcache)
set(HB_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz_<name> test fuzzes for")
set(HB_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR}/fuzz)

foreach(t IN LISTS HB_FUZZ_TARGETS)
  add_executable(fuzz_${t}_replay ${HB_FUZZ_DIR}/fuzz_${t}.c ${HB_FUZZ_DIR}/replay_main.c)
  target_link_libraries(fuzz_${t}_replay PRIVATE hbcore)
  target_include_directories(fuzz_${t}_replay PRIVATE ${HB_FUZZ_DIR})
  add_test(NAME fuzz_${t}_replay
           COMMAND fuzz_${t}_replay ${HB_FUZZ_DIR}/corpus/${t} ${HB_FUZZ_DIR}/findings/${t})
  set_tests_properties(fuzz_${t}_replay PROPERTIES TIMEOUT 120 LABELS fuzz)
  if(HB_FUZZ)
    add_executable(fuzz_${t} ${HB_FUZZ_DIR}/fuzz_${t}.c)
    target_link_libraries(fuzz_${t} PRIVATE hbcore)
    target_include_directories(fuzz_${t} PRIVATE ${HB_FUZZ_DIR})
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
    # New inputs go to a corpus in the build tree; the seeds stay as committed.
    # -timeout: an input that takes 10 s is a finding (the locator's hang).
    set(work ${CMAKE_CURRENT_BINARY_DIR}/fuzz-corpus/${t})
    file(MAKE_DIRECTORY ${work})
    add_test(NAME fuzz_${t}
             COMMAND fuzz_${t} -max_total_time=${HB_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048
                     -max_len=65536 -print_final_stats=1 -artifact_prefix=${work}/../${t}-
                     ${work} ${HB_FUZZ_DIR}/corpus/${t})
    set_tests_properties(fuzz_${t} PROPERTIES TIMEOUT 600 LABELS fuzz)
  endif()
endforeach()
