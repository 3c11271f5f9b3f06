# frozen_string_literal: true

# The whole Ruby suite in one process (one minitest summary line):
#   ruby -Itests/ruby tests/ruby/all.rb
# ci/test-ruby runs it against the gem it has just built and installed.
Dir[File.join(__dir__, "test_*.rb")].sort.each { |f| require f }
