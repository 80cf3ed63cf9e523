// Discussion: inline "Reply" (moves the reply form under the post). The @mention and Link
// pickers of its text areas live in pickers.js.
const replyBox = document.getElementById("reply-form");

function setupReplies() {
  if (!replyBox) return;
  const form = replyBox.querySelector("form");
  const parentInput = form.querySelector("input[name=parent_id]");
  const note = form.querySelector("[data-replying-to]");
  const noteText = form.querySelector("[data-replying-to-text]");
  const cancel = form.querySelector("[data-reply-cancel]");
  const home = document.createComment("reply-form-home");
  replyBox.before(home);
  const textarea = form.querySelector("textarea");

  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-reply-to]");
    if (!trigger) return;
    const post = document.getElementById(`post-${trigger.dataset.replyTo}`);
    if (!post) return;  // on another page: follow the link
    event.preventDefault();
    parentInput.value = trigger.dataset.replyTo;
    noteText.textContent = cancel.dataset.labelTemplate.replace("__NAME__", trigger.dataset.replyName || "");
    note.hidden = false;
    post.after(replyBox);
    replyBox.classList.add("is-inline");
    textarea.focus();
  });
  cancel.addEventListener("click", (event) => {
    event.preventDefault();
    parentInput.value = "";
    note.hidden = true;
    home.after(replyBox);
    replyBox.classList.remove("is-inline");
    textarea.focus();
  });
}

setupReplies();
