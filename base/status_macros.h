// Return-if-error helpers for absl::Status / absl::StatusOr (internal; not installed).
#ifndef SCOUR_BASE_STATUS_MACROS_H_
#define SCOUR_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SCOUR_CONCAT_INNER_(a, b) a##b
#define SCOUR_CONCAT_(a, b) SCOUR_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing function if not OK.
#define SCOUR_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status scour_status_ = (expr);         \
    if (!scour_status_.ok()) return scour_status_; \
  } while (0)

// SCOUR_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>); on error returns
// its status, otherwise moves the value into `lhs` (which may be a declaration).
#define SCOUR_ASSIGN_OR_RETURN(lhs, expr) \
  SCOUR_ASSIGN_OR_RETURN_IMPL_(SCOUR_CONCAT_(scour_statusor_, __LINE__), lhs, expr)
#define SCOUR_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()

#endif  // SCOUR_BASE_STATUS_MACROS_H_
