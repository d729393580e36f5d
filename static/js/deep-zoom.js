// Deep zoom on object pages: each [data-deep-zoom] figure gets an OpenSeadragon viewer on the
// image's IIIF info.json. Without JavaScript, or if the image service cannot be opened, the
// page keeps the plain rendition with its alt text. The controls, the keyboard help and the
// messages are rendered by the server (translated) in <template id="deep-zoom-controls">.
(function () {
  "use strict";
  var template = document.getElementById("deep-zoom-controls");
  if (typeof window.OpenSeadragon === "undefined" || !window.iiifWithinLimits || !template) {
    return;
  }
  var OSD = window.OpenSeadragon;
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var ZOOM_STEP = 1.5;

  // OpenSeadragon's own hint texts, in the page's language.
  if (template.dataset.hintScroll) {
    OSD.setString("GestureHints.Scroll", template.dataset.hintScroll);
  }
  if (template.dataset.hintTouch) {
    OSD.setString("GestureHints.Touch", template.dataset.hintTouch);
  }

  function zoom(viewer, factor) {
    viewer.viewport.zoomBy(factor, null, reduceMotion);
    viewer.viewport.applyConstraints(reduceMotion);
  }

  function enhance(container, index) {
    var image = container.querySelector("img");
    var infoUrl = container.dataset.info;
    // Only this site's own image service: never a request to another host.
    if (!image || !infoUrl || new URL(infoUrl, window.location.href).origin !== window.location.origin) {
      return;
    }
    var controls = template.content.firstElementChild.cloneNode(true);
    var help = controls.querySelector("[data-deep-zoom-help]");
    help.id = "deep-zoom-help-" + index;
    var stage = document.createElement("div");
    stage.className = "deep-zoom__stage";
    // The stage keeps the image's proportions (CSSOM, which the strict CSP allows).
    stage.style.aspectRatio = image.getAttribute("width") + " / " + image.getAttribute("height");
    container.classList.add("deep-zoom--active");
    container.insertBefore(stage, image);
    container.appendChild(controls);
    image.hidden = true;

    function fallBack() {
      stage.remove();
      controls.remove();
      image.hidden = false;
      container.classList.remove("deep-zoom--active");
      container.dataset.deepZoomState = "failed";
    }

    fetch(infoUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("info.json: " + response.status);
        }
        return response.json();
      })
      .then(function (info) {
        open(container, image, stage, controls, help, window.iiifWithinLimits(info), fallBack);
      })
      .catch(fallBack);
  }

  function open(container, image, stage, controls, help, info, fallBack) {
    var viewer = OSD({
      element: stage,
      tileSources: info,
      // Our own labelled buttons replace OpenSeadragon's image buttons.
      showNavigationControl: false,
      showNavigator: false,
      prefixUrl: "",
      // The page scrolls past the viewer; Ctrl+wheel or two fingers zoom it.
      cooperativeGestures: true,
      visibilityRatio: 1,
      constrainDuringPan: true,
      animationTime: reduceMotion ? 0 : 0.8,
      blendTime: 0,
      immediateRender: reduceMotion,
      gestureSettingsMouse: { flickEnabled: !reduceMotion },
      gestureSettingsTouch: { flickEnabled: !reduceMotion },
    });

    // Reachable from the page (browser tests read the viewport through it).
    container.deepZoomViewer = viewer;
    var canvas = viewer.canvas;
    // A pan-and-zoom surface handles its own arrow keys: an application, named by the
    // image's text alternative and described by the keyboard help.
    canvas.setAttribute("role", "application");
    if (template.dataset.roleDescription) {
      canvas.setAttribute("aria-roledescription", template.dataset.roleDescription);
    }
    canvas.setAttribute("aria-label", container.dataset.label || image.alt);
    canvas.setAttribute("aria-describedby", help.id);

    // + and - by the character typed, whatever the keyboard layout (OpenSeadragon reads the
    // physical key, which puts "+" on zoom out on a Swedish keyboard).
    viewer.addHandler("canvas-key", function (event) {
      var key = event.originalEvent.key;
      if (key === "+" || key === "=") {
        zoom(viewer, ZOOM_STEP);
        event.preventDefaultAction = true;
      } else if (key === "-" || key === "_") {
        zoom(viewer, 1 / ZOOM_STEP);
        event.preventDefaultAction = true;
      }
    });

    controls.querySelector("[data-zoom-in]").addEventListener("click", function () {
      zoom(viewer, ZOOM_STEP);
    });
    controls.querySelector("[data-zoom-out]").addEventListener("click", function () {
      zoom(viewer, 1 / ZOOM_STEP);
    });
    controls.querySelector("[data-zoom-home]").addEventListener("click", function () {
      viewer.viewport.goHome(reduceMotion);
    });

    viewer.addHandler("open", function () {
      container.dataset.deepZoomState = "open";
      viewer.world.getItemAt(0).addHandler("fully-loaded-change", function (event) {
        if (event.fullyLoaded) {
          container.dataset.deepZoomLoaded = "true";
        }
      });
    });
    viewer.addHandler("open-failed", function () {
      // Back to the plain image.
      viewer.destroy();
      fallBack();
    });
  }

  document.querySelectorAll("[data-deep-zoom]").forEach(enhance);
})();
