// The one exception type used inside the core. The C boundary turns it into
// a status code plus a filled trustbundle_error; it never crosses extern "C".
#pragma once

#include <stdexcept>
#include <string>

#include "trustbundle/trustbundle.h"

namespace trustbundle {

class Error : public std::runtime_error {
 public:
  Error(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

inline Error parse_error(const std::string& where, const std::string& what) {
  return Error(TRUSTBUNDLE_E_PARSE, where + ": " + what);
}

inline Error io_error(const std::string& what) { return Error(TRUSTBUNDLE_E_IO, what); }

inline Error invalid_argument(const std::string& what) {
  return Error(TRUSTBUNDLE_E_INVALID_ARGUMENT, what);
}

}  // namespace trustbundle
