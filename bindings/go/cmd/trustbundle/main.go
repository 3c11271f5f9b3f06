// Command trustbundle is the Go package's command-line tool, a subset of the
// C++ `trustbundle` tool with the same output and exit codes:
//
//	trustbundle where                  write cacert.pem into the user cache directory, print its path
//	trustbundle capath                 write the hashed CA directory beside it, print its path
//	trustbundle pem                    print the bundle (certifi's cacert.pem layout)
//	trustbundle info [--json]          library version, bundle version, root count, PEM SHA-256
//	trustbundle list [--json]          every root: SHA-256, notAfter, distrust-after, label
//	trustbundle verify CHAIN.pem [MORE.pem...] [--host H] [--at TIME] [--purpose server|client]
//	                   [--extra-ca PATH]... [--roots PATH]... [--json]
//	trustbundle check-pair CERT KEY [--passphrase-file F] [--at TIME] [--json]
//
// Exit codes: 0 success (or accepted), 1 rejected (verify, check-pair), 2 bad
// usage or input, with a one-line reason on stderr. TIME is RFC 3339 UTC or
// Unix seconds.
//
// Run it with `go run github.com/trustbundle/trustbundle/bindings/go/cmd/trustbundle`.
package main

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	trustbundle "github.com/trustbundle/trustbundle/bindings/go"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type command struct {
	name, usage, help string
	run               func(args []string, stdout, stderr io.Writer) int
}

// commands is set in init: its runners refer to it (for --help).
var commands []command

func init() {
	commands = []command{
		{"where", "where", "Writes the embedded bundle as cacert.pem into the user cache directory, atomically\n" +
			"and only if it is missing or different, and prints its path.", runWhere},
		{"capath", "capath", "Writes a hashed CA directory (<subject hash>.<n>) beside cacert.pem and prints its path.", runCapath},
		{"pem", "pem", "Prints the embedded bundle in certifi's cacert.pem layout.", runPEM},
		{"info", "info [--json]", "Prints the library version, the bundle version (NSS + as_of) and the root count.", runInfo},
		{"list", "list [--json]", "Lists every root: SHA-256, notAfter, server distrust-after, label.", runList},
		{"verify", "verify CHAIN.pem [MORE.pem...] [--host H] [--at TIME] [--purpose server|client] " +
			"[--extra-ca PATH]... [--roots PATH]... [--json]",
			"Verifies a chain (leaf first; PEM or DER) against the Mozilla roots, plus --extra-ca files or\n" +
				"directories and TRUSTBUNDLE_EXTRA_CA_CERTS. --roots replaces the roots (for testing).\n" +
				"Exit 0 accepted, 1 rejected (the reason and a hint are printed), 2 bad usage or input.", runVerify},
		{"check-pair", "check-pair CERT KEY [--passphrase-file F] [--at TIME] [--json]",
			"Checks an mTLS client certificate against its private key: does the key match, does the\n" +
				"certificate allow TLS client auth, is it valid at TIME (default: now).\n" +
				"Exit 0 when all three hold, 1 when one does not, 2 bad usage or input.", runCheckPair},
	}
}

func overview(w io.Writer) {
	fmt.Fprintln(w, "usage: trustbundle COMMAND [options]   (trustbundle COMMAND --help for details)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintln(w, "  trustbundle "+c.usage)
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		overview(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "--help", "help":
		overview(stdout)
		return 0
	case "--version":
		fmt.Fprintln(stdout, "trustbundle "+trustbundle.LibraryVersion())
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "trustbundle: unknown command '%s'\n", args[0])
	overview(stderr)
	return 2
}

// usageError is bad usage: exit 2 with a pointer to --help.
type usageError string

func (e usageError) Error() string { return string(e) }

// fail prints err for command name and returns the exit code for it.
func fail(name string, stderr io.Writer, err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "trustbundle %s: %s (see trustbundle %s --help)\n", name, ue, name)
	} else {
		fmt.Fprintf(stderr, "trustbundle %s: %s\n", name, strings.TrimPrefix(err.Error(), "trustbundle: "))
	}
	return 2
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// parse parses flags and positional arguments in any order, as the C++ tool
// does. It returns (positional, help, error).
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, bool, error) {
	fs.SetOutput(io.Discard)
	help := fs.Bool("help", false, "")
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, true, nil
			}
			return nil, false, usageError(err.Error())
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			positional = append(positional, args[1:]...)
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if *help {
		return nil, true, nil
	}
	if len(positional) < minPos || len(positional) > maxPos {
		switch {
		case maxPos == 0:
			return nil, false, usageError("takes no arguments")
		case len(positional) < minPos:
			return nil, false, usageError("missing arguments")
		default:
			return nil, false, usageError("too many arguments")
		}
	}
	return positional, false, nil
}

func helpText(name string, stdout io.Writer) int {
	for _, c := range commands {
		if c.name == name {
			fmt.Fprintf(stdout, "usage: trustbundle %s\n\n%s\n", c.usage, c.help)
		}
	}
	return 0
}

func runWhere(args []string, stdout, stderr io.Writer) int {
	return printPath("where", args, stdout, stderr, trustbundle.Where)
}

func runCapath(args []string, stdout, stderr io.Writer) int {
	return printPath("capath", args, stdout, stderr, trustbundle.Capath)
}

func printPath(name string, args []string, stdout, stderr io.Writer, f func() (string, error)) int {
	_, help, err := parse(flag.NewFlagSet(name, flag.ContinueOnError), args, 0, 0)
	if err != nil {
		return fail(name, stderr, err)
	}
	if help {
		return helpText(name, stdout)
	}
	path, err := f()
	if err != nil {
		return fail(name, stderr, err)
	}
	fmt.Fprintln(stdout, path)
	return 0
}

func runPEM(args []string, stdout, stderr io.Writer) int {
	_, help, err := parse(flag.NewFlagSet("pem", flag.ContinueOnError), args, 0, 0)
	if err != nil {
		return fail("pem", stderr, err)
	}
	if help {
		return helpText("pem", stdout)
	}
	_, _ = stdout.Write(trustbundle.PEM())
	return 0
}

func rfc3339(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func runInfo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	_, help, err := parse(fs, args, 0, 0)
	if err != nil {
		return fail("info", stderr, err)
	}
	if help {
		return helpText("info", stdout)
	}
	roots, err := trustbundle.Roots()
	if err != nil {
		return fail("info", stderr, err)
	}
	sum := sha256.Sum256(trustbundle.PEM())
	pemSHA := hex.EncodeToString(sum[:])
	if *asJSON {
		return writeJSON(stdout, struct {
			LibraryVersion string `json:"library_version"`
			BundleVersion  string `json:"bundle_version"`
			NSSVersion     string `json:"nss_version"`
			AsOf           string `json:"as_of"`
			RootCount      int    `json:"root_count"`
			PEMSHA256      string `json:"pem_sha256"`
		}{trustbundle.LibraryVersion(), trustbundle.BundleVersion(), trustbundle.BundleNSSVersion(),
			rfc3339(trustbundle.BundleAsOf()), len(roots), pemSHA}, 0)
	}
	fmt.Fprintf(stdout, "trustbundle %s\n", trustbundle.LibraryVersion())
	fmt.Fprintf(stdout, "bundle:      Mozilla NSS builtins %s, curated as of %s\n",
		trustbundle.BundleNSSVersion(), rfc3339(trustbundle.BundleAsOf()))
	fmt.Fprintf(stdout, "roots:       %d\n", len(roots))
	fmt.Fprintf(stdout, "pem sha256:  %s\n", pemSHA)
	return 0
}

func runList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	_, help, err := parse(fs, args, 0, 0)
	if err != nil {
		return fail("list", stderr, err)
	}
	if help {
		return helpText("list", stdout)
	}
	roots, err := trustbundle.Roots()
	if err != nil {
		return fail("list", stderr, err)
	}
	if *asJSON {
		type row struct {
			Label               string  `json:"label"`
			SHA256              string  `json:"sha256"`
			NotAfter            string  `json:"not_after"`
			ServerDistrustAfter *string `json:"server_distrust_after"`
		}
		rows := make([]row, 0, len(roots))
		for _, r := range roots {
			x := row{Label: r.Label, SHA256: r.SHA256, NotAfter: rfc3339(r.NotAfter)}
			if !r.ServerDistrustAfter.IsZero() {
				s := rfc3339(r.ServerDistrustAfter)
				x.ServerDistrustAfter = &s
			}
			rows = append(rows, x)
		}
		return writeJSON(stdout, rows, 0)
	}
	for _, r := range roots {
		distrust := ""
		if !r.ServerDistrustAfter.IsZero() {
			distrust = "distrust-after " + r.ServerDistrustAfter.Format("2006-01-02") + "  "
		}
		fmt.Fprintf(stdout, "%s  %s  %s%s\n", r.SHA256, r.NotAfter.Format("2006-01-02"), distrust, r.Label)
	}
	return 0
}

func writeJSON(w io.Writer, v any, code int) int {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	fmt.Fprintln(w, string(b))
	return code
}

func parseAt(text string) (time.Time, error) {
	if text == "" {
		return time.Time{}, nil
	}
	t, err := trustbundle.ParseTime(text)
	if err != nil {
		return time.Time{}, fmt.Errorf("--at: %w", err)
	}
	return t, nil
}

func subjectOf(der []byte) string {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		sum := sha256.Sum256(der)
		return "sha256 " + hex.EncodeToString(sum[:])
	}
	return c.Subject.String()
}

// verifyJSON is `verify --json` output, in the C++ tool's field order.
type verifyJSON struct {
	OK          bool     `json:"ok"`
	Reason      string   `json:"reason"`
	Depth       int      `json:"depth"`
	OpenSSLCode int64    `json:"openssl_code"`
	Message     string   `json:"message"`
	Hint        string   `json:"hint"`
	Chain       []string `json:"chain"`
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	host := fs.String("host", "", "")
	at := fs.String("at", "", "")
	purpose := fs.String("purpose", "server", "")
	asJSON := fs.Bool("json", false, "")
	var extra, roots stringList
	fs.Var(&extra, "extra-ca", "")
	fs.Var(&roots, "roots", "")
	files, help, err := parse(fs, args, 1, 32)
	if err != nil {
		return fail("verify", stderr, err)
	}
	if help {
		return helpText("verify", stdout)
	}
	opts := trustbundle.VerifyOptions{Host: *host, NoHostCheck: *host == ""}
	switch *purpose {
	case "server":
		opts.Purpose = trustbundle.PurposeServer
	case "client":
		opts.Purpose = trustbundle.PurposeClient
	default:
		return fail("verify", stderr, usageError("--purpose must be server or client"))
	}
	if opts.At, err = parseAt(*at); err != nil {
		return fail("verify", stderr, err)
	}
	var chain [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return fail("verify", stderr, fmt.Errorf("cannot read '%s': %w", f, errors.Unwrap(err)))
		}
		chain = append(chain, b)
	}
	storeOpts := trustbundle.StoreOptions{}
	if len(roots) > 0 {
		storeOpts.NoMozilla, storeOpts.IgnoreEnv = true, true // replacement, for tests: only these roots
		for _, p := range roots {
			storeOpts.ExtraCA = append(storeOpts.ExtraCA, trustbundle.CAPath(p))
		}
	}
	for _, p := range extra {
		storeOpts.ExtraCA = append(storeOpts.ExtraCA, trustbundle.CAPath(p))
	}
	store, err := trustbundle.NewStore(storeOpts)
	if err != nil {
		return fail("verify", stderr, err)
	}
	defer store.Close()
	verified, err := store.Verify(chain, opts)
	var ve *trustbundle.VerificationError
	if err != nil && !errors.As(err, &ve) {
		return fail("verify", stderr, err)
	}
	if *asJSON {
		out := verifyJSON{OK: ve == nil, Reason: "OK", Depth: -1, Chain: []string{}}
		if ve != nil {
			out.Reason, out.Depth, out.OpenSSLCode, out.Message, out.Hint = ve.Reason, ve.Depth, ve.OpenSSLCode, ve.Message, ve.Hint
		}
		for _, der := range verified {
			out.Chain = append(out.Chain, subjectOf(der))
		}
		writeJSON(stdout, out, 0)
	} else if ve == nil {
		fmt.Fprintf(stdout, "OK: verified (%d certificates)\n", len(verified))
		for i, der := range verified {
			fmt.Fprintf(stdout, "  %d: %s\n", i, subjectOf(der))
		}
	} else {
		fmt.Fprintf(stdout, "REJECTED: %s at depth %d: %s\n", ve.Reason, ve.Depth, ve.Message)
		if ve.Hint != "" {
			fmt.Fprintf(stdout, "hint: %s\n", ve.Hint)
		}
	}
	if ve != nil {
		fmt.Fprintf(stderr, "rejected: %s: %s\n", ve.Reason, ve.Message)
		return 1
	}
	return 0
}

func runCheckPair(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check-pair", flag.ContinueOnError)
	passFile := fs.String("passphrase-file", "", "")
	at := fs.String("at", "", "")
	asJSON := fs.Bool("json", false, "")
	files, help, err := parse(fs, args, 2, 2)
	if err != nil {
		return fail("check-pair", stderr, err)
	}
	if help {
		return helpText("check-pair", stdout)
	}
	when, err := parseAt(*at)
	if err != nil {
		return fail("check-pair", stderr, err)
	}
	if when.IsZero() {
		when = time.Now()
	}
	var inputs [3][]byte
	for i, f := range []string{files[0], files[1], *passFile} {
		if f == "" {
			continue
		}
		if inputs[i], err = os.ReadFile(f); err != nil {
			return fail("check-pair", stderr, fmt.Errorf("cannot read '%s': %w", f, errors.Unwrap(err)))
		}
	}
	passphrase := strings.TrimRight(string(inputs[2]), "\r\n")
	check, err := trustbundle.CheckKeyPairAt(inputs[0], inputs[1], passphrase, when)
	if err != nil {
		return fail("check-pair", stderr, err)
	}
	code := 0
	if !check.OK() {
		code = 1
	}
	if *asJSON {
		return writeJSON(stdout, struct {
			OK         bool   `json:"ok"`
			Match      bool   `json:"match"`
			ClientAuth bool   `json:"client_auth"`
			Valid      bool   `json:"valid"`
			NotBefore  string `json:"not_before"`
			NotAfter   string `json:"not_after"`
		}{check.OK(), check.Match, check.ClientAuth, check.Valid, rfc3339(check.NotBefore), rfc3339(check.NotAfter)}, code)
	}
	if check.Match {
		fmt.Fprintln(stdout, "match:       the key belongs to the certificate")
	} else {
		fmt.Fprintln(stdout, "MISMATCH:    the key does not belong to the certificate")
	}
	if check.ClientAuth {
		fmt.Fprintln(stdout, "client auth: allowed (extended key usage)")
	} else {
		fmt.Fprintln(stdout, "CLIENT AUTH: not allowed: the extended key usage lacks clientAuth")
	}
	validity := "validity:    valid at "
	if !check.Valid {
		validity = "VALIDITY:    not valid at "
	}
	fmt.Fprintf(stdout, "%s%s (%s .. %s)\n", validity, rfc3339(when), rfc3339(check.NotBefore), rfc3339(check.NotAfter))
	return code
}
