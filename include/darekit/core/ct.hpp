// Constant-time validation hooks: the ctgrind technique (as BoringSSL's CONSTTIME_SECRET
// and CONSTTIME_DECLASSIFY). In normal builds both are no-ops that compile to nothing.
//
// With DAREKIT_CT_VALGRIND defined (the tests/ct harness, run under valgrind memcheck),
// ct::secret() marks bytes as undefined, so memcheck reports every conditional branch
// and every memory address computed from them ("conditional jump or move depends on
// uninitialised value", "use of uninitialised value"). ct::declassify() marks a value
// defined again where the library deliberately makes a decision public; every call site
// is such a final accept/reject (a tag or integrity-check comparison, a padding check, a
// small-order check, a Shamir fit or consistency check). `grep -rn ct::declassify
// include/` lists them; docs/SECURITY.md explains each.
#pragma once
#include <cstddef>

#if defined(DAREKIT_CT_VALGRIND)
#include <valgrind/memcheck.h>
#endif

namespace darekit::ct {

/// Mark `n` bytes at `p` as secret (undefined for memcheck). No-op in normal builds.
inline void secret([[maybe_unused]] const void* p, [[maybe_unused]] std::size_t n) noexcept {
#if defined(DAREKIT_CT_VALGRIND)
  (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n);
#endif
}

/// Mark `n` bytes at `p` as public again. No-op in normal builds.
inline void public_bytes([[maybe_unused]] const void* p, [[maybe_unused]] std::size_t n) noexcept {
#if defined(DAREKIT_CT_VALGRIND)
  (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
#endif
}

/// `v`, declared public: the library is about to branch on it (a final decision).
template <class T>
inline T declassify(T v) noexcept {
#if defined(DAREKIT_CT_VALGRIND)
  public_bytes(&v, sizeof v);
#endif
  return v;
}

}  // namespace darekit::ct
