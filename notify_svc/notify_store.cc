#include "notify_svc/notify_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/storage/list_query.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify::store {
namespace {

v1::InboxItem InboxFromRow(const Rows& r) {
  v1::InboxItem item;
  item.set_seq(r.Int(0));
  item.set_message_id(r.Text(1));
  item.set_in_app_id(r.Text(2));
  item.set_subject(r.Text(3));
  item.set_body(r.Text(4));
  item.set_read(r.Int(5) != 0);
  *item.mutable_created_at() = ToProtoTime(absl::FromUnixMicros(r.Int(6)));
  return item;
}

absl::StatusOr<std::vector<v1::InboxItem>> InboxQuery(Session& s, const std::string& sql,
                                                      absl::Span<const SqlArg> args) {
  std::vector<v1::InboxItem> items;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& r) -> absl::Status {
    v1::InboxItem& item = items.emplace_back(InboxFromRow(r));
    OMS_ASSIGN_OR_RETURN(*item.mutable_subject(),
                         crypto::OpenText(item.subject(), "inbox.subject"));
    OMS_ASSIGN_OR_RETURN(*item.mutable_body(), crypto::OpenText(item.body(), "inbox.body"));
    return absl::OkStatus();
  }));
  return items;
}

// Subjects are sealed as one text: each is joined to the others in the store (AddToDigest).
absl::StatusOr<Digest> DigestFromRow(const Rows& r) {
  Digest d;
  d.channel = static_cast<v1::Channel>(r.Int(1));
  d.window_end_us = r.Int(2);
  OMS_ASSIGN_OR_RETURN(d.address, crypto::OpenText(r.Text(3), "digests.address"));
  std::string subjects;
  for (absl::string_view part : absl::StrSplit(r.Text(4), '\x1f')) {
    OMS_ASSIGN_OR_RETURN(std::string subject, crypto::OpenText(part, "digests.subjects"));
    d.subjects.push_back(std::move(subject));
  }
  // Rows from before the recipient was sealed keep it in clear in `recipient`.
  if (r.Text(5).empty()) {
    d.recipient = r.Text(0);
  } else {
    OMS_ASSIGN_OR_RETURN(d.recipient, crypto::OpenText(r.Text(5), "digests.recipient"));
  }
  return d;
}

// The configuration's version, set anew by triggers on every write to what the dispatcher reads
// per event, whatever path wrote it (API, defaults, erasure, key rotation): a cached copy is
// proved current by one row read (NotifyConfigCache). Random, not counted up: a version seen
// in a transaction that then rolled back can never come back with other contents.
constexpr const char* kConfigTables[] = {"templates", "rules", "frequency_limits", "recipients"};

std::string ConfigVersionSqlite() {
  std::string sql =
      "CREATE TABLE config_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL);"
      "INSERT INTO config_version(id, version) VALUES(1, 1);";
  for (const char* table : kConfigTables) {
    for (const char* change : {"INSERT", "UPDATE", "DELETE"}) {
      absl::StrAppend(&sql, "CREATE TRIGGER ", table, "_", change, "_version AFTER ", change,
                      " ON ", table,
                      " BEGIN UPDATE config_version SET version = random() WHERE id = 1; END;");
    }
  }
  return sql;
}

std::string ConfigVersionPostgres() {
  std::string sql =
      "CREATE TABLE config_version (id BIGINT PRIMARY KEY, version BIGINT NOT NULL);"
      "INSERT INTO config_version(id, version) VALUES(1, 1);"
      "CREATE FUNCTION config_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$"
      " BEGIN UPDATE config_version SET version = (random() * 4611686018427387904)::BIGINT"
      " WHERE id = 1; RETURN NULL; END $$;";
  for (const char* table : kConfigTables) {
    absl::StrAppend(&sql, "CREATE TRIGGER ", table, "_version AFTER INSERT OR UPDATE OR DELETE ON ",
                    table, " FOR EACH STATEMENT EXECUTE FUNCTION config_version_bump();");
  }
  return sql;
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE templates ("
      "  event_type TEXT NOT NULL, channel INTEGER NOT NULL, locale TEXT NOT NULL,"
      "  body BLOB NOT NULL, PRIMARY KEY (event_type, channel, locale));"
      "CREATE TABLE rules (event_type TEXT PRIMARY KEY, body BLOB NOT NULL);"
      "CREATE TABLE frequency_limits (channel INTEGER PRIMARY KEY, body BLOB NOT NULL);"
      "CREATE TABLE recipients (recipient_id TEXT PRIMARY KEY, body BLOB NOT NULL);"
      "CREATE TABLE opt_outs (contact TEXT NOT NULL, channel INTEGER NOT NULL,"
      "  PRIMARY KEY (contact, channel));"
      "CREATE TABLE contacts (order_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
      "  phone TEXT NOT NULL, email TEXT NOT NULL, locale TEXT NOT NULL);"
      // One message per (event, recipient, channel), ever: the unique key is what makes a
      // redelivered event or a restart unable to notify twice.
      "CREATE TABLE messages ("
      "  message_id TEXT PRIMARY KEY,"
      "  event_id TEXT NOT NULL,"
      "  recipient TEXT NOT NULL,"
      "  channel INTEGER NOT NULL,"
      "  status INTEGER NOT NULL,"
      "  next_attempt_us INTEGER NOT NULL,"
      "  created_us INTEGER NOT NULL,"
      "  body BLOB NOT NULL,"
      "  UNIQUE (event_id, recipient, channel));"
      "CREATE INDEX messages_due ON messages(status, next_attempt_us);"
      "CREATE INDEX messages_recipient ON messages(recipient, channel, created_us);"
      "CREATE INDEX messages_created ON messages(created_us DESC, message_id DESC);"
      "CREATE TABLE digests ("
      "  recipient TEXT NOT NULL, channel INTEGER NOT NULL, window_end_us INTEGER NOT NULL,"
      "  address TEXT NOT NULL, subjects TEXT NOT NULL,"
      "  PRIMARY KEY (recipient, channel, window_end_us));"
      "CREATE TABLE inbox ("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  message_id TEXT NOT NULL UNIQUE,"
      "  in_app_id TEXT NOT NULL,"
      "  subject TEXT NOT NULL,"
      "  body TEXT NOT NULL,"
      "  read INTEGER NOT NULL,"
      "  created_us INTEGER NOT NULL);"
      "CREATE INDEX inbox_owner ON inbox(in_app_id, seq);",
      // Only waiting messages, already in sending order: the courier reads the first due one
      // without sorting every waiting message (a backlog builds while a provider is down).
      // The statuses are literals because SQLite uses a partial index only for a query whose
      // WHERE repeats them; 1 = QUEUED, 3 = FAILED.
      "CREATE INDEX messages_waiting ON messages(next_attempt_us, message_id)"
      "  WHERE status IN (1, 3);",
      // Several rules per event type, told apart by name.
      "CREATE TABLE rules_by_name (event_type TEXT NOT NULL, name TEXT NOT NULL,"
      "  body BLOB NOT NULL, PRIMARY KEY (event_type, name));"
      "INSERT INTO rules_by_name(event_type, name, body) SELECT event_type, '', body FROM rules;"
      "DROP TABLE rules;"
      "ALTER TABLE rules_by_name RENAME TO rules;",
      // The digest's recipient sealed: the recipient column is its lookup hash from then on.
      "ALTER TABLE digests ADD COLUMN recipient_sealed TEXT NOT NULL DEFAULT '';",
      // Waiting messages per channel in sending order: each channel's courier lane reads its
      // own, so a channel that is down (a backlog of retries) never stands in front of
      // another's deliverable messages.
      "CREATE INDEX messages_waiting_by_channel ON messages(channel, next_attempt_us,"
      "  message_id) WHERE status IN (1, 3);",
      Migration::PerEngine(ConfigVersionSqlite(), ConfigVersionPostgres()),
  };
  return *migrations;
}

// ---- contacts

absl::Status SaveContact(Session& s, absl::string_view order_id, const Contact& c) {
  return s
      .Exec(
          "INSERT INTO contacts(order_id, name, phone, email, locale) VALUES(?, ?, ?, ?, ?)"
          " ON CONFLICT(order_id) DO UPDATE SET name = excluded.name, phone = excluded.phone,"
          " email = excluded.email, locale = excluded.locale",
          {order_id, crypto::SealText(c.name, "contacts.name"),
           crypto::SealText(c.phone, "contacts.phone"), crypto::SealText(c.email, "contacts.email"),
           c.locale})
      .status();
}

absl::StatusOr<std::optional<Contact>> FindContact(Session& s, absl::string_view order_id) {
  std::optional<Contact> contact;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT name, phone, email, locale FROM contacts WHERE order_id = ?", {order_id},
      [&](const Rows& r) -> absl::Status {
        contact = Contact{.locale = r.Text(3)};
        OMS_ASSIGN_OR_RETURN(contact->name, crypto::OpenText(r.Text(0), "contacts.name"));
        OMS_ASSIGN_OR_RETURN(contact->phone, crypto::OpenText(r.Text(1), "contacts.phone"));
        OMS_ASSIGN_OR_RETURN(contact->email, crypto::OpenText(r.Text(2), "contacts.email"));
        return absl::OkStatus();
      }));
  return contact;
}

// ---- messages

absl::StatusOr<bool> InsertMessage(Session& s, const v1::Message& m) {
  OMS_ASSIGN_OR_RETURN(
      int64_t inserted,
      s.Exec("INSERT INTO messages(message_id, event_id, recipient, channel, status,"
             " next_attempt_us, created_us, body) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"
             " ON CONFLICT(event_id, recipient, channel) DO NOTHING",
             {m.message_id(), m.event_id(), crypto::LookupKey(m.recipient()),
              static_cast<int>(m.channel()), static_cast<int>(m.status()),
              ProtoMicros(m.next_attempt_at()), ProtoMicros(m.created_at()),
              SqlArg::Blob(SerializeProto(m))}));
  return inserted == 1;
}

absl::Status SaveMessage(Session& s, const v1::Message& m) {
  OMS_ASSIGN_OR_RETURN(int64_t changed,
                       s.Exec("UPDATE messages SET status = ?, next_attempt_us = ?, body = ?"
                              " WHERE message_id = ?",
                              {static_cast<int>(m.status()), ProtoMicros(m.next_attempt_at()),
                               SqlArg::Blob(SerializeProto(m)), m.message_id()}));
  if (changed != 1) return absl::NotFoundError(absl::StrCat("message ", m.message_id()));
  return absl::OkStatus();
}

absl::StatusOr<v1::Message> LoadMessage(Session& s, absl::string_view message_id) {
  OMS_ASSIGN_OR_RETURN(
      std::optional<v1::Message> m,
      QueryProto<v1::Message>(s, "SELECT body FROM messages WHERE message_id = ?", {message_id}));
  if (!m.has_value()) {
    return absl::NotFoundError(absl::StrCat("message \"", message_id, "\" does not exist"));
  }
  return *m;
}

absl::StatusOr<std::vector<v1::Message>> DueMessages(Session& s, absl::Time now, int limit) {
  static_assert(v1::Message::QUEUED == 1 && v1::Message::FAILED == 3,
                "the messages_waiting index names these statuses as literals");
  return QueryProtos<v1::Message>(s,
                                  "SELECT body FROM messages INDEXED BY messages_waiting"
                                  " WHERE status IN (1, 3) AND next_attempt_us <= ?"
                                  " ORDER BY next_attempt_us, message_id LIMIT ?",
                                  {absl::ToUnixMicros(now), limit});
}

absl::StatusOr<std::vector<v1::Message>> DueMessagesOn(Session& s, v1::Channel channel,
                                                       absl::Time now, int limit) {
  return QueryProtos<v1::Message>(s,
                                  "SELECT body FROM messages INDEXED BY messages_waiting_by_channel"
                                  " WHERE channel = ? AND status IN (1, 3) AND next_attempt_us <= ?"
                                  " ORDER BY next_attempt_us, message_id LIMIT ?",
                                  {static_cast<int>(channel), absl::ToUnixMicros(now), limit});
}

absl::StatusOr<bool> AnyDueMessageOn(Session& s, v1::Channel channel, absl::Time now) {
  OMS_ASSIGN_OR_RETURN(
      Rows rows, s.Query("SELECT 1 FROM messages INDEXED BY messages_waiting_by_channel"
                         " WHERE channel = ? AND status IN (1, 3) AND next_attempt_us <= ? LIMIT 1",
                         {static_cast<int>(channel), absl::ToUnixMicros(now)}));
  return rows.Next();
}

absl::StatusOr<bool> AnyDueDigest(Session& s, absl::Time now) {
  OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT 1 FROM digests WHERE window_end_us <= ? LIMIT 1",
                                          {absl::ToUnixMicros(now)}));
  return rows.Next();
}

absl::StatusOr<std::vector<v1::Message>> MessagesInStatus(Session& s, v1::Message::Status status) {
  return QueryProtos<v1::Message>(s, "SELECT body FROM messages WHERE status = ?",
                                  {static_cast<int>(status)});
}

absl::StatusOr<Counted> CountedSince(Session& s, absl::string_view recipient, v1::Channel channel,
                                     absl::Time since, int64_t up_to) {
  // The oldest `up_to` only, by the recipient index: no message body is read or opened.
  OMS_ASSIGN_OR_RETURN(
      Rows rows,
      s.Query("SELECT COUNT(*), MIN(created_us) FROM (SELECT created_us FROM messages"
              " WHERE recipient = ? AND channel = ? AND created_us >= ? AND status IN (?, ?, ?, ?)"
              " ORDER BY created_us LIMIT ?) AS oldest",
              {crypto::LookupKey(recipient), static_cast<int>(channel), absl::ToUnixMicros(since),
               static_cast<int>(v1::Message::QUEUED), static_cast<int>(v1::Message::SENDING),
               static_cast<int>(v1::Message::SENT), static_cast<int>(v1::Message::FAILED), up_to}));
  Counted counted;
  OMS_ASSIGN_OR_RETURN(bool found, rows.Next());
  if (found && rows.Int(0) > 0) {
    counted.messages = rows.Int(0);
    counted.first_created = absl::FromUnixMicros(rows.Int(1));
  }
  return counted;
}

absl::StatusOr<std::vector<v1::Message>> ListMessages(Session& s, const MessageQuery& q) {
  ListQuery query("SELECT body FROM messages");
  const std::string recipient_key = crypto::LookupKey(q.recipient);  // outlives the query's views
  query.Equal("recipient", recipient_key).Equal("event_id", q.event_id);
  query.Equal("channel", q.channel);
  query.In("status", q.statuses).Created(q.created_from_us, q.created_to_us);
  query.NewestFirst("message_id", q.after, q.limit);
  return QueryProtos<v1::Message>(s, query.sql(), query.args());
}

// ---- digests

absl::Status AddToDigest(Session& s, const v1::Message& folded, absl::Time window_end) {
  // Subjects are joined with a unit separator, which never occurs in text.
  return s
      .Exec(
          "INSERT INTO digests(recipient, channel, window_end_us, address, subjects,"
          " recipient_sealed) VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(recipient, channel,"
          " window_end_us) DO UPDATE SET subjects = digests.subjects || ? || excluded.subjects",
          {crypto::LookupKey(folded.recipient()), static_cast<int>(folded.channel()),
           absl::ToUnixMicros(window_end), crypto::SealText(folded.address(), "digests.address"),
           crypto::SealText(
               folded.subject().empty() ? folded.body().substr(0, 80) : folded.subject(),
               "digests.subjects"),
           crypto::SealText(folded.recipient(), "digests.recipient"), "\x1f"})
      .status();
}

absl::StatusOr<std::vector<Digest>> DueDigests(Session& s, absl::Time now) {
  std::vector<Digest> due;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT recipient, channel, window_end_us, address, subjects, recipient_sealed"
                   " FROM digests WHERE window_end_us <= ? ORDER BY window_end_us",
                   {absl::ToUnixMicros(now)}, [&](const Rows& r) -> absl::Status {
                     OMS_ASSIGN_OR_RETURN(Digest d, DigestFromRow(r));
                     due.push_back(std::move(d));
                     return absl::OkStatus();
                   }));
  return due;
}

absl::Status DeleteDigest(Session& s, const Digest& d) {
  return s
      .Exec("DELETE FROM digests WHERE recipient IN (?, ?) AND channel = ? AND window_end_us = ?",
            {crypto::LookupKey(d.recipient), d.recipient, static_cast<int>(d.channel),
             d.window_end_us})
      .status();
}

// ---- inbox

absl::Status AddInboxItem(Session& s, const v1::InboxItem& item) {
  return s
      .Exec(
          "INSERT INTO inbox(message_id, in_app_id, subject, body, read, created_us)"
          " VALUES(?, ?, ?, ?, 0, ?)",
          {item.message_id(), item.in_app_id(), crypto::SealText(item.subject(), "inbox.subject"),
           crypto::SealText(item.body(), "inbox.body"), ProtoMicros(item.created_at())})
      .status();
}

absl::StatusOr<std::vector<v1::InboxItem>> Inbox(Session& s, absl::string_view in_app_id,
                                                 bool unread_only, int limit) {
  return InboxQuery(s,
                    absl::StrCat("SELECT seq, message_id, in_app_id, subject, body, read,"
                                 " created_us FROM inbox WHERE in_app_id = ?",
                                 unread_only ? " AND read = 0" : "", " ORDER BY seq DESC LIMIT ?"),
                    {in_app_id, limit});
}

absl::StatusOr<std::vector<v1::InboxItem>> InboxAfter(Session& s, absl::string_view in_app_id,
                                                      int64_t after_seq) {
  return InboxQuery(s,
                    "SELECT seq, message_id, in_app_id, subject, body, read, created_us"
                    " FROM inbox WHERE in_app_id = ? AND seq > ? ORDER BY seq LIMIT 500",
                    {in_app_id, after_seq});
}

absl::StatusOr<int64_t> UnreadCount(Session& s, absl::string_view in_app_id) {
  int64_t n = 0;
  OMS_RETURN_IF_ERROR(s.ForEachRow("SELECT COUNT(*) FROM inbox WHERE in_app_id = ? AND read = 0",
                                   {in_app_id}, [&](const Rows& r) {
                                     n = r.Int(0);
                                     return absl::OkStatus();
                                   }));
  return n;
}

absl::StatusOr<int64_t> MarkRead(Session& s, absl::string_view in_app_id,
                                 const std::vector<std::string>& message_ids) {
  if (message_ids.empty()) {
    return s.Exec("UPDATE inbox SET read = 1 WHERE in_app_id = ? AND read = 0", {in_app_id});
  }
  int64_t marked = 0;
  for (const std::string& id : message_ids) {
    OMS_ASSIGN_OR_RETURN(int64_t n, s.Exec("UPDATE inbox SET read = 1 WHERE in_app_id = ?"
                                           " AND message_id = ? AND read = 0",
                                           {in_app_id, id}));
    marked += n;
  }
  return marked;
}

}  // namespace oms::notify::store
