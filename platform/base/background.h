#ifndef OMS_PLATFORM_BASE_BACKGROUND_H_
#define OMS_PLATFORM_BASE_BACKGROUND_H_

#include <string>

namespace oms {

// Work a service runs beside its RPCs (sweeps, feed consumers): started once the server is
// up, stopped after it has drained. Stop() returns when the work has finished; Start() may
// follow again (a replica that loses its lease stops the work and may take it up later).
class Background {
 public:
  virtual ~Background() = default;
  virtual void Start() = 0;
  virtual void Stop() = 0;
  // Names the work in logs and, across replicas, the lease it runs under ("workflows",
  // "feed:order_svc"): stable across versions.
  virtual std::string name() const = 0;
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_BACKGROUND_H_
