// Phối hợp: the little script every signed-in page runs.
// The idle-timeout warning: 60 s before the session ends a box counts down; "stay
// signed in" extends the session without reloading (nothing typed is lost). At zero
// the page first asks whether another tab kept the session alive; if not, it saves
// what was typed in this tab's forms and goes to the sign-in page, which brings the
// person back here, where the text is put back.
(function () {
  "use strict";
  var body = document.body;

  document.addEventListener("click", function (e) {
    var back = e.target.closest && e.target.closest("[data-back]");
    if (back && history.length > 1) { e.preventDefault(); history.back(); }
  });

  // Tables of repeated rows (templates/field_inputs.html): the form shows a few empty
  // rows and posts without this; here "add a row" copies the last row, empty, with the
  // next row number in its cells' names (name.row.column) and ids, up to the table's
  // maximum (data-rows-max).
  Array.prototype.forEach.call(document.querySelectorAll("table[data-rows-max]"), function (table) {
    var add = table.closest("fieldset") && table.closest("fieldset").querySelector("[data-add-row]");
    var tbody = table.tBodies[0];
    if (!add || !tbody) return;
    var max = Number(table.dataset.rowsMax);
    function fits() { add.hidden = tbody.rows.length >= max; }
    add.addEventListener("click", function () {
      var last = tbody.rows[tbody.rows.length - 1];
      if (!last || tbody.rows.length >= max) return;
      var from = tbody.rows.length - 1, to = tbody.rows.length;
      var row = last.cloneNode(true);
      Array.prototype.forEach.call(row.querySelectorAll("input, select, textarea"), function (el) {
        el.name = el.name.replace("." + from + ".", "." + to + ".");
        el.id = el.id.replace("-" + from + "-", "-" + to + "-");
        el.removeAttribute("aria-invalid");
        if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = "";
      });
      Array.prototype.forEach.call(row.querySelectorAll(".field-error"), function (p) { p.remove(); });
      tbody.appendChild(row);
      fits();
      var first = row.querySelector("input, select, textarea");
      if (first) first.focus();
    });
    fits();
  });

  var draftKey = "phoihop-draft:" + location.pathname + location.search;
  restoreDrafts();

  var idleSecs = Number(body.dataset.idleSecs || 0);
  if (!idleSecs) return;
  var warning = document.getElementById("idle-warning");
  var countdown = document.getElementById("idle-countdown");
  var stay = document.getElementById("stay-signed-in");
  var deadline = Date.now() + Number(body.dataset.remainingMs || 0);
  var leaving = false;

  function secondsLeft() { return Math.ceil((deadline - Date.now()) / 1000); }

  function tick() {
    if (leaving) return;
    var left = secondsLeft();
    if (left <= 60) {
      if (warning.hidden) { warning.hidden = false; stay.focus(); }
      countdown.textContent = String(Math.max(left, 0));
    } else if (!warning.hidden) {
      warning.hidden = true;
    }
    if (left <= 0) { checkThenLeave(); return; }
    setTimeout(tick, 250);
  }

  stay.addEventListener("click", function () {
    fetch("/session/keepalive", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": body.dataset.csrf }
    }).then(function (r) {
      if (!r.ok) { leave(); return; }
      return r.json().then(function (s) {
        deadline = Date.now() + s.remaining_ms;
        warning.hidden = true;
      });
    }).catch(function () { /* offline: keep counting; the next try may work */ });
  });

  // Any request this page makes through htmx is activity too.
  document.addEventListener("htmx:afterRequest", function () {
    deadline = Date.now() + idleSecs * 1000;
  });

  function checkThenLeave() {
    fetch("/session/status", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.alive && s.remaining_ms > 0) {
          deadline = Date.now() + s.remaining_ms;
          setTimeout(tick, 250);
        } else {
          leave();
        }
      })
      .catch(leave);
  }

  function leave() {
    if (leaving) return;
    leaving = true;
    saveDrafts();
    location.href = "/login?reason=idle&next=" + encodeURIComponent(location.pathname + location.search);
  }

  function saveDrafts() {
    var values = {};
    var fields = document.querySelectorAll("main input, main textarea, main select");
    Array.prototype.forEach.call(fields, function (el) {
      if (!el.name || el.type === "password" || el.type === "hidden" || el.type === "file") return;
      if (el.type === "checkbox" || el.type === "radio") { if (el.checked) values[el.name + "=" + el.value] = true; return; }
      if (el.value) values[(el.form && el.form.id ? el.form.id + ":" : "") + el.name] = el.value;
    });
    if (Object.keys(values).length) {
      try { sessionStorage.setItem(draftKey, JSON.stringify(values)); } catch (e) { /* storage full or off */ }
    }
  }

  function restoreDrafts() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(draftKey) || "null"); } catch (e) { saved = null; }
    if (!saved || !document.querySelector("main form")) return;
    sessionStorage.removeItem(draftKey);
    var fields = document.querySelectorAll("main input, main textarea, main select");
    Array.prototype.forEach.call(fields, function (el) {
      if (!el.name || el.type === "password" || el.type === "hidden" || el.type === "file") return;
      if (el.type === "checkbox" || el.type === "radio") { el.checked = !!saved[el.name + "=" + el.value]; return; }
      var key = (el.form && el.form.id ? el.form.id + ":" : "") + el.name;
      if (saved[key] !== undefined) el.value = saved[key];
    });
    var note = document.createElement("p");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.id = "draft-restored";
    note.textContent = body.dataset.restoredText || "";
    var main = document.getElementById("main");
    if (main && note.textContent) main.insertBefore(note, main.firstChild);
  }

  tick();
})();
