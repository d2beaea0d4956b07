#ifndef OMS_LOGISTICS_SVC_LOGISTICS_SERVICE_H_
#define OMS_LOGISTICS_SVC_LOGISTICS_SERVICE_H_

#include "logistics_svc/carrier_choice.h"
#include "logistics_svc/carrier_stats.h"
#include "logistics_svc/carriers.h"
#include "logistics_svc/shipments.h"
#include "logistics_svc/tracking.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "platform/server/service_host.h"

namespace oms::logistics {

// gRPC adapter of oms.logistics.v1.LogisticsService: each method is one call into the
// concept that owns it (carriers, carrier choice, shipments, tracking, carrier stats) and
// one status mapping. Thread-safe.
class LogisticsService final : public v1::LogisticsService::Service {
 public:
  LogisticsService(ServiceHost* host, DetectionOptions detection)
      : host_(host),
        carriers_(host),
        choice_(host),
        shipments_(host, &choice_),
        tracking_(host, &shipments_, detection),
        stats_(host) {}

  Carriers& carriers() { return carriers_; }
  Tracking& tracking() { return tracking_; }

  grpc::Status CreateCarrier(grpc::ServerContext*, const v1::CreateCarrierRequest* request,
                             v1::Carrier* response) override;
  grpc::Status UpdateCarrier(grpc::ServerContext*, const v1::UpdateCarrierRequest* request,
                             v1::Carrier* response) override;
  grpc::Status ListCarriers(grpc::ServerContext*, const v1::ListCarriersRequest* request,
                            v1::ListCarriersResponse* response) override;
  grpc::Status QuoteShipment(grpc::ServerContext*, const v1::QuoteShipmentRequest* request,
                             v1::QuoteShipmentResponse* response) override;
  grpc::Status SelectCarrier(grpc::ServerContext*, const v1::QuoteShipmentRequest* request,
                             v1::SelectCarrierResponse* response) override;
  grpc::Status CreateShipment(grpc::ServerContext*, const v1::CreateShipmentRequest* request,
                              v1::Shipment* response) override;
  grpc::Status CancelShipment(grpc::ServerContext*, const v1::CancelShipmentRequest* request,
                              v1::Shipment* response) override;
  grpc::Status GetShipment(grpc::ServerContext*, const v1::GetShipmentRequest* request,
                           v1::Shipment* response) override;
  grpc::Status ListShipments(grpc::ServerContext*, const v1::ListShipmentsRequest* request,
                             v1::ListShipmentsResponse* response) override;
  grpc::Status RecordTrackingEvent(grpc::ServerContext*, const v1::TrackingEvent* request,
                                   v1::RecordTrackingEventResponse* response) override;
  grpc::Status GetTracking(grpc::ServerContext*, const v1::GetTrackingRequest* request,
                           v1::GetTrackingResponse* response) override;
  grpc::Status ConfirmPickup(grpc::ServerContext*, const v1::ConfirmPickupRequest* request,
                             v1::Shipment* response) override;
  grpc::Status ConfirmDelivery(grpc::ServerContext*, const v1::ConfirmDeliveryRequest* request,
                               v1::Shipment* response) override;
  grpc::Status RunDetection(grpc::ServerContext*, const v1::RunDetectionRequest* request,
                            v1::RunDetectionResponse* response) override;
  grpc::Status Reship(grpc::ServerContext*, const v1::ReshipRequest* request,
                      v1::ReshipResponse* response) override;
  grpc::Status GetCarrierStats(grpc::ServerContext*, const v1::GetCarrierStatsRequest* request,
                               v1::GetCarrierStatsResponse* response) override;
  grpc::Status GetServiceInfo(grpc::ServerContext*, const common::v1::GetServiceInfoRequest*,
                              common::v1::ServiceInfo* response) override;

 private:
  ServiceHost* host_;
  Carriers carriers_;
  CarrierChoice choice_;
  Shipments shipments_;
  Tracking tracking_;
  CarrierStats stats_;
};

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_LOGISTICS_SERVICE_H_
