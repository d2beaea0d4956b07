// The per-thread GCM contexts and the nonce blocks: what is kept must give the same bytes a
// fresh context would, another key must not reuse the kept schedule, and nonces must not
// repeat, neither across blocks nor across a fork.
#include "platform/crypto/gcm_context.h"

#include <openssl/evp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace oms::crypto {
namespace {

const std::string kKeyA(32, 'a');
const std::string kKeyB(32, 'b');

std::string Nonce() {
  std::string nonce(12, '\0');
  FillNonce(reinterpret_cast<unsigned char*>(nonce.data()), 12);
  return nonce;
}

// Ciphertext and tag of `plaintext` under `ctx`, started with `nonce`.
std::string Seal(EVP_CIPHER_CTX* ctx, const std::string& nonce, const std::string& plaintext) {
  std::string out(plaintext.size() + 16, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr,
                               reinterpret_cast<const unsigned char*>(nonce.data())),
            1);
  EXPECT_EQ(
      EVP_EncryptUpdate(ctx, o, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())),
      1);
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx, nullptr, &len), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, o + plaintext.size()), 1);
  return out;
}

// The same with a context made for this message alone: the reference.
std::string SealFresh(const std::string& key, const std::string& nonce,
                      const std::string& plaintext) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(key.data()), nullptr);
  std::string out = Seal(ctx, nonce, plaintext);
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

TEST(GcmContextTest, AKeptContextSealsExactlyAsAFreshOne) {
  EVP_CIPHER_CTX* first = ThreadGcmContext(GcmDirection::kSeal, kKeyA);
  ASSERT_NE(first, nullptr);
  for (const std::string plaintext : {"+49 30 1234567", "Jane Doe", "x"}) {
    std::string nonce = Nonce();
    EVP_CIPHER_CTX* kept = ThreadGcmContext(GcmDirection::kSeal, kKeyA);
    EXPECT_EQ(kept, first);  // the same context, key schedule kept
    EXPECT_EQ(Seal(kept, nonce, plaintext), SealFresh(kKeyA, nonce, plaintext));
  }
}

TEST(GcmContextTest, AnotherKeyGetsAContextOfItsOwn) {
  std::string nonce = Nonce();
  EVP_CIPHER_CTX* a = ThreadGcmContext(GcmDirection::kSeal, kKeyA);
  std::string under_a = Seal(a, nonce, "secret");
  EVP_CIPHER_CTX* b = ThreadGcmContext(GcmDirection::kSeal, kKeyB);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(Seal(b, nonce, "secret"), SealFresh(kKeyB, nonce, "secret"));
  EXPECT_NE(SealFresh(kKeyB, nonce, "secret"), under_a);
  // Back to the first key: sealed under it again, not under the second.
  EXPECT_EQ(Seal(ThreadGcmContext(GcmDirection::kSeal, kKeyA), nonce, "secret"), under_a);
}

TEST(GcmContextTest, DirectionsKeepSeparateContextsAndADiscardedOneIsRemade) {
  EVP_CIPHER_CTX* seal = ThreadGcmContext(GcmDirection::kSeal, kKeyA);
  EVP_CIPHER_CTX* open = ThreadGcmContext(GcmDirection::kOpen, kKeyA);
  EXPECT_NE(seal, open);
  DiscardThreadGcmContext(GcmDirection::kSeal);
  EVP_CIPHER_CTX* again = ThreadGcmContext(GcmDirection::kSeal, kKeyA);
  ASSERT_NE(again, nullptr);
  std::string nonce = Nonce();
  EXPECT_EQ(Seal(again, nonce, "after"), SealFresh(kKeyA, nonce, "after"));
  EXPECT_EQ(ThreadGcmContext(GcmDirection::kOpen, kKeyA), open);
}

TEST(GcmContextTest, NoncesDoNotRepeatAcrossBlocks) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {  // ~16 blocks of 64
    EXPECT_TRUE(seen.insert(Nonce()).second) << "nonce " << i << " repeated";
  }
}

TEST(GcmContextTest, AForkedChildDoesNotHandOutItsParentsNextNonce) {
  Nonce();  // a block is drawn and partly used before the fork
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string nonce = Nonce();
    ssize_t written = write(pipe_fds[1], nonce.data(), nonce.size());
    _exit(written == 12 ? 0 : 1);
  }
  std::string parents = Nonce();
  std::string childs(12, '\0');
  ASSERT_EQ(read(pipe_fds[0], childs.data(), 12), 12);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  EXPECT_NE(childs, parents);
}

}  // namespace
}  // namespace oms::crypto
