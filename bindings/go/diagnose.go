package trustbundle

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// DiagnoseOptions configures Diagnose. The zero value probes the target's
// own name with a 10 s timeout, trusting Mozilla's roots and
// TRUSTBUNDLE_EXTRA_CA_CERTS.
type DiagnoseOptions struct {
	// ServerName is the name sent as SNI and verified; "" = the target's host.
	ServerName string
	// Timeout bounds the whole probe (DNS, connect, handshake); 0 = 10 s.
	// A context deadline that comes sooner shortens it.
	Timeout time.Duration
	// ClientCert is the path of an mTLS client certificate, PEM (which may
	// also hold its chain and key) or DER; "" = none.
	ClientCert string
	// ClientKey is the path of its private key, PEM or DER, PKCS#8
	// encrypted or not; "" = the key is in ClientCert.
	ClientKey string
	// Passphrase decrypts ClientKey; "" = not encrypted.
	Passphrase string
	// ExtraCA are CAs trusted on top of Mozilla's.
	ExtraCA []CASource
}

// Diagnosis is what Diagnose found: the verdict, why, and what to change on
// each side. Text and JSON are the core's renderings, the bytes
// `trustbundle doctor` (and `--json`) prints.
type Diagnosis struct {
	// Verdict is "OK" (the chain verifies and the handshake completed),
	// "REJECTED" (it does not, or the server refused the client certificate)
	// or "UNREACHABLE" (no TLS conversation: see Failure).
	Verdict string
	// Failure says why the conversation did not complete: "NONE", "DNS",
	// "CONNECTION_REFUSED", "TIMEOUT", "NETWORK", "PLAIN_HTTP", "NOT_TLS",
	// "HANDSHAKE_ALERT", "HANDSHAKE" or "CLIENT_CERT".
	Failure string
	// Reason is the served chain's verification reason ("OK",
	// "CERT_HAS_EXPIRED", ...), as VerificationError.Reason; "" when the
	// server sent no chain.
	Reason  string
	Message string // the verdict in one line
	Hint    string // the verification hint; "" when none
	// Protocol ("TLSv1.3") and Cipher; "" when the handshake failed.
	Protocol, Cipher    string
	ClientCertRequested bool
	Chain               []ServedCertificate // as served, in the order sent
	Findings            []Finding           // errors first
	// FixClient and FixServer are the fixes of every warning and error, one
	// per line; "" when nothing needs changing.
	FixClient, FixServer string
	Text                 string // the one-screen report
	JSON                 string // the whole diagnosis as JSON
}

// OK reports whether the verdict is "OK".
func (d *Diagnosis) OK() bool { return d.Verdict == "OK" }

// ExitCode is the `trustbundle doctor` exit code: 0 verifies, 1 does not,
// 2 unreachable or not TLS.
func (d *Diagnosis) ExitCode() int {
	switch d.Verdict {
	case "OK":
		return 0
	case "REJECTED":
		return 1
	}
	return 2
}

// ServedCertificate is one certificate as the server sent it.
type ServedCertificate struct {
	Subject, Issuer     string // "CN=... O=... OU=...", as Root
	NotBefore, NotAfter time.Time
	KeyType             string // "RSA", "EC", "Ed25519", "Ed448", "DSA" or "unknown"
	KeyBits             int
	SHA256              string // lowercase hex
	DER                 []byte
}

// Finding is one problem (or fact) found, with what to change on each side.
type Finding struct {
	Code      string // a stable name, e.g. "MISSING_INTERMEDIATE", "CLIENT_CERT_REQUIRED"
	Severity  string // "info", "warning" or "error"
	Index     int    // the served certificate concerned (0 = leaf), or -1
	Message   string
	FixClient string // "" when nothing to change on the client
	FixServer string // "" when nothing to change on the server
}

var verdictNames = map[int]string{native.VerdictOK: "OK", native.VerdictRejected: "REJECTED", native.VerdictUnreachable: "UNREACHABLE"}
var severityNames = []string{"info", "warning", "error"}

const defaultDiagnoseTimeout = 10 * time.Second

// Diagnose connects to target ("host", "host:port", "[v6]:port" or an
// https:// URL; port 443 by default) and says whether, and why not, its TLS
// chain verifies, as `trustbundle doctor` does. It observes without
// trusting: the handshake is completed whatever the chain, and no data is
// sent. An unreachable endpoint is a Diagnosis (Verdict "UNREACHABLE"), not
// an error; the error is for bad options (ErrInvalidArgument, ErrParse,
// ErrPassphrase, ErrIO) or a context that ends first (ctx.Err(); the probe
// then finishes in the background within Timeout).
func Diagnose(ctx context.Context, target string, opts DiagnoseOptions) (*Diagnosis, error) {
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = defaultDiagnoseTimeout
	}
	if timeout < 0 || timeout > 10*time.Minute {
		return nil, newError(native.StatusInvalidArgument, fmt.Sprintf("DiagnoseOptions.Timeout %v is not in (0, 10m]", opts.Timeout))
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < timeout {
		timeout = time.Until(deadline)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.ClientKey != "" && opts.ClientCert == "" {
		return nil, newError(native.StatusInvalidArgument, "DiagnoseOptions.ClientKey without ClientCert")
	}
	probe := native.ProbeOptions{ServerName: opts.ServerName, TimeoutMS: int((timeout + time.Millisecond - 1) / time.Millisecond)}
	if opts.ClientCert != "" {
		keyPath := opts.ClientKey
		if keyPath == "" {
			keyPath = opts.ClientCert
		}
		var err error
		if probe.ClientCert, err = readOption("ClientCert", opts.ClientCert); err != nil {
			return nil, err
		}
		if probe.ClientKey, err = readOption("ClientKey", keyPath); err != nil {
			return nil, err
		}
	}
	if opts.Passphrase != "" {
		probe.Passphrase = &opts.Passphrase
	}
	store, err := NewStore(StoreOptions{ExtraCA: opts.ExtraCA})
	if err != nil {
		return nil, err
	}
	type result struct {
		p   native.Probe
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer store.Close()
		p, err := store.probe(target, probe)
		done <- result{p, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		return newDiagnosis(r.p), nil
	}
}

// readOption reads a file named by an option; a failure is ErrIO naming both.
func readOption(option, path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, newError(native.StatusIO, fmt.Sprintf("DiagnoseOptions.%s: %v", option, err))
	}
	return data, nil
}

func (s *Store) probe(target string, o native.ProbeOptions) (native.Probe, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return native.Probe{}, s.closedError()
	}
	p, err := s.h.Probe(target, o)
	return p, fromNative(err)
}

func newDiagnosis(p native.Probe) *Diagnosis {
	d := &Diagnosis{
		Verdict: verdictNames[p.Verdict], Failure: p.FailureName, Message: p.Message, Hint: p.Hint,
		Protocol: p.Protocol, Cipher: p.Cipher, ClientCertRequested: p.ClientCertRequested,
		FixClient: p.FixClient, FixServer: p.FixServer, Text: p.Text, JSON: p.JSON,
	}
	if d.Verdict == "" {
		d.Verdict = "UNREACHABLE"
	}
	if len(p.Certs) > 0 {
		d.Reason = p.ReasonName
	}
	for _, c := range p.Certs {
		d.Chain = append(d.Chain, ServedCertificate{
			Subject: c.Subject, Issuer: c.Issuer,
			NotBefore: time.Unix(c.NotBefore, 0).UTC(), NotAfter: time.Unix(c.NotAfter, 0).UTC(),
			KeyType: c.KeyType, KeyBits: c.KeyBits, SHA256: c.SHA256Hex, DER: c.DER,
		})
	}
	for _, f := range p.Findings {
		severity := "unknown"
		if f.Severity >= 0 && f.Severity < len(severityNames) {
			severity = severityNames[f.Severity]
		}
		d.Findings = append(d.Findings, Finding{Code: f.Name, Severity: severity, Index: f.Index,
			Message: f.Message, FixClient: f.FixClient, FixServer: f.FixServer})
	}
	return d
}
