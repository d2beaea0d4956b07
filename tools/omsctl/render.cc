#include "tools/omsctl/render.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "oms/common/v1/common.pb.h"

namespace oms::omsctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Messages shown as one value rather than as their fields.
bool IsValueMessage(const google::protobuf::Descriptor* d) {
  return d->full_name() == "oms.common.v1.Money" || d->full_name() == "google.protobuf.Timestamp" ||
         d->full_name() == "google.protobuf.Duration";
}

bool IsPlain(const FieldDescriptor* f) {
  return !f->is_map() &&
         (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || IsValueMessage(f->message_type()));
}

std::string ValueMessageText(const Message& m) {
  const std::string& name = m.GetDescriptor()->full_name();
  if (name == "oms.common.v1.Money") {
    common::v1::Money money;
    money.ParseFromString(m.SerializeAsString());
    int64_t units = money.minor_units();
    return absl::StrFormat("%s%d.%02d %s", units < 0 ? "-" : "", std::abs(units) / 100,
                           std::abs(units) % 100, money.currency_code());
  }
  std::string json;
  google::protobuf::util::MessageToJsonString(m, &json);
  if (json.size() >= 2 && json.front() == '"') json = json.substr(1, json.size() - 2);
  return json;
}

// Proto3 fields without presence count as set when not the default.
bool IsSet(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  return f->is_repeated() ? r->FieldSize(m, f) > 0 : r->HasField(m, f);
}

// Rows of `f` (a repeated message field of `m`) as an aligned table.
std::string ListTable(const Message& m, const FieldDescriptor* f, const std::string& title) {
  const auto* r = m.GetReflection();
  int rows = r->FieldSize(m, f);
  const google::protobuf::Descriptor* d = f->message_type();
  std::vector<const FieldDescriptor*> columns;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* c = d->field(i);
    if (!IsPlain(c) || c->is_repeated()) continue;
    // Only the columns some row fills.
    for (int row = 0; row < rows; ++row) {
      if (IsSet(r->GetRepeatedMessage(m, f, row), c)) {
        columns.push_back(c);
        break;
      }
    }
  }
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> width;
  std::vector<std::string> header;
  for (const FieldDescriptor* c : columns) {
    header.push_back(c->name());
    width.push_back(c->name().size());
  }
  for (int row = 0; row < rows; ++row) {
    const Message& element = r->GetRepeatedMessage(m, f, row);
    std::vector<std::string> line;
    for (size_t i = 0; i < columns.size(); ++i) {
      line.push_back(FieldText(element, columns[i]));
      width[i] = std::max(width[i], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  auto format = [&](const std::vector<std::string>& line) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out += std::string(width[i] - line[i].size() + 2, ' ');
    }
    return out + "\n";
  };
  std::string out = absl::StrCat(title, " (", rows, ")\n");
  if (rows == 0) return out;
  out += format(header);
  for (const auto& line : cells) out += format(line);
  return out;
}

void Lines(const Message& m, const std::string& prefix, std::vector<std::string>& lines,
           std::vector<std::string>& tables) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::string name = prefix + f->name();
    if (!IsSet(m, f)) continue;
    if (f->is_map()) {
      std::vector<std::string> entries;
      for (int j = 0; j < r->FieldSize(m, f); ++j) {
        const Message& entry = r->GetRepeatedMessage(m, f, j);
        const google::protobuf::Descriptor* ed = entry.GetDescriptor();
        entries.push_back(
            absl::StrCat(FieldText(entry, ed->field(0)), "=", FieldText(entry, ed->field(1))));
      }
      lines.push_back(absl::StrCat(name, ": ", absl::StrJoin(entries, ", ")));
    } else if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               !IsValueMessage(f->message_type())) {
      tables.push_back(ListTable(m, f, name));
    } else if (f->is_repeated()) {
      std::vector<std::string> values;
      for (int j = 0; j < r->FieldSize(m, f); ++j) values.push_back(FieldText(m, f, j));
      lines.push_back(absl::StrCat(name, ": ", absl::StrJoin(values, ", ")));
    } else if (IsPlain(f)) {
      lines.push_back(absl::StrCat(name, ": ", FieldText(m, f)));
    } else {
      Lines(r->GetMessage(m, f), name + ".", lines, tables);
    }
  }
}

}  // namespace

std::string FieldText(const Message& m, const FieldDescriptor* f, int index) {
  const auto* r = m.GetReflection();
  bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return (rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f))->name();
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& sub = rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      if (IsValueMessage(f->message_type())) {
        return !rep && !r->HasField(m, f) ? "" : ValueMessageText(sub);
      }
      return sub.ShortDebugString();
    }
  }
  return "";
}

std::string RenderText(const Message& response) {
  std::vector<std::string> lines, tables;
  Lines(response, "", lines, tables);
  std::string out;
  for (const std::string& line : lines) absl::StrAppend(&out, line, "\n");
  for (const std::string& table : tables) absl::StrAppend(&out, out.empty() ? "" : "\n", table);
  return out.empty() ? "(nothing)\n" : out;
}

std::string RenderJson(const Message& response) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(response, &json, options);
  return json;
}

}  // namespace oms::omsctl
