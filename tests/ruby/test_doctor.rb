# frozen_string_literal: true

# Trustbundle.diagnose against the matrix's real servers on 127.0.0.1: the
# structured result, the findings with their fixes, and the same text as the
# `trustbundle doctor` command.
require "socket"
require_relative "matrix_support"

class TestDoctor < Minitest::Test
  include TestSupport
  include MatrixSupport

  def target(name)
    "localhost:#{port(name)}"
  end

  def test_good_chain
    d = Trustbundle.diagnose("https://#{target('good')}/some/path", extra_ca: path("root.pem"))
    assert_instance_of Trustbundle::Diagnosis, d
    assert d.ok?
    assert_equal [0, "OK", "NONE", "OK"], [d.exit_code, d.verdict, d.failure, d.reason]
    assert_match(/\ATLSv1\.[23]\z/, d.protocol)
    refute_nil d.cipher
    refute d.client_cert_requested
    assert_equal 2, d.chain.size
    served = OpenSSL::X509::Certificate.new(read("matrix/good/served.pem"))
    assert_equal served.to_der, d.chain[0].der
    assert_equal served.not_after, d.chain[0].not_after
    assert_equal OpenSSL::Digest::SHA256.hexdigest(served.to_der), d.chain[0].sha256
    assert_equal(["EXTRA_CA_ANCHOR"], d.findings.map(&:code))
    assert_equal "info", d.findings[0].severity
    assert_equal ["", ""], [d.fix_client, d.fix_server]
    assert_equal "OK", d.as_json["verdict"]
    assert_equal d.chain[0].sha256, d.as_json["chain"][0]["sha256"]
  end

  def test_missing_intermediate_says_what_to_fix
    d = Trustbundle.diagnose(target("missing-intermediate"), extra_ca: path("root.pem"))
    assert_equal ["REJECTED", 1, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"], [d.verdict, d.exit_code, d.reason]
    finding = d.findings.find { |f| f.code == "MISSING_INTERMEDIATE" }
    refute_nil finding, d.text
    assert_equal "error", finding.severity
    assert_equal 0, finding.index
    refute_empty finding.fix_server
    assert_includes d.fix_server, finding.fix_server
    refute_empty d.hint
    expected = MatrixSupport.verify_error(MatrixSupport.scenario("missing-intermediate"))
    assert_equal expected.hint, d.hint
    assert d.text.start_with?("REJECTED (UNABLE_TO_GET_ISSUER_CERT_LOCALLY): "), d.text
  end

  def test_unknown_root_and_the_matrix_reasons
    %w[expired wrong-host unknown-root].each do |name|
      scenario = MatrixSupport.scenario(name)
      d = Trustbundle.diagnose(target(name), extra_ca: extra_ca_paths(scenario))
      assert_equal ["REJECTED", scenario["expect"]["verify"]], [d.verdict, d.reason], name
      assert d.findings.any? { |f| f.severity == "error" }, d.text
      refute_empty d.fix_client + d.fix_server, d.text
    end
  end

  def test_client_certificate_required_then_given
    d = Trustbundle.diagnose(target("client-cert-required"), extra_ca: path("root.pem"))
    assert_equal %w[REJECTED CLIENT_CERT OK], [d.verdict, d.failure, d.reason]
    assert d.client_cert_requested
    assert_includes d.findings.map(&:code), "CLIENT_CERT_REQUIRED"
    d = Trustbundle.diagnose(target("client-cert-given"), extra_ca: path("root.pem"),
                                                          cert: path("mtls/client.pem"), key: path("mtls/client.key"))
    assert_equal %w[OK NONE], [d.verdict, d.failure], d.text
  end

  def test_nothing_listens
    free = TCPServer.new("127.0.0.1", 0)
    port = free.addr[1]
    free.close
    d = Trustbundle.diagnose("127.0.0.1:#{port}", timeout: 5)
    assert_equal ["UNREACHABLE", 2, "CONNECTION_REFUSED", nil], [d.verdict, d.exit_code, d.failure, d.reason]
    assert_empty d.chain
    assert_nil d.protocol
  end

  # The core renders the report; only the option names differ from the tool's.
  def test_text_is_the_commands_in_ruby_terms
    d = Trustbundle.diagnose(target("good"), extra_ca: path("root.pem"))
    out, _err, code = run_exe("doctor", target("good"), "--extra-ca", path("root.pem"))
    assert_equal 0, code
    assert_includes d.text, '(extra_ca: "..." or TRUSTBUNDLE_EXTRA_CA_CERTS)'
    assert_equal out, d.text.sub('extra_ca: "..."', "--extra-ca ...")
    assert_equal d.text, d.to_s
  end

  def test_fixes_name_the_ruby_options
    d = Trustbundle.diagnose(target("unknown-root"))
    assert_includes d.fix_client, 'extra_ca: "/path/to/root.pem"'
    refute_includes d.text, "--extra-ca"
    d = Trustbundle.diagnose(target("client-cert-required"), extra_ca: path("root.pem"))
    assert_includes d.fix_client, 'cert: "client.pem", key: "client.key"'
    refute_includes d.text, "--cert"
  end

  def test_bad_arguments
    assert_raises(ArgumentError) { Trustbundle.diagnose("127.0.0.1", timeout: 0) }
    assert_raises(ArgumentError) { Trustbundle.diagnose("127.0.0.1", timeout: "5") }
    assert_raises(TypeError) { Trustbundle.diagnose(nil) }
    assert_raises(ArgumentError) { Trustbundle.diagnose("127.0.0.1", key: path("mtls/client.key")) }
    assert_raises(Trustbundle::InvalidArgumentError) { Trustbundle.diagnose("127.0.0.1:notaport") }
    assert_raises(Trustbundle::PassphraseError) do
      Trustbundle.diagnose("127.0.0.1:1", cert: path("mtls/client.pem"), key: path("mtls/client-encrypted.key"))
    end
  end
end
