// InternalAccess: how the library's own modules reach the implementation behind a public class
// (include/scour/). Each public class keeps its state in a private `impl_` (a pointer to its
// private `Impl`) and names InternalAccess as its one friend, so the installed headers name no
// internal type and programs linking libscour cannot reach inside. Not installed.
#ifndef SCOUR_BASE_INTERNAL_ACCESS_H_
#define SCOUR_BASE_INTERNAL_ACCESS_H_

#include <memory>
#include <utility>

namespace scour {

class InternalAccess {
 public:
  // The Impl behind `object` (an IndexReader, IndexWriter, Analyzer or Searcher).
  template <typename Public>
  static auto& Impl(Public& object) {
    return *object.impl_;
  }
  template <typename Public>
  static const auto& Impl(const Public& object) {
    return *object.impl_;
  }

  // A new, default-constructed Impl of a `Public` class, and a new `Public` object over one
  // (through its private constructor).
  template <typename Public>
  static std::unique_ptr<typename Public::Impl> NewImpl() {
    return std::make_unique<typename Public::Impl>();
  }
  template <typename Public, typename ImplPtr>
  static Public* New(ImplPtr impl) {
    return new Public(std::move(impl));
  }
};

}  // namespace scour

#endif  // SCOUR_BASE_INTERNAL_ACCESS_H_
