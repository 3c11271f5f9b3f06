# Makes a fresh test PKI for the verification tests (CTest fixture
# verify_pki): removes OUTDIR, then runs tests/pki/generate.py OUTDIR.
#   cmake -DPYTHON=... -DGENERATOR=.../generate.py -DOUTDIR=... -P generate_pki.cmake
foreach(var PYTHON GENERATOR OUTDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "generate_pki.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${PYTHON}")
  message(FATAL_ERROR "no Python interpreter at '${PYTHON}': set TRUSTBUNDLE_PYTHON to a Python that has the "
                      "`cryptography` package (pip install -r tests/pki/requirements.txt)")
endif()
file(REMOVE_RECURSE "${OUTDIR}")
execute_process(COMMAND "${PYTHON}" "${GENERATOR}" "${OUTDIR}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tests/pki/generate.py failed (${rc}) with ${PYTHON}:\n${out}${err}\n"
                      "It needs the `cryptography` package: pip install -r tests/pki/requirements.txt, "
                      "or point TRUSTBUNDLE_PYTHON at a Python that has it.")
endif()
message(STATUS "${out}")
