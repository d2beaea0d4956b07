#include "platform/storage/libpq_loader.h"

#include <dlfcn.h>
#include <postgresql/libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/base/call_once.h"
#include "absl/strings/str_cat.h"

namespace oms::libpq {
namespace {

constexpr char kLibrary[] = "libpq.so.5";

struct Loaded {
  void* handle = nullptr;
  std::string error;
};

const Loaded& Library() {
  static absl::once_flag once;
  static Loaded* loaded = new Loaded();
  absl::call_once(once, [] {
    loaded->handle = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (loaded->handle == nullptr) {
      const char* error = dlerror();
      loaded->error = error != nullptr ? error : "unknown error";
    }
  });
  return *loaded;
}

[[noreturn]] void Abort(const std::string& why) {
  std::fprintf(stderr, "PostgreSQL client library: %s\n", why.c_str());
  std::abort();
}

// For the forwarding functions below: only this file calls it.
void* Symbol(const char* name) {
  const Loaded& library = Library();
  if (library.handle == nullptr) Abort(absl::StrCat(kLibrary, ": ", library.error));
  void* symbol = dlsym(library.handle, name);
  if (symbol == nullptr) Abort(absl::StrCat(kLibrary, " has no ", name));
  return symbol;
}

}  // namespace

absl::Status Load() {
  const Loaded& library = Library();
  if (library.handle != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "PostgreSQL stores need libpq (Debian's libpq5): ", kLibrary, ": ", library.error));
}

}  // namespace oms::libpq

// libpq's own function `name`, looked up once (each use below is its own lambda, so its own
// cached pointer).
#define OMS_LIBPQ(name)                                                                     \
  ([] {                                                                                     \
    static auto* function = reinterpret_cast<decltype(&::name)>(oms::libpq::Symbol(#name)); \
    return function;                                                                        \
  }())

extern "C" {

PGconn* PQconnectdb(const char* conninfo) { return OMS_LIBPQ(PQconnectdb)(conninfo); }
PGconn* PQconnectdbParams(const char* const* keywords, const char* const* values,
                          int expand_dbname) {
  return OMS_LIBPQ(PQconnectdbParams)(keywords, values, expand_dbname);
}
PGPing PQping(const char* conninfo) { return OMS_LIBPQ(PQping)(conninfo); }
void PQfinish(PGconn* conn) { OMS_LIBPQ(PQfinish)(conn); }
ConnStatusType PQstatus(const PGconn* conn) { return OMS_LIBPQ(PQstatus)(conn); }
char* PQerrorMessage(const PGconn* conn) { return OMS_LIBPQ(PQerrorMessage)(conn); }
char* PQdb(const PGconn* conn) { return OMS_LIBPQ(PQdb)(conn); }
char* PQuser(const PGconn* conn) { return OMS_LIBPQ(PQuser)(conn); }
char* PQhost(const PGconn* conn) { return OMS_LIBPQ(PQhost)(conn); }
char* PQport(const PGconn* conn) { return OMS_LIBPQ(PQport)(conn); }
int PQsocket(const PGconn* conn) { return OMS_LIBPQ(PQsocket)(conn); }
int PQconsumeInput(PGconn* conn) { return OMS_LIBPQ(PQconsumeInput)(conn); }
PGnotify* PQnotifies(PGconn* conn) { return OMS_LIBPQ(PQnotifies)(conn); }
PGresult* PQexec(PGconn* conn, const char* query) { return OMS_LIBPQ(PQexec)(conn, query); }
PGresult* PQprepare(PGconn* conn, const char* stmt_name, const char* query, int n_params,
                    const Oid* param_types) {
  return OMS_LIBPQ(PQprepare)(conn, stmt_name, query, n_params, param_types);
}
PGresult* PQexecPrepared(PGconn* conn, const char* stmt_name, int n_params,
                         const char* const* param_values, const int* param_lengths,
                         const int* param_formats, int result_format) {
  return OMS_LIBPQ(PQexecPrepared)(conn, stmt_name, n_params, param_values, param_lengths,
                                   param_formats, result_format);
}
ExecStatusType PQresultStatus(const PGresult* res) { return OMS_LIBPQ(PQresultStatus)(res); }
char* PQresultErrorMessage(const PGresult* res) { return OMS_LIBPQ(PQresultErrorMessage)(res); }
char* PQresultErrorField(const PGresult* res, int fieldcode) {
  return OMS_LIBPQ(PQresultErrorField)(res, fieldcode);
}
int PQntuples(const PGresult* res) { return OMS_LIBPQ(PQntuples)(res); }
int PQnfields(const PGresult* res) { return OMS_LIBPQ(PQnfields)(res); }
char* PQgetvalue(const PGresult* res, int row, int column) {
  return OMS_LIBPQ(PQgetvalue)(res, row, column);
}
int PQgetlength(const PGresult* res, int row, int column) {
  return OMS_LIBPQ(PQgetlength)(res, row, column);
}
int PQgetisnull(const PGresult* res, int row, int column) {
  return OMS_LIBPQ(PQgetisnull)(res, row, column);
}
char* PQcmdStatus(PGresult* res) { return OMS_LIBPQ(PQcmdStatus)(res); }
char* PQcmdTuples(PGresult* res) { return OMS_LIBPQ(PQcmdTuples)(res); }
void PQclear(PGresult* res) { OMS_LIBPQ(PQclear)(res); }
void PQfreemem(void* ptr) { OMS_LIBPQ(PQfreemem)(ptr); }
char* PQescapeLiteral(PGconn* conn, const char* str, size_t len) {
  return OMS_LIBPQ(PQescapeLiteral)(conn, str, len);
}

}  // extern "C"
