# frozen_string_literal: true

# The shared real-client matrix (tests/matrix): its scenarios, and its
# servers (tests/matrix/serve.py, one HTTPS server per scenario on
# 127.0.0.1 plus a control port counting requests), started once per run on
# the run's PKI and stopped at its end (closing serve.py's standard input).
require "net/http"
require_relative "helper"

module MatrixSupport
  DIR = File.join(TestSupport::ROOT, "tests", "matrix")

  def self.scenarios
    @scenarios ||= JSON.parse(File.read(File.join(DIR, "scenarios.json")))["scenarios"].freeze
  end

  def self.scenario(name)
    scenarios.find { |s| s["name"] == name } or raise "no scenario #{name}"
  end

  # {"ports" => {scenario => port}, "control" => port}, serve.py started on first use.
  def self.servers
    @servers ||= begin
      io = IO.popen([TestSupport.python, File.join(DIR, "serve.py"), TestSupport.pki_dir], "r+")
      line = io.gets or raise "tests/matrix/serve.py exited before listening"
      Minitest.after_run do
        io.close_write
        io.close
      end
      JSON.parse(line).freeze
    end
  end

  module_function

  def port(name)
    MatrixSupport.servers.fetch("ports").fetch(name)
  end

  # The requests each scenario's server has received, read from the control port.
  def request_count(name)
    uri = URI("http://127.0.0.1:#{MatrixSupport.servers.fetch('control')}/requests")
    JSON.parse(Net::HTTP.get(uri)).fetch(name)
  end

  def extra_ca_paths(scenario)
    scenario.fetch("extra_ca").map { |f| File.join(TestSupport.pki_dir, f) }
  end

  # Trustbundle.verify of the served chain (the whole PEM file, leaf first),
  # for the scenario's host, now, with its extra CAs: nil when it verifies,
  # else the VerificationError.
  def verify_error(scenario)
    served = File.read(File.join(TestSupport.pki_dir, scenario.fetch("served")))
    Trustbundle.verify(served, host: scenario.fetch("host"), extra_ca: extra_ca_paths(scenario))
    nil
  rescue Trustbundle::VerificationError => e
    e
  end

  def url(scenario)
    host = scenario.fetch("host")
    "https://#{host}:#{port(scenario.fetch('name'))}/"
  end
end
