#ifndef OMS_PLATFORM_BASE_BACKGROUND_H_
#define OMS_PLATFORM_BASE_BACKGROUND_H_

namespace oms {

// Work a service runs beside its RPCs (sweeps, feed consumers): started once the server is
// up, stopped after it has drained. Stop() returns when the work has finished.
class Background {
 public:
  virtual ~Background() = default;
  virtual void Start() = 0;
  virtual void Stop() = 0;
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_BACKGROUND_H_
