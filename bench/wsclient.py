"""A minimal asyncio WebSocket client for the chat load generator (RFC 6455, text frames).

With 200 receivers, a step of 150 messages/s is 30,000 frames a second into one Python process;
a general-purpose client spends tens of microseconds on each, and the load generator ran out of
CPU before the servers it measures. This one parses every frame of a TCP read in one loop and
hands each text straight to a callback. Enough for Engine.IO over a local socket and nothing
more: no extensions, no fragmented sends, a zero masking key (the mask is required, its
unpredictability protects proxies, and there are none here).
"""
import asyncio
import base64
import os
from urllib.parse import urlsplit

OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
ZERO_MASK = b"\0\0\0\0"


def client_frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked frame (a zero key leaves the payload as it is)."""
    length = len(payload)
    if length < 126:
        head = bytes((0x80 | opcode, 0x80 | length))
    elif length < 1 << 16:
        head = bytes((0x80 | opcode, 0x80 | 126)) + length.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + length.to_bytes(8, "big")
    return head + ZERO_MASK + payload


class RawWebSocket(asyncio.Protocol):
    """`await connect(url, headers)`, then `send(text)`; texts arrive at `on_text(str)`."""

    def __init__(self, on_text, on_close=None):
        self.on_text, self.on_close = on_text, on_close
        self.buffer = bytearray()
        self.fragments: list[bytes] | None = None
        self.transport = None
        self.opened: asyncio.Future | None = None
        self.closed = False

    async def connect(self, url: str, headers: dict | None = None, timeout: float = 30) -> None:
        parts = urlsplit(url)
        loop = asyncio.get_running_loop()
        self.opened = loop.create_future()
        await asyncio.wait_for(loop.create_connection(lambda: self, parts.hostname, parts.port),
                               timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {parts.path}?{parts.query} HTTP/1.1", f"Host: {parts.netloc}",
                 "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await asyncio.wait_for(self.opened, timeout)

    def send(self, text: str) -> None:
        if not self.closed:
            self.transport.write(client_frame(OP_TEXT, text.encode()))

    def close(self) -> None:
        if not self.closed:
            self.transport.write(client_frame(OP_CLOSE, b"\x03\xe8"))
            self.transport.close()
            self.closed = True

    # --- asyncio.Protocol -------------------------------------------------------------------

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        self.closed = True
        if self.opened and not self.opened.done():
            self.opened.set_exception(ConnectionError("closed during the handshake"))
        if self.on_close:
            self.on_close()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.opened.done():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[:self.buffer.find(b"\r\n")])
            del self.buffer[:end + 4]
            if status.split(b" ")[1:2] != [b"101"]:
                self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                self.transport.close()
                return
            self.opened.set_result(None)
        self._read_frames()

    def _read_frames(self) -> None:
        buffer, pos, size = self.buffer, 0, len(self.buffer)
        while size - pos >= 2:
            first, second = buffer[pos], buffer[pos + 1]
            length, head = second & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, head = int.from_bytes(buffer[pos + 2:pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, head = int.from_bytes(buffer[pos + 2:pos + 10], "big"), 10
            if second & 0x80:
                raise ConnectionError("a server frame must not be masked")
            if size - pos < head + length:
                break
            payload = bytes(buffer[pos + head:pos + head + length])
            pos += head + length
            self._frame(first & 0x80, first & 0x0F, payload)
        del buffer[:pos]

    def _frame(self, final: int, opcode: int, payload: bytes) -> None:
        if opcode in (OP_TEXT, OP_BINARY):
            if final:
                self.on_text(payload.decode())
            else:
                self.fragments = [payload]
        elif opcode == OP_CONTINUATION and self.fragments is not None:
            self.fragments.append(payload)
            if final:
                text, self.fragments = b"".join(self.fragments).decode(), None
                self.on_text(text)
        elif opcode == OP_PING:
            self.transport.write(client_frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            self.close()
