#include "index/term_dict.h"

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "index/file_format.h"

namespace scour::index {

absl::Status TermDictReader::Corrupt(const std::string& what) const {
  return absl::DataLossError(absl::StrCat(name_, ": corrupt term dictionary: ", what));
}

absl::StatusOr<TermDictReader> TermDictReader::Open(std::string_view file, std::string name) {
  TermDictReader r;
  r.file_ = file;
  r.name_ = std::move(name);
  if (file.size() < kHeaderSize + kFooterSize + 16 + 4) return r.Corrupt("too short");
  const char* tail = file.data() + file.size() - kFooterSize - 16;
  uint64_t index_off = DecodeFixed64(tail);
  r.num_terms_ = DecodeFixed64(tail + 8);
  uint64_t tail_off = tail - file.data();
  // Subtractions, not index_off + 4: an offset near 2^64 would wrap past the check (fuzzer).
  if (index_off < kHeaderSize || index_off > tail_off || tail_off - index_off < 4)
    return r.Corrupt("bad block index offset");
  r.num_blocks_ = DecodeFixed32(file.data() + index_off);
  if (uint64_t{r.num_blocks_} * 8 != tail_off - index_off - 4) return r.Corrupt("block index size");
  r.block_index_ = file.data() + index_off + 4;
  r.blocks_end_ = index_off;
  if (r.num_terms_ > uint64_t{r.num_blocks_} * kTermsPerDictBlock ||
      (r.num_blocks_ > 0 && r.num_terms_ == 0))
    return r.Corrupt("term count does not match block count");
  return r;
}

uint64_t TermDictReader::BlockOffset(uint32_t b) const {
  return DecodeFixed64(block_index_ + size_t{b} * 8);
}

bool TermDictReader::FirstKey(uint32_t b, std::string_view* key) const {
  uint64_t off = BlockOffset(b);
  if (off < kHeaderSize || off >= blocks_end_) return false;
  ByteReader r(std::string_view(file_.data() + off, blocks_end_ - off));
  r.Varint32();  // n
  uint64_t shared = r.Varint64();
  uint64_t len = r.Varint64();
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
    if (first <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo == 0 ? 0 : lo - 1;
}

absl::StatusOr<std::optional<TermInfo>> TermDictReader::Lookup(std::string_view key) const {
  if (num_blocks_ == 0) return std::nullopt;
  Iterator it;
  it.dict_ = this;
  if (!it.LoadBlock(FindBlock(key))) return it.status_;
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
  last_post_ = last_pos_ = 0;
  key_.clear();
  return ReadEntry();
}

bool TermDictReader::Iterator::ReadEntry() {
  ByteReader r(std::string_view(p_, block_end_ - p_));
  uint64_t shared = r.Varint64();
  uint64_t len = r.Varint64();
  std::string_view suffix = r.Bytes(len);
  uint64_t df = r.Varint64();
  uint64_t cf_minus = r.Varint64();
  if (!r.ok() || shared > key_.size() || df == 0 || df > UINT32_MAX) {
    status_ = dict_->Corrupt(absl::StrCat("entry in block ", block_));
    valid_ = false;
    return false;
  }
  key_.resize(shared);
  key_.append(suffix);
  info_ = TermInfo{};
  info_.df = static_cast<uint32_t>(df);
  info_.cf = df + cf_minus;
  if (df == 1) {
    info_.single_doc = r.Varint32();
  } else {
    last_post_ += r.Varint64();
    info_.postings = last_post_;
  }
  last_pos_ += r.Varint64();
  info_.positions = last_pos_;
  if (!r.ok()) {
    status_ = dict_->Corrupt(absl::StrCat("entry in block ", block_));
    valid_ = false;
    return false;
  }
  p_ = r.pos();
  --left_in_block_;
  valid_ = true;
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
