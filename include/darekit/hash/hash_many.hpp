// Synchronous multi-buffer hashing: hash N messages at once in SIMD lanes.
//
//   std::array<digest512, 8> out;
//   darekit::hash_many<darekit::sha512>(messages, out);   // equal lengths
//   darekit::hash_batch<darekit::sha512>(frames, digests);  // any lengths
//
// There is no queue: each call hashes exactly the messages it is given and returns.
// hash_batch is a lane scheduler: every lane takes the next message as soon as its
// current one finishes, so messages of different lengths keep all lanes busy; when a
// single message is left it is finished with the single-buffer code.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/hasher.hpp"
#include "darekit/hash/detail/algorithms.hpp"
#include "darekit/hash/dispatch.hpp"

namespace darekit {

/// Hash types with multi-buffer kernels: sha256, sha512, sha3_512.
template <class H>
concept multi_buffer_hash = hash_function<H> && requires { typename detail::mb_traits_for<H>::type; };

namespace detail {

/// One message for the scheduler: `prefix` (shorter than a block) followed by `body`.
struct mb_message {
  const std::uint8_t* prefix = nullptr;
  std::size_t plen = 0;
  const std::uint8_t* body = nullptr;
  std::size_t blen = 0;
};

/// Copy bytes [off, off+n) of prefix||body into dst.
inline void mb_copy(const mb_message& m, std::size_t off, std::size_t n, std::uint8_t* dst) noexcept {
  while (n) {
    if (off < m.plen) {
      const std::size_t k = std::min(n, m.plen - off);
      std::memcpy(dst, m.prefix + off, k);
      dst += k; off += k; n -= k;
    } else {
      std::memcpy(dst, m.body + (off - m.plen), n);
      return;
    }
  }
}

template <class A>
struct mb_lane {
  struct seg { const std::uint8_t* ptr; std::size_t blocks; };
  seg segs[3];
  int nseg = 0, cur = 0;
  std::size_t msg = 0;
  bool busy = false;
  alignas(64) std::uint8_t head[A::block];
  alignas(64) std::uint8_t tail[2 * A::block];

  /// Lay out the message as up to three block runs: assembled head block (when there is a
  /// prefix), the body in place, and the padded tail.
  void setup(const mb_message& m) noexcept {
    const std::uint64_t total = std::uint64_t(m.plen) + m.blen;
    std::size_t nfull = std::size_t(total / A::block);
    const std::size_t fill = std::size_t(total % A::block);
    nseg = 0; cur = 0;
    if (nfull) {
      if (m.plen) {
        mb_copy(m, 0, A::block, head);
        segs[nseg++] = {head, 1};
        if (nfull > 1) segs[nseg++] = {m.body + (A::block - m.plen), nfull - 1};
      } else {
        segs[nseg++] = {m.body, nfull};
      }
    }
    std::uint8_t rem[A::block];
    mb_copy(m, std::size_t(total) - fill, fill, rem);
    const std::size_t nt = A::pad(rem, fill, total, tail);
    segs[nseg++] = {tail, nt};
  }
};

/// Hash `count` messages with kernel `k` (lanes L): digests to out + i * A::digest.
template <class A>
void mb_run(lane_kernel<typename A::word> k, const mb_message* msgs, std::size_t count, std::uint8_t* out) noexcept {
  using word = typename A::word;
  constexpr std::size_t LMAX = A::max_lanes;
  const std::size_t L = k.lanes;
  alignas(64) word st[A::state_words * LMAX];
  mb_lane<A> lanes[LMAX];
  const std::uint8_t* ptrs[LMAX];
  std::size_t next = 0;
  auto start = [&](std::size_t j) {
    auto& ln = lanes[j];
    ln.busy = next < count;
    if (!ln.busy) return;
    ln.msg = next++;
    A::init(st, L, j);
    ln.setup(msgs[ln.msg]);
  };
  for (std::size_t j = 0; j < L; ++j) start(j);
  for (;;) {
    std::size_t active = 0, first = 0, m = SIZE_MAX;
    for (std::size_t j = 0; j < L; ++j) {
      if (!lanes[j].busy) continue;
      if (!active) first = j;
      ++active;
      m = std::min(m, lanes[j].segs[lanes[j].cur].blocks);
    }
    if (!active) break;
    if (active == 1 && next == count && L > 1) {
      // One message left: finish it with the single-buffer code.
      auto& ln = lanes[first];
      word s1[A::state_words];
      for (std::size_t w = 0; w < A::state_words; ++w) s1[w] = st[w * L + first];
      for (int sgi = ln.cur; sgi < ln.nseg; ++sgi) {
        const std::uint8_t* p1[1] = {ln.segs[sgi].ptr};
        if (ln.segs[sgi].blocks) A::scalar(s1, p1, ln.segs[sgi].blocks);
      }
      A::output(s1, 1, 0, out + ln.msg * A::digest);
      ln.busy = false;
      wipe(s1, sizeof s1);
      break;
    }
    for (std::size_t j = 0; j < L; ++j) {
      auto& ln = lanes[j];
      // Idle lanes shadow an active lane (valid memory; their state is discarded).
      ptrs[j] = ln.busy ? ln.segs[ln.cur].ptr : lanes[first].segs[lanes[first].cur].ptr;
    }
    k.fn(st, ptrs, m);
    for (std::size_t j = 0; j < L; ++j) {
      auto& ln = lanes[j];
      if (!ln.busy) continue;
      auto& sg = ln.segs[ln.cur];
      sg.ptr += m * A::block;
      sg.blocks -= m;
      while (ln.cur < ln.nseg && ln.segs[ln.cur].blocks == 0) ++ln.cur;
      if (ln.cur == ln.nseg) {
        A::output(st, L, j, out + ln.msg * A::digest);
        start(j);
      }
    }
  }
  wipe(st, sizeof st);
  for (auto& ln : lanes) { wipe(ln.head, sizeof ln.head); wipe(ln.tail, sizeof ln.tail); }
}

/// Dispatch: pick the kernel from active_kernel(), record it, run.
template <class A>
void mb_hash(const mb_message* msgs, std::size_t count, std::uint8_t* out) noexcept {
  const auto k = A::pick(active_kernel());
  mb_note(A::id, k.family);
  mb_run<A>(k, msgs, count, out);
}

/// Hash messages in groups of up to 64 (no allocation): each message i is prefix||views[i].
template <class A, class DigestT>
void mb_hash_views(std::span<const byte_view> views, const std::uint8_t* prefix, std::size_t plen,
                   DigestT* out) noexcept {
  constexpr std::size_t G = 64;
  mb_message group[G];
  for (std::size_t i = 0; i < views.size(); i += G) {
    const std::size_t n = std::min(G, views.size() - i);
    for (std::size_t j = 0; j < n; ++j) group[j] = {prefix, plen, views[i + j].data(), views[i + j].size()};
    static_assert(sizeof(DigestT) == A::digest);
    mb_hash<A>(group, n, reinterpret_cast<std::uint8_t*>(out + i));
  }
}

}  // namespace detail

/// Hash N messages of equal length at once, in SIMD lanes (N is arbitrary: full groups
/// of lanes, then the remainder). `out` must have N entries.
/// Errors: invalid_argument if the sizes differ or the messages are not all the same length.
template <multi_buffer_hash H>
[[nodiscard]] result<void> hash_many(std::span<const byte_view> msgs, std::span<typename H::digest_type> out) {
  if (out.size() != msgs.size()) return fail(errc::invalid_argument, "hash_many: output count differs from message count");
  for (const auto& m : msgs)
    if (m.size() != msgs[0].size()) return fail(errc::invalid_argument, "hash_many: messages differ in length");
  detail::mb_hash_views<typename detail::mb_traits_for<H>::type>(msgs, nullptr, 0, out.data());
  return ok();
}

/// Hash N messages of any lengths at once: a lane scheduler refills each lane as soon as
/// its message finishes (e.g. the frames of a sequence). `out` must have N entries.
template <multi_buffer_hash H>
[[nodiscard]] result<void> hash_batch(std::span<const byte_view> msgs, std::span<typename H::digest_type> out) {
  if (out.size() != msgs.size()) return fail(errc::invalid_argument, "hash_batch: output count differs from message count");
  detail::mb_hash_views<typename detail::mb_traits_for<H>::type>(msgs, nullptr, 0, out.data());
  return ok();
}

/// Hash N messages that all start with the same short `prefix` (shorter than the block
/// size): digest i = H(prefix || msgs[i]), without copying the messages. Used for Merkle
/// leaves (prefix 0x00) and nodes (prefix 0x01).
template <multi_buffer_hash H>
[[nodiscard]] result<void> hash_batch_prefixed(byte_view prefix, std::span<const byte_view> msgs,
                                               std::span<typename H::digest_type> out) {
  using A = typename detail::mb_traits_for<H>::type;
  if (out.size() != msgs.size()) return fail(errc::invalid_argument, "hash_batch: output count differs from message count");
  if (prefix.size() >= A::block) return fail(errc::invalid_argument, "hash_batch: prefix longer than a block");
  detail::mb_hash_views<A>(msgs, prefix.data(), prefix.size(), out.data());
  return ok();
}

}  // namespace darekit
