#include "index/postings/impact_list.h"

#include <algorithm>

#include "base/coding.h"

namespace scour::index {

size_t ParetoFrontier(const uint32_t* tfs, const uint8_t* norms, size_t n, ImpactPair* out) {
  if (n == 0) return 0;
  // The largest tf at each norm, then one sweep by norm: a norm's best tf is on the frontier
  // when it beats every shorter norm's.
  uint32_t best[256] = {};
  uint8_t lo = 255, hi = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t nb = norms == nullptr ? 0 : norms[i];
    best[nb] = std::max(best[nb], tfs[i]);
    lo = std::min(lo, nb);
    hi = std::max(hi, nb);
  }
  size_t m = 0;
  uint32_t top = 0;  // tfs are >= 1, so the shortest norm's best always enters
  for (uint32_t nb = lo; nb <= hi; ++nb) {
    if (best[nb] > top) {
      top = best[nb];
      out[m++] = {top, static_cast<uint8_t>(nb)};
    }
  }
  // Swept by norm, tf increases with norm: the frontier as specified.
  return m;
}

size_t CutFrontier(ImpactPair* f, size_t m, size_t max) {
  if (max == 0) max = 1;
  while (m > max) {
    size_t at = 0;
    int gap = 256;
    for (size_t i = 0; i + 1 < m; ++i) {
      const int d = int{f[i + 1].norm} - int{f[i].norm};
      if (d < gap) gap = d, at = i;
    }
    f[at] = {f[at + 1].tf, f[at].norm};
    std::copy(f + at + 2, f + m, f + at + 1);
    --m;
  }
  return m;
}

void AppendImpactList(const ImpactPair* f, size_t m, std::string* out) {
  const size_t at = out->size();
  out->push_back('\0');
  if (m < 2) return;
  for (size_t i = 0; i < m; ++i) {
    PutVarint32(out, f[i].tf);
    out->push_back(static_cast<char>(f[i].norm));
  }
  (*out)[at] = static_cast<char>(out->size() - at - 1);  // <= 16 x 6 bytes
}

size_t DecodeImpactList(const char* p, size_t len, ImpactPair* out, bool* malformed) {
  *malformed = false;
  if (len == 0) return 0;
  const auto* q = reinterpret_cast<const uint8_t*>(p);
  const auto* end = q + len;
  size_t m = 0;
  while (q < end) {
    if (m == kMaxImpactPairs) return *malformed = true, 0;
    uint32_t tf = 0;
    int shift = 0;
    for (;;) {
      if (q == end || shift > 28) return *malformed = true, 0;
      const uint8_t b = *q++;
      tf |= uint32_t{b & 0x7fu} << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (q == end) return *malformed = true, 0;  // the norm byte is missing
    const uint8_t norm = *q++;
    if (m > 0 && (tf <= out[m - 1].tf || norm <= out[m - 1].norm)) return *malformed = true, 0;
    out[m++] = {tf, norm};
  }
  if (m < 2) return *malformed = true, 0;
  return m;
}

}  // namespace scour::index
