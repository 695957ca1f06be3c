// Casebook live reload (injected by `casebook serve` only): reloads the page
// after a rebuild and shows content problems as an overlay until fixed.
(function () {
  var script = document.currentScript;
  var base = script.src.replace(/live\.js(\?.*)?$/, "");
  var events = new EventSource(base + "events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("problems", function (e) { show(e.data); });
  function show(text) {
    var box = document.getElementById("cb-live-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "cb-live-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
        "background:#1d1d1f;color:#fff;font:14px/1.45 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "z-index:2147483647;white-space:pre-wrap;border-top:4px solid #e5484d";
      document.body.appendChild(box);
    }
    box.textContent = "Casebook: the last change has problems; this is the last good version.\n\n" + text;
  }
})();
