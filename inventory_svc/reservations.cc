#include "inventory_svc/reservations.h"

#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/request_checks.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {

// The order's allocation record; NOT_FOUND when the order was never allocated.
absl::StatusOr<store::AllocationRecord> RequireAllocation(Session& s, const std::string& order_id) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::AllocationRecord> record,
                       store::FindAllocation(s, order_id));
  if (!record.has_value()) {
    return absl::NotFoundError(absl::StrCat("order ", order_id, " has no allocation"));
  }
  return *record;
}

// ACTIVE reservations of an allocated order, optionally at one warehouse.
absl::StatusOr<std::vector<v1::Reservation>> ActiveReservationsOf(Session& s,
                                                                  const std::string& order_id,
                                                                  const std::string& warehouse_id) {
  OMS_RETURN_IF_ERROR(RequireAllocation(s, order_id).status());
  store::ReservationQuery query;
  query.order_id = order_id;
  query.warehouse_id = warehouse_id;
  query.statuses = {v1::Reservation::ACTIVE};
  return store::ListReservations(s, query);
}

absl::StatusOr<v1::Reservation> Reservations::Reserve(Session& s, const std::string& order_id,
                                                      const std::string& sku,
                                                      const std::string& warehouse_id,
                                                      int64_t quantity, absl::Duration ttl) {
  absl::Time now = host_->clock().Now();
  v1::Reservation reservation;
  reservation.set_reservation_id(host_->ids().Next("res"));
  reservation.set_order_id(order_id);
  reservation.set_sku(sku);
  reservation.set_warehouse_id(warehouse_id);
  reservation.set_quantity(quantity);
  reservation.set_status(v1::Reservation::ACTIVE);
  *reservation.mutable_created_at() = ToProtoTime(now);
  *reservation.mutable_updated_at() = reservation.created_at();
  if (ttl > absl::ZeroDuration()) *reservation.mutable_expires_at() = ToProtoTime(now + ttl);
  OMS_RETURN_IF_ERROR(store::InsertReservation(s, reservation));
  OMS_RETURN_IF_ERROR(store::AddReserved(s, sku, warehouse_id, quantity));
  return reservation;
}

absl::StatusOr<v1::Reservation> Reservations::End(Session& s, v1::Reservation reservation,
                                                  int64_t quantity,
                                                  v1::Reservation::Status status) {
  google::protobuf::Timestamp now = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(
      store::AddReserved(s, reservation.sku(), reservation.warehouse_id(), -quantity));
  if (quantity == reservation.quantity()) {
    reservation.set_status(status);
    *reservation.mutable_updated_at() = now;
    OMS_RETURN_IF_ERROR(store::UpdateReservation(s, reservation));
    return reservation;
  }
  // Part of it: the rest stays active; the ended part is kept as its own row for history.
  v1::Reservation rest = reservation;
  rest.set_quantity(reservation.quantity() - quantity);
  *rest.mutable_updated_at() = now;
  OMS_RETURN_IF_ERROR(store::UpdateReservation(s, rest));
  v1::Reservation ended = reservation;
  ended.set_reservation_id(host_->ids().Next("res"));
  ended.set_quantity(quantity);
  ended.set_status(status);
  *ended.mutable_updated_at() = now;
  OMS_RETURN_IF_ERROR(store::InsertReservation(s, ended));
  return ended;
}

absl::StatusOr<v1::CommitResponse> Reservations::Commit(const v1::CommitRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(IsIdentifier(request.warehouse_id()), "warehouse_id", "is not a warehouse id");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::CommitResponse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "Commit", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> active,
                             ActiveReservationsOf(s, request.order_id(), request.warehouse_id()));
        google::protobuf::Timestamp now = ToProtoTime(host_->clock().Now());
        for (v1::Reservation& r : active) {
          OMS_RETURN_IF_ERROR(store::AddReserved(s, r.sku(), r.warehouse_id(), -r.quantity()));
          OMS_RETURN_IF_ERROR(store::AddOnHand(s, r.sku(), r.warehouse_id(), -r.quantity()));
          OMS_ASSIGN_OR_RETURN(v1::StockLevel level, store::StockAt(s, r.sku(), r.warehouse_id()));
          v1::Adjustment shipment;
          shipment.set_sku(r.sku());
          shipment.set_warehouse_id(r.warehouse_id());
          shipment.set_delta(-r.quantity());
          shipment.set_reason(v1::SHIPMENT);
          shipment.set_actor("system");
          shipment.set_order_id(r.order_id());
          shipment.set_on_hand_after(level.on_hand());
          *shipment.mutable_occurred_at() = now;
          OMS_RETURN_IF_ERROR(store::AppendAdjustment(s, shipment).status());
          r.set_status(v1::Reservation::COMMITTED);
          *r.mutable_updated_at() = now;
          OMS_RETURN_IF_ERROR(store::UpdateReservation(s, r));
          *answer.add_committed() = r;
        }
        if (answer.committed().empty()) return absl::OkStatus();  // already committed
        v1::Committed event;
        event.set_order_id(request.order_id());
        event.set_warehouse_id(request.warehouse_id());
        *event.mutable_reservations() = answer.committed();
        return host_->outbox().Append(s, request.order_id(), event).status();
      }));
  return answer;
}

absl::StatusOr<v1::ListReservationsResponse> Reservations::List(
    const v1::ListReservationsRequest& request) {
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::ReservationQuery query;
  query.order_id = request.order_id();
  query.sku = request.sku();
  query.warehouse_id = request.warehouse_id();
  for (int status : request.statuses()) query.statuses.push_back(status);
  query.after_id = page.after().value_or("");
  query.limit = page.fetch_limit();
  v1::ListReservationsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> rows, store::ListReservations(s, query));
    response.set_next_page_token(
        page.Take(rows, response.mutable_reservations(),
                  [](const v1::Reservation& last) { return last.reservation_id(); }));
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::inventory
