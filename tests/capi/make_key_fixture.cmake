cmake_minimum_required(VERSION 3.18)
# Makes fresh certificates and keys for the C ABI test, at test time (no key
# is committed): a self-signed clientAuth certificate with its key, the same
# key encrypted with the passphrase "secret", an unrelated key, and a test CA
# with a server certificate for server.capi.trustbundle.test.
#   cmake -DOPENSSL=openssl -DDIR=out -P make_key_fixture.cmake
if(NOT OPENSSL OR NOT DIR)
  message(FATAL_ERROR "make_key_fixture: -DOPENSSL=... and -DDIR=... are required")
endif()
file(REMOVE_RECURSE "${DIR}")
file(MAKE_DIRECTORY "${DIR}")
function(run)
  execute_process(COMMAND "${OPENSSL}" ${ARGN} WORKING_DIRECTORY "${DIR}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "openssl ${ARGN} failed (${rc}): ${err}")
  endif()
endfunction()
run(req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.pem
    -days 30 -subj "/CN=trustbundle capi test client" -addext "extendedKeyUsage=clientAuth")
run(pkcs8 -topk8 -in client.key -out client-encrypted.key -passout pass:secret)
run(genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key)
file(WRITE "${DIR}/ca.cnf" "[req]
distinguished_name = dn
prompt = no
[dn]
CN = trustbundle capi test CA
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:server.capi.trustbundle.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
")
run(req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 30
    -config ca.cnf -extensions v3_ca)
run(req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr
    -subj "/CN=server.capi.trustbundle.test")
run(x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 7 -days 7 -extfile ca.cnf
    -extensions v3_server -out server.pem)
message(STATUS "test certificates and keys in ${DIR}")
