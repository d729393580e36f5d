// Mirador on one manifest of this site. The server chose the manifest; the check here is a
// second guard so that the viewer never fetches from another origin.
(function () {
  "use strict";
  var root = document.querySelector("[data-mirador]");
  if (!root || typeof window.Mirador === "undefined") {
    return;
  }
  var manifest = new URL(root.dataset.manifest, window.location.href);
  if (manifest.origin !== window.location.origin) {
    return;
  }
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Mirador.viewer({
    id: root.id,
    language: root.dataset.language || "en",
    windows: [{ manifestId: manifest.href }],
    window: {
      allowClose: false,
      allowMaximize: false,
      defaultSideBarPanel: "info",
      sideBarOpenByDefault: false,
    },
    // One manifest, no catalogue: visitors cannot add resources from other sites.
    workspace: { type: "mosaic", allowNewWindows: false, showZoomControls: true },
    workspaceControlPanel: { enabled: false },
    osdConfig: reduceMotion ? { animationTime: 0, blendTime: 0, immediateRender: true } : {},
    requests: {
      postprocessors: [
        function (url, result) {
          if (window.iiifWithinLimits && /\/info\.json$/.test(url) && result && result.json) {
            return Object.assign({}, result, { json: window.iiifWithinLimits(result.json) });
          }
          return result;
        },
      ],
    },
  });
})();
