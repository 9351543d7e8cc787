// scour.IndexWriter: documents from Python dicts or DataFrame columns into scour::IndexWriter.
// Python values are converted with the GIL held, a batch at a time, then the batch is added
// with the GIL released (the writer's workers invert in parallel meanwhile). The C++ writer
// is single-threaded, so a mutex makes Python threads that share one take turns.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "scour/document.h"
#include "scour/index_writer.h"

namespace scour::python {
namespace {

// Documents converted per GIL release in add_many.
constexpr size_t kBatch = 256;

// How a Python mapping becomes a Document (docs/PYTHON.md, "Documents"), as `scour index` reads
// a JSONL object: the id under `id_field`; text (str) values become fields, indexed unless
// `fields` lists others, stored unless `store` excludes them; None / NaN / pandas.NA mean
// absent. A non-str value is a TypeError, unless `fields` is given and does not name it (then
// it is ignored, as the CLI ignores a JSON number it was not asked to index).
struct DocumentRules {
  std::string id_field = "id";
  std::optional<std::unordered_set<std::string>> fields;  // to index; unset = every text field
  std::optional<std::unordered_set<std::string>> store;   // to store; unset = every field

  bool Indexed(std::string_view name) const {
    return !fields || fields->count(std::string(name)) > 0;
  }
  bool Stored(std::string_view name) const { return !store || store->count(std::string(name)) > 0; }
};

std::optional<std::unordered_set<std::string>> NameSet(const py::object& o, const char* what) {
  if (o.is_none()) return std::nullopt;
  if (PyUnicode_Check(o.ptr()))
    RaiseType(PyExc_TypeError, absl::StrCat(what, " must be a list of field names, not a str"));
  std::unordered_set<std::string> names;
  for (py::handle h : py::iter(o)) {
    std::string name;
    if (!AppendUtf8(h.ptr(), &name))
      RaiseType(PyExc_TypeError, absl::StrCat(what, " must be a list of field names (str), got ",
                                              TypeName(h.ptr())));
    names.insert(std::move(name));
  }
  return names;
}

// Which input a message is about: "document 7" or "row 7", formatted only for an error.
struct Where {
  const char* kind;
  size_t number;
  std::string str() const { return absl::StrCat(kind, " ", number); }
};

// The id value: a str, or an int (written in decimal), as DataFrames often hold them.
void SetId(PyObject* v, Document* doc, const Where& where) {
  doc->id.clear();
  std::string_view id;
  py::object keep;
  if (Utf8Of(v, &id, &keep, [&] { return absl::StrCat(where.str(), ": the id: "); })) {
    doc->id.assign(id);
    return;
  }
  if (!PyBool_Check(v) && PyIndex_Check(v)) {
    py::object s = py::reinterpret_steal<py::object>(PyObject_Str(v));
    if (!s) throw py::error_already_set();
    AppendUtf8(s.ptr(), &doc->id);
    return;
  }
  if (IsMissing(v)) RaiseType(PyExc_ValueError, absl::StrCat(where.str(), ": the id is missing"));
  RaiseType(PyExc_TypeError,
            absl::StrCat(where.str(), ": the id must be a str or an int, not ", TypeName(v),
                         PyFloat_Check(v) ? " (an int column with missing values becomes float: "
                                            "drop them or use astype('Int64') or astype(str))"
                                          : ""));
}

// Appends field `name` = `value` to *doc (its n-th field, reusing buffers), per `rules`.
void AddField(const DocumentRules& rules, std::string_view name, PyObject* value, Document* doc,
              size_t* n, const Where& where) {
  if (IsMissing(value)) return;
  const bool indexed = rules.Indexed(name);
  std::string_view text;
  py::object keep;
  if (!Utf8Of(value, &text, &keep,
              [&] { return absl::StrCat(where.str(), ": field '", Av(name), "': "); })) {
    if (!indexed) return;  // fields= given and not naming it: ignored, as the CLI does
    RaiseType(PyExc_TypeError,
              absl::StrCat(where.str(), ": field '", Av(name), "' is ", TypeName(value),
                           ", not str (fields hold text: convert it, e.g. with astype(str), or "
                           "name the text fields with fields=[...])"));
  }
  const bool stored = rules.Stored(name);
  if (!indexed && !stored) return;
  if (*n == doc->fields.size()) doc->fields.emplace_back();
  Field& f = doc->fields[(*n)++];
  f.name.assign(name);
  f.value.assign(text);
  f.indexed = indexed;
  f.stored = stored;
}

// Fills *doc from a mapping (a dict, or anything with .items(), e.g. a pandas Series).
void FillFromMapping(const DocumentRules& rules, py::handle mapping, Document* doc,
                     const Where& where) {
  size_t n = 0;
  bool have_id = false;
  auto one = [&](PyObject* key, PyObject* value) {
    std::string_view name;
    py::object keep;
    if (!Utf8Of(key, &name, &keep, [&] { return absl::StrCat(where.str(), ": a field name: "); }))
      RaiseType(PyExc_TypeError,
                absl::StrCat(where.str(), ": field names must be str, got ", TypeName(key)));
    if (name == rules.id_field) {
      SetId(value, doc, where);
      have_id = true;
    } else {
      AddField(rules, name, value, doc, &n, where);
    }
  };
  if (PyDict_Check(mapping.ptr())) {
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(mapping.ptr(), &pos, &key, &value)) {
      // Hold both: converting a value may run Python code that changes the dict.
      py::object k = py::reinterpret_borrow<py::object>(key);
      py::object v = py::reinterpret_borrow<py::object>(value);
      one(k.ptr(), v.ptr());
    }
  } else if (py::hasattr(mapping, "items") && !PyUnicode_Check(mapping.ptr())) {
    for (py::handle item : py::iter(mapping.attr("items")())) {
      py::tuple kv = py::reinterpret_borrow<py::object>(item);
      if (!PyTuple_Check(item.ptr()) || kv.size() != 2)
        RaiseType(PyExc_TypeError,
                  absl::StrCat(where.str(), ": items() must give (key, value) pairs"));
      one(kv[0].ptr(), kv[1].ptr());
    }
  } else {
    RaiseType(PyExc_TypeError, absl::StrCat(where.str(),
                                            ": a document is a dict (field -> str), "
                                            "not ",
                                            TypeName(mapping.ptr())));
  }
  doc->fields.resize(n);
  if (!have_id)
    RaiseType(PyExc_ValueError,
              absl::StrCat(where.str(), ": no '", rules.id_field, "' (the id field)"));
}

class PyIndexWriter {
 public:
  PyIndexWriter(const std::string& path, const py::object& analyzer, bool stopwords,
                int64_t threads, int64_t ram_mb, bool merge, int64_t merge_factor,
                const std::string& id_field, const py::object& fields, const py::object& store) {
    if (id_field.empty()) RaiseType(PyExc_ValueError, "id_field must not be empty");
    IndexWriterOptions o = WriterOptions(analyzer, stopwords, threads, ram_mb, merge);
    if (merge_factor < 2) RaiseType(PyExc_ValueError, "merge_factor must be at least 2");
    rules_.id_field = id_field;
    rules_.fields = NameSet(fields, "fields");
    rules_.store = NameSet(store, "store");
    o.merge_factor = static_cast<size_t>(merge_factor);
    absl::StatusOr<std::unique_ptr<IndexWriter>> w;
    {
      py::gil_scoped_release nogil;
      w = IndexWriter::Open(path, o);
    }
    writer_ = Check(std::move(w));
  }

  void Add(py::handle doc) {
    IndexWriter* w = Writer();
    Document d;
    FillFromMapping(rules_, doc, &d, Where{"document", 0});
    Locked([&] { return w->AddDocument(std::move(d)); }, "");
  }

  // Any iterable of mappings. Returns the number added.
  size_t AddMany(py::handle docs) {
    IndexWriter* w = Writer();
    size_t added = 0;
    std::vector<Document> batch(kBatch);  // per call: threads sharing the writer fill their own
    py::iterator it = py::iter(docs);
    for (bool more = true; more;) {
      size_t n = 0;
      for (; n < kBatch && it != py::iterator::sentinel(); ++it, ++n)
        FillFromMapping(rules_, *it, &batch[n], Where{"document", added + n});
      more = it != py::iterator::sentinel();
      AddBatch(w, &batch, n, "document ", added);
      added += n;
    }
    return added;
  }

  // Columns of one DataFrame chunk: names[c] and columns[c] (lists of equal length), rows
  // numbered from `first_row` in messages. Returns the number added.
  size_t AddColumns(const std::vector<std::string>& names, const py::list& columns,
                    size_t first_row) {
    IndexWriter* w = Writer();
    if (names.size() != columns.size())
      RaiseType(PyExc_ValueError, "AddColumns: one name per column");
    int id_col = -1;
    for (size_t c = 0; c < names.size(); ++c)
      if (names[c] == rules_.id_field) id_col = static_cast<int>(c);
    if (id_col < 0)
      RaiseType(PyExc_ValueError,
                absl::StrCat("no '", rules_.id_field,
                             "' column (the id; set id_field= to name another column)"));
    std::vector<PyObject*> cols;
    size_t rows = 0;
    for (size_t c = 0; c < names.size(); ++c) {
      PyObject* col = columns[c].ptr();
      if (!PyList_Check(col)) RaiseType(PyExc_TypeError, "AddColumns: columns must be lists");
      if (c == 0) rows = static_cast<size_t>(PyList_GET_SIZE(col));
      if (static_cast<size_t>(PyList_GET_SIZE(col)) != rows)
        RaiseType(PyExc_ValueError, "AddColumns: columns of different lengths");
      cols.push_back(col);
    }
    size_t added = 0;
    std::vector<Document> batch(std::min(kBatch, rows));
    while (added < rows) {
      const size_t n = std::min(kBatch, rows - added);
      for (size_t i = 0; i < n; ++i) {
        const size_t row = added + i;
        const Where where{"row", first_row + row};
        Document* doc = &batch[i];
        size_t nf = 0;
        SetId(PyList_GET_ITEM(cols[id_col], row), doc, where);
        for (size_t c = 0; c < cols.size(); ++c)
          if (static_cast<int>(c) != id_col)
            AddField(rules_, names[c], PyList_GET_ITEM(cols[c], row), doc, &nf, where);
        doc->fields.resize(nf);
      }
      AddBatch(w, &batch, n, "row ", first_row + added);
      added += n;
    }
    return added;
  }

  void Delete(const std::string& id) {
    IndexWriter* w = Writer();
    Locked([&] { return w->DeleteDocument(id); }, "");
  }
  void Commit() {
    IndexWriter* w = Writer();
    Locked([&] { return w->Commit(); }, "");
  }
  void Rollback() {
    IndexWriter* w = Writer();
    Locked([&] { return w->Rollback(); }, "");
  }
  void Merge(int64_t max_segments) {
    if (max_segments < 1) RaiseType(PyExc_ValueError, "max_segments must be at least 1");
    IndexWriter* w = Writer();
    Locked([&] { return w->ForceMerge(static_cast<size_t>(max_segments)); }, "");
  }

  // Discards what was not committed and releases the index (its lock).
  void Close() {
    std::unique_ptr<IndexWriter> w;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> l(mu_);
      w = std::move(writer_);
      w.reset();  // rolls back, joins the workers, unlocks
    }
  }
  bool closed() const { return writer_ == nullptr; }

  py::dict Stats() {
    IndexWriter* w = Writer();
    IndexWriterStats s;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> l(mu_);
      s = w->stats();
    }
    py::dict d;
    d["docs_added"] = s.docs_added;
    d["deletes_requested"] = s.deletes_requested;
    d["segments_flushed"] = s.segments_flushed;
    d["bytes_indexed"] = s.bytes_indexed;
    return d;
  }

 private:
  IndexWriter* Writer() const {
    if (!writer_) RaiseType(PyExc_ValueError, "the IndexWriter is closed");
    return writer_.get();
  }
  // Runs fn (which returns a Status) without the GIL, under the writer's mutex.
  template <typename Fn>
  void Locked(Fn&& fn, std::string_view context) {
    absl::Status s;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> l(mu_);
      if (writer_ == nullptr) {
        s = absl::FailedPreconditionError("the IndexWriter was closed by another thread");
      } else {
        s = fn();
      }
    }
    Check(s, context);
  }
  // Adds (*batch)[0, n) without the GIL; an error names the failing one as `kind` first + i.
  void AddBatch(IndexWriter* w, std::vector<Document>* batch, size_t n, const char* kind,
                size_t first) {
    absl::Status s;
    size_t i = 0;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> l(mu_);
      if (writer_ == nullptr) {
        s = absl::FailedPreconditionError("the IndexWriter was closed by another thread");
      } else {
        for (; i < n && s.ok(); ++i) s = w->AddDocumentRecycling(&(*batch)[i]);
      }
    }
    if (!s.ok()) Check(s, absl::StrCat(kind, first + (i ? i - 1 : 0), ": "));
  }

  std::mutex mu_;
  std::unique_ptr<IndexWriter> writer_;
  DocumentRules rules_;
};

}  // namespace

void BindWriter(py::module_& m) {
  py::class_<PyIndexWriter>(m, "IndexWriter", R"doc(
Adds, replaces and deletes documents in an on-disk index (created if missing) and commits them.

    IndexWriter(path, *, analyzer=None, stopwords=False, threads=0, ram_mb=256, merge=True,
                merge_factor=10, id_field="id", fields=None, store=None)

analyzer: stemming language of a NEW index ("english", "none", scour.languages()); an existing
index keeps its own, and naming a different one is a ValueError. threads: inverting threads,
the calling one included (0 = one per core). ram_mb: in-memory budget; a segment is written at
it. fields / store: the fields to index / to store (default: every str field / all).

One writer per index at a time (scour.LockedError otherwise). Nothing is visible to readers
before commit(); close() (or garbage collection) discards what was not committed. As a context
manager it commits on a normal exit and rolls back on an exception. The GIL is released while
documents are inverted and written.)doc")
      .def(py::init<const std::string&, const py::object&, bool, int64_t, int64_t, bool, int64_t,
                    const std::string&, const py::object&, const py::object&>(),
           py::arg("path"), py::kw_only(), py::arg("analyzer") = py::none(),
           py::arg("stopwords") = false, py::arg("threads") = 0, py::arg("ram_mb") = 256,
           py::arg("merge") = true, py::arg("merge_factor") = 10, py::arg("id_field") = "id",
           py::arg("fields") = py::none(), py::arg("store") = py::none())
      .def("add", &PyIndexWriter::Add, py::arg("doc"),
           "Adds one document (a dict: id_field -> id, field -> str). An id already in the "
           "index or added earlier is replaced.")
      .def("_add_iterable", &PyIndexWriter::AddMany, py::arg("docs"))
      .def("_add_columns", &PyIndexWriter::AddColumns, py::arg("names"), py::arg("columns"),
           py::arg("first_row"))
      .def("delete", &PyIndexWriter::Delete, py::arg("id"),
           "Deletes the document with this id, if there is one.")
      .def("commit", &PyIndexWriter::Commit,
           "Makes everything since the last commit durable and visible, atomically.")
      .def("rollback", &PyIndexWriter::Rollback, "Discards everything since the last commit.")
      .def("merge", &PyIndexWriter::Merge, py::arg("max_segments") = 1,
           "Merges segments until at most max_segments remain (purging deletions), then "
           "commits.")
      .def("close", &PyIndexWriter::Close,
           "Discards what was not committed and releases the index. Idempotent.")
      .def_property_readonly("closed", &PyIndexWriter::closed)
      .def("stats", &PyIndexWriter::Stats,
           "docs_added, deletes_requested, segments_flushed, bytes_indexed since opening.");
}

}  // namespace scour::python
