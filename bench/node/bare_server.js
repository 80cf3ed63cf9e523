// The Node baseline of bench/connections_bench.py: a bare socket.io 4 server, nothing else.
//
// No sign-in, no database, no validation: `join` enters the room named by `project` and acks
// {ok: true}, `message` is broadcast to that room and acked, `GET /healthz` answers {"ok":true}.
// Same protocol (Engine.IO v4 / Socket.IO v5) and the same events as our chat, so the same
// load generator drives both. Run: `node bench/node/bare_server.js PORT`.
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 5000);

const server = http.createServer((request, response) => {
  if (request.method === "GET" && request.url === "/healthz") {
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end('{"ok":true}');
    return;
  }
  response.writeHead(404);
  response.end();
});

const io = new Server(server, { transports: ["polling", "websocket"], cors: { origin: "*" } });

io.on("connection", (socket) => {
  socket.on("join", (payload, ack) => {
    socket.join(String(payload && payload.project));
    if (typeof ack === "function") ack({ ok: true, messages: [], presence: [] });
  });
  socket.on("message", (payload, ack) => {
    io.to(String(payload && payload.project)).emit("message", payload);
    if (typeof ack === "function") ack({ ok: true, message: payload });
  });
});

server.listen(port, "127.0.0.1");
