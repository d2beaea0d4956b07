#include "tools/omsctl/linked_protos.h"

#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "oms/security/v1/security.grpc.pb.h"

namespace oms::omsctl {

void LinkAllProtos() {
  (void)order::v1::Order::descriptor();
  (void)inventory::v1::StockSummary::descriptor();
  (void)logistics::v1::Shipment::descriptor();
  (void)notify::v1::Message::descriptor();
  (void)analytics::v1::CsvChunk::descriptor();
  (void)orchestrator::v1::Workflow::descriptor();
  (void)events::v1::Event::descriptor();
  (void)security::v1::ListAuditLogRequest::descriptor();
}

}  // namespace oms::omsctl
