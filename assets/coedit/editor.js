// CodeMirror 6 bound to the shared Y.Text: Markdown highlighting, wrapped lines, Yjs undo (only
// one's own edits), other people's cursors. Tab is not bound, so it leaves the editor as in any
// form (and Escape then Tab does too, CodeMirror's own rule).
//
// The editor lives in a shadow root: CodeMirror injects its styles with `<style>` elements in a
// document, which our CSP (style-src 'self') refuses, and with constructable style sheets in a
// shadow root, which it allows. So our own look for it is here too, as a theme.
import { defaultKeymap } from "@codemirror/commands";
import { markdownKeymap, markdownLanguage } from "@codemirror/lang-markdown";
import { HighlightStyle, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { drawSelection, EditorView, highlightSpecialChars, keymap } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import * as Y from "yjs";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import { cursorTheme, remoteCursors } from "./cursors.js";

const look = EditorView.theme({
  "&": {
    backgroundColor: "var(--card, #fff)",
    color: "var(--ink, #1c2430)",
    border: "1px solid #71717a",
    borderRadius: "4px",
    fontSize: ".9rem",
  },
  // the page's focus ring (custom properties reach into the shadow root)
  "&.cm-focused": {
    outline: "3px solid var(--focus, #1c2430)",
    outlineOffset: "2px",
    boxShadow: "0 0 0 2px var(--focus-halo, #f2c14e)",
  },
  ".cm-scroller": {
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    lineHeight: "1.45",
    minHeight: "24rem",
    maxHeight: "70vh",
    overflow: "auto",
  },
  ".cm-content": { padding: "1.4rem .6rem .8rem", minHeight: "24rem" },
  ".cm-content[aria-readonly=true]": { backgroundColor: "#f4f4f5" },
  ".cm-line": { padding: "0" },
  ".cm-cursor": { borderLeftWidth: "2px", borderLeftColor: "var(--ink, #1c2430)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "#bfdbfe" },
});

// Markdown in the page's colours (each at least 4.5:1 on white); the marks (#, *, [ ]) muted.
const markdownStyle = HighlightStyle.define([
  { tag: tags.heading, fontWeight: "bold", color: "#1d4e89" },
  { tag: tags.strong, fontWeight: "bold" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strikethrough, textDecoration: "line-through" },
  { tag: tags.link, color: "#1d4e89", textDecoration: "underline" },
  { tag: [tags.url, tags.processingInstruction, tags.meta, tags.contentSeparator], color: "#5b6675" },
  { tag: tags.monospace, color: "#7a2e0e" },
  { tag: tags.quote, fontStyle: "italic", color: "#3f4a57" },
]);

export function createEditor({ shadow, ytext, awareness, label, editable }) {
  const undoManager = new Y.UndoManager(ytext);
  const editing = new Compartment();
  const editableExtensions = (on) => [EditorView.editable.of(on), EditorState.readOnly.of(!on)];
  const view = new EditorView({
    root: shadow,
    parent: shadow,
    state: EditorState.create({
      doc: ytext.toString(),
      extensions: [
        highlightSpecialChars(),
        drawSelection(),
        EditorView.lineWrapping,
        // GFM Markdown without markdown()'s HTML-in-Markdown support, which would bring the
        // HTML, CSS and JavaScript parsers (two thirds of the bundle) for little use here.
        new LanguageSupport(markdownLanguage),
        Prec.high(keymap.of(markdownKeymap)),
        syntaxHighlighting(markdownStyle),
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
        yCollab(ytext, null, { undoManager }), // text sync and undo; cursors are ours (cursors.js)
        remoteCursors(awareness, ytext),
        cursorTheme,
        look,
        EditorView.contentAttributes.of({ "aria-label": label }),
        editing.of(editableExtensions(editable)),
      ],
    }),
  });
  return {
    view,
    setEditable(on) {
      view.dispatch({ effects: editing.reconfigure(editableExtensions(on)) });
    },
  };
}
