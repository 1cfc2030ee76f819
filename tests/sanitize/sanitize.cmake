# SPDX-License-Identifier: Apache-2.0
# Sanitizer builds (-DHB_SANITIZE=ON, top-level CMakeLists.txt): how every
# test runs. Included by tests/CMakeLists.txt after all tests exist.
#  - ASan/UBSan stop at the first error (halt_on_error; UBSan is built with
#    -fno-sanitize-recover) and LeakSanitizer runs at exit, so any error or
#    leak fails the test;
#  - lsan.supp names what PoCL, LLVM and the system libraries leak (each
#    entry says why); our code has no entry;
#  - keep_loaded.c keeps plugins loaded so their leaks can be named at all;
#    it is built without sanitizers, as it is also preloaded into the
#    Python test drivers (which are not).
add_library(hb_keep_loaded SHARED ${CMAKE_CURRENT_LIST_DIR}/keep_loaded.c)
target_compile_options(hb_keep_loaded PRIVATE -fno-sanitize=all)
target_link_options(hb_keep_loaded PRIVATE -fno-sanitize=all)

get_property(hb_all_tests DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTY TESTS)
# verify_asan_link_order=0: with gcc (a shared ASan runtime) the preloaded
# library would come first and ASan would refuse to start; clang links the
# runtime statically and never checks.
# use_sigaltstack=0: discovery runs in threads (runner/core/deadline.c), and
# in a thread that loads PoCL, LLVM installs its own alternate signal stack
# from malloc'd memory; at the thread's exit ASan then tries to munmap that
# stack as if it were its own and aborts ("failed to deallocate 0x12000
# bytes", "unable to unmap"). Without ASan's alternate stack there is
# nothing to unmap; a stack overflow is then reported less clearly, nothing
# else changes.
set(hb_san_env
    "LD_PRELOAD=$<TARGET_FILE:hb_keep_loaded>"
    "ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:verify_asan_link_order=0:detect_stack_use_after_return=1:use_sigaltstack=0"
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_LIST_DIR}/lsan.supp:print_suppressions=0"
    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")
foreach(t IN LISTS hb_all_tests)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT ${hb_san_env})
endforeach()
