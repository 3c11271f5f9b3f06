#!/usr/bin/env ruby
# frozen_string_literal: true

# The smoke program of issue 8, Ruby edition: usage ruby smoke.rb PKI_DIR.
#
# Prints, through the installed gem's public API only, the lines every other
# edition (smoke.py, smoke.js, go/main.go) prints byte for byte:
#
#   bundle_version <Trustbundle.bundle_version>
#   root_count <Trustbundle.roots.size>
#   contents_sha256 <SHA-256 of Trustbundle.contents, hex>
#   <valid|expired|wrong_host> <OK|REASON> depth=<d> hint=<hint>
#
# PKI_DIR is the output of tests/pki/generate.py; the chains are those of
# tests/vectors/verify.json (see smoke.py). An accepted chain prints
# depth=-1 and an empty hint. Where the gem was loaded from goes to stderr.

require "digest"
require "trustbundle"

AT = "2026-06-01T00:00:00Z"

if ARGV.size != 1
  warn "usage: ruby smoke.rb PKI_DIR"
  exit 2
end
pki = ARGV[0]
read = ->(name) { File.binread(File.join(pki, name)) }
root = File.join(pki, "root.pem")
chains = [
  ["valid", %w[valid/leaf.pem valid/intermediate.pem], "a.example.test"],
  ["expired", %w[expired/leaf.pem intermediate.pem], "a.example.test"],
  ["wrong_host", %w[valid/leaf.pem valid/intermediate.pem], "wrong.example.test"],
]
lines = [
  "bundle_version #{Trustbundle.bundle_version}",
  "root_count #{Trustbundle.roots.size}",
  "contents_sha256 #{Digest::SHA256.hexdigest(Trustbundle.contents.b)}",
]
chains.each do |name, files, host|
  Trustbundle.verify(files.map(&read), host: host, at: AT, extra_ca: root)
  lines << "#{name} OK depth=-1 hint="
rescue Trustbundle::VerificationError => e
  lines << "#{name} #{e.reason} depth=#{e.depth} hint=#{e.hint}"
end
$stdout.binmode
$stdout.write(lines.map { |l| "#{l}\n".b }.join)
spec = Gem.loaded_specs["trustbundle"]
warn "smoke.rb: trustbundle #{Trustbundle.library_version} from #{spec ? spec.full_gem_path : $LOADED_FEATURES.grep(/trustbundle\.rb\z/).first}"
