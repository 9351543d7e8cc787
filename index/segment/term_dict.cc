#include "index/segment/term_dict.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
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

void AppendDictIdKey(std::string* block, std::string_view key, size_t shared) {
  PutNibblePair(block, shared, key.size() - shared);
  block->append(key.substr(shared));
}

namespace {

uint32_t BitWidth(uint64_t v) {
  return v == 0 ? 0 : 64 - static_cast<uint32_t>(__builtin_clzll(v));
}

// `values` at `b` bits each, least significant bit first.
void PackBits(const uint64_t* values, size_t n, uint32_t b, std::string* out) {
  uint64_t acc = 0;
  uint32_t have = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= values[i] << have;  // have < 8 here, b <= 32: no bit is lost
    have += b;
    while (have >= 8) {
      out->push_back(static_cast<char>(acc));
      acc >>= 8;
      have -= 8;
    }
  }
  if (have > 0) out->push_back(static_cast<char>(acc));
}

constexpr uint8_t kDocMapDelta = 0x80;
constexpr uint8_t kDocMapWidthMask = 0x3f;

// Bytes of a doc block of `count` packed values at `b` bits, its head and base included.
uint64_t DocBlockBytes(uint32_t count, uint32_t b) { return 5 + (uint64_t{count} * b + 7) / 8; }

}  // namespace

std::string EncodeDocMap(const std::vector<uint32_t>& ordinals, uint32_t num_id_entries) {
  const uint32_t docs = static_cast<uint32_t>(ordinals.size());
  const uint32_t nb = DocMapBlocks(docs);
  std::string blocks;
  std::vector<uint64_t> offsets;
  uint64_t values[kDocMapBlock];
  for (uint32_t j = 0; j < nb; ++j) {
    const uint32_t* o = ordinals.data() + size_t{j} * kDocMapBlock;
    const uint32_t n = std::min(kDocMapBlock, docs - j * kDocMapBlock);
    uint32_t lo = o[0], hi = o[0];
    uint64_t max_zz = 0;
    for (uint32_t i = 1; i < n; ++i) {
      lo = std::min(lo, o[i]);
      hi = std::max(hi, o[i]);
      max_zz = std::max(max_zz, ZigZag(int64_t{o[i]} - int64_t{o[i - 1]}));
    }
    const uint32_t b_for = BitWidth(hi - lo), b_delta = BitWidth(max_zz);
    const bool delta = DocBlockBytes(n - 1, b_delta) < DocBlockBytes(n, b_for);
    offsets.push_back(blocks.size());
    blocks.push_back(static_cast<char>(delta ? kDocMapDelta | b_delta : b_for));
    PutFixed32(&blocks, delta ? o[0] : lo);
    if (delta) {
      for (uint32_t i = 1; i < n; ++i) values[i - 1] = ZigZag(int64_t{o[i]} - int64_t{o[i - 1]});
      PackBits(values, n - 1, b_delta, &blocks);
    } else {
      for (uint32_t i = 0; i < n; ++i) values[i] = o[i] - lo;
      PackBits(values, n, b_for, &blocks);
    }
  }
  // Offsets from the map's first byte: its 9-byte head, the offsets, then the blocks.
  uint32_t width = 1;
  for (;;) {
    const uint64_t head = 9 + uint64_t{nb} * width;
    if (DictBlockIndexWidth(head + (offsets.empty() ? 0 : offsets.back())) <= width) break;
    ++width;
  }
  const uint64_t head = 9 + uint64_t{nb} * width;
  std::string out;
  PutFixed32(&out, docs);
  PutFixed32(&out, num_id_entries);
  out.push_back(static_cast<char>(width));
  for (uint64_t off : offsets) {
    char buf[8];
    EncodeFixed64(buf, head + off);
    out.append(buf, width);
  }
  out += blocks;
  return out;
}

absl::StatusOr<TermDictReader> TermDictReader::Open(std::string_view file, std::string name) {
  TermDictReader r;
  r.file_ = file;
  r.name_ = std::move(name);
  if (file.size() < kHeaderSize + kFooterSize + 16 + 4) return r.Corrupt("too short");
  r.version_ = FrameVersion(file);
  if (r.version_ < kMinFormatVersion || r.version_ > kFormatVersion)
    return r.Corrupt(absl::StrCat("format version ", r.version_));
  // Format 7: the doc map's offset between the block index's and the term count.
  const uint64_t tail_size = r.version_ >= 7 ? 24 : 16;
  if (file.size() < kHeaderSize + kFooterSize + tail_size + 4) return r.Corrupt("too short");
  const char* tail = file.data() + file.size() - kFooterSize - tail_size;
  uint64_t index_off = DecodeFixed64(tail);
  uint64_t map_off = r.version_ >= 7 ? DecodeFixed64(tail + 8) : 0;
  r.num_terms_ = DecodeFixed64(tail + tail_size - 8);
  uint64_t tail_off = tail - file.data();
  // Subtractions, not index_off + 4: an offset near 2^64 would wrap past the check (fuzzer).
  if (index_off < kHeaderSize || index_off > tail_off || tail_off - index_off < 4)
    return r.Corrupt("bad block index offset");
  // The block index ends where the doc map starts (format 7) or at the tail.
  const uint64_t index_end = r.version_ >= 7 ? map_off : tail_off;
  if (r.version_ >= 7) {
    if (map_off < index_off || map_off > tail_off || tail_off - map_off < 9)
      return r.Corrupt("bad doc map offset");
    SCOUR_RETURN_IF_ERROR(r.OpenDocMap(file.data() + map_off, tail_off - map_off));
  }
  if (index_end - index_off < 4) return r.Corrupt("bad block index offset");
  r.num_blocks_ = DecodeFixed32(file.data() + index_off);
  uint64_t index_head = 4;
  if (r.version_ >= 6) {  // a width byte, then the offsets at that width
    if (index_end - index_off < 5) return r.Corrupt("bad block index offset");
    r.index_width_ = static_cast<uint8_t>(file[index_off + 4]);
    if (r.index_width_ < 1 || r.index_width_ > 8) return r.Corrupt("block index width");
    if (r.index_width_ < 8) r.index_mask_ = (uint64_t{1} << (8 * r.index_width_)) - 1;
    index_head = 5;
  }
  // The last offset is read with 8 bytes, of which the 16-byte tail (or the doc map's 9-byte
  // head and the tail) after the index holds the rest: no read leaves the body.
  if (uint64_t{r.num_blocks_} * r.index_width_ != index_end - index_off - index_head)
    return r.Corrupt("block index size");
  r.block_index_ = file.data() + index_off + index_head;
  r.blocks_end_ = index_off;
  if (r.num_terms_ > uint64_t{r.num_blocks_} * kTermsPerDictBlock ||
      (r.num_blocks_ > 0 && r.num_terms_ == 0))
    return r.Corrupt("term count does not match block count");
  if (r.map_ids_ > r.num_terms_) return r.Corrupt("doc map: more ids than terms");
  return r;
}

absl::Status TermDictReader::OpenDocMap(const char* map, uint64_t size) {
  map_ = map;
  map_size_ = size;
  map_docs_ = DecodeFixed32(map);
  map_ids_ = DecodeFixed32(map + 4);
  map_width_ = static_cast<uint8_t>(map[8]);
  if (map_width_ < 1 || map_width_ > 8) return Corrupt("doc map: offset width");
  map_mask_ = map_width_ < 8 ? (uint64_t{1} << (8 * map_width_)) - 1 : ~uint64_t{0};
  map_blocks_at_ = 9 + uint64_t{DocMapBlocks(map_docs_)} * map_width_;
  // Every document has an id and every id a document: M <= D, and M = 0 only if D = 0.
  if (map_blocks_at_ > size || map_ids_ > map_docs_ || (map_ids_ == 0) != (map_docs_ == 0))
    return Corrupt("doc map: size");
  return absl::OkStatus();
}

// Value i of b-bit values packed from p: one 8-byte load (the caller has checked that the
// block's bytes lie in the map; the tail's 24 bytes follow the map).
static inline uint32_t UnpackBit(const char* p, uint32_t i, uint32_t b) {
  const uint64_t bit = uint64_t{i} * b;
  return static_cast<uint32_t>((DecodeFixed64(p + (bit >> 3)) >> (bit & 7)) &
                               ((uint64_t{1} << b) - 1));
}

absl::Status TermDictReader::ReadDocBlockHead(uint32_t j, DocBlockHead* h) const {
  const uint32_t nb = DocMapBlocks(map_docs_);
  if (j >= nb) return Corrupt(absl::StrCat("doc map: block ", j, " of ", nb));
  const uint64_t off = DecodeFixed64(map_ + 9 + uint64_t{j} * map_width_) & map_mask_;
  h->count = std::min(kDocMapBlock, map_docs_ - j * kDocMapBlock);
  if (off < map_blocks_at_ || off > map_size_ || map_size_ - off < 5)
    return Corrupt(absl::StrCat("doc map: block ", j, " offset"));
  const uint8_t head = static_cast<uint8_t>(map_[off]);
  h->width = head & kDocMapWidthMask;
  h->delta = head & kDocMapDelta;
  if (h->width > 32 || (head & 0x40) ||
      DocBlockBytes(h->delta ? h->count - 1 : h->count, h->width) > map_size_ - off)
    return Corrupt(absl::StrCat("doc map: block ", j, " head"));
  h->base = DecodeFixed32(map_ + off + 1);
  h->bits = map_ + off + 5;
  return absl::OkStatus();
}

absl::Status TermDictReader::DecodeDocBlock(uint32_t j, const DocBlockHead& h,
                                            uint32_t out[kDocMapBlock]) const {
  // Locals, not fields: a store to out[] may alias them, which would reload them per value.
  const uint32_t count = h.count, b = h.width, base = h.base, m = map_ids_;
  const char* bits = h.bits;
  bool bad = false;
  if (h.delta) {
    int64_t v = base;
    out[0] = base;
    for (uint32_t i = 1; i < count; ++i) {
      v += UnZigZag(UnpackBit(bits, i - 1, b));
      bad |= v < 0 || v >= m;
      out[i] = static_cast<uint32_t>(v);
    }
    bad |= base >= m;
  } else {
    for (uint32_t i = 0; i < count; ++i) {
      const uint64_t v = uint64_t{base} + UnpackBit(bits, i, b);
      bad |= v >= m;
      out[i] = static_cast<uint32_t>(v);
    }
  }
  if (bad) return Corrupt(absl::StrCat("doc map: block ", j, " names an id past ", map_ids_));
  return absl::OkStatus();
}

absl::Status TermDictReader::DocBlock(uint32_t j, uint32_t out[kDocMapBlock], uint32_t* n) const {
  DocBlockHead h;
  SCOUR_RETURN_IF_ERROR(ReadDocBlockHead(j, &h));
  SCOUR_RETURN_IF_ERROR(DecodeDocBlock(j, h, out));
  *n = h.count;
  return absl::OkStatus();
}

absl::Status TermDictReader::DocMap(std::vector<uint32_t>* ordinals) const {
  ordinals->resize(map_docs_);
  const uint32_t nb = DocMapBlocks(map_docs_);
  for (uint32_t j = 0; j < nb; ++j) {
    uint32_t n;
    SCOUR_RETURN_IF_ERROR(DocBlock(j, ordinals->data() + size_t{j} * kDocMapBlock, &n));
  }
  return absl::OkStatus();
}

absl::Status TermDictReader::FindDocs(uint32_t ordinal,
                                      absl::FunctionRef<bool(uint32_t doc)> fn) const {
  const uint32_t nb = DocMapBlocks(map_docs_);
  const int64_t o = ordinal;
  for (uint32_t j = 0; j < nb; ++j) {
    // The block's ordinals lie in [lo, hi], known from its head and base alone: most blocks of
    // an index in input order (delta mode, 2 bits: base - 254 .. base + 127) are skipped after
    // ~20 instructions instead of decoding 128 values (~30 each). Anything odd takes the
    // checked path below.
    const uint64_t off = DecodeFixed64(map_ + 9 + uint64_t{j} * map_width_) & map_mask_;
    if (off >= map_blocks_at_ && off <= map_size_ && map_size_ - off >= 5) {
      const uint8_t head = static_cast<uint8_t>(map_[off]);
      const uint32_t width = head & kDocMapWidthMask;
      if (width <= 32) {
        int64_t lo = DecodeFixed32(map_ + off + 1), hi = lo;
        if (!(head & kDocMapDelta)) {
          hi += (int64_t{1} << width) - 1;
        } else if (width > 0) {
          // A zigzag value of b bits is a step in [-2^(b-1), 2^(b-1) - 1].
          const int64_t steps = std::min(kDocMapBlock, map_docs_ - j * kDocMapBlock) - 1;
          const int64_t half = int64_t{1} << (width - 1);
          lo -= steps * half;
          hi += steps * (half - 1);
        }
        if (o < lo || o > hi) continue;
      }
    }
    // A block that may hold it: its values compared as they unpack (a FOR value against
    // ordinal - base), not decoded and checked first (~8 instructions a value instead of ~16).
    DocBlockHead h;
    SCOUR_RETURN_IF_ERROR(ReadDocBlockHead(j, &h));
    const uint32_t count = h.count, b = h.width, first = j * kDocMapBlock;
    if (!h.delta) {
      if (ordinal < h.base) continue;  // excluded by the bound above; keeps t from wrapping
      const uint64_t t = uint64_t{ordinal} - h.base;
      for (uint32_t i = 0; i < count; ++i)
        if (UnpackBit(h.bits, i, b) == t && fn(first + i)) return absl::OkStatus();
    } else {
      int64_t v = h.base;
      if (v == o && fn(first)) return absl::OkStatus();
      for (uint32_t i = 1; i < count; ++i) {
        v += UnZigZag(UnpackBit(h.bits, i - 1, b));
        if (v == o && fn(first + i)) return absl::OkStatus();
      }
    }
  }
  return absl::OkStatus();
}

absl::Status TermDictReader::ForEachIdEntry(
    std::span<const uint32_t> ordinals,
    absl::FunctionRef<void(uint32_t, std::string_view)> fn) const {
  Iterator it;
  it.dict_ = this;
  for (const uint32_t o : ordinals) {
    if (o >= map_ids_) return Corrupt(absl::StrCat("no _id entry ", o));
    const uint32_t b = o / kTermsPerDictBlock, i = o % kTermsPerDictBlock;
    if (!it.valid_ || it.block_ != b || it.entry_in_block() > i) {
      if (!it.LoadBlock(b)) return it.status_.ok() ? Corrupt("doc map: no such block") : it.status_;
    }
    while (it.valid_ && it.block_ == b && it.entry_in_block() < i) it.Next();
    if (!it.valid_ || it.block_ != b || !IsIdKey(it.key_)) {
      if (!it.status_.ok()) return it.status_;
      return Corrupt(absl::StrCat("_id entry ", o, " is not entry ", i, " of block ", b));
    }
    fn(o, std::string_view(it.key_).substr(1));
  }
  return absl::OkStatus();
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

uint64_t TermDictReader::Iterator::bytes_done() const {
  if (dict_ == nullptr || !status_.ok()) return 0;
  return valid_ ? dict_->BlockOffset(block_) : dict_->blocks_end_;
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
    if (id && version_ >= 7) {  // the key alone: the doc map has its documents
      const uint64_t ordinal = uint64_t{b} * kTermsPerDictBlock + i;
      if (ordinal >= map_ids_)
        return Corrupt(absl::StrCat("_id entry ", ordinal, " past the doc map's"));
      info.id_entry = static_cast<uint32_t>(ordinal);
    } else if (!ReadEntryValues(&r, id, version_ >= 5, &state, &info)) {
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
  block_size_ = n;
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
  const bool id = IsIdKey(key_);
  if (id && dict_->version_ >= 7) {  // the key alone: the doc map has its documents
    const uint64_t ordinal = uint64_t{block_} * kTermsPerDictBlock + (block_size_ - left_in_block_);
    if (ordinal >= dict_->map_ids_) return BadEntry();
    info_ = TermInfo{};
    info_.id_entry = static_cast<uint32_t>(ordinal);
  } else if (!ReadEntryValues(&r, id, dict_->version_ >= 5, &state_, &info_)) {
    return BadEntry();
  }
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
