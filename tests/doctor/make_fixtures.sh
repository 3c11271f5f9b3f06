#!/usr/bin/env bash
# Test material for the doctor tests (CTest fixture doctor_fixtures):
#   make_fixtures.sh PYTHON OPENSSL OUTDIR
# OUTDIR/pki    the shared test PKI (tests/pki/generate.py, fresh keys)
# OUTDIR/extra  what the shared PKI has no scenario for, made with the
#               openssl CLI (X.509 v3 profile that X509_V_FLAG_X509_STRICT
#               accepts, as generate.py documents):
#   deep/     Deep Root -> Deep Intermediate A -> Deep Intermediate B -> localhost;
#             chain-out-of-order.pem sends A before B (B issued the leaf)
#   soon/     Soon Root -> Soon Intermediate (expires in 20 days) -> localhost (in 10 days)
#   wrong-client/  a clientAuth certificate from a CA no test server trusts
#   hostile/  a self-signed localhost certificate whose CN holds terminal
#             control sequences (ESC, and CSI as UTF-8 U+009B)
#   mtls-cas.pem   Test Root CA + Test Intermediate CA, for s_server -CAfile
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: make_fixtures.sh PYTHON OPENSSL OUTDIR" >&2
  exit 2
fi
python=$1 openssl=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out/extra"
"$python" "$here/../pki/generate.py" "$out/pki" >/dev/null
cat "$out/pki/root.pem" "$out/pki/intermediate.pem" >"$out/extra/mtls-cas.pem"

x="$out/extra"
ext="$x/ext.cnf"
cat >"$ext" <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

serial() { echo "0x$("$openssl" rand -hex 15)"; }
key() { "$openssl" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# root DIR STEM CN
root() {
  key "$1/$2.key"
  "$openssl" req -new -key "$1/$2.key" -subj "/O=trustbundle doctor test/CN=$3" -out "$1/$2.csr"
  "$openssl" x509 -req -in "$1/$2.csr" -signkey "$1/$2.key" -days 3650 -set_serial "$(serial)" \
    -extfile "$ext" -extensions root -out "$1/$2.pem" 2>/dev/null
}

# issue DIR STEM CN ISSUER_STEM DAYS SECTION
issue() {
  key "$1/$2.key"
  "$openssl" req -new -key "$1/$2.key" -subj "/O=trustbundle doctor test/CN=$3" -out "$1/$2.csr"
  "$openssl" x509 -req -in "$1/$2.csr" -CA "$1/$4.pem" -CAkey "$1/$4.key" -days "$5" -set_serial "$(serial)" \
    -extfile "$ext" -extensions "$6" -out "$1/$2.pem" 2>/dev/null
}

mkdir -p "$x/deep" "$x/soon" "$x/wrong-client"
root "$x/deep" root "Deep Root"
issue "$x/deep" int-a "Deep Intermediate A" root 3000 ca
issue "$x/deep" int-b "Deep Intermediate B" int-a 3000 ca
issue "$x/deep" leaf localhost int-b 365 server
cat "$x/deep/int-a.pem" "$x/deep/int-b.pem" >"$x/deep/chain-out-of-order.pem"

root "$x/soon" root "Soon Root"
issue "$x/soon" intermediate "Soon Intermediate" root 20 ca
issue "$x/soon" leaf localhost intermediate 10 server

root "$x/wrong-client" root "Wrong Client CA"
issue "$x/wrong-client" client "Wrong Client" root 365 client
mkdir -p "$x/hostile"
key "$x/hostile/leaf.key"
"$openssl" req -x509 -new -utf8 -key "$x/hostile/leaf.key" -days 365 -set_serial "$(serial)" \
  -subj "/O=trustbundle doctor test/CN=hostile"$'\033'"[2J"$'\302\233'"31m" \
  -addext "subjectAltName=DNS:localhost" -out "$x/hostile/leaf.pem"

rm -f "$x"/*/*.csr
echo "doctor fixtures in $out"
