#include "platform/events/feed_cursors.h"

namespace oms {

const std::vector<Migration>& FeedCursorMigrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE feed_cursors ("
      "  source TEXT PRIMARY KEY,"
      "  last_seq INTEGER NOT NULL)",
  };
  return *migrations;
}

}  // namespace oms
