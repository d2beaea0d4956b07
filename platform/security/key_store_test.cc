#include "platform/security/key_store.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "gtest/gtest.h"
#include "platform/security/key_file_reloader.h"
#include "platform/testing/temp_dir.h"

namespace oms::auth {
namespace {

using security::v1::KeyFile;

TEST(KeyStoreTest, VerifiesAnIssuedKeyAndReturnsItsPrincipal) {
  IssuedKey erp = IssueKey("erp", {security::v1::ORDER_WRITER}, "erp");
  KeyFile file;
  *file.add_keys() = erp.stored;
  absl::StatusOr<KeyStore> store = KeyStore::FromKeyFile(file);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<Principal> principal = store->Verify(erp.token);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->name, "erp");
  EXPECT_EQ(principal->channel, "erp");
  EXPECT_TRUE(principal->Has(security::v1::ORDER_WRITER));
  EXPECT_FALSE(principal->Has(security::v1::ADMIN));
}

TEST(KeyStoreTest, StoresOnlyASaltedHashOfTheSecret) {
  IssuedKey a = IssueKey("a", {security::v1::READER});
  std::string secret = a.token.substr(a.token.find('.') + 1);
  std::string stored;
  a.stored.SerializeToString(&stored);
  EXPECT_EQ(stored.find(secret), std::string::npos);
  // Same secret, other salt: other hash (no precomputed tables across keys).
  IssuedKey b = IssueKey("b", {security::v1::READER});
  EXPECT_NE(a.stored.salt_hex(), b.stored.salt_hex());
  EXPECT_NE(a.stored.sha256_hex(), b.stored.sha256_hex());
}

TEST(KeyStoreTest, RefusesWrongUnknownMalformedAndDisabledKeys) {
  IssuedKey ops = IssueKey("ops", {security::v1::OPS});
  IssuedKey gone = IssueKey("gone", {security::v1::OPS});
  gone.stored.set_disabled(true);
  KeyFile file;
  *file.add_keys() = ops.stored;
  *file.add_keys() = gone.stored;
  absl::StatusOr<KeyStore> store = KeyStore::FromKeyFile(file);
  ASSERT_TRUE(store.ok());
  std::string wrong_secret = ops.token;
  wrong_secret.back() = wrong_secret.back() == '0' ? '1' : '0';
  for (const std::string& token : {wrong_secret, std::string("nosuchid.abcdef"),
                                   std::string("no-dot-at-all"), std::string(""), gone.token}) {
    absl::StatusOr<Principal> principal = store->Verify(token);
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated) << token;
  }
}

TEST(KeyStoreTest, RefusesBadKeyFilesNamingTheEntry) {
  IssuedKey a = IssueKey("a", {security::v1::READER});
  KeyFile duplicate;
  *duplicate.add_keys() = a.stored;
  *duplicate.add_keys() = a.stored;
  EXPECT_NE(KeyStore::FromKeyFile(duplicate).status().message().find("keys[1]"), std::string::npos);
  KeyFile no_roles;
  *no_roles.add_keys() = a.stored;
  no_roles.mutable_keys(0)->clear_roles();
  EXPECT_NE(KeyStore::FromKeyFile(no_roles).status().message().find("no roles"), std::string::npos);
}

TEST(KeyStoreTest, KeyFileRoundTripsWithOwnerOnlyPermissions) {
  testing::TempDir dir;
  KeyFile file;
  *file.add_keys() = IssueKey("ops", {security::v1::OPS}).stored;
  ASSERT_TRUE(WriteKeyFile(dir.File("keys.textproto"), file).ok());
  struct stat info;
  ASSERT_EQ(stat(dir.File("keys.textproto").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  absl::StatusOr<KeyStore> loaded = KeyStore::Load(dir.File("keys.textproto"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->size(), 1u);

  std::ofstream(dir.File("bad.textproto")) << "keys { nonsense: 1 }";
  EXPECT_EQ(KeyStore::Load(dir.File("bad.textproto")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KeyStore::Load(dir.File("missing")).status().code(), absl::StatusCode::kNotFound);
}

TEST(KeyFileReloaderTest, ARevokedKeyIsRefusedAndANewOneAcceptedAfterTheNextCheck) {
  oms::testing::TempDir dir;
  const std::string path = dir.path() + "/keys.textproto";
  IssuedKey ops = IssueKey("ops", {security::v1::OPS});
  IssuedKey later = IssueKey("later", {security::v1::READER});
  security::v1::KeyFile file;
  *file.add_keys() = ops.stored;
  ASSERT_TRUE(WriteKeyFile(path, file).ok());
  absl::StatusOr<KeyStore> keys = KeyStore::Load(path);
  ASSERT_TRUE(keys.ok());
  const KeyStore* in_use = &*keys;  // what the server holds
  KeyFileReloader reloader(path, &*keys);
  EXPECT_TRUE(reloader.Check().ok());  // unchanged
  EXPECT_TRUE(in_use->Verify(ops.token).ok());

  // `keys revoke` disables the key; `keys add` adds another.
  file.mutable_keys(0)->set_disabled(true);
  *file.add_keys() = later.stored;
  ASSERT_TRUE(WriteKeyFile(path, file).ok());
  EXPECT_TRUE(in_use->Verify(ops.token).ok());  // until the file is read again
  ASSERT_TRUE(reloader.Check().ok());
  EXPECT_EQ(in_use->Verify(ops.token).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(in_use->Verify(later.token)->name, "later");
  EXPECT_EQ(in_use->size(), 2u);
}

TEST(KeyFileReloaderTest, ABrokenFileIsReportedOnceAndTheKeysInUseStay) {
  oms::testing::TempDir dir;
  const std::string path = dir.path() + "/keys.textproto";
  IssuedKey ops = IssueKey("ops", {security::v1::OPS});
  security::v1::KeyFile file;
  *file.add_keys() = ops.stored;
  ASSERT_TRUE(WriteKeyFile(path, file).ok());
  absl::StatusOr<KeyStore> keys = KeyStore::Load(path);
  ASSERT_TRUE(keys.ok());
  KeyFileReloader reloader(path, &*keys);
  std::ofstream(path) << "keys { key_id: \"half-written";
  absl::Status refused = reloader.Check();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("stay in use"), std::string::npos) << refused;
  EXPECT_TRUE(reloader.Check().ok());  // the same content again: not reported twice
  EXPECT_TRUE(keys->Verify(ops.token).ok());
  // A duplicate key id is refused like a parse error.
  security::v1::KeyFile twice;
  *twice.add_keys() = ops.stored;
  *twice.add_keys() = ops.stored;
  ASSERT_TRUE(WriteKeyFile(path, twice).ok());
  EXPECT_EQ(reloader.Check().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(keys->Verify(ops.token).ok());
  std::remove(path.c_str());
  EXPECT_EQ(reloader.Check().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(keys->Verify(ops.token).ok());
}

}  // namespace
}  // namespace oms::auth
