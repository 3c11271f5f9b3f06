#include "doctor/handshake_diagnosis.h"

#include "doctor/caller_options.h"

namespace trustbundle {
namespace {

std::string accepted_cas(const TlsCapture& tls) {
  if (tls.acceptable_cas.empty()) return "";
  std::string list;
  for (const std::string& ca : tls.acceptable_cas) list += (list.empty() ? "" : ", ") + quoted(ca);
  return " (the server accepts certificates issued by " + list + ")";
}

Finding connection_failed(int failure, const std::string& message, const TlsCapture& tls, const HandshakeContext& ctx) {
  Finding f{TRUSTBUNDLE_FINDING_CONNECTION_FAILED, TRUSTBUNDLE_SEVERITY_ERROR, -1, message, "", ""};
  switch (failure) {
    case TRUSTBUNDLE_FAILURE_DNS:
      f.fix_client = "check the spelling of " + quoted(ctx.host) + " and this machine's DNS settings (resolver, VPN)";
      f.fix_server = "publish a DNS record (A/AAAA) for " + quoted(ctx.host);
      break;
    case TRUSTBUNDLE_FAILURE_CONNECTION_REFUSED:
      f.fix_client = "check the host and the port (HTTPS is usually 443): nothing listens on " + ctx.endpoint;
      f.fix_server = "start the TLS service on " + ctx.endpoint + ", or open the port in the firewall";
      break;
    case TRUSTBUNDLE_FAILURE_TIMEOUT:
      f.fix_client = "check firewalls and proxies between this machine and " + ctx.endpoint +
                     ", or give it more time with " + caller_options(ctx.language).timeout;
      f.fix_server = "check that the service on " + ctx.endpoint + " is up, not overloaded, and speaks TLS";
      break;
    case TRUSTBUNDLE_FAILURE_NETWORK:
      f.fix_client = "check the network route to " + ctx.endpoint + " (VPN, proxy, firewall)";
      f.fix_server = "check that " + ctx.endpoint + " is reachable from outside";
      break;
    case TRUSTBUNDLE_FAILURE_PLAIN_HTTP:
      f.fix_client = "this port speaks plain HTTP: use http://" + ctx.endpoint + "/ or the TLS port (usually 443)";
      f.fix_server = "enable TLS on this port, or serve HTTPS on its own port";
      break;
    case TRUSTBUNDLE_FAILURE_NOT_TLS:
      f.fix_client = "this port runs another protocol: check the port number";
      f.fix_server = "serve TLS on this port, or tell clients the right port";
      break;
    case TRUSTBUNDLE_FAILURE_HANDSHAKE_ALERT:
      if (tls.alert == 112) {  // unrecognized_name
        f.fix_client = "the server does not know the name " + quoted(ctx.servername) + ": check " + caller_options(ctx.language).servername(ctx.servername);
        f.fix_server = "configure a certificate (virtual host) for " + quoted(ctx.servername);
      } else if (tls.alert == 70 || tls.alert == 71) {  // protocol_version, insufficient_security
        f.fix_server = "enable TLS 1.2 and TLS 1.3 with current cipher suites";
      } else {
        f.fix_server = "the server's TLS log says why it refused the handshake: check its protocol, cipher and "
                       "certificate configuration";
      }
      break;
    default:
      f.fix_server = "check the TLS configuration of the service on " + ctx.endpoint + " (its log says why)";
      break;
  }
  return f;
}

void client_cert_findings(const TlsCapture& tls, const HandshakeContext& ctx, std::vector<Finding>& out) {
  if (!tls.cert_requested) return;
  if (tls.failure == TRUSTBUNDLE_FAILURE_CLIENT_CERT) {
    std::string why = tls.alert >= 0 ? " (alert " + alert_name(tls.alert) + ")" : "";
    if (!tls.cert_offered) {
      out.push_back({TRUSTBUNDLE_FINDING_CLIENT_CERT_REQUIRED, TRUSTBUNDLE_SEVERITY_ERROR, -1,
                     "the server requires a client certificate (mTLS) and none was offered" + why,
                     "pass a client certificate and its key: " + std::string(caller_options(ctx.language).client_cert) +
                         accepted_cas(tls),
                     "if clients may connect without a certificate, make client authentication optional"});
    } else {
      out.push_back({TRUSTBUNDLE_FINDING_CLIENT_CERT_REJECTED, TRUSTBUNDLE_SEVERITY_ERROR, -1,
                     "the server rejected the client certificate " + quoted(ctx.client_name) + why,
                     "use a client certificate the server trusts" + accepted_cas(tls),
                     "if " + quoted(ctx.client_name) + " should be accepted, add its issuing CA to the server's "
                     "trusted client CAs"});
    }
    return;
  }
  if (tls.failure != TRUSTBUNDLE_FAILURE_NONE) return;
  out.push_back({TRUSTBUNDLE_FINDING_CLIENT_CERT_REQUESTED, TRUSTBUNDLE_SEVERITY_INFO, -1,
                 tls.cert_offered ? "the server asked for a client certificate and accepted " + quoted(ctx.client_name)
                                  : "the server asks for a client certificate but does not require one" +
                                        accepted_cas(tls),
                 "", ""});
}

}  // namespace

std::vector<Finding> diagnose_handshake(int failure, const std::string& failure_message, const TlsCapture& tls,
                                        const HandshakeContext& ctx) {
  std::vector<Finding> out;
  if (failure != TRUSTBUNDLE_FAILURE_NONE && failure != TRUSTBUNDLE_FAILURE_CLIENT_CERT)
    out.push_back(connection_failed(failure, failure_message, tls, ctx));
  client_cert_findings(tls, ctx, out);
  if (tls.protocol == "TLSv1" || tls.protocol == "TLSv1.1" || tls.protocol == "SSLv3")
    out.push_back({TRUSTBUNDLE_FINDING_OLD_PROTOCOL, TRUSTBUNDLE_SEVERITY_WARNING, -1,
                   "the server negotiated " + tls.protocol + ", which current clients refuse by default", "",
                   "enable TLS 1.2 and TLS 1.3"});
  return out;
}

}  // namespace trustbundle
