/* Co-attendance on the interactive map: who met at meetings and trainings, as its own kind of
   tie (dashed blue, thicker for more shared events), switched on and off by a checkbox, and
   compared with the reported ties: in the panel of the chosen actor and as a list of pairs
   that "met at 3 events but report no working tie". The layer's data (data-coattendance) is
   loaded the first time it is switched on. The map (networkmap.js) announces itself with
   "lpnmap:ready" and each panel it fills with "lpnmap:panel". */
(function () {
  "use strict";
  var live = document.getElementById("map-live");
  var toggle = document.getElementById("map-coattendance");
  var box = document.getElementById("coatt-box");
  if (!live || !toggle || !box) { return; }
  var map = null, layer = null, loading = null;
  var select = document.querySelector("#map-filters select[name=coattendance]");

  // A translated sentence with %(a)s and %(b)s filled by names, each isolated in <bdi>.
  function sentence(template, a, b) {
    var frag = document.createDocumentFragment();
    template.split(/(%\([ab]\)s)/).forEach(function (part) {
      if (part === "%(a)s" || part === "%(b)s") {
        frag.appendChild(map.el("bdi", map.data.nodes[part === "%(a)s" ? a : b][1]));
      } else if (part) {
        frag.appendChild(document.createTextNode(part));
      }
    });
    return frag;
  }

  function width(events) { return events <= 1 ? 1.5 : (events <= 3 ? 3 : 5); }
  // Where many met once (a big forum), the pairs that met again must stand out.
  function opacity(events) { return events <= 1 ? 0.35 : (events <= 3 ? 0.65 : 0.9); }

  function draw(json) {
    layer = json;
    map.cy.batch(function () {
      map.cy.add(layer.ties.map(function (t, k) {
        return { group: "edges", classes: "co", data: {
          id: "c" + k, source: "n" + t[0], target: "n" + t[1], width: width(t[2]), opacity: opacity(t[2]),
          events: t[2], reported: t[3] } };
      }));
    });
    var list = document.getElementById("coatt-list");
    list.textContent = "";
    layer.unreported.forEach(function (t) {
      var li = map.el("li");
      li.appendChild(sentence(layer.no[t[2]], t[0], t[1]));
      list.appendChild(li);
    });
    if (!layer.unreported.length) { list.appendChild(map.el("li", map.data.t.none)); }
    var more = document.getElementById("coatt-more");
    more.textContent = layer.left_out || "";
    more.hidden = !layer.left_out;
  }

  function load() {
    if (!loading) {
      loading = fetch(live.dataset.coattendance,
                      { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(draw)
        .catch(function () { loading = null; toggle.checked = false; show(false); });
    }
    return loading;
  }

  // The page's address and the (hidden) filter keep the choice, for a reload or a new filter.
  function remember(on) {
    if (select) { select.value = on ? "1" : ""; }
    var url = new URL(window.location.href);
    if (on) { url.searchParams.set("coattendance", "1"); } else { url.searchParams.delete("coattendance"); }
    window.history.replaceState(window.history.state, "", url.toString());
  }

  function show(on) {
    box.hidden = !on;
    document.querySelectorAll(".legend-box .legend-coattendance").forEach(function (p) {
      p.hidden = !on;
    });
    live.dataset.coattendanceOn = on ? "1" : "0";
    map.cy.edges(".co").toggleClass("co-off", !on);
    remember(on);
    map.refresh();
  }

  function switched() {
    var on = toggle.checked;
    if (on && !layer) {
      load().then(function () { if (layer && toggle.checked) { show(true); } });
      return;
    }
    show(on);
  }

  function panel(event) {
    if (!toggle.checked || !layer) { return; }
    var i = event.detail.index, body = event.detail.body;
    body.appendChild(map.el("h3", layer.title));
    var ul = map.el("ul", null, "panel-met");
    layer.ties.forEach(function (t) {
      if (t[0] !== i && t[1] !== i) { return; }
      var li = map.el("li", null, t[3] ? "reported" : "unreported");
      var other = t[0] === i ? t[1] : t[0];
      li.appendChild(sentence((t[3] ? layer.yes : layer.no)[t[2]], i, other));
      ul.appendChild(li);
    });
    if (!ul.children.length) { ul.appendChild(map.el("li", map.data.t.none)); }
    body.appendChild(ul);
  }

  live.addEventListener("lpnmap:ready", function (event) {
    map = event.detail;
    map.cy.style()
      .selector("edge.co").style({
        "curve-style": "straight", "line-style": "dashed", "line-dash-pattern": [6, 4],
        "line-color": "#0072B2", "width": "data(width)", "opacity": "data(opacity)" })
      .selector("edge.co.near").style({ "line-color": "#003f6b", "opacity": 1 })
      .selector("edge.co-off").style({ "display": "none" })
      .update();
    if (select) { select.closest(".field").hidden = true; }
    toggle.addEventListener("change", switched);
    live.addEventListener("lpnmap:panel", panel);
    if (toggle.checked) { switched(); }
  });
}());
