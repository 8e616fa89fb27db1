// C2SP signed notes, checkpoints and proof files: the signed-note spec's own example, Go's
// sumdb/note test vectors (keys, texts, signatures, malformed notes), and a tlog-proof over
// an RFC 6962 tree checked end to end.
#include <catch2/catch.hpp>

#include "darekit/codec/hex.hpp"
#include "darekit/merkle/checkpoint.hpp"
#include "darekit/merkle/note.hpp"
#include "darekit/merkle/proof.hpp"

using namespace darekit;
namespace note = merkle::note;

namespace {
const std::string em = "\xe2\x80\x94 ";
note::verifier vkey(std::string_view s) {
  auto v = note::verifier::from_vkey(s);
  INFO(v.err().what());
  REQUIRE(v.has_value());
  return *v;
}
// Go note_test.go (golang.org/x/mod/sumdb/note)
const std::string go_text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const std::string peter_sig = em + "PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string enoch_sig = em + "EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
const char* peter_vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const char* enoch_vkey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
}  // namespace

TEST_CASE("signed-note spec example: the vkey and its signature verify", "[merkle][note]") {
  const auto v = vkey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  CHECK(v.id() == 0x530d903a);
  CHECK(v.vkey() == "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  const std::string msg = "This is an example message.\n\n" + em +
                          "example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
  auto p = note::parse(msg);
  REQUIRE(p.has_value());
  CHECK(p->text == "This is an example message.\n");
  CHECK(note::verify(*p, std::span(&v, 1)).value() == 1);
  // one flipped text byte: the known key's signature fails, the note is rejected
  std::string bad = msg;
  bad[0] = 't';
  CHECK(note::verify(note::parse(bad).value(), std::span(&v, 1)).code() == errc::verification_failed);
  // the Quasimodo note: split at the last blank line; its key is unknown
  const std::string q = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \xc3\xa8 subito sera.\n\n" + em +
                        "quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
  auto qp = note::parse(q);
  REQUIRE(qp.has_value());
  CHECK(qp->text.size() == 88);
  REQUIRE(qp->sigs.size() == 1);
  CHECK(qp->sigs[0].id == 0x367ba04b);
  CHECK(note::verify(*qp, std::span(&v, 1)).code() == errc::verification_failed);  // no known key
}

TEST_CASE("Go sumdb/note vectors: deterministic signatures, verification rules", "[merkle][note]") {
  const auto peter = vkey(peter_vkey), enoch = vkey(enoch_vkey);
  // PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz: seed after the 0x01 byte
  const bytes peter_seed = hex::decode("810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173").value();
  CHECK(note::sign(go_text, "PeterNeumann", peter_seed).value() == go_text + "\n" + peter_sig);
  // EnochRoot: the all-zero seed (Go's example uses a zero reader)
  CHECK(note::sign(go_text, "EnochRoot", bytes(32, 0)).value() == go_text + "\n" + enoch_sig);
  const note::verifier both[] = {peter, enoch};
  auto p = note::parse(go_text + "\n" + peter_sig + enoch_sig).value();
  CHECK(note::verify(p, std::span(&peter, 1)).value() == 1);  // Enoch's unknown: ignored
  CHECK(note::verify(p, both).value() == 2);
  CHECK(note::verify(p, {}).code() == errc::verification_failed);
  // a corrupted signature of a known key rejects the note
  std::string sig2 = peter_sig;
  sig2.insert(60, "ABCD");
  CHECK(note::verify(note::parse(go_text + "\n" + sig2).value(), std::span(&peter, 1)).code() == errc::verification_failed);
  // a name or key ID that does not match is an unknown key
  auto other = peter;
  other.name = "PeterNeuman";
  CHECK(note::verify(note::parse(go_text + "\n" + peter_sig).value(), std::span(&other, 1)).code() == errc::verification_failed);
  // malformed notes (Go TestOpen)
  const std::string bad[] = {
      go_text,
      go_text + "\n",
      go_text + "\n" + peter_sig.substr(0, peter_sig.size() - 1),
      "\x01" + go_text + "\n" + peter_sig,
      "\xff" + go_text + "\n" + peter_sig,
      go_text + "\n" + em + "Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
      go_text + "\n" + peter_sig + "Unexpected line.\n",
  };
  for (const auto& b : bad) CHECK_FALSE(note::parse(b).has_value());
  std::string many = go_text + "\n";
  for (int i = 0; i < 101; ++i) many += peter_sig;
  CHECK(note::parse(many).code() == errc::too_large);
  // verifier keys: a wrong hash, a bad name, a non-Ed25519 type
  CHECK_FALSE(note::verifier::from_vkey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").has_value());
  CHECK_FALSE(note::verifier::from_vkey("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").has_value());
  CHECK_FALSE(note::verifier::from_vkey("PeterNeumann+c74f20a3+AhpcMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").has_value());
  CHECK_FALSE(note::valid_name("a\xc2\xa0" "b"));
  CHECK_FALSE(note::valid_name("a\xe2\x80\x83" "b"));
  CHECK(note::valid_name("example.com/log42"));
}

TEST_CASE("checkpoint text, tlog-proof@v1 and the consistency body", "[merkle][checkpoint]") {
  // V1 of the C2SP digest: the tlog-checkpoint spec body signed with the all-zero seed
  const std::string v1 = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" + em +
                         "example.com/behind-the-sofa nFHOPUO63Y13dtnQuHZB0ONl5ojQtyglZGuN5ue+kCPefAokf76QnnOHoKOXc1iSPksY1qdR7Ud+xxPLfe+A+ar/4QE=\n";
  const auto sofa = vkey("example.com/behind-the-sofa+9c51ce3d+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop");
  auto n = note::parse(v1).value();
  CHECK(note::verify(n, std::span(&sofa, 1)).value() == 1);
  auto c = merkle::checkpoint::parse(n.text).value();
  CHECK(c.origin == "example.com/behind-the-sofa");
  CHECK(c.size == 20852163);
  CHECK(hex::encode(c.root) == "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
  CHECK(c.text() == n.text);
  CHECK(note::sign(n.text, c.origin, bytes(32, 0)).value() == v1);
  for (const char* t : {"o\n05\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "o\n5\nCsUY\n", "\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
                        "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", "o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"})
    CHECK_FALSE(merkle::checkpoint::parse(t).has_value());

  // V2: a tree of 7 leaves "entry 0".."entry 6" (SHA-256, RFC 6962), a proof of index 3
  std::vector<digest256> leaves;
  for (int i = 0; i < 7; ++i) leaves.push_back(merkle::leaf_hash<sha256>(as_bytes("entry " + std::to_string(i))));
  const auto root = merkle::root_from_leaf_hashes<sha256>(leaves);
  CHECK(base64::encode(root) == "mMl/C6MXXNCLAx3QhLncTmSbZNGijm6mlGRlAxc6tYc=");
  const std::string v2 = std::string("c2sp.org/tlog-proof@v1\nextra aGVsbG8gZXh0cmE=\nindex 3\n") +
                         "V8efTzGuApxdS9MLBzwnyU35NDiytGl+Hh7vW8A5SkE=\nWkdmL9ijF9lgSaP59HxV3GfKZgUbqjaD27GbL+CaB7A=\n" +
                         "lK+4osoFHAVFjqOdzRmxvWjn4zUp8QtDnSphWlH2NuI=\n\nexample.com/fancylog\n7\nmMl/C6MXXNCLAx3QhLncTmSbZNGijm6mlGRlAxc6tYc=\n\n" +
                         em + "example.com/fancylog e8EXPsX7jGps+C2BsF6Sg+xuFikadBVx3X6/TToJnMKa3IObl0W1QMW1n45ETgxths4raCxc1yMKvwIVJRMPC2/X5A8=\n";
  auto tp = merkle::tlog_proof::parse(v2).value();
  CHECK(as_chars(*tp.extra) == "hello extra");
  CHECK(tp.index == 3);
  CHECK(tp.text() == v2);
  const auto fancy = vkey("example.com/fancylog+7bc1173e+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop");
  auto cn = note::parse(tp.signed_checkpoint).value();
  CHECK(note::verify(cn, std::span(&fancy, 1)).value() == 1);
  auto cp = merkle::checkpoint::parse(cn.text).value();
  std::vector<digest256> path;
  for (auto& h : tp.path) { digest256 d; std::memcpy(d.data(), h.data(), 32); path.push_back(d); }
  digest256 croot;
  std::memcpy(croot.data(), cp.root.data(), 32);
  CHECK(merkle::verify_inclusion<sha256>(leaves[3], tp.index, cp.size, path, croot).has_value());
  CHECK_FALSE(merkle::verify_inclusion<sha256>(leaves[4], tp.index, cp.size, path, croot).has_value());
  // V3: consistency 3 -> 7 as a tlog-witness body
  const std::string v3 = std::string("old 3\nV8efTzGuApxdS9MLBzwnyU35NDiytGl+Hh7vW8A5SkE=\nYcoROfaBWEHVuvLQ0tm9nf7pfImN1ve6DAqpQe5sAes=\n") +
                         "WkdmL9ijF9lgSaP59HxV3GfKZgUbqjaD27GbL+CaB7A=\nlK+4osoFHAVFjqOdzRmxvWjn4zUp8QtDnSphWlH2NuI=\n\n" + tp.signed_checkpoint;
  auto tc = merkle::tlog_consistency::parse(v3).value();
  CHECK(tc.old_size == 3);
  CHECK(tc.text() == v3);
  std::vector<digest256> cpath;
  for (auto& h : tc.path) { digest256 d; std::memcpy(d.data(), h.data(), 32); cpath.push_back(d); }
  const auto root3 = merkle::root_from_leaf_hashes<sha256>(std::span(leaves).first(3));
  CHECK(base64::encode(root3) == "lPvQ3YNvUDAWkubQ6t5yjuGexSv/8WBu2AfIV11aqhk=");
  CHECK(merkle::verify_consistency<sha256>(3, 7, root3, croot, cpath).has_value());
  CHECK_FALSE(merkle::tlog_proof::parse("c2sp.org/tlog-proof@v2\nindex 0\n\n").has_value());
  CHECK_FALSE(merkle::tlog_proof::parse("c2sp.org/tlog-proof@v1\nindex 01\n\n").has_value());
  CHECK_FALSE(merkle::tlog_proof::parse("c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n").has_value());
}
