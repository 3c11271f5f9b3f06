# frozen_string_literal: true

# What the Ruby benchmarks share: the test PKI, timing and side-by-side
# medians. Top-level helpers: these are scripts, not a library.
require "open3"

REPO = File.expand_path("../..", __dir__)

# Writes the test PKI (tests/pki/generate.py, which needs `cryptography`:
# $TRUSTBUNDLE_PKI_PYTHON, else ci/setup's venv, else python3) into dir.
def generate_pki(dir)
  python = ENV["TRUSTBUNDLE_PKI_PYTHON"] || File.join(REPO, "build", "venv", "bin", "python")
  python = "python3" unless File.executable?(python)
  out, status = Open3.capture2e(python, File.join(REPO, "tests", "pki", "generate.py"), dir)
  abort "bench: tests/pki/generate.py failed: #{out}" unless status.success?
end

def median_ms(times)
  sorted = times.sort
  mid = sorted.size / 2
  (sorted.size.odd? ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0) * 1000
end

def clock
  Process.clock_gettime(Process::CLOCK_MONOTONIC)
end

def timed
  t0 = clock
  yield
  clock - t0
end

# Runs the two sides in alternating blocks of BLOCK calls (so drift and noise
# hit both alike); medians in ms. The garbage is collected, untimed, at each
# block's start: Ruby frees an X509::Store (the anchor's holds every root)
# whenever its GC next runs, which would otherwise land in the other side's
# block.
BLOCK = 10

def measure(rounds, ours, anchor)
  a = []
  b = []
  rounds.times do
    GC.start
    BLOCK.times { a << timed(&ours) }
    GC.start
    BLOCK.times { b << timed(&anchor) }
  end
  [median_ms(a), median_ms(b)]
end

