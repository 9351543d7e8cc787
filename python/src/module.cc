// scour._scour: the extension module behind the `scour` Python package (docs/PYTHON.md). The
// package's __init__.py re-exports it and adds the pandas-facing parts.
#include <pybind11/pybind11.h>

#include <exception>

#include "bindings.h"
#include "convert.h"
#include "model.h"

PYBIND11_MODULE(_scour, m) {
  m.doc() = "scour's C++ library (the package `scour` wraps it; see docs/PYTHON.md)";
  scour::python::RegisterExceptions(m);
  // A Python value of the wrong type for a C++ parameter is a TypeError, not pybind11's
  // RuntimeError.
  pybind11::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const pybind11::cast_error& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    }
  });
  scour::python::BindWriter(m);
  scour::python::BindModelTypes(m);
  scour::python::BindSearcher(m);
  scour::python::BindEvaluation(m);
  scour::python::BindIngest(m);
  scour::python::BindDistributed(m);
}
