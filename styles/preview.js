/* The live preview's one script (python build.py preview): listens to the server's
   events for this page. When its HTML changed, it fetches the page again and puts the
   new body in place of the old one (the stylesheets, the fonts and the scroll position
   stay); when a stylesheet changed, it reloads the page. It shows the page's PDF's
   state. What the server sends is set as text or parsed as a document, never run. */
(function () {
  "use strict";
  var labels = { ready: "ready", building: "updating…", failed: "failed", absent: "not built yet" };

  function reload() {
    sessionStorage.setItem("digin-scroll:" + location.href, String(window.scrollY));
    location.reload();
  }

  var latest = 0;   // two quick changes: only the newer answer is put in place
  function replaceBody() {
    var mine = ++latest;
    fetch(location.href, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        if (mine !== latest) { return; }
        var fresh = new DOMParser().parseFromString(text, "text/html");
        var x = window.scrollX, y = window.scrollY;
        document.title = fresh.title;
        document.body.replaceWith(document.adoptNode(fresh.body));
        window.scrollTo(x, y);
      })
      .catch(reload);
  }

  var saved = sessionStorage.getItem("digin-scroll:" + location.href);
  if (saved !== null) {
    sessionStorage.removeItem("digin-scroll:" + location.href);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }

  var events = new EventSource("/events?page=" + encodeURIComponent(location.pathname));
  events.addEventListener("reload", function (event) {
    if (JSON.parse(event.data).full) { reload(); } else { replaceBody(); }
  });
  events.addEventListener("pdf", function (event) {
    var data = JSON.parse(event.data);
    document.querySelectorAll("[data-digin-pdf]").forEach(function (link) {
      if (link.getAttribute("data-digin-pdf") !== data.path) { return; }
      link.setAttribute("data-state", data.state);
      var state = link.querySelector(".digin-pdf-state");
      if (state) { state.textContent = labels[data.state] || data.state; }
    });
  });
}());
