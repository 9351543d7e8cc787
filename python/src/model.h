// Scoring models written in Python (docs/PYTHON.md, "Scoring models in Python") as a
// scour::Similarity (include/scour/similarity.h). A model is evaluated once per query term over
// a grid of (frequency, length), never per posting; the GIL is taken only for those calls.
#ifndef SCOUR_PYTHON_MODEL_H_
#define SCOUR_PYTHON_MODEL_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cfloat>
#include <iterator>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "scour/similarity.h"

namespace scour::python {

namespace py = pybind11;

// The first Python exception met by the calls of one search (they may run on several threads).
// Kept, and raised by the binding after the search returns, as itself.
class ModelErrors {
 public:
  // Keeps the exception `e` holds if it is the first. Needs the GIL.
  void Keep(const py::error_already_set& e);
  // Raises the kept exception, if any. Needs the GIL.
  void RaiseIfAny();
  ~ModelErrors();  // needs the GIL (the binding's frame holds it)

 private:
  std::mutex mu_;
  bool failed_ = false;
  py::object type_, value_, trace_;
};

// One Python model object: its prepare function, its name, and the grid of frequencies and
// lengths its score functions are evaluated on (made once, read-only). Shared by every search
// that uses the model; destroyed with the GIL taken.
class PyModel {
 public:
  static constexpr int kFreqs = 64;  // integer frequencies 1..kFreqs tabulated, then kExtra
  // FLT_MAX (the bound of a saturated block), then the contract check's other frequencies
  // (engine/similarity.cc), so that the check costs one call per prepare(), not ten.
  static constexpr float kExtra[] = {FLT_MAX, 0.25f,       0.5f,    1.5f,    100.0f,   128.0f,
                                     256.0f,  1000.0f,     1024.0f, 4096.0f, 65536.0f, 1e5f,
                                     1e6f,    16777214.0f, 1e9f,    1e20f};
  static constexpr int kRows = kFreqs + static_cast<int>(std::size(kExtra));

  explicit PyModel(const py::object& model);  // needs the GIL; TypeError if it is no model
  ~PyModel();
  const std::string& name() const { return name_; }
  // The per-term scorer; nullptr after keeping a Python error in *errors.
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field,
                                     std::span<const TermStatistics> terms, float boost,
                                     ModelErrors* errors) const;

 private:
  py::object prepare_;
  std::string name_;
  py::object freq_grid_, length_grid_;  // float32 kRows x 256, read-only
};

// The Similarity one search gives the engine: the model, with that search's error sink.
class CallModel final : public Similarity {
 public:
  explicit CallModel(std::shared_ptr<const PyModel> model) : model_(std::move(model)) {}
  std::string Name() const override { return model_->name(); }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field,
                                     std::span<const TermStatistics> terms,
                                     float boost) const override {
    return model_->Prepare(field, terms, boost, &errors_);
  }
  // The Similarity to put in SearchOptions: this object, owned (for the engine's
  // once-per-model contract check, which goes by owner) by the PyModel. So a model is checked
  // the first time it is used, not once per search. This object must outlive the search.
  std::shared_ptr<const Similarity> ForSearch() const {
    return std::shared_ptr<const Similarity>(model_, this);
  }
  ModelErrors& errors() const { return errors_; }

 private:
  std::shared_ptr<const PyModel> model_;
  mutable ModelErrors errors_;
};

// The PyModel of each Python model object a Searcher was given, the last kKeep used. Touched
// with the GIL held.
class ModelCache {
 public:
  static constexpr size_t kKeep = 64;
  std::shared_ptr<const PyModel> Get(const py::object& model);
  void Clear() { entries_.clear(); }

 private:
  std::vector<std::pair<py::object, std::shared_ptr<const PyModel>>> entries_;  // newest last
};

// scour.FieldStatistics and scour.TermStatistics, what prepare() is given.
void BindModelTypes(py::module_& m);

}  // namespace scour::python

#endif  // SCOUR_PYTHON_MODEL_H_
