// The sharded-search protocol (include/scour/distributed.h, docs/DISTRIBUTED.md) for Python: every
// message is a dict or list of plain values (picklable, so Dask or any transport carries it), and
// every C++ call runs without the GIL (a Dask worker's event loop must keep running while a shard
// searches). scour.dask drives it.
#include "scour/distributed.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"

namespace scour::python {
namespace {

py::dict FieldDict(const FieldStatistics& f) {
  py::dict d;
  d["name"] = MakeStr(f.name);
  d["docs_with_field"] = f.docs_with_field;
  d["sum_total_term_freq"] = f.sum_total_term_freq;
  d["sum_doc_freq"] = f.sum_doc_freq;
  d["terms"] = f.terms;
  return d;
}

FieldStatistics FieldOf(const py::handle& h) {
  py::dict d = py::reinterpret_borrow<py::dict>(h);
  FieldStatistics f;
  f.name = d["name"].cast<std::string>();
  f.docs_with_field = d["docs_with_field"].cast<uint64_t>();
  f.sum_total_term_freq = d["sum_total_term_freq"].cast<uint64_t>();
  f.sum_doc_freq = d["sum_doc_freq"].cast<uint64_t>();
  f.terms = d["terms"].cast<uint64_t>();
  return f;
}

// Terms travel as [field, term, doc_freq, total_term_freq] lists.
py::list TermsList(const std::vector<TermStatistics>& terms) {
  py::list out;
  for (const TermStatistics& t : terms)
    out.append(py::make_tuple(MakeStr(t.field), MakeStr(t.term), t.doc_freq, t.total_term_freq));
  return out;
}

std::vector<TermStatistics> TermsOf(const py::handle& h) {
  std::vector<TermStatistics> out;
  for (py::handle item : py::iter(h)) {
    py::sequence s = py::reinterpret_borrow<py::sequence>(item);
    if (s.size() != 4)
      RaiseType(PyExc_ValueError, "a term is [field, term, doc_freq, total_term_freq]");
    TermStatistics t;
    t.field = s[0].cast<std::string>();
    t.term = s[1].cast<std::string>();
    t.doc_freq = s[2].cast<uint64_t>();
    t.total_term_freq = s[3].cast<uint64_t>();
    out.push_back(std::move(t));
  }
  return out;
}

py::dict InfoDict(const ShardInfo& s) {
  py::dict d;
  d["generation"] = s.generation;
  d["max_doc"] = s.max_doc;
  d["num_docs"] = s.num_docs;
  d["language"] = s.analyzer.language;
  d["stopwords"] = s.analyzer.stopwords;
  py::list fields;
  for (const FieldStatistics& f : s.fields) fields.append(FieldDict(f));
  d["fields"] = fields;
  return d;
}

ShardInfo InfoOf(const py::dict& d) {
  ShardInfo s;
  s.generation = d["generation"].cast<uint64_t>();
  s.max_doc = d["max_doc"].cast<uint64_t>();
  s.num_docs = d["num_docs"].cast<uint64_t>();
  s.analyzer.language = d["language"].cast<std::string>();
  s.analyzer.stopwords = d["stopwords"].cast<bool>();
  for (py::handle f : py::iter(d["fields"])) s.fields.push_back(FieldOf(f));
  return s;
}

py::dict CollectionDict(const CollectionStatistics& c) {
  py::dict d;
  d["language"] = c.analyzer.language;
  d["stopwords"] = c.analyzer.stopwords;
  d["max_doc"] = c.max_doc;
  d["num_docs"] = c.num_docs;
  py::list fields;
  for (const FieldStatistics& f : c.fields) fields.append(FieldDict(f));
  d["fields"] = fields;
  d["bases"] = c.bases;
  d["generations"] = c.generations;
  d["terms"] = TermsList(c.terms);
  return d;
}

CollectionStatistics CollectionOf(const py::dict& d) {
  CollectionStatistics c;
  c.analyzer.language = d["language"].cast<std::string>();
  c.analyzer.stopwords = d["stopwords"].cast<bool>();
  c.max_doc = d["max_doc"].cast<uint64_t>();
  c.num_docs = d["num_docs"].cast<uint64_t>();
  for (py::handle f : py::iter(d["fields"])) c.fields.push_back(FieldOf(f));
  c.bases = d["bases"].cast<std::vector<uint64_t>>();
  c.generations = d["generations"].cast<std::vector<uint64_t>>();
  c.terms = TermsOf(d["terms"]);
  return c;
}

SearchOptions OptionsOf(const py::dict& d) {
  SearchOptions o;
  auto get = [&](const char* key) -> py::object {
    return d.contains(key) ? py::object(d[key]) : py::none();
  };
  if (auto v = get("k"); !v.is_none()) {
    const int64_t k = v.cast<int64_t>();
    if (k < 1) RaiseType(PyExc_ValueError, absl::StrCat("k must be at least 1, got ", k));
    o.k = static_cast<size_t>(k);
  }
  if (auto v = get("ranker"); !v.is_none()) o.ranking.ranker = v.cast<std::string>();
  if (auto v = get("k1"); !v.is_none()) o.ranking.k1 = v.cast<float>();
  if (auto v = get("b"); !v.is_none()) o.ranking.b = v.cast<float>();
  if (auto v = get("delta"); !v.is_none()) o.ranking.delta = v.cast<float>();
  if (auto v = get("mu"); !v.is_none()) o.ranking.mu = v.cast<float>();
  if (auto v = get("c"); !v.is_none()) o.ranking.c = v.cast<float>();
  if (auto v = get("operator"); !v.is_none()) {
    const std::string op = v.cast<std::string>();
    if (op != "or" && op != "and")
      RaiseType(PyExc_ValueError, absl::StrCat("operator must be 'or' or 'and', got '", op, "'"));
    o.default_and = op == "and";
  }
  if (auto v = get("syntax"); !v.is_none()) o.query_syntax = v.cast<bool>();
  if (auto v = get("count"); !v.is_none()) o.count = v.cast<bool>();
  if (auto v = get("fields"); !v.is_none()) o.default_fields = v.cast<std::vector<std::string>>();
  o.load_stored = false;
  return o;
}

py::dict BatchDict(const BatchResults& r) {
  py::dict d;
  d["offsets"] = r.offsets;
  d["docs"] = r.docs;
  d["scores"] = r.scores;
  d["total_hits"] = r.total_hits;
  py::list errors;
  for (const absl::Status& s : r.errors)
    errors.append(
        s.ok() ? py::object(py::none())
               : py::object(py::make_tuple(static_cast<int>(s.code()), MakeStr(Sv(s.message())))));
  d["errors"] = errors;
  return d;
}

// A shard's round-2 answer: the batch's columns, and "first_stage" for re-ranking models.
py::dict ShardDict(const ShardResults& r) {
  py::dict d = BatchDict(r.hits);
  d["first_stage"] = r.first_stage;
  return d;
}

BatchResults BatchOf(const py::dict& d) {
  BatchResults r;
  r.offsets = d["offsets"].cast<std::vector<size_t>>();
  r.docs = d["docs"].cast<std::vector<uint64_t>>();
  r.scores = d["scores"].cast<std::vector<float>>();
  r.total_hits = d["total_hits"].cast<std::vector<uint64_t>>();
  for (py::handle e : py::iter(d["errors"])) {
    if (e.is_none()) {
      r.errors.emplace_back();
    } else {
      py::tuple t = py::reinterpret_borrow<py::tuple>(e);
      r.errors.emplace_back(static_cast<absl::StatusCode>(t[0].cast<int>()),
                            Av(t[1].cast<std::string>()));
    }
  }
  return r;
}

ShardResults ShardOf(const py::dict& d) {
  ShardResults r;
  r.hits = BatchOf(d);
  if (d.contains("first_stage")) r.first_stage = d["first_stage"].cast<std::vector<float>>();
  return r;
}

// One shard snapshot, opened from its path: rounds 0-3 on the shard's side.
class PyShard {
 public:
  PyShard(const std::string& path, bool verify) : path_(path) {
    absl::StatusOr<std::shared_ptr<IndexReader>> r;
    {
      py::gil_scoped_release nogil;
      r = IndexReader::Open(path, {.verify_checksums = verify});
    }
    reader_ = Check(std::move(r), absl::StrCat(path, ": "));
  }
  py::dict Info() const {
    ShardInfo info;
    {
      py::gil_scoped_release nogil;
      info = GetShardInfo(*reader_);
    }
    return InfoDict(info);
  }
  py::list TermStatisticsOf(const py::object& request) const {
    std::vector<TermStatistics> req = TermsOf(request), out;
    {
      py::gil_scoped_release nogil;
      out = ShardTermStatistics(*reader_, req);
    }
    return TermsList(out);
  }
  py::dict Search(size_t shard_index, const std::vector<std::string>& queries,
                  const py::dict& options, const py::dict& collection, int threads) const {
    const SearchOptions o = OptionsOf(options);
    const CollectionStatistics c = CollectionOf(collection);
    absl::StatusOr<ShardResults> r;
    {
      py::gil_scoped_release nogil;
      r = ShardSearch(*reader_, shard_index, queries, o, c, threads);
    }
    return ShardDict(Check(std::move(r)));
  }
  // External ids of local documents.
  std::vector<py::str> Ids(const std::vector<uint64_t>& local) const {
    std::vector<std::string> ids(local.size());
    absl::Status status;
    {
      py::gil_scoped_release nogil;
      for (size_t i = 0; i < local.size() && status.ok(); ++i) {
        absl::StatusOr<std::string_view> id = reader_->ExternalId(local[i]);
        if (id.ok()) {
          ids[i] = std::string(*id);
        } else {
          status = id.status();
        }
      }
    }
    Check(status);
    std::vector<py::str> out;
    for (const auto& id : ids) out.push_back(MakeStr(id));
    return out;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::shared_ptr<const IndexReader> reader_;
};

}  // namespace

void BindDistributed(py::module_& m) {
  py::class_<PyShard>(m, "_Shard", "One shard of an index set, opened from its path")
      .def(py::init<const std::string&, bool>(), py::arg("path"), py::arg("verify") = false)
      .def("info", &PyShard::Info, "Round 0: the shard's generation, sizes and field statistics")
      .def("term_statistics", &PyShard::TermStatisticsOf, py::arg("request"),
           "Round 1: [field, term, df, ttf] of this shard for each requested term")
      .def("search", &PyShard::Search, py::arg("shard_index"), py::arg("queries"),
           py::arg("options"), py::arg("collection"), py::arg("threads") = 1,
           "Round 2: this shard's top k per query under the collection's statistics")
      .def("ids", &PyShard::Ids, py::arg("local_docs"), "External ids of local documents")
      .def_property_readonly("path", &PyShard::path);
  m.def(
      "_merge_shard_info",
      [](const py::list& infos) {
        std::vector<ShardInfo> v;
        for (py::handle h : infos) v.push_back(InfoOf(py::reinterpret_borrow<py::dict>(h)));
        absl::StatusOr<CollectionStatistics> c;
        {
          py::gil_scoped_release nogil;
          c = MergeShardInfo(v);
        }
        return CollectionDict(Check(std::move(c)));
      },
      py::arg("infos"));
  m.def(
      "_query_terms",
      [](const std::vector<std::string>& queries, const py::dict& options,
         const py::dict& collection) {
        const SearchOptions o = OptionsOf(options);
        const CollectionStatistics c = CollectionOf(collection);
        absl::StatusOr<std::vector<TermStatistics>> t;
        {
          py::gil_scoped_release nogil;
          t = QueryTerms(queries, o, c);
        }
        return TermsList(Check(std::move(t)));
      },
      py::arg("queries"), py::arg("options"), py::arg("collection"));
  m.def(
      "_add_term_statistics",
      [](const py::dict& collection, const py::object& answer) {
        CollectionStatistics c = CollectionOf(collection);
        Check(AddTermStatistics(TermsOf(answer), &c));
        return CollectionDict(c);
      },
      py::arg("collection"), py::arg("answer"));
  m.def(
      "_merge_results",
      [](const py::list& batches, size_t k, bool count) {
        std::vector<ShardResults> v;
        for (py::handle h : batches) v.push_back(ShardOf(py::reinterpret_borrow<py::dict>(h)));
        absl::StatusOr<BatchResults> r;
        {
          py::gil_scoped_release nogil;
          r = MergeResults(v, k, count);
        }
        return BatchDict(Check(std::move(r)));
      },
      py::arg("batches"), py::arg("k"), py::arg("count") = false);
  m.def(
      "shard_of",
      [](const std::string& id, uint32_t n) {
        if (n < 1) RaiseType(PyExc_ValueError, "num_shards must be at least 1");
        return ShardOfId(id, n);
      },
      py::arg("id"), py::arg("num_shards"),
      "The shard a document id is routed to: FNV-1a 64 of its UTF-8 bytes modulo num_shards");
  m.def(
      "index_set_shards",
      [](const std::string& path) {
        absl::StatusOr<std::vector<std::string>> p;
        {
          py::gil_scoped_release nogil;
          p = IndexSetShardPaths(path);
        }
        return Check(std::move(p));
      },
      py::arg("path"), "The shard directories of an index set, in global-id order");
  m.def(
      "_write_index_set",
      [](const std::string& path, const std::vector<std::string>& names) {
        absl::Status s;
        {
          py::gil_scoped_release nogil;
          s = WriteIndexSetManifest(path, names);
        }
        Check(s);
      },
      py::arg("path"), py::arg("shard_names"));
}

}  // namespace scour::python
