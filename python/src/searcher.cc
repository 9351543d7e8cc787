// scour.Searcher, scour.Hit, scour.SearchResults and scour.Analyzer over the public C++ API.
// Searches run without the GIL; a Searcher is shared by Python threads (the C++ Searcher is
// thread-safe, and every call holds its own reference to it, so close() from another thread
// cannot pull it away mid-search). Batch results come back as numpy columns, not an object
// per hit (scour/__init__.py makes the DataFrame).
#include "scour/searcher.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bindings.h"
#include "convert.h"
#include "model.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"
#include "scour/synonyms.h"

namespace scour::python {
namespace {

// Byte offsets of UTF-8 `text` -> character (code point) offsets, for offsets in increasing
// order (a Python str is sliced by characters).
class CharOffsets {
 public:
  explicit CharOffsets(std::string_view text) : text_(text) {}
  size_t operator()(size_t byte) {
    if (byte < byte_) byte_ = chars_ = 0;  // not increasing: start over
    for (; byte_ < byte && byte_ < text_.size(); ++byte_)
      chars_ += (static_cast<unsigned char>(text_[byte_]) & 0xC0) != 0x80;
    return chars_;
  }

 private:
  std::string_view text_;
  size_t byte_ = 0, chars_ = 0;
};

struct PyToken {
  std::string term;
  uint32_t position;
  size_t start, end;  // characters of the analysed str
};

std::vector<PyToken> AnalyzeText(Analyzer* analyzer, const py::str& text) {
  std::string_view utf8;
  py::object keep;
  Utf8Of(text.ptr(), &utf8, &keep);
  std::vector<Token> tokens;
  Check(analyzer->Analyze(utf8, &tokens));
  std::vector<PyToken> out;
  out.reserve(tokens.size());
  CharOffsets chars(utf8);
  for (Token& t : tokens) {
    const size_t start = chars(t.start);
    out.push_back({std::move(t.term), t.position, start, chars(t.end)});
  }
  return out;
}

// The ranking parameters search() and batch_search() share: the CLI's --ranker, --k1, --b,
// --delta, --mu, --c, --weights, --field-b, --expand, --fb-docs, --fb-terms, --fb-weight.
// Python's None is the engine's "the default".
struct RankingArgs {
  py::object ranker;  // a built-in's name, or a scoring model written in Python (model.h)
  float k1, b;
  py::object delta;
  float mu, c;
  py::object weights, field_b;  // {field: value} or None
  py::object expand;            // "rm3", "bo1", "none" or None
  py::object fb_docs, fb_terms, fb_weight;
};

// {field: number} -> (name, value) pairs. `check_weight`: finite and >= 0, as --weights' parser
// requires (the engine itself does not check field weights); the engine checks field_b's range.
std::vector<std::pair<std::string, float>> FieldValues(const py::object& values, const char* what,
                                                       bool check_weight) {
  std::vector<std::pair<std::string, float>> out;
  if (values.is_none()) return out;
  if (!PyDict_Check(values.ptr()))
    RaiseType(PyExc_TypeError,
              absl::StrCat(what, " must be a dict {field: number}, got ", TypeName(values.ptr())));
  for (auto [key, value] : py::reinterpret_borrow<py::dict>(values)) {
    std::string name;
    if (!AppendUtf8(key.ptr(), &name))
      RaiseType(PyExc_TypeError,
                absl::StrCat(what, ": field names are str, got ", TypeName(key.ptr())));
    if (PyBool_Check(value.ptr()) || !PyNumber_Check(value.ptr()) || PyUnicode_Check(value.ptr()))
      RaiseType(PyExc_TypeError, absl::StrCat(what, ": the value of '", name,
                                              "' must be a number, got ", TypeName(value.ptr())));
    const double v = value.cast<double>();
    if (check_weight && (!(v >= 0) || !std::isfinite(v)))
      RaiseType(PyExc_ValueError, absl::StrCat(what, ": the weight of '", name,
                                               "' must be finite and >= 0, got ", v));
    out.emplace_back(std::move(name), static_cast<float>(v));
  }
  return out;
}

// fb_docs / fb_terms: None = the method's default (-1 to the engine). A value below 1 goes to
// the engine as 0, so it refuses it with its own message (or "need --expand" without one).
int32_t FeedbackCount(const py::object& v, const char* name) {
  if (v.is_none()) return -1;
  if (PyBool_Check(v.ptr()) || !PyIndex_Check(v.ptr()))
    RaiseType(PyExc_TypeError,
              absl::StrCat(name, " must be an int or None, got ", TypeName(v.ptr())));
  py::object i = py::reinterpret_steal<py::object>(PyNumber_Index(v.ptr()));  // numpy ints too
  if (!i) throw py::error_already_set();
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  if (n == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow > 0 || n > INT32_MAX)
    RaiseType(PyExc_ValueError, absl::StrCat(name, " must be at most ", INT32_MAX, ", got ",
                                             py::repr(v).cast<std::string>()));
  return overflow < 0 || n < 1 ? 0 : static_cast<int32_t>(n);
}

void SetRanking(const RankingArgs& a, RankingOptions* o) {
  // The engine checks ranges (k1 >= 0, 0 <= b <= 1, mu > 0, c >= 0) but lets an infinite k1
  // or a NaN delta through, which score every document 0: refuse them here.
  auto finite = [](const char* name, float v) {
    if (!std::isfinite(v))
      RaiseType(PyExc_ValueError, absl::StrCat(name, " must be finite, got ", v));
  };
  finite("k1", a.k1);
  finite("b", a.b);
  finite("mu", a.mu);
  finite("c", a.c);
  o->ranker = PyUnicode_Check(a.ranker.ptr()) ? a.ranker.cast<std::string>() : std::string("bm25");
  o->k1 = a.k1;
  o->b = a.b;
  if (!a.delta.is_none()) {
    o->delta = a.delta.cast<float>();
    finite("delta", o->delta);
  }
  o->mu = a.mu;
  o->c = a.c;
  for (auto& w : FieldValues(a.weights, "weights", true)) {
    for (const auto& [name, unused] : o->field_weights)
      if (name == w.first)
        RaiseType(PyExc_ValueError,
                  absl::StrCat("weights: '", name, "' is weighed by fields= too: give it once"));
    o->field_weights.push_back(std::move(w));
  }
  o->field_b = FieldValues(a.field_b, "field_b", false);
  if (!a.expand.is_none()) {
    if (!PyUnicode_Check(a.expand.ptr()))
      RaiseType(PyExc_TypeError, absl::StrCat("expand must be 'rm3', 'bo1', 'none' or None, got ",
                                              TypeName(a.expand.ptr())));
    o->expand = a.expand.cast<std::string>();
    if (o->expand.empty()) RaiseType(PyExc_ValueError, "expand: '' is no method (use None)");
  }
  o->fb_docs = FeedbackCount(a.fb_docs, "fb_docs");
  o->fb_terms = FeedbackCount(a.fb_terms, "fb_terms");
  if (!a.fb_weight.is_none()) {
    if (PyBool_Check(a.fb_weight.ptr()) || !PyNumber_Check(a.fb_weight.ptr()) ||
        PyUnicode_Check(a.fb_weight.ptr()))
      RaiseType(PyExc_TypeError, absl::StrCat("fb_weight must be a number or None, got ",
                                              TypeName(a.fb_weight.ptr())));
    const double w = a.fb_weight.cast<double>();
    // The engine reads a negative weight as "the default" (and so a NaN): refuse both here;
    // above 1 it refuses itself.
    if (!(w >= 0))
      RaiseType(PyExc_ValueError, absl::StrCat("fb_weight must be in [0, 1], got ", w));
    o->fb_weight = static_cast<float>(w);
  }
}

// synonyms: True = the index's own, False = none, a path = that file, analysed with the index's
// analyser (`scour search --synonyms FILE`).
void SetSynonyms(const IndexReader& reader, const py::object& synonyms, SearchOptions* o) {
  if (synonyms.ptr() == Py_True) return;
  if (synonyms.ptr() == Py_False) {
    o->use_synonyms = false;
    return;
  }
  if (!PyUnicode_Check(synonyms.ptr()) && !PyObject_HasAttrString(synonyms.ptr(), "__fspath__"))
    RaiseType(PyExc_TypeError, absl::StrCat("synonyms must be True, False or a file path, got ",
                                            TypeName(synonyms.ptr())));
  py::object path = py::module_::import("os").attr("fspath")(synonyms);
  std::string file;
  if (!AppendUtf8(path.ptr(), &file))
    RaiseType(PyExc_TypeError, "synonyms: a path must be a str or os.PathLike of str");
  if (file.empty()) RaiseType(PyExc_ValueError, "synonyms: the path is empty");
  absl::StatusOr<std::shared_ptr<const SynonymSet>> set;
  {
    py::gil_scoped_release nogil;
    set = SynonymSet::ReadFile(file, reader.analyzer_options());
  }
  o->synonyms = Check(std::move(set));
}

SearchOptions MakeOptions(const IndexReader& reader, int64_t k, const RankingArgs& ranking,
                          const py::object& fields, const std::string& op, bool syntax, bool count,
                          const py::object& synonyms) {
  if (k < 1) RaiseType(PyExc_ValueError, absl::StrCat("k must be at least 1, got ", k));
  if (op != "or" && op != "and")
    RaiseType(PyExc_ValueError, absl::StrCat("operator must be 'or' or 'and', got '", op, "'"));
  SearchOptions o;
  o.k = static_cast<size_t>(k);
  o.default_and = op == "and";
  o.query_syntax = syntax;
  o.count = count;
  SetSynonyms(reader, synonyms, &o);
  if (!fields.is_none()) {
    auto name_of = [](py::handle h) {
      std::string name;
      if (!AppendUtf8(h.ptr(), &name))
        RaiseType(PyExc_TypeError,
                  absl::StrCat("fields: field names are str, got ", TypeName(h.ptr())));
      return name;
    };
    if (PyUnicode_Check(fields.ptr())) {
      o.default_fields.push_back(name_of(fields));
    } else if (PyDict_Check(fields.ptr())) {  // {field: weight}
      for (auto [key, value] : py::reinterpret_borrow<py::dict>(fields)) {
        std::string name = name_of(key);
        if (!PyNumber_Check(value.ptr()) || PyUnicode_Check(value.ptr()))
          RaiseType(PyExc_TypeError,
                    absl::StrCat("fields: the weight of '", name, "' must be a number, got ",
                                 TypeName(value.ptr())));
        const double w = value.cast<double>();
        if (!(w >= 0) || !std::isfinite(w))
          RaiseType(PyExc_ValueError, absl::StrCat("fields: the weight of '", name,
                                                   "' must be finite and >= 0, got ", w));
        o.default_fields.push_back(name);
        o.ranking.field_weights.emplace_back(std::move(name), static_cast<float>(w));
      }
    } else {
      for (py::handle h : py::iter(fields)) o.default_fields.push_back(name_of(h));
    }
    if (o.default_fields.empty()) RaiseType(PyExc_ValueError, "fields: no field given");
    // Unknown names are InvalidArgument from the searcher; name them here for every query kind.
    const std::vector<std::string> known = reader.field_names();
    for (const std::string& f : o.default_fields)
      if (std::find(known.begin(), known.end(), f) == known.end())
        RaiseType(PyExc_ValueError, absl::StrCat("fields: unknown field '", f, "' (the index has: ",
                                                 absl::StrJoin(known, ", "), ")"));
  }
  SetRanking(ranking, &o.ranking);  // after fields=: its weights come first
  return o;
}

// The longest-on-average text field makes the best snippet source (as `scour search`).
std::string LongestField(const IndexReader& reader) {
  std::string best;
  double best_len = -1;
  for (const FieldStatistics& f : reader.field_statistics()) {
    const double len = f.average_length();
    if (len > best_len) best = f.name, best_len = len;
  }
  return best;
}

py::dict FieldsDict(const StoredDocument& d) {
  py::dict out;
  for (const auto& [name, value] : d.fields) out[MakeStr(name)] = MakeStr(value);
  return out;
}

struct PyResults {
  py::list hits;
  uint64_t total_hits = 0;
  bool total_is_exact = false;
  std::string parsed_query;
  std::string note;
};

class PySearcher {
 public:
  PySearcher(const std::string& path, bool verify) {
    absl::StatusOr<std::shared_ptr<IndexReader>> r;
    {
      py::gil_scoped_release nogil;
      r = IndexReader::Open(path, {.verify_checksums = verify});
    }
    std::shared_ptr<IndexReader> reader = Check(std::move(r));
    absl::StatusOr<std::unique_ptr<Searcher>> s = Searcher::Create(reader);
    searcher_ = Check(std::move(s));
    fields_ = reader->field_names();
  }

  PyResults Search(const std::string& query, int64_t k, const py::object& ranker, float k1, float b,
                   const py::object& delta, float mu, float c, const py::object& weights,
                   const py::object& field_b, const py::object& expand, const py::object& fb_docs,
                   const py::object& fb_terms, const py::object& fb_weight,
                   const py::object& fields, const std::string& op, bool syntax,
                   const py::object& synonyms, bool count, bool explain, const py::object& snippets,
                   const py::object& stored, const std::pair<std::string, std::string>& highlight,
                   int64_t snippet_bytes) {
    std::shared_ptr<Searcher> searcher = Get();
    const IndexReader& reader = searcher->reader();
    std::optional<CallModel> model;
    SearchOptions o = Options(
        reader, k,
        {ranker, k1, b, delta, mu, c, weights, field_b, expand, fb_docs, fb_terms, fb_weight},
        fields, op, syntax, count, synonyms, &model);
    o.explain = explain;
    // stored: True = every stored field, False = none, or a list of names.
    std::optional<std::vector<std::string>> keep;
    if (stored.ptr() == Py_True || stored.ptr() == Py_False) {
      o.load_stored = stored.ptr() == Py_True;
    } else {
      if (PyUnicode_Check(stored.ptr()))
        RaiseType(PyExc_TypeError, "stored must be True, False or a list of field names");
      keep.emplace();
      for (py::handle h : py::iter(stored)) {
        std::string name;
        if (!AppendUtf8(h.ptr(), &name))
          RaiseType(PyExc_TypeError, "stored must be True, False or a list of field names");
        if (std::find(fields_.begin(), fields_.end(), name) == fields_.end())
          RaiseType(PyExc_ValueError, absl::StrCat("stored: unknown field '", name, "'"));
        keep->push_back(std::move(name));
      }
      o.load_stored = true;
    }
    if (snippets.ptr() == Py_True) {
      o.snippet_field = LongestField(reader);
    } else if (PyUnicode_Check(snippets.ptr())) {
      o.snippet_field = snippets.cast<std::string>();
      if (std::find(fields_.begin(), fields_.end(), o.snippet_field) == fields_.end())
        RaiseType(PyExc_ValueError,
                  absl::StrCat("snippets: unknown field '", o.snippet_field, "'"));
    } else if (snippets.ptr() != Py_False && !snippets.is_none()) {
      RaiseType(PyExc_TypeError, "snippets must be True, False or a field name");
    }
    if (snippet_bytes < 1)
      RaiseType(PyExc_ValueError,
                absl::StrCat("snippet_bytes must be at least 1, got ", snippet_bytes));
    o.snippet_bytes = static_cast<size_t>(snippet_bytes);
    o.highlight_open = highlight.first;
    o.highlight_close = highlight.second;
    const bool want_stored = o.load_stored;
    if (!o.snippet_field.empty()) o.load_stored = true;  // for the highlights' offsets

    absl::StatusOr<SearchResults> r;
    {
      py::gil_scoped_release nogil;
      r = searcher->Search(query, o);
    }
    if (model) model->errors().RaiseIfAny();  // a Python exception in the model, as itself
    SearchResults res = Check(std::move(r));
    PyResults out;
    out.total_hits = res.total_hits;
    out.total_is_exact = res.total_is_exact;
    out.parsed_query = std::move(res.parsed_query);
    out.note = std::move(res.note);
    for (Hit& h : res.hits) {
      // Highlights: byte ranges of the snippet field -> character ranges.
      if (!h.highlights.empty()) {
        if (const std::string* text = h.document.Get(o.snippet_field)) {
          CharOffsets chars(*text);
          for (auto& [start, end] : h.highlights) {
            start = static_cast<uint32_t>(chars(start));
            end = static_cast<uint32_t>(chars(end));
          }
        }
      }
      if (!want_stored) {
        h.document.fields.clear();
      } else if (keep) {
        std::erase_if(h.document.fields, [&](const auto& f) {
          return std::find(keep->begin(), keep->end(), f.first) == keep->end();
        });
      }
      out.hits.append(py::cast(std::move(h)));
    }
    return out;
  }

  // The columns of a batch: (offsets int64[n + 1], docno object[h], score float64[h]). Raises
  // for the first query (in input order) that failed, naming its qid.
  py::tuple Batch(const py::list& qids, const std::vector<std::string>& queries, int64_t k,
                  const py::object& ranker, float k1, float b, const py::object& delta, float mu,
                  float c, const py::object& weights, const py::object& field_b,
                  const py::object& expand, const py::object& fb_docs, const py::object& fb_terms,
                  const py::object& fb_weight, const py::object& fields, const std::string& op,
                  bool syntax, const py::object& synonyms, int64_t threads) {
    std::shared_ptr<Searcher> searcher = Get();
    const IndexReader& reader = searcher->reader();
    if (static_cast<size_t>(qids.size()) != queries.size())
      RaiseType(PyExc_ValueError, "one qid per query");
    CheckThreads(threads);
    std::optional<CallModel> model;
    SearchOptions o = Options(
        reader, k,
        {ranker, k1, b, delta, mu, c, weights, field_b, expand, fb_docs, fb_terms, fb_weight},
        fields, op, syntax, false, synonyms, &model);
    o.load_stored = false;
    BatchResults r;
    {
      py::gil_scoped_release nogil;
      r = searcher->SearchBatch(queries, o, static_cast<int>(threads));
    }
    if (model) model->errors().RaiseIfAny();
    for (size_t i = 0; i < r.errors.size(); ++i)
      if (!r.errors[i].ok())
        Raise(r.errors[i], absl::StrCat("query ", py::str(qids[i]).cast<std::string>(), ": "));

    const size_t n = r.docs.size();
    py::array_t<int64_t> offsets(static_cast<py::ssize_t>(r.offsets.size()));
    std::copy(r.offsets.begin(), r.offsets.end(), offsets.mutable_data());
    py::array_t<double> scores(static_cast<py::ssize_t>(n));
    std::copy(r.scores.begin(), r.scores.end(), scores.mutable_data());
    py::array docnos(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)},
                     std::vector<py::ssize_t>{});
    PyObject** slot = static_cast<PyObject**>(docnos.mutable_data());
    if (docnos_.size() != reader.max_doc()) docnos_.assign(reader.max_doc(), nullptr);
    for (size_t i = 0; i < n; ++i) {
      PyObject*& cached = docnos_[r.docs[i]];
      if (cached == nullptr) cached = MakeStr(Check(reader.ExternalId(r.docs[i]))).release().ptr();
      Py_INCREF(cached);
      Py_XDECREF(slot[i]);
      slot[i] = cached;
    }
    return py::make_tuple(offsets, docnos, scores);
  }

  // The GIL serialises this (an Analyzer is used by one thread at a time).
  std::vector<PyToken> Analyze(const py::str& text) {
    std::shared_ptr<Searcher> searcher = Get();
    if (!analyzer_) {
      analyzer_ = std::make_unique<Analyzer>(
          Check(Analyzer::Create(searcher->reader().analyzer_options())));
    }
    return AnalyzeText(analyzer_.get(), text);
  }

  py::dict Stats() {
    std::shared_ptr<Searcher> searcher = Get();
    const IndexReader& reader = searcher->reader();
    py::dict d;
    d["documents"] = reader.num_docs();
    d["max_doc"] = reader.max_doc();
    d["deleted"] = reader.num_deleted();
    d["segments"] = reader.num_segments();
    d["generation"] = reader.generation();
    AnalyzerOptions a = reader.analyzer_options();
    d["language"] = a.language;
    d["stopwords"] = a.stopwords;
    py::dict fields;
    for (const FieldStatistics& f : reader.field_statistics()) {
      py::dict s;
      s["docs_with_field"] = f.docs_with_field;
      s["tokens"] = f.sum_total_term_freq;
      s["postings"] = f.sum_doc_freq;
      s["terms"] = f.terms;
      fields[MakeStr(f.name)] = s;
    }
    d["fields"] = fields;
    return d;
  }

  py::dict Document(const std::string& id) {
    std::shared_ptr<Searcher> searcher = Get();
    const IndexReader& reader = searcher->reader();
    absl::StatusOr<StoredDocument> d;
    {
      py::gil_scoped_release nogil;
      absl::StatusOr<uint64_t> doc = reader.Find(id);
      d = doc.ok() ? reader.Document(*doc) : absl::StatusOr<StoredDocument>(doc.status());
    }
    if (absl::IsNotFound(d.status())) {
      PyErr_SetObject(PyExc_KeyError, py::str(id).ptr());
      throw py::error_already_set();
    }
    return FieldsDict(Check(std::move(d)));
  }

  uint64_t num_docs() { return Get()->reader().num_docs(); }
  std::vector<std::string> fields() {
    Get();
    return fields_;
  }
  void Close() {
    searcher_.reset();
    models_.Clear();
    analyzer_.reset();
    ClearDocnos();
  }
  ~PySearcher() { ClearDocnos(); }  // pybind11 destroys it with the GIL held
  bool closed() const { return searcher_ == nullptr; }

 private:
  // MakeOptions, and when the ranker is a scoring model written in Python (model.h), `model`:
  // it must outlive the search, and holds the model's errors until the search returns.
  SearchOptions Options(const IndexReader& reader, int64_t k, const RankingArgs& ranking,
                        const py::object& fields, const std::string& op, bool syntax, bool count,
                        const py::object& synonyms, std::optional<CallModel>* model) {
    SearchOptions o = MakeOptions(reader, k, ranking, fields, op, syntax, count, synonyms);
    if (!PyUnicode_Check(ranking.ranker.ptr())) {
      model->emplace(models_.Get(ranking.ranker));
      o.ranking.similarity = (*model)->ForSearch();
    }
    return o;
  }

  std::shared_ptr<Searcher> Get() const {
    if (!searcher_) RaiseType(PyExc_ValueError, "the Searcher is closed");
    return searcher_;
  }

  void ClearDocnos() {
    for (PyObject* o : docnos_) Py_XDECREF(o);
    docnos_.clear();
  }

  std::shared_ptr<Searcher> searcher_;  // holds the reader (the snapshot)
  // The docno str of each internal doc, made on first use and then shared by every batch's
  // column (a run repeats documents across queries): no str made per hit. Touched only with
  // the GIL held.
  std::vector<PyObject*> docnos_;
  std::unique_ptr<Analyzer> analyzer_;
  std::vector<std::string> fields_;
  ModelCache models_;  // the Python models this searcher has been given (checked once each)
};

class PyAnalyzer {
 public:
  PyAnalyzer(const std::string& language, bool stopwords)
      : a_(Check(Analyzer::Create({.language = language, .stopwords = stopwords}))) {}
  std::vector<PyToken> Analyze(const py::str& text) { return AnalyzeText(&a_, text); }
  py::list Terms(const py::str& text) {
    py::list out;
    for (const PyToken& t : AnalyzeText(&a_, text)) out.append(MakeStr(t.term));
    return out;
  }
  const AnalyzerOptions& options() const { return a_.options(); }

 private:
  Analyzer a_;
};

}  // namespace

void BindSearcher(py::module_& m) {
  py::class_<PyToken>(m, "Token",
                      "One token: the analysed term, its position (word index) and "
                      "its start and end in the text, in characters.")
      .def_readonly("term", &PyToken::term)
      .def_readonly("position", &PyToken::position)
      .def_readonly("start", &PyToken::start)
      .def_readonly("end", &PyToken::end)
      .def("__repr__", [](const PyToken& t) {
        return absl::StrCat("Token(", py::repr(MakeStr(t.term)).cast<std::string>(), ", ",
                            t.position, ", ", t.start, ", ", t.end, ")");
      });

  py::class_<Hit>(m, "Hit", "One search hit.")
      .def_readonly("id", &Hit::id, "The external id.")
      .def_readonly("score", &Hit::score)
      .def_readonly("doc", &Hit::doc, "Internal id in the searcher's snapshot.")
      .def_property_readonly(
          "fields", [](const Hit& h) { return FieldsDict(h.document); },
          "Stored fields (name -> str), as asked for by `stored`.")
      .def_property_readonly(
          "snippet", [](const Hit& h) { return MakeStr(h.snippet); },
          "Best passage of the snippet field with the matches highlighted ('' if none).")
      .def_readonly("highlights", &Hit::highlights,
                    "(start, end) of each match in the snippet field's text, in characters.")
      .def_property_readonly(
          "explanation", [](const Hit& h) { return MakeStr(h.explanation); },
          "With explain=True: the score broken into its per-term parts.")
      .def("__repr__", [](const Hit& h) {
        return absl::StrCat("Hit(id=", py::repr(MakeStr(h.id)).cast<std::string>(),
                            ", score=", h.score, ")");
      });

  py::class_<PyResults>(m, "SearchResults",
                        "The ranked hits of one query (a sequence of Hit, best first).")
      .def_readonly("hits", &PyResults::hits)
      .def_readonly("total_hits", &PyResults::total_hits,
                    "Matching documents: exact with count=True, else the number of hits.")
      .def_readonly("total_is_exact", &PyResults::total_is_exact)
      .def_readonly("parsed_query", &PyResults::parsed_query, "Canonical form of the parsed query.")
      .def_readonly("note", &PyResults::note, "Why nothing was searched, if so.")
      .def("__len__", [](const PyResults& r) { return r.hits.size(); })
      .def("__getitem__", [](const PyResults& r, py::object i) { return r.hits[i]; })
      .def("__iter__", [](const PyResults& r) { return py::iter(r.hits); })
      .def("__repr__", [](const PyResults& r) {
        return absl::StrCat("SearchResults(", r.hits.size(), " hits, total_hits=", r.total_hits,
                            ")");
      });

  py::class_<PySearcher>(m, "Searcher")
      .def(py::init<const std::string&, bool>(), py::arg("path"), py::kw_only(),
           py::arg("verify") = false)
      .def("search", &PySearcher::Search, py::arg("query"), py::arg("k") = 10, py::kw_only(),
           py::arg("ranker") = "bm25", py::arg("k1") = 0.9f, py::arg("b") = 0.4f,
           py::arg("delta") = py::none(), py::arg("mu") = 1000.0f, py::arg("c") = 1.0f,
           py::arg("weights") = py::none(), py::arg("field_b") = py::none(),
           py::arg("expand") = py::none(), py::arg("fb_docs") = py::none(),
           py::arg("fb_terms") = py::none(), py::arg("fb_weight") = py::none(),
           py::arg("fields") = py::none(), py::arg("operator") = "or", py::arg("syntax") = true,
           py::arg("synonyms") = true, py::arg("count") = false, py::arg("explain") = false,
           py::arg("snippets") = false, py::arg("stored") = true,
           py::arg("highlight") = std::make_pair(std::string("["), std::string("]")),
           py::arg("snippet_bytes") = 220,
           R"doc(The top k hits of `query` (the query language of docs/QUERY.md; syntax=False: a
bag of words), best first, as `scour search` ranks them.

ranker: a built-in's name (bm25, bm25-robertson, bm25+, bm25l, bm25tp, bm25f, qld, dfr-inb2,
dfr-inexpb2, dfr-inl2) or a scoring model written in Python, with k1, b, delta, mu, c.
weights: {field: weight}; field_b: bm25f's {field: b}. expand: "rm3" or "bo1" pseudo-relevance
feedback, with fb_docs, fb_terms, fb_weight (None: the method's default); the re-written query
is the result's parsed_query. fields: the fields unqualified terms search (a list, or a dict
that also weighs them). Every parameter is described in docs/PYTHON.md.)doc")
      .def("_batch", &PySearcher::Batch, py::arg("qids"), py::arg("queries"), py::arg("k"),
           py::kw_only(), py::arg("ranker"), py::arg("k1"), py::arg("b"), py::arg("delta"),
           py::arg("mu"), py::arg("c"), py::arg("weights") = py::none(),
           py::arg("field_b") = py::none(), py::arg("expand") = py::none(),
           py::arg("fb_docs") = py::none(), py::arg("fb_terms") = py::none(),
           py::arg("fb_weight") = py::none(), py::arg("fields"), py::arg("operator"),
           py::arg("syntax"), py::arg("synonyms"), py::arg("threads"))
      .def("analyze", &PySearcher::Analyze, py::arg("text"),
           "The tokens of `text` as the index's analyzer makes them.")
      .def("stats", &PySearcher::Stats)
      .def("document", &PySearcher::Document, py::arg("id"),
           "The stored fields of the live document with this id (KeyError if none).")
      .def_property_readonly("num_docs", &PySearcher::num_docs)
      .def("__len__", &PySearcher::num_docs)
      .def_property_readonly("fields", &PySearcher::fields)
      .def("close", &PySearcher::Close)
      .def_property_readonly("closed", &PySearcher::closed);

  py::class_<PyAnalyzer>(m, "Analyzer", R"doc(
The analysis chain: text -> tokens (term, position, character offsets).

    Analyzer(language="english", stopwords=False)

UAX #29 words, NFKC case folding, optional English stopwords, Snowball stemming.)doc")
      .def(py::init<const std::string&, bool>(), py::arg("language") = "english",
           py::arg("stopwords") = false)
      .def("analyze", &PyAnalyzer::Analyze, py::arg("text"))
      .def("__call__", &PyAnalyzer::Analyze, py::arg("text"))
      .def("terms", &PyAnalyzer::Terms, py::arg("text"), "The analysed terms of `text`.")
      .def_property_readonly("language", [](const PyAnalyzer& a) { return a.options().language; })
      .def_property_readonly("stopwords",
                             [](const PyAnalyzer& a) { return a.options().stopwords; });
  m.def("languages", &Analyzer::Languages, "Stemming languages an index can be created with.");
}

}  // namespace scour::python
