# frozen_string_literal: true

module Trustbundle
  # The gem's version (the core's version is Trustbundle.library_version).
  VERSION = "0.1.0"
end
