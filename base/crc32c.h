// CRC-32C (Castagnoli), the checksum in every index file footer.
// Hardware (SSE4.2 crc32 instruction) when the CPU has it, chosen at run time; a portable
// slicing-by-8 table path otherwise. Both give identical results (tested).
#ifndef SCOUR_BASE_CRC32C_H_
#define SCOUR_BASE_CRC32C_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace scour::crc32c {

// Returns the CRC-32C of data[0,n) continuing from `crc` (the CRC of what came before; 0 to
// start). Extend(Extend(0, a), b) == Value(a + b).
uint32_t Extend(uint32_t crc, const void* data, size_t n);
inline uint32_t Value(std::string_view s) { return Extend(0, s.data(), s.size()); }

// The portable path, exposed so tests can compare it with the dispatched one.
uint32_t ExtendPortable(uint32_t crc, const void* data, size_t n);
bool HardwareAvailable();

}  // namespace scour::crc32c

#endif  // SCOUR_BASE_CRC32C_H_
