// SPDX-License-Identifier: PostgreSQL
// libpq, loaded the first time a connection is made rather than when the
// program starts: libpq brings some 25 libraries with it (TLS, Kerberos,
// LDAP), whose loading was most of pgarc-retarget's start-up, and only
// --target and --catalog-from talk to a server. The headers are libpq's own;
// only the functions come through this table.
#pragma once

#include <libpq-fe.h>

namespace pgarc::detail {

struct libpq_functions {
  decltype(&::PQclear) PQclear;
  decltype(&::PQconnectdbParams) PQconnectdbParams;
  decltype(&::PQconninfo) PQconninfo;
  decltype(&::PQconninfoFree) PQconninfoFree;
  decltype(&::PQconninfoParse) PQconninfoParse;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecParams) PQexecParams;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQfreemem) PQfreemem;
  decltype(&::PQgetisnull) PQgetisnull;
  decltype(&::PQgetlength) PQgetlength;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQnfields) PQnfields;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQresultErrorField) PQresultErrorField;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQserverVersion) PQserverVersion;
  decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor;
  decltype(&::PQstatus) PQstatus;
};

/// libpq's functions, from libpq.so.5 loaded on the first call (thread-safe).
/// Throws io_error ("could not load libpq.so.5: ...") when it cannot be loaded.
const libpq_functions& libpq();

} // namespace pgarc::detail
