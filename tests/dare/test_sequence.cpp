// DARE sequences: round trips over every type, integrity mode, encryption policy and
// algorithm; the spec §10.5 compat values and the linked chain values; the reference files.
#include <catch2/catch.hpp>

#include "darekit/codec/base64.hpp"
#include "sequence_util.hpp"
#include "test_util.hpp"

using namespace darekit;
using test::must;
using test::mem_seq;

namespace {
std::string b64(byte_view b) { return base64::encode_url(b); }
bytes ramp300() {
  bytes b(300);
  for (int i = 0; i < 300; ++i) b[std::size_t(i)] = std::uint8_t(i);
  return b;
}
}  // namespace

TEST_CASE("sequence round trip: types x modes x encryption", "[sequence]") {
  auto bob = test::gen_key(udf::key_alg::x25519);
  auto carol = test::gen_key(udf::key_alg::ed25519);
  using T = dare::sequence_type;
  for (auto type : {T::list, T::digest, T::chain, T::tree, T::merkle})
    for (auto mode : {dare::integrity::linked, dare::integrity::compat})
      for (int crypt = 0; crypt < 5; ++crypt) {
        dare::sequence_options o;
        o.type = type;
        o.mode = mode;
        const dare::key_policy pols[] = {dare::key_policy::none, dare::key_policy::isolated, dare::key_policy::once,
                                         dare::key_policy::session, dare::key_policy::session};
        if (crypt > 0) {
          o.encrypt_to = {dare::public_of(bob), dare::public_of(carol)};
          o.policy = pols[crypt];
          if (crypt == 4) o.enc = aes256gcm_available() ? dare::enc_alg::a256gcm : dare::enc_alg::a256cbc;
        }
        INFO("type " << int(type) << " mode " << int(mode) << " crypt " << crypt);
        dare::open_options oo;
        oo.keys = {bob};
        oo.allow_unauthenticated = true;
        auto s = must(mem_seq::create(io::memory_storage{}, o, oo));
        std::vector<bytes> payloads;
        for (std::size_t i = 0; i < 20; ++i) payloads.push_back(test::ramp_bytes(i * 37 % 300 + (i == 7 ? 70000 : 0), unsigned(i)));
        for (std::size_t i = 0; i < 10; ++i) CHECK(must(s.append(payloads[i])) == i + 1);
        std::vector<byte_view> rest(payloads.begin() + 10, payloads.end());
        CHECK(must(s.append_batch(rest)) == 11);
        CHECK(s.size() == 21);
        // a second writer session after reopening (Session: a new key exchange)
        auto bytes_now = s.storage().data();
        auto r = must(mem_seq::open(io::memory_storage(bytes_now), oo));
        CHECK(r.size() == 21);
        CHECK_FALSE(r.torn());
        CHECK(must(r.append(as_bytes("after reopen"))) == 21);
        payloads.push_back(to_bytes("after reopen"));
        for (std::uint64_t k = 1; k < r.size(); ++k) {
          INFO("frame " << k);
          CHECK(must(r.get(k)) == payloads[k - 1]);
        }
        // with another key: only the recipients' keys decrypt
        if (crypt > 0) {
          dare::open_options other;
          other.keys = {carol};
          other.allow_unauthenticated = true;
          auto c = must(mem_seq::open(io::memory_storage(r.storage().data()), other));
          CHECK(must(c.get(5)) == payloads[4]);
          dare::open_options none;
          none.allow_unauthenticated = true;
          auto n = must(mem_seq::open(io::memory_storage(r.storage().data()), none));
          CHECK(n.get(5).code() == errc::no_key);
        }
        auto rep = must(dare::verify(r, {.decrypt = crypt > 0}));
        INFO(rep.problem);
        CHECK(rep.ok());
        CHECK(rep.frames == 22);
      }
}

TEST_CASE("spec 10.5: compat Chain and Merkle digests reproduce", "[sequence][vectors]") {
  const bytes ramp = ramp300();
  CHECK(b64(hash<sha512>(ramp)) == "8dyi62d7MDJlsLm6_w4GEgKBjzXBRwppu6qbtmAl6UjZDlZeaWQlBsYhOu88-ekpNXpZ2iY96zTRI229zaJ5sw");
  for (auto type : {dare::sequence_type::chain, dare::sequence_type::merkle}) {
    dare::sequence_options o;
    o.type = type;
    o.mode = dare::integrity::compat;
    auto s = must(mem_seq::create(io::memory_storage{}, o));
    for (int i = 0; i < 8; ++i) must(s.append(ramp));
    auto f0 = must(s.frame(0));
    CHECK(b64(*f0.t.payload_digest()) == "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg_SpIdNs6c5H0NE8XYXysP-DGNKHfuwvY7kxvUdBeoGlODJ6-SfaPg");
    if (type == dare::sequence_type::chain) {
      CHECK(b64(*f0.t.chain_digest()) == "FEHy24Y6cLModDXWH31kVc2a3TdhjXPooKHpLAb2JbsO1YQnJolmowXAYHhkOGY0kg3jrKNTjds0myf4Dw1sdg");
      for (int k = 1; k <= 3; ++k)
        CHECK(b64(*must(s.frame(std::uint64_t(k))).t.chain_digest()) ==
              "T7S1FcrgY3AaWD4L-t5W1K-3XYkPTcOdGEGyjglTD6yMYVRVz9tn_KQc6GdA-P4VSRigBygV65OEd2Vv3YDhww");
    } else {
      const std::string C1 = "T7S1FcrgY3AaWD4L-t5W1K-3XYkPTcOdGEGyjglTD6yMYVRVz9tn_KQc6GdA-P4VSRigBygV65OEd2Vv3YDhww";
      const std::string C2 = "vJ6ngNATvZcXSMALi5IUqzl1GBxBnTNVcC87VL_BhMRCbAvKSj8gs0VFgxxLkZ2myrtaDIwhHoswiTiBMLNWug";
      const std::string C3 = "7fHmkEIsPkN6sDYAOLvpIJn5Dg3PxDDAaq-ll2kh8722kokkFnZQcYtjuVC71aHNXI18q-lPnfRkmwryG-bhqQ";
      const std::string C4 = "WgHlz3EHczVPqgtpc39Arv7CFIsCbFVsk8wg0j2qLlEfur9SZ0mdr65Ka-HF0Qx8gg_DAoiJwUrwADDXyxVJOg";
      CHECK(b64(*f0.t.apex_digest()) == "wvk8X5vTHUlVff7cj3k6fHBqXw52PA_7KK5zRLkheMKnGVFgHY0VL46Fz78rIjCnSNGXmDoBBG5phZRCU1guDA");
      const std::string want[] = {C2, C1, C3, C1, C2, C1, C4, C1};  // frames 1..8
      for (int k = 1; k <= 8; ++k) CHECK(b64(*must(s.frame(std::uint64_t(k))).t.apex_digest()) == want[k - 1]);
      // TreePositions point at frame PreviousFrame(k)
      CHECK(*must(s.frame(2)).pos.tree_position == must(s.frame(1)).offset());
      CHECK(*must(s.frame(4)).pos.tree_position == must(s.frame(3)).offset());
      CHECK(*must(s.frame(6)).pos.tree_position == must(s.frame(5)).offset());
      CHECK(*must(s.frame(7)).pos.tree_position == must(s.frame(3)).offset());
    }
    CHECK(must(dare::verify(s)).ok());
  }
}

TEST_CASE("spec 10.5: the linked chain values", "[sequence][vectors]") {
  dare::sequence_options o;
  o.type = dare::sequence_type::chain;
  auto s = must(mem_seq::create(io::memory_storage{}, o));
  for (int i = 0; i < 4; ++i) must(s.append(ramp300()));
  const std::string want[] = {
      "FEHy24Y6cLModDXWH31kVc2a3TdhjXPooKHpLAb2JbsO1YQnJolmowXAYHhkOGY0kg3jrKNTjds0myf4Dw1sdg",
      "7JaijhBvQUOjBiO1_Zt6NtJil8iB0rW9HeM_4iYooc_AaAfutlF0LLVY6PO7INB-eztypyEqVzgMil9JkjtRGQ",
      "wJZFYd61nntCJ0Bv80l6-Cn-sR2u3iD0zCRjOLxje8dsKIuUnP4X1mgeNenNDBdXysrFs3vVAqkC-hfSAPF0Aw",
      "RORNZxIcM23cZtXPh9vuHhkgiGa_O4a0ZiU0ku2OK4dB974clvh5F0VZsX7IwVBayAG2nDTdqhyZ-qOnTRiumA",
      "0ImgmX2lFRSLTiac-1C-j8MtXbp4tMQn__O9l9NVaRqu3LOMxalPe95eZzMsFxRkDvOlmcuy1WiwnDxscYec-g"};
  for (int k = 0; k < 5; ++k) CHECK(b64(*must(s.frame(std::uint64_t(k))).t.chain_digest()) == want[k]);
  CHECK(must(dare::verify(s)).ok());
}

TEST_CASE("reference files list, verify in compat mode and yield their payloads", "[sequence][fixtures]") {
  struct expect { const char* name; std::uint64_t frames; std::vector<std::string> payloads; };
  const expect files[] = {
      {"Web_Sequence.dcon", 5, {"", "This is a test", "This is a test 2", "This is a test 3", ""}},
      {"Web_SequenceEncrypt.dcon", 1, {}},
      {"Testing_Scratchpad_Test_TestBasic.dcon", 4, {}},
      {"Testing_WorkingDirectory_TestContainerSerial.dcon", 1, {""}},
  };
  for (const auto& e : files) {
    INFO(e.name);
    auto s = must(mem_seq::open(io::memory_storage(test::fixture(e.name))));
    CHECK(s.size() == e.frames);
    CHECK(s.info().mode == dare::integrity::compat);
    CHECK_FALSE(s.torn());
    auto rep = must(dare::verify(s));
    INFO(rep.problem);
    CHECK(rep.ok());
    CHECK(rep.frames == e.frames);
    for (std::size_t k = 0; k < e.payloads.size(); ++k) CHECK(as_chars(must(s.get(k))) == e.payloads[k]);
    // walking backwards reaches frame 0 through every frame
    std::uint64_t seen = 1;
    auto f = s.last();
    while (auto p = must(s.prev(f))) { f = *p; ++seen; }
    CHECK(seen == e.frames);
  }
  // the old layout: catalog payloads after header-only frame 0; its frame 0 carries the chain in its header
  auto s = must(mem_seq::open(io::memory_storage(test::fixture("Testing_Scratchpad_Test_TestBasic.dcon"))));
  CHECK(s.info().type == dare::sequence_type::chain);
  CHECK(must(s.get(1)).size() == 105);
  CHECK(must(s.get(3)).empty());
  // the encrypted file is X448 (no published key): listed, not decryptable
  auto enc = must(mem_seq::open(io::memory_storage(test::fixture("Web_SequenceEncrypt.dcon"))));
  CHECK(enc.info().type == dare::sequence_type::merkle);
  CHECK_FALSE(enc.get(0).has_value());
}
