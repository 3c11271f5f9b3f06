cmake_minimum_required(VERSION 3.18)
# Compares the functions libtrustbundle.so exports with the golden list.
#   cmake -DNM=nm -DLIBRARY=libtrustbundle.so -DGOLDEN=exported_symbols.txt
#         -DHEADER=trustbundle.h -DCAPI_TEST=capi_test.c -P check_exported_symbols.cmake
# Fails when:
# - the defined text (T) symbols of the library differ from the list;
# - any other exported symbol belongs to the project (names containing
#   "trustbundle", i.e. C++ internals that should be hidden); with
#   -DSTRICT=ON, any other exported symbol at all (e.g. std:: template
#   instantiations that libstdc++'s headers give default visibility);
# - a TRUSTBUNDLE_API function of the header is missing from the list, or
#   the list names one the header does not declare;
# - the C test does not call every listed function.
foreach(var NM LIBRARY GOLDEN HEADER CAPI_TEST)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_exported_symbols: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${NM}" -D --defined-only "${LIBRARY}"
  OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIBRARY}: ${nm_err}")
endif()

file(STRINGS "${GOLDEN}" golden REGEX "^[A-Za-z_][A-Za-z0-9_]*$")
list(SORT golden)

string(REPLACE "\n" ";" nm_lines "${nm_out}")
set(exported_text "")
set(leaked "")
foreach(line IN LISTS nm_lines)
  if(line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) (.+)$")
    set(kind "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    string(REGEX REPLACE "@.*$" "" name "${name}")  # symbol versions
    if(kind STREQUAL "T")
      list(APPEND exported_text "${name}")
    elseif(STRICT OR name MATCHES "trustbundle")
      list(APPEND leaked "${kind} ${name}")
    endif()
  endif()
endforeach()
list(SORT exported_text)
list(REMOVE_DUPLICATES exported_text)

set(problems "")
foreach(name IN LISTS exported_text)
  if(NOT name IN_LIST golden)
    string(APPEND problems "  exported but not in the golden list (hide it, or add it on purpose): ${name}\n")
  endif()
endforeach()
foreach(name IN LISTS golden)
  if(NOT name IN_LIST exported_text)
    string(APPEND problems "  in the golden list but not exported as a function: ${name}\n")
  endif()
endforeach()
foreach(entry IN LISTS leaked)
  string(APPEND problems "  exported symbol that should be hidden: ${entry}\n")
endforeach()

# The header's TRUSTBUNDLE_API functions are exactly the list.
file(READ "${HEADER}" header)
string(REGEX MATCHALL "TRUSTBUNDLE_API[^;(]*[ *](trustbundle_[a-z0-9_]+)[ \t\n]*\\(" declarations "${header}")
set(declared "")
foreach(decl IN LISTS declarations)
  string(REGEX MATCH "trustbundle_[a-z0-9_]+[ \t\n]*\\($" fn "${decl}")
  string(REGEX REPLACE "[ \t\n]*\\($" "" fn "${fn}")
  list(APPEND declared "${fn}")
endforeach()
list(SORT declared)
if(NOT declared STREQUAL golden)
  string(APPEND problems "  the header declares [${declared}]\n  the golden list has  [${golden}]\n")
endif()

# The C test calls every one of them.
file(READ "${CAPI_TEST}" capi_source)
foreach(name IN LISTS golden)
  if(NOT capi_source MATCHES "${name}\\(")
    string(APPEND problems "  tests/capi/capi_test.c never calls ${name}\n")
  endif()
endforeach()

list(LENGTH golden n)
if(problems)
  message(FATAL_ERROR "exported symbols of ${LIBRARY} do not match ${GOLDEN}:\n${problems}")
endif()
message(STATUS "exported symbols: the ${n} functions of the golden list, nothing else of the project")
