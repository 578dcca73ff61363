// The embeddable timeline (/embed/): tells the framing page its height, so the frame can
// grow with its content instead of scrolling, and follows `?sector=<slug>` to that
// sector's embed. Without script the frame still works: it scrolls and shows every sector.
(function () {
  "use strict";
  var me = document.currentScript;
  var wanted = /[?&]sector=([a-z0-9-]+)/.exec(location.search);
  var slugs = ((me && me.getAttribute("data-sectors")) || "").split(" ");
  if (wanted && slugs.indexOf(wanted[1]) >= 0) {
    location.replace("sectors/" + wanted[1] + "/");
    return;
  }
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Only a height is sent, never anything from the page: any origin may receive it.
    window.parent.postMessage({ pactline: "height", height: height }, "*");
  }
  if ("ResizeObserver" in window) new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  post();
})();
