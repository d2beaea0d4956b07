#include "platform/crypto/gcm_context.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "platform/crypto/kept_keyed_context.h"

namespace oms::crypto {
namespace {

// One keyed context per direction and thread.
using KeptContext = KeptKeyedContext<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
thread_local KeptContext kept[2];

KeptContext& Kept(GcmDirection direction) { return kept[direction == GcmDirection::kSeal ? 0 : 1]; }

// Bumped in a forked child: every block of random bytes drawn before the fork is stale.
std::atomic<unsigned long> fork_generation{1};

void WatchForks() {
  static std::once_flag once;
  std::call_once(once, [] {
    pthread_atfork(nullptr, nullptr,
                   [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
  });
}

struct RandomBlock {
  unsigned char bytes[768];  // 64 nonces of 12 bytes
  int used = sizeof(bytes);
  unsigned long generation = 0;
};

thread_local RandomBlock block;

}  // namespace

EVP_CIPHER_CTX* ThreadGcmContext(GcmDirection direction, absl::string_view key) {
  KeptContext& kept_context = Kept(direction);
  if (EVP_CIPHER_CTX* fits = kept_context.For(key)) return fits;
  kept_context.Drop();
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return nullptr;
  const auto* raw_key = reinterpret_cast<const unsigned char*>(key.data());
  int ok = direction == GcmDirection::kSeal
               ? EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, raw_key, nullptr)
               : EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, raw_key, nullptr);
  if (ok != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return nullptr;
  }
  kept_context.Keep(ctx, key);
  return ctx;
}

void DiscardThreadGcmContext(GcmDirection direction) { Kept(direction).Drop(); }

void FillNonce(unsigned char* out, int size) {
  WatchForks();
  unsigned long generation = fork_generation.load(std::memory_order_relaxed);
  if (size > static_cast<int>(sizeof(block.bytes))) std::abort();
  if (block.generation != generation || block.used + size > static_cast<int>(sizeof(block.bytes))) {
    if (RAND_bytes(block.bytes, sizeof(block.bytes)) != 1) std::abort();
    block.used = 0;
    block.generation = generation;
  }
  std::memcpy(out, block.bytes + block.used, size);
  block.used += size;
}

}  // namespace oms::crypto
