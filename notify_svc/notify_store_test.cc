// The notify store on an in-memory database: a notification is never created twice, due
// messages by time, digests until their window ends, and the inbox's read marks.
#include "notify_svc/notify_store.h"

#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/store_test.h"

namespace oms::notify::store {
namespace {

class NotifyStoreTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("notify", Migrations()).ok());
  }

  v1::Message Message(const std::string& id, const std::string& event_id, int64_t due_s) {
    v1::Message m;
    m.set_message_id(id);
    m.set_event_id(event_id);
    m.set_recipient("ops:li");
    m.set_channel(v1::EMAIL);
    m.set_address("li@example.com");
    m.set_status(v1::Message::QUEUED);
    *m.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(1));
    *m.mutable_next_attempt_at() = ToProtoTime(absl::FromUnixSeconds(due_s));
    return m;
  }

  std::unique_ptr<Database> db_;
};

TEST_P(NotifyStoreTest, TheSameNotificationIsNeverCreatedTwiceAndDueOnesComeByTime) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(bool first, InsertMessage(s, Message("msg_1", "evt_1", 5)));
                   EXPECT_TRUE(first);
                   OMS_ASSIGN_OR_RETURN(bool twin, InsertMessage(s, Message("msg_2", "evt_1", 5)));
                   EXPECT_FALSE(twin);
                   OMS_ASSIGN_OR_RETURN(bool later,
                                        InsertMessage(s, Message("msg_3", "evt_2", 50)));
                   EXPECT_TRUE(later);
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(std::vector<v1::Message> due,
                                        DueMessages(s, absl::FromUnixSeconds(10), 10));
                   EXPECT_EQ(due.size(), 1u);
                   if (!due.empty()) {
                     EXPECT_EQ(due[0].message_id(), "msg_1");
                   }
                   return absl::OkStatus();
                 })
                  .ok());
}

// A frequency limit counts the recipient's messages on the channel since the window began,
// only those that went or will go out, and no further than the limit.
TEST_P(NotifyStoreTest, CountedSinceCountsUpToTheLimitAndKnowsTheOldest) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   for (int i = 1; i <= 5; ++i) {
                     v1::Message m =
                         Message("msg_" + std::to_string(i), "evt_" + std::to_string(i), 1);
                     *m.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(10 * i));
                     if (i == 3) m.set_status(v1::Message::SUPPRESSED);  // never went out
                     if (i == 4) m.set_channel(v1::SMS);                 // another channel
                     OMS_RETURN_IF_ERROR(InsertMessage(s, m).status());
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_TRUE(
      db_->Read([&](Session& s) -> absl::Status {
           // EMAIL, not suppressed: created at 10, 20 and 50.
           OMS_ASSIGN_OR_RETURN(
               Counted all, CountedSince(s, "ops:li", v1::EMAIL, absl::FromUnixSeconds(0), 100));
           EXPECT_EQ(all.messages, 3);
           EXPECT_EQ(all.first_created, absl::FromUnixSeconds(10));
           OMS_ASSIGN_OR_RETURN(
               Counted later, CountedSince(s, "ops:li", v1::EMAIL, absl::FromUnixSeconds(15), 100));
           EXPECT_EQ(later.messages, 2);
           EXPECT_EQ(later.first_created, absl::FromUnixSeconds(20));
           OMS_ASSIGN_OR_RETURN(Counted capped,
                                CountedSince(s, "ops:li", v1::EMAIL, absl::FromUnixSeconds(0), 2));
           EXPECT_EQ(capped.messages, 2);
           EXPECT_EQ(capped.first_created, absl::FromUnixSeconds(10));
           OMS_ASSIGN_OR_RETURN(
               Counted nobody, CountedSince(s, "ops:wang", v1::EMAIL, absl::FromUnixSeconds(0), 5));
           EXPECT_EQ(nobody.messages, 0);
           return absl::OkStatus();
         })
          .ok());
}

TEST_P(NotifyStoreTest, ADigestWaitsForItsWindowToEnd) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   v1::Message a = Message("msg_1", "evt_1", 1);
                   a.set_subject("first");
                   v1::Message b = Message("msg_2", "evt_2", 1);
                   b.set_subject("second");
                   OMS_RETURN_IF_ERROR(AddToDigest(s, a, absl::FromUnixSeconds(100)));
                   return AddToDigest(s, b, absl::FromUnixSeconds(100));
                 })
                  .ok());
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(std::vector<Digest> early,
                                        DueDigests(s, absl::FromUnixSeconds(50)));
                   EXPECT_TRUE(early.empty());
                   OMS_ASSIGN_OR_RETURN(std::vector<Digest> due,
                                        DueDigests(s, absl::FromUnixSeconds(100)));
                   EXPECT_EQ(due.size(), 1u);
                   if (due.empty()) return absl::OkStatus();
                   EXPECT_EQ(due[0].subjects.size(), 2u);
                   OMS_RETURN_IF_ERROR(DeleteDigest(s, due[0]));
                   OMS_ASSIGN_OR_RETURN(due, DueDigests(s, absl::FromUnixSeconds(100)));
                   EXPECT_TRUE(due.empty());
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST_P(NotifyStoreTest, InboxItemsAreReadOnceAndCounted) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   for (const char* id : {"msg_1", "msg_2"}) {
                     v1::InboxItem item;
                     item.set_message_id(id);
                     item.set_in_app_id("user-1");
                     item.set_subject(id);
                     OMS_RETURN_IF_ERROR(AddInboxItem(s, item));
                   }
                   OMS_ASSIGN_OR_RETURN(int64_t marked, MarkRead(s, "user-1", {"msg_1"}));
                   EXPECT_EQ(marked, 1);
                   OMS_ASSIGN_OR_RETURN(marked, MarkRead(s, "user-1", {"msg_1"}));
                   EXPECT_EQ(marked, 0);
                   OMS_ASSIGN_OR_RETURN(int64_t unread, UnreadCount(s, "user-1"));
                   EXPECT_EQ(unread, 1);
                   OMS_ASSIGN_OR_RETURN(std::vector<v1::InboxItem> items,
                                        Inbox(s, "user-1", /*unread_only=*/true, 10));
                   EXPECT_EQ(items.size(), 1u);
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST_P(NotifyStoreTest, ContactsAndOptOutsByOrderAndChannel) {
  ASSERT_TRUE(
      db_->Transact([&](Session& s) -> absl::Status {
           OMS_RETURN_IF_ERROR(SaveContact(s, "ord_1", {"Li", "13800000000", "li@x.cn", "zh-CN"}));
           OMS_RETURN_IF_ERROR(SetOptOut(s, "13800000000", v1::SMS, true));
           OMS_ASSIGN_OR_RETURN(std::optional<Contact> contact, FindContact(s, "ord_1"));
           EXPECT_TRUE(contact.has_value());
           if (contact.has_value()) {
             EXPECT_EQ(contact->locale, "zh-CN");
           }
           OMS_ASSIGN_OR_RETURN(bool sms, IsOptedOut(s, "13800000000", v1::SMS));
           OMS_ASSIGN_OR_RETURN(bool email, IsOptedOut(s, "13800000000", v1::EMAIL));
           EXPECT_TRUE(sms);
           EXPECT_FALSE(email);
           return absl::OkStatus();
         })
          .ok());
}

OMS_ON_EVERY_ENGINE(NotifyStoreTest);

}  // namespace
}  // namespace oms::notify::store
