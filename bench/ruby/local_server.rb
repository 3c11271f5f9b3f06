# frozen_string_literal: true

# The Ruby benchmarks' TLS server: a separate process on 127.0.0.1 serving a
# leaf, its key and one intermediate (the test PKI's server-localhost), so
# its work does not share the measured process. Answers a GET with 200 "ok"
# and closes; a lone byte (a bare TLS round) is just read.
require "rbconfig"

module LocalServer
  SCRIPT = <<~'RUBY'
    require "openssl"
    require "socket"
    leaf, key, chain = ARGV
    ctx = OpenSSL::SSL::SSLContext.new
    ctx.cert = OpenSSL::X509::Certificate.new(File.read(leaf))
    ctx.key = OpenSSL::PKey.read(File.read(key))
    ctx.extra_chain_cert = [OpenSSL::X509::Certificate.new(File.read(chain))]
    tcp = TCPServer.new("127.0.0.1", 0)
    server = OpenSSL::SSL::SSLServer.new(tcp, ctx)
    $stdout.puts tcp.addr[1]
    $stdout.flush
    loop do
      begin
        conn = server.accept # the handshake
        request = conn.readpartial(4096)
        if request.start_with?("GET ") # Net::HTTP; the bare TLS rows send one byte and close
          request << conn.readpartial(4096) until request.include?("\r\n\r\n")
          conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        end
        conn.close
      rescue OpenSSL::SSL::SSLError, SystemCallError, EOFError, IOError
        next
      end
    end
  RUBY

  # Starts the server for PKI_DIR's server-localhost chain; yields its port,
  # stops it afterwards.
  def self.run(pki)
    dir = File.join(pki, "server-localhost")
    server = IO.popen([RbConfig.ruby, "-e", SCRIPT, File.join(dir, "leaf.pem"), File.join(dir, "leaf.key"),
                       File.join(dir, "chain.pem")])
    begin
      yield Integer(server.gets)
    ensure
      Process.kill("TERM", server.pid)
      server.close
    end
  end
end
