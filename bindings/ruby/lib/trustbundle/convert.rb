# frozen_string_literal: true

module Trustbundle
  # Argument conversion shared by the public methods: Ruby values in, what
  # Trustbundle::Native takes out. Not a public API.
  module Convert # :nodoc:
    PEM_MARK = "-----BEGIN"

    module_function

    # A String holding PEM text ("PEM"), DER bytes ("DER"), or else a path (nil).
    # DER is binary: NUL bytes, or bytes that are not valid in the String's
    # encoding (File.read tags DER as UTF-8 but it never is), or a binary
    # String that is not plain ASCII. A path is none of these.
    def data_kind(str)
      return "PEM" if str.b.include?(PEM_MARK)
      return "DER" if str.include?("\0") || !str.valid_encoding?
      return "DER" if str.encoding == Encoding::BINARY && !str.ascii_only?

      nil
    end

    # extra_ca: a path (String or Pathname, a file or a directory), PEM text,
    # DER bytes, an OpenSSL::X509::Certificate, or an Array of those.
    # Returns [[:path, path] or [:data, bytes, name], ...] in order.
    def ca_sources(extra_ca, what = "extra_ca")
      return [] if extra_ca.nil?

      single = !extra_ca.is_a?(Array)
      items = single ? [extra_ca] : extra_ca
      items.each_with_index.map do |item, i|
        label = single ? what : "#{what}[#{i}]"
        if item.is_a?(OpenSSL::X509::Certificate)
          [:data, item.to_der, "#{label} (certificate)"]
        elsif item.respond_to?(:to_path)
          [:path, item.to_path]
        elsif item.is_a?(String)
          kind = data_kind(item)
          raise ArgumentError, "#{label}: an empty string is neither a path nor PEM text" if item.empty?

          kind ? [:data, item, "#{label} (#{kind})"] : [:path, item]
        else
          raise TypeError, "#{label}: expected a path, PEM text, DER bytes or an OpenSSL::X509::Certificate, " \
                           "not #{item.class}"
        end
      end
    end

    # One certificate of a chain: PEM or DER String, or an OpenSSL::X509::Certificate.
    def cert_bytes(item, label)
      return item.to_der if item.is_a?(OpenSSL::X509::Certificate)
      return item if item.is_a?(String)

      raise TypeError, "#{label}: expected PEM or DER (a String) or an OpenSSL::X509::Certificate, not #{item.class}"
    end

    # The chain, leaf first: an Array (or other Enumerable) of certificates,
    # one certificate, or one String holding a whole PEM chain.
    def chain_buffers(chain)
      return [cert_bytes(chain, "chain")] if chain.is_a?(String) || chain.is_a?(OpenSSL::X509::Certificate)
      unless chain.respond_to?(:to_a)
        raise TypeError, "chain: expected certificates (an Array), or one PEM String, not #{chain.class}"
      end

      items = chain.to_a
      raise ArgumentError, "chain: empty, it needs at least the leaf certificate" if items.empty?

      items.each_with_index.map { |c, i| cert_bytes(c, "chain[#{i}]") }
    end

    # A time: Time (or anything with #to_time), Unix seconds (Integer or
    # Float, floored), or an RFC 3339 UTC String ("2026-06-01T00:00:00Z").
    def seconds(at, label = "at")
      case at
      when nil then nil
      when Integer then at
      when Float
        raise ArgumentError, "#{label}: #{at} is not a time" unless at.finite?

        at.floor
      when Time then at.to_i
      when String
        begin
          Native.time_parse(at)
        rescue ParseError => e
          raise ParseError.new("#{label}: #{e.message}", status: e.status, openssl_code: e.openssl_code)
        end
      else
        return at.to_time.to_i if at.respond_to?(:to_time)

        raise TypeError, "#{label}: expected a Time, Unix seconds or an RFC 3339 String, not #{at.class}"
      end
    end

    def purpose(purpose)
      case purpose
      when :server, "server" then Native::PURPOSE_SERVER
      when :client, "client" then Native::PURPOSE_CLIENT
      else raise ArgumentError, "purpose: expected :server or :client, not #{purpose.inspect}"
      end
    end

    # A DNS name or an IP literal (String or IPAddr; "[::1]" is taken as ::1);
    # nil for no name check ("" is an error).
    def host(host)
      return nil if host.nil?
      return host.to_s if defined?(IPAddr) && host.is_a?(IPAddr)
      raise TypeError, "host: expected a String, not #{host.class}" unless host.is_a?(String)
      # An empty name is a mistake (URI(u).host of a bad URL), not a way to
      # skip the check: that takes host: nil, said explicitly.
      raise ArgumentError, "host: empty string; pass host: nil to skip the name check" if host.empty?

      host.start_with?("[") && host.end_with?("]") ? host[1..-2] : host
    end

    # A certificate or key for check_key_pair: PEM or DER String, an OpenSSL
    # object, or a path (String or Pathname) to read.
    def input_bytes(value, label)
      return value.to_der if value.is_a?(OpenSSL::X509::Certificate)
      return value.private_to_der if value.is_a?(OpenSSL::PKey::PKey) && value.respond_to?(:private_to_der)
      return value.to_der if value.is_a?(OpenSSL::PKey::PKey)
      return read_file(value.to_path, label) if value.respond_to?(:to_path)
      unless value.is_a?(String)
        raise TypeError, "#{label}: expected PEM or DER (a String), a path or an OpenSSL object, not #{value.class}"
      end
      return value if value.empty? || data_kind(value)

      read_file(value, label)
    end

    def read_file(path, label)
      File.binread(path)
    rescue SystemCallError => e
      reason = e.message.sub(/ @ .*\z/m, "").sub(/ - .*\z/m, "")
      raise FileError.new("#{label}: cannot read '#{path}': #{reason}", status: "IO")
    end

    PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----/m.freeze
    CERT_CACHE_SIZE = 64
    @cert_cache = {}
    @cert_cache_lock = Mutex.new

    # Every certificate of a PEM text (the core's extra_pem, already
    # validated), as OpenSSL::X509::Certificate objects for
    # OpenSSL::X509::Store#add_cert. Parsing a certificate costs ~0.1 ms in
    # OpenSSL 3, more than the rest of cert_store, so the objects are kept
    # by their exact PEM text: the sources are still read at every call (a
    # changed file is new text), only identical bytes are not parsed twice.
    # The objects go into stores only, never back to the caller.
    def pem_certificates(pem)
      return [] if pem.nil? || pem.empty?

      pem.scan(PEM_CERTIFICATE).map do |block|
        @cert_cache_lock.synchronize { @cert_cache[block] } || begin
          cert = OpenSSL::X509::Certificate.new(block).freeze
          @cert_cache_lock.synchronize do
            @cert_cache.clear if @cert_cache.size >= CERT_CACHE_SIZE
            @cert_cache[block.freeze] = cert
          end
        end
      end
    end
  end
end
