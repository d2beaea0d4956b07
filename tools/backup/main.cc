// Online snapshots of the suite's SQLite stores, for `./oms backup` and `./oms restore`.
//   backup --from=var --to=backups/2026-11-23   copies every *.db, as of one instant, while
//                                               the services run
//   backup --check=backups/2026-11-23           integrity check of every *.db in a snapshot
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "platform/storage/sqlite_backup.h"

ABSL_FLAG(std::string, from, "", "directory holding the live stores (<service>.db)");
ABSL_FLAG(std::string, to, "", "directory to write the snapshot into (created if missing)");
ABSL_FLAG(std::string, check, "", "directory of a snapshot to verify instead");

namespace fs = std::filesystem;

std::vector<fs::path> Stores(const std::string& dir) {
  std::vector<fs::path> stores;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".db")
      stores.push_back(entry.path());
  }
  return stores;
}

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string check = absl::GetFlag(FLAGS_check);
  const std::string from = absl::GetFlag(FLAGS_from), to = absl::GetFlag(FLAGS_to);
  std::error_code error;
  if (!check.empty()) {
    std::vector<fs::path> stores = Stores(check);
    if (stores.empty()) {
      std::cerr << "backup: no stores (*.db) in " << check << "\n";
      return 1;
    }
    int bad = 0;
    for (const fs::path& store : stores) {
      absl::Status status = oms::CheckDatabase(store.string());
      std::cout << store.filename().string() << ": " << (status.ok() ? "ok" : status.ToString())
                << "\n";
      bad += status.ok() ? 0 : 1;
    }
    return bad == 0 ? 0 : 1;
  }
  if (from.empty() || to.empty()) {
    std::cerr << "usage: backup --from=DIR --to=DIR | backup --check=DIR\n";
    return 2;
  }
  if (!fs::is_directory(from, error)) {
    std::cerr << "backup: " << from << " is not a directory\n";
    return 1;
  }
  fs::create_directories(to, error);
  std::vector<fs::path> stores = Stores(from);
  if (stores.empty()) {
    std::cerr << "backup: no stores (*.db) in " << from << "\n";
    return 1;
  }
  // Every store at one instant (platform/storage/sqlite_backup.h), so the copies agree.
  std::vector<std::string> sources, destinations;
  for (const fs::path& store : stores) {
    sources.push_back(store.string());
    destinations.push_back((fs::path(to) / store.filename()).string());
  }
  int failed = 0;
  if (absl::Status status = oms::BackupDatabasesAtOneCut(sources, destinations); !status.ok()) {
    std::cerr << "backup: " << status << "\n";
    ++failed;
  } else {
    for (const std::string& destination : destinations) {
      std::cout << fs::path(destination).filename().string() << ": " << fs::file_size(destination)
                << " bytes\n";
    }
  }
  return failed == 0 ? 0 : 1;
}
