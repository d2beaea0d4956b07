// The dispatcher's copy of the configuration, on both engines: every write to templates,
// rules, limits and recipients changes the store's version, whichever path made it, and the
// cache loads again only then, also when another connection (a replica) wrote.
#include "notify_svc/notify_config.h"

#include "gtest/gtest.h"
#include "notify_svc/notify_store.h"
#include "platform/base/status.h"
#include "platform/storage/open_database.h"
#include "platform/testing/store_test.h"

namespace oms::notify {
namespace {

class NotifyConfigTest : public ::oms::testing::StoreTest {
 protected:
  std::unique_ptr<Database> Open(const std::string& target) {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(target);
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return nullptr;
    EXPECT_TRUE((*db)->Migrate("notify", store::Migrations()).ok());
    return std::move(*db);
  }

  // A fresh store of the test's engine with notify_svc's schema.
  std::unique_ptr<Database> NewMigratedStore() {
    std::unique_ptr<Database> db = NewStore();
    if (db != nullptr) {
      EXPECT_TRUE(db->Migrate("notify", store::Migrations()).ok());
    }
    return db;
  }

  int64_t Version(Database& db) {
    int64_t version = -1;
    EXPECT_TRUE(db.Read([&](Session& s) -> absl::Status {
                    OMS_ASSIGN_OR_RETURN(version, store::ConfigVersion(s));
                    return absl::OkStatus();
                  }).ok());
    return version;
  }

  std::shared_ptr<const NotifyConfig> Current(Database& db, NotifyConfigCache& cache) {
    std::shared_ptr<const NotifyConfig> config;
    EXPECT_TRUE(db.Read([&](Session& s) -> absl::Status {
                    OMS_ASSIGN_OR_RETURN(config, cache.Current(s));
                    return absl::OkStatus();
                  }).ok());
    return config;
  }

  // Commits a staff recipient through `db`.
  static void SaveStaff(Database& db, const std::string& id, const std::string& email) {
    ASSERT_TRUE(
        db.Transact([&](Session& s) { return store::SaveRecipient(s, Staff(id, email)); }).ok());
  }

  static v1::Recipient Staff(const std::string& id, const std::string& email) {
    v1::Recipient r;
    r.set_recipient_id(id);
    r.set_kind(v1::Recipient::PERSON);
    r.add_audiences(v1::OPS);
    r.set_email(email);
    return r;
  }
};

TEST_P(NotifyConfigTest, EveryWriteToTheConfigurationChangesItsVersionAndNoOtherWriteDoes) {
  std::unique_ptr<Database> db = NewMigratedStore();
  ASSERT_NE(db, nullptr);
  v1::Template t;
  t.set_event_type("OrderCreated");
  t.set_channel(v1::EMAIL);
  t.set_locale("en");
  t.set_body("hello");
  v1::Rule rule;
  rule.set_event_type("OrderCreated");
  rule.set_name("confirm");
  v1::FrequencyLimit limit;
  limit.set_channel(v1::SMS);
  limit.set_max_messages(3);
  const std::vector<std::pair<std::string, std::function<absl::Status(Session&)>>> writes = {
      {"template saved", [&](Session& s) { return store::SaveTemplate(s, t); }},
      {"template saved again", [&](Session& s) { return store::SaveTemplate(s, t); }},
      {"rule saved", [&](Session& s) { return store::SaveRule(s, rule); }},
      {"rule deleted", [&](Session& s) { return store::DeleteRule(s, "OrderCreated", "confirm"); }},
      {"limit saved", [&](Session& s) { return store::SaveLimit(s, limit); }},
      {"limit deleted", [&](Session& s) { return store::DeleteLimit(s, v1::SMS); }},
      {"recipient saved", [&](Session& s) { return store::SaveRecipient(s, Staff("li", "a@x")); }},
      // As personal-data erasure and key rotation write: straight to the row.
      {"recipient rewritten",
       [&](Session& s) {
         return s.Exec("UPDATE recipients SET body = body WHERE recipient_id = 'li'").status();
       }},
      {"recipient deleted",
       [&](Session& s) {
         return s.Exec("DELETE FROM recipients WHERE recipient_id = 'li'").status();
       }},
  };
  int64_t before = Version(*db);
  for (const auto& [what, write] : writes) {
    ASSERT_TRUE(db->Transact(write).ok()) << what;
    int64_t after = Version(*db);
    EXPECT_NE(after, before) << what;
    before = after;
  }
  ASSERT_TRUE(db->Transact([&](Session& s) {
                  return store::SaveContact(s, "ord_1", store::Contact{"Li", "+861", "l@x", "en"});
                }).ok());
  EXPECT_EQ(Version(*db), before) << "a contact is not configuration";
}

TEST_P(NotifyConfigTest, TheCacheLoadsOnceAndAgainAfterAChangeMadeThroughAnotherConnection) {
  std::string target = NewTarget(::testing::TempDir() + "/notify_config_test.db");
  std::unique_ptr<Database> mine = Open(target);
  std::unique_ptr<Database> replica = Open(target);
  ASSERT_NE(mine, nullptr);
  ASSERT_NE(replica, nullptr);
  NotifyConfigCache cache;
  std::shared_ptr<const NotifyConfig> first = Current(*mine, cache);
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(first->recipients().empty());
  EXPECT_EQ(Current(*mine, cache), first) << "nothing changed: the same copy";
  EXPECT_EQ(cache.loads(), 1);

  SaveStaff(*replica, "li", "li@example.com");
  std::shared_ptr<const NotifyConfig> second = Current(*mine, cache);
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(second->recipients().size(), 1u);
  EXPECT_EQ(second->recipients()[0].email(), "li@example.com");
  EXPECT_EQ(cache.loads(), 2);

  SaveStaff(*replica, "li", "li.new@example.com");
  std::shared_ptr<const NotifyConfig> third = Current(*mine, cache);
  ASSERT_EQ(third->recipients().size(), 1u);
  EXPECT_EQ(third->recipients()[0].email(), "li.new@example.com");
  EXPECT_EQ(first->recipients().size(), 0u) << "a copy in use never changes under its reader";
}

// A transaction that changed the configuration, read it (the cache took its copy) and then
// rolled back: the next committed change must not be mistaken for the one rolled back.
TEST_P(NotifyConfigTest, ACopyTakenInsideARolledBackChangeIsNeverServedAfterIt) {
  std::unique_ptr<Database> db = NewMigratedStore();
  ASSERT_NE(db, nullptr);
  NotifyConfigCache cache;
  absl::Status rolled_back = db->Transact([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(store::SaveRecipient(s, Staff("ghost", "ghost@example.com")));
    OMS_ASSIGN_OR_RETURN(std::shared_ptr<const NotifyConfig> seen, cache.Current(s));
    EXPECT_EQ(seen->recipients().size(), 1u);
    return absl::AbortedError("changed my mind");
  });
  ASSERT_EQ(rolled_back.code(), absl::StatusCode::kAborted);
  SaveStaff(*db, "li", "li@example.com");
  std::shared_ptr<const NotifyConfig> config = Current(*db, cache);
  ASSERT_NE(config, nullptr);
  ASSERT_EQ(config->recipients().size(), 1u);
  EXPECT_EQ(config->recipients()[0].recipient_id(), "li");
}

TEST_P(NotifyConfigTest, RulesComeByNameTemplatesByChannelAndLocaleLimitsByChannel) {
  std::unique_ptr<Database> db = NewMigratedStore();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Transact([&](Session& s) -> absl::Status {
                  for (const char* name : {"b", "a"}) {
                    v1::Rule rule;
                    rule.set_event_type("OrderCreated");
                    rule.set_name(name);
                    OMS_RETURN_IF_ERROR(store::SaveRule(s, rule));
                  }
                  for (const char* locale : {"en", "zh-CN"}) {
                    v1::Template t;
                    t.set_event_type("OrderCreated");
                    t.set_channel(v1::SMS);
                    t.set_locale(locale);
                    t.set_body(locale);
                    OMS_RETURN_IF_ERROR(store::SaveTemplate(s, t));
                  }
                  v1::FrequencyLimit limit;
                  limit.set_channel(v1::EMAIL);
                  limit.set_max_messages(2);
                  return store::SaveLimit(s, limit);
                }).ok());
  NotifyConfigCache cache;
  std::shared_ptr<const NotifyConfig> config = Current(*db, cache);
  ASSERT_NE(config, nullptr);
  ASSERT_EQ(config->RulesFor("OrderCreated").size(), 2u);
  EXPECT_EQ(config->RulesFor("OrderCreated")[0].name(), "a");
  EXPECT_TRUE(config->RulesFor("OrderShipped").empty());
  ASSERT_NE(config->FindTemplate("OrderCreated", v1::SMS, "zh-CN"), nullptr);
  EXPECT_EQ(config->FindTemplate("OrderCreated", v1::SMS, "zh-CN")->body(), "zh-CN");
  EXPECT_EQ(config->FindTemplate("OrderCreated", v1::EMAIL, "en"), nullptr);
  EXPECT_EQ(config->TemplatesFor("OrderCreated").size(), 2u);
  ASSERT_NE(config->FindLimit(v1::EMAIL), nullptr);
  EXPECT_EQ(config->FindLimit(v1::EMAIL)->max_messages(), 2);
  EXPECT_EQ(config->FindLimit(v1::SMS), nullptr);
}

OMS_ON_EVERY_ENGINE(NotifyConfigTest);

}  // namespace
}  // namespace oms::notify
