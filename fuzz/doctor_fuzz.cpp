// The doctor's handling of what a server sends: the input is the server's
// side of the conversation, written into one end of a socket pair and then
// closed; the doctor's client handshakes over the other end, judges any
// chain it captured and renders the report. It must end (EOF, never the
// deadline), never crash, and produce a consistent report.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "doctor/doctor.h"
#include "doctor/doctor_render.h"
#include "fixed_pki.h"
#include "fuzz_check.h"
#include "harness.h"
#include "trustbundle/trustbundle.h"

namespace tbfuzz {
namespace {

// What one socket buffer surely holds, so the write below never blocks.
constexpr size_t kMaxServerBytes = 64 * 1024;

const trustbundle::TrustStore& doctor_store() {
  static const std::shared_ptr<const trustbundle::TrustStore> store = [] {
    trustbundle::StoreConfig config;
    config.env = false;  // the environment must not change what a crash input does
    config.add_data(kRootPem, "fixed root");
    return trustbundle::TrustStore::build(config);
  }();
  return *store;
}

struct SocketPair {
  int client = -1;
  int server = -1;
  ~SocketPair() {
    if (client >= 0) ::close(client);
    if (server >= 0) ::close(server);
  }
};

void check_report(const trustbundle::DoctorReport& r) {
  TB_FUZZ_CHECK(r.verdict == TRUSTBUNDLE_VERDICT_OK || r.verdict == TRUSTBUNDLE_VERDICT_REJECTED ||
                    r.verdict == TRUSTBUNDLE_VERDICT_UNREACHABLE,
                "verdict out of range");
  TB_FUZZ_CHECK(!r.label.empty() && !r.message.empty(), "a verdict without a label or a message");
  TB_FUZZ_CHECK(r.served.size() == r.tls.chain_der.size(), "served and captured chains differ");
  TB_FUZZ_CHECK(r.verified == !r.served.empty(), "verified without a chain, or a chain not judged");
  // Nobody holds the fixed chain's keys: a handshake cannot complete here.
  TB_FUZZ_CHECK(r.verdict != TRUSTBUNDLE_VERDICT_OK, "a server without keys passed the doctor");
  if (r.verdict == TRUSTBUNDLE_VERDICT_UNREACHABLE)
    TB_FUZZ_CHECK(r.failure != TRUSTBUNDLE_FAILURE_NONE, "unreachable without a failure");
  for (size_t i = 1; i < r.findings.size(); ++i)
    TB_FUZZ_CHECK(r.findings[i - 1].severity >= r.findings[i].severity, "findings not sorted by severity");
  for (const trustbundle::Finding& f : r.findings) TB_FUZZ_CHECK(!f.message.empty(), "a finding without words");

  const std::string text = trustbundle::render_doctor_text(r);
  const std::string json = trustbundle::render_doctor_json(r);
  TB_FUZZ_CHECK(!text.empty() && valid_utf8(text), "the text report is empty or not UTF-8");
  const size_t end = json.find_last_not_of("\n");
  TB_FUZZ_CHECK(json.size() > 2 && json.front() == '{' && end != std::string::npos && json[end] == '}' &&
                    valid_utf8(json),
                "the JSON report is malformed");
}

}  // namespace

int doctor(const uint8_t* data, size_t size) {
  if (size > kMaxServerBytes) return 0;
  SocketPair pair;
  int fds[2];
  TB_FUZZ_CHECK(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0, "socketpair");
  pair.client = fds[0];
  pair.server = fds[1];
  TB_FUZZ_CHECK(::fcntl(pair.client, F_SETFL, ::fcntl(pair.client, F_GETFL) | O_NONBLOCK) == 0, "O_NONBLOCK");
  for (size_t done = 0; done < size;) {
    ssize_t n = ::write(pair.server, data + done, size - done);
    TB_FUZZ_CHECK(n > 0, "writing the server bytes");
    done += static_cast<size_t>(n);
  }
  ::shutdown(pair.server, SHUT_WR);  // the server has said all it will say

  trustbundle::DoctorRequest request;
  request.target = "fuzz.example.test:443";  // the fixed leaf's name
  request.timeout_ms = 5000;                  // never reached: EOF ends every handshake
  trustbundle::DoctorReport report;
  TB_FUZZ_CHECK(accepts([&] { report = trustbundle::run_doctor_on_socket(doctor_store(), request, pair.client); }, {}),
                "the doctor refused what a server sent");
  check_report(report);
  return 0;
}

}  // namespace tbfuzz
