"""An SMTP receiver for the bench scripts: accepts every message and counts messages and
connections.

One asyncio loop on a thread of its own, like webhook_sink.py, so that the sink keeps up
with notify_svc's courier and the figures measure the courier, not the sink.
"""
import asyncio
import threading


class SmtpSink:
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
            writer.write(b"220 bench-sink ESMTP\r\n")
            while True:
                line = await reader.readuntil(b"\r\n")
                verb = line[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-bench-sink\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    await writer.drain()
                    await reader.readuntil(b"\r\n.\r\n")
                    self.received += 1
                    writer.write(b"250 OK queued\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    break
                else:
                    writer.write(b"250 OK\r\n")  # HELO, MAIL, RCPT, RSET, NOOP
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    def close(self):
        self._loop.call_soon_threadsafe(self._server.close)
