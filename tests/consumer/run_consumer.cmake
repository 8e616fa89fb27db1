# cmake -P driver for one consumer test (see CMakeLists.txt).
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK}")
# Sanitizer flags of the enclosing build are not passed on: consumers build plainly.
set(common -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release)
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} -S "${DAREKIT_SOURCE}" -B "${WORK}/darekit-build" ${common}
      -DDAREKIT_BUILD_TESTS=OFF -DDAREKIT_BUILD_BENCH=OFF -DDAREKIT_BUILD_FUZZ=OFF
      -DDAREKIT_BUILD_TOOLS=OFF -DDAREKIT_INSTALL=ON)
  run(${CMAKE_COMMAND} --install "${WORK}/darekit-build" --prefix "${WORK}/prefix")
  run(${CMAKE_COMMAND} -S "${CMAKE_CURRENT_LIST_DIR}/find_package" -B "${WORK}/app" ${common}
      "-DCMAKE_PREFIX_PATH=${WORK}/prefix")
else()
  run(${CMAKE_COMMAND} -S "${CMAKE_CURRENT_LIST_DIR}/add_subdirectory" -B "${WORK}/app" ${common}
      "-DDAREKIT_SOURCE=${DAREKIT_SOURCE}")
endif()
run(${CMAKE_COMMAND} --build "${WORK}/app")
run("${WORK}/app/consumer")
message(STATUS "consumer (${MODE}) built and ran")
