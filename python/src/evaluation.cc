// Evaluation bindings: filled in with the public evaluation API.
#include "bindings.h"

namespace scour::python {

void BindEvaluation(pybind11::module_& m) {}

}  // namespace scour::python
