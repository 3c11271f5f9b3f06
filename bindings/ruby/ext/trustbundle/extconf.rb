# frozen_string_literal: true

# Builds Trustbundle::Native (lib/trustbundle/native.so): the SWIG wrapper
# (trustbundle_wrap.cxx, generated when the gem is built, so installing needs
# no swig) plus the whole C++17 core, compiled into the extension, linked
# against the system OpenSSL 3 found with pkg-config.
#
# The gem carries its own copy of the core (core/, staged by
# bindings/ruby/build-gem). In a git checkout (Bundler's git: source, or by
# hand) it is staged here from the checkout first, with `build-gem --stage`
# (needs swig).
require "mkmf"

here = __dir__
core = File.join(here, "core")
wrapper = File.join(here, "trustbundle_wrap.cxx")
build_gem = File.expand_path("../../build-gem", here)
checkout_core = File.expand_path("../../../../core/include/trustbundle/trustbundle.h", here)
if !File.file?(wrapper) && File.file?(checkout_core) && File.file?(build_gem)
  puts "trustbundle: staging the core from the checkout (#{build_gem} --stage)"
  system(build_gem, "--stage", exception: false) or abort "trustbundle: #{build_gem} --stage failed (above)"
end
unless File.file?(File.join(core, "include", "trustbundle", "trustbundle.h")) && File.file?(wrapper)
  abort "trustbundle: the core sources or the SWIG wrapper are missing here (#{here}); " \
        "build the gem with bindings/ruby/build-gem, or stage a checkout with `bindings/ruby/build-gem --stage`"
end

# OpenSSL 3: pkg-config first, the plain library names as a fallback.
unless pkg_config("libssl") && pkg_config("libcrypto")
  have_library("crypto") && have_library("ssl") or abort "trustbundle: OpenSSL 3 (libssl, libcrypto) not found"
end
openssl3 = checking_for("OpenSSL >= 3.0 headers") do
  try_compile(<<~SRC)
    #include <openssl/opensslv.h>
    #include <openssl/x509.h>
    #if OPENSSL_VERSION_MAJOR < 3
    #error OpenSSL 3 is required
    #endif
    int main(void) { return 0; }
  SRC
end
abort "trustbundle: the OpenSSL headers are missing or older than 3.0 (Debian: libssl-dev)" unless openssl3

$INCFLAGS << " -I$(srcdir)/core/include -I$(srcdir)/core/src -I$(srcdir)/core/data"
# The core is C++17; only the C ABI and Init_native are exported.
$CXXFLAGS << " -std=c++17 -fvisibility=hidden -fvisibility-inlines-hidden"
# SWIG's Ruby runtime uses rb_* signatures Ruby's C++ headers mark deprecated.
$CXXFLAGS << " -Wno-deprecated-declarations"
# Export Init_native alone (not the C ABI, not libstdc++ template instances),
# where the linker takes a version script.
File.write("native.map", "{ global: Init_native; local: *; };\n")
append_ldflags("-Wl,--version-script=#{File.expand_path('native.map')}")
# One folder per subsystem (core/src/<subsystem>/) plus the command-line
# tool's (core/cli/, in the library: Trustbundle::Native.cli_main runs it);
# the file names are unique across them, so make finds each source through VPATH.
core_sources = (Dir[File.join(core, "src", "*", "*.cpp")] + Dir[File.join(core, "cli", "*.cpp")]).sort
core_sources.map { |f| File.dirname(f).delete_prefix("#{core}/") }.uniq.each { |sub| $VPATH << "$(srcdir)/core/#{sub}" }
$srcs = ["trustbundle_wrap.cxx"] + core_sources.map { |f| File.basename(f) }

create_makefile("trustbundle/native")
