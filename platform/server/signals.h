#ifndef OMS_PLATFORM_SERVER_SIGNALS_H_
#define OMS_PLATFORM_SERVER_SIGNALS_H_

namespace oms {

// Graceful shutdown without signal handlers: block SIGTERM/SIGINT in every thread (call
// first thing in main, before any thread starts, so all threads inherit the mask), then one
// thread waits for them synchronously. Nothing runs in signal context, so shutdown code may
// lock, log and allocate freely.
void BlockTerminationSignals();

// Blocks until SIGTERM or SIGINT arrives; answers the signal number.
int WaitForTerminationSignal();

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_SIGNALS_H_
