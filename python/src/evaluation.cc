// Evaluation bindings over include/scour/evaluation.h: runs and qrels come in as a file path,
// a dict {qid: {docid: value}} (ir_measures' / ranx's / pytrec_eval's form) or three parallel
// lists (the columns of a DataFrame, picked by scour/__init__.py); tables go back as lists and
// numpy arrays that __init__.py turns into DataFrames. The GIL is released while files are read
// and while runs are evaluated and compared.
#include "scour/evaluation.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"

namespace scour::python {
namespace {

// A qid or docid: a str, or an int written in decimal.
std::string Key(PyObject* o, const char* what, size_t row) {
  std::string_view text;
  py::object keep;
  if (Utf8Of(o, &text, &keep, [&] { return absl::StrCat("row ", row, ": a ", what, ": "); }))
    return std::string(text);
  std::string out;
  if (!PyBool_Check(o) && PyIndex_Check(o)) {
    py::object s = py::reinterpret_steal<py::object>(PyObject_Str(o));
    if (!s) throw py::error_already_set();
    AppendUtf8(s.ptr(), &out);
    return out;
  }
  RaiseType(PyExc_TypeError,
            absl::StrCat("row ", row, ": a ", what, " is a str or an int, not ", TypeName(o)));
}

double Score(PyObject* o, size_t row) {
  if (PyBool_Check(o) || !PyNumber_Check(o) || PyUnicode_Check(o))
    RaiseType(PyExc_TypeError,
              absl::StrCat("row ", row, ": a score is a number, not ", TypeName(o)));
  const double v = PyFloat_AsDouble(o);
  if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  if (!std::isfinite(v))
    RaiseType(PyExc_ValueError, absl::StrCat("row ", row, ": score ", v, " is not finite"));
  return v;
}

int32_t Relevance(PyObject* o, size_t row) {
  if (!PyBool_Check(o) && PyIndex_Check(o)) {
    py::object i = py::reinterpret_steal<py::object>(PyNumber_Index(o));  // numpy ints too
    if (!i) throw py::error_already_set();
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (overflow != 0 || v < INT32_MIN || v > INT32_MAX)
      RaiseType(PyExc_ValueError,
                absl::StrCat("row ", row, ": relevance ", py::repr(o).cast<std::string>(),
                             " is out of range"));
    return static_cast<int32_t>(v);
  }
  if (PyFloat_Check(o)) {  // a float column (e.g. after a merge with missing values)
    const double v = PyFloat_AS_DOUBLE(o);
    if (v == std::floor(v) && std::abs(v) <= INT32_MAX) return static_cast<int32_t>(v);
  }
  RaiseType(PyExc_TypeError, absl::StrCat("row ", row, ": a relevance is an integer, not ",
                                          py::repr(o).cast<std::string>()));
}

// Calls row(qid, doc, value, n) for every row of table `t` (see the file comment), or returns
// false if `t` is a path (a str / bytes).
template <typename Row>
bool ForEachRow(py::handle t, const char* what, Row&& row) {
  if (PyUnicode_Check(t.ptr()) || PyBytes_Check(t.ptr())) return false;
  if (PyDict_Check(t.ptr())) {
    size_t n = 0;
    for (auto [qid_obj, docs] : py::reinterpret_borrow<py::dict>(t)) {
      if (!PyDict_Check(docs.ptr()))
        RaiseType(PyExc_TypeError, absl::StrCat(what, ": a dict maps qid -> {docid: value}, got ",
                                                TypeName(docs.ptr()), " for a qid"));
      const std::string qid = Key(qid_obj.ptr(), "qid", n);
      for (auto [doc, value] : py::reinterpret_borrow<py::dict>(docs)) {
        row(qid, Key(doc.ptr(), "docid", n), value.ptr(), n);
        ++n;
      }
    }
    return true;
  }
  if (!PyTuple_Check(t.ptr()) || PyTuple_GET_SIZE(t.ptr()) != 3)
    RaiseType(PyExc_TypeError, absl::StrCat(what, ": expected a path, a DataFrame or a dict"));
  PyObject* cols[3];
  for (int c = 0; c < 3; ++c) {
    cols[c] = PyTuple_GET_ITEM(t.ptr(), c);
    if (!PyList_Check(cols[c])) RaiseType(PyExc_TypeError, "columns must be lists");
  }
  const Py_ssize_t n = PyList_GET_SIZE(cols[0]);
  if (PyList_GET_SIZE(cols[1]) != n || PyList_GET_SIZE(cols[2]) != n)
    RaiseType(PyExc_ValueError, "columns of different lengths");
  for (Py_ssize_t i = 0; i < n; ++i) {
    const size_t r = static_cast<size_t>(i);
    row(Key(PyList_GET_ITEM(cols[0], i), "qid", r), Key(PyList_GET_ITEM(cols[1], i), "docid", r),
        PyList_GET_ITEM(cols[2], i), r);
  }
  return true;
}

// The rows of a run or qrels `t`: a table (see the file comment) converted row by row by
// make(qid, doc, value, n), or a file read by read(path) without the GIL.
template <typename T, typename Make, typename Read>
std::vector<T> Rows(py::handle t, const char* what, Make&& make, Read&& read) {
  std::vector<T> rows;
  const bool table =
      ForEachRow(t, what, [&](std::string qid, std::string doc, PyObject* v, size_t n) {
        rows.push_back(make(std::move(qid), std::move(doc), v, n));
      });
  if (table) return rows;
  const std::string path = t.cast<std::string>();
  absl::StatusOr<std::vector<T>> r;
  {
    py::gil_scoped_release nogil;
    r = read(path);
  }
  return Check(std::move(r));
}

std::vector<RunRow> RunRows(py::handle t, std::string* tag = nullptr) {
  return Rows<RunRow>(
      t, "run",
      [](std::string qid, std::string doc, PyObject* v, size_t n) {
        return RunRow{std::move(qid), std::move(doc), Score(v, n)};
      },
      [tag](const std::string& path) { return ReadRun(path, tag); });
}

std::vector<Judgment> QrelsRows(py::handle t) {
  return Rows<Judgment>(
      t, "qrels",
      [](std::string qid, std::string doc, PyObject* v, size_t n) {
        return Judgment{std::move(qid), std::move(doc), Relevance(v, n)};
      },
      [](const std::string& path) { return ReadQrels(path); });
}

// (name, run) pairs, as compare() and fuse() in __init__.py make them, each run read by RunRows.
std::vector<NamedRunRows> NamedRuns(const py::list& runs) {
  std::vector<NamedRunRows> named;
  for (py::handle item : runs) {
    std::string name;
    if (!PyTuple_Check(item.ptr()) || PyTuple_GET_SIZE(item.ptr()) != 2 ||
        !AppendUtf8(PyTuple_GET_ITEM(item.ptr(), 0), &name))
      RaiseType(PyExc_TypeError, "runs: (name, run) pairs with str names");
    named.push_back({std::move(name), RunRows(PyTuple_GET_ITEM(item.ptr(), 1))});
  }
  return named;
}

EvaluationOptions MakeOptions(const py::object& measures, const std::vector<int64_t>& cutoffs,
                              int32_t relevance_level, const py::object& max_retrieved,
                              bool complete) {
  EvaluationOptions o;
  if (!measures.is_none()) {
    if (PyUnicode_Check(measures.ptr())) {
      o.measures = measures.cast<std::string>();
    } else {  // a list of names
      for (py::handle h : py::iter(measures)) {
        std::string name;
        if (!AppendUtf8(h.ptr(), &name))
          RaiseType(PyExc_TypeError, "measures: a str like 'map,P.10' or a list of names");
        absl::StrAppend(&o.measures, o.measures.empty() ? "" : ",", name);
      }
    }
    if (o.measures.empty()) RaiseType(PyExc_ValueError, "measures: none given");
  }
  o.cutoffs = cutoffs;
  o.relevance_level = relevance_level;
  if (!max_retrieved.is_none()) {
    o.max_retrieved = max_retrieved.cast<int64_t>();
    if (o.max_retrieved < 0) RaiseType(PyExc_ValueError, "max_retrieved must be >= 0 (or None)");
  }
  o.complete = complete;
  return o;
}

py::dict Evaluate(const py::object& run, const py::object& qrels, const py::object& measures,
                  const std::vector<int64_t>& cutoffs, int32_t relevance_level,
                  const py::object& max_retrieved, bool complete, int64_t num_docs_in_coll) {
  EvaluationOptions o = MakeOptions(measures, cutoffs, relevance_level, max_retrieved, complete);
  o.num_docs_in_coll = num_docs_in_coll;
  std::string tag = "run";
  std::vector<RunRow> run_rows = RunRows(run, &tag);
  o.run_tag = tag;
  std::vector<Judgment> qrels_rows = QrelsRows(qrels);
  absl::StatusOr<EvaluationTable> t;
  {
    py::gil_scoped_release nogil;
    t = scour::Evaluate(run_rows, qrels_rows, o);
  }
  EvaluationTable table = Check(std::move(t));
  const size_t nq = table.qids.size(), nm = table.measures.size();
  py::array_t<double> values({static_cast<py::ssize_t>(nq), static_cast<py::ssize_t>(nm)});
  auto v = values.mutable_unchecked<2>();
  for (size_t q = 0; q < nq; ++q)
    for (size_t m = 0; m < nm; ++m) v(q, m) = table.values[q][m];
  py::dict out;
  out["measures"] = table.measures;
  out["integral"] = table.integral;
  out["text"] = table.text;
  out["per_query"] = table.per_query;
  out["summarized"] = table.summarized;
  out["qids"] = table.qids;
  out["values"] = values;
  out["relstrings"] = table.relstrings;
  out["summary"] = table.summary;
  out["run_tag"] = table.run_tag;
  out["num_q"] = table.num_q;
  return out;
}

py::tuple Compare(const py::list& runs, const py::object& qrels, const py::object& measures,
                  const std::vector<int64_t>& cutoffs, int32_t relevance_level,
                  const py::object& max_retrieved, bool all_pairs, const std::string& tests,
                  const std::string& correction, double alpha, int64_t judged_k) {
  ComparisonOptions o;
  o.evaluation = MakeOptions(measures, cutoffs, relevance_level, max_retrieved, false);
  o.all_pairs = all_pairs;
  o.tests = tests;
  o.correction = correction;
  o.alpha = alpha;
  o.judged_k = judged_k;
  std::vector<NamedRunRows> named = NamedRuns(runs);
  std::vector<Judgment> qrels_rows = QrelsRows(qrels);
  absl::StatusOr<ComparisonReport> r;
  {
    py::gil_scoped_release nogil;
    r = scour::Compare(named, qrels_rows, o);
  }
  ComparisonReport report = Check(std::move(r));
  return py::make_tuple(MakeStr(report.json), MakeStr(report.text), MakeStr(report.markdown));
}

// scour::Fuse over (name, run) pairs; the fused rows go back as three columns.
py::tuple Fuse(const py::list& runs, const std::string& method, double k, const std::string& norm,
               const std::vector<double>& weights, int64_t input_depth, int64_t depth) {
  FusionOptions o;
  o.method = method;
  o.k = k;
  o.norm = norm;
  o.weights = weights;
  o.input_depth = input_depth;
  o.depth = depth;
  std::vector<NamedRunRows> named = NamedRuns(runs);
  absl::StatusOr<std::vector<RunRow>> r;
  {
    py::gil_scoped_release nogil;
    r = scour::Fuse(named, o);
  }
  std::vector<RunRow> rows = Check(std::move(r));
  py::list qids(rows.size()), docs(rows.size()), scores(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    qids[i] = MakeStr(rows[i].qid);
    docs[i] = MakeStr(rows[i].docid);
    scores[i] = rows[i].score;
  }
  return py::make_tuple(qids, docs, scores);
}

template <typename T, typename Value>
py::tuple Columns(const std::vector<T>& rows, Value&& value) {
  py::list qids(rows.size()), docs(rows.size()), values(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    qids[i] = MakeStr(rows[i].qid);
    docs[i] = MakeStr(rows[i].docid);
    values[i] = value(rows[i]);
  }
  return py::make_tuple(qids, docs, values);
}

}  // namespace

void BindEvaluation(py::module_& m) {
  m.def("_evaluate", &Evaluate, py::arg("run"), py::arg("qrels"), py::arg("measures"),
        py::arg("cutoffs"), py::arg("relevance_level"), py::arg("max_retrieved"),
        py::arg("complete"), py::arg("num_docs_in_coll"));
  m.def("_compare", &Compare, py::arg("runs"), py::arg("qrels"), py::arg("measures"),
        py::arg("cutoffs"), py::arg("relevance_level"), py::arg("max_retrieved"),
        py::arg("all_pairs"), py::arg("tests"), py::arg("correction"), py::arg("alpha"),
        py::arg("judged_k"));
  m.def("_fuse", &Fuse, py::arg("runs"), py::arg("method"), py::arg("k"), py::arg("norm"),
        py::arg("weights"), py::arg("input_depth"), py::arg("depth"));
  m.def("_read_qrels", [](const std::string& path) {
    return Columns(QrelsRows(py::str(path)), [](const Judgment& j) { return j.relevance; });
  });
  m.def("_read_run", [](const std::string& path) {
    return Columns(RunRows(py::str(path)), [](const RunRow& r) { return r.score; });
  });
  m.def("_read_topics", [](const std::string& path) {
    absl::StatusOr<std::vector<TopicQuery>> t;
    {
      py::gil_scoped_release nogil;
      t = ReadTopics(path);
    }
    std::vector<TopicQuery> topics = Check(std::move(t));
    py::list qids, queries;
    for (const TopicQuery& q : topics) {
      qids.append(MakeStr(q.qid));
      queries.append(MakeStr(q.query));
    }
    return py::make_tuple(qids, queries);
  });
}

}  // namespace scour::python
