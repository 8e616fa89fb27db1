// One place for the compiler-warning bracket around SIMD intrinsics code.
//
// GCC 12's AVX-512 intrinsics use self-initialised "undefined" vectors
// (_mm512_undefined_*) that trip -Wuninitialized / -Wmaybe-uninitialized after inlining,
// a known false positive. Kernel headers put their intrinsics code between
// DAREKIT_SIMD_WARNINGS_BEGIN and DAREKIT_SIMD_WARNINGS_END.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#define DAREKIT_SIMD_WARNINGS_BEGIN                                  \
  _Pragma("GCC diagnostic push")                                     \
  _Pragma("GCC diagnostic ignored \"-Wuninitialized\"")              \
  _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define DAREKIT_SIMD_WARNINGS_END _Pragma("GCC diagnostic pop")
#elif defined(__clang__)
#define DAREKIT_SIMD_WARNINGS_BEGIN \
  _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wuninitialized\"")
#define DAREKIT_SIMD_WARNINGS_END _Pragma("clang diagnostic pop")
#else
#define DAREKIT_SIMD_WARNINGS_BEGIN
#define DAREKIT_SIMD_WARNINGS_END
#endif
