// index_files and read_documents: what `scour index` reads, through the public DocumentSource.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "scour/document_source.h"
#include "scour/index_writer.h"

namespace scour::python {
namespace {

DocumentSourceOptions SourceOptions(const std::string& format, const std::string& id_field,
                                    const py::object& fields, const py::object& store) {
  DocumentSourceOptions o;
  o.format = format;
  o.id_field = id_field;
  if (!fields.is_none()) {
    if (PyUnicode_Check(fields.ptr())) RaiseType(PyExc_TypeError, "fields: a list of names");
    o.fields = fields.cast<std::vector<std::string>>();
  }
  if (!store.is_none()) {
    if (PyUnicode_Check(store.ptr())) RaiseType(PyExc_TypeError, "store: a list of names");
    o.store = store.cast<std::vector<std::string>>();
  }
  return o;
}

py::dict ToDict(const Document& d, const std::string& id_field) {
  py::dict out;
  out[MakeStr(id_field)] = MakeStr(d.id);
  for (const Field& f : d.fields) out[MakeStr(f.name)] = MakeStr(f.value);
  return out;
}

// `scour index` as a function: every input opened first (a missing path fails before any
// work), documents added with the GIL released, a repeated id within the call a bad record,
// a bad record fatal (nothing committed) unless skip_bad, then one commit.
py::dict IndexFiles(const std::string& path, const std::vector<std::string>& inputs,
                    const std::string& format, const std::string& id_field,
                    const py::object& fields, const py::object& store, bool skip_bad,
                    const py::object& analyzer, bool stopwords, int64_t threads, int64_t ram_mb,
                    bool merge) {
  if (inputs.empty()) RaiseType(PyExc_ValueError, "index_files: no input files");
  IndexWriterOptions wo = WriterOptions(analyzer, stopwords, threads, ram_mb, merge);
  DocumentSourceOptions so = SourceOptions(format, id_field, fields, store);
  wo.reject_duplicate_ids = true;
  uint64_t docs = 0;
  std::vector<std::string> skipped;
  absl::Status status;
  bool record_error = false;
  {
    py::gil_scoped_release nogil;
    [&] {
      absl::StatusOr<std::unique_ptr<IndexWriter>> writer = IndexWriter::Open(path, wo);
      if (!writer.ok()) return void(status = writer.status());
      std::vector<std::unique_ptr<DocumentSource>> sources;
      for (const std::string& in : inputs) {
        absl::StatusOr<std::unique_ptr<DocumentSource>> s = DocumentSource::Open(in, so);
        if (!s.ok()) return void(status = s.status());
        sources.push_back(*std::move(s));
      }
      Document doc;
      for (auto& source : sources) {
        for (;;) {
          absl::StatusOr<bool> more = source->Next(&doc);
          absl::Status bad;
          if (!more.ok()) {
            if (!absl::IsInvalidArgument(more.status())) return void(status = more.status());
            bad = more.status();
          } else if (!*more) {
            break;
          } else {
            absl::Status s = (*writer)->AddDocumentRecycling(&doc);
            if (absl::IsAlreadyExists(s)) {
              bad = absl::InvalidArgumentError(absl::StrCat(source->origin(), ": ", s.message()));
            } else if (!s.ok()) {
              return void(status = s);
            }
          }
          if (!bad.ok()) {
            if (!skip_bad) {
              record_error = true;
              return void(status = bad);
            }
            skipped.emplace_back(bad.message());
            continue;
          }
          ++docs;
        }
      }
      status = (*writer)->Commit();
    }();
  }
  if (!status.ok()) {
    if (record_error)
      status = absl::Status(status.code(), absl::StrCat(status.message(),
                                                        " (nothing was committed; skip_bad=True "
                                                        "skips bad records)"));
    Raise(status);
  }
  py::dict out;
  out["documents"] = docs;
  out["skipped"] = skipped.size();
  py::list messages;
  for (const std::string& m : skipped) messages.append(MakeStr(m));
  out["errors"] = messages;
  return out;
}

class DocumentIterator {
 public:
  DocumentIterator(const std::string& path, const std::string& format, const std::string& id_field,
                   const py::object& fields, const py::object& store)
      : id_field_(id_field) {
    DocumentSourceOptions o = SourceOptions(format, id_field, fields, store);
    absl::StatusOr<std::unique_ptr<DocumentSource>> s;
    {
      py::gil_scoped_release nogil;
      s = DocumentSource::Open(path, o);
    }
    source_ = Check(std::move(s));
  }
  py::dict Next() {
    if (!source_) throw py::stop_iteration();
    absl::StatusOr<bool> more;
    {
      py::gil_scoped_release nogil;
      more = source_->Next(&doc_);
    }
    if (!more.ok()) {
      if (!absl::IsInvalidArgument(more.status())) source_.reset();  // I/O: cannot go on
      Raise(more.status());
    }
    if (!*more) {
      source_.reset();
      throw py::stop_iteration();
    }
    return ToDict(doc_, id_field_);
  }

 private:
  std::string id_field_;
  std::unique_ptr<DocumentSource> source_;
  Document doc_;
};

}  // namespace

void BindIngest(py::module_& m) {
  m.def("_index_files", &IndexFiles, py::arg("path"), py::arg("inputs"), py::arg("format"),
        py::arg("id_field"), py::arg("fields"), py::arg("store"), py::arg("skip_bad"),
        py::arg("analyzer"), py::arg("stopwords"), py::arg("threads"), py::arg("ram_mb"),
        py::arg("merge"));
  py::class_<DocumentIterator>(m, "_DocumentIterator")
      .def(py::init<const std::string&, const std::string&, const std::string&, const py::object&,
                    const py::object&>())
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &DocumentIterator::Next);
}

}  // namespace scour::python
