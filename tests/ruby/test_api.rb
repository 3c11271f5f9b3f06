# frozen_string_literal: true

# The gem's API beyond the vectors: the bundle, roots, argument forms, the
# error mapping, extra CAs and TRUSTBUNDLE_EXTRA_CA_CERTS, cert_store, the
# raw Native module, threads and the GC, and the command line.
require "ipaddr"
require "pathname"
require_relative "helper"

class TestBundle < Minitest::Test
  include TestSupport

  def test_where_is_the_shipped_cacert_pem
    where = Trustbundle.where
    assert File.file?(where), where
    assert_equal "cacert.pem", File.basename(where)
    assert_equal Trustbundle::DATA_DIR, File.dirname(where)
  end

  def test_contents_is_the_core_bundle_byte_for_byte
    contents = Trustbundle.contents
    assert_equal Encoding::UTF_8, contents.encoding
    assert contents.valid_encoding?
    assert_equal Trustbundle::Native.bundle_pem, contents
    assert_equal Trustbundle.roots.size, contents.scan("-----BEGIN CERTIFICATE-----").size
  end

  def test_capath_is_a_hashed_directory_of_every_root
    dir = Trustbundle.capath
    names = Dir.children(dir)
    assert_equal Trustbundle.roots.size, names.size
    assert(names.all? { |n| n.match?(/\A\h{8}\.\d+\z/) }, names.first(3).inspect)
    cert = OpenSSL::X509::Certificate.new(File.read(File.join(dir, names.first)))
    assert_equal format("%08x", cert.subject.hash), names.first.split(".").first
  end

  def test_without_the_data_dir_the_core_writes_the_bundle_into_the_cache
    Dir.mktmpdir("tbrb-nodata-") do |tmp|
      lib = File.join(Gem::Specification.find_by_name("trustbundle").full_gem_path, "lib")
      FileUtils.cp_r(lib, tmp) # lib/ alone: no data/ beside it
      code = 'require "trustbundle"; puts Trustbundle.where, Trustbundle.capath; print Trustbundle.contents.size'
      out, err, status = Open3.capture3({ "TRUSTBUNDLE_CACHE_DIR" => File.join(tmp, "cache") },
                                        RbConfig.ruby, "-I", File.join(tmp, "lib"), "-e", code)
      assert status.success?, err
      where, capath, size = out.lines.map(&:chomp)
      assert where.start_with?(File.join(tmp, "cache")), where
      assert_equal File.binread(Trustbundle.where), File.binread(where)
      assert_equal Trustbundle.roots.size, Dir.children(capath).size
      assert_equal Trustbundle.contents.size, Integer(size)
    end
  end

  def test_bundle_as_of_and_age
    as_of = Trustbundle.bundle_as_of
    assert_predicate as_of, :utc?
    assert_equal Trustbundle.bundle_version.split("/").last, as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
    day = 86_400
    assert_equal 0, Trustbundle.bundle_age_days(as_of)
    assert_equal 0, Trustbundle.bundle_age_days(as_of - 3 * day)
    assert_equal 180, Trustbundle.bundle_age_days(as_of + 181 * day - 1)
    assert_equal 181, Trustbundle.bundle_age_days(as_of.to_i + 181 * day)
    assert_equal 10, Trustbundle.bundle_age_days((as_of + 10 * day).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert_equal [((Time.now - as_of) / day).floor, 0].max, Trustbundle.bundle_age_days
    assert_raises(Trustbundle::ParseError) { Trustbundle.bundle_age_days("yesterday") }
  end

  def test_bundle_and_library_version
    assert_match %r{\A\d+\.\d+(\.\d+)*/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\z}, Trustbundle.bundle_version
    assert_equal Trustbundle::Native.bundle_nss_version, Trustbundle.bundle_version.split("/").first
    assert_equal Trustbundle::VERSION, Trustbundle.library_version
    assert_equal Trustbundle::Native::VERSION_STRING, Trustbundle.library_version
  end

  def test_roots_metadata
    roots = Trustbundle.roots
    assert_equal Trustbundle::Native.root_count, roots.size
    assert_operator roots.size, :>, 100
    roots.each do |r|
      assert r.frozen?
      assert_equal OpenSSL::Digest::SHA256.hexdigest(r.der), r.sha256
      assert_equal OpenSSL::Digest::SHA1.hexdigest(r.der), r.sha1
      assert_equal Encoding::BINARY, r.der.encoding
      assert_kind_of Time, r.not_after
      assert r.not_after.utc?
      assert_equal r.certificate.serial.to_i, r.serial
      assert_equal r.certificate.not_after, r.not_after
      assert_equal :trusted, r.server_trust
      refute_empty r.label
    end
    distrusted = roots.select(&:server_distrust_after)
    distrusted.each { |r| assert_kind_of Time, r.server_distrust_after }
    assert_equal roots.map(&:sha256), Trustbundle.roots.map(&:sha256), "the same order every call"
    refute_same roots, Trustbundle.roots
    assert_includes roots.first.to_pem, "-----BEGIN CERTIFICATE-----"
  end
end

class TestVerify < Minitest::Test
  include TestSupport

  def valid_chain
    chain("valid/leaf.pem", "valid/intermediate.pem")
  end

  def verify(chain = valid_chain, **opts)
    Trustbundle.verify(chain, **{ host: "a.example.test", at: AT, extra_ca: path("root.pem") }.merge(opts))
  end

  def test_returns_certificates_leaf_first_anchor_last
    verified = verify
    assert_equal 3, verified.size
    assert(verified.all? { |c| c.is_a?(OpenSSL::X509::Certificate) })
    assert_equal OpenSSL::X509::Certificate.new(valid_chain.first), verified.first
    assert_equal OpenSSL::X509::Certificate.new(read("root.pem")), verified.last
  end

  def test_chain_forms
    certs = valid_chain.map { |pem| OpenSSL::X509::Certificate.new(pem) }
    assert_equal 3, verify(certs).size
    assert_equal 3, verify(certs.map(&:to_der)).size
    assert_equal 3, verify(valid_chain.join).size, "one String holding the whole PEM chain"
    assert_equal 3, verify([certs[0].to_der, valid_chain[1]]).size, "DER and PEM mixed"
    assert_equal 3, verify(read("server-localhost/fullchain.pem"), host: "localhost").size
    e = assert_raises(Trustbundle::VerificationError) { verify(certs.first) }
    assert_equal "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", e.reason
    assert_equal 0, e.depth
    assert_raises(ArgumentError) { verify([]) }
    assert_raises(TypeError) { verify([42]) }
    assert_raises(TypeError) { verify(42) }
  end

  def test_time_forms
    at = Time.utc(2026, 6, 1)
    [at, at.to_i, at.to_f + 0.5, "2026-06-01T00:00:00Z", at.to_i.to_s].each do |t|
      assert_equal 3, verify(at: t).size, t.inspect
    end
    after = OpenSSL::X509::Certificate.new(valid_chain.first).not_after + 86_400
    e = assert_raises(Trustbundle::VerificationError) { verify(at: after) }
    assert_equal "CERT_HAS_EXPIRED", e.reason
    e = assert_raises(Trustbundle::ParseError) { verify(at: "June 1st") }
    assert e.message.start_with?("at: "), e.message
    assert_equal "PARSE", e.status
    assert_raises(TypeError) { verify(at: :now) }
    assert_raises(ArgumentError) { verify(at: Float::NAN) }
  end

  def test_host_forms
    assert_equal 3, verify(host: nil).size
    assert_raises(ArgumentError) { verify(host: "") }  # said explicitly with nil, not ""
    assert_equal 3, verify(host: "x.b.example.test").size
    ip_chain = chain("ip/leaf.pem", "intermediate.pem")
    assert_equal 3, verify(ip_chain, host: IPAddr.new("127.0.0.1")).size
    assert_equal 3, verify(ip_chain, host: "[::1]").size
    e = assert_raises(Trustbundle::VerificationError) { verify(host: "wrong.example.test") }
    assert_equal "HOSTNAME_MISMATCH", e.reason
    assert_equal "wrong.example.test", e.host
    assert_raises(TypeError) { verify(host: 42) }
    assert_raises(ArgumentError) { verify(host: "a.example.test\0") }
  end

  def test_purpose
    client = chain("mtls/client.pem", "intermediate.pem")
    assert_equal 3, verify(client, host: nil, purpose: :client).size
    assert_equal 3, verify(client, host: nil, purpose: "client").size
    e = assert_raises(Trustbundle::VerificationError) { verify(client, host: nil, purpose: :server) }
    assert_equal "INVALID_PURPOSE", e.reason
    assert_raises(ArgumentError) { verify(purpose: :email) }
  end

  def test_verification_error_carries_reason_depth_hint
    e = assert_raises(Trustbundle::VerificationError) { verify(extra_ca: nil) }
    assert_operator Trustbundle::Error, :===, e # rescue Trustbundle::Error catches it
    assert_equal "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", e.reason
    assert_equal Trustbundle::Native::REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, e.reason_code
    assert_equal 1, e.depth
    assert_includes e.hint, "TRUSTBUNDLE_EXTRA_CA_CERTS"
    assert_equal "unable to get local issuer certificate", e.verify_message
    assert_equal 20, e.openssl_code # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    assert_nil e.status
    assert_match(/\Acertificate verify failed: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 1: /, e.message)
  end

  def test_extra_ca_forms
    root_pem = read("root.pem")
    root = OpenSSL::X509::Certificate.new(root_pem)
    dir = Dir.mktmpdir("tbrb-cadir-")
    FileUtils.cp(path("root.pem"), File.join(dir, "corp.pem"))
    der_file = File.join(dir, "root.der")
    File.binwrite(der_file, root.to_der)
    [path("root.pem"), Pathname(path("root.pem")), root_pem, root.to_der, root, der_file, dir,
     File.read(der_file), [path("untrusted/root.pem"), root]].each do |ca|
      assert_equal 3, verify(extra_ca: ca).size, ca.class.name
    end
  ensure
    FileUtils.rm_rf(dir) if dir
  end

  def test_store_is_reusable_and_counts_its_extras
    store = Trustbundle::Store.new([path("root.pem"), path("untrusted/root.pem")])
    assert store.frozen?
    assert_equal 2, store.extra_count
    assert_equal 2, store.extra_pem.scan("-----BEGIN CERTIFICATE-----").size
    3.times { assert_equal 3, store.verify(valid_chain, host: "a.example.test", at: AT).size }
    only = Trustbundle::Store.new(path("root.pem"), mozilla: false, env: false)
    assert_equal 1, only.extra_count
    assert_equal "", Trustbundle::Store.new(env: false).extra_pem
  end

  def test_env_extra_ca_is_read_at_each_call
    with_env("TRUSTBUNDLE_EXTRA_CA_CERTS" => nil) do
      assert_raises(Trustbundle::VerificationError) { verify(extra_ca: nil) }
      ENV["TRUSTBUNDLE_EXTRA_CA_CERTS"] = path("root.pem")
      assert_equal 3, verify(extra_ca: nil).size
      ENV["TRUSTBUNDLE_EXTRA_CA_CERTS"] = path("missing.pem")
      e = assert_raises(Trustbundle::FileError) { verify(extra_ca: nil) }
      assert_includes e.message, path("missing.pem")
      ENV.delete("TRUSTBUNDLE_EXTRA_CA_CERTS")
      assert_raises(Trustbundle::VerificationError) { verify(extra_ca: nil) }
    end
  end

  # Issue 15, items 6 and 7: "" is a mistake, not "no name check" (that is
  # host: nil); a NUL would cut the name short at the C boundary.
  def test_the_name_check_is_off_only_when_said
    e = assert_raises(ArgumentError) { verify(host: "") }
    assert_includes e.message, "host: empty string"
    assert_equal 3, verify(host: nil).size
    e = assert_raises(ArgumentError) { verify(host: "a.example.test\0.evil.example") }
    assert_includes e.message, "NUL"
  end

  def test_check_key_pair
    check = Trustbundle.check_key_pair(path("mtls/client.pem"), path("mtls/client.key"), at: AT)
    assert check.ok?
    assert check.frozen?
    cert = OpenSSL::X509::Certificate.new(read("mtls/client.pem"))
    assert_equal cert.not_before, check.not_before
    key = OpenSSL::PKey.read(read("mtls/client.key"))
    assert Trustbundle.check_key_pair(cert, key, at: AT).ok?
    assert Trustbundle.check_key_pair(cert.to_der, Pathname(path("mtls/client-encrypted.key")),
                                      passphrase: -> { "correct horse" }, at: AT).ok?
    refute Trustbundle.check_key_pair(cert, path("mtls/other.key"), at: AT).match?
    refute Trustbundle.check_key_pair(cert, key, at: cert.not_after + 86_400).valid?
    refute Trustbundle.check_key_pair(path("valid/leaf.pem"), path("valid/leaf.key"), at: AT).client_auth?
    e = assert_raises(Trustbundle::PassphraseError) do
      Trustbundle.check_key_pair(cert, path("mtls/client-encrypted.key"), passphrase: "wrong")
    end
    assert_equal "PASSPHRASE", e.status
    e = assert_raises(Trustbundle::FileError) { Trustbundle.check_key_pair(path("nope.pem"), key) }
    assert_includes e.message, "nope.pem"
    assert_raises(TypeError) { Trustbundle.check_key_pair(cert, key, passphrase: 42) }
  end
end

class TestErrors < Minitest::Test
  include TestSupport

  def test_hierarchy
    [Trustbundle::ParseError, Trustbundle::FileError, Trustbundle::LimitError, Trustbundle::PassphraseError,
     Trustbundle::InvalidArgumentError, Trustbundle::NotFoundError, Trustbundle::BufferTooSmallError,
     Trustbundle::InternalError].each do |klass|
      assert_operator klass, :<, Trustbundle::Error
    end
    assert_operator Trustbundle::Error, :<, StandardError
    # A rejected chain is a TLS error (Net::HTTP raises it from the
    # handshake), and `rescue Trustbundle::Error` still catches it.
    assert_operator Trustbundle::VerificationError, :<, OpenSSL::SSL::SSLError
    assert_operator Trustbundle::NotVerifiedError, :<, OpenSSL::SSL::SSLError
    e = assert_raises(Trustbundle::Error) { Trustbundle.verify(read("valid/leaf.pem")) }
    assert_instance_of Trustbundle::VerificationError, e
    refute_operator Trustbundle::ParseError, :===, e
  end

  def test_parse_error_names_the_input
    e = assert_raises(Trustbundle::ParseError) { Trustbundle.verify(["garbage"]) }
    assert_equal "PARSE", e.status
    assert_includes e.message, "chain element 0"
    e = assert_raises(Trustbundle::ParseError) { Trustbundle.verify(read("root.pem"), extra_ca: "-----BEGIN nonsense") }
    assert_includes e.message, "extra_ca (PEM)"
    empty = File.join(pki, "empty.pem")
    File.write(empty, "")
    e = assert_raises(Trustbundle::Error) { Trustbundle.cert_store(extra_ca: empty) }
    assert_includes e.message, empty
  end

  def test_file_error_names_the_path
    missing = File.join(pki, "does-not-exist.pem")
    e = assert_raises(Trustbundle::FileError) { Trustbundle.cert_store(extra_ca: missing) }
    assert_equal "IO", e.status
    assert_includes e.message, missing
  end

  def test_limit_error
    leaf = read("valid/leaf.pem")
    e = assert_raises(Trustbundle::LimitError) { Trustbundle.verify([leaf] * 1025) }  # TRUSTBUNDLE_MAX_CHAIN_CERTS + 1
    assert_equal "LIMIT", e.status
    assert_raises(Trustbundle::LimitError) { Trustbundle.verify("0" * (16 * 1024 * 1024 + 1)) }
  end

  def test_native_error_mapping
    e = assert_raises(Trustbundle::NotFoundError) { Trustbundle::Native.root_get(Trustbundle::Native.root_count) }
    assert_equal "NOT_FOUND", e.status
    e = assert_raises(Trustbundle::InvalidArgumentError) { Trustbundle::Native.verify(nil, ["x"], nil) }
    assert_equal "INVALID_ARGUMENT", e.status
    assert_includes e.message, "store is NULL"
    builder = Trustbundle::Native.store_builder_new(nil)
    assert_raises(Trustbundle::InvalidArgumentError) { Trustbundle::Native.store_builder_add_path(builder, "") }
    assert_raises(ArgumentError) { Trustbundle::Native.store_builder_new({ mozila: false }) }
    store = Trustbundle::Native.store_build(builder)
    assert_raises(ArgumentError) { Trustbundle::Native.verify(store, ["x"], { hots: "a" }) }
    leaf = read("valid/leaf.pem")
    assert_raises(Trustbundle::InvalidArgumentError) { Trustbundle::Native.verify(store, [leaf], { purpose: 7 }) }
    assert_raises(TypeError) { Trustbundle::Native.verify(store, ["x"], "options") }
  end
end

class TestNative < Minitest::Test
  include TestSupport

  def test_names_and_constants
    n = Trustbundle::Native
    assert_equal 0, n::OK
    assert_equal(-2, n::E_PARSE)
    assert_equal "CERT_HAS_EXPIRED", n.reason_name(n::REASON_CERT_HAS_EXPIRED)
    assert_equal "PARSE", n.status_name(n::E_PARSE)
    assert_equal "UNKNOWN", n.reason_name(999)
    assert_equal 1024, n::MAX_CHAIN_CERTS # what a server may send; a path has at most 32 intermediates
    assert_equal 1_779_235_200, n.time_parse("2026-05-20T00:00:00Z")
    assert_kind_of Integer, n.bundle_as_of
    refute n.respond_to?(:store_free), "handles are freed by the garbage collector only"
    assert_raises(TypeError) { n::Store.new } # only the core makes handles
  end

  def test_handles_survive_the_gc_and_threads
    store = Trustbundle::Store.new(path("root.pem"))
    leaf_chain = chain("valid/leaf.pem", "valid/intermediate.pem")
    threads = Array.new(4) do
      Thread.new do
        Array.new(50) do
          GC.start if rand < 0.05
          Trustbundle::Store.new(path("root.pem")) if rand < 0.2
          store.verify(leaf_chain.dup, host: "a.example.test", at: AT).size
        end
      end
    end
    assert_equal [3], threads.flat_map(&:value).uniq
    GC.start
  end
end

class TestCertStore < Minitest::Test
  include TestSupport

  def test_is_a_lazy_x509_store_over_capath
    store = Trustbundle.cert_store
    assert_kind_of OpenSSL::X509::Store, store
    # A Mozilla root verifies as its own anchor: OpenSSL found it in capath.
    root = Trustbundle.roots.find { |r| r.not_after > Time.now + 86_400 && r.server_distrust_after.nil? }
    assert store.verify(root.certificate), store.error_string
    ours = OpenSSL::X509::Certificate.new(read("root.pem"))
    refute store.verify(ours)
  end

  def test_extra_ca_and_env_are_added
    leaf = OpenSSL::X509::Certificate.new(read("valid/leaf.pem"))
    inter = OpenSSL::X509::Certificate.new(read("intermediate.pem"))
    with_env("TRUSTBUNDLE_EXTRA_CA_CERTS" => nil) do
      refute Trustbundle.cert_store.verify(leaf, [inter])
      store = Trustbundle.cert_store(extra_ca: path("root.pem"))
      store.time = Time.utc(2026, 6, 1)
      assert store.verify(leaf, [inter]), store.error_string
      ENV["TRUSTBUNDLE_EXTRA_CA_CERTS"] = path("root.pem")
      store = Trustbundle.cert_store
      store.time = Time.utc(2026, 6, 1)
      assert store.verify(leaf, [inter]), store.error_string
    end
  end
end

# The gem's executable is the core's tool (Trustbundle::Native.cli_main): the
# same commands, output and exit codes as every package's. Times are pinned.
class TestCommandLine < Minitest::Test
  include TestSupport

  def test_version_and_help
    assert_equal ["trustbundle #{Trustbundle.library_version}\n", "", 0], run_exe("--version")
    out, _err, code = run_exe("--help")
    assert_equal 0, code
    assert out.start_with?("usage: trustbundle COMMAND [options]"), out
    commands = out.lines.grep(/\A  trustbundle /).map { |l| l.split[1] }
    assert_equal %w[where pem info list capath build diff verify check-pair doctor], commands
    commands.each do |command|
      out, err, code = run_exe(command, "--help")
      assert_equal [0, ""], [code, err], command
      assert out.start_with?("usage: trustbundle #{command}"), out
    end
  end

  def test_where_pem_capath_and_certifis_forms
    out, _err, code = run_exe("where")
    assert_equal 0, code
    assert out.start_with?(ENV.fetch("TRUSTBUNDLE_CACHE_DIR")), "#{out}: in the user cache"
    assert_equal Trustbundle.contents, File.read(out.chomp)
    assert_equal [out, "", 0], run_exe
    [["pem"], ["-c"], ["--contents"]].each do |args|
      out, err, code = run_exe(*args)
      assert_equal [0, ""], [code, err], args
      assert_equal Trustbundle.contents, out.force_encoding(Encoding::UTF_8)
    end
    out, _err, code = run_exe("capath")
    assert_equal 0, code
    assert_equal Trustbundle.roots.size, Dir.children(out.chomp).size
  end

  def test_info_and_list
    at = "2030-01-02T03:04:05Z"
    out, _err, code = run_exe("info", "--json", "--at", at)
    assert_equal 0, code
    info = JSON.parse(out)
    assert_equal Trustbundle.bundle_version, info["bundle_version"]
    assert_equal Trustbundle.bundle_age_days(at), info["age_days"]
    assert_equal Trustbundle.library_version, info["library_version"]
    assert_equal 119, info["root_count"]
    assert_equal OpenSSL::Digest::SHA256.hexdigest(Trustbundle.contents.b), info["pem_sha256"]
    out, _err, code = run_exe("info")
    assert_equal 0, code
    assert_includes out, "Mozilla NSS builtins 2.86"
    out, _err, code = run_exe("list", "--json")
    assert_equal 0, code
    assert_equal Trustbundle.roots.map(&:sha256), JSON.parse(out).map { |r| r["sha256"] }
  end

  def test_verify_exit_codes
    chain_file = File.join(pki, "valid-chain.pem")
    File.write(chain_file, read("valid/leaf.pem") + read("valid/intermediate.pem"))
    args = ["verify", chain_file, "--host", "a.example.test", "--at", AT]
    out, _err, code = run_exe(*args, "--extra-ca", path("root.pem"))
    assert_equal 0, code, out
    assert out.start_with?("OK: verified (3 certificates)\n  0: "), out
    out, _err, code = run_exe(*args, "--roots", path("root.pem"), "--json")
    assert_equal 0, code
    assert_equal 3, JSON.parse(out)["chain"].size
    out, err, code = run_exe(*args, env: { "TRUSTBUNDLE_EXTRA_CA_CERTS" => nil })
    assert_equal 1, code
    assert out.start_with?("REJECTED: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 1: "), out
    assert_includes out, "\nhint: issued by 'Test Root CA'"
    assert err.start_with?("rejected: UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "), err
    out, _err, code = run_exe(*args, "--json", env: { "TRUSTBUNDLE_EXTRA_CA_CERTS" => path("root.pem") })
    assert_equal [0, true], [code, JSON.parse(out)["ok"]]
    out, _err, code = run_exe("verify", chain_file, "--extra-ca", path("root.pem"), "--at", "1767225600")
    assert_equal 0, code, out
    out, _err, code = run_exe(*args, "--host", "wrong.example.test", "--roots", path("root.pem"), "--json")
    assert_equal 1, code
    assert_equal %w[HOSTNAME_MISMATCH], [JSON.parse(out)["reason"]]
  end

  def test_check_pair
    out, _err, code = run_exe("check-pair", path("mtls/client.pem"), path("mtls/client.key"), "--at", AT, "--json")
    assert_equal [0, true], [code, JSON.parse(out)["ok"]]
    out, _err, code = run_exe("check-pair", path("mtls/client.pem"), path("mtls/other.key"), "--at", AT)
    assert_equal 1, code
    assert out.start_with?("MISMATCH:    the key does not belong to the certificate\n"), out
  end

  def test_bad_usage_and_input_exit_2
    out, err, code = run_exe("verify", File.join(pki, "missing.pem"))
    assert_equal [2, ""], [code, out]
    assert err.start_with?("trustbundle verify: ") && err.include?("missing.pem"), err
    _out, err, code = run_exe("verify", path("root.pem"), "--extra-ca", File.join(pki, "none"))
    assert_equal 2, code
    assert_includes err, "none"
    [["verify", path("root.pem"), "--at", "yesterday"], ["verify", path("root.pem"), "--purpose", "email"],
     ["verify"], ["where", "extra"], ["-c", "extra"]].each do |args|
      out, err, code = run_exe(*args)
      assert_equal [2, ""], [code, out], args.inspect
      assert err.start_with?("trustbundle"), err
    end
    out, err, code = run_exe("frobnicate")
    assert_equal [2, ""], [code, out]
    assert err.start_with?("trustbundle: unknown command 'frobnicate'\n"), err
  end
end
