"""What the bench's protocol sinks share: a server on one asyncio loop, on a thread of its
own, counting the connections it accepted and the messages it received.

No thread per connection: Python's ThreadingHTTPServer, used before, capped a run near 50
requests/s (its threads queue for the GIL), which measured the sink instead of notify_svc's
courier. A subclass speaks its protocol in `_talk`, adding 1 to `received` per message.
"""
import asyncio
import threading


class LoopSink:
    def __init__(self, port=0):
        self.received = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", port))
        self.port = self._server.sockets[0].getsockname()[1]
        threading.Thread(target=self._loop.run_forever, daemon=True).start()

    async def _talk(self, reader, writer):
        raise NotImplementedError

    async def _serve(self, reader, writer):
        self.connections += 1
        try:
            await self._talk(reader, writer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass  # the client went away
        finally:
            writer.close()

    def close(self):
        self._loop.call_soon_threadsafe(self._server.close)
