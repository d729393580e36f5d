/* The offline kiosk: rooms -> objects -> voices, from the package's own data files.
   No network: every file is relative to this folder. Consent-bound content (testimonies,
   portraits) is hidden when the museum has revoked the package or it is past valid_until. */
(function () {
  "use strict";
  var D = window.KIOSK_DATA || {};
  var venue = D.venue || { languages: ["en"] };
  var state = { lang: (venue.languages || ["en"])[0] };
  var main = document.getElementById("main");

  function today() {
    var d = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function consentHidden() {
    var ks = window.KIOSK_STATE || {};
    if (ks.package_revoked === true) return true;
    return Boolean(venue.valid_until && today() > venue.valid_until);
  }

  function ui(key) {
    var strings = (D.ui || {})[state.lang] || {};
    return strings[key] || key;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "onclick") node.addEventListener("click", attrs[name]);
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // A text in the chosen language; a fallback carries its own lang and says so.
  function textNode(tag, map, attrs) {
    var entry = (map || {})[state.lang];
    attrs = attrs || {};
    if (!entry) return null;
    attrs.text = entry.text;
    if (entry.lang && entry.lang !== "none") attrs.lang = entry.lang;
    var node = el(tag, attrs);
    if (entry.lang && entry.lang !== state.lang && entry.lang !== "none") {
      var wrap = el("div", {}, [node]);
      wrap.appendChild(el("p", { "class": "note", text: ui("fallback").replace("%(language)s", entry.lang) }));
      return wrap;
    }
    return node;
  }

  function plain(map) {
    var entry = (map || {})[state.lang];
    return entry ? entry.text : "";
  }

  function byId(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }

  function thumb(image) {
    if (!image || !image.sizes || !image.sizes.length) return null;
    var size = image.sizes[0];
    return el("img", {
      src: "../" + image.service + "/full/" + size.width + "," + size.height + "/0/default.jpg",
      alt: "", width: String(size.width), height: String(size.height)
    });
  }

  function back(href) {
    return el("a", { "class": "back", href: href, text: "← " + ui("back") });
  }

  function heading(text, lang) {
    var attrs = { text: text, id: "page-title" };
    if (lang) attrs.lang = lang;
    return el("h1", attrs);
  }

  function renderHome() {
    var rooms = (D.rooms || []).slice().sort(function (a, b) { return a.visit_order - b.visit_order; });
    main.appendChild(heading(venue.name || "Trafficking"));
    main.appendChild(el("h2", { text: ui("rooms") }));
    main.appendChild(el("ul", { "class": "grid", id: "rooms" }, rooms.map(function (room) {
      return el("li", {}, [el("a", { href: "#/room/" + room.id, text: plain(room.name) || room.slug })]);
    })));
    if (!consentHidden()) {
      main.appendChild(el("p", {}, [el("a", { href: "#/voices", id: "voices-link", text: ui("voices") })]));
    } else {
      main.appendChild(el("p", { "class": "notice", role: "status", id: "stories-unavailable", text: ui("unavailable") }));
    }
  }

  function placementsOf(roomId) {
    var list = ((D.placements || {}).placements || []).filter(function (p) { return p.room === roomId; });
    return list.sort(function (a, b) { return a.visit_order - b.visit_order; });
  }

  function renderRoom(id) {
    var room = byId(D.rooms || [], id);
    if (!room) return renderHome();
    main.appendChild(back("#/"));
    main.appendChild(heading(plain(room.name) || room.slug));
    main.appendChild(el("ul", { "class": "grid", id: "objects" }, placementsOf(id).map(function (placement) {
      var obj = byId(D.objects || [], placement.object);
      if (!obj) return null;
      var link = el("a", { href: "#/object/" + obj.id + "/" + placement.id }, [thumb(obj.images[0])]);
      link.appendChild(el("span", { text: plain(obj.title) || obj.inventory_number }));
      return el("li", {}, [link]);
    })));
  }

  function zoomable(image) {
    var box = el("div", { "class": "viewer", id: "viewer", role: "img", "aria-label": ui("images") });
    main.appendChild(box);
    if (!window.OpenSeadragon) { box.appendChild(thumb(image)); return; }
    var maxLevel = Math.ceil(Math.log2(Math.max(image.width, image.height)));
    var factors = image.scale_factors || [1];
    var coarsest = factors[factors.length - 1];
    var base = "../" + image.service + "/";
    var viewer = window.OpenSeadragon({
      element: box,
      drawer: "html",
      showNavigationControl: false,
      tileSources: {
        width: image.width, height: image.height, tileSize: 256, tileOverlap: 0,
        minLevel: maxLevel - Math.round(Math.log2(coarsest)), maxLevel: maxLevel,
        getTileUrl: function (level, x, y) {
          var f = Math.pow(2, maxLevel - level), span = 256 * f;
          var left = x * span, top = y * span;
          var w = Math.min(span, image.width - left), h = Math.min(span, image.height - top);
          var region = (left === 0 && top === 0 && w === image.width && h === image.height)
            ? "full" : [left, top, w, h].join(",");
          return base + region + "/" + Math.ceil(w / f) + "," + Math.ceil(h / f) + "/0/default.jpg";
        }
      }
    });
    // Tiles are parts of one picture, described by the viewer's label: no alt text each.
    function quiet(node) {
      if (node.tagName === "IMG" && !node.hasAttribute("alt")) node.setAttribute("alt", "");
      if (node.querySelectorAll) {
        node.querySelectorAll("img:not([alt])").forEach(function (img) { img.setAttribute("alt", ""); });
      }
    }
    viewer.addHandler("tile-loaded", function (event) {
      if (event.image && event.image.setAttribute) event.image.setAttribute("alt", "");
      if (event.tile && event.tile.imgElement) event.tile.imgElement.setAttribute("alt", "");
    });
    new MutationObserver(function (records) {
      records.forEach(function (record) { record.addedNodes.forEach(quiet); });
    }).observe(box, { childList: true, subtree: true });
    main.appendChild(el("div", { "class": "zoom" }, [
      el("button", { type: "button", text: ui("zoom_in"), onclick: function () { viewer.viewport.zoomBy(1.5); } }),
      el("button", { type: "button", text: ui("zoom_out"), onclick: function () { viewer.viewport.zoomBy(1 / 1.5); } })
    ]));
  }

  function renderObject(id, placementId) {
    var obj = byId(D.objects || [], id);
    if (!obj) return renderHome();
    var placement = byId((D.placements || {}).placements || [], placementId);
    main.appendChild(back(placement ? "#/room/" + placement.room : "#/"));
    var title = (obj.title || {})[state.lang] || {};
    main.appendChild(heading(title.text || obj.inventory_number, title.lang !== "none" ? title.lang : null));
    if (obj.images.length) zoomable(obj.images[0]);
    var facts = [obj.dating, obj.materials.join(", "), obj.inventory_number].filter(Boolean).join(" · ");
    main.appendChild(el("p", { "class": "meta", text: facts }));
    ((D.placements || {}).labels || []).forEach(function (label) {
      if (label.placement !== placementId) return;
      var node = textNode("p", label.text);
      if (node) main.appendChild(el("div", { "class": "label" }, [node]));
    });
    var credit = (obj.credit_line || {})[state.lang];
    if (credit) main.appendChild(el("p", { "class": "meta", text: ui("credit") + ": " + credit }));
    if (consentHidden()) return;
    var testimonies = ((D.stories || {}).testimonies || []).filter(function (t) {
      return t.objects.indexOf(obj.id) !== -1;
    });
    if (testimonies.length) {
      main.appendChild(el("h2", { text: ui("testimonies") }));
      main.appendChild(el("ul", { "class": "grid", id: "object-testimonies" }, testimonies.map(testimonyLink)));
    }
  }

  function testimonyLink(testimony) {
    var voice = byId((D.stories || {}).voices || [], testimony.voice) || {};
    var link = el("a", { href: "#/testimony/" + testimony.id, "class": "testimony-link" });
    link.appendChild(el("strong", { text: voice.display_name || "" }));
    link.appendChild(el("br"));
    link.appendChild(el("span", { text: plain(testimony.title) }));
    return el("li", {}, [link]);
  }

  // Help lines for the venue's country: shown with every voice, whatever the consent state.
  function supportSection() {
    var list = (D.support || {})[state.lang] || [];
    if (!list.length) return null;
    return el("section", { "class": "support", id: "support", "aria-labelledby": "support-title" }, [
      el("h2", { id: "support-title", text: ui("support") }),
      el("p", { text: ui("support_intro") }),
      el("ul", {}, list.map(function (resource) {
        var attrs = resource.language && resource.language !== state.lang ? { lang: resource.language } : {};
        return el("li", attrs, [
          el("p", {}, [el("strong", { text: resource.name }), el("span", { text: " · " + resource.kind_label })]),
          resource.phone ? el("p", { "class": "support__phone", text: resource.phone }) : null,
          resource.hours ? el("p", { text: resource.hours }) : null,
          resource.service_languages.length ? el("p", { text: ui("answers_in") + " " + resource.service_languages.join(", ") }) : null,
          resource.url ? el("p", { text: resource.url }) : null,
          resource.description ? el("p", { text: resource.description }) : null
        ]);
      }))
    ]);
  }

  function renderVoices() {
    main.appendChild(back("#/"));
    main.appendChild(heading(ui("voices")));
    if (consentHidden()) {
      main.appendChild(el("p", { "class": "notice", role: "status", id: "stories-unavailable", text: ui("unavailable") }));
      var helpOnly = supportSection();
      if (helpOnly) main.appendChild(helpOnly);
      return;
    }
    main.appendChild(el("ul", { "class": "grid", id: "testimonies" }, ((D.stories || {}).testimonies || []).map(testimonyLink)));
    var support = supportSection();
    if (support) main.appendChild(support);
  }

  function renderTestimony(id) {
    main.appendChild(back("#/voices"));
    if (consentHidden()) {
      main.appendChild(heading(ui("voices")));
      main.appendChild(el("p", { "class": "notice", role: "status", id: "stories-unavailable", text: ui("unavailable") }));
      var helpOnly = supportSection();
      if (helpOnly) main.appendChild(helpOnly);
      return;
    }
    var testimony = byId((D.stories || {}).testimonies || [], id);
    if (!testimony) return renderVoices();
    var voice = byId(D.stories.voices || [], testimony.voice) || {};
    main.appendChild(heading(plain(testimony.title)));
    main.appendChild(el("p", { "class": "meta", text: voice.display_name + " · " + plain2(voice.role) }));
    if (voice.portrait) main.appendChild(el("img", { src: "../" + voice.portrait, alt: voice.display_name }));
    var body = el("section", { id: "testimony-body", "aria-labelledby": "page-title" });
    var bodyText = textNode("p", testimony.body);
    if (bodyText) body.appendChild(bodyText);
    if (testimony.media) {
      var audio = el(testimony.media_kind === "video" ? "video" : "audio", { controls: "", src: "../" + testimony.media, preload: "none" });
      testimony.tracks.forEach(function (track) {
        audio.appendChild(el("track", { kind: track.kind, srclang: track.language, label: track.language, src: "../" + track.path }));
      });
      body.appendChild(audio);
    }
    var notes = (testimony.content_notes || {})[state.lang] || [];
    if (notes.length) {
      body.hidden = true;
      var gate = el("div", { "class": "gate", id: "content-note" }, [
        el("p", { text: ui("content_note") + ": " + notes.join(", ") }),
        el("button", { type: "button", text: ui("show_anyway"), onclick: function () {
          body.hidden = false; gate.hidden = true;
        } })
      ]);
      main.appendChild(gate);
    }
    main.appendChild(body);
    var support = supportSection();
    if (support) main.appendChild(support);
  }

  function plain2(map) { return (map || {})[state.lang] || ""; }

  function renderLanguages() {
    var nav = document.getElementById("languages");
    nav.setAttribute("aria-label", ui("language"));
    nav.textContent = "";
    (venue.languages || []).forEach(function (code) {
      nav.appendChild(el("button", {
        type: "button", lang: code, text: code.toUpperCase(), "aria-pressed": String(code === state.lang),
        onclick: function () { state.lang = code; render(); }
      }));
    });
  }

  function render() {
    document.documentElement.lang = state.lang;
    document.getElementById("home-link").textContent = ui("home");
    renderLanguages();
    main.textContent = "";
    var parts = (location.hash || "#/").slice(2).split("/");
    var id = parseInt(parts[1], 10);
    if (parts[0] === "room") renderRoom(id);
    else if (parts[0] === "object") renderObject(id, parseInt(parts[2], 10));
    else if (parts[0] === "voices") renderVoices();
    else if (parts[0] === "testimony") renderTestimony(id);
    else renderHome();
    document.title = (document.getElementById("page-title") || {}).textContent || "Trafficking";
    document.body.setAttribute("data-consent-hidden", String(consentHidden()));
    main.focus();
  }

  window.addEventListener("hashchange", render);
  render();
})();
