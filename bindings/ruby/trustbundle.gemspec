# frozen_string_literal: true

# Three shapes, one file (no dependencies: Ruby's standard library only):
# - the source gem: bindings/ruby/build-gem stages the core's sources, the data
#   (cacert.pem, capath/) and the generated SWIG wrapper next to this file
#   first; `gem install` compiles ext/.
# - the platform gem (build-gem --platform sets TRUSTBUNDLE_GEM_NATIVE to the
#   compiled lib/trustbundle/native.so): that extension inside, for this
#   platform and this Ruby's minor version; no ext/, no compiler at install.
# - a checkout, unstaged (Bundler's path: and git: sources load this file):
#   the files there are; extconf.rb stages the rest from the checkout when
#   the extension is built.
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
  native = ENV.fetch("TRUSTBUNDLE_GEM_NATIVE", "")
  common = ["lib/**/*.rb", "exe/*", "README.md", "LICENSE", "NOTICE", "data/cacert.pem", "data/capath/*"]
  ext = ["ext/trustbundle/{extconf.rb,trustbundle.i,trustbundle_wrap.cxx}",
         "ext/trustbundle/core/src/*/*.{cpp,h}", "ext/trustbundle/core/cli/*.{cpp,h}",
         "ext/trustbundle/core/include/trustbundle/*.h",
         "ext/trustbundle/core/data/bundle_data.inc"]
  if native.empty?
    spec.files = Dir.chdir(__dir__) { Dir[*common, *ext].sort }
    spec.extensions = ["ext/trustbundle/extconf.rb"]
  else
    unless staged && File.file?(File.join(__dir__, native))
      raise "trustbundle.gemspec: TRUSTBUNDLE_GEM_NATIVE=#{native}: no such extension, or the data is not staged " \
            "(bindings/ruby/build-gem --platform builds the platform gem)"
    end
    # The extension is compiled for one Ruby minor version (its C ABI).
    spec.platform = Gem::Platform.local
    spec.required_ruby_version = "~> #{RUBY_VERSION[/\A\d+\.\d+/]}.0"
    spec.files = Dir.chdir(__dir__) { (Dir[*common] + [native]).sort }
  end
  spec.bindir = "exe"
  spec.executables = ["trustbundle"]
  spec.require_paths = ["lib"]
end
