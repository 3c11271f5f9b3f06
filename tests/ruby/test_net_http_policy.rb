# frozen_string_literal: true

# The TLS integration's guarantees beyond the matrix, against the matrix's
# servers: the typed error, failing closed when the hook is bypassed or the
# application turns verification off, resumed sessions (TLS 1.3 and 1.2)
# re-checked by the core, inject!/extract!, open-uri's own options.
require "open-uri"
require_relative "matrix_support"

# Records each Net::HTTP connection's SSLSocket (thread-local), so a test can
# ask whether the handshake resumed a session and what it negotiated.
module SocketSpy
  private

  def ssl_socket_connect(socket, timeout)
    Thread.current[:tb_test_socket] = socket
    super
  end
end
Net::HTTP.prepend(SocketSpy)

# Drops the verify callback from Net::HTTP's SSL context parameters while a
# thread asks for it: the integration's hook is then never called, as if a
# library replaced the context's parameters.
module DropVerifyCallback
  def set_params(params = {})
    params = params.reject { |k, _| k.to_s == "verify_callback" } if Thread.current[:tb_test_drop_callback]
    super(params)
  end
end
OpenSSL::SSL::SSLContext.prepend(DropVerifyCallback)

class TestNetHTTPPolicy < Minitest::Test
  include TestSupport
  include MatrixSupport

  def teardown
    Trustbundle.extract!
  end

  def last_socket
    Thread.current[:tb_test_socket]
  end

  def http_for(name, extra_ca: [path("root.pem")], host: "localhost", **options)
    Trustbundle.http(host, port(name), extra_ca: extra_ca, open_timeout: 10, read_timeout: 10, **options).tap do |h|
      h.ipaddr = "127.0.0.1"
    end
  end

  def get(http)
    http.start { |h| h.get("/").body }
  end

  def test_verification_error_is_an_ssl_error_and_a_trustbundle_error
    e = assert_raises(OpenSSL::SSL::SSLError) { get(http_for("expired")) }
    assert_instance_of Trustbundle::VerificationError, e
    assert_equal "CERT_HAS_EXPIRED", e.reason
    assert_equal "localhost", e.host
    assert_kind_of OpenSSL::SSL::SSLError, e.cause, "OpenSSL's own error stays as the cause"
    rescued = begin
      get(http_for("expired"))
    rescue Trustbundle::Error => caught
      caught
    end
    assert_instance_of Trustbundle::VerificationError, rescued
    refute Trustbundle::ParseError === rescued # rubocop:disable Style/CaseEquality
  end

  def test_the_core_decides_not_openssl
    # OpenSSL alone (the same anchors in a plain store: no distrust-after)
    # accepts this chain; every trustbundle way of using Net::HTTP rejects it.
    scenario = MatrixSupport.scenario("distrusted-root")
    extra = extra_ca_paths(scenario)
    plain_store = OpenSSL::X509::Store.new
    Trustbundle::Store.new(extra, mozilla: false).extra_pem.scan(PEM_BLOCK) do |pem|
      plain_store.add_cert(OpenSSL::X509::Certificate.new(pem))
    end
    plain = Net::HTTP.new("localhost", port("distrusted-root"))
    plain.use_ssl = true
    plain.cert_store = plain_store
    assert_equal "ok distrusted-root\n", plain.start { |h| h.get("/").body }

    e = assert_raises(Trustbundle::VerificationError) { get(http_for("distrusted-root", extra_ca: extra)) }
    assert_equal "ROOT_DISTRUSTED", e.reason
    with_cert_store = Net::HTTP.new("localhost", port("distrusted-root"))
    with_cert_store.use_ssl = true
    with_cert_store.cert_store = Trustbundle.cert_store(extra_ca: extra)
    e = assert_raises(Trustbundle::VerificationError) { with_cert_store.start { |h| h.get("/") } }
    assert_equal "ROOT_DISTRUSTED", e.reason
  end

  def test_verify_none_does_not_turn_verification_off
    http = http_for("unknown-root")
    http.verify_mode = OpenSSL::SSL::VERIFY_NONE
    before = request_count("unknown-root")
    e = assert_raises(Trustbundle::VerificationError) { get(http) }
    assert_equal "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", e.reason
    assert_equal before, request_count("unknown-root")
    assert_equal OpenSSL::SSL::VERIFY_NONE, http.verify_mode, "the object's own setting is put back"
  end

  def test_an_application_verify_callback_can_only_reject_more
    seen = []
    http = http_for("good")
    http.verify_callback = ->(ok, _ctx) { seen << ok; false }
    assert_raises(OpenSSL::SSL::SSLError) { get(http) }
    refute_empty seen
    assert(seen.all?(true), "the application's callback is asked with the core's verdict")

    http = http_for("unknown-root")
    http.verify_callback = ->(_ok, _ctx) { true }
    assert_raises(Trustbundle::VerificationError) { get(http) }
  end

  def test_fails_closed_without_the_callback
    Thread.current[:tb_test_drop_callback] = true
    # OpenSSL's own verification against trustbundle's store still applies...
    before = request_count("unknown-root")
    e = assert_raises(OpenSSL::SSL::SSLError) { get(http_for("unknown-root")) }
    assert_match(/certificate verify failed/, e.message)
    refute_kind_of Trustbundle::VerificationError, e # the core did not run
    assert_equal before, request_count("unknown-root")
    # ...and a chain OpenSSL accepts is still refused: the core never ran.
    before = request_count("good")
    assert_raises(Trustbundle::NotVerifiedError) { get(http_for("good")) }
    assert_equal before, request_count("good")
  ensure
    Thread.current[:tb_test_drop_callback] = nil
  end

  def test_fails_closed_when_the_socket_is_not_seen
    # A Net::HTTP whose handshake step bypasses the integration's: the
    # callback cannot read the served chain, so it rejects.
    bypass = Module.new do
      private

      def ssl_socket_connect(socket, timeout)
        Net::Protocol.instance_method(:ssl_socket_connect).bind(self).call(socket, timeout)
      end
    end
    http = http_for("good")
    http.extend(bypass)
    before = request_count("good")
    assert_raises(Trustbundle::NotVerifiedError) { get(http) }
    assert_equal before, request_count("good")
  end

  def resumed_twice(http)
    assert_equal "ok good\n", get(http)
    refute last_socket.session_reused?
    assert_equal "ok good\n", get(http)
    assert last_socket.session_reused?, "the server resumed the session (else this test proves nothing)"
  end

  def test_resumed_session_tls13
    http = http_for("good", min_version: OpenSSL::SSL::TLS1_3_VERSION)
    resumed_twice(http)
    assert_equal "TLSv1.3", last_socket.ssl_version
  end

  def test_resumed_session_tls12
    http = http_for("good", max_version: OpenSSL::SSL::TLS1_2_VERSION)
    resumed_twice(http)
    assert_equal "TLSv1.2", last_socket.ssl_version
  end

  # A session established under one policy is re-checked under the policy of
  # the connection resuming it: it cannot carry trust across.
  def test_resumed_session_is_checked_again
    [OpenSSL::SSL::TLS1_3_VERSION, OpenSSL::SSL::TLS1_2_VERSION].each do |version|
      trusted = http_for("good", min_version: version, max_version: version)
      assert_equal "ok good\n", get(trusted)
      session = trusted.instance_variable_get(:@ssl_session)
      refute_nil session

      untrusted = http_for("good", extra_ca: nil, min_version: version, max_version: version)
      untrusted.instance_variable_set(:@ssl_session, session)
      before = request_count("good")
      e = assert_raises(Trustbundle::VerificationError) { get(untrusted) }
      assert last_socket.session_reused?, "the server resumed the session (else this test proves nothing)"
      assert_equal "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", e.reason
      assert_equal before, request_count("good")

      other_host = http_for("good", host: "wrong.example.test", min_version: version, max_version: version)
      other_host.instance_variable_set(:@ssl_session, session)
      e = assert_raises(Trustbundle::VerificationError) { get(other_host) }
      assert_equal "HOSTNAME_MISMATCH", e.reason
      assert_equal before, request_count("good")
    end
  end

  def test_tls13_rejection_is_typed
    e = assert_raises(Trustbundle::VerificationError) do
      get(http_for("wrong-host", min_version: OpenSSL::SSL::TLS1_3_VERSION))
    end
    assert_equal ["HOSTNAME_MISMATCH", 0], [e.reason, e.depth]
    assert_equal "TLSv1.3", last_socket.ssl_version
  end

  def plain_get(name)
    http = Net::HTTP.new("localhost", port(name))
    http.use_ssl = true
    http.open_timeout = http.read_timeout = 10
    http.start { |h| h.get("/").body }
  end

  def test_inject_and_extract
    refute Trustbundle.injected?
    assert_raises(OpenSSL::SSL::SSLError) { plain_get("good") } # the test root is not a system root
    Trustbundle.inject!(extra_ca: path("root.pem"))
    assert Trustbundle.injected?
    assert_equal "ok good\n", plain_get("good")
    assert_equal "ok good\n", Net::HTTP.get(URI("https://localhost:#{port('good')}/"))
    e = assert_raises(Trustbundle::VerificationError) { plain_get("missing-intermediate") }
    assert_equal "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", e.reason
    Trustbundle.inject! # again: replaces the extra CAs
    assert_raises(Trustbundle::VerificationError) { plain_get("good") }
    Trustbundle.extract!
    refute Trustbundle.injected?
    e = assert_raises(OpenSSL::SSL::SSLError) { plain_get("good") }
    refute_kind_of Trustbundle::VerificationError, e
  end

  def test_configured_object_keeps_its_policy_under_inject
    Trustbundle.inject!
    assert_equal "ok good\n", get(http_for("good"))
    Trustbundle.extract!
    assert_equal "ok good\n", get(http_for("good"))
  end

  def test_open_uri_under_inject
    Trustbundle.inject!(extra_ca: path("root.pem"))
    assert_equal "ok good\n", URI.parse("https://localhost:#{port('good')}/").read
    # open-uri's own options do not loosen the policy: its CA file is
    # OpenSSL's business, VERIFY_NONE is overridden.
    url = URI.parse("https://localhost:#{port('expired')}/")
    e = assert_raises(Trustbundle::VerificationError) { url.read(ssl_verify_mode: OpenSSL::SSL::VERIFY_NONE) }
    assert_equal "CERT_HAS_EXPIRED", e.reason
    e = assert_raises(Trustbundle::VerificationError) { url.read(ssl_ca_cert: path("root.pem")) }
    assert_equal "CERT_HAS_EXPIRED", e.reason
  end

  def test_plain_http_is_untouched_by_inject
    Trustbundle.inject!
    assert_kind_of Integer, request_count("good")
  end

  def test_configure_checks_its_argument
    assert_raises(TypeError) { Trustbundle.configure("example.com") }
    http = Net::HTTP.new("localhost", port("good"))
    http.use_ssl = true
    assert_same http, Trustbundle.configure(http, extra_ca: path("root.pem"))
    assert_equal "ok good\n", http.start { |h| h.get("/").body }
  end

  # The handshake reads the sent chain as DER straight from the socket (no
  # certificate objects): it must be exactly SSLSocket#peer_cert_chain.
  def test_sent_chain_read_from_the_socket
    assert_equal "ok out-of-order\n", get(http_for("out-of-order"))
    sent = last_socket.peer_cert_chain.map(&:to_der)
    assert_equal 3, sent.size
    assert_equal sent, Trustbundle::Native.peer_chain_der(last_socket)
    assert_equal OpenSSL::OPENSSL_LIBRARY_VERSION == Trustbundle::Native.openssl_version,
                 Trustbundle::Handshake.raw_chain?
    assert_nil Trustbundle::Native.peer_chain_der("not a socket")
    assert_nil Trustbundle::Native.peer_chain_der(last_socket.peer_cert_chain.first)
    fresh = OpenSSL::SSL::SSLSocket.new(TCPSocket.new("127.0.0.1", port("good")))
    assert_nil Trustbundle::Native.peer_chain_der(fresh) # no handshake yet
    fresh.io.close
  end

  def test_a_shared_store
    store = Trustbundle::Store.new(path("root.pem"))
    assert_equal "ok good\n", get(Trustbundle.http("localhost", port("good"), store: store))
    Trustbundle.inject!(store: store)
    assert_equal "ok good\n", plain_get("good")
    e = assert_raises(Trustbundle::VerificationError) { plain_get("expired") }
    assert_equal "CERT_HAS_EXPIRED", e.reason
    assert_raises(ArgumentError) { Trustbundle.http("localhost", store: store, extra_ca: path("root.pem")) }
    assert_raises(TypeError) { Trustbundle.inject!(store: Trustbundle.cert_store) }
  end

  def test_threads
    results = Array.new(4) do
      Thread.new do
        %w[good expired good wrong-host].map do |name|
          get(http_for(name))
        rescue Trustbundle::VerificationError => e
          e.reason
        end
      end
    end.map(&:value)
    assert_equal [["ok good\n", "CERT_HAS_EXPIRED", "ok good\n", "HOSTNAME_MISMATCH"]], results.uniq
  end
end
