//go:build !cgo

package native

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Verify judges chain with crypto/x509: the only thing that accepts is a
// chain x509.Verify built to one of the store's anchors, for the host, the
// time and the purpose, that also passes the core's key policy and
// distrust-after dates. Everything below it only names why a chain failed,
// in the core's reasons (README: the differences table).
func (s *Store) Verify(chain [][]byte, o VerifyOptions) (Result, error) {
	if s == nil || s.freed {
		return Result{}, invalid("the store is closed")
	}
	if len(chain) == 0 {
		return Result{}, invalid("no certificate given: the chain is empty")
	}
	if o.Purpose != PurposeServer && o.Purpose != PurposeClient {
		return Result{}, invalid(fmt.Sprintf("purpose %d is neither server (0) nor client (1)", o.Purpose))
	}
	if len(chain) > MaxChainCerts {
		return Result{}, fail(StatusLimit, fmt.Sprintf("chain: more than %d certificates", MaxChainCerts))
	}
	host, err := checkedHost(o.Host)
	if err != nil {
		return Result{}, err
	}
	var sent []*x509.Certificate
	for i, element := range chain {
		where := fmt.Sprintf("chain element %d", i)
		if len(element) == 0 {
			return Result{}, fail(StatusParse, where+": empty certificate")
		}
		certs, ferr := loadBytes(element, where)
		if ferr != nil {
			return Result{}, ferr
		}
		sent = append(sent, certs...)
	}
	if len(sent) == 0 {
		return Result{}, fail(StatusParse, "no certificate given")
	}
	if len(sent) > MaxChainCerts {
		return Result{}, fail(StatusLimit, fmt.Sprintf("chain: more than %d certificates", MaxChainCerts))
	}
	at := time.Now()
	if o.HasTime {
		at = time.Unix(o.Time, 0)
	}
	v := &verification{store: s, sent: sent, host: host, at: at, client: o.Purpose == PurposeClient}
	for i, c := range sent { // keys refused on sight, as the core does before any path
		if msg := rsaKeyProblem(c); msg != "" {
			return v.reject(ReasonUnsupportedKey, i, c, "certificate "+fmt.Sprint(i)+": "+msg), nil
		}
	}
	return v.run(), nil
}

type verification struct {
	store  *Store
	sent   []*x509.Certificate
	host   string
	at     time.Time
	client bool
}

func (v *verification) run() Result {
	inter := v.store.interPool.Clone()
	for _, c := range v.sent[1:] {
		inter.AddCert(c)
	}
	usage := x509.ExtKeyUsageServerAuth
	if v.client {
		usage = x509.ExtKeyUsageClientAuth
	}
	leaf := v.sent[0]
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: v.store.roots, Intermediates: inter, CurrentTime: v.at,
		DNSName: v.host, KeyUsages: []x509.ExtKeyUsage{usage}})
	if err != nil {
		return v.explain(err)
	}
	// The core's key and signature policy on the path crypto/x509 chose.
	path := chains[0]
	for i, c := range path {
		if msg := weakness(c, i == len(path)-1); msg != "" {
			return v.reject(ReasonWeakKeyOrSignature, i, c, msg)
		}
	}
	// crypto/x509 does not read a CA's keyUsage; OpenSSL requires keyCertSign
	// when the extension is present.
	for i, c := range path[1:] {
		if c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
			return v.reject(ReasonInvalidCA, i+1, c, "a CA certificate whose keyUsage lacks keyCertSign")
		}
	}
	out := Result{OK: true, Reason: ReasonOK, ReasonName: ReasonName(ReasonOK), Depth: -1, Message: "ok"}
	for _, c := range path {
		out.Chain = append(out.Chain, bytes.Clone(c.Raw))
	}
	return out
}

var errDistrusted = errors.New("issued after the root's distrust-after date")

// pools makes the store's crypto/x509 pools once: the anchors (a
// distrust-after date as a constraint on the leaf's notBefore) and the
// extra CAs that are not roots.
func (s *Store) pools() {
	s.roots, s.interPool = x509.NewCertPool(), x509.NewCertPool()
	for _, a := range s.anchors {
		if !a.hasDistrust {
			s.roots.AddCert(a.cert)
			continue
		}
		after := a.distrustAfter
		s.roots.AddCertWithConstraint(a.cert, func(path []*x509.Certificate) error {
			if path[0].NotBefore.Unix() > after {
				return errDistrusted
			}
			return nil
		})
	}
	for _, c := range s.inter {
		s.interPool.AddCert(c)
	}
}

func (v *verification) reject(reason, depth int, cert *x509.Certificate, message string) Result {
	return Result{Reason: reason, ReasonName: ReasonName(reason), Depth: depth, Message: message,
		Hint: v.hint(reason, depth, cert)}
}

// explain maps crypto/x509's error to the core's reason and depth.
func (v *verification) explain(err error) Result {
	path, stop := v.walk()
	depthOf := func(c *x509.Certificate) int {
		for i, p := range path {
			if p.Equal(c) {
				return i
			}
		}
		for i, p := range v.sent {
			if p.Equal(c) {
				return i
			}
		}
		return 0
	}
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var unknownErr x509.UnknownAuthorityError
	switch {
	case errors.As(err, &hostErr):
		reason := ReasonHostnameMismatch
		if net.ParseIP(v.host) != nil {
			reason = ReasonIPAddressMismatch
		}
		return v.reject(reason, 0, v.sent[0], err.Error())
	case errors.As(err, &invalidErr):
		c := invalidErr.Cert
		switch invalidErr.Reason {
		case x509.Expired:
			if v.at.Before(c.NotBefore) {
				return v.reject(ReasonCertNotYetValid, depthOf(c), c, err.Error())
			}
			return v.reject(ReasonCertHasExpired, depthOf(c), c, err.Error())
		case x509.NotAuthorizedToSign:
			return v.reject(ReasonInvalidCA, depthOf(c), c, err.Error())
		case x509.TooManyIntermediates:
			return v.reject(ReasonPathLengthExceeded, depthOf(c), c, err.Error())
		case x509.IncompatibleUsage, x509.CANotAuthorizedForExtKeyUsage:
			return v.reject(ReasonInvalidPurpose, 0, v.sent[0], err.Error())
		case x509.CANotAuthorizedForThisName:
			return v.reject(ReasonNameConstraints, 0, v.sent[0], err.Error())
		case x509.TooManyConstraints:
			return v.reject(ReasonVerifyBudgetExceeded, 0, v.sent[0], err.Error())
		case x509.NameMismatch, x509.NameConstraintsWithoutSANs:
			return v.reject(ReasonInvalidCertificate, depthOf(c), c, err.Error())
		}
		return v.reject(ReasonOther, depthOf(c), c, err.Error())
	case errors.As(err, &unknownErr):
		return v.reject(stop.reason, stop.depth, stop.cert, stop.message(err))
	}
	var critical x509.UnhandledCriticalExtension
	if errors.As(err, &critical) {
		return v.reject(ReasonInvalidCertificate, 0, v.sent[0], err.Error())
	}
	if strings.Contains(err.Error(), "limit reached") {
		return v.reject(ReasonVerifyBudgetExceeded, 0, v.sent[0], err.Error())
	}
	return v.reject(ReasonOther, 0, v.sent[0], err.Error())
}

// walkStop is where the walk from the leaf ended, as a reason.
type walkStop struct {
	reason, depth int
	cert          *x509.Certificate
	detail        string
}

func (w walkStop) message(err error) string {
	if w.detail != "" {
		return w.detail
	}
	return err.Error()
}

// walk follows the sent certificates from the leaf towards an anchor as
// OpenSSL builds a path, to name why crypto/x509 found no trusted one: the
// first certificate whose issuer is missing (UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
// an untrusted self-signed one (SELF_SIGNED, SELF_SIGNED_CERT_IN_CHAIN), a
// signature that does not verify, or a distrusted anchor. It never accepts.
func (v *verification) walk() ([]*x509.Certificate, walkStop) {
	path := []*x509.Certificate{v.sent[0]}
	used := map[int]bool{0: true}
	pool := append([]*x509.Certificate(nil), v.sent...)
	pool = append(pool, v.store.inter...)
	for depth := 0; depth <= 32; depth++ {
		c := path[depth]
		// An anchor that issued c (or c itself).
		nameMatch := false
		for _, a := range v.store.anchors {
			if a.cert.Equal(c) || !bytes.Equal(a.cert.RawSubject, c.RawIssuer) {
				continue
			}
			nameMatch = true
			if !signedBy(c, a.cert) {
				continue
			}
			path = append(path, a.cert)
			if stop, bad := notCA(path); bad {
				return path, stop
			}
			if a.hasDistrust && v.sent[0].NotBefore.Unix() > a.distrustAfter {
				return path, walkStop{reason: ReasonRootDistrusted, depth: depth + 1, cert: a.cert,
					detail: "the leaf was issued after the root's distrust-after date"}
			}
			return path, walkStop{reason: ReasonOther, depth: depth, cert: c}
		}
		for _, a := range v.store.anchors {
			if a.cert.Equal(c) {
				if stop, bad := notCA(path); bad {
					return path, stop
				}
				return path, walkStop{reason: ReasonOther, depth: depth, cert: c}
			}
		}
		if bytes.Equal(c.RawSubject, c.RawIssuer) && signedBy(c, c) {
			if depth == 0 {
				return path, walkStop{reason: ReasonSelfSigned, depth: 0, cert: c, detail: "self-signed certificate"}
			}
			return path, walkStop{reason: ReasonSelfSignedCertInChain, depth: depth, cert: c,
				detail: "self-signed certificate in certificate chain"}
		}
		next := -1
		for i, p := range pool {
			if used[i] || !bytes.Equal(p.RawSubject, c.RawIssuer) || p.Equal(c) {
				continue
			}
			nameMatch = true
			if signedBy(c, p) {
				next = i
				break
			}
		}
		if next < 0 {
			if nameMatch && weakSignature(c) {
				return path, walkStop{reason: ReasonWeakKeyOrSignature, depth: depth, cert: c,
					detail: "signature algorithm " + c.SignatureAlgorithm.String() + " is weaker than 112-bit security"}
			}
			if nameMatch {
				return path, walkStop{reason: ReasonCertSignatureFailure, depth: depth, cert: c,
					detail: "certificate signature failure"}
			}
			return path, walkStop{reason: ReasonUnableToGetIssuer, depth: depth, cert: c,
				detail: "unable to get local issuer certificate"}
		}
		used[next] = true
		path = append(path, pool[next])
	}
	return path, walkStop{reason: ReasonCertChainTooLong, depth: len(path) - 1, cert: path[len(path)-1]}
}

// rsaKeyProblem is the core's key_policy: RSA keys no CA should issue.
func rsaKeyProblem(c *x509.Certificate) string {
	k, ok := c.PublicKey.(*rsa.PublicKey)
	if !ok {
		return ""
	}
	if bits := k.N.BitLen(); bits > 8192 {
		return fmt.Sprintf("its RSA modulus has %d bits (at most 8192)", bits)
	}
	if k.E%2 == 0 {
		return "its RSA public exponent is even"
	}
	if uint64(k.E) >= 1<<32 {
		return "its RSA public exponent is not below 2^32 (65537 is usual)"
	}
	return ""
}

// weakness is the 112-bit security floor the core's OpenSSL level 2 sets:
// RSA under 2048 bits, SHA-1 or MD5 signatures (a root's own signature is
// not checked, as in OpenSSL).
func weakness(c *x509.Certificate, isAnchor bool) string {
	if k, ok := c.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
		return fmt.Sprintf("RSA key of %d bits is under 2048", k.N.BitLen())
	}
	if !isAnchor && weakSignature(c) {
		return "signature algorithm " + c.SignatureAlgorithm.String() + " is weaker than 112-bit security"
	}
	return ""
}

func weakSignature(c *x509.Certificate) bool {
	switch c.SignatureAlgorithm {
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1, x509.MD5WithRSA, x509.MD2WithRSA:
		return true
	}
	return false
}

// checkedHost is the core's checked_host: "" (no check), an IP literal, or
// a DNS name without its final dot; anything else is INVALID_ARGUMENT.
func checkedHost(host string) (string, *Failure) {
	if host == "" {
		return "", nil
	}
	if strings.IndexByte(host, 0) < 0 && net.ParseIP(host) != nil && !strings.Contains(host, "%") {
		return host, nil
	}
	name := host
	if len(name) > 1 && strings.HasSuffix(name, ".") {
		name = name[:len(name)-1]
	}
	if problem := dnsNameProblem(name); problem != "" {
		return "", invalid(fmt.Sprintf("host '%s' is not a valid DNS name or IP address: %s", shown(host), problem))
	}
	return name, nil
}

func dnsNameProblem(name string) string {
	if name == "" {
		return "it is empty"
	}
	if len(name) > 253 {
		return "it is longer than 253 bytes"
	}
	if name[0] == '.' {
		return "it starts with a dot (which OpenSSL would match against any subdomain)"
	}
	label := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == 0:
			return "it contains a NUL byte"
		case c <= 0x20 || c == 0x7f:
			return "it contains a space or a control character"
		case c == '/' || c == '@' || c == ':' || c == '\\':
			return "it contains '" + string(c) + "'"
		case c == '.':
			if label == 0 {
				return "it has an empty label (two dots in a row)"
			}
			label = 0
			continue
		}
		if label++; label > 63 {
			return "a label is longer than 63 bytes"
		}
	}
	if label == 0 {
		return "it ends with an empty label"
	}
	return ""
}

func shown(value string) string {
	const hex = "0123456789abcdef"
	var out strings.Builder
	for i := 0; i < len(value) && out.Len() < 80; i++ {
		c := value[i]
		if c >= 0x20 && c < 0x7f && c != '\\' {
			out.WriteByte(c)
		} else {
			out.WriteString("\\x")
			out.WriteByte(hex[c>>4])
			out.WriteByte(hex[c&15])
		}
	}
	if out.Len() < 80 {
		return out.String()
	}
	return out.String() + "..."
}

// signedBy: issuer's key verifies c's signature (CA-ness is notCA's question).
func signedBy(c, issuer *x509.Certificate) bool {
	return issuer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// notCA names the first certificate above the leaf that cannot issue
// (basicConstraints, or a keyUsage without keyCertSign).
func notCA(path []*x509.Certificate) (walkStop, bool) {
	for i, c := range path[1:] {
		if c.Version >= 3 && (!c.BasicConstraintsValid || !c.IsCA) || c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
			return walkStop{reason: ReasonInvalidCA, depth: i + 1, cert: c, detail: "invalid CA certificate"}, true
		}
	}
	return walkStop{}, false
}
