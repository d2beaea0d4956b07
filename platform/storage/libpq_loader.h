#ifndef OMS_PLATFORM_STORAGE_LIBPQ_LOADER_H_
#define OMS_PLATFORM_STORAGE_LIBPQ_LOADER_H_

// libpq, opened on first use instead of linked. Linked, every binary mapped it, and the
// Kerberos, LDAP, SASL and GnuTLS libraries it pulls in (with their constructors), in every
// process, also the SQLite ones that never open a PostgreSQL store. libpq_loader.cc defines
// the PQ* functions the engine calls, each forwarding to libpq's own, so the engine's code
// calls libpq as usual. Internal to platform/storage (and its test server).

#include "absl/status/status.h"

namespace oms::libpq {

// Opens libpq (once; later calls answer the first outcome). FAILED_PRECONDITION naming the
// loader's error when it is not installed (Debian's libpq5). Call before any PQ* function:
// a PQ* call without libpq aborts the process with that error.
absl::Status Load();

}  // namespace oms::libpq

#endif  // OMS_PLATFORM_STORAGE_LIBPQ_LOADER_H_
