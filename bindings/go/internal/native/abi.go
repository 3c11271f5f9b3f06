package native

// What both builds share: the ABI's numbers and names (the cgo build checks
// each against core/include/trustbundle/trustbundle.h when it compiles, and
// TestNamesMatchCore checks the names) and the Go forms of its structures.

// Failure is a non-zero status returned by a C ABI function (or by the
// pure-Go build in its place), with the details of its trustbundle_error.
type Failure struct {
	Status      int
	StatusName  string
	Message     string
	OpenSSLCode int64
}

func (f *Failure) Error() string { return f.StatusName + ": " + f.Message }

// fail is a Failure made on the Go side.
func fail(status int, message string) *Failure {
	return &Failure{Status: status, StatusName: StatusName(status), Message: message}
}

// invalid is an INVALID_ARGUMENT failure made on the Go side.
func invalid(message string) *Failure { return fail(StatusInvalidArgument, message) }

// Status codes, reason codes and other numbers of the ABI.
const (
	StatusOK              = 0
	StatusInvalidArgument = -1
	StatusParse           = -2
	StatusIO              = -3
	StatusNotFound        = -4
	StatusBufferTooSmall  = -5
	StatusLimit           = -6
	StatusInternal        = -7
	StatusPassphrase      = -8
	// StatusUnsupported is not the core's: the pure-Go build returns it for
	// what only the core can do (the doctor, the CLI, certdata.txt sources,
	// key-pair checks, the CApath export).
	StatusUnsupported = -100

	ReasonOK                    = 0
	ReasonUnableToGetIssuer     = 1
	ReasonSelfSigned            = 2
	ReasonSelfSignedCertInChain = 3
	ReasonCertHasExpired        = 4
	ReasonCertNotYetValid       = 5
	ReasonHostnameMismatch      = 6
	ReasonIPAddressMismatch     = 7
	ReasonInvalidPurpose        = 8
	ReasonPathLengthExceeded    = 9
	ReasonNameConstraints       = 10
	ReasonRootDistrusted        = 11
	ReasonCertSignatureFailure  = 12
	ReasonInvalidCA             = 13
	ReasonCertChainTooLong      = 14
	ReasonWeakKeyOrSignature    = 15
	ReasonInvalidCertificate    = 16
	ReasonCertRevoked           = 17
	ReasonCRLProblem            = 18
	ReasonOther                 = 19
	ReasonUnsupportedKey        = 20
	ReasonVerifyBudgetExceeded  = 21

	PurposeServer = 0
	PurposeClient = 1

	TrustNone       = 0
	TrustTrusted    = 1
	TrustMustVerify = 2
	TrustNotTrusted = 3

	MaxInputBytes = 16 * 1024 * 1024
	MaxChainCerts = 1024
	VersionString = "0.1.0"
	VersionNumber = 100

	VerdictOK          = 0
	VerdictRejected    = 1
	VerdictUnreachable = 2
)

// statusNames and reasonNames are trustbundle_status_name and
// trustbundle_reason_name for the pure-Go build.
var statusNames = map[int]string{
	StatusOK: "OK", StatusInvalidArgument: "INVALID_ARGUMENT", StatusParse: "PARSE", StatusIO: "IO",
	StatusNotFound: "NOT_FOUND", StatusBufferTooSmall: "BUFFER_TOO_SMALL", StatusLimit: "LIMIT",
	StatusInternal: "INTERNAL", StatusPassphrase: "PASSPHRASE", StatusUnsupported: "UNSUPPORTED",
}

var reasonNames = []string{
	"OK", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "SELF_SIGNED", "SELF_SIGNED_CERT_IN_CHAIN", "CERT_HAS_EXPIRED",
	"CERT_NOT_YET_VALID", "HOSTNAME_MISMATCH", "IP_ADDRESS_MISMATCH", "INVALID_PURPOSE", "PATH_LENGTH_EXCEEDED",
	"NAME_CONSTRAINTS_VIOLATION", "ROOT_DISTRUSTED", "CERT_SIGNATURE_FAILURE", "INVALID_CA", "CERT_CHAIN_TOO_LONG",
	"WEAK_KEY_OR_SIGNATURE", "INVALID_CERTIFICATE", "CERT_REVOKED", "CRL_PROBLEM", "OTHER", "UNSUPPORTED_KEY",
	"VERIFY_BUDGET_EXCEEDED",
}

// RootInfo is trustbundle_root_info, copied into Go memory.
type RootInfo struct {
	Label, SHA256Hex, SHA1Hex, Subject, Issuer, Serial string
	NotBefore, NotAfter                                int64
	ServerTrust, EmailTrust                            int
	HasServerDistrustAfter                             bool
	ServerDistrustAfter                                int64
	DER                                                []byte
}

// Anchor is the part of trustbundle_root_info a certificate pool needs.
type Anchor struct {
	Label                  string
	ServerTrust            int
	HasServerDistrustAfter bool
	ServerDistrustAfter    int64
	DER                    []byte
}

// Source is one CA source for a store: a path (file or directory) or bytes.
type Source struct {
	IsPath bool
	Path   string
	Data   []byte
	Name   string // names Data in error messages; optional
}

// Result is a trustbundle_result, copied into Go memory.
type Result struct {
	OK          bool
	Reason      int
	ReasonName  string
	Depth       int
	OpenSSLCode int64
	Message     string
	Hint        string
	Chain       [][]byte // DER, leaf first; empty when rejected
}

// VerifyOptions mirrors trustbundle_verify_options.
type VerifyOptions struct {
	Host    string
	HasTime bool
	Time    int64
	Purpose int
}

// KeyCheck is trustbundle_key_check.
type KeyCheck struct {
	Match, ClientAuth, Valid bool
	NotBefore, NotAfter      int64
}

// ProbeOptions mirrors trustbundle_probe_options.
type ProbeOptions struct {
	ServerName string // "" = the target's host
	TimeoutMS  int
	ClientCert []byte // nil = no client certificate
	ClientKey  []byte
	Passphrase *string
}

// ProbeCert is a trustbundle_probe_cert, copied.
type ProbeCert struct {
	Subject, Issuer     string
	NotBefore, NotAfter int64
	KeyType             string
	KeyBits             int
	SHA256Hex           string
	DER                 []byte
}

// Finding is a trustbundle_finding, copied.
type Finding struct {
	Code, Severity, Index int
	Name, Message         string
	FixClient, FixServer  string
}

// Probe is a finished trustbundle_probe, copied into Go memory.
type Probe struct {
	Verdict, Failure, Reason int
	FailureName, ReasonName  string
	Message, Hint            string
	Protocol, Cipher         string
	ClientCertRequested      bool
	Certs                    []ProbeCert
	Findings                 []Finding
	FixClient, FixServer     string
	JSON, Text               string
}
