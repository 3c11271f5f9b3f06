package trustbundle

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// Transport returns a clone of http.DefaultTransport (proxies from the
// environment, HTTP/2, its timeouts) whose TLS is TLSConfig(opts...), for
// any host: it dials TLS itself, so each connection is verified for the
// host it dialled, an IP address included (no ForHost needed). Through a
// proxy (CONNECT), net/http does the handshake with TLSClientConfig, which
// verifies the server name sent (an IP address there needs ForHost, or
// fails).
//
//	client := &http.Client{Transport: t}
//
// The check cannot be lost by editing the transport: each connection's
// config is a clone of the current TLSClientConfig with trustbundle's
// VerifyConnection put back.
func Transport(opts ...TLSOption) (*http.Transport, error) {
	cfg, v, err := newTLSConfig(opts)
	if err != nil {
		return nil, err
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = cfg
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		raw, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c := t.TLSClientConfig.Clone()
		if c == nil { // the field was cleared: the check still applies
			c = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		if c.ServerName == "" {
			c.ServerName = host
		}
		dialed := *v
		dialed.host = host // where this connection goes; the SNI sent, if any, comes first
		c.InsecureSkipVerify, c.VerifyConnection = true, dialed.verify
		// net/http applies TLSHandshakeTimeout only to handshakes it makes.
		hctx := ctx
		if t.TLSHandshakeTimeout > 0 {
			var cancel context.CancelFunc
			hctx, cancel = context.WithTimeout(ctx, t.TLSHandshakeTimeout)
			defer cancel()
		}
		conn := tls.Client(raw, c)
		if err := conn.HandshakeContext(hctx); err != nil {
			raw.Close()
			return nil, err
		}
		return conn, nil
	}
	return t, nil
}
