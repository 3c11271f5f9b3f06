# frozen_string_literal: true

module Trustbundle
  # The core's check of one TLS client handshake, made by the integration
  # (net_http.rb) for each new connection. Not a public API.
  #
  # It is the connection's OpenSSL verify callback. At its first call it runs
  # the core on the chain the server sent (the socket's peer_cert_chain, in
  # the order sent: OpenSSL has stored it before it verifies) for the host,
  # now; it then answers that verdict at every call, whatever OpenSSL thought,
  # so a rejection aborts the handshake before any data and OpenSSL's own
  # opinion never decides. The verdict stays here so the integration raises
  # the typed error in place of OpenSSL's.
  #
  # #confirm! runs once the handshake is done, before any data: a resumed
  # session (no callback runs for it) has the chain stored in the session
  # verified again, for this host, now; a connection the check never reached
  # is refused.
  class Handshake # :nodoc:
    attr_accessor :socket

    # store: a Trustbundle::Store; host: the name the client asked for;
    # user_callback: the application's own verify_callback, asked after the
    # core accepted (it can only reject more).
    def initialize(store, host, user_callback = nil)
      @store = store
      @host = host
      @user_callback = user_callback
      @socket = nil
      @checked = false
      @confirmed = false
      @rejection = nil
    end

    # The verification error that decided this handshake, or nil.
    attr_reader :rejection

    # OpenSSL::SSL::SSLContext#verify_callback.
    def call(_preverify_ok, store_context)
      # Once per handshake; again at every call after the connection was
      # confirmed: a TLS 1.2 renegotiation may bring another chain.
      check(sent_chain) if !@checked || @confirmed
      return false if @rejection
      return true unless @user_callback

      @user_callback.call(true, store_context) ? true : false
    rescue StandardError => e
      # OpenSSL would swallow it with a warning; keep it as the verdict.
      @rejection ||= NotVerifiedError.new("trustbundle: the certificate check raised #{e.class}: #{e.message}")
      false
    end

    # After the handshake, before any data. Raises unless the core accepted
    # this connection's chain for the host.
    def confirm!
      return if @confirmed

      check(sent_chain) if @socket.session_reused?
      raise @rejection if @rejection

      if @checked
        @confirmed = true
        return
      end

      raise NotVerifiedError, "trustbundle: the handshake completed without trustbundle's certificate check; " \
                              "connection refused"
    end

    # Whether Native.peer_chain_der may read ruby-openssl's sockets: only
    # when both run the same OpenSSL.
    def self.raw_chain?
      return @raw_chain unless @raw_chain.nil?

      @raw_chain = Native.openssl_version == OpenSSL::OPENSSL_LIBRARY_VERSION
    end

    private

    # The chain the server sent, leaf first, in the order sent: DER Strings
    # read from the socket when possible (no certificate objects built),
    # else SSLSocket#peer_cert_chain. nil when there is no socket.
    def sent_chain
      return nil if @socket.nil?

      (Handshake.raw_chain? && Native.peer_chain_der(@socket)) || @socket.peer_cert_chain
    end

    def check(chain)
      @checked = true
      if chain.nil? || chain.empty?
        @rejection = NotVerifiedError.new("trustbundle: the server's certificate chain is not available to check")
      else
        @rejection = @store.rejection(chain, @host)
      end
    end
  end
end
