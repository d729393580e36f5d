// Spoken testimony: the transcript follows the recording and a click on a line (or on a part
// of the recording) seeks there. Progressive enhancement: without JavaScript every time is a
// link to ?t=SECONDS, which the server turns into a media fragment (#t=) on the recording, so
// the page opens with the recording at that moment. A #t=SECONDS in the page's address works
// too once this script runs. No inline script: the page's strict CSP stays as it is.
(function () {
  "use strict";
  var section = document.querySelector("[data-player]");
  var media = section && section.querySelector("[data-player-media]");
  if (!media) {
    return;
  }
  var TIME = /^\d{1,6}(?:\.\d{1,3})?$/;
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var list = document.querySelector("[data-transcript-lines]");
  var cues = [];
  var current = null;
  var follow = null;

  function parseTime(value) {
    if (!TIME.test(value || "")) {
      return null;
    }
    var seconds = parseFloat(value);
    return isFinite(seconds) ? seconds : null;
  }

  if (list) {
    Array.prototype.forEach.call(list.querySelectorAll("li[data-start]"), function (line) {
      var start = parseTime(line.dataset.start);
      var end = parseTime(line.dataset.end);
      if (start !== null && end !== null) {
        cues.push({ line: line, start: start, end: end });
      }
    });
    // The "follow along" switch exists only where it can work, so it is added here.
    var template = document.querySelector("[data-follow-template]");
    if (template) {
      var control = template.content.firstElementChild.cloneNode(true);
      list.parentNode.insertBefore(control, list);
      follow = control.querySelector("[data-follow]");
      list.classList.add("transcript__lines--scroll");
    }
  }

  function scrollToLine(line) {
    if (!follow || !follow.checked || list.scrollHeight <= list.clientHeight) {
      return;
    }
    // Scroll the transcript box only, never the page: the visitor may be reading elsewhere.
    var top = line.offsetTop - list.clientHeight / 3;
    list.scrollTo({ top: Math.max(top, 0), behavior: reduceMotion ? "auto" : "smooth" });
  }

  function highlight(seconds) {
    var found = null;
    for (var i = 0; i < cues.length; i += 1) {
      if (seconds >= cues[i].start && seconds < cues[i].end) {
        found = cues[i];
      }
    }
    if (found === current) {
      return;
    }
    if (current) {
      current.line.classList.remove("is-current");
      current.line.removeAttribute("aria-current");
    }
    current = found;
    if (current) {
      current.line.classList.add("is-current");
      current.line.setAttribute("aria-current", "time");
      scrollToLine(current.line);
    }
  }

  function seek(seconds, play) {
    if (isFinite(media.duration) && seconds > media.duration) {
      return;
    }
    media.currentTime = seconds;
    highlight(seconds);
    if (play) {
      var playing = media.play();
      if (playing && playing.catch) {
        playing.catch(function () {
          // Playback refused (e.g. no audio output): the position is set all the same.
        });
      }
    }
  }

  function seekWhenReady(seconds) {
    highlight(seconds);
    if (media.readyState >= 1) {
      seek(seconds, false);
      return;
    }
    media.addEventListener("loadedmetadata", function onMetadata() {
      media.removeEventListener("loadedmetadata", onMetadata);
      seek(seconds, false);
    });
  }

  media.addEventListener("timeupdate", function () {
    highlight(media.currentTime);
  });
  media.addEventListener("seeked", function () {
    highlight(media.currentTime);
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest("[data-seek]");
    if (!link && list) {
      var line = event.target.closest("li[data-start]");
      // A click anywhere on a line seeks, unless the visitor is selecting its text.
      if (line && list.contains(line) && String(window.getSelection()) === "") {
        link = line.querySelector("[data-seek]");
      }
    }
    var seconds = link ? parseTime(link.dataset.seek) : null;
    if (seconds === null) {
      return;
    }
    event.preventDefault();
    seek(seconds, true);
  });

  function hashTime() {
    var match = /^#t=(\d{1,6}(?:\.\d{1,3})?)$/.exec(window.location.hash);
    return match ? parseTime(match[1]) : null;
  }

  var start = hashTime();
  if (start === null) {
    start = parseTime(media.dataset.start);
  }
  if (start !== null) {
    seekWhenReady(start);
  }
  window.addEventListener("hashchange", function () {
    var seconds = hashTime();
    if (seconds !== null) {
      seekWhenReady(seconds);
    }
  });
})();
