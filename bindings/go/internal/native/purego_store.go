//go:build !cgo

package native

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Store is the pure-Go trust store: Mozilla's server-trusted roots with
// their distrust-after dates and the extra CAs, as crypto/x509 pools.
type Store struct {
	anchors []anchor            // trusted anchors, in order
	inter   []*x509.Certificate // extra CAs that are not self-issued: path candidates, never anchors
	extra   [][]byte            // the extra CAs' DER, for ExtraPEM
	freed   bool

	roots, interPool *x509.CertPool // made from anchors and inter by pools()
}

type anchor struct {
	cert          *x509.Certificate
	distrustAfter int64 // Unix seconds; 0 = none
	hasDistrust   bool
}

// NewStore builds a store from Mozilla's roots (mozilla), the file or
// directory in TRUSTBUNDLE_EXTRA_CA_CERTS (env) and sources, in order.
func NewStore(mozilla, env, system bool, sources []Source) (*Store, error) {
	if system {
		return nil, unsupported("the system store")
	}
	s := &Store{}
	if mozilla {
		for _, r := range mustBundle().roots {
			if r.ServerTrust != TrustTrusted {
				continue
			}
			c, err := x509.ParseCertificate(r.DER)
			if err != nil { // crypto/x509 refuses a root the core keeps: say so, never skip it silently
				return nil, fail(StatusParse, fmt.Sprintf("Mozilla root %q: crypto/x509 cannot parse it: %v", r.Label, err))
			}
			s.anchors = append(s.anchors, anchor{cert: c, distrustAfter: r.ServerDistrustAfter, hasDistrust: r.HasServerDistrustAfter})
		}
	}
	var all [][]*x509.Certificate
	if env {
		if p := os.Getenv("TRUSTBUNDLE_EXTRA_CA_CERTS"); p != "" {
			certs, err := loadPath(p)
			if err != nil {
				err.Message = "TRUSTBUNDLE_EXTRA_CA_CERTS: " + err.Message
				return nil, err
			}
			all = append(all, certs)
		}
	}
	for _, src := range sources {
		var certs []*x509.Certificate
		var err *Failure
		if src.IsPath {
			if strings.IndexByte(src.Path, 0) >= 0 {
				return nil, invalid("CA path contains a NUL byte")
			}
			certs, err = loadPath(src.Path)
		} else {
			name := src.Name
			if name == "" {
				name = "CA data"
			}
			certs, err = loadBytes(src.Data, name)
		}
		if err != nil {
			return nil, err
		}
		all = append(all, certs)
	}
	for _, certs := range all {
		for _, c := range certs {
			s.extra = append(s.extra, c.Raw)
			// An extra CA is an anchor only when it is a root (self-issued), as in
			// the core (no partial chains); an intermediate helps build paths.
			if bytes.Equal(c.RawSubject, c.RawIssuer) {
				s.anchors = append(s.anchors, anchor{cert: c})
			} else {
				s.inter = append(s.inter, c)
			}
		}
	}
	if len(s.anchors) == 0 && len(s.inter) == 0 {
		return nil, invalid("the store has no certificates: no Mozilla roots, no extra CA")
	}
	s.pools()
	return s, nil
}

// Free releases nothing (Go memory); the store must not be used afterwards.
func (s *Store) Free() { s.freed = true }

// ExtraCount is trustbundle_store_extra_count.
func (s *Store) ExtraCount() int { return len(s.extra) }

// ExtraPEM is trustbundle_store_extra_pem.
func (s *Store) ExtraPEM() []byte {
	var b bytes.Buffer
	for _, der := range s.extra {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	return b.Bytes()
}

func isCertFileName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pem", ".crt", ".cer", ".der":
		return true
	}
	return false
}

// loadPath is load_certs_from_path: a file, or a directory's *.pem, *.crt,
// *.cer and *.der regular files.
func loadPath(path string) ([]*x509.Certificate, *Failure) {
	if path == "" {
		return nil, invalid("empty CA path")
	}
	st, err := os.Stat(path)
	if err != nil || !st.IsDir() {
		data, ferr := readFile(path)
		if ferr != nil {
			return nil, ferr
		}
		return loadBytes(data, path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, ioFailure("cannot list", path, err)
	}
	var out []*x509.Certificate
	for _, e := range entries { // sorted by name, as list_directory
		if !isCertFileName(e.Name()) {
			continue
		}
		file := path + "/" + e.Name()
		if st, err := os.Stat(file); err == nil && !st.Mode().IsRegular() {
			continue
		}
		data, ferr := readFile(file)
		if ferr != nil {
			return nil, ferr
		}
		certs, ferr := loadBytes(data, file)
		if ferr != nil {
			return nil, ferr
		}
		out = append(out, certs...)
	}
	if len(out) == 0 {
		return nil, fail(StatusParse, path+": directory holds no certificate file (*.pem, *.crt, *.cer, *.der)")
	}
	return out, nil
}

// readFile is read_file: a regular file, at most MaxInputBytes.
func readFile(path string) ([]byte, *Failure) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, ioFailure("cannot open", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, ioFailure("cannot stat", path, err)
	}
	if st.IsDir() {
		return nil, fail(StatusIO, "'"+path+"' is a directory, expected a file")
	}
	if !st.Mode().IsRegular() {
		return nil, fail(StatusIO, "'"+path+"' is "+fileKind(st.Mode())+", not a regular file")
	}
	if st.Size() > MaxInputBytes {
		return nil, fail(StatusLimit, fmt.Sprintf("'%s' is larger than the limit of %d bytes", path, MaxInputBytes))
	}
	data := make([]byte, 0, st.Size())
	buf := make([]byte, 65536)
	for {
		n, err := f.Read(buf)
		data = append(data, buf[:n]...)
		if len(data) > MaxInputBytes {
			return nil, fail(StatusLimit, fmt.Sprintf("'%s' is larger than the limit of %d bytes", path, MaxInputBytes))
		}
		if err != nil {
			break
		}
	}
	return data, nil
}

// loadBytes is load_certs_from_bytes: PEM (every CERTIFICATE block) or one
// DER certificate. certdata.txt needs the core's parser.
func loadBytes(data []byte, source string) ([]*x509.Certificate, *Failure) {
	if len(data) > MaxInputBytes {
		return nil, fail(StatusLimit, fmt.Sprintf("%s: %d bytes is over the limit of %d bytes", source, len(data), MaxInputBytes))
	}
	if len(bytes.TrimLeft(data, " \t\r\n")) == 0 {
		return nil, fail(StatusParse, source+": empty: no certificate in it")
	}
	if bytes.Contains(data, []byte("CKA_CLASS")) && bytes.Contains(data, []byte("BEGINDATA")) {
		return nil, unsupported(source + ": a certdata.txt source (Mozilla's format, with distrust-after dates)")
	}
	if bytes.Contains(data, []byte("-----BEGIN")) {
		var out []*x509.Certificate
		for rest := data; ; {
			var block *pem.Block
			if block, rest = pem.Decode(rest); block == nil {
				break
			}
			if block.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fail(StatusParse, fmt.Sprintf("%s: certificate %d: %v", source, len(out)+1, err))
			}
			out = append(out, c)
		}
		if len(out) == 0 {
			return nil, fail(StatusParse, source+": PEM data holds no CERTIFICATE block")
		}
		return out, nil
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, fail(StatusParse, fmt.Sprintf("%s: %v", source, err))
	}
	return []*x509.Certificate{c}, nil
}
