# frozen_string_literal: true

require "net/http"

module Trustbundle
  # The anchors one integration trusts: the core's Store (the judge) and the
  # lazy OpenSSL::X509::Store built from it (OpenSSL's own check, which still
  # applies should the verify callback ever not be installed). Built once per
  # configuration; TRUSTBUNDLE_EXTRA_CA_CERTS is read then.
  class TLSPolicy # :nodoc:
    attr_reader :store, :cert_store

    def initialize(extra_ca, store, cert_store = nil)
      raise ArgumentError, "give extra_ca or store, not both" if extra_ca && store
      raise TypeError, "store: expected a Trustbundle::Store, not #{store.class}" if store && !store.is_a?(Store)

      @store = store || Store.new(extra_ca)
      @cert_store = cert_store || @store.cert_store
      freeze
    end

    # The policy of a Net::HTTP whose cert_store is a CertStore.
    def self.of_cert_store(cert_store)
      new(nil, cert_store.trustbundle_store, cert_store)
    end
  end

  # Prepended to Net::HTTP when trustbundle is loaded; inert for an object
  # without a policy. With one (Trustbundle.configure, a cert_store made by
  # Trustbundle.cert_store, or Trustbundle.inject!), every new TLS
  # connection is accepted iff the core accepts the chain the server sent,
  # for the object's address, now.
  #
  # For the connection only, the verify callback is a Handshake, the mode is
  # VERIFY_PEER and the OpenSSL store is trustbundle's (the object's own
  # settings are put back afterwards). A rejection raises
  # Trustbundle::VerificationError out of Net::HTTP#start / #request.
  module NetHTTP
    private

    def connect
      policy = use_ssl? && trustbundle_policy
      return super unless policy

      handshake = @trustbundle_handshake = Handshake.new(policy.store, address, @verify_callback)
      saved = { :@verify_callback => @verify_callback, :@verify_mode => @verify_mode, :@cert_store => @cert_store,
                :@ca_file => @ca_file, :@ca_path => @ca_path }
      @verify_callback = handshake
      @verify_mode = OpenSSL::SSL::VERIFY_PEER
      @cert_store = policy.cert_store
      @ca_file = @ca_path = nil
      begin
        super
      rescue OpenSSL::SSL::SSLError
        # The core's verdict in place of OpenSSL's text, which stays as #cause.
        raise handshake.rejection if handshake.rejection

        raise
      ensure
        saved.each { |name, value| instance_variable_set(name, value) }
        @trustbundle_handshake = nil
      end
    end

    # Net::Protocol's handshake step: gives the Handshake its socket, then
    # confirms the verdict as soon as the handshake is done (before
    # Net::HTTP's own host name check, and before any data).
    def ssl_socket_connect(socket, timeout)
      handshake = @trustbundle_handshake
      return super unless handshake

      handshake.socket = socket
      super
      handshake.confirm!
    end

    # The last step of Net::HTTP#connect, still before any request: the
    # backstop should a Net::HTTP not go through ssl_socket_connect.
    def on_connect
      if (handshake = @trustbundle_handshake)
        handshake.socket ||= @socket.io
        handshake.confirm!
      end
      super
    end

    # .configure's, else the cert_store's when it is Trustbundle.cert_store,
    # else .inject!'s, else none (Net::HTTP as it is).
    def trustbundle_policy
      return @trustbundle_policy if @trustbundle_policy
      return TLSPolicy.of_cert_store(@cert_store) if @cert_store.is_a?(CertStore)

      Trustbundle.injected_policy
    end
  end

  @injected_policy = nil
  @inject_lock = Mutex.new

  class << self
    # The policy inject! installed, or nil. Not a public API.
    attr_reader :injected_policy # :nodoc:

    # A Net::HTTP for host:port with TLS on, whose connections trustbundle
    # verifies (see .configure). Not started:
    #
    #   http = Trustbundle.http("example.com")
    #   http.start { |h| h.get("/") }
    #
    # options are Net::HTTP attributes to set, e.g. open_timeout: 5.
    def http(host, port = 443, extra_ca: nil, store: nil, **options)
      http = Net::HTTP.new(host, port)
      http.use_ssl = true
      options.each { |name, value| http.public_send(:"#{name}=", value) }
      configure(http, extra_ca: extra_ca, store: store)
    end

    # Makes one Net::HTTP verify its TLS connections with trustbundle:
    # accepted iff Trustbundle.verify accepts the chain the server sent, for
    # http.address, now; a rejection raises VerificationError (#reason,
    # #depth, #hint) from the handshake, before any request is sent.
    # extra_ca as Store (TRUSTBUNDLE_EXTRA_CA_CERTS is read now), or store: a
    # Trustbundle::Store made once and shared (no files read per object).
    # Returns http.
    def configure(http, extra_ca: nil, store: nil)
      raise TypeError, "http: expected a Net::HTTP, not #{http.class}" unless http.is_a?(Net::HTTP)

      http.instance_variable_set(:@trustbundle_policy, TLSPolicy.new(extra_ca, store))
      http
    end

    # Makes every Net::HTTP (and so open-uri, and libraries built on
    # Net::HTTP) verify its TLS connections with trustbundle, as .configure
    # does for one object. Objects given their own .configure keep theirs.
    # extra_ca as Store; TRUSTBUNDLE_EXTRA_CA_CERTS is read now. Calling it
    # again replaces the previous extra_ca. store: as in .configure. Undone
    # by .extract!.
    def inject!(extra_ca: nil, store: nil)
      policy = TLSPolicy.new(extra_ca, store)
      @inject_lock.synchronize { @injected_policy = policy }
      nil
    end

    # Undoes .inject!: new Net::HTTP connections verify as they did before
    # (Net::HTTP's own settings, OpenSSL's verification). Connections already
    # open are not touched; objects given .configure keep trustbundle.
    def extract!
      @inject_lock.synchronize { @injected_policy = nil }
      nil
    end

    # Whether .inject! is in force.
    def injected?
      !@injected_policy.nil?
    end
  end
end

Net::HTTP.prepend(Trustbundle::NetHTTP)
