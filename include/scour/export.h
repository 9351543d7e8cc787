// SCOUR_EXPORT marks the symbols of the public API; everything else in libscour is hidden
// (-fvisibility=hidden), so internals can change without breaking linked programs.
#ifndef SCOUR_EXPORT_H_
#define SCOUR_EXPORT_H_

#if defined(SCOUR_BUILDING_LIBRARY)
#define SCOUR_EXPORT __attribute__((visibility("default")))
#else
#define SCOUR_EXPORT
#endif

#endif  // SCOUR_EXPORT_H_
