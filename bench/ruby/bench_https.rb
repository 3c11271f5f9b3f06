# frozen_string_literal: true

# Issue 16: what trustbundle's check costs on Net::HTTP's TLS path, against
# Net::HTTP with Ruby's default store, measured side by side in one run.
#
#   ruby bench/ruby/bench_https.rb [--quick]
#
# Needs the trustbundle gem (GEM_HOME=build/ruby/gem-home, installed by
# ci/test-ruby) and ci/setup's venv for the test PKI. A benchmark, not a
# test: it prints one table and exits 0 unless something could not be
# measured (a request that must succeed does not).
#
# Both sides GET https://localhost:PORT/ from a local server (a separate
# process on 127.0.0.1 serving the test PKI's server-localhost chain), host
# name checked, and both trust the test root on top of their roots:
# - trustbundle: Trustbundle.inject!(extra_ca: root.pem), then a plain
#   Net::HTTP (the core verifies the chain, OpenSSL's store is the lazy
#   capath directory);
# - default: a Net::HTTP whose cert_store is OpenSSL::X509::Store.new +
#   set_default_paths (SSL_CERT_FILE / SSL_CERT_DIR when set) + add_file(root.pem).
#
# 1. First verified request (target <= 1.2x): in a fresh process each, Ruby
#    and net/http loaded; timed from before `require "trustbundle"` (the
#    default side requires nothing) to the response. Medians of alternating
#    processes.
# 2. Later connections (target <= 1.1x): in one warm process, a new
#    Net::HTTP and a new TLS connection per request (the default side's
#    store made once, as trustbundle's policy is).
# Informational: the same object reconnecting (a resumed session; the core
# checks the session's chain again).
require "etc"
require "net/http"
require "rbconfig"
require "tmpdir"
require_relative "bench_util"
require_relative "local_server"

FIRST_REQUEST = <<~'RUBY'
  require "net/http"
  side, port, root = ARGV
  clock = -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) }
  t0 = clock.call
  http = Net::HTTP.new("localhost", Integer(port))
  if side == "trustbundle"
    require "trustbundle"
    Trustbundle.inject!(extra_ca: root)
  else
    store = OpenSSL::X509::Store.new
    store.set_default_paths
    store.add_file(root)
    http.cert_store = store
  end
  http.ipaddr = "127.0.0.1"
  http.use_ssl = true
  code = http.start { |h| h.get("/").code }
  elapsed = clock.call - t0
  abort "HTTP #{code}" unless code == "200"
  puts elapsed
RUBY

def first_request(side, port, root)
  out = IO.popen([RbConfig.ruby, "-e", FIRST_REQUEST, side, port.to_s, root], &:read)
  raise "bench: the #{side} process failed" unless $?.success?

  Float(out)
end

# Like measure, with each side's untimed set-up run before its block; a
# warm-up call per side first.
def alternate(rounds, sides)
  sides.each do |setup, call|
    setup.call
    call.call
  end
  times = sides.map { [] }
  rounds.times do
    sides.each_with_index do |(setup, call), i|
      setup.call
      GC.start
      BLOCK.times { times[i] << timed(&call) }
    end
  end
  times.map { |t| median_ms(t) }
end

def main(argv)
  scale = argv.include?("--quick") ? 0.3 : 1.0
  processes = (30 * scale).ceil
  rounds = (10 * scale).ceil

  Dir.mktmpdir("tbrb-bench-https-") do |tmp|
    pki = File.join(tmp, "pki")
    generate_pki(pki)
    root = File.join(pki, "root.pem")
    require "trustbundle" # here, so row 1's processes are the first to load it

    LocalServer.run(pki) do |port|
      rows = []
      ours = []
      theirs = []
      processes.times do
        ours << first_request("trustbundle", port, root)
        theirs << first_request("default", port, root)
      end
      rows << ["1. first verified request (fresh process)", median_ms(ours), median_ms(theirs), 1.2]

      default_store = OpenSSL::X509::Store.new
      default_store.set_default_paths
      default_store.add_file(root)
      get = lambda do |http|
        http.ipaddr = "127.0.0.1"
        http.use_ssl = true
        code = http.start { |h| h.get("/").code }
        raise "bench: HTTP #{code}" unless code == "200"
      end
      plain = -> { Net::HTTP.new("localhost", port) }
      with_default = -> { plain.call.tap { |h| h.cert_store = default_store } }
      store = Trustbundle::Store.new(root)
      # inject! applies to every Net::HTTP: on for trustbundle's blocks, off
      # for the default's, switched outside the timed calls.
      sides = [[-> { Trustbundle.inject!(store: store) }, -> { get.call(plain.call) }],
               [-> { Trustbundle.extract! }, -> { get.call(with_default.call) }]]
      rows << ["2. later connections (new Net::HTTP each)", *alternate(rounds, sides), 1.1]

      ours_http = plain.call
      theirs_http = with_default.call
      sides = [[-> { Trustbundle.inject!(store: store) }, -> { get.call(ours_http) }],
               [-> { Trustbundle.extract! }, -> { get.call(theirs_http) }]]
      rows << ["(info) same object again (resumed session)", *alternate(rounds, sides), nil]
      Trustbundle.extract!

      puts "trustbundle #{Trustbundle.library_version} (gem #{Trustbundle::VERSION}), Ruby #{RUBY_VERSION}, " \
           "#{OpenSSL::OPENSSL_LIBRARY_VERSION}, #{Etc.nprocessors} CPUs"
      puts "default: OpenSSL::X509::Store#set_default_paths (SSL_CERT_FILE=#{ENV['SSL_CERT_FILE'] || '-'}, " \
           "SSL_CERT_DIR=#{ENV['SSL_CERT_DIR'] || '-'}) + the test root"
      puts
      puts format("%-44s %12s %10s %8s  %-10s %s", "benchmark (median)", "trustbundle", "default", "ratio", "target",
                  "met")
      rows.each do |name, a, b, max|
        ratio = a / b
        target = max ? format("<= %.1fx", max) : "-"
        met = max.nil? ? "-" : (ratio <= max ? "yes" : "NO")
        puts format("%-44s %9.3f ms %7.3f ms %7.2fx  %-10s %s", name, a, b, ratio, target, met)
      end
      puts
      load = File.readable?("/proc/loadavg") ? File.read("/proc/loadavg").split.first(3).join(" ") : "?"
      puts "(ratio = trustbundle's time over the default's; row 1: #{processes} + #{processes} processes; " \
           "rows 2-3: #{rounds} rounds of #{BLOCK} + #{BLOCK} requests; load average #{load})"
    end
  end
  0
end

exit main(ARGV)
