# Runs cmake/check_layering.cmake on FIXTURE and passes only if it fails with a message
# matching EXPECT: proves the check catches that kind of violation (tests/layering/).
execute_process(
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${FIXTURE} -P ${CHECK}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(result EQUAL 0)
  message(FATAL_ERROR "the layering check accepted ${FIXTURE}:\n${out}${err}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "the layering check failed, but not with \"${EXPECT}\":\n${out}${err}")
endif()
message(STATUS "rejected as expected: ${EXPECT}")
