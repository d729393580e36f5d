// Shared by the viewers: adapt an Image API info.json to OpenSeadragon when the image has a
// size limit ("largest size allowed online"). Such an image offers tiles only at coarse scale
// factors (say 4 and 8), but OpenSeadragon assumes its finest tile level is full resolution and
// would request tiles the server refuses. Told the service is level 0 and has no tiles, it
// builds its pyramid from the listed "sizes" instead, all of which the server serves.
(function () {
  "use strict";
  window.iiifWithinLimits = function (info) {
    var tiles = info && info.tiles && info.tiles[0];
    if (!tiles || !tiles.scaleFactors || !info.sizes || !info.sizes.length) {
      return info;
    }
    if (Math.min.apply(null, tiles.scaleFactors) <= 1) {
      return info;
    }
    var adapted = Object.assign({}, info, { profile: "level0" });
    delete adapted.tiles;
    delete adapted.extraFeatures;
    return adapted;
  };
})();
