// Linked into the fuzzers that parse protobuf: invalid UTF-8 in string fields is expected
// input there, not news worth a log line per run.
#include "google/protobuf/stubs/logging.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}
