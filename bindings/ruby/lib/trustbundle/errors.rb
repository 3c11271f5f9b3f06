# frozen_string_literal: true

require "openssl"

module Trustbundle
  # Base class of every error trustbundle raises.
  #
  # #status is the core's status name ("PARSE", "IO", "LIMIT", ...), or nil
  # for an error that is not a core status (a rejected chain). #openssl_code
  # is OpenSSL's error or verify code when one was involved, else 0.
  #
  # The native extension raises the subclass of a failed call's status
  # (trustbundle.i, tb_raise); the message says what failed and where.
  class Error < StandardError
    attr_reader :status, :openssl_code

    def initialize(message = nil, status: nil, openssl_code: 0)
      super(message)
      @status = status
      @openssl_code = openssl_code
    end
  end

  # Malformed input: a certificate, key, CA source or time that does not
  # parse. The message names the input ("chain element 1", a path, ...).
  class ParseError < Error; end

  # A file or directory could not be read or written (status "IO").
  class FileError < Error; end

  # An input is over one of the core's documented limits (size, chain length, depth).
  class LimitError < Error; end

  # A private key needs a passphrase and none was given, or the one given is wrong.
  class PassphraseError < Error; end

  # An argument the core rejects (an empty path, an option out of range).
  class InvalidArgumentError < Error; end

  # No such entry (an index past the end).
  class NotFoundError < Error; end

  # An output buffer was too small (a path longer than the binding's buffer).
  class BufferTooSmallError < Error; end

  # A bug or an allocation failure in the core.
  class InternalError < Error; end

  # A certificate chain was rejected: by Trustbundle.verify, or on the TLS
  # path (Net::HTTP and open-uri through Trustbundle.http, .configure or
  # .inject!), where it is raised by the handshake itself.
  #
  # An OpenSSL::SSL::SSLError, so code that rescues TLS failures catches it;
  # `rescue Trustbundle::Error` catches it too (Error.=== below), as it did
  # when it was a subclass of Error.
  #
  # #reason is the core's reason name, the same in every language
  # ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED",
  # "HOSTNAME_MISMATCH", "ROOT_DISTRUSTED", ...), #reason_code its number,
  # #depth the depth of the failing certificate (0 = the leaf), #hint one line
  # saying how to fix it (also in #message), #verify_message OpenSSL's text
  # and #openssl_code its X509_V_ERR_* code (0 for ROOT_DISTRUSTED,
  # trustbundle's own check), #host the name that was checked or nil.
  class VerificationError < OpenSSL::SSL::SSLError
    attr_reader :reason, :reason_code, :depth, :hint, :verify_message, :host, :status, :openssl_code

    def initialize(reason:, reason_code:, depth:, message:, hint:, openssl_code:, host: nil)
      text = +"certificate verify failed: #{reason} at depth #{depth}"
      text << ": #{message}" unless message.empty?
      text << " (hint: #{hint})" unless hint.empty?
      super(text)
      @status = nil
      @openssl_code = openssl_code
      @reason = reason
      @reason_code = reason_code
      @depth = depth
      @hint = hint
      @verify_message = message
      @host = host
    end
  end

  # A TLS connection that trustbundle manages completed without the core's
  # check having run for it (the verify callback was not reached, or a
  # resumed session carried no chain). The connection is closed before any
  # data: trustbundle never lets an unchecked connection through.
  class NotVerifiedError < OpenSSL::SSL::SSLError; end

  class Error
    # `rescue Trustbundle::Error` also catches VerificationError, which is an
    # OpenSSL::SSL::SSLError (Ruby has one superclass per class).
    def self.===(other)
      super || (equal?(Error) && other.is_a?(VerificationError))
    end
  end
end
