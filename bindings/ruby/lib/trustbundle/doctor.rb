# frozen_string_literal: true

require "json"

module Trustbundle
  # One certificate as the server sent it (Diagnosis#chain).
  #
  # subject, issuer:: "CN=... O=... OU=...", as Root.
  # not_before, not_after:: Time (UTC).
  # key_type:: "RSA", "EC", "Ed25519", "Ed448", "DSA" or "unknown"; key_bits an Integer.
  # sha256:: fingerprint of the DER, lowercase hex; der the certificate (binary String).
  ServedCertificate = Struct.new(:subject, :issuer, :not_before, :not_after, :key_type, :key_bits, :sha256, :der,
                                 keyword_init: true) do
    def certificate
      OpenSSL::X509::Certificate.new(der)
    end
  end

  # One problem (or fact) the doctor found, with what to change on each side.
  #
  # code:: a stable name, e.g. "MISSING_INTERMEDIATE", "CLIENT_CERT_REQUIRED".
  # severity:: "info", "warning" or "error".
  # index:: the served certificate concerned (0 = the leaf), or -1.
  # message, fix_client, fix_server:: one line each; a fix is "" when there is nothing to change.
  Finding = Struct.new(:code, :severity, :index, :message, :fix_client, :fix_server, keyword_init: true)

  # The result of Trustbundle.diagnose.
  #
  # verdict:: "OK" (verifies), "REJECTED" (does not, or the server refused the
  #           client certificate) or "UNREACHABLE" (no TLS conversation: see failure).
  # failure:: why the conversation did not complete: "NONE", "DNS",
  #           "CONNECTION_REFUSED", "TIMEOUT", "NETWORK", "PLAIN_HTTP",
  #           "NOT_TLS", "HANDSHAKE_ALERT", "HANDSHAKE" or "CLIENT_CERT".
  # reason:: the served chain's verification reason ("OK", "CERT_HAS_EXPIRED",
  #          ...), as VerificationError#reason; nil when no chain was served.
  # message, hint:: the verdict in one line, and the verification hint ("" when none).
  # protocol, cipher:: as negotiated, or nil.
  # client_cert_requested:: the server asked for a client certificate.
  # chain:: ServedCertificate, in the order sent.
  # findings:: Finding, errors first.
  # fix_client, fix_server:: one fix per line; "" when nothing to change.
  # text:: the one-screen report, as `trustbundle doctor` prints it.
  # json:: the whole diagnosis as JSON, as `trustbundle doctor --json` prints it.
  Diagnosis = Struct.new(:verdict, :failure, :reason, :message, :hint, :protocol, :cipher, :client_cert_requested,
                         :chain, :findings, :fix_client, :fix_server, :text, :json, keyword_init: true) do
    def ok?
      verdict == "OK"
    end

    # 0 verifies, 1 does not, 2 unreachable or not TLS (the tool's exit codes).
    def exit_code
      { "OK" => 0, "REJECTED" => 1 }.fetch(verdict, 2)
    end

    # The JSON document as a Hash.
    def as_json
      JSON.parse(json)
    end

    def to_s
      text
    end
  end

  VERDICT_NAMES = { 0 => "OK", 1 => "REJECTED", 2 => "UNREACHABLE" }.freeze
  SEVERITY_NAMES = %w[info warning error].freeze
  private_constant :VERDICT_NAMES, :SEVERITY_NAMES

  class << self
    # Connects to target and says whether, and why not, its TLS chain
    # verifies, with a fix for each side. Observes only: no data is sent.
    #
    # target:: "host", "host:port", "[v6]:port" or an https:// URL (port 443 by default).
    # servername:: the name sent as SNI and verified (default: the target's host).
    # timeout:: seconds for the whole probe (DNS, connect, handshake).
    # cert, key:: an mTLS client certificate and its key: paths, PEM or DER
    #             Strings, OpenSSL objects (key defaults to cert, a PEM holding both).
    # passphrase:: the key's passphrase (a String, or a Proc returning one).
    # extra_ca:: CAs trusted on top of Mozilla's (see Store);
    #            TRUSTBUNDLE_EXTRA_CA_CERTS is added too.
    #
    # Returns a Diagnosis whatever happened to the endpoint; raises only for
    # bad arguments (ArgumentError, TypeError, ParseError, PassphraseError,
    # FileError, InvalidArgumentError).
    def diagnose(target, servername: nil, timeout: 10, cert: nil, key: nil, passphrase: nil, extra_ca: nil)
      raise TypeError, "target: expected a String, not #{target.class}" unless target.is_a?(String)
      raise ArgumentError, "key: given without cert" if key && cert.nil?

      # The fixes name this method's options (extra_ca:, cert:, ...), not the tool's flags.
      options = { servername: servername_option(servername), timeout_ms: timeout_ms(timeout),
                  language: Native::LANGUAGE_RUBY }
      unless cert.nil?
        options[:client_cert] = Convert.input_bytes(cert, "cert")
        options[:client_key] = key.nil? ? options[:client_cert] : Convert.input_bytes(key, "key")
        passphrase = passphrase.call if passphrase.respond_to?(:call)
        unless passphrase.nil? || passphrase.is_a?(String)
          raise TypeError, "passphrase: expected a String, not #{passphrase.class}"
        end

        options[:passphrase] = passphrase
      end
      diagnosis(Native.probe_new(Store.new(extra_ca).native_handle, target, options))
    end

    private

    def servername_option(name)
      return nil if name.nil? || name == ""
      raise TypeError, "servername: expected a String, not #{name.class}" unless name.is_a?(String)

      name
    end

    def timeout_ms(timeout)
      unless timeout.is_a?(Numeric) && timeout.real? && timeout.to_f.finite? && timeout.positive? && timeout <= 600
        raise ArgumentError, "timeout: #{timeout.inspect} is not a number of seconds in (0, 600]"
      end

      (timeout * 1000).ceil
    end

    def diagnosis(probe)
      chain = Array.new(Native.probe_cert_count(probe)) { |i| served_certificate(Native.probe_cert_get(probe, i)) }
      findings = Array.new(Native.probe_finding_count(probe)) { |i| finding(Native.probe_finding_get(probe, i)) }
      Diagnosis.new(verdict: VERDICT_NAMES.fetch(Native.probe_verdict(probe), "UNREACHABLE"),
                    failure: Native.failure_name(Native.probe_failure(probe)),
                    reason: chain.empty? ? nil : Native.reason_name(Native.probe_reason(probe)),
                    message: Native.probe_message(probe), hint: Native.probe_hint(probe),
                    protocol: presence(Native.probe_protocol(probe)), cipher: presence(Native.probe_cipher(probe)),
                    client_cert_requested: Native.probe_client_cert_requested(probe) == 1,
                    chain: chain.freeze, findings: findings.freeze,
                    fix_client: Native.probe_fix_client(probe), fix_server: Native.probe_fix_server(probe),
                    text: Native.probe_text(probe), json: Native.probe_json(probe)).freeze
    end

    def served_certificate(h)
      ServedCertificate.new(subject: h[:subject], issuer: h[:issuer], not_before: Time.at(h[:not_before]).utc,
                            not_after: Time.at(h[:not_after]).utc, key_type: h[:key_type], key_bits: h[:key_bits],
                            sha256: h[:sha256], der: h[:der]).freeze
    end

    def finding(h)
      Finding.new(code: h[:name], severity: SEVERITY_NAMES.fetch(h[:severity], "unknown"), index: h[:index],
                  message: h[:message], fix_client: h[:fix_client], fix_server: h[:fix_server]).freeze
    end

    def presence(text)
      text.nil? || text.empty? ? nil : text
    end
  end
end
