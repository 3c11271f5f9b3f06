# frozen_string_literal: true

# The real-client matrix (tests/matrix/README.md) through Ruby's clients:
# Net::HTTP configured with Trustbundle.http, and open-uri under
# Trustbundle.inject!. One test per scenario and client. Each asserts that
# the connection's verdict is Trustbundle.verify's for the served chain:
# a connection that verifies answers "ok <scenario>"; a rejected chain raises
# Trustbundle::VerificationError with verify()'s reason, depth and hint (the
# hint in the message) and the server received no request; a server that
# wants a client certificate fails otherwise.
require "open-uri"
require_relative "matrix_support"

class TestMatrix < Minitest::Test
  include TestSupport
  include MatrixSupport

  # scenarios.json's Ruby clients; Net::HTTP twice: configured by
  # Trustbundle.http, and given Trustbundle.cert_store.
  CLIENTS = JSON.parse(File.read(File.join(MatrixSupport::DIR, "scenarios.json")))["clients"]["ruby"]
                .flat_map { |c| c == "Net::HTTP" ? [c, "Net::HTTP (cert_store)"] : [c] }

  def net_http_get(scenario)
    http = Trustbundle.http(scenario["host"], port(scenario["name"]), extra_ca: extra_ca_paths(scenario),
                                                                     open_timeout: 10, read_timeout: 10)
    get_root(http, scenario)
  end

  # The same, the way existing code uses the gem: http.cert_store = Trustbundle.cert_store.
  def net_http_cert_store_get(scenario)
    http = Net::HTTP.new(scenario["host"], port(scenario["name"]))
    http.use_ssl = true
    http.open_timeout = http.read_timeout = 10
    http.cert_store = Trustbundle.cert_store(extra_ca: extra_ca_paths(scenario))
    get_root(http, scenario)
  end

  # GET / over http, presenting the scenario's client certificate if it has one.
  def get_root(http, scenario)
    if (client = scenario["client_cert"])
      http.cert = OpenSSL::X509::Certificate.new(read(client["cert"]))
      http.key = OpenSSL::PKey.read(read(client["key"]))
    end
    response = http.start { |h| h.get("/") }
    [response.code, response.body]
  end

  def open_uri_get(scenario)
    Trustbundle.inject!(extra_ca: extra_ca_paths(scenario))
    URI.parse(url(scenario)).open(open_timeout: 10, read_timeout: 10) { |f| [f.status.first, f.read] }
  ensure
    Trustbundle.extract!
  end

  def check_cell(scenario, client)
    expected = verify_error(scenario)
    assert_equal scenario["expect"]["verify"], expected ? expected.reason : "OK", "verify() of the served chain"
    name = scenario["name"]
    before = request_count(name)
    get = { "Net::HTTP" => -> { net_http_get(scenario) },
            "Net::HTTP (cert_store)" => -> { net_http_cert_store_get(scenario) },
            "open-uri" => -> { open_uri_get(scenario) } }.fetch(client)

    if scenario["expect"]["connects"]
      assert_equal ["200", "ok #{name}\n"], get.call
    elsif expected
      e = assert_raises(Trustbundle::VerificationError) { get.call }
      assert_equal [expected.reason, expected.depth, expected.hint], [e.reason, e.depth, e.hint]
      refute_empty e.hint
      assert_includes e.message, e.hint
      assert_kind_of OpenSSL::SSL::SSLError, e
      # The handshake itself was aborted (OpenSSL's error is the cause), not
      # only the connection refused after it.
      assert_match(/certificate verify failed/, e.cause&.message.to_s)
      assert_equal before, request_count(name), "a request reached the server over a rejected connection"
    else
      e = assert_raises(StandardError) { get.call }
      refute_kind_of Trustbundle::VerificationError, e
      assert_equal before, request_count(name)
    end
  end

  MatrixSupport.scenarios.each do |scenario|
    CLIENTS.each do |client|
      slug = "#{scenario['name']}_#{client}".downcase.gsub(/[^a-z0-9]+/, "_")
      define_method(:"test_#{slug}") do
        if client == "open-uri" && scenario["client_cert"]
          skip "open-uri has no option for a client certificate (Net::HTTP's cert/key); the Net::HTTP cell covers it"
        end
        check_cell(scenario, client)
      end
    end
  end
end
