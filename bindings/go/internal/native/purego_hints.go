//go:build !cgo

package native

import (
	"crypto/x509"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The core's hints (core/src/verify/verify_hints.cpp), word for word, from
// crypto/x509's certificates.

const notTrusted = ", which is not trusted: if it is your own CA, add it with TRUSTBUNDLE_EXTRA_CA_CERTS or pass it as an extra CA"

func daysText(seconds int64) string {
	days := seconds / 86400
	switch days {
	case 0:
		return "less than a day"
	case 1:
		return "1 day"
	}
	return strconv.FormatInt(days, 10) + " days"
}

func formatDate(seconds int64) string { return time.Unix(seconds, 0).UTC().Format("2006-01-02") }

// terminalText is terminal_text: control characters escaped.
func terminalText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1, r < 0x20, r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", s[i])
			i++
			continue
		case r >= 0x80 && r <= 0x9f:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// displayName is display_name: the CN, else the whole name.
func displayName(c *x509.Certificate, subject bool) string {
	name := c.Subject
	if !subject {
		name = c.Issuer
	}
	if name.CommonName != "" {
		return name.CommonName
	}
	return name.String()
}

func quotedName(c *x509.Certificate, subject bool) string {
	return "'" + terminalText(displayName(c, subject)) + "'"
}

func (v *verification) hint(reason, depth int, c *x509.Certificate) string {
	who := "a certificate"
	issuer := "an unknown issuer"
	if c != nil {
		if depth == 0 {
			who = "the certificate " + quotedName(c, true)
		} else {
			who = "the CA certificate " + quotedName(c, true) + " (depth " + strconv.Itoa(depth) + ")"
		}
		issuer = quotedName(c, false)
	}
	check := v.at.Unix()
	switch reason {
	case ReasonUnableToGetIssuer:
		if depth == 0 && len(v.sent) <= 1 {
			return "the server did not send its intermediate certificate: " + issuer +
				" is missing from the chain (configure the server to send the full chain)"
		}
		return "issued by " + issuer + notTrusted
	case ReasonSelfSignedCertInChain:
		return "issued by " + issuer + notTrusted
	case ReasonSelfSigned:
		return who + " is self-signed: trust it only on purpose, by adding it with TRUSTBUNDLE_EXTRA_CA_CERTS or passing it as an extra CA"
	case ReasonCertHasExpired:
		end := c.NotAfter.Unix()
		return who + " expired on " + formatDate(end) + ", " + daysText(check-end) + " before the check time: renew it"
	case ReasonCertNotYetValid:
		start := c.NotBefore.Unix()
		return who + " is not valid until " + formatDate(start) + ", " + daysText(start-check) + " after the check time: check the clock"
	case ReasonHostnameMismatch, ReasonIPAddressMismatch:
		var names []string
		for _, n := range c.DNSNames {
			names = append(names, terminalText(n))
		}
		for _, ip := range c.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) == 0 {
			return terminalText(v.host) + " is not among the certificate's names: it has no subjectAltName (the subject CN is never used)"
		}
		return terminalText(v.host) + " is not among the certificate's names: " + strings.Join(names, ", ")
	case ReasonInvalidPurpose:
		if v.client {
			return who + " is not allowed for TLS client authentication: its extended key usage lacks clientAuth"
		}
		return who + " is not allowed for TLS server authentication: its extended key usage lacks serverAuth"
	case ReasonPathLengthExceeded:
		limit := c.MaxPathLen
		if limit < 0 || !c.BasicConstraintsValid {
			limit = 0
		}
		return who + " allows at most " + strconv.Itoa(limit) + " CA certificate(s) below it (pathLenConstraint); this chain has more"
	case ReasonNameConstraints:
		return "a name in " + who + " is outside the names its issuing CA is allowed to certify (name constraints)"
	case ReasonRootDistrusted:
		for _, a := range v.store.anchors {
			if a.cert.Equal(c) && a.hasDistrust {
				return "the root " + quotedName(c, true) + " is distrusted for certificates issued after " +
					formatDate(a.distrustAfter) + ": get a certificate from another CA"
			}
		}
	case ReasonCertSignatureFailure:
		return "the signature on " + who + " does not verify: the chain is corrupt or mismatched"
	case ReasonInvalidCA:
		return who + " is not a valid CA (basicConstraints or keyUsage): it cannot issue certificates"
	case ReasonCertChainTooLong:
		return "the chain has more intermediates than allowed"
	case ReasonWeakKeyOrSignature:
		return who + " uses a key or signature weaker than 112-bit security (e.g. RSA < 2048, SHA-1)"
	case ReasonInvalidCertificate:
		return who + " is malformed or breaks the X.509 profile: reissue it"
	case ReasonUnsupportedKey:
		return who + " has an RSA key no CA should issue (see the message): reissue it with an ordinary key, " +
			"RSA 2048 to 8192 bits with exponent 65537, or ECDSA"
	case ReasonVerifyBudgetExceeded:
		return "the certificates sent offer too many candidate paths or too costly signatures to check: " +
			"send only the chain from the leaf to its root"
	}
	return ""
}
