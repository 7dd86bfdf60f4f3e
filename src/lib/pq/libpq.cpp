// SPDX-License-Identifier: PostgreSQL
// Loads libpq on first use; see libpq.hpp.
#include "pq/libpq.hpp"

#include "pgarc/errors.hpp"

#include <dlfcn.h>

#include <string>

namespace pgarc::detail {

namespace {

/// The soname every libpq since PostgreSQL 8.0 has.
constexpr const char* libpq_soname = "libpq.so.5";

template <typename Function>
void resolve(void* handle, Function& function, const char* name) {
  void* address = ::dlsym(handle, name);
  if (address == nullptr)
    throw io_error(std::string("could not load ") + libpq_soname + ": it has no " + name);
  function = reinterpret_cast<Function>(address);
}

libpq_functions load() {
  void* handle = ::dlopen(libpq_soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = ::dlerror();
    throw io_error(std::string("could not load ") + libpq_soname + ", which connecting to a server needs" +
                   (reason ? std::string(": ") + reason : std::string()));
  }
  // Never closed: the functions stay valid for the life of the process.
  libpq_functions functions{};
#define PGARC_RESOLVE(name) resolve(handle, functions.name, #name)
  PGARC_RESOLVE(PQclear);
  PGARC_RESOLVE(PQconnectdbParams);
  PGARC_RESOLVE(PQconninfo);
  PGARC_RESOLVE(PQconninfoFree);
  PGARC_RESOLVE(PQconninfoParse);
  PGARC_RESOLVE(PQerrorMessage);
  PGARC_RESOLVE(PQexec);
  PGARC_RESOLVE(PQexecParams);
  PGARC_RESOLVE(PQfinish);
  PGARC_RESOLVE(PQfreemem);
  PGARC_RESOLVE(PQgetisnull);
  PGARC_RESOLVE(PQgetlength);
  PGARC_RESOLVE(PQgetvalue);
  PGARC_RESOLVE(PQnfields);
  PGARC_RESOLVE(PQntuples);
  PGARC_RESOLVE(PQresultErrorField);
  PGARC_RESOLVE(PQresultStatus);
  PGARC_RESOLVE(PQserverVersion);
  PGARC_RESOLVE(PQsetNoticeProcessor);
  PGARC_RESOLVE(PQstatus);
#undef PGARC_RESOLVE
  return functions;
}

} // namespace

const libpq_functions& libpq() {
  static const libpq_functions functions = load();
  return functions;
}

} // namespace pgarc::detail
