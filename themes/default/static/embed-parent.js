// For a page that frames this site's /embed/: sets each such frame's height to what the
// frame reports, so it shows the whole timeline without an inner scroll bar.
(function () {
  "use strict";
  var me = document.currentScript;
  var origin = me && me.getAttribute("data-origin");
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (e.origin !== origin || !d || d.pactline !== "height" || typeof d.height !== "number") return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) {
        frames[i].style.height = Math.max(0, Math.min(d.height, 100000)) + "px";
      }
    }
  });
})();
