# frozen_string_literal: true

# Net::HTTP against a real TLS server on 127.0.0.1: OpenSSL::SSL::SSLServer in
# a thread, serving the test PKI's server-localhost leaf with the Test
# Intermediate CA as extra_chain_cert, anchored at Test Root CA, which is not
# one of Mozilla's roots. So Trustbundle.cert_store alone must reject it,
# and with Test Root CA as an extra CA (argument or TRUSTBUNDLE_EXTRA_CA_CERTS)
# accept it, still checking the host name.
require "net/http"
require "socket"
require_relative "helper"

module TLSServer
  BODY = "trustbundle test server\n"

  # Starts the server once per process; returns its port.
  def self.port
    @port ||= begin
      pki = TestSupport.pki_dir
      ctx = OpenSSL::SSL::SSLContext.new
      ctx.cert = OpenSSL::X509::Certificate.new(File.read(File.join(pki, "server-localhost", "leaf.pem")))
      ctx.key = OpenSSL::PKey.read(File.read(File.join(pki, "server-localhost", "leaf.key")))
      ctx.extra_chain_cert = [OpenSSL::X509::Certificate.new(File.read(File.join(pki, "server-localhost", "chain.pem")))]
      tcp = TCPServer.new("127.0.0.1", 0)
      server = OpenSSL::SSL::SSLServer.new(tcp, ctx)
      thread = Thread.new { serve(server) }
      thread.report_on_exception = false
      Minitest.after_run do
        tcp.close
        thread.join(5)
      end
      tcp.addr[1]
    end
  end

  def self.serve(server)
    loop do
      conn = begin
        server.accept # the handshake happens here
      rescue OpenSSL::SSL::SSLError, SystemCallError, EOFError
        next # a client that rejected us
      rescue IOError
        break # closed at the end of the run
      end
      Thread.new(conn) { |c| respond(c) }
    end
  end

  def self.respond(conn)
    request = +""
    request << conn.readpartial(4096) until request.include?("\r\n\r\n")
    conn.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: #{BODY.bytesize}\r\n" \
               "Connection: close\r\n\r\n#{BODY}")
  rescue OpenSSL::SSL::SSLError, SystemCallError, IOError
    nil
  ensure
    begin
      conn.close
    rescue StandardError
      nil
    end
  end
end

class TestTLS < Minitest::Test
  include TestSupport

  def setup
    @port = TLSServer.port
  end

  # GET / with Net::HTTP; the name checked is host, the address 127.0.0.1.
  def get(store, host: "localhost")
    http = Net::HTTP.new(host, @port)
    http.ipaddr = "127.0.0.1"
    http.use_ssl = true
    http.verify_mode = OpenSSL::SSL::VERIFY_PEER
    http.cert_store = store
    http.open_timeout = http.read_timeout = http.ssl_timeout = 10
    http.start { |h| h.get("/") }
  end

  def test_net_http_with_cert_store_and_extra_ca_succeeds
    response = get(Trustbundle.cert_store(extra_ca: path("root.pem")))
    assert_equal "200", response.code
    assert_equal TLSServer::BODY, response.body
  end

  def test_net_http_by_ip_address
    response = get(Trustbundle.cert_store(extra_ca: read("root.pem")), host: "127.0.0.1")
    assert_equal "200", response.code
  end

  def test_net_http_without_the_extra_ca_fails
    with_env("TRUSTBUNDLE_EXTRA_CA_CERTS" => nil) do
      e = assert_raises(OpenSSL::SSL::SSLError) { get(Trustbundle.cert_store) }
      assert_match(/certificate verify failed/, e.message)
      assert_match(/unable to get local issuer certificate/, e.message)
    end
  end

  def test_net_http_hostname_mismatch_fails
    e = assert_raises(OpenSSL::SSL::SSLError) do
      get(Trustbundle.cert_store(extra_ca: path("root.pem")), host: "wrong.example.test")
    end
    assert_match(/hostname|does not match/i, e.message)
  end

  def test_net_http_with_env_extra_ca_read_per_call
    with_env("TRUSTBUNDLE_EXTRA_CA_CERTS" => path("root.pem")) do
      assert_equal "200", get(Trustbundle.cert_store).code
    end
    with_env("TRUSTBUNDLE_EXTRA_CA_CERTS" => nil) do
      assert_raises(OpenSSL::SSL::SSLError) { get(Trustbundle.cert_store) }
    end
  end

  def test_net_http_in_threads
    results = Array.new(4) do
      Thread.new { Array.new(3) { get(Trustbundle.cert_store(extra_ca: path("root.pem"))).code } }
    end.flat_map(&:value)
    assert_equal ["200"], results.uniq
  end

  def test_verify_the_chain_the_server_sent
    ctx = OpenSSL::SSL::SSLContext.new
    ctx.verify_mode = OpenSSL::SSL::VERIFY_NONE # checked below by trustbundle
    sent = Socket.tcp("127.0.0.1", @port, connect_timeout: 10) do |sock|
      ssl = OpenSSL::SSL::SSLSocket.new(sock, ctx)
      ssl.hostname = "localhost"
      ssl.sync_close = true
      ssl.connect
      chain = ssl.peer_cert_chain
      ssl.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
      ssl.read
      chain
    end
    assert_equal 2, sent.size
    verified = Trustbundle.verify(sent, host: "localhost", extra_ca: path("root.pem"))
    assert_equal 3, verified.size
    assert_equal sent.first, verified.first
    assert_equal 3, Trustbundle.verify(sent, host: "127.0.0.1", extra_ca: path("root.pem")).size
    e = assert_raises(Trustbundle::VerificationError) do
      Trustbundle.verify(sent, host: "other.example.test", extra_ca: path("root.pem"))
    end
    assert_equal ["HOSTNAME_MISMATCH", 0], [e.reason, e.depth]
    e = assert_raises(Trustbundle::VerificationError) { Trustbundle.verify(sent, host: "localhost") }
    assert_equal "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", e.reason
  end
end
