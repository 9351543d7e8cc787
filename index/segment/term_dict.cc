#include "index/segment/term_dict.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "index/format/file_format.h"
#include "index/postings/postings_cursor.h"

namespace scour::index {

absl::Status TermDictReader::Corrupt(const std::string& what) const {
  return absl::DataLossError(absl::StrCat(name_, ": corrupt term dictionary: ", what));
}

namespace {

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

bool IsIdKey(std::string_view key) { return !key.empty() && key[0] == static_cast<char>(kIdField); }

}  // namespace

void AppendDictEntryV2(std::string* block, std::string_view key, size_t shared,
                       const TermInfo& info, DictBlockState* state) {
  PutNibblePair(block, shared, key.size() - shared);  // the head: shared, suffix length
  block->append(key.substr(shared));
  const bool id = IsIdKey(key);
  if (id && info.df == 1 && info.cf == 1) {
    // The common _id entry: one doc, tf 1, no positions. Ids of one block are often
    // consecutive documents, so the doc is a signed delta from the previous one.
    PutVarint64(block, ZigZag(int64_t{info.single_doc} - int64_t{state->last_id_doc}) << 1);
    state->last_id_doc = info.single_doc;
    return;
  }
  if (id) PutVarint64(block, 1);  // an _id with several docs (a replaced id before a merge)
  PutVarint64(block, uint64_t{info.df} << 1 | (info.cf > info.df ? 1 : 0));
  if (info.cf > info.df) PutVarint64(block, info.cf - info.df - 1);
  if (info.df == 1) {
    PutVarint64(block, info.single_doc);
  } else {
    PutVarint64(block, info.postings - state->last_post);
    state->last_post = info.postings;
    PutVarint32(block, ImpactTf(info.impact));  // format 5: the list impact, from .post
    block->push_back(static_cast<char>(ImpactNorm(info.impact)));
  }
  PutVarint64(block, info.positions - state->last_pos);
  state->last_pos = info.positions;
}

absl::StatusOr<TermDictReader> TermDictReader::Open(std::string_view file, std::string name) {
  TermDictReader r;
  r.file_ = file;
  r.name_ = std::move(name);
  if (file.size() < kHeaderSize + kFooterSize + 16 + 4) return r.Corrupt("too short");
  r.version_ = FrameVersion(file);
  if (r.version_ < kMinFormatVersion || r.version_ > kFormatVersion)
    return r.Corrupt(absl::StrCat("format version ", r.version_));
  const char* tail = file.data() + file.size() - kFooterSize - 16;
  uint64_t index_off = DecodeFixed64(tail);
  r.num_terms_ = DecodeFixed64(tail + 8);
  uint64_t tail_off = tail - file.data();
  // Subtractions, not index_off + 4: an offset near 2^64 would wrap past the check (fuzzer).
  if (index_off < kHeaderSize || index_off > tail_off || tail_off - index_off < 4)
    return r.Corrupt("bad block index offset");
  r.num_blocks_ = DecodeFixed32(file.data() + index_off);
  uint64_t index_head = 4;
  if (r.version_ >= 6) {  // a width byte, then the offsets at that width
    if (tail_off - index_off < 5) return r.Corrupt("bad block index offset");
    r.index_width_ = static_cast<uint8_t>(file[index_off + 4]);
    if (r.index_width_ < 1 || r.index_width_ > 8) return r.Corrupt("block index width");
    if (r.index_width_ < 8) r.index_mask_ = (uint64_t{1} << (8 * r.index_width_)) - 1;
    index_head = 5;
  }
  // The last offset is read with 8 bytes, of which the 16-byte tail after the index holds the
  // rest: no read leaves the body.
  if (uint64_t{r.num_blocks_} * r.index_width_ != tail_off - index_off - index_head)
    return r.Corrupt("block index size");
  r.block_index_ = file.data() + index_off + index_head;
  r.blocks_end_ = index_off;
  if (r.num_terms_ > uint64_t{r.num_blocks_} * kTermsPerDictBlock ||
      (r.num_blocks_ > 0 && r.num_terms_ == 0))
    return r.Corrupt("term count does not match block count");
  return r;
}

uint64_t TermDictReader::BlockOffset(uint32_t b) const {
  return DecodeFixed64(block_index_ + size_t{b} * index_width_) & index_mask_;
}

bool TermDictReader::FirstKey(uint32_t b, std::string_view* key) const {
  uint64_t off = BlockOffset(b);
  if (off < kHeaderSize || off >= blocks_end_) return false;
  ByteReader r(std::string_view(file_.data() + off, blocks_end_ - off));
  r.Varint32();  // n
  uint64_t shared, len;
  if (version_ == 1) {
    shared = r.Varint64();
    len = r.Varint64();
  } else {
    GetNibblePair(&r, &shared, &len);
  }
  *key = r.Bytes(len);
  return r.ok() && shared == 0;
}

uint32_t TermDictReader::FindBlock(std::string_view key) const {
  // Binary search for the last block whose first key <= key; 0 if none (then key < all keys).
  uint32_t lo = 0, hi = num_blocks_;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    std::string_view first;
    if (!FirstKey(mid, &first)) return mid;  // let the block scan report the corruption
    if (first <= key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo == 0 ? 0 : lo - 1;
}

absl::StatusOr<std::optional<TermInfo>> TermDictReader::Lookup(std::string_view key) const {
  if (num_blocks_ == 0) return std::nullopt;
  const uint32_t b = FindBlock(key);
  return version_ == 1 ? LookupByIterator(b, key) : LookupInBlock(b, key);
}

// The block's entries are read in place: no key is assembled. `match` is how many leading bytes
// of `key` the previous entry's key shares, that key being smaller; keys increase, so an entry
// sharing more with the previous key is smaller still, one sharing less is larger, and only
// one sharing exactly `match` bytes has its suffix compared. Every entry up to the answer is
// decoded and checked as the iterator does, so corruption is reported alike.
absl::StatusOr<std::optional<TermInfo>> TermDictReader::LookupInBlock(uint32_t b,
                                                                      std::string_view key) const {
  const uint64_t off = BlockOffset(b);
  const uint64_t end = b + 1 < num_blocks_ ? BlockOffset(b + 1) : blocks_end_;
  if (off < kHeaderSize || off >= end || end > blocks_end_) {
    return Corrupt(absl::StrCat("block ", b, " offset out of range"));
  }
  const char* block_end = file_.data() + end;
  uint32_t n;
  const char* p = GetVarint32Ptr(file_.data() + off, block_end, &n);
  if (p == nullptr || n == 0 || n > kTermsPerDictBlock) {
    return Corrupt(absl::StrCat("block ", b, " entry count"));
  }
  ByteReader r(std::string_view(p, block_end - p));
  DictBlockState state;
  size_t match = 0, prev_len = 0;
  char first = 0;  // the previous key's first byte
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t shared, len;
    GetNibblePair(&r, &shared, &len);
    const std::string_view suffix = r.Bytes(len);
    if (!r.ok() || shared > prev_len) return Corrupt(absl::StrCat("entry in block ", b));
    if (shared == 0) first = len > 0 ? suffix[0] : 0;
    const bool id = shared + len > 0 && first == static_cast<char>(kIdField);
    prev_len = shared + len;
    TermInfo info;
    if (!ReadEntryValues(&r, id, version_ >= 5, &state, &info)) {
      return Corrupt(absl::StrCat("entry in block ", b));
    }
    // The entry's key against `key`.
    int cmp;
    if (shared != match) {
      cmp = shared < match ? 1 : -1;
    } else {
      const size_t rest = key.size() - match;
      const size_t lim = std::min<size_t>(len, rest);
      size_t m = 0;
      while (m < lim && suffix[m] == key[match + m]) ++m;
      if (m < lim) {
        cmp = static_cast<uint8_t>(suffix[m]) < static_cast<uint8_t>(key[match + m]) ? -1 : 1;
      } else {
        cmp = len == rest ? 0 : (len < rest ? -1 : 1);
      }
      match += m;
    }
    if (cmp == 0) return info;
    if (cmp > 0) return std::nullopt;
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<TermInfo>> TermDictReader::LookupByIterator(
    uint32_t b, std::string_view key) const {
  Iterator it;
  it.dict_ = this;
  if (!it.LoadBlock(b)) return it.status_;
  while (it.valid_) {
    if (it.key_ == key) return it.info_;
    if (it.key_ > key) return std::nullopt;
    if (it.left_in_block_ == 0) return std::nullopt;  // the key would be in this block
    it.Next();
  }
  if (!it.status_.ok()) return it.status_;
  return std::nullopt;
}

TermDictReader::Iterator TermDictReader::Seek(std::string_view from) const {
  Iterator it;
  it.dict_ = this;
  if (num_blocks_ == 0) return it;
  if (!it.LoadBlock(FindBlock(from))) return it;
  while (it.valid_ && it.key_ < from) it.Next();
  return it;
}

bool TermDictReader::Iterator::LoadBlock(uint32_t b) {
  valid_ = false;
  if (b >= dict_->num_blocks_) return false;
  uint64_t off = dict_->BlockOffset(b);
  uint64_t end = b + 1 < dict_->num_blocks_ ? dict_->BlockOffset(b + 1) : dict_->blocks_end_;
  if (off < kHeaderSize || off >= end || end > dict_->blocks_end_) {
    status_ = dict_->Corrupt(absl::StrCat("block ", b, " offset out of range"));
    return false;
  }
  block_ = b;
  p_ = dict_->file_.data() + off;
  block_end_ = dict_->file_.data() + end;
  uint32_t n;
  p_ = GetVarint32Ptr(p_, block_end_, &n);
  if (p_ == nullptr || n == 0 || n > kTermsPerDictBlock) {
    status_ = dict_->Corrupt(absl::StrCat("block ", b, " entry count"));
    return false;
  }
  left_in_block_ = n;
  state_ = DictBlockState{};
  key_.clear();
  return ReadEntry();
}

bool TermDictReader::Iterator::BadEntry() {
  status_ = dict_->Corrupt(absl::StrCat("entry in block ", block_));
  valid_ = false;
  return false;
}

bool TermDictReader::Iterator::ReadEntry() {
  if (!(dict_->version_ == 1 ? ReadEntryV1() : ReadEntryV2())) return false;
  --left_in_block_;
  valid_ = true;
  return true;
}

// The end of an entry in every version: where the postings (or the single doc) and the
// positions are; from version 5 on (`impacts`) a list's max tf and min norm. Inlined: a lookup
// decodes every entry before its term in the block (a call each cost ~2% of a term query).
__attribute__((always_inline)) inline bool TermDictReader::ReadLocationValues(ByteReader* r,
                                                                              bool impacts,
                                                                              DictBlockState* state,
                                                                              TermInfo* info) {
  if (info->df == 1) {
    info->single_doc = r->Varint32();
  } else {
    state->last_post += r->Varint64();
    info->postings = state->last_post;
    if (impacts) {
      const uint32_t max_tf = r->Varint32();
      const uint8_t min_norm = r->U8();
      if (max_tf > kTfSaturated) return false;  // PackImpact would saturate it: corrupt here
      info->impact = PackImpact(max_tf, min_norm);
    }
  }
  state->last_pos += r->Varint64();
  info->positions = state->last_pos;
  return r->ok();
}

bool TermDictReader::Iterator::ReadLocation(ByteReader* r) {
  if (!ReadLocationValues(r, /*impacts=*/false, &state_, &info_)) return BadEntry();
  p_ = r->pos();
  return true;
}

bool TermDictReader::Iterator::ReadEntryV1() {
  ByteReader r(std::string_view(p_, block_end_ - p_));
  uint64_t shared = r.Varint64();
  uint64_t len = r.Varint64();
  std::string_view suffix = r.Bytes(len);
  uint64_t df = r.Varint64();
  uint64_t cf_minus = r.Varint64();
  if (!r.ok() || shared > key_.size() || df == 0 || df > UINT32_MAX) return BadEntry();
  key_.resize(shared);
  key_.append(suffix);
  info_ = TermInfo{};
  info_.df = static_cast<uint32_t>(df);
  info_.cf = df + cf_minus;
  return ReadLocation(&r);
}

bool TermDictReader::ReadEntryValues(ByteReader* r, bool id, bool impacts, DictBlockState* state,
                                     TermInfo* info) {
  *info = TermInfo{};
  if (id) {
    uint64_t x = r->Varint64();
    if (!r->ok() || (x > 1 && (x & 1))) return false;
    if ((x & 1) == 0) {
      int64_t doc = int64_t{state->last_id_doc} + UnZigZag(x >> 1);
      if (doc < 0 || doc > int64_t{UINT32_MAX}) return false;
      state->last_id_doc = static_cast<uint32_t>(doc);
      info->df = 1;
      info->cf = 1;
      info->single_doc = state->last_id_doc;
      info->positions = state->last_pos;  // _id has no positions; never read
      return true;
    }
  }
  uint64_t head = r->Varint64();
  uint64_t df = head >> 1;
  uint64_t cf_extra = (head & 1) ? r->Varint64() + 1 : 0;
  if (!r->ok() || df == 0 || df > UINT32_MAX || cf_extra > UINT64_MAX - df) return false;
  info->df = static_cast<uint32_t>(df);
  info->cf = df + cf_extra;
  return ReadLocationValues(r, impacts, state, info);
}

bool TermDictReader::Iterator::ReadEntryV2() {
  ByteReader r(std::string_view(p_, block_end_ - p_));
  uint64_t shared, len;
  GetNibblePair(&r, &shared, &len);
  std::string_view suffix = r.Bytes(len);
  if (!r.ok() || shared > key_.size()) return BadEntry();
  key_.resize(shared);
  key_.append(suffix);
  if (!ReadEntryValues(&r, IsIdKey(key_), dict_->version_ >= 5, &state_, &info_)) return BadEntry();
  p_ = r.pos();
  return true;
}

void TermDictReader::Iterator::Next() {
  if (!valid_) return;
  if (left_in_block_ > 0) {
    ReadEntry();
    return;
  }
  LoadBlock(block_ + 1);
}

}  // namespace scour::index
