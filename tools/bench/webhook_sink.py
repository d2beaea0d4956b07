"""A webhook receiver for the bench scripts: answers every POST 200 and counts them
(keep-alive; one asyncio loop, see loop_sink.py)."""
from loop_sink import LoopSink


class WebhookSink(LoopSink):
    async def _talk(self, reader, writer):
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
