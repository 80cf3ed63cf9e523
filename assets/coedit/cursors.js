// Other people's cursors and selections, with their names, in their colours. The same awareness
// fields as y-codemirror.next's yRemoteSelections (`cursor: {anchor, head}` as Yjs relative
// positions, `user: {name, color}`), drawn without `style` attributes, which our Content
// Security Policy refuses: colours go through the CSSOM (element.style, style.cssText).
import { Annotation, RangeSet } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, WidgetType } from "@codemirror/view";
import * as Y from "yjs";

const redraw = Annotation.define();
const FALLBACK_COLOR = "#52525b";

// Colours come from other browsers: only a plain #rrggbb is used as one.
export function safeColor(value) {
  return typeof value === "string" && /^#[0-9a-f]{6}$/i.test(value) ? value : FALLBACK_COLOR;
}

function userOf(state) {
  const user = (state && state.user) || {};
  return { name: typeof user.name === "string" ? user.name.slice(0, 80) : "?", color: safeColor(user.color) };
}

class CaretWidget extends WidgetType {
  constructor(color, name) {
    super();
    this.color = color;
    this.name = name;
  }

  toDOM() {
    const caret = document.createElement("span");
    caret.className = "cm-coedit-caret";
    caret.setAttribute("aria-hidden", "true"); // who is where is said in the list of editors
    caret.style.borderColor = this.color;
    caret.append("\u2060");
    const label = document.createElement("span");
    label.className = "cm-coedit-name";
    label.style.backgroundColor = this.color;
    label.textContent = this.name;
    caret.append(label, "\u2060");
    return caret;
  }

  eq(other) {
    return other.color === this.color && other.name === this.name;
  }

  get estimatedHeight() { return -1; }

  ignoreEvent() { return true; }
}

function tint(color) {
  return { style: `background-color: ${color}33` }; // set through style.cssText by CodeMirror
}

// A name label that would be cut off at the editor's right edge (a cursor at the end of a
// long line, on a phone) hangs to the left of its caret instead.
function measureNames(view) {
  const edge = view.scrollDOM.getBoundingClientRect().right;
  return [...view.contentDOM.querySelectorAll(".cm-coedit-name")].map((label) => {
    const caret = label.parentElement.getBoundingClientRect();
    return [label, caret.left + label.offsetWidth > edge - 4];
  });
}

function flipNames(labels) {
  labels.forEach(([label, flip]) => label.classList.toggle("cm-coedit-name-left", flip));
}

export function remoteCursors(awareness, ytext) {
  return ViewPlugin.fromClass(class {
    constructor(view) {
      this.decorations = RangeSet.of([]);
      this.listener = ({ added, updated, removed }) => {
        const others = added.concat(updated, removed).some((id) => id !== awareness.clientID);
        if (others) view.dispatch({ annotations: [redraw.of(true)] });
      };
      awareness.on("change", this.listener);
    }

    destroy() {
      awareness.off("change", this.listener);
    }

    update(update) {
      this.publishOwn(update);
      this.decorations = this.draw(update.view);
      update.view.requestMeasure({ key: this, read: measureNames, write: flipNames });
    }

    // Our own cursor, as relative positions that survive everyone's edits.
    publishOwn(update) {
      const local = awareness.getLocalState();
      if (local == null) return;
      const hasFocus = update.view.hasFocus && document.hasFocus();
      if (!hasFocus) return;
      const sel = update.state.selection.main;
      const anchor = Y.createRelativePositionFromTypeIndex(ytext, sel.anchor);
      const head = Y.createRelativePositionFromTypeIndex(ytext, sel.head);
      const current = local.cursor;
      if (current && Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.anchor), anchor)
          && Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.head), head)) return;
      awareness.setLocalStateField("cursor", { anchor, head });
    }

    draw(view) {
      const decorations = [];
      const doc = view.state.doc;
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === awareness.clientID || !state || !state.cursor) return;
        const { anchor: a, head: h } = state.cursor;
        if (a == null || h == null) return;
        let anchor, head;
        try {
          anchor = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(a), ytext.doc);
          head = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(h), ytext.doc);
        } catch {
          return; // a malformed position from another browser: skip it
        }
        if (!anchor || !head || anchor.type !== ytext || head.type !== ytext) return;
        const { name, color } = userOf(state);
        const from = Math.min(anchor.index, head.index, doc.length);
        const to = Math.min(Math.max(anchor.index, head.index), doc.length);
        if (from < to) {
          decorations.push(Decoration.mark({ class: "cm-coedit-selection", attributes: tint(color) }).range(from, to));
        }
        const at = Math.min(head.index, doc.length);
        decorations.push(Decoration.widget({
          side: head.index > anchor.index ? -1 : 1,
          widget: new CaretWidget(color, name),
        }).range(at));
      });
      return Decoration.set(decorations, true);
    }
  }, { decorations: (plugin) => plugin.decorations });
}

export const cursorTheme = EditorView.baseTheme({
  ".cm-coedit-caret": {
    position: "relative",
    borderLeft: "2px solid",
    marginLeft: "-1px",
    marginRight: "-1px",
  },
  ".cm-coedit-name": {
    position: "absolute",
    bottom: "100%",
    left: "-2px",
    padding: "0 .3em",
    borderRadius: "3px 3px 3px 0",
    color: "#fff",
    fontSize: ".75rem",
    fontFamily: "system-ui, sans-serif",
    fontWeight: "600",
    lineHeight: "1.3",
    whiteSpace: "nowrap",
    userSelect: "none",
    pointerEvents: "none",
    zIndex: "5",
  },
  ".cm-coedit-name.cm-coedit-name-left": { left: "auto", right: "-2px", borderRadius: "3px 3px 0 3px" },
});
