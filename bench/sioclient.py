"""A minimal asyncio Socket.IO client (protocol v5 / Engine.IO v4) for the load generators.

It speaks just what the chat benchmarks need over bench/wsclient.py's WebSocket: open the
default namespace, emit events with or without an ack, answer pings, and hand each raw
`message` event to a callback (parsing is left to the caller, after the measured step), so a
generator stays cheaper than the servers it drives.
"""
import asyncio
import json
import time

from bench.wsclient import RawWebSocket


class BenchClient:
    #: when any client last received any event (to wait for the presence storm of the joins)
    last_event = 0.0

    def __init__(self, base_url: str, cookie: str | None, on_message=None):
        self.url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.cookie = cookie
        self.on_message = on_message  # called with the raw Engine.IO text of each `message`
        self.acks: dict[int, asyncio.Future] = {}
        self.next_ack = 0

    async def connect(self, timeout: float = 30) -> None:
        loop = asyncio.get_running_loop()
        self.opened, self.joined = loop.create_future(), loop.create_future()
        self.ws = RawWebSocket(self._on_text)
        await self.ws.connect(self.url, {"Cookie": self.cookie} if self.cookie else None, timeout)
        await asyncio.wait_for(self.opened, timeout)
        self.ws.send("40")
        await asyncio.wait_for(self.joined, timeout)

    def _on_text(self, raw: str) -> None:
        if raw.startswith("42"):
            BenchClient.last_event = time.perf_counter()
            if self.on_message and raw.startswith('42["message"'):
                self.on_message(raw)
        elif raw == "2":
            self.ws.send("3")
        elif raw.startswith("43"):
            end = 2
            while raw[end].isdigit():
                end += 1
            future = self.acks.pop(int(raw[2:end]), None)
            if future and not future.done():
                future.set_result(json.loads(raw[end:])[0])
        elif raw.startswith("40"):
            self.joined.set_result(None)
        elif raw.startswith("44"):
            self.joined.set_exception(ConnectionError(f"namespace refused: {raw}"))
        elif raw.startswith("0"):
            self.opened.set_result(None)

    async def call(self, event: str, data: dict, timeout: float = 30) -> dict:
        self.next_ack += 1
        future = asyncio.get_running_loop().create_future()
        self.acks[self.next_ack] = future
        self.ws.send(f"42{self.next_ack}" + json.dumps([event, data]))
        return await asyncio.wait_for(future, timeout)

    async def emit(self, event: str, data: dict) -> None:
        self.ws.send("42" + json.dumps([event, data]))

    async def close(self) -> None:
        self.ws.close()
