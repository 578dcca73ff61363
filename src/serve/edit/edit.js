// Live checking for the note editor of `pactline serve --edit`: while the author types,
// the text is sent to the editor's own check (the same one the "Check and preview" button
// runs), and the list of problems and the preview are replaced with its answer. Without
// this script every form works as it is.
(function () {
  "use strict";
  var form = document.getElementById("note-form");
  var text = document.getElementById("text");
  var problems = document.getElementById("problems");
  var preview = document.getElementById("preview");
  if (!form || !text || !problems || !preview || !document.getElementById("gutter") || !window.fetch) {
    return;
  }
  var timer = null;
  var running = false;
  var again = false;

  function showPreview(html) {
    var frame = preview.querySelector("iframe");
    if (html === null) {
      return;
    }
    if (!frame) {
      // Same origin for the site's stylesheet; no scripts run in it (no allow-scripts).
      frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "allow-same-origin");
      frame.title = document.getElementById("preview-heading").textContent;
      preview.textContent = "";
      preview.appendChild(frame);
    }
    frame.srcdoc = html;
  }

  function check() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    var body = new URLSearchParams(new FormData(form));
    fetch("/_edit/note/live", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    })
      .then(function (res) {
        if (!res.ok) {
          throw new Error(String(res.status));
        }
        return res.json();
      })
      .then(function (answer) {
        // The fragment is the server's own template output, every value escaped.
        problems.innerHTML = answer.problems;
        problems.setAttribute("data-checked", "1");
        paint();
        showPreview(answer.preview);
      })
      .catch(function () {})
      .then(function () {
        running = false;
        if (again) {
          again = false;
          check();
        }
      });
  }

  // A gutter of line numbers beside the text, marking the lines the problems concern;
  // the text does not wrap, so that each of its lines stands beside its number.
  var gutter = document.getElementById("gutter");
  text.setAttribute("wrap", "off");

  function paint() {
    var marks = {};
    var items = problems.querySelectorAll("li[data-line]");
    for (var i = 0; i < items.length; i++) {
      var line = Number(items[i].getAttribute("data-line"));
      var error = items[i].classList.contains("edit-error");
      if (marks[line] !== "error") {
        marks[line] = error ? "error" : "warning";
      }
      linkLine(items[i], line, Number(items[i].getAttribute("data-column")) || 1);
    }
    var count = text.value.split("\n").length;
    var lines = document.createDocumentFragment();
    for (var n = 1; n <= count; n++) {
      var row = document.createElement("div");
      row.textContent = String(n);
      if (marks[n]) {
        row.className = "edit-mark-" + marks[n];
      }
      lines.appendChild(row);
    }
    gutter.textContent = "";
    gutter.appendChild(lines);
    gutter.scrollTop = text.scrollTop;
  }

  // "line 8, column 3": a button that puts the caret there.
  function linkLine(item, line, column) {
    var where = item.querySelector(".edit-where");
    if (!where || where.tagName === "BUTTON") {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "edit-where";
    button.textContent = where.textContent;
    button.addEventListener("click", function () {
      var rows = text.value.split("\n");
      var at = 0;
      for (var i = 0; i < line - 1 && i < rows.length; i++) {
        at += rows[i].length + 1;
      }
      at += Math.max(0, column - 1);
      text.focus();
      text.setSelectionRange(at, at);
      var height = parseFloat(getComputedStyle(text).lineHeight) || 16;
      text.scrollTop = Math.max(0, (line - 3) * height);
    });
    where.parentNode.replaceChild(button, where);
  }

  text.addEventListener("scroll", function () {
    gutter.scrollTop = text.scrollTop;
  });
  paint();

  text.addEventListener("input", function () {
    problems.removeAttribute("data-checked");
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(check, 300);
  });
})();
