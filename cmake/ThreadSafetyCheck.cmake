# scour_check_thread_safety(SOURCES <file>...)
#
# Compiler-checked lock annotations: state guarded by a lock is declared ABSL_GUARDED_BY(mu_),
# and functions that expect a lock ABSL_EXCLUSIVE_LOCKS_REQUIRED / ABSL_LOCKS_EXCLUDED. GCC
# ignores these attributes; clang's -Wthread-safety checks them. So when the build compiler is
# not clang, each listed file is also compiled by clang++ (syntax only, -Wthread-safety
# -Werror) as part of `all`, and a lock misuse fails the build; when it is clang, the flag is
# simply on for every target. No clang++ installed: a warning at configure time, no check.
function(scour_check_thread_safety)
  cmake_parse_arguments(T "" "" "SOURCES" ${ARGN})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(scour_build_flags INTERFACE -Wthread-safety)
    return()
  endif()
  find_program(SCOUR_CLANGXX NAMES clang++ clang++-16 clang++-15 clang++-14)
  if(NOT SCOUR_CLANGXX)
    message(WARNING "clang++ not found: lock annotations are not checked (scripts/install-deps.sh installs it)")
    return()
  endif()
  set(includes "$<TARGET_PROPERTY:absl::core_headers,INTERFACE_INCLUDE_DIRECTORIES>")
  set(stamps)
  foreach(src IN LISTS T_SOURCES)
    string(MAKE_C_IDENTIFIER "${src}" id)
    set(stamp "${CMAKE_CURRENT_BINARY_DIR}/thread_safety/${id}.stamp")
    add_custom_command(OUTPUT "${stamp}"
      COMMAND "${SCOUR_CLANGXX}" -fsyntax-only -std=c++20 -Wthread-safety -Wthread-safety-beta
        -Werror -I${PROJECT_SOURCE_DIR} -I${PROJECT_SOURCE_DIR}/include
        "$<$<BOOL:${includes}>:-I$<JOIN:${includes},;-I>>"
        -MD -MF "${stamp}.d" -MT "${stamp}" "${PROJECT_SOURCE_DIR}/${src}"
      COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
      DEPENDS "${PROJECT_SOURCE_DIR}/${src}"
      DEPFILE "${stamp}.d"
      COMMENT "Checking lock annotations of ${src} (clang -Wthread-safety)"
      COMMAND_EXPAND_LISTS VERBATIM)
    list(APPEND stamps "${stamp}")
  endforeach()
  file(MAKE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/thread_safety")
  add_custom_target(check_thread_safety ALL DEPENDS ${stamps})
endfunction()
