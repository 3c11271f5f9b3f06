# frozen_string_literal: true

module Trustbundle
  # One root of the embedded bundle, with the metadata a PEM file cannot carry.
  #
  # label:: Mozilla's CKA_LABEL.
  # sha256, sha1:: fingerprints of the DER, lowercase hex without separators.
  # subject, issuer:: "CN=... O=... OU=...", certifi's form.
  # serial:: Integer.
  # not_before, not_after:: Time (UTC).
  # server_trust, email_trust:: :trusted, :must_verify, :not_trusted or :none.
  # server_distrust_after:: Time, or nil: leaves issued after it are rejected.
  # der:: the certificate, DER (binary String).
  Root = Struct.new(:label, :sha256, :sha1, :subject, :issuer, :serial, :not_before, :not_after,
                    :server_trust, :email_trust, :server_distrust_after, :der, keyword_init: true) do
    # The certificate as an OpenSSL::X509::Certificate.
    def certificate
      OpenSSL::X509::Certificate.new(der)
    end

    # The certificate as PEM text.
    def to_pem
      certificate.to_pem
    end

    def inspect
      "#<Trustbundle::Root #{label.inspect} sha256=#{sha256}>"
    end
    alias_method :to_s, :inspect
  end

  TRUST_NAMES = { 0 => :none, 1 => :trusted, 2 => :must_verify, 3 => :not_trusted }.freeze
  private_constant :TRUST_NAMES

  @roots = nil

  class << self
    # The embedded roots, in Mozilla's certdata order (a new Array of frozen Roots).
    def roots
      @roots ||= Array.new(Native.root_count) { |i| make_root(Native.root_get(i)) }.freeze
      @roots.dup
    end

    private

    def make_root(h)
      distrust = h[:server_distrust_after]
      Root.new(label: h[:label].freeze, sha256: h[:sha256].freeze, sha1: h[:sha1].freeze,
               subject: h[:subject].freeze, issuer: h[:issuer].freeze, serial: Integer(h[:serial], 10),
               not_before: Time.at(h[:not_before]).utc.freeze, not_after: Time.at(h[:not_after]).utc.freeze,
               server_trust: TRUST_NAMES.fetch(h[:server_trust], :none),
               email_trust: TRUST_NAMES.fetch(h[:email_trust], :none),
               server_distrust_after: distrust && Time.at(distrust).utc.freeze,
               der: h[:der].freeze).freeze
    end
  end
end
