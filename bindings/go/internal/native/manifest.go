package native

// The embedded bundle read from the generated files (core.CACertPEM,
// core.ManifestJSON): what the pure-Go build serves, and what the cgo
// build's TestManifestMatchesCore compares with the core's answers.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"sync"
	"time"

	"github.com/trustbundle/trustbundle/core"
)

type manifestRoot struct {
	Label               string  `json:"label"`
	SHA256              string  `json:"sha256"`
	SHA1                string  `json:"sha1"`
	Subject             string  `json:"subject"`
	Issuer              string  `json:"issuer"`
	Serial              string  `json:"serial"`
	NotBefore           string  `json:"not_before"`
	NotAfter            string  `json:"not_after"`
	ServerTrust         string  `json:"server_trust"`
	EmailTrust          string  `json:"email_trust"`
	ServerDistrustAfter *string `json:"server_distrust_after"`
}

type bundleData struct {
	nss   string
	asOf  int64
	roots []RootInfo
}

var bundle = sync.OnceValues(loadBundle)

// mustBundle is the embedded bundle; the files are generated and checked
// in CI, so a failure to read them is a broken build, not a run-time state.
func mustBundle() *bundleData {
	b, err := bundle()
	if err != nil {
		panic("trustbundle: the embedded bundle files are broken: " + err.Error())
	}
	return b
}

func trustValue(s string) int {
	switch s {
	case "trusted":
		return TrustTrusted
	case "must-verify", "must_verify":
		return TrustMustVerify
	case "not-trusted", "not_trusted":
		return TrustNotTrusted
	}
	return TrustNone
}

func loadBundle() (*bundleData, error) {
	var m struct {
		NSS       string         `json:"nss_version"`
		AsOf      string         `json:"as_of"`
		RootCount int            `json:"root_count"`
		Roots     []manifestRoot `json:"roots"`
	}
	if err := json.Unmarshal([]byte(core.ManifestJSON), &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %v", err)
	}
	asOf, err := time.Parse(time.RFC3339, m.AsOf)
	if err != nil {
		return nil, fmt.Errorf("manifest.json as_of: %v", err)
	}
	der := map[string][]byte{} // by SHA-256, from cacert.pem
	for rest := []byte(core.CACertPEM); ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		sum := sha256.Sum256(block.Bytes)
		der[hex.EncodeToString(sum[:])] = block.Bytes
	}
	if len(m.Roots) != m.RootCount || len(der) != m.RootCount {
		return nil, fmt.Errorf("manifest.json lists %d of %d roots, cacert.pem holds %d", len(m.Roots), m.RootCount, len(der))
	}
	b := &bundleData{nss: m.NSS, asOf: asOf.Unix()}
	for _, r := range m.Roots {
		d, ok := der[r.SHA256]
		if !ok {
			return nil, fmt.Errorf("root %q is not in cacert.pem", r.Label)
		}
		nb, err1 := time.Parse(time.RFC3339, r.NotBefore)
		na, err2 := time.Parse(time.RFC3339, r.NotAfter)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("root %q: bad validity dates", r.Label)
		}
		info := RootInfo{Label: r.Label, SHA256Hex: r.SHA256, SHA1Hex: r.SHA1, Subject: r.Subject, Issuer: r.Issuer,
			Serial: r.Serial, NotBefore: nb.Unix(), NotAfter: na.Unix(),
			ServerTrust: trustValue(r.ServerTrust), EmailTrust: trustValue(r.EmailTrust), DER: d}
		if r.ServerDistrustAfter != nil {
			t, err := time.Parse(time.RFC3339, *r.ServerDistrustAfter)
			if err != nil {
				return nil, fmt.Errorf("root %q: server_distrust_after: %v", r.Label, err)
			}
			info.HasServerDistrustAfter, info.ServerDistrustAfter = true, t.Unix()
		}
		b.roots = append(b.roots, info)
	}
	return b, nil
}
