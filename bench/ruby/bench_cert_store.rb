# frozen_string_literal: true

# trustbundle (Ruby) against its anchor, OpenSSL::X509::Store#add_file of the
# whole bundle, measured side by side in one run.
#
#   ruby bench/ruby/bench_cert_store.rb [--quick]
#
# Needs the trustbundle gem installed (ci/test-ruby installs it into
# build/ruby/gem-home: GEM_HOME=build/ruby/gem-home ruby bench/ruby/...) and
# ci/setup's venv for the test PKI (or TRUSTBUNDLE_PKI_PYTHON). Prints one
# table; a benchmark, not a test: it exits 0 unless something could not be
# measured (a connection that must verify does not).
#
# 1. Store + first verified connection (the target, >= 10x faster): a fresh
#    store, then one TLS connection to a local server (a separate process on
#    127.0.0.1 serving the test PKI's server-localhost chain) with peer and
#    host name verification: the handshake, one byte sent, closed.
#    - trustbundle: Trustbundle.cert_store(extra_ca: root.pem) (Mozilla's
#      roots through the hashed capath directory, loaded on demand);
#    - anchor: OpenSSL::X509::Store.new + add_file(cacert.pem) (the same
#      bundle, Trustbundle.where, every root parsed) + add_file(root.pem).
#    Both sides trust the test root the same way and do the same handshake.
# Informational rows:
# - the floor: a store holding only the test root (no Mozilla roots at all),
#   the same connection; no store can be faster, so its ratio is the best
#   any implementation can reach against this anchor on this machine;
# - the same through Net::HTTP (http.cert_store = ...; http.start + get);
# - the store alone, without a connection.
require "etc"
require "net/http"
require "open3"
require "rbconfig"
require "socket"
require "tmpdir"
require "trustbundle"
require_relative "bench_util"
require_relative "local_server"

def main(argv)
  scale = argv.include?("--quick") ? 0.3 : 1.0
  rounds = (8 * scale).ceil

  Dir.mktmpdir("tbrb-bench-") do |tmp|
    pki = File.join(tmp, "pki")
    generate_pki(pki)
    root = File.join(pki, "root.pem")
    cacert = Trustbundle.where

    LocalServer.run(pki) do |port|
      connect = lambda do |store|
        ctx = OpenSSL::SSL::SSLContext.new
        ctx.set_params(verify_mode: OpenSSL::SSL::VERIFY_PEER, verify_hostname: true, cert_store: store)
        Socket.tcp("127.0.0.1", port, connect_timeout: 10) do |sock|
          ssl = OpenSSL::SSL::SSLSocket.new(sock, ctx)
          ssl.hostname = "localhost"
          ssl.sync_close = true
          ssl.connect # verifies the chain and the host name, or raises
          ssl.write("x")
          ssl.close
        end
      end
      http_get = lambda do |store|
        http = Net::HTTP.new("localhost", port)
        http.ipaddr = "127.0.0.1"
        http.use_ssl = true
        http.verify_mode = OpenSSL::SSL::VERIFY_PEER
        http.cert_store = store
        code = http.start { |h| h.get("/").code }
        raise "bench: HTTP #{code}" unless code == "200"
      end
      ours_store = -> { Trustbundle.cert_store(extra_ca: root) }
      anchor_store = lambda do
        store = OpenSSL::X509::Store.new
        store.add_file(cacert)
        store.add_file(root)
        store
      end

      # Warm-up: OpenSSL's one-time initialisation, paid by neither side; and
      # a check that both sides verify (and that the roots alone do not).
      connect.call(ours_store.call)
      connect.call(anchor_store.call)
      begin
        connect.call(Trustbundle.cert_store)
        abort "bench: the server's chain verified without the test root"
      rescue OpenSSL::SSL::SSLError
        nil
      end

      rows = []
      ours, theirs = measure(rounds, -> { connect.call(ours_store.call) }, -> { connect.call(anchor_store.call) })
      rows << ["cert_store + first verified connection", ours, theirs, ">= 10x faster", 10]
      floor_store = lambda do
        store = OpenSSL::X509::Store.new
        store.add_file(root)
        store
      end
      floor, theirs = measure(rounds, -> { connect.call(floor_store.call) }, -> { connect.call(anchor_store.call) })
      rows << ["floor: only the test root + connection", floor, theirs, "(best possible)", nil]
      ours, theirs = measure(rounds, -> { http_get.call(ours_store.call) }, -> { http_get.call(anchor_store.call) })
      rows << ["same through Net::HTTP (start + GET)", ours, theirs, "(informational)", nil]
      ours, theirs = measure(rounds, ours_store, anchor_store)
      rows << ["store alone (no connection)", ours, theirs, "(informational)", nil]

      puts "trustbundle #{Trustbundle.library_version} (gem #{Trustbundle::VERSION}, bundle " \
           "#{Trustbundle.bundle_version}, #{Trustbundle.roots.size} roots), Ruby #{RUBY_VERSION}, " \
           "#{OpenSSL::OPENSSL_LIBRARY_VERSION}, #{Etc.nprocessors} CPUs"
      puts "anchor: OpenSSL::X509::Store#add_file(#{cacert})"
      puts
      puts format("%-42s %12s %10s %8s  %-16s %s", "benchmark (median)", "trustbundle", "add_file", "ratio", "target", "met")
      rows.each do |name, a, b, target, min|
        ratio = b / a
        met = min.nil? ? "-" : (ratio >= min ? "yes" : "NO")
        puts format("%-42s %9.3f ms %7.3f ms %7.2fx  %-16s %s", name, a, b, ratio, target, met)
      end
      puts
      load = File.readable?("/proc/loadavg") ? File.read("/proc/loadavg").split.first(3).join(" ") : "?"
      puts "(ratio = add_file's time over trustbundle's; #{rounds} rounds of #{BLOCK} + #{BLOCK} calls per row, " \
           "load average #{load})"
    end
  end
  0
end

exit main(ARGV)
