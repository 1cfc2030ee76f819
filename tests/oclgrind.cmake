# SPDX-License-Identifier: Apache-2.0
# Every OpenCL kernel under Oclgrind (Debian's `oclgrind` 21.10, installed by
# scripts/install-deps.sh --with-test-tools), the device simulator that
# reports out-of-bounds accesses, data races in local and global memory,
# barrier divergence and OpenCL API misuse: tests/oclgrind_run.sh fails on
# any of its diagnostics and on any result or tuning configuration that did
# not run and verify. Tiny, odd sizes (every tail path runs) keep the stage
# within minutes; `ctest -L oclgrind` runs it alone. Skipped (77) without
# oclgrind.
#
# Oclgrind's device is a GPU (1 compute unit, work-groups up to 1024, 32 KiB
# of local memory), so a plain run takes the GPU tuning grids: stream in
# the grid pattern x every vector width x store at work-groups of 64 to 1024, the
# GPU GEMM list ("local", "tile", GEMV "dot"), the roofline's grid pattern.
#
# The release build runs these; the sanitizer build does not: they check the
# kernels, which are the same in both, and an instrumented shim cannot be
# preloaded into PoCL's linker.
if(NOT HB_SANITIZE)
find_program(HB_BASH bash REQUIRED)

set(HB_STREAM_ALL copy,scale,add,triad,dot,read,write)
set(HB_ONE_PASS --iters 1 --warmup 0 --tune-iters 1)
# 5003 elements: a scalar tail for every vector width; the grid pattern's
# reductions loop more than once (64 groups of 64 at most on one unit).
set(HB_STREAM_SIZE --size 5003)
# Square, skinny and GEMV-like shapes, each a multiple of no tile (K = 37:
# two whole k tiles of 16 and a part); each class runs its whole list at its
# first shape, the others the winner: 67x45x5 (skinny: the non-temporal
# tiles), 5x9x3 (M and N below one block), 37x1x45 (the N = 1 branch of "dot").
set(HB_GEMM_SIZES --gemm-impl hbmbench --gemm-sizes 67x45x37,67x45x5,40x3x45,37x1x45,5x9x3)
# 1001 elements: a tail past the last chunk of every roofline configuration
# (and of every stream vector width).
set(HB_SMALL_SIZE --size 1001)

# hb_oclgrind_test(NAME [OCLGRIND_RUN_OPTIONS...] -- RUN_ARGS...)
function(hb_oclgrind_test name)
  list(FIND ARGN "--" split)
  list(SUBLIST ARGN 0 ${split} opts)
  math(EXPR first "${split} + 1")
  list(SUBLIST ARGN ${first} -1 run_args)
  add_test(NAME ${name}
           COMMAND ${HB_BASH} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/oclgrind_run.sh ${opts}
                   $<TARGET_FILE:hbmbench> /usr/bin/python3 ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/oclgrind_check.py
                   -- ${run_args} ${HB_ONE_PASS})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS oclgrind)
endfunction()

# The GPU grids, whole: every stream variant at work-groups of 64 to 1024.
foreach(dt f32 f64)
  hb_oclgrind_test(oclgrind_stream_${dt} --check "--type GPU --stream-variants --wg 256,1024"
                   -- --bench ${HB_STREAM_ALL} --dtype ${dt} ${HB_STREAM_SIZE} --tune full)
endforeach()
hb_oclgrind_test(oclgrind_gemm --check "--type GPU --gemm-algos local,tile,dot"
                 -- --bench gemm ${HB_GEMM_SIZES} --dtype f32,f64 --tune full)
hb_oclgrind_test(oclgrind_roofline --check "--type GPU --roofline grid"
                 -- --bench roofline --dtype f32,f64 ${HB_SMALL_SIZE} --tune full)

add_test(NAME oclgrind_selftest
         COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/oclgrind_selftest.sh ${CMAKE_SOURCE_DIR}/kernels/opencl
                 ${CMAKE_CURRENT_LIST_DIR}/oclgrind_run.sh $<TARGET_FILE:hbmbench> /usr/bin/python3
                 ${CMAKE_CURRENT_LIST_DIR}/oclgrind_check.py)
set_tests_properties(oclgrind_selftest PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS oclgrind)

# The CPU grids (GEMM "panel" and non-temporal tiles, the roofline's block
# pattern and non-temporal stores, stream work-groups of 1) run under
# Oclgrind with its device reported as a CPU by tests/device_type_shim.c;
# PoCL, reported as a GPU, runs and verifies the GPU grids on a real
# compiler (no environment setting of PoCL 3.1 changes a device's type: its
# basic and pthread drivers are CPUs). A `hbmbench run` option that picks
# the grid (say --tune-grid cpu|gpu) or forces one configuration (--config
# pattern=grid,vec=4,wg=1024,store=plain) would make the shim unnecessary.
add_library(hb_device_type_shim MODULE ${CMAKE_CURRENT_LIST_DIR}/device_type_shim.c)
target_include_directories(hb_device_type_shim PRIVATE ${OpenCL_INCLUDE_DIRS})
target_compile_definitions(hb_device_type_shim PRIVATE CL_TARGET_OPENCL_VERSION=300)
target_link_libraries(hb_device_type_shim PRIVATE ${CMAKE_DL_LIBS})
set(HB_SHIM $<TARGET_FILE:hb_device_type_shim>)

# The CPU grid's quick list: work-groups of 1 (no reduction steps) to 256.
hb_oclgrind_test(oclgrind_stream_cpu --as CPU ${HB_SHIM} --check "--type CPU --wg 1,64,256"
                 -- --bench ${HB_STREAM_ALL} --dtype f32,f64 ${HB_STREAM_SIZE} --tune quick)
# The CPU lists (--tune quick: every algorithm of the derived grid; full
# adds more "blocked" blocks and one "panel" and one "tile" point, which
# tests/test_gemm_pocl.c runs on PoCL). Local memory as PoCL's, 1 MiB.
hb_oclgrind_test(oclgrind_gemm_cpu --as CPU ${HB_SHIM} --oclgrind "--local-mem-size 1048576"
                 --check "--type CPU --gemm-algos blocked,packed,tile,dot --gemm-nt"
                 -- --bench gemm ${HB_GEMM_SIZES} --dtype f32,f64 --tune quick)
hb_oclgrind_test(oclgrind_roofline_cpu --as CPU ${HB_SHIM} --check "--type CPU --roofline block"
                 -- --bench roofline --dtype f32,f64 ${HB_SMALL_SIZE} --tune full)
# The GPU grids' quick lists on PoCL's first device (work-groups up to 1024).
hb_oclgrind_test(pocl_gpu_grid --pocl --as GPU ${HB_SHIM}
                 --check "--type GPU --wg 256,1024 --gemm-algos local,tile,dot --roofline grid"
                 -- --bench ${HB_STREAM_ALL},gemm,roofline --dtype f32,f64 --size 64KiB --tune quick
                    --gemm-impl hbmbench --gemm-sizes 200x136x72,1000x3x500)
set_tests_properties(pocl_gpu_grid PROPERTIES LABELS pocl)

# Uninitialised values (--uninitialized), apart and only on the kernels that
# Oclgrind 21.10 can follow: it crashes (SIGSEGV in
# Uninitialized::instructionExecuted) on the stream reductions (dot, read),
# and stops at LLVM's `freeze` instruction ("Unsupported instruction:
# freeze") in gemm_local and gemm_panel, whose results are then NaN. It also
# keeps its record of released buffers: copy in f32 then f64 in one process
# reports every f64 element past the f32 array's bytes as uninitialised
# (f64 then f32 reports none), though all verify; so each bench and dtype
# runs in a process of its own. The quick lists: the plugin makes a run
# about four times slower. The outputs are checked on the host (--verify
# host): read by the device check kernel after a stream kernel wrote them
# (write, grid pattern, float4 stores), 942 of 1001 elements are reported
# as uninitialised, though every one holds its right value (the host check
# passes); the check kernel itself runs under Oclgrind in every other test
# here.
hb_oclgrind_test(oclgrind_uninitialized_stream --uninitialized --check "--type GPU"
                 -- --bench copy,scale,add,triad,write --dtype f32,f64 ${HB_SMALL_SIZE} --tune quick --verify host)
# 257 elements: still a tail past the last chunk; k goes to 256 per element.
hb_oclgrind_test(oclgrind_uninitialized_roofline --uninitialized --check "--type GPU"
                 -- --bench roofline --dtype f32,f64 --size 257 --tune quick)
endif()
