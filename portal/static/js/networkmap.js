/* Coordination map: enhances the static SVG + tables with cytoscape.js when JS is on.
   Data comes from the page's own JSON endpoint (data-src); positions are the analysis
   layout (preset), so the picture is the same as the SVG and the printout. */
(function () {
  "use strict";
  var live = document.getElementById("map-live");
  if (!live || typeof window.cytoscape !== "function") { return; }
  var side = document.getElementById("map-side");
  var staticFigure = document.querySelector(".map-static");
  var list = document.getElementById("actor-list");
  var search = document.getElementById("map-search");
  var count = document.getElementById("map-count");
  var panel = document.getElementById("actor-panel");
  var panelTitle = document.getElementById("actor-panel-title");
  var panelBody = document.getElementById("actor-panel-body");
  var status = document.getElementById("map-status");
  var SHAPES = { circle: "ellipse", square: "rectangle", diamond: "diamond" };
  var SCALE = 1000;
  var byGroup = live.dataset.colour === "group";
  var data, cy, items = [], selected = null;
  var F = {};  // field name -> index in a node array (data.fields)

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (m, k) { return values[k]; });
  }

  // Labels are cut here, not by cytoscape: its "…" follows the canvas direction, so a Latin
  // name on an Arabic page lost its start. Inside FSI…PDI the name and its "…" keep the
  // name's own direction.
  var LABEL_MAX = 28;
  function shortLabel(name) {
    var text = name.length > LABEL_MAX ? name.slice(0, LABEL_MAX - 1) + "\u2026" : name;
    return "\u2068" + text + "\u2069";
  }

  function fill(n, sector) {
    if (byGroup) { return n[F.group] ? data.groups[n[F.group] - 1][0] : "#DDDDDD"; }
    return sector[1];
  }

  function elements() {
    var out = [];
    data.nodes.forEach(function (n, i) {
      var sector = data.sectors[n[2]];
      out.push({ group: "nodes", data: {
        id: "n" + i, name: n[1], label: shortLabel(n[1]), colour: fill(n, sector),
        dashed: byGroup ? 0 : sector[2],
        shape: SHAPES[data.levels[n[3]][1]] || "ellipse", size: 2 * n[6], flags: n[7]
      }, position: { x: n[4] * SCALE, y: n[5] * SCALE } });
    });
    data.edges.forEach(function (e, i) {
      out.push({ group: "edges", data: { id: "e" + i, source: "n" + e[0], target: "n" + e[1],
        width: e[2] > 4 ? 3 : (e[2] > 2 ? 2 : 1) } });
    });
    return out;
  }

  function styles() {
    var big = data.nodes.length > 300;
    return [
      { selector: "node", style: {
        "background-color": "data(colour)", "shape": "data(shape)", "width": "data(size)",
        "height": "data(size)", "border-width": 1, "border-color": "#222222",
        "label": big ? "" : "data(label)", "font-size": 11, "text-valign": "bottom",
        "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2,
        "color": "#111111", "text-wrap": "none",
        "min-zoomed-font-size": 7 } },
      { selector: "node[dashed = 1]", style: { "border-style": "dashed", "border-width": 2 } },
      { selector: "node[flags >= 8]", style: { "outline-width": 2.5, "outline-color": "#000000",
        "outline-offset": 2 } },
      { selector: "node[flags = 1]", style: { "outline-width": 1, "outline-color": "#000000",
        "outline-style": "dotted", "outline-offset": 3 } },
      { selector: "edge", style: { "width": "data(width)", "line-color": "#8a8a8a",
        "opacity": 0.6, "curve-style": "haystack" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#0b5cad",
        "label": "data(label)", "z-index": 10, "font-weight": "bold" } },
      { selector: "edge.near", style: { "line-color": "#0b5cad", "opacity": 1 } },
      { selector: "node.match", style: { "border-width": 3, "border-color": "#D55E00",
        "label": "data(label)" } },
      { selector: "node.faded", style: { "opacity": 0.25 } }
    ];
  }

  function buildList() {
    var order = data.nodes.map(function (n, i) { return i; });
    order.sort(function (a, b) { return data.nodes[a][1].localeCompare(data.nodes[b][1]); });
    var frag = document.createDocumentFragment();
    order.forEach(function (i) {
      var li = el("li");
      var button = el("button", null, "actor-button");
      button.appendChild(el("bdi", data.nodes[i][1]));
      button.type = "button";
      button.dataset.index = i;
      button.setAttribute("aria-pressed", "false");
      li.appendChild(button);
      frag.appendChild(li);
      items[i] = li;
    });
    list.appendChild(frag);
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-index]");
      if (button) { select(Number(button.dataset.index), "list"); }
    });
  }

  function metricRow(dl, term, value, about) {
    var div = el("div");
    div.appendChild(el("dt", term));
    div.appendChild(el("dd", value));
    if (about) {
      var details = el("details", null, "explain");
      details.appendChild(el("summary", data.t.explain));
      details.appendChild(el("p", about));
      var dd = el("dd", null, "explain-dd");
      dd.appendChild(details);
      div.appendChild(dd);
    }
    dl.appendChild(div);
  }

  function fillPanel(i) {
    var n = data.nodes[i], t = data.t;
    panelTitle.textContent = n[1];
    panelTitle.dir = "auto";
    panelBody.textContent = "";
    var link = el("a", t.open);
    link.href = live.dataset.link.replace("{id}", String(n[0]));
    var p = el("p");
    p.appendChild(link);
    panelBody.appendChild(p);
    var dl = el("dl", null, "panel-metrics");
    metricRow(dl, t.sector, data.sectors[n[2]][3] + " · " + data.sectors[n[2]][0]);
    metricRow(dl, t.level, data.levels[n[3]][0]);
    metricRow(dl, t.degree, n[F.degree], t.about_degree);
    metricRow(dl, t.betweenness, n[F.betweenness].toFixed(3), t.about_betweenness);
    metricRow(dl, t.closeness, n[F.closeness].toFixed(3), t.about_closeness);
    if (n[F.group]) { metricRow(dl, t.group, n[F.group]); }
    panelBody.appendChild(dl);
    moreMeasures(i, dl);
    panelBody.appendChild(el("h3", t.ties));
    var ties = el("ul", null, "panel-ties");
    // Reported ties only: the co-attendance layer (coattendance.js) lists its own.
    var node = cy.getElementById("n" + i);
    node.connectedEdges().not(".co").connectedNodes().difference(node).forEach(function (m) {
      var li = el("li");
      li.appendChild(el("bdi", data.nodes[Number(m.id().slice(1))][1]));
      ties.appendChild(li);
    });
    if (!ties.children.length) { ties.appendChild(el("li", t.none)); }
    panelBody.appendChild(ties);
    panelBody.appendChild(el("h3", t.gaps));
    var gaps = el("ul", null, "panel-gaps");
    [1, 2, 4, 8].forEach(function (bit) { if (n[F.flags] & bit) { gaps.appendChild(el("li", t["flag" + bit])); } });
    data.suggestions.forEach(function (s) {
      if (s[0] === i || s[1] === i) { gaps.appendChild(el("li", s[2], "suggestion")); }
    });
    if (!gaps.children.length) { gaps.appendChild(el("li", t.none)); }
    panelBody.appendChild(gaps);
    live.dispatchEvent(new CustomEvent("lpnmap:panel", { detail: { index: i, body: panelBody } }));
    var close = el("button", t.close, "button secondary");
    close.type = "button";
    close.addEventListener("click", function () { select(null, "panel"); });
    panelBody.appendChild(close);
  }

  // The rest of an actor's measures come from its own small JSON, when its panel opens.
  function moreMeasures(i, dl) {
    var url = live.dataset.detail;
    if (!url) { return; }
    fetch(url.replace("{id}", String(data.nodes[i][F.id])),
          { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (d) {
        if (selected !== i) { return; }
        metricRow(dl, data.t.weighted_degree, d.metrics.weighted_degree);
        metricRow(dl, data.t.core_number, d.metrics.core_number);
      })
      .catch(function () { /* the panel keeps the measures it has */ });
  }

  function select(i, from) {
    if (selected !== null && items[selected]) {
      items[selected].firstChild.setAttribute("aria-pressed", "false");
    }
    cy.elements().unselect();
    cy.edges().removeClass("near");
    selected = i;
    if (i === null) { panel.hidden = true; return; }
    var node = cy.getElementById("n" + i);
    node.select();
    node.connectedEdges().addClass("near");
    var button = items[i].firstChild;
    button.setAttribute("aria-pressed", "true");
    if (from !== "list") { button.scrollIntoView({ block: "nearest" }); }
    // A focus link opens the whole map (fitted) with the actor selected: no centring.
    if (from !== "graph" && from !== "focus") {
      cy.animate({ center: { eles: node } }, { duration: 150 });
    }
    fillPanel(i);
    panel.hidden = false;
    if (from === "list") { panel.focus({ preventScroll: true }); }
  }

  function onSearch() {
    var q = search.value.trim().toLocaleLowerCase();
    var shown = 0;
    cy.batch(function () {
      cy.nodes().removeClass("match faded");
      data.nodes.forEach(function (n, i) {
        var hit = !q || n[1].toLocaleLowerCase().indexOf(q) !== -1;
        items[i].hidden = !hit;
        if (hit) { shown += 1; }
        if (q) { cy.getElementById("n" + i).addClass(hit ? "match" : "faded"); }
      });
    });
    count.textContent = shown ? fmt(data.t.shown, { shown: shown, total: data.nodes.length })
                              : data.t.nomatch;
  }

  function start(json) {
    data = json;
    data.fields.forEach(function (name, k) { F[name] = k; });
    live.hidden = false;
    side.hidden = false;
    if (staticFigure) { staticFigure.hidden = true; }
    document.getElementById("map-layout").classList.add("is-live");
    cy = window.cytoscape({
      container: document.getElementById("map-canvas"), elements: elements(), style: styles(),
      layout: { name: "preset", fit: true, padding: 30 }, wheelSensitivity: 0.3,
      boxSelectionEnabled: false, autoungrabify: true,
      textureOnViewport: data.nodes.length > 500, hideEdgesOnViewport: data.nodes.length > 500
    });
    window.lpnMap = cy;  // for tests and the console
    // "ready" once the canvas has its size and the map is fitted to it: positions are final.
    window.requestAnimationFrame(function () {
      cy.resize(); cy.fit(undefined, 30); live.dataset.ready = "1";
    });
    buildList();
    onSearch();
    cy.on("tap", "node", function (event) { select(Number(event.target.id().slice(1)), "graph"); });
    cy.on("tap", function (event) { if (event.target === cy) { select(null, "graph"); } });
    search.addEventListener("input", onSearch);
    // The co-attendance select is replaced by the map's own switch (coattendance.js).
    document.querySelectorAll("#map-filters select:not([name=coattendance])").forEach(function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
    live.dispatchEvent(new CustomEvent("lpnmap:ready", { detail: {
      cy: cy, data: data, el: el,
      refresh: function () { if (selected !== null) { fillPanel(selected); } }
    } }));
    var focus = Number(live.dataset.focus);  // ?focus=<id>: a link names one actor
    if (focus) {
      data.nodes.forEach(function (n, i) { if (n[F.id] === focus) { select(i, "focus"); } });
    }
  }

  fetch(live.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(start)
    .catch(function () { live.hidden = true; if (status) { status.textContent = ""; } });
}());
