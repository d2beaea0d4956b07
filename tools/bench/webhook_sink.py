"""A webhook receiver for the bench scripts: answers every POST 200 and counts them.

One asyncio loop on a thread of its own, keep-alive, no thread per connection: Python's
ThreadingHTTPServer, used before, capped a run near 50 requests/s (its threads queue for the
GIL), which measured the sink instead of notify_svc's courier.
"""
import asyncio
import threading


class WebhookSink:
    def __init__(self, port=0):
        self.received = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", port))
        self.port = self._server.sockets[0].getsockname()[1]
        threading.Thread(target=self._loop.run_forever, daemon=True).start()

    async def _serve(self, reader, writer):
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                self.received += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def close(self):
        self._loop.call_soon_threadsafe(self._server.close)
