// Search-as-you-type: titles completing the typed words, listed as links under the box.
// Progressive enhancement only: without this script the form searches as usual.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var box = document.getElementById("search-suggest");
  var list = document.getElementById("search-suggest-list");
  var status = document.getElementById("search-suggest-status");
  if (!input || !box || !list || !window.fetch) return;
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var latest = 0;

  function clear() {
    list.textContent = "";
    box.hidden = true;
  }

  function show(items, ticket) {
    if (ticket !== latest) return;
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title; // text, never HTML
      if (item.language) a.lang = item.language;
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
    var template = status.getAttribute("data-template") || "COUNT";
    status.textContent = items.length ? template.replace("COUNT", String(items.length)) : "";
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) { clear(); return; }
    timer = window.setTimeout(function () {
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { show(data.suggestions || [], ticket); })
        .catch(clear);
    }, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") clear();
    if (event.key === "ArrowDown" && !box.hidden) {
      var first = list.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
})();
