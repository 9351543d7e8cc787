#include "index/segment/surface_dict.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "index/format/file_format.h"

namespace scour::index {

void SurfaceDictWriter::Add(std::string_view key, std::string_view term) {
  size_t shared = 0;
  if (block_entries_ > 0) {
    const size_t lim = std::min(key.size(), last_key_.size());
    while (shared < lim && key[shared] == last_key_[shared]) ++shared;
  } else {
    block_offsets_.push_back(0);  // set when the block is flushed
  }
  PutVarint64(&block_, shared);
  PutVarint64(&block_, key.size() - shared);
  block_.append(key.substr(shared));
  // The term as an edit of the word (the key without its field varint): keep the longest
  // common prefix, cut the rest, append the term's remainder.
  size_t field_len = 0;
  while (field_len < key.size() && (static_cast<uint8_t>(key[field_len]) & 0x80)) ++field_len;
  const std::string_view word = key.substr(std::min(field_len + 1, key.size()));
  size_t common = 0;
  const size_t lim = std::min(word.size(), term.size());
  while (common < lim && word[common] == term[common]) ++common;
  PutVarint64(&block_, word.size() - common);
  PutVarint64(&block_, term.size() - common);
  block_.append(term.substr(common));
  last_key_.assign(key.data(), key.size());
  ++entries_;
  if (++block_entries_ == kSurfacesPerBlock) FlushBlock();
}

void SurfaceDictWriter::FlushBlock() {
  if (block_entries_ == 0) return;
  block_offsets_.back() = body_.size();
  PutVarint32(&body_, block_entries_);
  body_.append(block_);
  block_.clear();
  block_entries_ = 0;
}

std::string SurfaceDictWriter::Finish(uint64_t body_offset) {
  FlushBlock();
  const uint64_t index_offset = body_offset + body_.size();
  PutFixed32(&body_, static_cast<uint32_t>(block_offsets_.size()));
  for (uint64_t off : block_offsets_) PutFixed64(&body_, body_offset + off);
  PutFixed64(&body_, index_offset);
  PutFixed64(&body_, entries_);
  return std::move(body_);
}

absl::StatusOr<SurfaceDictReader> SurfaceDictReader::Open(std::string_view file, std::string name) {
  SurfaceDictReader r;
  r.file_ = file;
  r.name_ = std::move(name);
  auto corrupt = [&](const char* what) {
    return absl::DataLossError(absl::StrCat(r.name_, ": corrupt surface forms: ", what));
  };
  if (file.size() < kHeaderSize + kFooterSize + 16 + 4) return corrupt("too short");
  const char* tail = file.data() + file.size() - kFooterSize - 16;
  const uint64_t index_off = DecodeFixed64(tail);
  r.entries_ = DecodeFixed64(tail + 8);
  const uint64_t tail_off = tail - file.data();
  if (index_off < kHeaderSize || index_off > tail_off || tail_off - index_off < 4)
    return corrupt("bad block index offset");
  r.num_blocks_ = DecodeFixed32(file.data() + index_off);
  if (uint64_t{r.num_blocks_} * 8 != tail_off - index_off - 4) return corrupt("block index size");
  r.block_index_ = file.data() + index_off + 4;
  r.blocks_end_ = index_off;
  if (r.entries_ > uint64_t{r.num_blocks_} * kSurfacesPerBlock || r.entries_ < r.num_blocks_)
    return corrupt("entry count does not match block count");
  return r;
}

uint64_t SurfaceDictReader::BlockOffset(uint32_t b) const {
  return DecodeFixed64(block_index_ + size_t{b} * 8);
}

bool SurfaceDictReader::FirstKey(uint32_t b, std::string_view* key) const {
  const uint64_t off = BlockOffset(b);
  if (off < kHeaderSize || off >= blocks_end_) return false;
  ByteReader r(std::string_view(file_.data() + off, blocks_end_ - off));
  r.Varint32();  // n
  const uint64_t shared = r.Varint64();
  const uint64_t len = r.Varint64();
  *key = r.Bytes(len);
  return r.ok() && shared == 0;
}

SurfaceDictReader::Iterator SurfaceDictReader::Seek(std::string_view from) const {
  Iterator it;
  it.dict_ = this;
  if (num_blocks_ == 0) return it;
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

bool SurfaceDictReader::Iterator::Fail(const char* what) {
  valid_ = false;
  status_ = absl::DataLossError(absl::StrCat(dict_->name_, ": corrupt surface forms: ", what));
  return false;
}

bool SurfaceDictReader::Iterator::LoadBlock(uint32_t b) {
  block_ = b;
  const uint64_t off = dict_->BlockOffset(b);
  if (off < kHeaderSize || off >= dict_->blocks_end_) return Fail("block offset");
  const uint64_t end = b + 1 < dict_->num_blocks_ ? dict_->BlockOffset(b + 1) : dict_->blocks_end_;
  if (end <= off || end > dict_->blocks_end_) return Fail("block offsets not increasing");
  ByteReader r(std::string_view(dict_->file_.data() + off, end - off));
  const uint32_t n = r.Varint32();
  if (!r.ok() || n == 0 || n > kSurfacesPerBlock) return Fail("block size");
  p_ = r.pos();
  block_end_ = dict_->file_.data() + end;
  left_in_block_ = n;
  key_.clear();
  return ReadEntry();
}

bool SurfaceDictReader::Iterator::ReadEntry() {
  ByteReader r(std::string_view(p_, static_cast<size_t>(block_end_ - p_)));
  const uint64_t shared = r.Varint64();
  const uint64_t len = r.Varint64();
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
  size_t field_len = 0;
  while (field_len < key_.size() && (static_cast<uint8_t>(key_[field_len]) & 0x80)) ++field_len;
  if (field_len >= key_.size() || field_len > 4) return Fail("field");
  const std::string_view word = std::string_view(key_).substr(field_len + 1);
  const uint64_t cut = r.Varint64();
  const uint64_t add = r.Varint64();
  if (!r.ok() || cut > word.size()) return Fail("term edit");
  const std::string_view added = r.Bytes(add);
  if (!r.ok()) return Fail("term bytes");
  term_.assign(word.substr(0, word.size() - cut));
  term_.append(added);
  p_ = r.pos();
  --left_in_block_;
  if (left_in_block_ == 0 && p_ != block_end_) return Fail("block length");
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
