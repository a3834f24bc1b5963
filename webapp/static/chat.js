// Chat widget: sends the form to /api/chat and appends the answer to the transcript.
// No third-party code; works as a plain form post when this script does not run.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  if (!form || !window.fetch) { return; }
  var root = form.closest(".chat");
  var input = document.getElementById("message");
  var log = document.getElementById("transcript");
  var status = document.getElementById("chat-status");
  var button = form.querySelector("button");
  var key = "lovebali-chat-session";
  var session = null;
  try { session = window.sessionStorage.getItem(key); } catch (e) { session = null; }
  if (!session) {
    session = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID()
      : String(Date.now()) + "-" + String(Math.random()).slice(2);
    try { window.sessionStorage.setItem(key, session); } catch (e) { /* private mode */ }
  }
  document.getElementById("session-id").value = session;

  function add(kind, text, lang, handoff, contact) {
    var p = document.createElement("p");
    p.className = "msg " + kind + (handoff ? " handoff" : "");
    if (lang) { p.lang = lang; }
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = kind === "user" ? root.dataset.you : root.dataset.bot;
    p.appendChild(who);
    p.appendChild(document.createTextNode(text));
    if (handoff) {
      p.appendChild(document.createElement("br"));
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = root.dataset.officer;
      p.appendChild(badge);
    }
    if (contact && /^https:\/\//.test(contact)) {
      var link = document.createElement("a");
      link.className = "contact";
      link.href = contact;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      link.textContent = root.dataset.contact;
      p.appendChild(document.createElement("br"));
      p.appendChild(link);
    }
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
    return p;
  }

  function suggest(choices, lang) {
    if (!choices || !choices.length) { return; }
    var group = document.createElement("div");
    group.className = "suggest";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", root.dataset.suggest);
    var title = document.createElement("p");
    title.textContent = root.dataset.suggest;
    group.appendChild(title);
    choices.forEach(function (choice) {
      var b = document.createElement("button");
      b.type = "button";
      b.lang = lang;
      b.textContent = choice.question;
      b.addEventListener("click", function () { send(choice.question); });
      group.appendChild(b);
    });
    log.appendChild(group);
    log.scrollTop = log.scrollHeight;
  }

  function send(message) {
    if (!message || message.length > 1000) { status.textContent = root.dataset.error; return; }
    status.textContent = "";
    add("user", message, null, false);
    input.value = "";
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    fetch("/api/chat", {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({message: message, session_id: session}),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      if (!result.ok) { throw new Error((result.body.error || {}).message || "error"); }
      add("bot", result.body.answer, result.body.language, result.body.handoff,
          result.body.contact_url);
      suggest(result.body.suggestions, result.body.language);
    }).catch(function () {
      status.textContent = root.dataset.failed;
    }).finally(function () {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      input.focus();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value.trim());
  });
})();
