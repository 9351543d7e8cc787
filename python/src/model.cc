// Scoring models written in Python as a scour::Similarity (model.h). The engine never calls
// Python per posting: Prepare calls the model's prepare() once per query term (or phrase) and
// field to get a vectorised score(freq, length), evaluates it once over the grid of integer
// frequencies 1..kFreqs, FLT_MAX and the contract check's others x the 256 lengths a norm byte
// stands for, and keeps the float
// table; Score reads it. Integer frequencies above kFreqs get their rows 32 at a time, a
// fractional one (a sloppy phrase's, or the contract check's) its own row, by one more call the
// first time they are met, cached in the scorer. Only those calls take the GIL.
#include "model.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <map>

#include "absl/strings/str_cat.h"
#include "convert.h"

namespace scour::python {
namespace {

using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;

const std::array<float, 256>& Lengths() {
  static const std::array<float, 256> lengths = [] {
    std::array<float, 256> l;
    for (int n = 0; n < 256; ++n) l[n] = NormLength(static_cast<uint8_t>(n));
    return l;
  }();
  return lengths;
}

// The norm byte that stands for `length`, or -1. Score is called per posting of frequency >= 16
// (the engine's own table stops there), so this is O(1): Lucene's SmallFloat.intToByte4, as
// the index encodes lengths (exact to 23, then 4 significant bits), checked against the public
// NormLength table; a binary search if that ever disagrees.
int NormOf(float length) {
  const auto& l = Lengths();
  if (length >= 0 && length < 24 && length == std::floor(length)) return static_cast<int>(length);
  if (length >= 24 && length <= l[255]) {
    const uint64_t x = static_cast<uint64_t>(length) - 24;
    const int bits = 64 - std::countl_zero(x);
    uint64_t code = x;
    if (bits >= 4) {
      const int shift = bits - 4;
      code = ((x >> shift) & 0x07) | static_cast<uint64_t>(shift + 1) << 3;
    }
    if (code <= 231 && l[24 + code] == length) return static_cast<int>(24 + code);
  }
  auto it = std::lower_bound(l.begin(), l.end(), length);
  return it != l.end() && *it == length ? static_cast<int>(it - l.begin()) : -1;
}

// A float32 rows x 256 array: row r holds freqs[r] (as_freq) or the 256 lengths.
py::array_t<float> Grid(const std::vector<float>& freqs, bool as_freq) {
  const py::ssize_t rows = static_cast<py::ssize_t>(freqs.size());
  py::array_t<float> a({rows, py::ssize_t{256}});
  auto m = a.mutable_unchecked<2>();
  for (py::ssize_t r = 0; r < rows; ++r)
    for (py::ssize_t n = 0; n < 256; ++n) m(r, n) = as_freq ? freqs[r] : Lengths()[n];
  return a;
}

// fn(freq, length) -> a float32 table of freq's shape (a result that broadcasts to it is
// broadcast). Needs the GIL; throws error_already_set (ValueError for a bad result).
std::vector<float> Evaluate(const py::object& fn, const py::object& freq, const py::object& length,
                            py::ssize_t rows, py::ssize_t cols) {
  py::object out = fn(freq, length);
  // ensure() converts anything numpy can (lists, scalars, float64) and is null otherwise; None
  // would become NaN.
  FloatArray a;
  if (out.is_none() || !(a = FloatArray::ensure(out))) {
    PyErr_Clear();
    RaiseType(PyExc_ValueError,
              absl::StrCat("a scoring model's score(freq, length) must return an array of "
                           "numbers, got ",
                           TypeName(out.ptr())));
  }
  if (a.ndim() != 2 || a.shape(0) != rows || a.shape(1) != cols) {
    py::tuple shape = py::make_tuple(rows, cols);
    bool ok = true;
    try {
      a = FloatArray::ensure(py::module_::import("numpy").attr("broadcast_to")(a, shape));
      ok = static_cast<bool>(a);
    } catch (py::error_already_set&) {
      ok = false;
    }
    if (!ok) {
      PyErr_Clear();
      RaiseType(PyExc_ValueError,
                absl::StrCat("a scoring model's score(freq, length) must return an array of the "
                             "inputs' shape (",
                             rows, ", ", cols, "), got shape ",
                             py::str(py::getattr(out, "shape", py::none())).cast<std::string>()));
    }
  }
  std::vector<float> v(static_cast<size_t>(rows * cols));
  std::memcpy(v.data(), a.data(), v.size() * sizeof(float));  // ensure(): C order, float32
  return v;
}

class PyScorer final : public SimScorer {
 public:
  PyScorer(py::object fn, std::vector<float> table, ModelErrors* errors)
      : fn_(std::move(fn)), table_(std::move(table)), errors_(errors) {}
  ~PyScorer() override {
    py::gil_scoped_acquire gil;
    fn_ = py::object();
  }

  float Score(float freq, float length) const override {
    const int norm = NormOf(length);
    if (norm < 0) return Cell(freq, length);
    if (freq >= 1 && freq <= PyModel::kFreqs && freq == std::floor(freq))
      return table_[(static_cast<size_t>(freq) - 1) * 256 + static_cast<size_t>(norm)];
    for (size_t i = 0; i < std::size(PyModel::kExtra); ++i)
      if (freq == PyModel::kExtra[i])
        return table_[(PyModel::kFreqs + i) * 256 + static_cast<size_t>(norm)];
    if (freq > PyModel::kFreqs && freq < kMaxBlockFreq && freq == std::floor(freq)) {
      // A common term in long documents meets many frequencies above the grid: their rows
      // come kBlockRows at a time, not one call per frequency.
      const auto f = static_cast<uint32_t>(freq) - PyModel::kFreqs - 1;
      const float* block = Rows(f / kBlockRows, -1);
      return block == nullptr ? 0.0f : block[(f % kBlockRows) * 256 + static_cast<size_t>(norm)];
    }
    const float* row = Rows(0, freq);
    return row == nullptr ? 0.0f : row[norm];
  }

 private:
  // Blocks of 32 rows up to 64 + 128 x 32: a few calls for the frequencies of a common term in
  // long documents, without tabulating thousands of rows for the contract check's 1000 or a
  // single huge frequency (those get a row each).
  static constexpr uint32_t kBlockRows = 32;
  static constexpr float kMaxBlockFreq = PyModel::kFreqs + 128 * kBlockRows;

  // Block `block` of integer frequencies above the grid (freq < 0), or the row of the one
  // frequency `freq` (256 lengths), computed the first time; nullptr after a Python error. The
  // mutex is never held while the GIL is waited for (no lock-order cycle with Python).
  const float* Rows(uint32_t block, float freq) const {
    const float key = freq < 0 ? -1.0f - static_cast<float>(block) : freq;
    {
      std::lock_guard<std::mutex> l(mu_);
      auto it = rows_.find(key);
      if (it != rows_.end()) return it->second.data();
    }
    std::vector<float> freqs;
    if (freq < 0) {
      for (uint32_t i = 0; i < kBlockRows; ++i)
        freqs.push_back(static_cast<float>(PyModel::kFreqs + 1 + block * kBlockRows + i));
    } else {
      freqs.push_back(freq);
    }
    std::vector<float> rows;
    {
      py::gil_scoped_acquire gil;
      try {
        rows = Evaluate(fn_, Grid(freqs, true), Grid(freqs, false),
                        static_cast<py::ssize_t>(freqs.size()), 256);
      } catch (py::error_already_set& e) {
        errors_->Keep(e);
        return nullptr;
      }
    }
    std::lock_guard<std::mutex> l(mu_);
    return rows_.emplace(key, std::move(rows)).first->second.data();
  }

  // One cell at a length no norm byte stands for (not met by the engine).
  float Cell(float freq, float length) const {
    py::gil_scoped_acquire gil;
    try {
      py::array_t<float> f({py::ssize_t{1}, py::ssize_t{1}}), l({py::ssize_t{1}, py::ssize_t{1}});
      *f.mutable_data() = freq;
      *l.mutable_data() = length;
      return Evaluate(fn_, f, l, 1, 1)[0];
    } catch (py::error_already_set& e) {
      errors_->Keep(e);
      return 0.0f;
    }
  }

  py::object fn_;
  const std::vector<float> table_;  // kRows x 256
  ModelErrors* errors_;
  mutable std::mutex mu_;
  // Rows met while searching: a fractional frequency's by itself, blocks of integer ones by
  // -1 - block.
  mutable std::map<float, std::vector<float>> rows_;
};

py::object ReadOnly(py::array_t<float> a) {
  a.attr("flags").attr("writeable") = false;
  return a;
}

}  // namespace

void ModelErrors::Keep(const py::error_already_set& e) {
  std::lock_guard<std::mutex> l(mu_);
  if (failed_) return;
  failed_ = true;
  type_ = e.type();
  value_ = e.value();
  trace_ = e.trace();
}

void ModelErrors::RaiseIfAny() {
  std::lock_guard<std::mutex> l(mu_);
  if (!failed_) return;
  failed_ = false;
  PyErr_Restore(type_.release().ptr(), value_.release().ptr(), trace_.release().ptr());
  throw py::error_already_set();
}

ModelErrors::~ModelErrors() = default;

PyModel::PyModel(const py::object& model) {
  if (py::hasattr(model, "prepare")) {
    prepare_ = model.attr("prepare");
  } else if (PyCallable_Check(model.ptr())) {
    prepare_ = model;
  }
  if (!prepare_ || !PyCallable_Check(prepare_.ptr()))
    RaiseType(PyExc_TypeError,
              absl::StrCat("ranker must be a ranker name (str) or a scoring model (an object "
                           "with prepare(field, terms, boost), or that function), got ",
                           TypeName(model.ptr())));
  py::object name = py::getattr(model, "name", py::none());
  if (!PyUnicode_Check(name.ptr())) name = py::getattr(model, "__name__", py::none());
  if (!PyUnicode_Check(name.ptr())) name = py::type::of(model).attr("__name__");
  name_ = py::str(name).cast<std::string>();
  std::vector<float> freqs;
  for (int i = 0; i < kFreqs; ++i) freqs.push_back(static_cast<float>(i + 1));
  freqs.insert(freqs.end(), std::begin(kExtra), std::end(kExtra));
  freq_grid_ = ReadOnly(Grid(freqs, true));
  length_grid_ = ReadOnly(Grid(freqs, false));
}

PyModel::~PyModel() {
  py::gil_scoped_acquire gil;
  prepare_ = py::object();
  freq_grid_ = py::object();
  length_grid_ = py::object();
}

std::unique_ptr<SimScorer> PyModel::Prepare(const FieldStatistics& field,
                                            std::span<const TermStatistics> terms, float boost,
                                            ModelErrors* errors) const {
  py::gil_scoped_acquire gil;
  try {
    py::list ts;
    for (const TermStatistics& t : terms) ts.append(py::cast(t));
    py::object fn = prepare_(py::cast(field), ts, boost);
    if (!PyCallable_Check(fn.ptr()))
      RaiseType(PyExc_TypeError,
                absl::StrCat("scoring model \"", name_,
                             "\": prepare() must return a function score(freq, length), got ",
                             TypeName(fn.ptr())));
    std::vector<float> table = Evaluate(fn, freq_grid_, length_grid_, kRows, 256);
    return std::make_unique<PyScorer>(std::move(fn), std::move(table), errors);
  } catch (py::error_already_set& e) {
    errors->Keep(e);
  }
  return nullptr;
}

std::shared_ptr<const PyModel> ModelCache::Get(const py::object& model) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first.is(model)) {
      std::rotate(it, it + 1, entries_.end());  // the newest last
      return entries_.back().second;
    }
  }
  auto m = std::make_shared<const PyModel>(model);
  if (entries_.size() == kKeep) entries_.erase(entries_.begin());
  entries_.emplace_back(model, m);
  return m;
}

void BindModelTypes(py::module_& m) {
  py::class_<FieldStatistics>(m, "FieldStatistics",
                              "A field's statistics over the searched collection, as a scoring "
                              "model's prepare() is given them.")
      .def_readonly("name", &FieldStatistics::name)
      .def_readonly("docs_with_field", &FieldStatistics::docs_with_field,
                    "Documents with at least one token in the field.")
      .def_readonly("sum_total_term_freq", &FieldStatistics::sum_total_term_freq,
                    "Tokens in the field over all documents (the sum of the lengths).")
      .def_readonly("sum_doc_freq", &FieldStatistics::sum_doc_freq,
                    "Postings: the sum of the field's terms' doc_freq.")
      .def_readonly("terms", &FieldStatistics::terms, "Distinct terms, summed over segments.")
      .def_property_readonly("average_length", &FieldStatistics::average_length,
                             "sum_total_term_freq / docs_with_field (0 for an empty field).")
      .def("__repr__", [](const FieldStatistics& f) {
        return absl::StrCat("FieldStatistics(name=", py::repr(MakeStr(f.name)).cast<std::string>(),
                            ", docs_with_field=", f.docs_with_field,
                            ", sum_total_term_freq=", f.sum_total_term_freq, ")");
      });
  py::class_<TermStatistics>(m, "TermStatistics",
                             "A query term's statistics over the searched collection.")
      .def_readonly("field", &TermStatistics::field)
      .def_property_readonly(
          "term", [](const TermStatistics& t) { return MakeStr(t.term); },
          "The term as indexed (analysed).")
      .def_readonly("doc_freq", &TermStatistics::doc_freq, "Documents holding the term.")
      .def_readonly("total_term_freq", &TermStatistics::total_term_freq,
                    "Its occurrences in the field, all documents.")
      .def("__repr__", [](const TermStatistics& t) {
        return absl::StrCat("TermStatistics(term=", py::repr(MakeStr(t.term)).cast<std::string>(),
                            ", doc_freq=", t.doc_freq, ", total_term_freq=", t.total_term_freq,
                            ")");
      });
}

}  // namespace scour::python
