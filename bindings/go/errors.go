package trustbundle

import (
	"errors"
	"fmt"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// Error is a failed call into the core that is not a verdict on a chain:
// malformed input, a file that cannot be read, an input over a limit, a
// private key that needs a passphrase. Status is the core's status name; test
// it with errors.Is and the sentinels below:
//
//	if errors.Is(err, trustbundle.ErrPassphrase) { ... }
type Error struct {
	// Status is the core's status name: "INVALID_ARGUMENT", "PARSE", "IO",
	// "NOT_FOUND", "BUFFER_TOO_SMALL", "LIMIT", "INTERNAL" or "PASSPHRASE";
	// "UNSUPPORTED" only in the pure-Go build (ErrUnsupported).
	Status string
	// Message says what failed and where (a path, "chain element 1", ...).
	Message string
	// OpenSSLCode is OpenSSL's error code when OpenSSL was involved, else 0.
	OpenSSLCode int64

	code int
}

func (e *Error) Error() string { return "trustbundle: " + e.Message }

// Is reports whether target is the sentinel of e's status (ErrParse, ErrIO, ...).
func (e *Error) Is(target error) bool {
	s, ok := statusSentinels[e.code]
	return ok && target == s
}

// Sentinels for the core's statuses, for errors.Is on an *Error.
var (
	ErrInvalidArgument = errors.New("trustbundle: invalid argument")
	ErrParse           = errors.New("trustbundle: malformed certificate, key, CA source or time")
	ErrIO              = errors.New("trustbundle: a file or directory operation failed")
	ErrNotFound        = errors.New("trustbundle: no such entry")
	ErrBufferTooSmall  = errors.New("trustbundle: an output buffer is too small")
	ErrLimit           = errors.New("trustbundle: input over a documented limit")
	ErrInternal        = errors.New("trustbundle: internal error")
	ErrPassphrase      = errors.New("trustbundle: the private key needs a passphrase, or the one given is wrong")
	// ErrUnsupported: the pure-Go build (CGO_ENABLED=0) cannot do this; only
	// the core can (the doctor, the command-line tool, CheckKeyPair, Capath,
	// certdata.txt CA sources, the system store). Never returned with cgo.
	ErrUnsupported = errors.New("trustbundle: not supported without cgo (the pure-Go build)")
)

var statusSentinels = map[int]error{
	native.StatusInvalidArgument: ErrInvalidArgument,
	native.StatusParse:           ErrParse,
	native.StatusIO:              ErrIO,
	native.StatusNotFound:        ErrNotFound,
	native.StatusBufferTooSmall:  ErrBufferTooSmall,
	native.StatusLimit:           ErrLimit,
	native.StatusInternal:        ErrInternal,
	native.StatusPassphrase:      ErrPassphrase,
	native.StatusUnsupported:     ErrUnsupported,
}

func newError(code int, message string) *Error {
	return &Error{Status: native.StatusName(code), Message: message, code: code}
}

// fromNative turns a failed ABI call into an *Error; other errors pass through.
func fromNative(err error) error {
	var f *native.Failure
	if errors.As(err, &f) {
		return &Error{Status: f.StatusName, Message: f.Message, OpenSSLCode: f.OpenSSLCode, code: f.Status}
	}
	return err
}

// VerificationError is a rejected chain. Reason is the core's reason name,
// the same in every language; test it with errors.Is and the Err* reason
// sentinels, or read it with errors.As:
//
//	var ve *trustbundle.VerificationError
//	if errors.As(err, &ve) { fmt.Println(ve.Reason, ve.Depth, ve.Hint) }
//	if errors.Is(err, trustbundle.ErrCertHasExpired) { ... }
type VerificationError struct {
	// Reason is the shared reason name, e.g. "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
	// "CERT_HAS_EXPIRED", "HOSTNAME_MISMATCH", "ROOT_DISTRUSTED".
	Reason string
	// ReasonCode is its number in the C ABI (trustbundle_reason).
	ReasonCode int
	// Depth is the depth of the failing certificate, 0 = leaf.
	Depth int
	// Message says what failed, e.g. "certificate has expired".
	Message string
	// Hint is one line saying how to fix it ("" when the core has none).
	Hint string
	// OpenSSLCode is OpenSSL's X509_V_ERR_* code (0 for trustbundle's own checks).
	OpenSSLCode int64
	// Host is the name that was checked, "" when none.
	Host string
}

func (e *VerificationError) Error() string {
	s := fmt.Sprintf("trustbundle: certificate verify failed: %s at depth %d: %s", e.Reason, e.Depth, e.Message)
	if e.Hint != "" {
		s += " (hint: " + e.Hint + ")"
	}
	return s
}

// Is reports whether target is the sentinel of e's reason.
func (e *VerificationError) Is(target error) bool {
	s, ok := reasonSentinels[e.ReasonCode]
	return ok && target == s
}

// Sentinels for the verification reasons, one per reason, for errors.Is on a
// *VerificationError. Their texts are the reason names.
var (
	ErrUnableToGetIssuer        = errors.New("UNABLE_TO_GET_ISSUER_CERT_LOCALLY")
	ErrSelfSigned               = errors.New("SELF_SIGNED")
	ErrSelfSignedCertInChain    = errors.New("SELF_SIGNED_CERT_IN_CHAIN")
	ErrCertHasExpired           = errors.New("CERT_HAS_EXPIRED")
	ErrCertNotYetValid          = errors.New("CERT_NOT_YET_VALID")
	ErrHostnameMismatch         = errors.New("HOSTNAME_MISMATCH")
	ErrIPAddressMismatch        = errors.New("IP_ADDRESS_MISMATCH")
	ErrInvalidPurpose           = errors.New("INVALID_PURPOSE")
	ErrPathLengthExceeded       = errors.New("PATH_LENGTH_EXCEEDED")
	ErrNameConstraintsViolation = errors.New("NAME_CONSTRAINTS_VIOLATION")
	ErrRootDistrusted           = errors.New("ROOT_DISTRUSTED")
	ErrCertSignatureFailure     = errors.New("CERT_SIGNATURE_FAILURE")
	ErrInvalidCA                = errors.New("INVALID_CA")
	ErrCertChainTooLong         = errors.New("CERT_CHAIN_TOO_LONG")
	ErrWeakKeyOrSignature       = errors.New("WEAK_KEY_OR_SIGNATURE")
	ErrInvalidCertificate       = errors.New("INVALID_CERTIFICATE")
	ErrCertRevoked              = errors.New("CERT_REVOKED")
	ErrCRLProblem               = errors.New("CRL_PROBLEM")
	ErrVerifyOther              = errors.New("OTHER")
	ErrUnsupportedKey           = errors.New("UNSUPPORTED_KEY")
	ErrVerifyBudgetExceeded     = errors.New("VERIFY_BUDGET_EXCEEDED")
)

var reasonSentinels = map[int]error{
	native.ReasonUnableToGetIssuer:     ErrUnableToGetIssuer,
	native.ReasonSelfSigned:            ErrSelfSigned,
	native.ReasonSelfSignedCertInChain: ErrSelfSignedCertInChain,
	native.ReasonCertHasExpired:        ErrCertHasExpired,
	native.ReasonCertNotYetValid:       ErrCertNotYetValid,
	native.ReasonHostnameMismatch:      ErrHostnameMismatch,
	native.ReasonIPAddressMismatch:     ErrIPAddressMismatch,
	native.ReasonInvalidPurpose:        ErrInvalidPurpose,
	native.ReasonPathLengthExceeded:    ErrPathLengthExceeded,
	native.ReasonNameConstraints:       ErrNameConstraintsViolation,
	native.ReasonRootDistrusted:        ErrRootDistrusted,
	native.ReasonCertSignatureFailure:  ErrCertSignatureFailure,
	native.ReasonInvalidCA:             ErrInvalidCA,
	native.ReasonCertChainTooLong:      ErrCertChainTooLong,
	native.ReasonWeakKeyOrSignature:    ErrWeakKeyOrSignature,
	native.ReasonInvalidCertificate:    ErrInvalidCertificate,
	native.ReasonCertRevoked:           ErrCertRevoked,
	native.ReasonCRLProblem:            ErrCRLProblem,
	native.ReasonOther:                 ErrVerifyOther,
	native.ReasonUnsupportedKey:        ErrUnsupportedKey,
	native.ReasonVerifyBudgetExceeded:  ErrVerifyBudgetExceeded,
}
