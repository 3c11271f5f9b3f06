# frozen_string_literal: true

# The shared vectors (tests/vectors/verify.json), every case through the
# public API. The contract is the C++ runner's: ok, reason name, depth and
# chain length must match exactly (match, client_auth, valid for key pairs);
# an unknown kind, trust form, purpose or expected error fails the case,
# never passes it.
require_relative "helper"

class TestVectors < Minitest::Test
  include TestSupport

  CASES = JSON.parse(File.read(TestSupport::VECTORS))["cases"]

  CASES.each do |c|
    define_method("test_vector_#{c['name']}") { run_case(c) }
  end

  def test_every_case_runs
    names = CASES.map { |c| c["name"] }
    assert_equal names.uniq.size, names.size, "case names are unique"
    assert_operator names.size, :>=, 47
    assert_equal names.size, self.class.public_instance_methods.grep(/\Atest_vector_/).size
  end

  def test_runner_rejects_unknown_forms
    [{ "roots_foo" => ["root.pem"] }, { "extra_ca" => [] }, ["root.pem"],
     { "extra_ca" => ["a"], "roots" => ["b"] }].each do |bad|
      assert_raises(Minitest::Assertion) { with_store(bad) { flunk "a store was built for #{bad.inspect}" } }
    end
    assert_raises(Minitest::Assertion) { run_case({ "name" => "x", "kind" => "mystery" }) }
    base = CASES.find { |c| c["kind"] == "verify" }
    assert_raises(Minitest::Assertion) { run_case(base.merge("purpose" => "email")) }
    pair = CASES.find { |c| c["kind"] == "key_pair" }
    assert_raises(Minitest::Assertion) { run_case(pair.merge("expect" => { "error" => "SOMETHING_NEW" })) }
  end

  private

  def run_case(c)
    case c["kind"]
    when "verify" then run_verify(c)
    when "key_pair" then run_key_pair(c)
    else flunk "unknown kind #{c['kind'].inspect}"
    end
  end

  # Yields the store of a trust form (the environment set while it is built).
  def with_store(trust)
    flunk "unknown trust form (not an object): #{trust.inspect}" unless trust.is_a?(Hash)
    return with_env("TRUSTBUNDLE_EXTRA_CA_CERTS" => nil) { yield Trustbundle::Store.new } if trust.empty?

    flunk "unknown trust form (more than one key): #{trust.inspect}" unless trust.size == 1
    key, value = trust.first
    case key
    when "extra_ca", "roots"
      flunk "unknown trust form: #{trust.inspect}" unless value.is_a?(Array) && !value.empty?
      paths = value.map { |f| path(f) }
      if key == "extra_ca"
        store = Trustbundle::Store.new(paths)
        assert_operator store.extra_count, :>=, paths.size
      else
        store = Trustbundle::Store.new(paths, mozilla: false, env: false)
      end
      yield store
    when "env_extra_ca"
      flunk "unknown trust form: #{trust.inspect}" unless value.is_a?(String)
      with_env("TRUSTBUNDLE_EXTRA_CA_CERTS" => path(value)) do
        store = Trustbundle::Store.new
        assert_equal 1, store.extra_count, "the variable's CA was not added"
        yield store
      end
    when "roots_certdata"
      flunk "unknown trust form: #{trust.inspect}" unless value.is_a?(String)
      yield Trustbundle::Store.new(path(value), mozilla: false, env: false)
    else
      flunk "unknown trust form: #{trust.inspect}"
    end
  end

  def run_verify(c)
    purpose = c["purpose"]
    flunk "unknown purpose #{purpose.inspect}" unless %w[server client].include?(purpose)
    expect = c["expect"]
    certs = chain(*c["chain"])
    with_store(c["trust"]) do |store|
      verified = store.verify(certs, host: c["host"], at: c["at"], purpose: purpose.to_sym)
      assert expect["ok"], "accepted, expected #{expect['reason']} at depth #{expect['depth']}"
      assert_equal ["OK", -1], [expect["reason"], expect["depth"]]
      assert expect.key?("chain_length"), "an accepted case must give chain_length"
      assert_equal expect["chain_length"], verified.size
      assert(verified.all? { |cert| cert.is_a?(OpenSSL::X509::Certificate) })
      assert_equal OpenSSL::X509::Certificate.new(certs.first).to_der, verified.first.to_der,
                   "the verified chain starts at our leaf"
    rescue Trustbundle::VerificationError => e
      assert_equal [expect["ok"], expect["reason"], expect["depth"]], [false, e.reason, e.depth],
                   "#{e.message} / hint: #{e.hint}"
      refute_empty e.hint, "every rejection has a hint"
      refute_includes e.hint, "\n"
      assert e.openssl_code != 0 || e.reason == "ROOT_DISTRUSTED" # distrust-after is trustbundle policy
    end
  end

  def run_key_pair(c)
    expect = c["expect"]
    cert = read(c["cert"])
    key = read(c["key"])
    if expect.key?("error")
      flunk "unknown expected error #{expect['error'].inspect}" unless expect["error"] == "PASSPHRASE"
      e = assert_raises(Trustbundle::PassphraseError) do
        Trustbundle.check_key_pair(cert, key, passphrase: c["passphrase"], at: c["at"])
      end
      assert_equal "PASSPHRASE", e.status
      return
    end
    got = Trustbundle.check_key_pair(cert, key, passphrase: c["passphrase"], at: c["at"])
    assert_equal [expect["match"], expect["client_auth"], expect["valid"]], [got.match, got.client_auth, got.valid]
    assert_equal(expect["match"] && expect["client_auth"] && expect["valid"], got.ok?)
  end
end
