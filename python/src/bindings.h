// The parts of the extension module scour._scour, each adding its classes and functions.
#ifndef SCOUR_PYTHON_BINDINGS_H_
#define SCOUR_PYTHON_BINDINGS_H_

#include <pybind11/pybind11.h>

namespace scour::python {

void BindWriter(pybind11::module_& m);       // IndexWriter
void BindSearcher(pybind11::module_& m);     // Searcher, Hit, SearchResults, Analyzer
void BindEvaluation(pybind11::module_& m);   // evaluate, compare, read_qrels, read_run, ...
void BindIngest(pybind11::module_& m);       // index_files, read_documents
void BindDistributed(pybind11::module_& m);  // the sharded-search protocol (scour.dask)

}  // namespace scour::python

#endif  // SCOUR_PYTHON_BINDINGS_H_
