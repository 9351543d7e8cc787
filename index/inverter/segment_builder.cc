#include "index/inverter/segment_builder.h"

#include <algorithm>
#include <cstring>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "index/segment/norms.h"
#include "index/segment/segment_writer.h"
#include "tokenizer/chain.h"

namespace scour::index {
namespace {

// The first 8 bytes of `key`, zero-padded, as a big-endian number: ordering by it agrees with
// ordering by the key wherever two prefixes differ.
uint64_t KeyPrefix(std::string_view key) {
  unsigned char b[8] = {};
  std::memcpy(b, key.data(), std::min<size_t>(key.size(), 8));
  uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

// Sorts 0..n-1 by (key_of(i), i). Comparing keys through their indices would read scattered
// memory twice per comparison; this sorts contiguous (prefix, index) pairs, then only the runs
// of equal prefixes by their whole keys.
template <typename KeyOf>
std::vector<uint32_t> SortedByKey(uint32_t n, KeyOf key_of) {
  struct Entry {
    uint64_t prefix;
    uint32_t index;
  };
  std::vector<Entry> entries(n);
  for (uint32_t i = 0; i < n; ++i) entries[i] = {KeyPrefix(key_of(i)), i};
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.prefix != b.prefix ? a.prefix < b.prefix : a.index < b.index;
  });
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = entries[i].index;
  for (uint32_t i = 0; i < n;) {
    uint32_t j = i + 1;
    while (j < n && entries[j].prefix == entries[i].prefix) ++j;
    if (j - i > 1) {  // the run is in index order; a stable sort keeps equal keys in it
      std::stable_sort(order.begin() + i, order.begin() + j,
                       [&](uint32_t a, uint32_t b) { return key_of(a) < key_of(b); });
    }
    i = j;
  }
  return order;
}

}  // namespace

SegmentBuilder::SegmentBuilder(Analyzer analyzer)
    : analyzer_(std::move(analyzer)), chain_(tokenizer::ChainOf(analyzer_)) {}

size_t SegmentBuilder::ram_bytes() const {
  size_t norms = 0;
  for (const auto& f : norms_) norms += f.capacity();
  return pool_.bytes_allocated() + terms_.bytes() + surfaces_.bytes() +
         states_.capacity() * sizeof(TermState) + heads_.capacity() * sizeof(TermHeads) + norms +
         stored_.ram_bytes() + vectors_.ram_bytes() + doc_terms_.capacity() * sizeof(uint32_t) +
         id_bytes_.capacity() + ids_.capacity() * sizeof(IdRef);
}

void SegmentBuilder::AddOccurrence(uint32_t term_id, uint32_t doc, uint32_t pos) {
  TermState& st = states_[term_id];
  if (st.last_doc != doc) {
    if (st.df > 0) {
      pool_.WriteVarint(&st.docs, doc - st.last_doc);  // delta of the *next* doc is written
      pool_.WriteVarint(&st.docs, st.last_doc_freq);   // with the previous doc's freq
    } else {
      pool_.WriteVarint(&st.docs, doc);
      pool_.WriteVarint(&st.docs, 0);  // placeholder freq slot is never read: see Flush
    }
    ++st.df;
    if (term_vectors_) doc_terms_.push_back(term_id);
    st.last_doc = doc;
    st.last_doc_freq = 0;
    st.last_pos = 0;
  }
  ++st.last_doc_freq;
  pool_.WriteVarint(&st.pos, pos - st.last_pos);
  st.last_pos = pos;
}

uint32_t SegmentBuilder::AddSurface(uint32_t field, std::string_view word, uint64_t hash) {
  bool inserted;
  const uint32_t id = terms_.FindOrInsert(field, chain_->StemTerm(word), &inserted);
  if (inserted) {
    TermState& st = states_.emplace_back();
    TermHeads& h = heads_.emplace_back();
    h.docs = pool_.Start(&st.docs);
    h.pos = pool_.Start(&st.pos);
  }
  surfaces_.Insert(field, word, hash, id);
  return id;
}

void SegmentBuilder::ResolveWindow(uint32_t field, uint32_t doc) {
  window_ids_.resize(window_.size());
  for (size_t i = 0; i < window_.size(); ++i) {
    const PendingToken& t = window_[i];
    const std::string_view word = std::string_view(window_bytes_).substr(t.offset, t.size);
    uint32_t id = surfaces_.Find(field, word, t.hash);
    if (id == SurfaceTable::kNotFound) id = AddSurface(field, word, t.hash);
    __builtin_prefetch(&states_[id]);
    window_ids_[i] = id;
  }
  for (size_t i = 0; i < window_.size(); ++i) {
    AddOccurrence(window_ids_[i], doc, window_[i].pos);
  }
  window_.clear();
  window_bytes_.clear();
}

absl::Status SegmentBuilder::AddDocument(std::string_view id,
                                         const std::vector<BuilderField>& fields) {
  const uint32_t doc = doc_count_;
  ids_.push_back(IdRef{id_bytes_.size(), static_cast<uint32_t>(id.size())});
  id_bytes_.append(id);
  stored_scratch_.clear();  // the id is the _id term's only (format 5)
  doc_terms_.clear();
  // Positions continue across repeated values of one field (a multi-valued field).
  struct FieldLen {
    uint32_t field;
    uint32_t len;
  };
  absl::InlinedVector<FieldLen, 4> lens;
  for (const BuilderField& f : fields) {
    if (f.stored) stored_scratch_.emplace_back(f.field, f.value);
    if (!f.indexed) continue;
    auto it = std::find_if(lens.begin(), lens.end(),
                           [&](const FieldLen& l) { return l.field == f.field; });
    if (it == lens.end()) it = lens.insert(lens.end(), FieldLen{f.field, 0});
    window_field_ = f.field;
    window_doc_ = doc;
    window_count_ = 0;
    // Words, not stems, come from the chain: a word seen before in this segment maps to its
    // term id in one probe of surfaces_. Tokens are resolved a window at a time: hashing a
    // window first and prefetching its slots overlaps the cache misses that dominate lookups.
    absl::Status s = chain_->RunUnstemmed(
        f.value,
        [](void* ctx, std::string_view word, uint32_t pos, uint32_t, uint32_t) {
          auto* b = static_cast<SegmentBuilder*>(ctx);
          const uint64_t hash = SurfaceTable::Hash(b->window_field_, word);
          b->surfaces_.Prefetch(hash);
          b->window_.push_back({hash, static_cast<uint32_t>(b->window_bytes_.size()),
                                static_cast<uint32_t>(word.size()), pos});
          b->window_bytes_.append(word);
          if (b->window_.size() == kWindow) b->ResolveWindow(b->window_field_, b->window_doc_);
          ++b->window_count_;
        },
        this, it->len);
    const uint32_t count = window_count_;
    if (!s.ok()) {  // the text is validated before the first token: nothing was buffered
      window_.clear();
      window_bytes_.clear();
      return s;
    }
    ResolveWindow(f.field, doc);
    it->len += count;
  }
  for (const FieldLen& l : lens) {
    if (norms_.size() <= l.field) norms_.resize(l.field + 1);
    std::vector<uint8_t>& fn = norms_[l.field];
    if (fn.size() <= doc) fn.resize(doc + 1, 0);
    fn[doc] = LengthToNorm(l.len);
  }
  stored_.AddDocument(stored_scratch_);
  if (term_vectors_) AddTermVectors();
  ++doc_count_;
  return absl::OkStatus();
}

void SegmentBuilder::AddTermVectors() {
  // Each term's field and bytes read once, then sorted by field id and term: fields compare by
  // id (their key varints' bytes need not sort as the ids do), terms bytewise as in .tdict.
  std::vector<VectorTerm>& terms = vector_terms_;
  terms.clear();
  for (uint32_t id : doc_terms_) {
    const std::string_view key = terms_.key(id);
    const uint32_t field = terms_.field(id);
    size_t field_bytes = 1;  // AppendTermKey's varint
    for (uint32_t f = field; f >= 0x80; f >>= 7) ++field_bytes;
    terms.push_back({field, states_[id].last_doc_freq, key.substr(field_bytes)});
  }
  std::sort(terms.begin(), terms.end(), [](const VectorTerm& a, const VectorTerm& b) {
    return a.field != b.field ? a.field < b.field : a.term < b.term;
  });
  // Encode every field first: views into vector_values_ are taken once it stops growing.
  std::vector<uint32_t>& fields = vector_field_ids_;
  fields.clear();
  for (size_t i = 0; i < terms.size();) {
    const uint32_t field = terms[i].field;
    vector_pairs_.clear();
    for (; i < terms.size() && terms[i].field == field; ++i)
      vector_pairs_.emplace_back(terms[i].term, terms[i].tf);
    if (vector_values_.size() == fields.size()) vector_values_.emplace_back();
    std::string& v = vector_values_[fields.size()];
    v.clear();
    EncodeTermVector(vector_pairs_, &v);
    fields.push_back(field);
  }
  vector_fields_.clear();
  for (size_t f = 0; f < fields.size(); ++f)
    vector_fields_.emplace_back(fields[f], vector_values_[f]);
  vectors_.AddEncoded(vector_fields_);
}

absl::Status SegmentBuilder::Flush(Directory* dir, uint64_t segment_number, SegmentInfo* info) {
  SCOUR_ASSIGN_OR_RETURN(auto writer, SegmentWriter::Create(dir, segment_number, doc_count_));
  for (uint32_t f = 0; f < norms_.size(); ++f) {
    if (norms_[f].empty()) continue;
    writer->SetNorms(f, std::move(norms_[f]));
  }
  // _id keys start with byte 0 (field 0), before every other field's: they go first.
  SCOUR_RETURN_IF_ERROR(WriteIdTerms(writer.get()));
  const std::vector<uint32_t> order = SortedByKey(static_cast<uint32_t>(states_.size()),
                                                  [&](uint32_t id) { return terms_.key(id); });
  std::vector<uint32_t> docs, freqs, positions;
  // Terms in key order visit states_, heads_ and the pool at random: the loads of each term's
  // first lines cost most of the flush. Prefetch in two stages: a term's state and heads
  // 2 * kAhead terms ahead, its streams' first bytes (addressed by the heads) kAhead ahead.
  constexpr size_t kAhead = 8;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i + 2 * kAhead < order.size()) {
      __builtin_prefetch(&states_[order[i + 2 * kAhead]]);
      __builtin_prefetch(&heads_[order[i + 2 * kAhead]]);
    }
    if (i + kAhead < order.size()) {
      const TermHeads& h = heads_[order[i + kAhead]];
      pool_.Prefetch(h.docs);
      pool_.Prefetch(h.pos);
    }
    const uint32_t id = order[i];
    const TermState& st = states_[id];
    docs.resize(st.df);
    freqs.resize(st.df);
    ByteSlicePool::Reader r(&pool_, heads_[id].docs, st.docs.cur);
    // Stream layout: doc0, 0, then for each later doc: delta, freq of the previous doc.
    uint32_t doc = r.ReadVarint();
    r.ReadVarint();
    for (uint32_t i = 0; i + 1 < st.df; ++i) {
      docs[i] = doc;
      doc += r.ReadVarint();
      freqs[i] = r.ReadVarint();
    }
    docs[st.df - 1] = doc;
    freqs[st.df - 1] = st.last_doc_freq;
    const uint32_t field = terms_.field(id);
    const bool with_positions = field != kIdField;
    if (with_positions) {
      uint64_t total = 0;
      for (uint32_t f : freqs) total += f;
      positions.resize(total);
      ByteSlicePool::Reader pr(&pool_, heads_[id].pos, st.pos.cur);
      size_t k = 0;
      for (uint32_t i = 0; i < st.df; ++i) {
        uint32_t p = 0;
        for (uint32_t j = 0; j < freqs[i]; ++j) {
          p += pr.ReadVarint();
          positions[k++] = p;
        }
      }
    }
    SCOUR_RETURN_IF_ERROR(writer->AddTerm(terms_.key(id), field, docs.data(), freqs.data(), st.df,
                                          with_positions ? positions.data() : nullptr));
  }
  WriteSurfaces(writer.get());
  // Stored fields were compressed as documents came; hand them to the writer.
  writer->stored() = std::move(stored_);
  if (term_vectors_) {
    writer->EnableTermVectors();
    *writer->term_vectors() = std::move(vectors_);
  }
  SCOUR_RETURN_IF_ERROR(writer->Finish(info));
  Reset();
  return absl::OkStatus();
}

void SegmentBuilder::WriteSurfaces(SegmentWriter* writer) {
  // Words equal to their term need no entry: prefixes find them in the term dictionary.
  std::string keys;  // AppendTermKey(field, word) of each entry, back to back
  struct Entry {
    uint32_t offset, size, term_id;
  };
  std::vector<Entry> entries;
  std::string key;
  surfaces_.ForEach([&](uint32_t field, std::string_view word, uint32_t id) {
    key.clear();
    AppendTermKey(field, word, &key);
    if (key == terms_.key(id)) return;
    entries.push_back({static_cast<uint32_t>(keys.size()), static_cast<uint32_t>(key.size()), id});
    keys.append(key);
  });
  auto key_of = [&](uint32_t i) {
    return std::string_view(keys).substr(entries[i].offset, entries[i].size);
  };
  for (uint32_t i : SortedByKey(static_cast<uint32_t>(entries.size()), key_of)) {
    const std::string_view term_key = terms_.key(entries[i].term_id);
    const std::string_view k = key_of(i);
    // Same field: the term is its key past the field varint, as long as the word's.
    size_t field_len = 0;
    while (static_cast<uint8_t>(k[field_len]) & 0x80) ++field_len;
    writer->surfaces().Add(k, term_key.substr(field_len + 1));
  }
}

absl::Status SegmentBuilder::WriteIdTerms(SegmentWriter* writer) {
  // Docs of a repeated id (replaced within this segment) stay in doc order.
  const std::vector<uint32_t> by_id =
      SortedByKey(static_cast<uint32_t>(ids_.size()), [&](uint32_t doc) { return IdOf(doc); });
  std::string key;
  std::vector<uint32_t> docs, freqs;
  for (size_t i = 0; i < by_id.size();) {
    const std::string_view id = IdOf(by_id[i]);
    docs.clear();
    for (; i < by_id.size() && IdOf(by_id[i]) == id; ++i) docs.push_back(by_id[i]);
    freqs.assign(docs.size(), 1);
    key.clear();
    AppendTermKey(kIdField, id, &key);
    SCOUR_RETURN_IF_ERROR(writer->AddTerm(key, kIdField, docs.data(), freqs.data(),
                                          static_cast<uint32_t>(docs.size()), nullptr));
  }
  return absl::OkStatus();
}

void SegmentBuilder::Reset() {
  // Swaps with fresh objects release the memory: `v = {}` keeps a vector's capacity, and a
  // std::string move-assigned from an empty (inline) one keeps its heap buffer. Capacity kept
  // from the last segment would count against the budget and make later segments flush early.
  pool_.Reset();
  std::string().swap(id_bytes_);
  std::vector<IdRef>().swap(ids_);
  terms_.Clear();
  surfaces_.Clear();
  std::vector<TermState>().swap(states_);
  std::vector<TermHeads>().swap(heads_);
  std::vector<std::vector<uint8_t>>().swap(norms_);
  StoredFieldsWriter fresh;
  std::swap(stored_, fresh);
  TermVectorsWriter fresh_vectors;
  std::swap(vectors_, fresh_vectors);
  std::vector<uint32_t>().swap(doc_terms_);
  doc_count_ = 0;
}

}  // namespace scour::index
