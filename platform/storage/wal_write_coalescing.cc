#include "platform/storage/wal_write_coalescing.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <string>

namespace oms {
namespace {

constexpr int kFrameHeaderBytes = 24;  // SQLite's WAL_FRAME_HDRSIZE

// What SQLite allocates for each open file: our state, then the inner VFS's file.
struct CoalescingFile {
  sqlite3_file base;  // first, so SQLite's pointer is ours; base.pMethods is kMethods
  sqlite3_file* inner;
  bool coalesce;  // a WAL file whose frames need no padding (see Open)
  std::string held;
  sqlite3_int64 held_at;
  // The page write that completes a commit frame starts here; -1 when none is expected.
  sqlite3_int64 commit_page_at;
  // Where the previous call read, when it was a read; -1 otherwise. SQLite rewrites a frame
  // header in place (new checksums) right after reading that frame.
  sqlite3_int64 read_at;
};

CoalescingFile* Of(sqlite3_file* file) { return reinterpret_cast<CoalescingFile*>(file); }
sqlite3_vfs* Inner(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int WriteHeld(CoalescingFile* f) {
  if (f->held.empty()) return SQLITE_OK;
  int rc = f->inner->pMethods->xWrite(f->inner, f->held.data(), static_cast<int>(f->held.size()),
                                      f->held_at);
  f->held.clear();
  return rc;
}

// Writes what is held before a call that could observe the file, and forgets the last read.
int Settle(CoalescingFile* f) {
  f->read_at = -1;
  return WriteHeld(f);
}

uint32_t CommitMark(const void* header) {  // the frame's "database size after commit"
  const auto* b = static_cast<const unsigned char*>(header);
  return (uint32_t{b[4]} << 24) | (uint32_t{b[5]} << 16) | (uint32_t{b[6]} << 8) | b[7];
}

int Close(sqlite3_file* file) {
  CoalescingFile* f = Of(file);
  int held_rc = Settle(f);
  int rc = f->inner->pMethods->xClose(f->inner);
  f->held.~basic_string();
  return held_rc != SQLITE_OK ? held_rc : rc;
}

int Read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  CoalescingFile* f = Of(file);
  if (int rc = WriteHeld(f); rc != SQLITE_OK) return rc;
  f->read_at = offset;
  return f->inner->pMethods->xRead(f->inner, data, amount, offset);
}

// Holds an appended or overwritten range of the bytes held; anything else first writes what
// is held. A rewritten header (right after SQLite read its frame) and an outsized write go
// straight through.
int Place(CoalescingFile* f, const void* data, int amount, sqlite3_int64 offset,
          bool rewrites_read_frame) {
  const sqlite3_int64 held_end = f->held_at + static_cast<sqlite3_int64>(f->held.size());
  if (!rewrites_read_frame && !f->held.empty() && offset >= f->held_at && offset <= held_end &&
      offset + amount - f->held_at <= kWalCoalescingLimitBytes) {
    const size_t at = static_cast<size_t>(offset - f->held_at);
    if (at + amount > f->held.size()) f->held.resize(at + amount);
    std::memcpy(&f->held[at], data, amount);
    return SQLITE_OK;
  }
  if (int rc = WriteHeld(f); rc != SQLITE_OK) return rc;
  if (rewrites_read_frame || amount > kWalCoalescingLimitBytes) {
    return f->inner->pMethods->xWrite(f->inner, data, amount, offset);
  }
  f->held.assign(static_cast<const char*>(data), amount);
  f->held_at = offset;
  return SQLITE_OK;
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  CoalescingFile* f = Of(file);
  const bool rewrites_read_frame = offset == f->read_at;
  f->read_at = -1;
  if (!f->coalesce) return f->inner->pMethods->xWrite(f->inner, data, amount, offset);
  if (int rc = Place(f, data, amount, offset, rewrites_read_frame); rc != SQLITE_OK) return rc;
  if (amount == kFrameHeaderBytes) {
    f->commit_page_at = CommitMark(data) != 0 ? offset + amount : -1;
  } else if (offset == f->commit_page_at) {
    // The commit frame is whole: SQLite publishes it to readers next.
    f->commit_page_at = -1;
    return WriteHeld(f);
  }
  return f->held.size() >= kWalCoalescingLimitBytes ? WriteHeld(f) : SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  CoalescingFile* f = Of(file);
  if (int rc = Settle(f); rc != SQLITE_OK) return rc;
  return f->inner->pMethods->xTruncate(f->inner, size);
}

int Sync(sqlite3_file* file, int flags) {
  CoalescingFile* f = Of(file);
  if (int rc = Settle(f); rc != SQLITE_OK) return rc;
  return f->inner->pMethods->xSync(f->inner, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  CoalescingFile* f = Of(file);
  if (int rc = Settle(f); rc != SQLITE_OK) return rc;
  return f->inner->pMethods->xFileSize(f->inner, size);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  CoalescingFile* f = Of(file);
  if (int rc = Settle(f); rc != SQLITE_OK) return rc;
  return f->inner->pMethods->xFileControl(f->inner, op, arg);
}

// The rest go straight through: locks and shared memory are the main database file's, which
// holds nothing back; SQLite never locks or maps a WAL file.
int Lock(sqlite3_file* f, int level) { return Of(f)->inner->pMethods->xLock(Of(f)->inner, level); }
int Unlock(sqlite3_file* f, int level) {
  return Of(f)->inner->pMethods->xUnlock(Of(f)->inner, level);
}
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Of(f)->inner->pMethods->xCheckReservedLock(Of(f)->inner, out);
}
int SectorSize(sqlite3_file* f) { return Of(f)->inner->pMethods->xSectorSize(Of(f)->inner); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Of(f)->inner->pMethods->xDeviceCharacteristics(Of(f)->inner);
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Of(f)->inner->pMethods->xShmMap(Of(f)->inner, region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Of(f)->inner->pMethods->xShmLock(Of(f)->inner, offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Of(f)->inner->pMethods->xShmBarrier(Of(f)->inner); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Of(f)->inner->pMethods->xShmUnmap(Of(f)->inner, delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return Of(f)->inner->pMethods->xFetch(Of(f)->inner, offset, amount, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return Of(f)->inner->pMethods->xUnfetch(Of(f)->inner, offset, page);
}

// Version 3 methods; a file whose inner methods are older gets a copy of this with its
// version (SQLite then never calls the newer entries).
constexpr sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};
const sqlite3_io_methods* MethodsOfVersion(int version) {
  static const sqlite3_io_methods* const kByVersion[] = {
      [] {
        static sqlite3_io_methods m = kMethods;
        m.iVersion = 1;
        return &m;
      }(),
      [] {
        static sqlite3_io_methods m = kMethods;
        m.iVersion = 2;
        return &m;
      }(),
      &kMethods,
  };
  return kByVersion[version < 1 ? 0 : version > 3 ? 2 : version - 1];
}

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  CoalescingFile* f = Of(file);
  f->inner = reinterpret_cast<sqlite3_file*>(f + 1);
  int rc = Inner(vfs)->xOpen(Inner(vfs), name, f->inner, flags, out_flags);
  if (rc != SQLITE_OK || f->inner->pMethods == nullptr) {
    f->base.pMethods = nullptr;  // SQLite does not close a file whose open failed
    return rc;
  }
  new (&f->held) std::string();
  f->held_at = 0;
  f->commit_page_at = -1;
  f->read_at = -1;
  // Without power-safe overwrite SQLite pads a commit to a sector boundary and writes part of
  // its last frame after the sync; such a WAL is left as it is.
  f->coalesce =
      (flags & SQLITE_OPEN_WAL) != 0 && (f->inner->pMethods->xDeviceCharacteristics(f->inner) &
                                         SQLITE_IOCAP_POWERSAFE_OVERWRITE) != 0;
  f->base.pMethods = MethodsOfVersion(f->inner->pMethods->iVersion);
  return SQLITE_OK;
}

// The VFS's other entries are the inner VFS's.
int Delete(sqlite3_vfs* v, const char* name, int sync) {
  return Inner(v)->xDelete(Inner(v), name, sync);
}
int Access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return Inner(v)->xAccess(Inner(v), name, flags, out);
}
int FullPathname(sqlite3_vfs* v, const char* name, int size, char* out) {
  return Inner(v)->xFullPathname(Inner(v), name, size, out);
}
void* DlOpen(sqlite3_vfs* v, const char* name) { return Inner(v)->xDlOpen(Inner(v), name); }
void DlError(sqlite3_vfs* v, int size, char* out) { Inner(v)->xDlError(Inner(v), size, out); }
void (*DlSym(sqlite3_vfs* v, void* handle, const char* symbol))(void) {
  return Inner(v)->xDlSym(Inner(v), handle, symbol);
}
void DlClose(sqlite3_vfs* v, void* handle) { Inner(v)->xDlClose(Inner(v), handle); }
int Randomness(sqlite3_vfs* v, int size, char* out) {
  return Inner(v)->xRandomness(Inner(v), size, out);
}
int Sleep(sqlite3_vfs* v, int micros) { return Inner(v)->xSleep(Inner(v), micros); }
int CurrentTime(sqlite3_vfs* v, double* out) { return Inner(v)->xCurrentTime(Inner(v), out); }
int GetLastError(sqlite3_vfs* v, int size, char* out) {
  return Inner(v)->xGetLastError(Inner(v), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* out) {
  return Inner(v)->xCurrentTimeInt64(Inner(v), out);
}

}  // namespace

sqlite3_vfs* RegisterWalCoalescingVfs(const char* name, sqlite3_vfs* inner) {
  if (inner == nullptr) return nullptr;
  auto* vfs = new sqlite3_vfs{};  // lives as long as the process: SQLite keeps the pointer
  vfs->iVersion = 2;
  vfs->szOsFile = static_cast<int>(sizeof(CoalescingFile)) + inner->szOsFile;
  vfs->mxPathname = inner->mxPathname;
  vfs->zName = name;
  vfs->pAppData = inner;
  vfs->xOpen = Open;
  vfs->xDelete = Delete;
  vfs->xAccess = Access;
  vfs->xFullPathname = FullPathname;
  vfs->xDlOpen = DlOpen;
  vfs->xDlError = DlError;
  vfs->xDlSym = DlSym;
  vfs->xDlClose = DlClose;
  vfs->xRandomness = Randomness;
  vfs->xSleep = Sleep;
  vfs->xCurrentTime = CurrentTime;
  vfs->xGetLastError = GetLastError;
  vfs->xCurrentTimeInt64 = inner->iVersion >= 2 ? CurrentTimeInt64 : nullptr;
  if (sqlite3_vfs_register(vfs, /*makeDflt=*/0) != SQLITE_OK) {
    delete vfs;
    return nullptr;
  }
  return vfs;
}

const char* WalCoalescingVfsName() {
  static const char* const name = [] {
    static constexpr char kName[] = "oms-wal-coalescing";
    // Not registered (out of memory at start): the default VFS serves, uncoalesced.
    return RegisterWalCoalescingVfs(kName, sqlite3_vfs_find(nullptr)) != nullptr ? kName : nullptr;
  }();
  return name;
}

}  // namespace oms
