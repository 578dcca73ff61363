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
  if (!form || !text || !problems || !preview || !window.fetch) {
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
      frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "");
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

  text.addEventListener("input", function () {
    problems.removeAttribute("data-checked");
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(check, 300);
  });
})();
