#include "index/inspect/checker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/string_view.h"
#include "index/commit/manifest.h"
#include "index/commit/synonyms_file.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/postings/impact_list.h"
#include "index/segment/norms.h"
#include "index/segment/segment_reader.h"
#include "index/segment/segment_writer.h"

namespace scour::index {
namespace {

void CheckSegment(Directory* dir, const Manifest& m, const SegmentRef& ref, CheckReport* rep) {
  const std::string seg = SegmentName(ref.number);
  auto problem = [&](const std::string& what) {
    rep->problems.push_back(absl::StrCat(seg, ": ", what));
  };
  // Every file's checksum first, so a flipped byte is named by file.
  bool files_ok = true;
  const FileKind kinds[] = {FileKind::kSegmentInfo, FileKind::kTermDict, FileKind::kPostings,
                            FileKind::kPositions,   FileKind::kNorms,    FileKind::kStored};
  std::vector<FileKind> to_check(std::begin(kinds), std::end(kinds));
  // .surf is optional (segments written before it have none).
  const std::string surf_name = SegmentFileName(ref.number, FileKind::kSurfaceForms);
  auto has_surf = dir->Exists(surf_name);
  if (!has_surf.ok()) {
    rep->problems.push_back(std::string(has_surf.status().message()));
    return;
  }
  if (*has_surf) to_check.push_back(FileKind::kSurfaceForms);
  // .tvec too (written only when asked for).
  auto has_tvec = dir->Exists(SegmentFileName(ref.number, FileKind::kTermVectors));
  if (!has_tvec.ok()) {
    rep->problems.push_back(std::string(has_tvec.status().message()));
    return;
  }
  if (*has_tvec) to_check.push_back(FileKind::kTermVectors);
  for (FileKind kind : to_check) {
    std::string name = SegmentFileName(ref.number, kind);
    auto f = dir->Open(name);
    if (!f.ok()) {
      rep->problems.push_back(std::string(f.status().message()));
      files_ok = false;
      continue;
    }
    auto body = CheckFrame((*f)->data(), kind, name);
    if (!body.ok()) {
      rep->problems.push_back(std::string(body.status().message()));
      files_ok = false;
    }
  }
  if (!files_ok) return;
  // Every checksum was verified just above: open without repeating that work.
  auto opened = SegmentReader::Open(dir, ref, false);
  if (!opened.ok()) {
    problem(std::string(opened.status().message()));
    return;
  }
  const SegmentReader& r = **opened;
  const uint32_t max_doc = r.max_doc();
  rep->segments++;
  rep->documents += max_doc - r.num_deleted();

  // Terms: sorted, postings decodable and consistent with the dictionary and the norms.
  struct FieldSums {
    uint64_t sum_df = 0, sum_tf = 0, terms = 0;
  };
  std::vector<FieldSums> sums(m.fields.size());
  std::vector<uint32_t> id_count(max_doc, 0), id_docs;
  uint64_t id_entries = 0;
  std::string prev;
  bool first = true;
  uint64_t nterms = 0;
  std::vector<uint32_t> pos;
  auto it = r.dict().Seek("");
  for (; it.Valid() && rep->problems.size() < 1000; it.Next()) {
    std::string key(it.key());
    if (!first && key <= prev)
      problem(absl::StrCat("terms not in increasing order at term #", nterms));
    first = false;
    prev = key;
    ++nterms;
    ByteReader kr(key);
    uint32_t field = kr.Varint32();
    if (!kr.ok() || field >= m.fields.size()) {
      problem(absl::StrCat("term #", nterms, " has an unknown field id"));
      continue;
    }
    std::string term(key.substr(key.size() - kr.remaining()));
    const std::string label = absl::StrCat("term ", m.fields[field], ":\"", term, "\"");
    const TermInfo& info = it.info();
    const uint8_t* norms = r.norms(field);
    if (field != kIdField && norms == nullptr) problem(label + ": field has no norms");
    if (field == kIdField && r.dict().has_doc_map()) {  // format 7: the docs are the doc map's
      ++id_entries;
      if (info.df != 0 || info.id_entry != nterms - 1)
        problem(label + absl::StrCat(": _id entry ", info.id_entry, " at term #", nterms - 1));
      const absl::Status st = r.IdDocs(info, &id_docs);
      if (!st.ok()) {
        problem(label + ": " + std::string(st.message()));
        continue;
      }
      for (size_t i = 0; i < id_docs.size(); ++i) {
        if ((i > 0 && id_docs[i] <= id_docs[i - 1]) || id_docs[i] >= max_doc) {
          problem(label + ": doc ids not increasing or out of range");
          break;
        }
        id_count[id_docs[i]]++;
      }
      sums[field].sum_df += id_docs.size();
      sums[field].sum_tf += id_docs.size();
      sums[field].terms++;
      rep->postings += id_docs.size();
      continue;
    }
    SegmentPostings p = r.Postings(field, info);
    if (!p.skip_widths_minimal()) problem(label + ": skip entries wider than their values need");
    uint32_t df = 0, prev_doc = 0;
    uint64_t cf = 0;
    uint32_t block = 0, block_max_tf = 0, list_max_tf = 0;
    uint8_t block_min_norm = 255, list_min_norm = 255;
    // Format 4: each full block's impact list, against the frontier of its documents.
    std::string_view list_bytes;
    uint32_t list_skip_tf = 0;
    uint8_t list_skip_norm = 0;
    uint32_t block_tfs[kBlockSize];
    uint8_t block_norms[kBlockSize];
    auto check_list = [&](uint32_t b, uint32_t n) {
      if (!p.has_impact_lists() || n != kBlockSize || field == kIdField) return;
      ImpactPair want[kBlockSize], got[kMaxImpactPairs];
      const size_t m = CutFrontier(want, ParetoFrontier(block_tfs, block_norms, n, want));
      const std::string_view bytes = list_bytes;
      bool malformed = false;
      size_t k = DecodeImpactList(bytes.data(), bytes.size(), got, &malformed);
      if (k == 0 && !malformed) got[k++] = {list_skip_tf, list_skip_norm};
      const std::string where = label + absl::StrCat(": impact list of block ", b);
      if (malformed) {
        problem(where + " malformed (a pair cut short, one pair, over 16, or not increasing)");
      } else if (std::min(got[k - 1].tf, kTfSaturated) != list_skip_tf ||
                 got[0].norm != list_skip_norm) {
        problem(where + " disagrees with the skip entry's max tf and min norm");
      } else if (k != m || !std::equal(got, got + k, want)) {
        problem(where + " is not the Pareto frontier of the block's documents");
      }
    };
    for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next(), ++df) {
      if (df > 0 && d <= prev_doc) {
        problem(label + ": doc ids not increasing");
        break;
      }
      prev_doc = d;
      uint32_t f = p.freq();
      if (f == 0) problem(label + ": frequency 0");
      cf += f;
      if (field == kIdField) {
        id_count[d]++;
        continue;
      }
      // Block-max data must bound every posting of its block.
      if (df / kBlockSize != block) {
        check_list(block, kBlockSize);
        block = df / kBlockSize;
        block_max_tf = 0;
        block_min_norm = 255;
      }
      block_max_tf = std::max(block_max_tf, f);
      list_max_tf = std::max(list_max_tf, f);
      if (norms) block_min_norm = std::min(block_min_norm, norms[d]);
      if (norms) list_min_norm = std::min(list_min_norm, norms[d]);
      p.ShallowAdvance(d);
      if (df % kBlockSize == 0) {
        list_bytes = p.BlockImpactBytes();
        list_skip_tf = p.BlockMaxTf();
        list_skip_norm = p.BlockMinNorm();
      }
      block_tfs[df % kBlockSize] = f;
      block_norms[df % kBlockSize] = norms ? norms[d] : 0;
      if (p.BlockMaxTf() < std::min(block_max_tf, kTfSaturated) ||
          (norms && p.BlockMinNorm() > block_min_norm))
        problem(label + absl::StrCat(": block-max data does not bound doc ", d));
      if (!p.Positions(&pos)) {
        problem(label + absl::StrCat(": positions of doc ", d, " undecodable"));
        break;
      }
      rep->positions += pos.size();
      // Positions increase, and lie inside the document (its length is known up to the norm
      // byte's precision: below the smallest length of the next norm byte). With stopwords
      // removed, positions keep gaps, so only the order is checked.
      const uint8_t nb = norms ? norms[d] : 0;
      const uint64_t upper = nb == 255 ? UINT32_MAX : NormToLength(static_cast<uint8_t>(nb + 1));
      for (size_t i = 0; i < pos.size(); ++i) {
        if ((i > 0 && pos[i] <= pos[i - 1]) || (!m.stopwords && pos[i] >= upper)) {
          problem(label + absl::StrCat(": position ", pos[i], " of doc ", d,
                                       " out of order or past the document's length"));
          break;
        }
      }
    }
    if (p.ok() && df == info.df && df > 0) check_list(block, df - block * kBlockSize);
    // The list impact (format 5: the dictionary entry's) bounds every posting of the list.
    if (p.ok() && df == info.df && field != kIdField &&
        (p.MaxTf() < std::min(list_max_tf, kTfSaturated) || (norms && p.MinNorm() > list_min_norm)))
      problem(label + ": the list's max tf and min norm do not bound its postings");
    if (!p.ok()) problem(label + ": " + std::string(p.status().message()));
    if (df != info.df)
      problem(label + absl::StrCat(": df is ", info.df, " but ", df, " postings decode"));
    if (cf != info.cf)
      problem(label + absl::StrCat(": total frequency ", info.cf, " but postings sum to ", cf));
    sums[field].sum_df += df;
    sums[field].sum_tf += cf;
    sums[field].terms++;
    rep->postings += df;
  }
  if (!it.status().ok()) problem(std::string(it.status().message()));
  rep->terms += nterms;
  if (nterms != r.dict().num_terms())
    problem(absl::StrCat("dictionary says ", r.dict().num_terms(), " terms, ", nterms, " found"));
  if (r.dict().has_doc_map() && id_entries != r.dict().num_id_entries())
    problem(absl::StrCat("doc map says ", r.dict().num_id_entries(), " _id entries, ", id_entries,
                         " found"));
  for (uint32_t d = 0; d < max_doc; ++d)
    if (id_count[d] != 1) {
      problem(absl::StrCat("doc ", d, " has ", id_count[d], " ids (expected 1)"));
      break;
    }
  for (const FieldInfo& f : r.info().fields) {
    if (f.field >= sums.size()) {
      problem(absl::StrCat("statistics for unknown field ", f.field));
      continue;
    }
    if (f.sum_doc_freq != sums[f.field].sum_df || f.terms != sums[f.field].terms ||
        (f.field != kIdField && f.sum_total_term_freq != sums[f.field].sum_tf))
      problem(
          absl::StrCat("statistics of field ", m.fields[f.field], " disagree with its postings"));
  }
  // Surface forms: keys increasing (the iterator checks), in a known field other than _id, each
  // with a term that differs from its word and that the dictionary has.
  if (const SurfaceDictReader* surfaces = r.surfaces()) {
    uint64_t n = 0;
    auto s = surfaces->Seek("");
    for (; s.Valid() && rep->problems.size() < 1000; s.Next(), ++n) {
      ByteReader kr(s.key());
      const uint32_t field = kr.Varint32();
      const std::string_view word = s.key().substr(s.key().size() - kr.remaining());
      if (!kr.ok() || field == kIdField || field >= m.fields.size()) {
        problem(absl::StrCat("surface form #", n, " has a bad field id"));
        continue;
      }
      const std::string label =
          absl::StrCat("surface form ", m.fields[field], ":\"", Av(word), "\"");
      if (s.term() == word) problem(label + ": same as its term (not stored)");
      auto info = r.Lookup(field, s.term());
      if (!info.ok()) {
        problem(std::string(info.status().message()));
      } else if (!info->has_value()) {
        problem(absl::StrCat(label, ": its term \"", Av(s.term()), "\" is not in the dictionary"));
      }
    }
    if (!s.status().ok()) problem(std::string(s.status().message()));
    if (s.status().ok() && rep->problems.size() < 1000 && n != surfaces->size())
      problem(absl::StrCat("surface forms: the file says ", surfaces->size(), ", ", n, " found"));
  }
  // Term vectors: exactly docs [0, max_doc), each vector well-formed (the reader checks order,
  // tf >= 1, increasing fields other than _id), and per field the same totals as the postings:
  // documents with the field, postings (sum of df), tokens (sum of tf).
  if (const TermVectorsReader* tv = r.term_vectors()) {
    std::vector<FieldSums> vsums(m.fields.size());
    std::vector<uint64_t> vdocs(m.fields.size(), 0);
    absl::Status vs =
        tv->ForEachDocument(max_doc, [&](uint32_t d, const std::vector<FieldTermVector>& fields) {
          for (const FieldTermVector& f : fields) {
            if (f.field >= m.fields.size())
              return absl::DataLossError(
                  absl::StrCat("term vectors of doc ", d, ": unknown field ", f.field));
            ++vdocs[f.field];
            vsums[f.field].sum_df += f.terms.size();
            for (const auto& [term, tf] : f.terms) vsums[f.field].sum_tf += tf;
          }
          return absl::OkStatus();
        });
    if (!vs.ok()) {
      problem(std::string(vs.message()));
    } else {
      for (const FieldInfo& f : r.info().fields) {
        if (f.field == kIdField || f.field >= m.fields.size()) continue;
        if (vdocs[f.field] != f.docs_with_field || vsums[f.field].sum_df != f.sum_doc_freq ||
            vsums[f.field].sum_tf != f.sum_total_term_freq)
          problem(absl::StrCat("term vectors of field ", m.fields[f.field],
                               " disagree with its postings"));
        vdocs[f.field] = 0;
      }
      for (size_t f = 0; f < vdocs.size(); ++f)
        if (vdocs[f] != 0)
          problem(
              absl::StrCat("term vectors hold field ", m.fields[f], ", which the segment lacks"));
    }
  }
  // Stored fields: the chunks hold exactly docs [0, max_doc); formats 1-4 start each with its
  // id, from 5 on none holds one (the id is the _id term's only). Read chunk by chunk (a lookup
  // per doc would decompress every chunk 128 times).
  const bool ids_stored = r.store_version() < 5;
  absl::Status stored =
      r.ForEachStored([&](uint32_t d, std::span<const StoredFieldsReader::FieldView> fields) {
        if (ids_stored && (fields.empty() || fields[0].first != kIdField))
          return absl::DataLossError(absl::StrCat("stored doc ", d, " has no id"));
        for (size_t i = ids_stored ? 1 : 0; i < fields.size(); ++i) {
          if (fields[i].first == kIdField)
            return absl::DataLossError(
                absl::StrCat("stored doc ", d, " holds an _id field (format ", r.store_version(),
                             ids_stored ? " stores it once, first)" : " stores none)"));
        }
        return absl::OkStatus();
      });
  if (!stored.ok()) problem(std::string(stored.message()));
}

}  // namespace

CheckReport CheckIndex(Directory* dir) {
  CheckReport rep;
  auto m = ReadManifest(dir);
  if (!m.ok()) {
    rep.problems.push_back(std::string(m.status().message()));
    return rep;
  }
  for (const SegmentRef& ref : m->segments) CheckSegment(dir, *m, ref, &rep);
  // Deletion files are verified by SegmentReader::Open (checksum, counts).
  auto synonyms = ReadSynonymsFile(dir, *m);  // CRC, every field, the analyser
  if (!synonyms.ok()) {
    rep.problems.push_back(std::string(synonyms.status().message()));
  } else if (*synonyms) {
    rep.synonym_rules = (*synonyms)->rules().size();
  }
  return rep;
}

}  // namespace scour::index
