#include "logistics_svc/logistics_service.h"

#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/security/request_limits.h"
#include "platform/server/service_info.h"

namespace oms::logistics {

grpc::Status LogisticsService::CreateCarrier(grpc::ServerContext*,
                                             const v1::CreateCarrierRequest* request,
                                             v1::Carrier* response) {
  return Serve(*request, response, [&] { return carriers_.CreateCarrier(*request); });
}

grpc::Status LogisticsService::UpdateCarrier(grpc::ServerContext*,
                                             const v1::UpdateCarrierRequest* request,
                                             v1::Carrier* response) {
  return Serve(*request, response, [&] { return carriers_.UpdateCarrier(*request); });
}

grpc::Status LogisticsService::ListCarriers(grpc::ServerContext*,
                                            const v1::ListCarriersRequest* request,
                                            v1::ListCarriersResponse* response) {
  return Serve(*request, response, [&] { return carriers_.ListCarriers(*request); });
}

grpc::Status LogisticsService::QuoteShipment(grpc::ServerContext*,
                                             const v1::QuoteShipmentRequest* request,
                                             v1::QuoteShipmentResponse* response) {
  return Serve(*request, response, [&] { return choice_.QuoteShipment(*request); });
}

grpc::Status LogisticsService::SelectCarrier(grpc::ServerContext*,
                                             const v1::QuoteShipmentRequest* request,
                                             v1::SelectCarrierResponse* response) {
  return Serve(*request, response, [&] { return choice_.SelectCarrier(*request); });
}

grpc::Status LogisticsService::CreateShipment(grpc::ServerContext*,
                                              const v1::CreateShipmentRequest* request,
                                              v1::Shipment* response) {
  return Serve(*request, response, [&] { return shipments_.CreateShipment(*request); });
}

grpc::Status LogisticsService::CancelShipment(grpc::ServerContext*,
                                              const v1::CancelShipmentRequest* request,
                                              v1::Shipment* response) {
  return Serve(*request, response, [&] { return shipments_.CancelShipment(*request); });
}

grpc::Status LogisticsService::GetShipment(grpc::ServerContext*,
                                           const v1::GetShipmentRequest* request,
                                           v1::Shipment* response) {
  return Serve(*request, response, [&] { return shipments_.GetShipment(*request); });
}

grpc::Status LogisticsService::ListShipments(grpc::ServerContext*,
                                             const v1::ListShipmentsRequest* request,
                                             v1::ListShipmentsResponse* response) {
  return Serve(*request, response, [&] { return shipments_.ListShipments(*request); });
}

grpc::Status LogisticsService::RecordTrackingEvent(grpc::ServerContext*,
                                                   const v1::TrackingEvent* request,
                                                   v1::RecordTrackingEventResponse* response) {
  return Serve(*request, response, [&] { return tracking_.RecordTrackingEvent(*request); });
}

grpc::Status LogisticsService::GetTracking(grpc::ServerContext*,
                                           const v1::GetTrackingRequest* request,
                                           v1::GetTrackingResponse* response) {
  return Serve(*request, response, [&] { return tracking_.GetTracking(*request); });
}

grpc::Status LogisticsService::ConfirmPickup(grpc::ServerContext*,
                                             const v1::ConfirmPickupRequest* request,
                                             v1::Shipment* response) {
  return Serve(*request, response, [&] { return tracking_.ConfirmPickup(*request); });
}

grpc::Status LogisticsService::ConfirmDelivery(grpc::ServerContext*,
                                               const v1::ConfirmDeliveryRequest* request,
                                               v1::Shipment* response) {
  return Serve(*request, response, [&] { return tracking_.ConfirmDelivery(*request); });
}

grpc::Status LogisticsService::RunDetection(grpc::ServerContext*, const v1::RunDetectionRequest*,
                                            v1::RunDetectionResponse* response) {
  return Reply(tracking_.RunDetection(), response);
}

grpc::Status LogisticsService::Reship(grpc::ServerContext*, const v1::ReshipRequest* request,
                                      v1::ReshipResponse* response) {
  return Serve(*request, response, [&] { return shipments_.Reship(*request); });
}

grpc::Status LogisticsService::GetCarrierStats(grpc::ServerContext*,
                                               const v1::GetCarrierStatsRequest* request,
                                               v1::GetCarrierStatsResponse* response) {
  return Serve(*request, response, [&] { return stats_.Get(*request); });
}

grpc::Status LogisticsService::GetServiceInfo(grpc::ServerContext*,
                                              const common::v1::GetServiceInfoRequest*,
                                              common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::logistics
