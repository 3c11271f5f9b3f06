package trustbundle_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"

	trustbundle "github.com/trustbundle/trustbundle/bindings/go"
)

// An HTTP client whose handshakes the core judges (Mozilla's roots, a
// corporate CA, TRUSTBUNDLE_EXTRA_CA_CERTS), and the reason and hint of a
// rejected server.
func ExampleTLSConfig() {
	cfg, err := trustbundle.TLSConfig(trustbundle.CAPath("corp-root.pem"))
	if err != nil {
		log.Fatal(err) // e.g. a CA file that cannot be read
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	_, err = client.Get("https://internal.example.test/")
	var ve *trustbundle.VerificationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Reason, "at depth", ve.Depth, "hint:", ve.Hint)
	}
	if errors.Is(err, trustbundle.ErrCertHasExpired) {
		fmt.Println("the server's certificate has expired")
	}
}

// Why a chain fails, in the reason names every trustbundle package shares.
func ExampleVerify() {
	leaf, _ := os.ReadFile("leaf.pem")
	intermediate, _ := os.ReadFile("intermediate.pem")
	chain, err := trustbundle.Verify([][]byte{leaf, intermediate}, trustbundle.VerifyOptions{
		Host:    "example.com",
		ExtraCA: []trustbundle.CASource{trustbundle.CAPath("corp-root.pem")},
	})
	var ve *trustbundle.VerificationError
	switch {
	case errors.Is(err, trustbundle.ErrCertHasExpired):
		fmt.Println("a certificate has expired:", err)
	case errors.As(err, &ve):
		fmt.Println("rejected:", ve.Reason, "hint:", ve.Hint)
	case err != nil:
		fmt.Println("bad input:", err) // *trustbundle.Error: ErrParse, ErrIO, ErrLimit ...
	default:
		fmt.Println("verified up to", len(chain)-1, "certificates above the leaf")
	}
}

// A Store for many verifications, from any number of goroutines.
func ExampleNewStore() {
	store, err := trustbundle.NewStore(trustbundle.StoreOptions{
		ExtraCA: []trustbundle.CASource{trustbundle.CAPath("/etc/corp/ca-certs")},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	// store.Verify(chain, trustbundle.VerifyOptions{Host: "internal.corp"}) ...
}

// An mTLS client certificate and key that belong together and may do client auth.
func ExampleCheckKeyPair() {
	cert, _ := os.ReadFile("client.pem")
	key, _ := os.ReadFile("client.key")
	check, err := trustbundle.CheckKeyPair(cert, key, "")
	if errors.Is(err, trustbundle.ErrPassphrase) {
		fmt.Println("the key is encrypted: give its passphrase")
		return
	}
	if err == nil && !check.OK() {
		fmt.Printf("match %v, client auth %v, valid %v\n", check.Match, check.ClientAuth, check.Valid)
	}
}
