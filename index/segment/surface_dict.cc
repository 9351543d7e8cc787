#include "index/segment/surface_dict.h"

#include <zstd.h>

#include <algorithm>
#include <cassert>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/string_view.h"
#include "index/format/file_format.h"

namespace scour::index {
namespace {

constexpr size_t kGroupEntryBytes = 24;  // u64 frame offset, u64 first key offset, u32 x 2

// Two lengths of an entry (shared/suffix, cut/add): a nibble pair in format 6's groups, two
// varints before.
void GetLengths(ByteReader* r, bool grouped, uint64_t* first, uint64_t* second) {
  if (grouped) {
    GetNibblePair(r, first, second);
  } else {
    *first = r->Varint64();
    *second = r->Varint64();
  }
}

// Bytes of the key's field varint, minus one (the word starts after them).
size_t FieldVarintEnd(std::string_view key) {
  size_t n = 0;
  while (n < key.size() && (static_cast<uint8_t>(key[n]) & 0x80)) ++n;
  return n;
}

constexpr uint32_t kSurfaceRestartEvery = 32;

}  // namespace

void SurfaceDictWriter::Add(std::string_view key, std::string_view term) {
  assert(key.size() + term.size() < kMaxSurfaceGroupBytes - kSurfaceGroupBytes - 32);
  size_t shared = 0;
  if (group_entries_ > 0) {
    const size_t lim = std::min(key.size(), last_key_.size());
    while (shared < lim && key[shared] == last_key_[shared]) ++shared;
  } else {
    groups_.emplace_back().first_key.assign(key.data(), key.size());
  }
  PutNibblePair(&raw_, shared, key.size() - shared);
  raw_.append(key.substr(shared));
  // The term as an edit of the word (the key without its field varint): keep the longest
  // common prefix, cut the rest, append the term's remainder.
  const std::string_view word = key.substr(std::min(FieldVarintEnd(key) + 1, key.size()));
  size_t common = 0;
  const size_t lim = std::min(word.size(), term.size());
  while (common < lim && word[common] == term[common]) ++common;
  PutNibblePair(&raw_, word.size() - common, term.size() - common);
  raw_.append(term.substr(common));
  last_key_.assign(key.data(), key.size());
  ++entries_;
  ++group_entries_;
  if (raw_.size() >= group_bytes_) FlushGroup();
}

void SurfaceDictWriter::FlushGroup() {
  if (group_entries_ == 0) return;
  Group& g = groups_.back();
  g.frame_offset = body_.size();
  g.raw_size = static_cast<uint32_t>(raw_.size());
  g.entries = group_entries_;
  const size_t bound = ZSTD_compressBound(raw_.size());
  body_.resize(g.frame_offset + bound);
  // Level 9's tables for a 512 KB group take ~13 MB (massif, in every flush and merge); capped
  // at 2^kSurfaceZstdTableLog entries they take ~2 MB.
  std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, kSurfaceZstdLevel);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_hashLog, kSurfaceZstdTableLog);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_chainLog, kSurfaceZstdTableLog);
  const size_t n =
      ZSTD_compress2(cctx.get(), body_.data() + g.frame_offset, bound, raw_.data(), raw_.size());
  // Cannot fail with a sufficient bound and valid parameters.
  assert(!ZSTD_isError(n));
  body_.resize(g.frame_offset + n);
  raw_.clear();
  group_entries_ = 0;
}

std::string SurfaceDictWriter::Finish(uint64_t body_offset) {
  FlushGroup();
  std::vector<uint64_t> key_offsets;
  for (const Group& g : groups_) {
    key_offsets.push_back(body_offset + body_.size());
    body_.append(g.first_key);
  }
  const uint64_t index_offset = body_offset + body_.size();
  PutFixed32(&body_, static_cast<uint32_t>(groups_.size()));
  for (size_t i = 0; i < groups_.size(); ++i) {
    PutFixed64(&body_, body_offset + groups_[i].frame_offset);
    PutFixed64(&body_, key_offsets[i]);
    PutFixed32(&body_, groups_[i].raw_size);
    PutFixed32(&body_, groups_[i].entries);
  }
  PutFixed64(&body_, index_offset);
  PutFixed64(&body_, entries_);
  return std::move(body_);
}

absl::StatusOr<SurfaceDictReader> SurfaceDictReader::Open(std::string_view file, std::string name) {
  SurfaceDictReader r;
  r.file_ = file;
  r.name_ = std::move(name);
  auto corrupt = [&](std::string_view what) {
    return absl::DataLossError(absl::StrCat(r.name_, ": corrupt surface forms: ", Av(what)));
  };
  if (file.size() < kHeaderSize + kFooterSize + 16 + 4) return corrupt("too short");
  r.version_ = FrameVersion(file);
  const char* tail = file.data() + file.size() - kFooterSize - 16;
  const uint64_t index_off = DecodeFixed64(tail);
  r.entries_ = DecodeFixed64(tail + 8);
  const uint64_t tail_off = tail - file.data();
  if (index_off < kHeaderSize || index_off > tail_off || tail_off - index_off < 4)
    return corrupt("bad block index offset");
  r.num_blocks_ = DecodeFixed32(file.data() + index_off);
  r.block_index_ = file.data() + index_off + 4;
  if (r.version_ < 6) {
    if (uint64_t{r.num_blocks_} * 8 != tail_off - index_off - 4) return corrupt("block index size");
    r.blocks_end_ = index_off;
    if (r.entries_ > uint64_t{r.num_blocks_} * kSurfacesPerBlock || r.entries_ < r.num_blocks_)
      return corrupt("entry count does not match block count");
    return r;
  }
  // Format 6: the groups' frames, then their first keys, each range ending where the next
  // begins; every group holds at least one entry, at most kMaxSurfaceGroupBytes raw.
  if (uint64_t{r.num_blocks_} * kGroupEntryBytes != tail_off - index_off - 4)
    return corrupt("group index size");
  uint64_t frame_end = kHeaderSize, key_end = index_off, sum = 0;
  if (r.num_blocks_ > 0) {
    frame_end = DecodeFixed64(r.block_index_ + 8);  // the frames end where the keys start
    if (frame_end < kHeaderSize || frame_end > index_off) return corrupt("group key offsets");
  }
  for (uint32_t g = 0; g < r.num_blocks_; ++g) {
    const char* e = r.block_index_ + size_t{g} * kGroupEntryBytes;
    const uint64_t frame = DecodeFixed64(e), key = DecodeFixed64(e + 8);
    const uint64_t next_frame =
        g + 1 < r.num_blocks_ ? DecodeFixed64(e + kGroupEntryBytes) : frame_end;
    const uint64_t next_key =
        g + 1 < r.num_blocks_ ? DecodeFixed64(e + kGroupEntryBytes + 8) : key_end;
    if ((g == 0 && frame != kHeaderSize) || frame >= next_frame || next_frame > frame_end)
      return corrupt(absl::StrCat("group ", g, ": frame offsets"));
    if (key < frame_end || key >= next_key || next_key > key_end)
      return corrupt(absl::StrCat("group ", g, ": first key offsets"));
    const uint32_t raw_size = DecodeFixed32(e + 16), n = DecodeFixed32(e + 20);
    if (n == 0 || raw_size == 0 || raw_size > kMaxSurfaceGroupBytes)
      return corrupt(absl::StrCat("group ", g, ": size"));
    sum += n;
  }
  if (sum != r.entries_) return corrupt("entry count does not match the groups");
  r.blocks_end_ = frame_end;
  return r;
}

uint64_t SurfaceDictReader::BlockOffset(uint32_t b) const {
  if (version_ >= 6) return DecodeFixed64(block_index_ + size_t{b} * kGroupEntryBytes);
  return DecodeFixed64(block_index_ + size_t{b} * 8);
}

bool SurfaceDictReader::FirstKey(uint32_t b, std::string_view* key) const {
  if (version_ >= 6) {  // ranges checked by Open
    const char* e = block_index_ + size_t{b} * kGroupEntryBytes;
    const uint64_t off = DecodeFixed64(e + 8);
    const uint64_t end = b + 1 < num_blocks_
                             ? DecodeFixed64(e + kGroupEntryBytes + 8)
                             : static_cast<uint64_t>(block_index_ - 4 - file_.data());
    *key = file_.substr(off, end - off);
    return true;
  }
  const uint64_t off = BlockOffset(b);
  if (off < kHeaderSize || off >= blocks_end_) return false;
  ByteReader r(std::string_view(file_.data() + off, blocks_end_ - off));
  r.Varint32();  // n
  const uint64_t shared = r.Varint64();
  const uint64_t len = r.Varint64();
  *key = r.Bytes(len);
  return r.ok() && shared == 0;
}

const SurfaceDictReader::Decoded& SurfaceDictReader::Decode() const {
  std::call_once(lazy_->once, [this] { DecodeAll(&lazy_->decoded); });
  return lazy_->decoded;
}

void SurfaceDictReader::DecodeAll(Decoded* d) const {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (dctx == nullptr) {
    d->status = absl::ResourceExhaustedError("zstd: cannot create a context");
    return;
  }
  // Sizes and offsets were checked by Open; each frame must hold exactly its raw size. Each
  // group is decompressed and read (with the checks of ReadEntry, noting the restarts) before
  // the next is allocated, so damaged bytes cost at most one group's allocation past them.
  Iterator it;
  it.dict_ = this;
  it.grouped_ = true;
  it.decoded_ = d;
  uint64_t count = 0;
  std::string prev;
  d->group_start.push_back(0);
  for (uint32_t g = 0; g < num_blocks_; ++g) {
    const char* e = block_index_ + size_t{g} * kGroupEntryBytes;
    const uint64_t off = DecodeFixed64(e);
    const uint64_t end = g + 1 < num_blocks_ ? DecodeFixed64(e + kGroupEntryBytes) : blocks_end_;
    const uint32_t raw_size = DecodeFixed32(e + 16);
    const char* frame = file_.data() + off;
    const size_t at = d->group_start.back();
    d->raw.resize(at + raw_size);
    const size_t n =
        ZSTD_getFrameContentSize(frame, end - off) != raw_size
            ? 0
            : ZSTD_decompressDCtx(dctx.get(), d->raw.data() + at, raw_size, frame, end - off);
    if (ZSTD_isError(n) || n != raw_size) {
      d->status = absl::DataLossError(
          absl::StrCat(name_, ": corrupt surface forms: group ", g, ": compressed bytes"));
      return;
    }
    d->group_start.push_back(at + raw_size);
    if (it.LoadBlock(g) && !prev.empty() && !(prev < it.key_)) it.Fail("groups not in key order");
    while (it.Valid()) {
      if (count++ % kSurfaceRestartEvery == 0)
        d->restarts.push_back({it.key_, prev, it.entry_pos_, g, it.left_in_block_ + 1});
      prev = it.key_;
      if (it.left_in_block_ == 0) break;
      it.ReadEntry();
    }
    if (!it.status().ok()) {
      d->status = it.status();
      return;
    }
  }
  if (count != entries_) {
    d->status = absl::DataLossError(absl::StrCat(name_, ": corrupt surface forms: ", count,
                                                 " entries, the file says ", entries_));
  }
}

SurfaceDictReader::Iterator SurfaceDictReader::Seek(std::string_view from) const {
  Iterator it;
  it.dict_ = this;
  it.grouped_ = version_ >= 6;
  if (num_blocks_ == 0) return it;
  if (it.grouped_) {
    const Decoded& d = Decode();
    it.decoded_ = &d;
    if (!d.status.ok()) {
      it.status_ = d.status;
      return it;
    }
    // The last restart whose key <= from (the first if none), then a scan of < 32 entries.
    auto r = std::upper_bound(
        d.restarts.begin(), d.restarts.end(), from,
        [](std::string_view k, const Decoded::Restart& x) { return k < std::string_view(x.key); });
    if (r != d.restarts.begin()) --r;
    it.block_ = r->group;
    it.block_end_ = d.group_start[r->group + 1];
    it.left_in_block_ = r->left;
    it.pos_ = r->pos;
    it.key_ = r->prev_key;
    if (!it.ReadEntry()) return it;
    while (it.valid_ && it.key_ < from) it.Next();
    return it;
  }
  // The last block whose first key <= from (0 if none).
  uint32_t lo = 0, hi = num_blocks_;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    std::string_view first;
    if (!FirstKey(mid, &first)) {
      it.Fail("bad block");
      return it;
    }
    if (first <= from) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (!it.LoadBlock(lo == 0 ? 0 : lo - 1)) return it;
  while (it.valid_ && it.key_ < from) it.Next();
  return it;
}

bool SurfaceDictReader::Iterator::Fail(std::string_view what) {
  valid_ = false;
  status_ = absl::DataLossError(absl::StrCat(
      dict_->name_,
      ": corrupt surface forms: ", grouped_ ? absl::StrCat("group ", block_, ": ") : "", Av(what)));
  return false;
}

bool SurfaceDictReader::Iterator::LoadBlock(uint32_t b) {
  block_ = b;
  if (grouped_) {  // decompressed by DecodeAll
    block_end_ = decoded_->group_start[b + 1];
    pos_ = decoded_->group_start[b];
    left_in_block_ = DecodeFixed32(dict_->block_index_ + size_t{b} * kGroupEntryBytes + 20);
    key_.clear();
    if (!ReadEntry()) return false;
    std::string_view first;
    dict_->FirstKey(b, &first);
    if (key_ != first) return Fail("first key differs from the group index");
    return true;
  }
  const uint64_t off = dict_->BlockOffset(b);
  if (off < kHeaderSize || off >= dict_->blocks_end_) return Fail("block offset");
  const uint64_t end = b + 1 < dict_->num_blocks_ ? dict_->BlockOffset(b + 1) : dict_->blocks_end_;
  if (end <= off || end > dict_->blocks_end_) return Fail("block offsets not increasing");
  ByteReader r(std::string_view(dict_->file_.data() + off, end - off));
  const uint32_t n = r.Varint32();
  if (!r.ok() || n == 0 || n > kSurfacesPerBlock) return Fail("block size");
  pos_ = r.pos() - dict_->file_.data();
  block_end_ = end;
  left_in_block_ = n;
  key_.clear();
  return ReadEntry();
}

const char* SurfaceDictReader::Iterator::base() const {
  return grouped_ ? decoded_->raw.data() : dict_->file_.data();
}

bool SurfaceDictReader::Iterator::ReadEntry() {
  entry_pos_ = pos_;
  ByteReader r(std::string_view(base() + pos_, block_end_ - pos_));
  uint64_t shared, len;
  GetLengths(&r, grouped_, &shared, &len);
  if (!r.ok() || shared > key_.size() || (key_.empty() && shared != 0))
    return Fail("shared length");
  const std::string_view suffix = r.Bytes(len);
  if (!r.ok()) return Fail("suffix");
  // Strictly increasing: past the shared bytes, the new suffix sorts after the old one's.
  if (!key_.empty() && !(suffix > std::string_view(key_).substr(shared)))
    return Fail("keys not increasing");
  key_.resize(shared);
  key_.append(suffix);
  // The word is the key without its field varint.
  const size_t field_len = FieldVarintEnd(key_);
  if (field_len >= key_.size() || field_len > 4) return Fail("field");
  const std::string_view word = std::string_view(key_).substr(field_len + 1);
  uint64_t cut, add;
  GetLengths(&r, grouped_, &cut, &add);
  if (!r.ok() || cut > word.size()) return Fail("term edit");
  const std::string_view added = r.Bytes(add);
  if (!r.ok()) return Fail("term bytes");
  term_.assign(word.substr(0, word.size() - cut));
  term_.append(added);
  pos_ = r.pos() - base();
  --left_in_block_;
  if (left_in_block_ == 0 && pos_ != block_end_) return Fail("block length");
  if (left_in_block_ > 0 && pos_ == block_end_) return Fail("fewer entries than the index says");
  valid_ = true;
  return true;
}

void SurfaceDictReader::Iterator::Next() {
  if (!valid_) return;
  if (left_in_block_ > 0) {
    ReadEntry();
    return;
  }
  if (block_ + 1 >= dict_->num_blocks_) {
    valid_ = false;
    return;
  }
  const std::string prev = key_;
  if (LoadBlock(block_ + 1) && !(prev < key_)) Fail("blocks not in key order");
}

}  // namespace scour::index
