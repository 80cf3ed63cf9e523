// The documents list says who is editing which document right now ("Giulia and Jan are
// editing"), from the co-editing presence the server sends (docs/realtime.md, "Co-editing").
// The names come from the server; the sentence from the template's translated strings.
const list = document.querySelector("[data-doc-list]");
if (list && window.io) start(list);

function start(list) {
  const strings = JSON.parse(document.querySelector("[data-doc-list-strings]").textContent);
  const project = list.dataset.project;
  const names = new Intl.ListFormat(document.documentElement.lang || undefined, { type: "conjunction" });

  function render(docs) {
    list.querySelectorAll("[data-doc-id]").forEach((item) => {
      const people = docs[item.dataset.docId] || [];
      const unique = [...new Map(people.map((p) => [String(p.id), p.name])).values()];
      const out = item.querySelector("[data-doc-editing]");
      out.textContent = unique.length
        ? (unique.length === 1 ? strings.one : strings.many).replace("{names}", names.format(unique))
        : "";
      out.hidden = !unique.length;
    });
    list.dataset.presence = "live"; // for tests: the list has heard the server
  }

  // `doc_list_join` answers the current editors and joins the room of `doc_list_presence`.
  const socket = window.io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
  socket.on("connect", () => {
    socket.emit("doc_list_join", { project }, (ack) => { if (ack && ack.ok) render(ack.docs || {}); });
  });
  socket.on("doc_list_presence", (payload) => {
    if (payload && payload.project === project) render(payload.docs || {});
  });
}
