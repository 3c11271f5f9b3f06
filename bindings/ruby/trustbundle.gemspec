# frozen_string_literal: true

# Built by bindings/ruby/build-gem, which stages the core's sources, the data
# (cacert.pem, capath/) and the generated SWIG wrapper next to this file
# first. No dependencies: Ruby's standard library (openssl) only.
require_relative "lib/trustbundle/version"

Gem::Specification.new do |spec|
  spec.name = "trustbundle"
  spec.version = Trustbundle::VERSION
  spec.summary = "Mozilla's curated TLS roots, a lazily loading OpenSSL::X509::Store, and chain verification " \
                 "that says why a chain fails"
  spec.description = <<~TEXT
    Mozilla's curated TLS server roots (certifi's cacert.pem, plus a hashed
    CApath directory), an OpenSSL::X509::Store for Net::HTTP that loads a
    root only when a handshake needs it, extra/corporate CAs
    (extra_ca: and TRUSTBUNDLE_EXTRA_CA_CERTS), chain verification with the
    same reasons in every language, and mTLS key checks. A SWIG binding of
    the trustbundle C++ core, which is compiled into the extension.
  TEXT
  spec.authors = ["trustbundle contributors"]
  spec.license = "MPL-2.0"
  spec.homepage = "https://github.com/trustbundle/trustbundle"
  spec.metadata = {
    "source_code_uri" => "https://github.com/trustbundle/trustbundle/tree/main/bindings/ruby",
    "changelog_uri" => "https://github.com/trustbundle/trustbundle/blob/main/CHANGES.md"
  }
  spec.required_ruby_version = ">= 2.7"

  staged = %w[ext/trustbundle/trustbundle_wrap.cxx ext/trustbundle/core/include/trustbundle/trustbundle.h
              data/cacert.pem LICENSE NOTICE].all? { |f| File.file?(File.join(__dir__, f)) }
  unless staged
    raise "trustbundle.gemspec: the core, the data or the SWIG wrapper is not staged; " \
          "build the gem with bindings/ruby/build-gem"
  end

  spec.files = Dir.chdir(__dir__) do
    Dir["lib/**/*.rb", "exe/*", "README.md", "LICENSE", "NOTICE", "data/cacert.pem", "data/capath/*",
        "ext/trustbundle/{extconf.rb,trustbundle.i,trustbundle_wrap.cxx}",
        "ext/trustbundle/core/src/*/*.{cpp,h}", "ext/trustbundle/core/cli/*.{cpp,h}",
        "ext/trustbundle/core/include/trustbundle/*.h",
        "ext/trustbundle/core/data/bundle_data.inc"].sort
  end
  spec.bindir = "exe"
  spec.executables = ["trustbundle"]
  spec.extensions = ["ext/trustbundle/extconf.rb"]
  spec.require_paths = ["lib"]
end
