# frozen_string_literal: true

module Trustbundle
  # The gem's data directory: cacert.pem and capath/, generated from the core.
  DATA_DIR = File.expand_path("../../data", __dir__)

  class << self
    # Path of Mozilla's roots as one PEM file, in certifi's cacert.pem layout.
    #
    # The gem ships the file. Without it (a copy of lib/ alone) the core writes
    # the bundle once, atomically, into the user cache
    # ($TRUSTBUNDLE_CACHE_DIR, else $XDG_CACHE_HOME/trustbundle, else
    # ~/.cache/trustbundle) and that path is returned.
    def where
      shipped_or_materialized("cacert.pem", :file?) { Native.materialize(nil) }
    end

    # Path of a hashed CA directory (`openssl rehash` names) holding the same
    # roots. Give it to OpenSSL::X509::Store#add_path (or curl --capath):
    # OpenSSL then reads only the roots a handshake needs.
    def capath
      shipped_or_materialized("capath", :directory?) { Native.capath_export(nil) }
    end

    # The text of .where: Mozilla's roots as PEM, in certifi's layout (UTF-8:
    # the comments carry Mozilla's labels).
    def contents
      File.binread(where).force_encoding(Encoding::UTF_8)
    end

    # The bundle's identity, "<NSS version>/<as_of>", e.g. "2.86/2026-11-22T00:00:00Z".
    def bundle_version
      Native.bundle_version
    end

    # The instant Mozilla's data was curated at (UTC), the bundle's as_of.
    def bundle_as_of
      Time.at(Native.bundle_as_of).utc
    end

    # Whole days from bundle_as_of to at (default now; Time, Unix seconds or
    # RFC 3339), 0 before it. Past 180 days the bundle is stale: a newer
    # trustbundle carries Mozilla's newer roots.
    def bundle_age_days(at = nil)
      Native.bundle_age_days(Convert.seconds(at) || Time.now.to_i)
    end

    # The version of the native core compiled into the extension.
    def library_version
      Native.version
    end

    private

    # The cache is asked anew each time: the core re-checks it (private,
    # content intact) before a path reaches a TLS stack.
    def shipped_or_materialized(name, test)
      shipped = File.join(DATA_DIR, name)
      return shipped if File.public_send(test, shipped)

      yield.freeze
    end
  end
end
