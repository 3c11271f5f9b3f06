# frozen_string_literal: true

# Shared set-up of the Ruby suite: loads the installed trustbundle gem
# (ci/test-ruby installs it into a GEM_HOME first) and generates a fresh test
# PKI (tests/pki/generate.py) once per run, removed at the end.
require "minitest/autorun"
require "fileutils"
require "json"
require "open3"
require "rbconfig"
require "tmpdir"
require "trustbundle"

module TestSupport
  ROOT = File.expand_path("../..", __dir__)
  VECTORS = File.join(ROOT, "tests", "vectors", "verify.json")
  PEM_BLOCK = /-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?/m.freeze
  AT = "2026-06-01T00:00:00Z"

  # The interpreter that has `cryptography`: $TRUSTBUNDLE_PKI_PYTHON, else
  # ci/setup's venv, else python3.
  def self.python
    ENV["TRUSTBUNDLE_PKI_PYTHON"] ||
      [File.join(ROOT, "build", "venv", "bin", "python")].find { |p| File.executable?(p) } || "python3"
  end

  # The PKI directory, generated on first use, once per process.
  def self.pki_dir
    @pki_dir ||= begin
      dir = Dir.mktmpdir("tbrb-pki-")
      Minitest.after_run { FileUtils.rm_rf(dir) }
      out, status = Open3.capture2e(python, File.join(ROOT, "tests", "pki", "generate.py"), dir)
      raise "tests/pki/generate.py failed (#{python}): #{out}" unless status.success?

      dir.freeze
    end
  end

  module_function

  def pki
    TestSupport.pki_dir
  end

  def path(name)
    File.join(pki, name)
  end

  def read(name)
    File.read(path(name))
  end

  # Every certificate of the given PEM files, leaf first, one PEM String each.
  def chain(*files)
    files.flat_map do |f|
      blocks = read(f).scan(PEM_BLOCK)
      raise "no certificate in #{f}" if blocks.empty?

      blocks
    end
  end

  # Runs the block with environment variables set (nil: unset), then restores them.
  def with_env(vars)
    saved = vars.keys.to_h { |k| [k, ENV[k]] }
    vars.each { |k, v| v.nil? ? ENV.delete(k) : ENV[k] = v }
    yield
  ensure
    saved&.each { |k, v| v.nil? ? ENV.delete(k) : ENV[k] = v }
  end

  # The installed gem's executable.
  def exe
    Gem::Specification.find_by_name("trustbundle").bin_file("trustbundle")
  end

  # Runs `trustbundle ARGS`; returns [stdout, stderr, exit code].
  def run_exe(*args, env: {})
    out, err, status = Open3.capture3(env, RbConfig.ruby, exe, *args)
    [out, err, status.exitstatus]
  end
end

# ci/test-ruby: the suite must test the gem it has just installed.
if (home = ENV["TRUSTBUNDLE_RUBY_GEM_HOME"])
  gem_dir = Gem.loaded_specs.fetch("trustbundle").full_gem_path
  unless gem_dir.start_with?(File.join(File.realpath(home), ""))
    abort "tests/ruby: trustbundle was loaded from #{gem_dir}, not from #{home}"
  end
end

# The embedded-roots-only cases must not see a variable from the caller's shell.
ENV.delete("TRUSTBUNDLE_EXTRA_CA_CERTS")
# The tool's where and capath write into the cache: a private one, never the user's home.
ENV["TRUSTBUNDLE_CACHE_DIR"] = Dir.mktmpdir("tbrb-cache-").tap { |dir| Minitest.after_run { FileUtils.rm_rf(dir) } }
TestSupport.pki_dir
