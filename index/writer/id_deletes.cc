#include "index/writer/id_deletes.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "base/status_macros.h"
#include "index/format/file_names.h"
#include "index/segment/segment_format.h"

namespace scour::index {
namespace {

// The `_id` entries of one segment whose documents are wanted, each with a tag (the key's
// group): format 7 entries by ordinal, found by one pass over the doc map (no inverse: 8 bytes
// per document); older ones with postings.
struct WantedEntries {
  absl::flat_hash_map<uint32_t, uint32_t> ordinals;
  std::vector<std::pair<TermInfo, uint32_t>> posted;
  bool empty() const { return ordinals.empty() && posted.empty(); }
  void Add(const TermInfo& info, uint32_t tag) {
    if (info.df == 0)
      ordinals.emplace(info.id_entry, tag);
    else
      posted.emplace_back(info, tag);
  }
};

// fn(doc, tag) for every document (deleted ones included) of the wanted entries.
template <typename F>
absl::Status ForEachWantedDoc(const SegmentReader& r, const WantedEntries& w, F&& fn) {
  if (!w.ordinals.empty()) {
    // Most documents are not wanted: a bit per ordinal answers them before the hash map.
    std::vector<uint64_t> wanted((size_t{r.dict().num_id_entries()} + 63) / 64, 0);
    for (const auto& [o, tag] : w.ordinals)
      if (o < r.dict().num_id_entries()) wanted[o >> 6] |= uint64_t{1} << (o & 63);
    uint32_t ordinals[kDocMapBlock], n = 0;
    for (uint32_t j = 0; j < DocMapBlocks(r.max_doc()); ++j) {
      SCOUR_RETURN_IF_ERROR(r.dict().DocBlock(j, ordinals, &n));
      for (uint32_t i = 0; i < n; ++i) {
        const uint32_t o = ordinals[i];
        if (o >= r.dict().num_id_entries() || !((wanted[o >> 6] >> (o & 63)) & 1)) continue;
        auto it = w.ordinals.find(o);
        if (it != w.ordinals.end()) fn(j * kDocMapBlock + i, it->second);
      }
    }
  }
  std::vector<uint32_t> docs;
  for (const auto& [info, tag] : w.posted) {
    SCOUR_RETURN_IF_ERROR(r.IdDocs(info, &docs));
    for (const uint32_t d : docs) fn(d, tag);
  }
  return absl::OkStatus();
}

bool Bit(const std::vector<uint64_t>& bits, uint32_t i) { return (bits[i >> 6] >> (i & 63)) & 1; }
void SetBit(std::vector<uint64_t>* bits, uint32_t i) { (*bits)[i >> 6] |= uint64_t{1} << (i & 63); }

// Format 7: the ordinals of the `_id` entries with more than one document (an id added twice
// into one builder), as a bit set; empty when every entry has one.
absl::StatusOr<std::vector<uint64_t>> RepeatedEntries(const SegmentReader& r) {
  const TermDictReader& dict = r.dict();
  if (!dict.has_doc_map() || dict.num_id_entries() >= r.max_doc()) return std::vector<uint64_t>();
  const size_t words = (size_t{dict.num_id_entries()} + 63) / 64;
  std::vector<uint64_t> seen(words, 0), repeated(words, 0);
  uint32_t ordinals[kDocMapBlock], n = 0;
  for (uint32_t j = 0; j < DocMapBlocks(r.max_doc()); ++j) {
    SCOUR_RETURN_IF_ERROR(dict.DocBlock(j, ordinals, &n));
    for (uint32_t i = 0; i < n; ++i) {
      if (ordinals[i] >= dict.num_id_entries())
        return absl::DataLossError("doc map ordinal out of range");  // DocBlock checks; kept safe
      if (Bit(seen, ordinals[i])) SetBit(&repeated, ordinals[i]);
      SetBit(&seen, ordinals[i]);
    }
  }
  return repeated;
}

uint64_t IdEntries(const SegmentReader& r) {
  return r.dict().has_doc_map() ? r.dict().num_id_entries() : r.max_doc();
}

}  // namespace

absl::Status ApplyIdDeletes(
    Directory* dir, std::span<const SegmentRef> committed,
    absl::FunctionRef<absl::StatusOr<std::shared_ptr<SegmentReader>>(size_t)> reader,
    std::span<const SessionSegment> session, const DeletedIds& deleted,
    std::vector<SegmentRef>* committed_out, std::vector<SegmentRef>* session_out) {
  committed_out->assign(committed.begin(), committed.end());
  session_out->clear();
  for (const SessionSegment& s : session) session_out->push_back(s.ref);
  if (session.empty() && deleted.empty()) return absl::OkStatus();

  std::string prefix;
  AppendTermKey(kIdField, "", &prefix);
  // The session's segments, each an iterator over its `_id` entries.
  const size_t k = session.size();
  std::vector<std::shared_ptr<SegmentReader>> sr(k);
  std::vector<TermDictReader::Iterator> its;
  std::vector<std::vector<uint64_t>> repeated(k);
  uint64_t session_keys = deleted.size();
  for (size_t i = 0; i < k; ++i) {
    SCOUR_ASSIGN_OR_RETURN(sr[i], SegmentReader::Open(dir, session[i].ref, false));
    its.push_back(sr[i]->dict().Seek(prefix));
    session_keys += IdEntries(*sr[i]);
    SCOUR_ASSIGN_OR_RETURN(repeated[i], RepeatedEntries(*sr[i]));
  }
  std::vector<std::pair<std::string, uint64_t>> dels;
  dels.reserve(deleted.size());
  for (const auto& [id, seq] : deleted) dels.emplace_back(prefix + id, seq);
  std::sort(dels.begin(), dels.end());
  // The committed segments: walked beside the session's keys, or looked up key by key.
  const size_t n = committed.size();
  std::vector<std::shared_ptr<SegmentReader>> cr(n);
  std::vector<std::optional<TermDictReader::Iterator>> walks(n);
  for (size_t c = 0; c < n; ++c) {
    SCOUR_ASSIGN_OR_RETURN(cr[c], reader(c));
    if (session_keys * kLookupRatio >= IdEntries(*cr[c])) walks[c] = cr[c]->dict().Seek(prefix);
  }

  // One pass over the keys in order: the session's segments merged through a heap, and the
  // deleted ids.
  auto live = [&](size_t i) { return its[i].Valid() && its[i].key().starts_with(prefix); };
  auto after = [&](uint32_t a, uint32_t b) { return its[a].key() > its[b].key(); };
  std::vector<uint32_t> heap;
  for (uint32_t i = 0; i < k; ++i)
    if (live(i)) heap.push_back(i);
  std::make_heap(heap.begin(), heap.end(), after);
  std::vector<WantedEntries> want_s(k), want_c(n);
  std::vector<uint64_t> group_deleted;  // per group (a key to settle in the session's segments)
  std::vector<std::pair<uint32_t, TermInfo>> copies;
  std::string key;
  size_t di = 0;
  if (k == 1 && n == 0 && dels.empty()) {
    // One segment and nothing else (a first build flushed once): only ids it holds twice.
    heap.clear();
    for (uint32_t o = 0; o < repeated[0].size() * 64; ++o) {
      if (!Bit(repeated[0], o)) continue;
      want_s[0].ordinals.emplace(o, static_cast<uint32_t>(group_deleted.size()));
      group_deleted.push_back(0);
    }
  }
  // The walks give back the dictionary pages behind them every so often (a commit after many
  // flushes would otherwise keep every segment's ids resident at once).
  constexpr uint64_t kReleaseEveryKeys = 4096;
  uint64_t keys_done = 0;
  while (!heap.empty() || di < dels.size()) {
    if (++keys_done % kReleaseEveryKeys == 0) {
      for (size_t i = 0; i < k; ++i) sr[i]->ReleaseReadDict(its[i].bytes_done());
      for (size_t c = 0; c < n; ++c)
        if (walks[c]) cr[c]->ReleaseReadDict(walks[c]->bytes_done());
    }
    if (!heap.empty() && (di == dels.size() || its[heap.front()].key() <= dels[di].first))
      key.assign(its[heap.front()].key());
    else
      key.assign(dels[di].first);
    copies.clear();
    while (!heap.empty() && its[heap.front()].key() == key) {
      std::pop_heap(heap.begin(), heap.end(), after);
      const uint32_t i = heap.back();
      copies.emplace_back(i, its[i].info());
      its[i].Next();
      if (live(i)) {
        std::push_heap(heap.begin(), heap.end(), after);
      } else {
        SCOUR_RETURN_IF_ERROR(its[i].status());
        heap.pop_back();
      }
    }
    std::optional<uint64_t> del;
    if (di < dels.size() && dels[di].first == key) del = dels[di++].second;
    // In the session: a key added more than once, or deleted, is settled by sequence numbers.
    bool settle = copies.size() > 1 || del.has_value();
    if (copies.size() == 1) {
      const auto& [i, info] = copies[0];
      settle |=
          info.df > 1 || (info.df == 0 && !repeated[i].empty() && Bit(repeated[i], info.id_entry));
    }
    if (settle && !copies.empty()) {
      const uint32_t g = static_cast<uint32_t>(group_deleted.size());
      group_deleted.push_back(del.value_or(0));
      for (const auto& [i, info] : copies) want_s[i].Add(info, g);
    }
    // In the committed segments: every copy goes.
    for (size_t c = 0; c < n; ++c) {
      std::optional<TermInfo> found;
      if (walks[c]) {
        TermDictReader::Iterator& it = *walks[c];
        while (it.Valid() && it.key() < key) it.Next();
        SCOUR_RETURN_IF_ERROR(it.status());
        if (it.Valid() && it.key() == key) found = it.info();
      } else {
        SCOUR_ASSIGN_OR_RETURN(found, cr[c]->dict().Lookup(key));
      }
      if (found) want_c[c].Add(*found, 0);
    }
  }
  for (size_t i = 0; i < k; ++i) SCOUR_RETURN_IF_ERROR(its[i].status());

  // The session's copies: each group's documents with their sequence numbers; a copy goes if a
  // later add or a delete after it exists.
  struct Copy {
    uint32_t group, doc;
    uint64_t seq;
  };
  std::vector<std::vector<Copy>> found(k);
  std::vector<uint64_t> last_add(group_deleted.size(), 0);
  for (size_t i = 0; i < k; ++i) {
    if (want_s[i].empty()) continue;
    SCOUR_RETURN_IF_ERROR(ForEachWantedDoc(*sr[i], want_s[i], [&](uint32_t doc, uint32_t g) {
      const uint64_t seq = session[i].seqs[doc];
      found[i].push_back({g, doc, seq});
      last_add[g] = std::max(last_add[g], seq);
    }));
  }
  for (size_t i = 0; i < k; ++i) {
    if (found[i].empty()) continue;
    SegmentRef& ref = (*session_out)[i];
    std::vector<uint64_t> bits((ref.doc_count + 63) / 64, 0);
    uint32_t count = 0;
    for (const Copy& c : found[i]) {
      if ((c.seq < last_add[c.group] || c.seq <= group_deleted[c.group]) && !Bit(bits, c.doc)) {
        SetBit(&bits, c.doc);
        ++count;
      }
    }
    if (count > 0) {
      ref.deleted = count;
      ref.del_gen = 1;
      if (count < ref.doc_count)
        SCOUR_RETURN_IF_ERROR(
            WriteDeletes(dir, DeletesFileName(ref.number, 1), ref.doc_count, bits));
    }
  }

  // The committed copies.
  for (size_t c = 0; c < n; ++c) {
    if (want_c[c].empty()) continue;
    SegmentRef& ref = (*committed_out)[c];
    const SegmentReader& r = *cr[c];
    std::vector<uint64_t> bits;
    if (r.deleted_bits())
      bits.assign(r.deleted_bits(), r.deleted_bits() + (ref.doc_count + 63) / 64);
    else
      bits.assign((ref.doc_count + 63) / 64, 0);
    uint32_t added = 0;
    SCOUR_RETURN_IF_ERROR(ForEachWantedDoc(r, want_c[c], [&](uint32_t doc, uint32_t) {
      if (!Bit(bits, doc)) {
        SetBit(&bits, doc);
        ++added;
      }
    }));
    if (added > 0) {
      ref.deleted += added;
      ref.del_gen += 1;
      if (ref.deleted < ref.doc_count)
        SCOUR_RETURN_IF_ERROR(
            WriteDeletes(dir, DeletesFileName(ref.number, ref.del_gen), ref.doc_count, bits));
    }
  }
  return absl::OkStatus();
}

}  // namespace scour::index
