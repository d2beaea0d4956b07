#ifndef OMS_PLATFORM_STORAGE_WAL_WRITE_COALESCING_H_
#define OMS_PLATFORM_STORAGE_WAL_WRITE_COALESCING_H_

// A SQLite VFS that writes a transaction's WAL frames with one write(2) instead of two per
// page.
//
// SQLite appends each frame to the WAL as two writes: its 24-byte header, then the page. A
// commit that changes 30 pages makes 60 pwrite calls, which on a paravirtualised machine
// cost more CPU than the fsync that follows them (docs/BENCHMARKS.md). This VFS wraps the
// default one and, for WAL files only, keeps appended bytes in memory until the frame that
// ends a transaction (its header carries the database size) is complete, then writes them
// at once. So the frames of a commit reach the file before SQLite publishes them to readers
// (it updates the WAL index after writing the commit frame), in every synchronous mode; a
// write error is reported by the write call that ends the commit, and the commit fails as it
// would have. Every other file, and every other call on a WAL file, goes straight through
// (after writing what is held, where the call could see it: a read, a sync, a size, a
// truncation, a close).

struct sqlite3_vfs;

namespace oms {

// The VFS's registered name, to pass to sqlite3_open_v2. Registers it on first use, over the
// default VFS at that time; it never becomes the default itself. nullptr (the default VFS)
// when it could not be registered.
const char* WalCoalescingVfsName();

// Bytes held for one WAL before they are written without waiting for the commit frame (a
// large transaction, or one SQLite spills pages of while it runs). The unix VFS writes at
// most 128 KiB - 1 bytes per call (it masks larger sizes), so no write may be larger.
inline constexpr int kWalCoalescingLimitBytes = (128 << 10) - 1;

// Registers the wrapper over `inner` under `name` (tests count what reaches `inner`).
// Returns the registered VFS, or nullptr when registration failed.
sqlite3_vfs* RegisterWalCoalescingVfs(const char* name, sqlite3_vfs* inner);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_WAL_WRITE_COALESCING_H_
