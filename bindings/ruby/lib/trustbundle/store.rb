# frozen_string_literal: true

module Trustbundle
  # A set of trust anchors: Mozilla's roots plus extra CAs. Immutable; one
  # Store may serve any number of threads.
  #
  # extra_ca:: CAs added to the roots: a file (PEM bundle, DER, or an NSS
  #            certdata.txt) or directory path, PEM text, DER bytes, an
  #            OpenSSL::X509::Certificate, or an Array of those. An unreadable,
  #            empty or unparsable source raises (FileError, ParseError) naming it.
  # mozilla:: include the embedded Mozilla roots (default). false gives a
  #           store of only extra_ca, for tests and private PKIs.
  # env:: add TRUSTBUNDLE_EXTRA_CA_CERTS (a file or directory) when it is set,
  #       read now, at each creation.
  # system:: add the system store (SSL_CERT_FILE, SSL_CERT_DIR, else /etc/ssl/certs).
  class Store
    def initialize(extra_ca = nil, mozilla: true, env: true, system: false)
      sources = Convert.ca_sources(extra_ca)
      builder = Native.store_builder_new({ mozilla: mozilla, env: env, system: system })
      sources.each do |kind, value, name|
        if kind == :path
          Native.store_builder_add_path(builder, value)
        else
          Native.store_builder_add_data(builder, value, name)
        end
      end
      @native = Native.store_build(builder)
      @mozilla = mozilla ? true : false
      freeze
    end

    # Number of anchors besides the embedded roots (extra CAs, environment, system).
    def extra_count
      Native.store_extra_count(@native)
    end

    # The anchors besides the embedded roots as one PEM text ("" when none).
    def extra_pem
      Native.store_extra_pem(@native)
    end

    # Verifies a chain against this store; see Trustbundle.verify.
    def verify(chain, host: nil, at: nil, purpose: :server)
      name = Convert.host(host)
      result = run(chain, name, Convert.seconds(at), Convert.purpose(purpose))
      raise rejection_of(result, name) unless Native.result_ok(result) == 1

      Array.new(Native.result_chain_count(result)) do |i|
        OpenSSL::X509::Certificate.new(Native.result_chain_der(result, i))
      end
    end

    # The TLS path's question: the VerificationError for a server's chain
    # (leaf first, as sent) and host, now, or nil when it verifies. Builds
    # no certificate objects. Not a public API.
    def rejection(chain, host) # :nodoc:
      name = Convert.host(host)
      result = run(chain, name, nil, Native::PURPOSE_SERVER)
      Native.result_ok(result) == 1 ? nil : rejection_of(result, name)
    end

    # An OpenSSL::X509::Store (a CertStore) trusting the same anchors: the
    # Mozilla roots through Trustbundle.capath (OpenSSL loads a root only
    # when a handshake needs it), the others added as certificates.
    def cert_store
      store = CertStore.new(self)
      store.add_path(Trustbundle.capath) if @mozilla
      Convert.pem_certificates(extra_pem).each { |cert| store.add_cert(cert) }
      store
    end

    # The native handle, for the doctor. Not a public API.
    def native_handle # :nodoc:
      @native
    end

    def inspect
      "#<Trustbundle::Store mozilla=#{@mozilla} extra_count=#{extra_count}>"
    end

    private

    def run(chain, host, time, purpose)
      Native.verify(@native, Convert.chain_buffers(chain), { host: host, time: time, purpose: purpose })
    end

    def rejection_of(result, host)
      code = Native.result_reason(result)
      VerificationError.new(reason: Native.reason_name(code), reason_code: code, depth: Native.result_depth(result),
                            message: Native.result_message(result), hint: Native.result_hint(result),
                            openssl_code: Native.result_openssl_code(result), host: host)
    end
  end

  # The OpenSSL::X509::Store that Trustbundle.cert_store returns: it knows
  # the Store it came from, so a Net::HTTP given it as cert_store has every
  # TLS connection judged by that Store's core verification (net_http.rb),
  # not by OpenSSL's. Elsewhere (a bare SSLContext) it is a plain store.
  class CertStore < OpenSSL::X509::Store
    attr_reader :trustbundle_store

    def initialize(trustbundle_store)
      super()
      @trustbundle_store = trustbundle_store
    end
  end

  # The result of Trustbundle.check_key_pair.
  #
  # match:: the key is the certificate's private key.
  # client_auth:: the certificate may be used for TLS client authentication.
  # valid:: the check time is within the certificate's validity.
  # not_before, not_after:: the certificate's validity (Time, UTC).
  KeyPairCheck = Struct.new(:match, :client_auth, :valid, :not_before, :not_after, keyword_init: true) do
    alias_method :match?, :match
    alias_method :client_auth?, :client_auth
    alias_method :valid?, :valid

    # All three checks passed: usable as an mTLS client certificate.
    def ok?
      match && client_auth && valid ? true : false
    end
  end

  class << self
    # An OpenSSL::X509::Store for Net::HTTP, OpenSSL::SSL::SSLContext and
    # friends: Mozilla's roots, loaded lazily through .capath (a hashed
    # directory, one root read per handshake that needs it), plus extra_ca
    # (see Store) and TRUSTBUNDLE_EXTRA_CA_CERTS, read at each call.
    #
    #   http = Net::HTTP.new(host, 443)
    #   http.use_ssl = true
    #   http.cert_store = Trustbundle.cert_store(extra_ca: "corp-ca.pem")
    #
    # A source that cannot be read or parsed raises FileError or ParseError
    # naming it, before any store exists; nothing is ignored silently.
    def cert_store(extra_ca: nil, system: false)
      Store.new(extra_ca, env: true, system: system).cert_store
    end

    # Verifies a certificate chain; returns the verified chain, leaf first,
    # anchor last, as OpenSSL::X509::Certificate objects.
    #
    # chain:: the leaf first, then what the peer sent (intermediates, any
    #         order): an Array of OpenSSL::X509::Certificate or PEM/DER
    #         Strings, or one String holding a whole PEM chain.
    # host:: a DNS name or IP literal the leaf must be valid for; nil skips the
    #        name check. The subject CN is never used as a name.
    # at:: the time to check at (default now): Time, Unix seconds, or an
    #      RFC 3339 UTC String.
    # purpose:: :server (TLS server auth) or :client (mTLS client auth).
    # extra_ca:: CAs trusted on top of Mozilla's (see Store);
    #            TRUSTBUNDLE_EXTRA_CA_CERTS is added too.
    #
    # Raises VerificationError (#reason, #depth, #hint say why and how to fix
    # it), ParseError (a certificate or at does not parse), FileError (an
    # extra_ca path cannot be read), LimitError (too many or too big).
    def verify(chain, host: nil, at: nil, purpose: :server, extra_ca: nil)
      Store.new(extra_ca).verify(chain, host: host, at: at, purpose: purpose)
    end

    # Checks an mTLS client certificate against its private key.
    #
    # cert, key:: PEM or DER Strings, OpenSSL objects, or paths. The key may be
    #             PKCS#8 encrypted, with passphrase.
    # at:: the time for the validity check (default now).
    #
    # Raises PassphraseError when the key needs a passphrase and none (or a
    # wrong one) was given, ParseError when cert or key does not parse.
    def check_key_pair(cert, key, passphrase: nil, at: nil)
      cert_data = Convert.input_bytes(cert, "cert")
      key_data = Convert.input_bytes(key, "key")
      passphrase = passphrase.call if passphrase.respond_to?(:call)
      unless passphrase.nil? || passphrase.is_a?(String)
        raise TypeError, "passphrase: expected a String, not #{passphrase.class}"
      end

      h = Native.check_key_pair(cert_data, key_data, passphrase, Convert.seconds(at))
      KeyPairCheck.new(match: h[:match], client_auth: h[:client_auth], valid: h[:valid],
                       not_before: Time.at(h[:not_before]).utc, not_after: Time.at(h[:not_after]).utc).freeze
    end
  end
end
