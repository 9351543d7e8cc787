// NextCommon: the next value two sorted runs of doc ids share, the kernel of the block-at-a-time
// conjunction (conjunction.h, which merges the decoded 128-doc blocks of two cursors instead of
// stepping them doc by doc). Runs are strictly increasing. With SSE2 (part of x86-64 itself, so
// no runtime dispatch) four docs of each run are compared all against all per step and the run
// whose fourth doc is smaller moves on by four, without a branch to mispredict; the scalar loop
// finishes the runs (and is the whole kernel elsewhere).
#ifndef SCOUR_ENGINE_ALGORITHM_BLOCK_INTERSECT_H_
#define SCOUR_ENGINE_ALGORITHM_BLOCK_INTERSECT_H_

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace scour::engine {

// Moves *i within [*i, ie] and *j within [*j, je] to the first common value of a[*i..ie) and
// b[*j..je) and returns true (then a[*i] == b[*j]); or returns false with *i == ie or *j == je.
// A value passed over (in a[old *i .. *i) or b[old *j .. *j)) occurs nowhere in the other run
// from its old start. Note that after a false return with *j == je, b[je - 1] may still exceed
// a[*i] (and likewise with *i == ie): both sides moved by four.
inline bool NextCommon(const uint32_t* a, size_t* i, size_t ie, const uint32_t* b, size_t* j,
                       size_t je) {
  const uint32_t* pa = a + *i;
  const uint32_t* pb = b + *j;
  const uint32_t* const a_end = a + ie;
  const uint32_t* const b_end = b + je;
#if defined(__SSE2__)
  if (a_end - pa >= 4 && b_end - pb >= 4) {
    const uint32_t* const a_last4 = a_end - 4;
    const uint32_t* const b_last4 = b_end - 4;
    do {
      const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pa));
      const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pb));
      const __m128i eq = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi32(va, vb),
                       _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, _MM_SHUFFLE(0, 3, 2, 1)))),
          _mm_or_si128(_mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, _MM_SHUFFLE(1, 0, 3, 2))),
                       _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, _MM_SHUFFLE(2, 1, 0, 3)))));
      const int mask = _mm_movemask_ps(_mm_castsi128_ps(eq));
      if (mask != 0) {
        // The first a lane that matches: the lanes before it match no b at all (a b after this
        // window is above pb[3] >= that lane's value).
        pa += __builtin_ctz(static_cast<unsigned>(mask));
        while (*pb != *pa) ++pb;
        *i = static_cast<size_t>(pa - a);
        *j = static_cast<size_t>(pb - b);
        return true;
      }
      // No common value here, so pa[3] != pb[3]: the side with the smaller fourth value is spent.
      const bool a_spent = pa[3] < pb[3];
      pa += a_spent ? 4 : 0;
      pb += a_spent ? 0 : 4;
    } while (pa <= a_last4 && pb <= b_last4);
  }
#endif
  while (pa < a_end && pb < b_end) {
    const uint32_t u = *pa, v = *pb;
    if (u == v) {
      *i = static_cast<size_t>(pa - a);
      *j = static_cast<size_t>(pb - b);
      return true;
    }
    pa += u < v ? 1 : 0;
    pb += v < u ? 1 : 0;
  }
  *i = static_cast<size_t>(pa - a);
  *j = static_cast<size_t>(pb - b);
  return false;
}

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_BLOCK_INTERSECT_H_
