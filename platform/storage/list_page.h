#ifndef OMS_PLATFORM_STORAGE_LIST_PAGE_H_
#define OMS_PLATFORM_STORAGE_LIST_PAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "platform/base/validation.h"

namespace oms {

// The paging of every List RPC, keyset style: the request's page_size checked against the
// call's limits, its page_token decoded to the position after which the page starts, the
// rows trimmed to the page and the next token made from the last row's key.
//
// A token is opaque to callers. It carries the position and a hash of the request's filters
// (every field but page_token and page_size), so a token replayed with other filters is
// refused instead of silently skipping or repeating rows.
//
//   FieldErrors errors;
//   ListPage page = ListPage::Read(request, errors);
//   query.after = page.CreatedAfter(errors);
//   OMS_RETURN_IF_ERROR(errors.ToStatus());
//   query.limit = page.fetch_limit();
//   ... rows = store::ListShipments(s, query) ...
//   response.set_next_page_token(page.Take(rows, response.mutable_shipments(), KeyOf));
// The page sizes one List RPC allows: page_size 0 asks for the default.
struct PageLimits {
  int default_size = 100;
  int max_size = 1000;
};

class ListPage {
 public:
  // Reads `request`'s page_size and page_token fields, which every List request has; each
  // problem is added to `errors` under its field name. `request` must outlive the page.
  static ListPage Read(const google::protobuf::Message& request, FieldErrors& errors,
                       PageLimits limits = {});

  // The rows the page shows.
  int size() const { return size_; }
  // The rows to fetch: one more than the page, which tells whether another page follows.
  int fetch_limit() const { return size_ + 1; }

  // Where the page starts: nullopt on the first page. The typed readers add a page_token
  // error when the position has another shape (a token from a different List RPC).
  const std::optional<std::string>& after() const { return after_; }
  std::optional<int64_t> NumberAfter(FieldErrors& errors) const;
  std::optional<std::pair<int64_t, std::string>> CreatedAfter(FieldErrors& errors) const;

  // The position of a row in the newest-first (created_at, id) order most listings use.
  static std::string CreatedKey(const google::protobuf::Timestamp& created_at,
                                absl::string_view id);

  // Moves the page's rows (fetched with fetch_limit()) into `out` and answers the next page's
  // token, made from `key_of` the last row shown, or "" when this is the last page.
  template <typename Row, typename KeyOf>
  std::string Take(std::vector<Row>& rows, google::protobuf::RepeatedPtrField<Row>* out,
                   KeyOf key_of) const {
    bool more = static_cast<int>(rows.size()) > size_;
    if (more) rows.resize(size_);
    for (Row& row : rows) *out->Add() = std::move(row);
    return more ? Token(key_of(out->Get(out->size() - 1))) : std::string();
  }

  // The token whose page starts after `position`.
  std::string Token(absl::string_view position) const;

 private:
  ListPage(const google::protobuf::Message* request, int size, std::optional<std::string> after)
      : request_(request), size_(size), after_(std::move(after)) {}

  const google::protobuf::Message* request_;
  int size_;
  std::optional<std::string> after_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_LIST_PAGE_H_
