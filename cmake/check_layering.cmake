# The layering check: every module may include only itself and the modules below it, so
# dependencies point down (docs/ARCHITECTURE.md). Run at build time by the `check_layering`
# target (part of `all`: a violation fails the build) and by ctest:
#
#   cmake -DSOURCE_DIR=<tree> -P cmake/check_layering.cmake
#
# It reads the `#include "..."` lines of every .h and .cc under the modules' folders; an include
# naming a module folder ("index/segment/term_dict.h") or a public header ("scour/searcher.h")
# must name a module the including file's module may use. Other includes (absl, ICU, system
# headers) are not ours and are ignored. Exit status 1 and one line per violation otherwise.

# Each module and the modules it may include, bottom-up. A module is a top-level folder, or a
# folder of index/ (index/ is large enough that its folders are layered too). The list is closed
# under "below": everything a module's dependencies may use is listed for it as well.
cmake_minimum_required(VERSION 3.22)

set(_layers
  "base|"
  "tokenizer|base"
  "synonyms|base tokenizer"
  "ingest|base"
  "index/directory|base"
  "index/format|base index/directory"
  "index/postings|base index/directory index/format"
  "index/segment|base index/directory index/format index/postings"
  "index/inverter|base tokenizer index/directory index/format index/postings index/segment"
  "index/commit|base tokenizer synonyms index/directory index/format index/postings index/segment"
  "index/writer|base tokenizer synonyms index/directory index/format index/postings index/segment index/inverter index/commit"
  "index/inspect|base tokenizer synonyms index/directory index/format index/postings index/segment index/commit"
  "engine|base tokenizer synonyms ingest index"
  "shards|base tokenizer synonyms ingest index engine"
  "eval|base tokenizer synonyms ingest index engine shards"
  "cli|base tokenizer synonyms ingest index engine shards eval"
  "python|base tokenizer synonyms ingest index engine shards eval")

# The installed headers (include/scour/) each belong to the module that implements them; using
# one counts as using that module, and a header may itself use only what its module may.
set(_public
  "export.h|base"
  "document.h|base"
  "analyzer.h|tokenizer"
  "synonyms.h|synonyms"
  "index_reader.h|index/commit"
  "index_writer.h|index/writer"
  "searcher.h|engine"
  "similarity.h|engine"
  "distributed.h|shards"
  "evaluation.h|eval"
  "statistics.h|base"
  "document_source.h|ingest")

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_layering: pass -DSOURCE_DIR=<source tree>")
endif()
get_filename_component(SOURCE_DIR "${SOURCE_DIR}" ABSOLUTE)

set(_modules)
foreach(entry IN LISTS _layers)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 name)
  list(LENGTH parts n)
  set(allowed "")
  if(n GREATER 1)
    list(GET parts 1 allowed)
    string(REPLACE " " ";" allowed "${allowed}")
  endif()
  list(APPEND _modules ${name})
  # "index" stands for every folder of index/ listed before.
  set(expanded "")
  foreach(a IN LISTS allowed)
    if(a STREQUAL "index")
      foreach(m IN LISTS _modules)
        if(m MATCHES "^index/")
          list(APPEND expanded ${m})
        endif()
      endforeach()
    else()
      list(APPEND expanded ${a})
    endif()
  endforeach()
  set(_allowed_${name} ${name} ${expanded})
endforeach()
foreach(entry IN LISTS _public)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 header)
  list(GET parts 1 owner)
  set(_owner_${header} ${owner})
endforeach()

# The module a path (relative to SOURCE_DIR, or an include path) belongs to, or "" if none.
function(_module_of path out)
  set(result "")
  if(path MATCHES "^scour/([^/]+)$")
    set(header "${CMAKE_MATCH_1}")
    if(DEFINED _owner_${header})
      set(result "${_owner_${header}}")
    else()
      set(result "?public")
    endif()
  elseif(path MATCHES "^include/scour/([^/]+)$")
    _module_of("scour/${CMAKE_MATCH_1}" result)
  elseif(path MATCHES "^index/([^/]+)/")
    set(result "index/${CMAKE_MATCH_1}")
    if(NOT result IN_LIST _modules)
      set(result "?index")
    endif()
  elseif(path MATCHES "^index/[^/]+$")
    set(result "?index")
  elseif(path MATCHES "^([^/]+)/")
    if(CMAKE_MATCH_1 IN_LIST _modules)
      set(result "${CMAKE_MATCH_1}")
    endif()
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

set(_dirs base tokenizer ingest index engine eval cli python/src include/scour)
set(_files)
foreach(d IN LISTS _dirs)
  if(IS_DIRECTORY "${SOURCE_DIR}/${d}")
    file(GLOB_RECURSE found RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/${d}/*.h"
         "${SOURCE_DIR}/${d}/*.cc")
    list(APPEND _files ${found})
  endif()
endforeach()
list(SORT _files)

set(_errors 0)
foreach(file IN LISTS _files)
  _module_of("${file}" from)
  if(from STREQUAL "?public")
    message("${file}: public header not assigned to a module: add it to _public in cmake/check_layering.cmake")
    math(EXPR _errors "${_errors} + 1")
    continue()
  elseif(from STREQUAL "?index")
    message("${file}: not in a known index/ folder: index/ code lives in one of its folders, listed in _layers in cmake/check_layering.cmake")
    math(EXPR _errors "${_errors} + 1")
    continue()
  elseif(from STREQUAL "")
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
      continue()
    endif()
    set(inc "${CMAKE_MATCH_1}")
    _module_of("${inc}" to)
    if(to STREQUAL "")
      continue()  # not one of ours (absl/..., unicode/..., libstemmer.h)
    endif()
    if(to MATCHES "^\\?")
      message("${file}: #include \"${inc}\" names no module (see _layers and _public in cmake/check_layering.cmake)")
      math(EXPR _errors "${_errors} + 1")
    elseif(NOT to IN_LIST _allowed_${from})
      list(JOIN _allowed_${from} ", " may)
      message("${file}: ${from} may not include \"${inc}\" (module ${to}); ${from} may use: ${may}")
      math(EXPR _errors "${_errors} + 1")
    endif()
  endforeach()
endforeach()

list(LENGTH _files nfiles)
if(nfiles EQUAL 0)
  message(FATAL_ERROR "check_layering: no source files under ${SOURCE_DIR}")
endif()
if(_errors GREATER 0)
  message(FATAL_ERROR "check_layering: ${_errors} include(s) against the layering (docs/ARCHITECTURE.md); ${nfiles} files checked")
endif()
message(STATUS "check_layering: ${nfiles} files, every include points down")
