// Handle types shared by more than one C boundary file.
#pragma once

#include <memory>

#include "verify/trust_store.h"

struct trustbundle_store {
  std::shared_ptr<const trustbundle::TrustStore> store;
};
