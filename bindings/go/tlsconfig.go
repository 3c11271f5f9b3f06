package trustbundle

import (
	"crypto/tls"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// TLSOption configures TLSConfig. A CASource is one: an extra CA trusted on
// top of Mozilla's roots.
type TLSOption interface{ applyTLS(*tlsSettings) }

type tlsSettings struct {
	extra []CASource
	store *Store
	host  string
	then  func(tls.ConnectionState) error
}

type tlsOptionFunc func(*tlsSettings)

func (f tlsOptionFunc) applyTLS(s *tlsSettings) { f(s) }

func (s CASource) applyTLS(t *tlsSettings) { t.extra = append(t.extra, s) }

// WithStore verifies against store (its anchors) instead of a store made
// from the extra CAs and TRUSTBUNDLE_EXTRA_CA_CERTS. The caller keeps
// ownership: a closed store fails every handshake.
func WithStore(store *Store) TLSOption {
	return tlsOptionFunc(func(s *tlsSettings) { s.store = store })
}

// ForHost is the name or IP address verified when the handshake carries no
// server name. crypto/tls sends no SNI for an IP address, and the
// verification hook sees only what was sent, so a config for
// https://192.0.2.10/ needs ForHost("192.0.2.10"); without it such a
// handshake fails (it is never accepted unchecked). When the handshake has a
// server name, that name is verified and ForHost is not used. A config with
// ForHost is for that one address.
func ForHost(host string) TLSOption {
	return tlsOptionFunc(func(s *tlsSettings) { s.host = host })
}

// AlsoVerify adds a check of your own (pinning, logging), run on every
// handshake after the core has accepted the chain. Use it instead of setting
// VerifyConnection on the returned config, which would replace trustbundle's
// check.
func AlsoVerify(check func(tls.ConnectionState) error) TLSOption {
	return tlsOptionFunc(func(s *tlsSettings) { s.then = check })
}

// TLSConfig returns a client *tls.Config that accepts a server exactly when
// the core's Verify accepts the chain the server sent, for the server name
// of the handshake (ForHost for an IP address), now: Mozilla's roots with
// their distrust-after dates, the extra CAs (opts) and
// TRUSTBUNDLE_EXTRA_CA_CERTS (read now), no partial chains, the subject CN
// never a name. A rejection fails the handshake, before any application
// data is sent, with a *VerificationError (errors.As; errors.Is with the
// Err* reason sentinels), which http.Client returns inside its *url.Error.
// MinVersion is TLS 1.2.
//
// How: the check is the config's VerifyConnection, which crypto/tls runs on
// every handshake, full or resumed, TLS 1.2 and 1.3. Because it replaces
// crypto/x509's verification, the config sets InsecureSkipVerify, and that
// flag means nothing without the hook: keep VerifyConnection (Clone, and
// http.Transport's copies, keep it; add your own check with AlsoVerify).
// Setting InsecureSkipVerify back to false is safe: crypto/x509 then checks
// the chain against RootCAs (nil: the system's roots) and the core checks it
// too, both must accept. The config's Time is not used: verification is at
// the current time.
func TLSConfig(opts ...TLSOption) (*tls.Config, error) {
	cfg, _, err := newTLSConfig(opts)
	return cfg, err
}

func newTLSConfig(opts []TLSOption) (*tls.Config, *connVerifier, error) {
	var s tlsSettings
	for _, o := range opts {
		o.applyTLS(&s)
	}
	store := s.store
	if store == nil {
		var err error
		if store, err = NewStore(StoreOptions{ExtraCA: s.extra}); err != nil {
			return nil, nil, err
		}
	} else if len(s.extra) > 0 {
		return nil, nil, newError(native.StatusInvalidArgument,
			"TLSConfig: extra CAs and WithStore together: give the store its CAs in NewStore")
	}
	v := &connVerifier{store: store, host: s.host, then: s.then}
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // crypto/x509's check is replaced by VerifyConnection, never skipped
		VerifyConnection:   v.verify,
	}, v, nil
}

// connVerifier is the VerifyConnection of a TLSConfig.
type connVerifier struct {
	store *Store
	host  string
	then  func(tls.ConnectionState) error
}

func (v *connVerifier) verify(cs tls.ConnectionState) error {
	host := cs.ServerName
	if host == "" {
		host = v.host
	}
	if host == "" {
		// An empty Host would be refused by Verify anyway; say why here.
		return newError(native.StatusInvalidArgument, "TLS handshake without a server name (an IP address, "+
			"or no ServerName): nothing to verify the certificate for; give the address with trustbundle.ForHost")
	}
	chain := make([][]byte, len(cs.PeerCertificates))
	for i, c := range cs.PeerCertificates {
		chain[i] = c.Raw
	}
	if len(chain) == 0 {
		return newError(native.StatusInvalidArgument, "TLS handshake without a server certificate")
	}
	if _, err := v.store.Verify(chain, VerifyOptions{Host: host}); err != nil {
		return err
	}
	if v.then != nil {
		return v.then(cs)
	}
	return nil
}
