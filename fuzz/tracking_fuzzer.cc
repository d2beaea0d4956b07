// Tracking-event ingestion: a carrier may send any events in any order, repeated. Applied
// one by one to a shipment (the input is a GetTrackingResponse: a shipment and the events
// of its feed), nothing crashes and a shipment in a final state never leaves it.
#include <cstdint>
#include <cstdlib>

#include "logistics_svc/tracking_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  oms::logistics::v1::GetTrackingResponse input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return 0;
  oms::logistics::v1::Shipment shipment = input.shipment();
  shipment.set_state(oms::logistics::v1::CREATED);
  for (const auto& event : input.timeline()) {
    oms::logistics::v1::ShipmentState before = shipment.state();
    oms::logistics::ApplyTrackingEvent(event, shipment);
    if (oms::logistics::IsFinal(before) && shipment.state() != before) std::abort();
  }
  return 0;
}
