#include "platform/crypto/hmac_context.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace oms::crypto {
namespace {

std::string OneShot(const std::string& key, const std::string& value) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(value.data()), value.size(), digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

TEST(ThreadHmacSha256Test, MatchesOpenSslsOneShotHmacCallAfterCall) {
  const std::string key(32, '\x07');
  for (const std::string value : {"+49 30 1234567", "", "ada@example.com", "+49 30 1234567"}) {
    EXPECT_EQ(ThreadHmacSha256(key, value), OneShot(key, value)) << value;
  }
  EXPECT_EQ(ThreadHmacSha256(key, "x").size(), 32u);
}

TEST(ThreadHmacSha256Test, AnotherKeyIsNotAnsweredWithTheKeptOne) {
  const std::string first(32, '\x01'), second(32, '\x02');
  EXPECT_EQ(ThreadHmacSha256(first, "v"), OneShot(first, "v"));
  EXPECT_EQ(ThreadHmacSha256(second, "v"), OneShot(second, "v"));
  EXPECT_EQ(ThreadHmacSha256(first, "v"), OneShot(first, "v"));
  EXPECT_NE(ThreadHmacSha256(first, "v"), ThreadHmacSha256(second, "v"));
}

TEST(ThreadHmacSha256Test, EachThreadKeysItsOwnContext) {
  const std::string key(32, '\x09');
  std::string from_thread;
  std::thread other([&] { from_thread = ThreadHmacSha256(key, "value"); });
  const std::string here = ThreadHmacSha256(key, "value");
  other.join();
  EXPECT_EQ(from_thread, here);
  EXPECT_EQ(here, OneShot(key, "value"));
}

}  // namespace
}  // namespace oms::crypto
