#ifndef OMS_PLATFORM_EVENTS_FEED_CURSORS_H_
#define OMS_PLATFORM_EVENTS_FEED_CURSORS_H_

// The table in which a service remembers how far it has applied each feed it follows
// (FeedConsumer reads and advances it in the same transaction as the applied events).

#include <vector>

#include "platform/storage/database.h"

namespace oms {

// Migrations of the "feed_cursors" component: one row per followed source.
const std::vector<Migration>& FeedCursorMigrations();

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_FEED_CURSORS_H_
