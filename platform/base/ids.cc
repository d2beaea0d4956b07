#include "platform/base/ids.h"

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace oms {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// Shared by all generators in the process so that ids made in the same millisecond keep
// increasing: the random part is bumped by one instead of drawn again.
struct MonotonicState {
  absl::Mutex mu;
  uint64_t last_ms ABSL_GUARDED_BY(mu) = 0;
  uint64_t rand_hi ABSL_GUARDED_BY(mu) = 0;  // top 16 of the 80 random bits
  uint64_t rand_lo ABSL_GUARDED_BY(mu) = 0;  // low 64
  absl::BitGen bitgen ABSL_GUARDED_BY(mu);
};

MonotonicState& State() {
  static MonotonicState* state = new MonotonicState();
  return *state;
}

}  // namespace

IdGenerator::IdGenerator(const Clock* clock) : clock_(clock) {}

std::string IdGenerator::Next(absl::string_view prefix) {
  uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(clock_->Now())) & ((1ULL << 48) - 1);
  uint64_t hi, lo;
  {
    MonotonicState& s = State();
    absl::MutexLock lock(&s.mu);
    if (ms <= s.last_ms) {
      ms = s.last_ms;  // never go backwards, even if the clock does
      if (++s.rand_lo == 0) s.rand_hi = (s.rand_hi + 1) & 0xFFFF;
    } else {
      s.last_ms = ms;
      s.rand_hi = absl::Uniform<uint64_t>(s.bitgen) & 0xFFFF;
      // Leave headroom so increments within one millisecond do not wrap.
      s.rand_lo = absl::Uniform<uint64_t>(s.bitgen) >> 1;
    }
    hi = s.rand_hi;
    lo = s.rand_lo;
  }
  // 128 bits: 48 time | 16 rand_hi | 64 rand_lo, written as 26 base32 digits (130 bits).
  unsigned __int128 value =
      (static_cast<unsigned __int128>(ms) << 80) | (static_cast<unsigned __int128>(hi) << 64) | lo;
  char out[26];
  for (int i = 25; i >= 0; --i) {
    out[i] = kAlphabet[static_cast<int>(value & 31)];
    value >>= 5;
  }
  return absl::StrCat(prefix, "_", absl::string_view(out, 26));
}

bool HasIdShape(absl::string_view id, absl::string_view prefix) {
  if (id.size() != prefix.size() + 27 || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '_') {
    return false;
  }
  for (char c : id.substr(prefix.size() + 1)) {
    bool known = false;
    for (const char* a = kAlphabet; *a != '\0'; ++a) known = known || (*a == c);
    if (!known) return false;
  }
  return true;
}

}  // namespace oms
