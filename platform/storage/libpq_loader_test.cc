// libpq is mapped only once a PostgreSQL store is opened: a SQLite-only process never loads
// it, nor the Kerberos, LDAP and GnuTLS libraries it depends on.
#include "platform/storage/libpq_loader.h"

#include <postgresql/libpq-fe.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace oms::libpq {
namespace {

bool Mapped(const std::string& library) {
  std::ifstream maps("/proc/self/maps");
  std::stringstream text;
  text << maps.rdbuf();
  return absl::StrContains(text.str(), library);
}

TEST(LibpqLoaderTest, MapsLibpqOnlyWhenLoaded) {
  EXPECT_FALSE(Mapped("libpq.so"));
  EXPECT_FALSE(Mapped("libgnutls"));
  ASSERT_TRUE(Load().ok()) << Load();
  EXPECT_TRUE(Mapped("libpq.so"));
  EXPECT_TRUE(Load().ok());  // once: the same answer again
  // The forwarding functions reach libpq's own: a server nobody listens on is not answered.
  EXPECT_EQ(PQping("host=127.0.0.1 port=1 connect_timeout=1"), PQPING_NO_RESPONSE);
}

}  // namespace
}  // namespace oms::libpq
