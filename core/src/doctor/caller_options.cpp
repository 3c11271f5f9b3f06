#include "doctor/caller_options.h"

#include "trustbundle/trustbundle.h"

namespace trustbundle {
namespace {

const CallerOptions kCli{
    [](const std::string& path) { return "--extra-ca " + path; },
    [](const std::string& name) { return "--servername " + name; },
    "--timeout",
    "--cert client.pem --key client.key",
};

const CallerOptions kPython{
    [](const std::string& path) { return "extra_ca=\"" + path + "\""; },
    [](const std::string& name) { return "servername=\"" + name + "\""; },
    "timeout=",
    "cert=\"client.pem\", key=\"client.key\"",
};

const CallerOptions kNode{
    [](const std::string& path) { return "{ extraCa: '" + path + "' }"; },
    [](const std::string& name) { return "{ servername: '" + name + "' }"; },
    "{ timeout }",
    "{ cert: 'client.pem', key: 'client.key' }",
};

const CallerOptions kRuby{
    [](const std::string& path) { return "extra_ca: \"" + path + "\""; },
    [](const std::string& name) { return "servername: \"" + name + "\""; },
    "timeout:",
    "cert: \"client.pem\", key: \"client.key\"",
};

const CallerOptions kGo{
    [](const std::string& path) { return "ExtraCA: []trustbundle.CASource{trustbundle.CAPath(\"" + path + "\")}"; },
    [](const std::string& name) { return "ServerName: \"" + name + "\""; },
    "DiagnoseOptions.Timeout",
    "ClientCert: \"client.pem\", ClientKey: \"client.key\"",
};

}  // namespace

const CallerOptions& caller_options(int language) {
  switch (language) {
    case TRUSTBUNDLE_LANGUAGE_PYTHON: return kPython;
    case TRUSTBUNDLE_LANGUAGE_NODE: return kNode;
    case TRUSTBUNDLE_LANGUAGE_RUBY: return kRuby;
    case TRUSTBUNDLE_LANGUAGE_GO: return kGo;
    default: return kCli;
  }
}

std::string extra_ca_fix(const CallerOptions& options, const std::string& path) {
  return "TRUSTBUNDLE_EXTRA_CA_CERTS=" + path + ", or " + options.extra_ca(path);
}

}  // namespace trustbundle
