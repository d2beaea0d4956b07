"""An SMTP receiver for the bench scripts: accepts every message and counts messages and
connections (one asyncio loop, see loop_sink.py), so that the figures measure notify_svc's
courier, not the sink."""
from loop_sink import LoopSink


class SmtpSink(LoopSink):
    async def _talk(self, reader, writer):
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
                return
            else:
                writer.write(b"250 OK\r\n")  # HELO, MAIL, RCPT, RSET, NOOP
            await writer.drain()
