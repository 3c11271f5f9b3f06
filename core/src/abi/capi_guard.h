// The C boundary's exception firewall: runs a body and turns any exception
// into a status plus a filled trustbundle_error. Every extern "C" entry that
// can fail goes through guarded().
#pragma once

#include <new>
#include <stdexcept>
#include <string>

#include "base/errors.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle {

// Argument checks shared by the boundary files: a false condition is
// TRUSTBUNDLE_E_INVALID_ARGUMENT with `what` as the message.
inline void require(bool ok, const char* what) {
  if (!ok) throw invalid_argument(what);
}

// Caller-owned input bytes as a string (NULL with length 0 is empty).
// Callers check len with within_limit first: a wrong length must fail
// before anything reads that far.
inline std::string bytes(const unsigned char* data, size_t len) {
  return data != nullptr ? std::string(reinterpret_cast<const char*>(data), len) : std::string();
}

// TRUSTBUNDLE_E_LIMIT naming `what` when len is over limit.
inline void within_limit(size_t len, size_t limit, const std::string& what) {
  if (len > limit)
    throw Error(TRUSTBUNDLE_E_LIMIT, what + ": " + std::to_string(len) + " bytes is over the input limit of " +
                                         std::to_string(limit));
}

// Fills *error (if not NULL) and returns status.
int fail(trustbundle_error* error, int status, const std::string& message);

template <typename Body>
int guarded(trustbundle_error* error, Body&& body) noexcept {
  try {
    body();
    return TRUSTBUNDLE_OK;
  } catch (const Error& e) {
    return fail(error, e.status(), e.what());
  } catch (const std::bad_alloc&) {
    return fail(error, TRUSTBUNDLE_E_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return fail(error, TRUSTBUNDLE_E_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(error, TRUSTBUNDLE_E_INTERNAL, "internal error");
  }
}

}  // namespace trustbundle
