# SPDX-License-Identifier: Apache-2.0
# MPI runs (runner/cluster/, docs/cluster.md): only in a build with
# HB_WITH_MPI. The unit test needs no launcher; the mpirun tests run three
# ranks on PoCL with tiny sizes (a few seconds each) and exit 77 (skipped)
# when there is no Open MPI mpirun.
if(HB_WITH_MPI)
  find_program(HB_BASH bash REQUIRED)
  set(HB_SCHEMA_PY /usr/bin/python3 CACHE FILEPATH "Python with python3-jsonschema (Debian's)")
  add_executable(test_cluster_units ${CMAKE_CURRENT_LIST_DIR}/test_cluster_units.c)
  target_link_libraries(test_cluster_units PRIVATE hb_cluster)
  add_test(NAME cluster_units COMMAND test_cluster_units)

  find_program(HB_MPIRUN NAMES mpirun mpiexec HINTS ${MPIEXEC_EXECUTABLE})
  foreach(case gather slow fail hang)
    add_test(NAME cluster_mpi_${case}
             COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/cluster_mpi.sh ${case} $<TARGET_FILE:hbmbench>
                     ${HB_SCHEMA_PY} ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py "${HB_MPIRUN}")
    # Three ranks: with ctest -j the test takes the slots of two.
    set_tests_properties(cluster_mpi_${case} PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77 PROCESSORS 2)
  endforeach()
  # The gathered file's writer (rank 0's and merge's) holds one report at a
  # time: 300 ranks' partial files, peak memory under 3x their text
  # (scripts/cluster_memory.py; docs/cluster.md, "Rank 0's memory").
  add_test(NAME cluster_memory
           COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/cluster_memory.py $<TARGET_FILE:hbmbench> -
                   300 ${CMAKE_CURRENT_BINARY_DIR}/cluster_memory_tmp --max-ratio 3)
  set_tests_properties(cluster_memory PROPERTIES TIMEOUT 300)
  # The Slurm examples (scripts/slurm/) under a single-node Slurm the test
  # starts itself; skipped, with the reason, where it cannot (no slurm-wlm,
  # not root, the daemons do not come up). Ports of its own: run alone.
  add_test(NAME cluster_slurm
           COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/cluster_slurm.sh $<TARGET_FILE:hbmbench> ${CMAKE_SOURCE_DIR}
                   ${HB_SCHEMA_PY} ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py)
  set_tests_properties(cluster_slurm PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
  # Ranks killed, stopped, mis-configured; rank 0 dying (tests/cluster_mpi_faults.sh).
  foreach(case kill conckill term stop badopt rootdies)
    add_test(NAME cluster_mpi_${case}
             COMMAND ${HB_BASH} ${CMAKE_CURRENT_LIST_DIR}/cluster_mpi_faults.sh ${case} $<TARGET_FILE:hbmbench>
                     ${HB_SCHEMA_PY} ${CMAKE_CURRENT_LIST_DIR}/validate_schema.py "${HB_MPIRUN}")
    set_tests_properties(cluster_mpi_${case} PROPERTIES TIMEOUT 180 SKIP_RETURN_CODE 77 PROCESSORS 2)
  endforeach()
endif()
