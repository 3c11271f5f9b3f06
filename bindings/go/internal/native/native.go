//go:build cgo

// Package native is the raw cgo binding of the trustbundle C ABI
// (core/include/trustbundle/trustbundle.h) together with the C++ core,
// compiled where it lives: core_<subsystem>.cpp here #include the sources of
// core/src/<subsystem>/ (the module is the repository). The blank import of
// the core package makes Go's build cache see those sources change.
//
// Conversion only: each function makes one or a few C ABI calls, copies Go
// values into C form and C results into Go values, and returns a non-zero
// status as *Failure. The idiomatic API lives in the parent package.
//
// cgo rules followed here: the C side never keeps a Go pointer (every ABI
// function copies its inputs); Go memory passed to C holds no Go pointers (a
// chain goes as one packed []byte plus a []C.size_t of lengths); strings go
// through C.CString and are freed before returning.
package native

/*
#cgo pkg-config: libssl libcrypto
#cgo CFLAGS: -I${SRCDIR}/../../../../core/include
#cgo CXXFLAGS: -std=c++17 -I${SRCDIR}/../../../../core/include -I${SRCDIR}/../../../../core/src -I${SRCDIR}/../../../../core -I${SRCDIR}/../../../../core/data
#cgo LDFLAGS: -lstdc++
#include <stdlib.h>
#include <string.h>
#include "trustbundle/trustbundle.h"
*/
import "C"

import (
	_ "github.com/trustbundle/trustbundle/core" // the core's sources, for the build cache

	"strconv"
	"strings"
	"unsafe"
)

func failure(rc C.int, e *C.trustbundle_error) *Failure {
	return &Failure{
		Status:      int(rc),
		StatusName:  C.GoString(C.trustbundle_status_name(rc)),
		Message:     C.GoString(&e.message[0]),
		OpenSSLCode: int64(e.openssl_code),
	}
}

// cString is C.CString for a string that must not hold a NUL byte (C would
// see only the part before it: a host name or path silently cut short).
// Free the result with C.free.
func cString(s, what string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, invalid(what + " contains a NUL byte")
	}
	return C.CString(s), nil
}

func newError() C.trustbundle_error {
	return C.trustbundle_error{depth: -1}
}

// The ABI's numbers are kept in abi.go (the pure-Go build has no C header);
// each is checked against the header here: a mismatch does not compile.
var (
	_ = [1]struct{}{}[StatusOK-int(C.TRUSTBUNDLE_OK)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_OK)-StatusOK]
	_ = [1]struct{}{}[StatusInvalidArgument-int(C.TRUSTBUNDLE_E_INVALID_ARGUMENT)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_INVALID_ARGUMENT)-StatusInvalidArgument]
	_ = [1]struct{}{}[StatusParse-int(C.TRUSTBUNDLE_E_PARSE)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_PARSE)-StatusParse]
	_ = [1]struct{}{}[StatusIO-int(C.TRUSTBUNDLE_E_IO)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_IO)-StatusIO]
	_ = [1]struct{}{}[StatusNotFound-int(C.TRUSTBUNDLE_E_NOT_FOUND)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_NOT_FOUND)-StatusNotFound]
	_ = [1]struct{}{}[StatusBufferTooSmall-int(C.TRUSTBUNDLE_E_BUFFER_TOO_SMALL)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_BUFFER_TOO_SMALL)-StatusBufferTooSmall]
	_ = [1]struct{}{}[StatusLimit-int(C.TRUSTBUNDLE_E_LIMIT)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_LIMIT)-StatusLimit]
	_ = [1]struct{}{}[StatusInternal-int(C.TRUSTBUNDLE_E_INTERNAL)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_INTERNAL)-StatusInternal]
	_ = [1]struct{}{}[StatusPassphrase-int(C.TRUSTBUNDLE_E_PASSPHRASE)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_E_PASSPHRASE)-StatusPassphrase]
	_ = [1]struct{}{}[ReasonOK-int(C.TRUSTBUNDLE_REASON_OK)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_OK)-ReasonOK]
	_ = [1]struct{}{}[ReasonUnableToGetIssuer-int(C.TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)-ReasonUnableToGetIssuer]
	_ = [1]struct{}{}[ReasonSelfSigned-int(C.TRUSTBUNDLE_REASON_SELF_SIGNED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_SELF_SIGNED)-ReasonSelfSigned]
	_ = [1]struct{}{}[ReasonSelfSignedCertInChain-int(C.TRUSTBUNDLE_REASON_SELF_SIGNED_CERT_IN_CHAIN)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_SELF_SIGNED_CERT_IN_CHAIN)-ReasonSelfSignedCertInChain]
	_ = [1]struct{}{}[ReasonCertHasExpired-int(C.TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED)-ReasonCertHasExpired]
	_ = [1]struct{}{}[ReasonCertNotYetValid-int(C.TRUSTBUNDLE_REASON_CERT_NOT_YET_VALID)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_CERT_NOT_YET_VALID)-ReasonCertNotYetValid]
	_ = [1]struct{}{}[ReasonHostnameMismatch-int(C.TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH)-ReasonHostnameMismatch]
	_ = [1]struct{}{}[ReasonIPAddressMismatch-int(C.TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH)-ReasonIPAddressMismatch]
	_ = [1]struct{}{}[ReasonInvalidPurpose-int(C.TRUSTBUNDLE_REASON_INVALID_PURPOSE)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_INVALID_PURPOSE)-ReasonInvalidPurpose]
	_ = [1]struct{}{}[ReasonPathLengthExceeded-int(C.TRUSTBUNDLE_REASON_PATH_LENGTH_EXCEEDED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_PATH_LENGTH_EXCEEDED)-ReasonPathLengthExceeded]
	_ = [1]struct{}{}[ReasonNameConstraints-int(C.TRUSTBUNDLE_REASON_NAME_CONSTRAINTS_VIOLATION)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_NAME_CONSTRAINTS_VIOLATION)-ReasonNameConstraints]
	_ = [1]struct{}{}[ReasonRootDistrusted-int(C.TRUSTBUNDLE_REASON_ROOT_DISTRUSTED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_ROOT_DISTRUSTED)-ReasonRootDistrusted]
	_ = [1]struct{}{}[ReasonCertSignatureFailure-int(C.TRUSTBUNDLE_REASON_CERT_SIGNATURE_FAILURE)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_CERT_SIGNATURE_FAILURE)-ReasonCertSignatureFailure]
	_ = [1]struct{}{}[ReasonInvalidCA-int(C.TRUSTBUNDLE_REASON_INVALID_CA)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_INVALID_CA)-ReasonInvalidCA]
	_ = [1]struct{}{}[ReasonCertChainTooLong-int(C.TRUSTBUNDLE_REASON_CERT_CHAIN_TOO_LONG)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_CERT_CHAIN_TOO_LONG)-ReasonCertChainTooLong]
	_ = [1]struct{}{}[ReasonWeakKeyOrSignature-int(C.TRUSTBUNDLE_REASON_WEAK_KEY_OR_SIGNATURE)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_WEAK_KEY_OR_SIGNATURE)-ReasonWeakKeyOrSignature]
	_ = [1]struct{}{}[ReasonInvalidCertificate-int(C.TRUSTBUNDLE_REASON_INVALID_CERTIFICATE)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_INVALID_CERTIFICATE)-ReasonInvalidCertificate]
	_ = [1]struct{}{}[ReasonCertRevoked-int(C.TRUSTBUNDLE_REASON_CERT_REVOKED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_CERT_REVOKED)-ReasonCertRevoked]
	_ = [1]struct{}{}[ReasonCRLProblem-int(C.TRUSTBUNDLE_REASON_CRL_PROBLEM)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_CRL_PROBLEM)-ReasonCRLProblem]
	_ = [1]struct{}{}[ReasonOther-int(C.TRUSTBUNDLE_REASON_OTHER)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_OTHER)-ReasonOther]
	_ = [1]struct{}{}[ReasonUnsupportedKey-int(C.TRUSTBUNDLE_REASON_UNSUPPORTED_KEY)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_UNSUPPORTED_KEY)-ReasonUnsupportedKey]
	_ = [1]struct{}{}[ReasonVerifyBudgetExceeded-int(C.TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED)-ReasonVerifyBudgetExceeded]
	_ = [1]struct{}{}[PurposeServer-int(C.TRUSTBUNDLE_PURPOSE_SERVER)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_PURPOSE_SERVER)-PurposeServer]
	_ = [1]struct{}{}[PurposeClient-int(C.TRUSTBUNDLE_PURPOSE_CLIENT)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_PURPOSE_CLIENT)-PurposeClient]
	_ = [1]struct{}{}[TrustNone-int(C.TRUSTBUNDLE_TRUST_NONE)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_TRUST_NONE)-TrustNone]
	_ = [1]struct{}{}[TrustTrusted-int(C.TRUSTBUNDLE_TRUST_TRUSTED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_TRUST_TRUSTED)-TrustTrusted]
	_ = [1]struct{}{}[TrustMustVerify-int(C.TRUSTBUNDLE_TRUST_MUST_VERIFY)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_TRUST_MUST_VERIFY)-TrustMustVerify]
	_ = [1]struct{}{}[TrustNotTrusted-int(C.TRUSTBUNDLE_TRUST_NOT_TRUSTED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_TRUST_NOT_TRUSTED)-TrustNotTrusted]
	_ = [1]struct{}{}[MaxInputBytes-int(C.TRUSTBUNDLE_MAX_INPUT_BYTES)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_MAX_INPUT_BYTES)-MaxInputBytes]
	_ = [1]struct{}{}[MaxChainCerts-int(C.TRUSTBUNDLE_MAX_CHAIN_CERTS)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_MAX_CHAIN_CERTS)-MaxChainCerts]
	_ = [1]struct{}{}[VersionNumber-int(C.TRUSTBUNDLE_VERSION_NUMBER)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_VERSION_NUMBER)-VersionNumber]
)

const pathBufferSize = 4096

// ------------------------------------------------------------------ names

// StatusName is trustbundle_status_name.
func StatusName(status int) string { return C.GoString(C.trustbundle_status_name(C.int(status))) }

// ReasonName is trustbundle_reason_name.
func ReasonName(reason int) string { return C.GoString(C.trustbundle_reason_name(C.int(reason))) }

// Version is trustbundle_version: the version of the compiled core.
func Version() string { return C.GoString(C.trustbundle_version()) }

// ------------------------------------------------------------------- time

// TimeParse is trustbundle_time_parse: RFC 3339 UTC or Unix seconds.
func TimeParse(text string) (int64, error) {
	ctext, err := cString(text, "time")
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(ctext))
	var out C.int64_t
	e := newError()
	if rc := C.trustbundle_time_parse(&out, ctext, &e); rc != 0 {
		return 0, failure(rc, &e)
	}
	return int64(out), nil
}

// ----------------------------------------------------------------- bundle

// BundleVersion is trustbundle_bundle_version.
func BundleVersion() string { return C.GoString(C.trustbundle_bundle_version()) }

// BundleNSSVersion is trustbundle_bundle_nss_version.
func BundleNSSVersion() string { return C.GoString(C.trustbundle_bundle_nss_version()) }

// BundleAsOf is trustbundle_bundle_as_of, Unix seconds.
func BundleAsOf() int64 { return int64(C.trustbundle_bundle_as_of()) }

// BundleAgeDays is trustbundle_bundle_age_days: whole days from as_of to at (Unix seconds).
func BundleAgeDays(at int64) int64 { return int64(C.trustbundle_bundle_age_days(C.int64_t(at))) }

// RootCount is trustbundle_root_count.
func RootCount() int { return int(C.trustbundle_root_count()) }

// RootGet is trustbundle_root_get.
func RootGet(index int) (RootInfo, error) {
	info := C.trustbundle_root_info{version: C.TRUSTBUNDLE_ROOT_INFO_VERSION}
	e := newError()
	if rc := C.trustbundle_root_get(&info, C.size_t(index), &e); rc != 0 {
		return RootInfo{}, failure(rc, &e)
	}
	return RootInfo{
		Label:                  C.GoString(info.label),
		SHA256Hex:              C.GoString(info.sha256_hex),
		SHA1Hex:                C.GoString(info.sha1_hex),
		Subject:                C.GoString(info.subject),
		Issuer:                 C.GoString(info.issuer),
		Serial:                 C.GoString(info.serial),
		NotBefore:              int64(info.not_before),
		NotAfter:               int64(info.not_after),
		ServerTrust:            int(info.server_trust),
		EmailTrust:             int(info.email_trust),
		HasServerDistrustAfter: info.has_server_distrust_after != 0,
		ServerDistrustAfter:    int64(info.server_distrust_after),
		DER:                    C.GoBytes(unsafe.Pointer(info.der), C.int(info.der_len)),
	}, nil
}

// RootAnchor is trustbundle_root_get, converting only what a pool needs
// (it runs for every root on the first CACerts call of a process).
func RootAnchor(index int) (Anchor, error) {
	info := C.trustbundle_root_info{version: C.TRUSTBUNDLE_ROOT_INFO_VERSION}
	e := newError()
	if rc := C.trustbundle_root_get(&info, C.size_t(index), &e); rc != 0 {
		return Anchor{}, failure(rc, &e)
	}
	return Anchor{
		Label:                  C.GoString(info.label),
		ServerTrust:            int(info.server_trust),
		HasServerDistrustAfter: info.has_server_distrust_after != 0,
		ServerDistrustAfter:    int64(info.server_distrust_after),
		DER:                    C.GoBytes(unsafe.Pointer(info.der), C.int(info.der_len)),
	}, nil
}

// BundlePEM is trustbundle_bundle_pem, copied into a new Go slice.
func BundlePEM() ([]byte, error) {
	var n C.size_t
	p := C.trustbundle_bundle_pem(&n)
	if p == nil {
		return nil, &Failure{Status: StatusInternal, StatusName: StatusName(StatusInternal), Message: "out of memory"}
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n)), nil
}

type pathFunc func(out *C.char, cap C.size_t, dir *C.char, e *C.trustbundle_error) C.int

func pathCall(f pathFunc, dir string) (string, error) {
	var cdir *C.char
	if dir != "" {
		var err error
		if cdir, err = cString(dir, "directory"); err != nil {
			return "", err
		}
		defer C.free(unsafe.Pointer(cdir))
	}
	buf := (*C.char)(C.malloc(pathBufferSize))
	defer C.free(unsafe.Pointer(buf))
	e := newError()
	if rc := f(buf, pathBufferSize, cdir, &e); rc != 0 {
		return "", failure(rc, &e)
	}
	return C.GoString(buf), nil
}

// Materialize is trustbundle_materialize; dir "" means the core's default.
func Materialize(dir string) (string, error) {
	return pathCall(func(out *C.char, n C.size_t, d *C.char, e *C.trustbundle_error) C.int {
		return C.trustbundle_materialize(out, n, d, e)
	}, dir)
}

// CapathExport is trustbundle_capath_export; dir "" means the core's default.
func CapathExport(dir string) (string, error) {
	return pathCall(func(out *C.char, n C.size_t, d *C.char, e *C.trustbundle_error) C.int {
		return C.trustbundle_capath_export(out, n, d, e)
	}, dir)
}

// ------------------------------------------------------------------ store

// Store owns a trustbundle_store. Free it exactly once.
type Store struct {
	p *C.trustbundle_store
}

// bytesPtr is a pointer to b's first byte, or nil when b is empty. The
// memory holds no Go pointers, so it may be passed to C for one call.
func bytesPtr(b []byte) *C.uchar {
	if len(b) == 0 {
		return nil
	}
	return (*C.uchar)(unsafe.Pointer(&b[0]))
}

// NewStore is trustbundle_store_builder_new, _add_path / _add_data for each
// source in order, and trustbundle_store_build.
func NewStore(mozilla, env, system bool, sources []Source) (*Store, error) {
	opts := C.trustbundle_store_options{
		version: C.TRUSTBUNDLE_STORE_OPTIONS_VERSION,
		mozilla: cbool(mozilla),
		env:     cbool(env),
		system:  cbool(system),
	}
	e := newError()
	var b *C.trustbundle_store_builder
	if rc := C.trustbundle_store_builder_new(&b, &opts, &e); rc != 0 {
		return nil, failure(rc, &e)
	}
	defer C.trustbundle_store_builder_free(b)
	for _, s := range sources {
		var rc C.int
		if s.IsPath {
			cpath, err := cString(s.Path, "CA path "+strconv.Quote(s.Path))
			if err != nil {
				return nil, err
			}
			rc = C.trustbundle_store_builder_add_path(b, cpath, &e)
			C.free(unsafe.Pointer(cpath))
		} else {
			var cname *C.char
			if s.Name != "" {
				cname = C.CString(strings.ReplaceAll(s.Name, "\x00", ""))
			}
			rc = C.trustbundle_store_builder_add_data(b, bytesPtr(s.Data), C.size_t(len(s.Data)), cname, &e)
			if cname != nil {
				C.free(unsafe.Pointer(cname))
			}
		}
		if rc != 0 {
			return nil, failure(rc, &e)
		}
	}
	var st *C.trustbundle_store
	if rc := C.trustbundle_store_build(&st, b, &e); rc != 0 {
		return nil, failure(rc, &e)
	}
	return &Store{p: st}, nil
}

// Free is trustbundle_store_free. The Store must not be used afterwards.
func (s *Store) Free() {
	C.trustbundle_store_free(s.p)
	s.p = nil
}

// ExtraCount is trustbundle_store_extra_count.
func (s *Store) ExtraCount() int { return int(C.trustbundle_store_extra_count(s.p)) }

// ExtraPEM is trustbundle_store_extra_pem, copied.
func (s *Store) ExtraPEM() []byte {
	var n C.size_t
	p := C.trustbundle_store_extra_pem(s.p, &n)
	if p == nil || n == 0 {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// Verify is trustbundle_verify plus the trustbundle_result_* getters. The
// chain is packed into one buffer with a lengths array.
func (s *Store) Verify(chain [][]byte, o VerifyOptions) (Result, error) {
	total := 0
	for _, c := range chain {
		total += len(c)
	}
	packed := make([]byte, 0, total)
	lengths := make([]C.size_t, len(chain))
	for i, c := range chain {
		packed = append(packed, c...)
		lengths[i] = C.size_t(len(c))
	}
	opts := C.trustbundle_verify_options{
		version:   C.TRUSTBUNDLE_VERIFY_OPTIONS_VERSION,
		purpose:   C.int(o.Purpose),
		max_depth: -1,
	}
	if o.Host != "" {
		host, err := cString(o.Host, "host")
		if err != nil {
			return Result{}, err
		}
		opts.host = host
		defer C.free(unsafe.Pointer(host))
	}
	if o.HasTime {
		opts.has_time = 1
		opts.time = C.int64_t(o.Time)
	}
	var lengthsPtr *C.size_t
	if len(lengths) > 0 {
		lengthsPtr = &lengths[0]
	}
	if len(packed) == 0 {
		// A non-NULL pointer for an empty buffer: let the core judge the
		// empty certificate (PARSE), not a NULL argument.
		packed = make([]byte, 1)
	}
	e := newError()
	var r *C.trustbundle_result
	rc := C.trustbundle_verify(&r, s.p, (*C.uchar)(unsafe.Pointer(&packed[0])), lengthsPtr, C.size_t(len(chain)), &opts, &e)
	if rc != 0 {
		return Result{}, failure(rc, &e)
	}
	defer C.trustbundle_result_free(r)
	reason := C.trustbundle_result_reason(r)
	out := Result{
		OK:          C.trustbundle_result_ok(r) == 1,
		Reason:      int(reason),
		ReasonName:  C.GoString(C.trustbundle_reason_name(reason)),
		Depth:       int(C.trustbundle_result_depth(r)),
		OpenSSLCode: int64(C.trustbundle_result_openssl_code(r)),
		Message:     C.GoString(C.trustbundle_result_message(r)),
		Hint:        C.GoString(C.trustbundle_result_hint(r)),
	}
	n := int(C.trustbundle_result_chain_count(r))
	for i := 0; i < n; i++ {
		var l C.size_t
		der := C.trustbundle_result_chain_der(r, C.size_t(i), &l)
		if der != nil {
			out.Chain = append(out.Chain, C.GoBytes(unsafe.Pointer(der), C.int(l)))
		}
	}
	return out, nil
}

// ------------------------------------------------------------------- mTLS

// CheckKeyPair is trustbundle_check_key_pair. passphrase nil means none.
func CheckKeyPair(cert, key []byte, passphrase *string, hasTime bool, at int64) (KeyCheck, error) {
	var cpass *C.char
	if passphrase != nil {
		var err error
		if cpass, err = cString(*passphrase, "passphrase"); err != nil {
			return KeyCheck{}, err
		}
		defer func() {
			C.memset(unsafe.Pointer(cpass), 0, C.size_t(len(*passphrase)))
			C.free(unsafe.Pointer(cpass))
		}()
	}
	out := C.trustbundle_key_check{version: C.TRUSTBUNDLE_KEY_CHECK_VERSION}
	e := newError()
	rc := C.trustbundle_check_key_pair(&out, bytesPtr(cert), C.size_t(len(cert)), bytesPtr(key), C.size_t(len(key)),
		cpass, cbool(hasTime), C.int64_t(at), &e)
	if rc != 0 {
		return KeyCheck{}, failure(rc, &e)
	}
	return KeyCheck{
		Match:      out.match != 0,
		ClientAuth: out.client_auth != 0,
		Valid:      out.valid != 0,
		NotBefore:  int64(out.not_before),
		NotAfter:   int64(out.not_after),
	}, nil
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// ------------------------------------------------------------------- tool

// CliMain is trustbundle_cli_main: runs the command-line tool with args
// (args[0] is the program's name), writing to the process's standard output
// and error, and returns its exit code.
func CliMain(args []string) int {
	if len(args) == 0 {
		return int(C.trustbundle_cli_main(0, nil))
	}
	argv := (**C.char)(C.malloc(C.size_t(len(args)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	defer C.free(unsafe.Pointer(argv))
	ptrs := unsafe.Slice(argv, len(args))
	for i, a := range args {
		ptrs[i] = C.CString(a) // os.Args cannot hold a NUL
		defer C.free(unsafe.Pointer(ptrs[i]))
	}
	return int(C.trustbundle_cli_main(C.int(len(args)), argv))
}

// ----------------------------------------------------------------- doctor

// The verdicts are kept in abi.go; checked against the header here.
var (
	_ = [1]struct{}{}[VerdictOK-int(C.TRUSTBUNDLE_VERDICT_OK)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_VERDICT_REJECTED)-VerdictRejected]
	_ = [1]struct{}{}[VerdictRejected-int(C.TRUSTBUNDLE_VERDICT_REJECTED)]
	_ = [1]struct{}{}[int(C.TRUSTBUNDLE_VERDICT_UNREACHABLE)-VerdictUnreachable]
	_ = [1]struct{}{}[VerdictUnreachable-int(C.TRUSTBUNDLE_VERDICT_UNREACHABLE)]
	_ = map[bool]int{false: 0, VersionString == C.TRUSTBUNDLE_VERSION_STRING: 1}
)

// Probe is trustbundle_probe_new plus every getter, then trustbundle_probe_free.
func (s *Store) Probe(target string, o ProbeOptions) (Probe, error) {
	ctarget, err := cString(target, "target")
	if err != nil {
		return Probe{}, err
	}
	defer C.free(unsafe.Pointer(ctarget))
	opts := C.trustbundle_probe_options{version: C.TRUSTBUNDLE_PROBE_OPTIONS_VERSION, timeout_ms: C.int(o.TimeoutMS),
		language: C.TRUSTBUNDLE_LANGUAGE_GO} // fixes name DiagnoseOptions' fields
	if o.ServerName != "" {
		name, err := cString(o.ServerName, "server name")
		if err != nil {
			return Probe{}, err
		}
		defer C.free(unsafe.Pointer(name))
		opts.servername = name
	}
	// C copies of the key material, wiped before they are freed.
	cbytes := func(b []byte) *C.uchar {
		if len(b) == 0 {
			return nil
		}
		return (*C.uchar)(C.CBytes(b))
	}
	wipe := func(p *C.uchar, n int) {
		if p != nil {
			C.memset(unsafe.Pointer(p), 0, C.size_t(n))
			C.free(unsafe.Pointer(p))
		}
	}
	opts.client_cert, opts.client_cert_len = cbytes(o.ClientCert), C.size_t(len(o.ClientCert))
	defer wipe(opts.client_cert, len(o.ClientCert))
	opts.client_key, opts.client_key_len = cbytes(o.ClientKey), C.size_t(len(o.ClientKey))
	defer wipe(opts.client_key, len(o.ClientKey))
	if o.Passphrase != nil {
		pass, err := cString(*o.Passphrase, "passphrase")
		if err != nil {
			return Probe{}, err
		}
		defer wipe((*C.uchar)(unsafe.Pointer(pass)), len(*o.Passphrase))
		opts.client_key_passphrase = pass
	}
	e := newError()
	var p *C.trustbundle_probe
	if rc := C.trustbundle_probe_new(&p, s.p, ctarget, &opts, &e); rc != 0 {
		return Probe{}, failure(rc, &e)
	}
	defer C.trustbundle_probe_free(p)
	failureCode := C.trustbundle_probe_failure(p)
	reason := C.trustbundle_probe_reason(p)
	out := Probe{
		Verdict:             int(C.trustbundle_probe_verdict(p)),
		Failure:             int(failureCode),
		FailureName:         C.GoString(C.trustbundle_failure_name(failureCode)),
		Reason:              int(reason),
		ReasonName:          C.GoString(C.trustbundle_reason_name(reason)),
		Message:             C.GoString(C.trustbundle_probe_message(p)),
		Hint:                C.GoString(C.trustbundle_probe_hint(p)),
		Protocol:            C.GoString(C.trustbundle_probe_protocol(p)),
		Cipher:              C.GoString(C.trustbundle_probe_cipher(p)),
		ClientCertRequested: C.trustbundle_probe_client_cert_requested(p) == 1,
		FixClient:           C.GoString(C.trustbundle_probe_fix_client(p)),
		FixServer:           C.GoString(C.trustbundle_probe_fix_server(p)),
		JSON:                C.GoString(C.trustbundle_probe_json(p)),
		Text:                C.GoString(C.trustbundle_probe_text(p)),
	}
	for i := C.size_t(0); i < C.trustbundle_probe_cert_count(p); i++ {
		c := C.trustbundle_probe_cert{version: C.TRUSTBUNDLE_PROBE_CERT_VERSION}
		if C.trustbundle_probe_cert_get(&c, p, i, nil) != 0 {
			continue
		}
		out.Certs = append(out.Certs, ProbeCert{
			Subject: C.GoString(c.subject), Issuer: C.GoString(c.issuer),
			NotBefore: int64(c.not_before), NotAfter: int64(c.not_after),
			KeyType: C.GoString(c.key_type), KeyBits: int(c.key_bits), SHA256Hex: C.GoString(c.sha256_hex),
			DER: C.GoBytes(unsafe.Pointer(c.der), C.int(c.der_len)),
		})
	}
	for i := C.size_t(0); i < C.trustbundle_probe_finding_count(p); i++ {
		f := C.trustbundle_finding{version: C.TRUSTBUNDLE_FINDING_VERSION, index: -1}
		if C.trustbundle_probe_finding_get(&f, p, i, nil) != 0 {
			continue
		}
		out.Findings = append(out.Findings, Finding{
			Code: int(f.code), Name: C.GoString(f.name), Severity: int(f.severity), Index: int(f.index),
			Message: C.GoString(f.message), FixClient: C.GoString(f.fix_client), FixServer: C.GoString(f.fix_server),
		})
	}
	return out, nil
}
