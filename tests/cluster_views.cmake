# SPDX-License-Identifier: Apache-2.0
# Files of MPI runs read by compare, plot.py and report.py (docs/cluster.md):
# fixtures made by the test, so it runs in every build, with or without MPI.
set(HB_CLUSTER_VIEWS_PYTHON /usr/bin/python3 CACHE FILEPATH
    "Python with matplotlib and jsonschema, for the MPI-file views test")
add_test(NAME cluster_views
         COMMAND ${HB_CLUSTER_VIEWS_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/cluster_views_test.py
                 ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cluster_views_tmp $<TARGET_FILE:hbmbench>)
set_tests_properties(cluster_views PROPERTIES TIMEOUT 300)
