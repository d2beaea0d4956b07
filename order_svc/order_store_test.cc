// The order store on an in-memory database: the body round-trips, the channel reference
// finds the order with its fingerprint, histories keep their order, and listing filters.
#include "order_svc/order_store.h"

#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/store_test.h"

namespace oms::order::store {
namespace {

class OrderStoreTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("order", Migrations()).ok());
  }

  v1::Order Sample(const std::string& id, const std::string& reference, int64_t created_s) {
    v1::Order o;
    o.set_order_id(id);
    o.set_channel(v1::WEB);
    o.set_external_reference(reference);
    o.set_status(v1::RECEIVED);
    o.mutable_customer()->set_phone("13800000000");
    o.mutable_customer()->set_email("li@example.com");
    *o.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(created_s));
    return o;
  }

  std::unique_ptr<Database> db_;
};

TEST_P(OrderStoreTest, AnOrderRoundTripsAndItsReferenceCarriesItsFingerprint) {
  ASSERT_TRUE(db_->Transact([&](Session& s) {
                   return InsertOrder(s, Sample("ord_1", "WEB-1", 10), "print-1");
                 })
                  .ok());
  // The same reference twice cannot be stored.
  EXPECT_FALSE(db_->Transact([&](Session& s) {
                    return InsertOrder(s, Sample("ord_2", "WEB-1", 11), "print-2");
                  })
                   .ok());
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(v1::Order loaded, LoadOrder(s, "ord_1"));
                   EXPECT_EQ(loaded.external_reference(), "WEB-1");
                   OMS_ASSIGN_OR_RETURN(std::optional<ExistingOrder> existing,
                                        FindByExternalReference(s, v1::WEB, "WEB-1"));
                   EXPECT_TRUE(existing.has_value());
                   if (existing.has_value()) {
                     EXPECT_EQ(existing->fingerprint, "print-1");
                   }
                   EXPECT_EQ(LoadOrder(s, "ord_nope").status().code(), absl::StatusCode::kNotFound);
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST_P(OrderStoreTest, HistoriesKeepTheirOrder) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_RETURN_IF_ERROR(InsertOrder(s, Sample("ord_1", "WEB-1", 10), "p"));
                   for (v1::OrderStatus to : {v1::APPROVED, v1::ALLOCATED}) {
                     v1::StatusChange change;
                     change.set_to_status(to);
                     OMS_RETURN_IF_ERROR(AppendStatusChange(s, "ord_1", change));
                   }
                   v1::Modification m;
                   m.set_version(2);
                   return AppendModification(s, "ord_1", m);
                 })
                  .ok());
  ASSERT_TRUE(
      db_->Read([&](Session& s) -> absl::Status {
           OMS_ASSIGN_OR_RETURN(std::vector<v1::StatusChange> changes, StatusChanges(s, "ord_1"));
           EXPECT_EQ(changes.size(), 2u);
           if (changes.size() == 2) {
             EXPECT_EQ(changes[1].to_status(), v1::ALLOCATED);
           }
           OMS_ASSIGN_OR_RETURN(std::vector<v1::Modification> mods, Modifications(s, "ord_1"));
           EXPECT_EQ(mods.size(), 1u);
           return absl::OkStatus();
         })
          .ok());
}

TEST_P(OrderStoreTest, ListingFiltersAndPagesNewestFirst) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_RETURN_IF_ERROR(InsertOrder(s, Sample("ord_1", "WEB-1", 10), "a"));
                   OMS_RETURN_IF_ERROR(InsertOrder(s, Sample("ord_2", "WEB-2", 20), "b"));
                   v1::Order other = Sample("ord_3", "APP-1", 30);
                   other.set_channel(v1::MOBILE_APP);
                   return InsertOrder(s, other, "c");
                 })
                  .ok());
  OrderQuery web;
  web.channels = {v1::WEB};
  web.limit = 1;
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(std::vector<v1::Order> page, ListOrders(s, web));
                   EXPECT_EQ(page.size(), 1u);
                   if (!page.empty()) {
                     EXPECT_EQ(page[0].order_id(), "ord_2");
                   }
                   web.after = std::make_pair(int64_t{20'000'000}, std::string("ord_2"));
                   OMS_ASSIGN_OR_RETURN(page, ListOrders(s, web));
                   EXPECT_EQ(page.size(), 1u);
                   if (!page.empty()) {
                     EXPECT_EQ(page[0].order_id(), "ord_1");
                   }
                   return absl::OkStatus();
                 })
                  .ok());
}

OMS_ON_EVERY_ENGINE(OrderStoreTest);

}  // namespace
}  // namespace oms::order::store
