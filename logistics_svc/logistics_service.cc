#include "logistics_svc/logistics_service.h"

#include "platform/info_only_service.h"
#include "platform/status.h"

namespace oms::logistics {

grpc::Status LogisticsService::CreateCarrier(grpc::ServerContext*,
                                             const v1::CreateCarrierRequest* request,
                                             v1::Carrier* response) {
  return Reply(carriers_.CreateCarrier(*request), response);
}

grpc::Status LogisticsService::UpdateCarrier(grpc::ServerContext*,
                                             const v1::UpdateCarrierRequest* request,
                                             v1::Carrier* response) {
  return Reply(carriers_.UpdateCarrier(*request), response);
}

grpc::Status LogisticsService::ListCarriers(grpc::ServerContext*,
                                            const v1::ListCarriersRequest* request,
                                            v1::ListCarriersResponse* response) {
  return Reply(carriers_.ListCarriers(*request), response);
}

grpc::Status LogisticsService::QuoteShipment(grpc::ServerContext*,
                                             const v1::QuoteShipmentRequest* request,
                                             v1::QuoteShipmentResponse* response) {
  return Reply(shipping_.QuoteShipment(*request), response);
}

grpc::Status LogisticsService::SelectCarrier(grpc::ServerContext*,
                                             const v1::QuoteShipmentRequest* request,
                                             v1::SelectCarrierResponse* response) {
  return Reply(shipping_.SelectCarrier(*request), response);
}

grpc::Status LogisticsService::CreateShipment(grpc::ServerContext*,
                                              const v1::CreateShipmentRequest* request,
                                              v1::Shipment* response) {
  return Reply(shipping_.CreateShipment(*request), response);
}

grpc::Status LogisticsService::CancelShipment(grpc::ServerContext*,
                                              const v1::CancelShipmentRequest* request,
                                              v1::Shipment* response) {
  return Reply(shipping_.CancelShipment(*request), response);
}

grpc::Status LogisticsService::GetShipment(grpc::ServerContext*,
                                           const v1::GetShipmentRequest* request,
                                           v1::Shipment* response) {
  return Reply(shipping_.GetShipment(*request), response);
}

grpc::Status LogisticsService::ListShipments(grpc::ServerContext*,
                                             const v1::ListShipmentsRequest* request,
                                             v1::ListShipmentsResponse* response) {
  return Reply(shipping_.ListShipments(*request), response);
}

grpc::Status LogisticsService::RecordTrackingEvent(grpc::ServerContext*,
                                                   const v1::TrackingEvent* request,
                                                   v1::RecordTrackingEventResponse* response) {
  return Reply(shipping_.RecordTrackingEvent(*request), response);
}

grpc::Status LogisticsService::GetTracking(grpc::ServerContext*,
                                           const v1::GetTrackingRequest* request,
                                           v1::GetTrackingResponse* response) {
  return Reply(shipping_.GetTracking(*request), response);
}

grpc::Status LogisticsService::ConfirmDelivery(grpc::ServerContext*,
                                               const v1::ConfirmDeliveryRequest* request,
                                               v1::Shipment* response) {
  return Reply(shipping_.ConfirmDelivery(*request), response);
}

grpc::Status LogisticsService::RunDetection(grpc::ServerContext*, const v1::RunDetectionRequest*,
                                            v1::RunDetectionResponse* response) {
  return Reply(shipping_.RunDetection(), response);
}

grpc::Status LogisticsService::Reship(grpc::ServerContext*, const v1::ReshipRequest* request,
                                      v1::ReshipResponse* response) {
  return Reply(shipping_.Reship(*request), response);
}

grpc::Status LogisticsService::GetCarrierStats(grpc::ServerContext*,
                                               const v1::GetCarrierStatsRequest* request,
                                               v1::GetCarrierStatsResponse* response) {
  return Reply(shipping_.GetCarrierStats(*request), response);
}

grpc::Status LogisticsService::GetServiceInfo(grpc::ServerContext*,
                                              const common::v1::GetServiceInfoRequest*,
                                              common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::logistics
