#include "logistics_svc/logistics_store.h"

#include <map>
#include <utility>

#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/testing/store_test.h"

namespace oms::logistics::store {
namespace {

using google::protobuf::util::TimeUtil;

// A shipment promised at hour 48, delivered at `delivered_hour` (or not yet: -1).
v1::Shipment MakeShipment(const std::string& id, const std::string& carrier, v1::ServiceLevel level,
                          int delivered_hour) {
  v1::Shipment sh;
  sh.set_shipment_id(id);
  sh.set_order_id("ord_" + id);
  sh.set_warehouse_id("wh_1");
  sh.set_carrier_id(carrier);
  sh.set_service_level(level);
  sh.set_tracking_number("T" + id);
  *sh.mutable_promised_delivery() = TimeUtil::SecondsToTimestamp(48 * 3600);
  if (delivered_hour >= 0) {
    *sh.mutable_delivery()->mutable_delivered_at() =
        TimeUtil::SecondsToTimestamp(delivered_hour * 3600);
  }
  return sh;
}

// What the counts must equal: the average over the shipments table itself.
OnTimeRates Recomputed(Database& db) {
  OnTimeRates rates;
  EXPECT_TRUE(db.Read([&](Session& s) {
                  return s.ForEachRow(
                      "SELECT carrier_id, service_level, AVG(CASE WHEN delivered_us <="
                      " promised_us THEN 1.0 ELSE 0.0 END) FROM shipments"
                      " WHERE delivered_us IS NOT NULL GROUP BY carrier_id, service_level",
                      {}, [&](const Rows& r) {
                        rates[{r.Text(0), static_cast<int>(r.Int(1))}] = std::stod(r.Text(2));
                        return absl::OkStatus();
                      });
                }).ok());
  return rates;
}

OnTimeRates Kept(Database& db) {
  OnTimeRates rates;
  EXPECT_TRUE(db.Read([&](Session& s) -> absl::Status {
                  OMS_ASSIGN_OR_RETURN(rates, OnTimeHistory(s));
                  return absl::OkStatus();
                }).ok());
  return rates;
}

class OnTimeHistoryTest : public ::oms::testing::StoreTest {
 protected:
  std::unique_ptr<Database> OpenStore(int versions) {
    std::unique_ptr<Database> db = NewStore();
    if (db == nullptr) return nullptr;
    std::vector<Migration> migrations(Migrations().begin(), Migrations().begin() + versions);
    EXPECT_TRUE(db->Migrate("logistics", migrations).ok());
    return db;
  }
};

TEST_P(OnTimeHistoryTest, FollowsInsertsDeliveriesCorrectionsAndDeletes) {
  auto db = OpenStore(Migrations().size());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(
      db->Transact([](Session& s) -> absl::Status {
          OMS_RETURN_IF_ERROR(InsertShipment(s, MakeShipment("1", "zto", v1::STANDARD, 40)));
          OMS_RETURN_IF_ERROR(InsertShipment(s, MakeShipment("2", "zto", v1::STANDARD, 60)));
          OMS_RETURN_IF_ERROR(InsertShipment(s, MakeShipment("3", "zto", v1::EXPRESS, -1)));
          return InsertShipment(s, MakeShipment("4", "sf", v1::STANDARD, -1));
        }).ok());
  EXPECT_EQ(Kept(*db), Recomputed(*db));
  EXPECT_DOUBLE_EQ((Kept(*db)[{"zto", v1::STANDARD}]), 0.5);
  EXPECT_EQ(Kept(*db).count({"zto", v1::EXPRESS}), 0u);  // nothing delivered yet

  // Delivered late, then a carrier correction moves the delivery earlier, then a shipment
  // is re-assigned to another carrier: each change moves the counts with it.
  ASSERT_TRUE(db->Transact([](Session& s) -> absl::Status {
                  OMS_RETURN_IF_ERROR(SaveShipment(s, MakeShipment("3", "zto", v1::EXPRESS, 50)));
                  OMS_RETURN_IF_ERROR(SaveShipment(s, MakeShipment("2", "zto", v1::STANDARD, 47)));
                  return SaveShipment(s, MakeShipment("4", "sf", v1::STANDARD, 10));
                }).ok());
  EXPECT_EQ(Kept(*db), Recomputed(*db));
  EXPECT_DOUBLE_EQ((Kept(*db)[{"zto", v1::STANDARD}]), 1.0);
  EXPECT_DOUBLE_EQ((Kept(*db)[{"zto", v1::EXPRESS}]), 0.0);
  ASSERT_TRUE(db->Transact([](Session& s) -> absl::Status {
                  return SaveShipment(s, MakeShipment("1", "sf", v1::STANDARD, 49));
                }).ok());
  EXPECT_EQ(Kept(*db), Recomputed(*db));
  EXPECT_DOUBLE_EQ((Kept(*db)[{"sf", v1::STANDARD}]), 0.5);

  ASSERT_TRUE(db->Transact([](Session& s) {
                  return s.Exec("DELETE FROM shipments WHERE shipment_id = '4'").status();
                }).ok());
  EXPECT_EQ(Kept(*db), Recomputed(*db));
  EXPECT_DOUBLE_EQ((Kept(*db)[{"sf", v1::STANDARD}]), 0.0);
}

TEST_P(OnTimeHistoryTest, UpgradeCountsTheShipmentsAlreadyDelivered) {
  auto db = OpenStore(1);  // a store from before the counts existed
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(
      db->Transact([](Session& s) -> absl::Status {
          OMS_RETURN_IF_ERROR(InsertShipment(s, MakeShipment("1", "zto", v1::STANDARD, 40)));
          OMS_RETURN_IF_ERROR(InsertShipment(s, MakeShipment("2", "zto", v1::STANDARD, 60)));
          return InsertShipment(s, MakeShipment("3", "sf", v1::EXPRESS, 20));
        }).ok());
  ASSERT_TRUE(db->Migrate("logistics", Migrations()).ok());
  EXPECT_EQ(Kept(*db), Recomputed(*db));
  EXPECT_EQ(Kept(*db).size(), 2u);
}

OMS_ON_EVERY_ENGINE(OnTimeHistoryTest);

}  // namespace
}  // namespace oms::logistics::store
