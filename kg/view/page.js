
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var INST = DATA.inst;
  var nodesDS = new vis.DataSet([]), edgesDS = new vis.DataSet([]);
  network.setData({ nodes: nodesDS, edges: edgesDS });
  var classInfo = {}, nodeInfo = new Map(), edgeInfo = new Map(), instEdgeInfo = new Map();
  DATA.classes.forEach(function (c) { classInfo[c.key] = c; });
  DATA.nodes.forEach(function (n) { nodeInfo.set(n.id, n); });
  DATA.edges.forEach(function (e) { edgeInfo.set(e.id, e); });
  INST.edges.forEach(function (e) { instEdgeInfo.set(e.id, e); });
  var years = DATA.docs.map(function (d) { return d.year; }).filter(function (y) { return y !== null; });
  var YEAR_MIN = years.length ? Math.min.apply(null, years) : null;
  var YEAR_MAX = years.length ? Math.max.apply(null, years) : null;
  var state = {
    mode: "entities", classes: new Set(), relations: new Set(), kinds: new Set(), doc: "", province: "",
    from: YEAR_MIN, to: YEAR_MAX, isolated: false
  };
  function allOn() {
    DATA.classes.forEach(function (c) { state.classes.add(c.key); });
    DATA.relations.forEach(function (r) { state.relations.add(r.key); });
    INST.kinds.forEach(function (k) { state.kinds.add(k.key); });
  }
  allOn();

  // Every string from a document goes through textContent: nothing here is parsed as HTML.
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function nameOf(n) { return n.zh || n.en || n.id; }
  function glyph(cls) {
    var c = classInfo[cls] || classInfo.OTHER || { glyph: "●", color: "#999" };
    var g = el("span", c.glyph, "kg-glyph"); g.style.color = c.color; return g;
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function communityColour(i) { return i >= 0 && i < INST.communities.length ? INST.communities[i].color : "#b0b0b0"; }
  var LABEL_MAX = 18, SPACING = DATA.spacing.entities, INST_SPACING = DATA.spacing.institutions;
  function shortName(n) { var s = nameOf(n); return s.length <= LABEL_MAX ? s : s.slice(0, LABEL_MAX - 1) + "…"; }

  // ---- the note on what was left out
  (function note() {
    var box = $("kg-note"), n = DATA.note;
    if (!n.text) return;
    if (n.summary) {
      var more = el("details"); more.appendChild(el("summary", n.summary));
      box.appendChild(more); box = more;
      $("kg-note").hidden = false;
    }
    box.appendChild(el("div", n.text));
    n.commands.forEach(function (c) { box.appendChild(el("code", c)); });
    if (n.left_out.length) {
      box.appendChild(el("div", "Most connected entities left out: " + n.left_out.join("、")));
    }
    if (!n.summary) box.hidden = false;
  })();

  // ---- layout of what the filters leave: Fruchterman-Reingold per connected component, components packed
  // in rows (the same method as kg/view/layout.py), seeded, so the same filters give the same picture.
  function rng(seed) {
    return function () {
      seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function componentLayout(ids, adj, spacing) {
    var n = ids.length, pos = new Float64Array(2 * n);
    if (n === 1) return pos;
    if (n === 2) { pos[0] = -spacing / 2; pos[2] = spacing / 2; return pos; }
    var random = rng(7), i, j, it;
    for (i = 0; i < 2 * n; i++) pos[i] = random();
    var iterations = n > 800 ? 40 : n > 400 ? 60 : 120, k = Math.sqrt(1 / n), t = 0.1, dt = t / (iterations + 1);
    var mass = new Float64Array(n), dx = new Float64Array(n), dy = new Float64Array(n);
    for (i = 0; i < n; i++) mass[i] = Math.sqrt(1 + adj[i].length);
    var linked = new Uint8Array(n * n);
    adj.forEach(function (list, a) { list.forEach(function (b) { linked[a * n + b] = 1; }); });
    for (it = 0; it < iterations; it++) {
      dx.fill(0); dy.fill(0);
      for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
          var ddx = pos[2 * i] - pos[2 * j], ddy = pos[2 * i + 1] - pos[2 * j + 1];
          var d = Math.max(Math.sqrt(ddx * ddx + ddy * ddy), 0.01);
          var f = Math.sqrt(mass[i] * mass[j]) * k * k / (d * d) - (linked[i * n + j] ? d / k : 0);
          dx[i] += ddx * f; dy[i] += ddy * f; dx[j] -= ddx * f; dy[j] -= ddy * f;
        }
      }
      for (i = 0; i < n; i++) {
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len < 0.01) len = 0.1;
        pos[2 * i] += dx[i] * t / len; pos[2 * i + 1] += dy[i] * t / len;
      }
      t -= dt;
    }
    // scale: the median edge is `spacing` long, and nearest neighbours (median) at least as far apart
    var lengths = [], nearest = [];
    for (i = 0; i < n; i++) {
      var best = Infinity;
      for (j = 0; j < n; j++) {
        if (i === j) continue;
        var e = Math.hypot(pos[2 * i] - pos[2 * j], pos[2 * i + 1] - pos[2 * j + 1]);
        if (e < best) best = e;
        if (j > i && linked[i * n + j]) lengths.push(e);
      }
      nearest.push(best);
    }
    function median(a) { a.sort(function (x, y) { return x - y; }); return a.length ? a[a.length >> 1] : 0; }
    var scale = lengths.length ? spacing / Math.max(median(lengths), 1e-9) : spacing;
    var near = median(nearest);
    if (near > 0) scale = Math.max(scale, spacing / near);
    for (i = 0; i < 2 * n; i++) pos[i] *= scale;
    return pos;
  }
  function relayout(ids, links, spacing) {
    spacing = spacing || 90;
    var index = new Map(), adj = ids.map(function () { return []; });
    ids.forEach(function (id, i) { index.set(id, i); });
    links.forEach(function (l) {
      var a = index.get(l[0]), b = index.get(l[1]);
      if (a === undefined || b === undefined || a === b) return;
      if (adj[a].indexOf(b) < 0) { adj[a].push(b); adj[b].push(a); }
    });
    var seen = new Int32Array(ids.length).fill(-1), comps = [];
    for (var s = 0; s < ids.length; s++) {
      if (seen[s] >= 0) continue;
      var comp = [s], q = 0; seen[s] = comps.length;
      while (q < comp.length) {
        adj[comp[q++]].forEach(function (m) { if (seen[m] < 0) { seen[m] = comps.length; comp.push(m); } });
      }
      comp.sort(function (a, b) { return a - b; });
      comps.push(comp);
    }
    comps.sort(function (a, b) { return b.length - a.length || (ids[a[0]] < ids[b[0]] ? -1 : 1); });
    var boxes = comps.map(function (comp) {
      var local = new Map(); comp.forEach(function (g, i) { local.set(g, i); });
      var cadj = comp.map(function (g) { return adj[g].map(function (m) { return local.get(m); }); });
      var pos = componentLayout(comp, cadj, spacing);
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (var i = 0; i < comp.length; i++) {
        minX = Math.min(minX, pos[2 * i]); maxX = Math.max(maxX, pos[2 * i]);
        minY = Math.min(minY, pos[2 * i + 1]); maxY = Math.max(maxY, pos[2 * i + 1]);
      }
      return { comp: comp, pos: pos, minX: minX, minY: minY, w: maxX - minX, h: maxY - minY };
    });
    var area = 0, widest = 0;
    boxes.forEach(function (b) { area += (b.w + spacing) * (b.h + spacing); widest = Math.max(widest, b.w); });
    var canvas = document.querySelector("#mynetwork canvas");
    var aspect = canvas && canvas.clientHeight ? Math.min(Math.max(canvas.clientWidth / canvas.clientHeight, 0.5), 2) : 1;
    var rowWidth = Math.max(Math.sqrt(area * aspect), widest), x = 0, y = 0, rowH = 0, out = {};
    boxes.forEach(function (b) {
      if (x > 0 && x + b.w > rowWidth) { x = 0; y += rowH + spacing; rowH = 0; }
      b.comp.forEach(function (g, i) {
        out[ids[g]] = { x: b.pos[2 * i] - b.minX + x, y: b.pos[2 * i + 1] - b.minY + y };
      });
      x += b.w + spacing; rowH = Math.max(rowH, b.h);
    });
    return out;
  }

  // ---- filters
  function docFilter() {
    var docs = null;
    if (state.doc !== "") docs = new Set([Number(state.doc)]);
    else if (state.province !== "") docs = new Set(DATA.provinces[Number(state.province)].docs);
    if (YEAR_MIN !== null && (state.from > YEAR_MIN || state.to < YEAR_MAX)) {
      var inRange = new Set();
      DATA.docs.forEach(function (d, i) {
        if (d.year !== null && d.year >= state.from && d.year <= state.to && (!docs || docs.has(i))) inRange.add(i);
      });
      docs = inRange;
    }
    return docs;
  }
  function inDocs(list, docs) {
    if (!docs) return true;
    for (var i = 0; i < list.length; i++) if (docs.has(list[i])) return true;
    return false;
  }
  function isDefault() {
    return state.doc === "" && state.province === "" && !state.isolated && state.from === YEAR_MIN &&
      state.to === YEAR_MAX && state.classes.size === DATA.classes.length &&
      state.relations.size === DATA.relations.length && state.kinds.size === INST.kinds.length;
  }
  function modeNodes() {
    var key = state.mode === "entities" ? "ent" : "inst";
    return DATA.nodes.filter(function (n) { return n[key]; });
  }
  function instCount(e) {
    var n = 0;
    Object.keys(e.kinds).forEach(function (k) { if (state.kinds.has(k)) n += e.kinds[k]; });
    return n;
  }
  // What the filters leave in the current mode: {nodes, edges, isolated (linked nowhere, hidden unless asked)}.
  function visibleItems() {
    var docs = docFilter(), inst = state.mode === "institutions", shown = new Set(), edges = [];
    var candidates = modeNodes().filter(function (n) {
      return (inst || state.classes.has(n.cls)) && inDocs(n.docs, docs);
    });
    var candidateIds = new Set(candidates.map(function (n) { return n.id; }));
    (inst ? INST.edges : DATA.edges).forEach(function (e) {
      if (!candidateIds.has(e.from) || !candidateIds.has(e.to) || !inDocs(e.docs, docs)) return;
      if (inst ? instCount(e) === 0 : !state.relations.has(e.rel)) return;
      edges.push(e); shown.add(e.from); shown.add(e.to);
    });
    var isolated = candidates.filter(function (n) { return !shown.has(n.id); });
    var nodes = state.isolated ? candidates : candidates.filter(function (n) { return shown.has(n.id); });
    return { nodes: nodes, edges: edges, isolated: isolated.length };
  }
  function visNode(n, p) {
    var inst = state.mode === "institutions", m = inst ? n.inst : n.ent, c = classInfo[n.cls] || classInfo.OTHER;
    return {
      id: n.id, label: shortName(n), x: p.x, y: p.y,
      shape: inst ? "dot" : c.shape, color: inst ? communityColour(m.com) : c.color,
      title: nameOf(n) + " · " + (inst ? "community " + (m.com + 1) + " · " + m.w + " links" : c.name)
    };
  }
  function visEdge(e) {
    if (state.mode === "institutions") {
      var n = instCount(e), kinds = Object.keys(e.kinds).filter(function (k) { return state.kinds.has(k); });
      var colour = kinds.length === 1 ? INST.kinds.filter(function (k) { return k.key === kinds[0]; })[0].color : "#777777";
      return { id: e.id, from: e.from, to: e.to, color: { color: colour, opacity: 0.75 }, arrows: { to: { enabled: false } },
        label: n > 1 ? String(n) : undefined, title: n + " link" + (n > 1 ? "s" : "") + ": " + kinds.join(", "),
        count: n };
    }
    return { id: e.id, from: e.from, to: e.to, color: e.color, title: e.rel };
  }
  var lastCounts = null;
  function applyFilters() {
    styledScale = 0;
    var items = visibleItems(), inst = state.mode === "institutions", positions;
    var def = isDefault();
    if (def) {
      positions = {};
      items.nodes.forEach(function (n) { var m = inst ? n.inst : n.ent; positions[n.id] = { x: m.x, y: m.y }; });
    } else {
      positions = relayout(items.nodes.map(function (n) { return n.id; }),
        items.edges.map(function (e) { return [e.from, e.to]; }), inst ? INST_SPACING : SPACING);
    }
    network.setOptions({ edges: { arrows: { to: { enabled: !inst, scaleFactor: 0.5 } },
      font: { size: 12, strokeWidth: 3, strokeColor: "#ffffff", color: "#333333", align: "middle" } } });
    nodesDS.clear(); edgesDS.clear();
    nodesDS.add(items.nodes.map(function (n) { return visNode(n, positions[n.id]); }));
    edgesDS.add(items.edges.map(visEdge));
    fitAndScale(items.nodes.length);
    updateCounts(items);
    lastCounts = { nodes: items.nodes.length, edges: items.edges.length, isolated: items.isolated };
    return lastCounts;
  }
  // Fit what is drawn, then size labels, nodes and edges for that zoom: the most connected entities get
  // readable labels (up to 22 px on screen); leaves of a big graph get theirs when zoomed in.
  function fitAndScale(n) {
    drawnCount = n;
    styledScale = 0;
    var s = fitView();
    restyle(s);
  }
  // Sizes keep to the screen whatever the zoom (vis-network draws in canvas units, so they are set again
  // when the zoom changes): the most connected entities get labels up to 22 px; the others grow with the
  // room their neighbours leave them (a leaf's label once neighbours are ~70 px apart), and a label under
  // 8 px is not drawn (drawThreshold). Small graphs label everything.
  var drawnCount = 0, styledScale = 0;
  function styleFor(id, s) {
    var inst = state.mode === "institutions", spacing = inst ? INST_SPACING : SPACING, z = Math.min(s, 1);
    var n = nodeInfo.get(id), v = Math.pow(inst ? n.inst.imp : n.ent.imp, 1.5);
    var minPx = Math.max(4, Math.min(spacing * s * 0.14, 13)), maxPx = 22;
    var minSize = Math.min(Math.max(6, 4 / z), spacing * 0.15), maxSize = Math.min(Math.max(24, 14 / z), spacing * 0.45);
    return { size: minSize + v * (maxSize - minSize), px: minPx + v * (maxPx - minPx) };
  }
  function restyle(s) {
    if (!s || (styledScale && Math.abs(s - styledScale) / s < 0.05)) return;
    styledScale = s;
    var inst = state.mode === "institutions", spacing = inst ? INST_SPACING : SPACING, z = Math.min(s, 1);
    nodesDS.update(nodesDS.getIds().map(function (id) {
      var st = styleFor(id, s);
      return { id: id, size: st.size, font: { size: st.px / s } };
    }));
    var width = Math.min(Math.max(1, 1.2 / z), 6);
    edgesDS.update(edgesDS.get().map(function (e) {
      if (!inst) return { id: e.id, width: width };
      return { id: e.id, width: Math.min((1.2 + 1.6 * Math.log2(e.count)) / z, spacing * 0.1),
        font: { size: 12 / s } };
    }));
  }
  // Fit what is drawn, labels included (labels keep their size in pixels, so the fit solves for the
  // scale at which positions plus labels fill the canvas; never above 100%).
  function textWidth(text, px) {
    var w = 0;
    for (var i = 0; i < text.length; i++) w += text.charCodeAt(i) > 0x2e80 ? px : px * 0.6;
    return w;
  }
  function fitView() {
    var ids = nodesDS.getIds(), pos = network.getPositions(ids);
    var canvas = document.querySelector("#mynetwork canvas"), W = canvas.clientWidth, H = canvas.clientHeight;
    if (!ids.length || !W || !H) return network.getScale() || 1;
    function extent(s) {
      var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      ids.forEach(function (id) {
        var st = styleFor(id, s), r = st.size * Math.min(s, 1) / Math.min(s, 1) * s, p = pos[id];
        var label = st.px >= 7 ? textWidth(shortName(nodeInfo.get(id)), st.px) / 2 : 0;
        var half = Math.max(r, label), below = r + (st.px >= 7 ? st.px * 1.4 : 0);
        x0 = Math.min(x0, p.x * s - half); x1 = Math.max(x1, p.x * s + half);
        y0 = Math.min(y0, p.y * s - r); y1 = Math.max(y1, p.y * s + below);
      });
      return { x0: x0, x1: x1, y0: y0, y1: y1 };
    }
    var margin = 12, lo = 0.005, hi = 1, e = extent(hi);
    if (e.x1 - e.x0 > W - 2 * margin || e.y1 - e.y0 > H - 2 * margin) {
      for (var k = 0; k < 30; k++) {
        var mid = (lo + hi) / 2, m = extent(mid);
        if (m.x1 - m.x0 <= W - 2 * margin && m.y1 - m.y0 <= H - 2 * margin) lo = mid; else hi = mid;
      }
      hi = lo; e = extent(hi);
    }
    network.moveTo({ position: { x: (e.x0 + e.x1) / 2 / hi, y: (e.y0 + e.y1) / 2 / hi }, scale: hi,
      animation: false });
    return hi;
  }
  var zoomPending = false;
  network.on("zoom", function () {
    if (zoomPending) return;
    zoomPending = true;
    window.requestAnimationFrame(function () { zoomPending = false; restyle(network.getScale()); });
  });

  // ---- counts: the sentence at the top, the legends' numbers, the toggle's
  function updateCounts(items) {
    var v = DATA.view, inst = state.mode === "institutions", text;
    if (inst) {
      text = "Showing " + fmt(items.nodes.length) + " bodies and " + fmt(items.edges.length) +
        " links between them; " + fmt(INST.linked) + " of " + fmt(INST.bodies) + " bodies have a link" +
        (INST.omitted ? " (" + fmt(INST.omitted) + " more bodies left out by the size cap)" : "") + ".";
    } else {
      text = "Showing " + fmt(items.nodes.length) + " entities and " + fmt(items.edges.length) + " relations";
      text += "; the graph has " + fmt(v.nodes_total) + " and " + fmt(v.edges_total) + ".";
    }
    $("kg-counts").textContent = text;
    var word = inst ? "bodies" : "entities";
    $("kg-isolated-label").textContent = "Show " + fmt(items.isolated) + " " + word + " without " +
      (inst ? "links" : "relations");
    var byClass = {}, byRel = {}, byKind = {}, byCom = {};
    items.nodes.forEach(function (n) {
      byClass[n.cls] = (byClass[n.cls] || 0) + 1;
      if (n.inst) byCom[n.inst.com] = (byCom[n.inst.com] || 0) + 1;
    });
    items.edges.forEach(function (e) {
      if (inst) Object.keys(e.kinds).forEach(function (k) { if (state.kinds.has(k)) byKind[k] = (byKind[k] || 0) + e.kinds[k]; });
      else byRel[e.rel] = (byRel[e.rel] || 0) + 1;
    });
    document.querySelectorAll("#kg-legend [data-count]").forEach(function (s) { s.textContent = fmt(byClass[s.getAttribute("data-count")] || 0); });
    document.querySelectorAll("#kg-relations [data-count]").forEach(function (s) { s.textContent = fmt(byRel[s.getAttribute("data-count")] || 0); });
    document.querySelectorAll("#kg-kinds [data-count]").forEach(function (s) { s.textContent = fmt(byKind[s.getAttribute("data-count")] || 0); });
    document.querySelectorAll("#kg-communities [data-count]").forEach(function (s) { s.textContent = fmt(byCom[s.getAttribute("data-count")] || 0); });
  }

  // ---- the side panel's controls
  function checkbox(list, key, set, label, mark) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = key; box.setAttribute("data-key", key);
    box.addEventListener("change", function () {
      if (box.checked) set.add(key); else set.delete(key);
      applyFilters();
    });
    var count = el("span", "", "kg-count"); count.setAttribute("data-count", key);
    lab.appendChild(box); lab.appendChild(mark); lab.appendChild(el("span", label)); lab.appendChild(count);
    li.appendChild(lab); list.appendChild(li);
  }
  DATA.classes.forEach(function (c) {
    checkbox($("kg-legend"), c.key, state.classes, c.name + " " + c.zh + " (" + c.shape + ")", glyph(c.key));
  });
  DATA.relations.forEach(function (r) {
    var sw = el("span", null, "kg-swatch"); sw.style.background = r.color;
    checkbox($("kg-relations"), r.key, state.relations, r.key, sw);
  });
  INST.kinds.forEach(function (k) {
    var sw = el("span", null, "kg-swatch"); sw.style.background = k.color;
    checkbox($("kg-kinds"), k.key, state.kinds, k.label, sw);
  });
  INST.communities.forEach(function (c) {
    var li = el("li"), sw = el("span", "●", "kg-glyph"), count = el("span", "", "kg-count");
    sw.style.color = c.color; count.setAttribute("data-count", String(c.index));
    li.appendChild(sw); li.appendChild(el("span", c.names.join("、") + (c.size > c.names.length ? " …" : "")));
    li.appendChild(count); li.className = "kg-community"; $("kg-communities").appendChild(li);
  });
  DATA.docs.forEach(function (d, i) {
    var o = el("option", d.id + " · " + d.title); o.value = String(i); $("kg-doc").appendChild(o);
  });
  DATA.provinces.forEach(function (p, i) {
    var o = el("option", p.name + " (" + p.docs.length + " documents)"); o.value = String(i);
    $("kg-province").appendChild(o);
  });
  $("kg-doc").addEventListener("change", function () {
    state.doc = this.value; if (state.doc !== "") { state.province = ""; $("kg-province").value = ""; }
    applyFilters();
  });
  $("kg-province").addEventListener("change", function () {
    state.province = this.value; if (state.province !== "") { state.doc = ""; $("kg-doc").value = ""; }
    applyFilters();
  });
  $("kg-isolated").addEventListener("change", function () { state.isolated = this.checked; applyFilters(); });
  if (YEAR_MIN === null) {
    $("kg-years").hidden = true;
  } else {
    ["kg-year-from", "kg-year-to"].forEach(function (id) {
      var box = $(id); box.min = String(YEAR_MIN); box.max = String(YEAR_MAX);
      box.value = String(id === "kg-year-from" ? YEAR_MIN : YEAR_MAX);
      box.addEventListener("change", function () { setYears(Number($("kg-year-from").value), Number($("kg-year-to").value)); });
    });
  }
  function setYears(from, to) {
    if (YEAR_MIN === null) return lastCounts;
    from = Math.max(YEAR_MIN, Math.min(isNaN(from) ? YEAR_MIN : from, YEAR_MAX));
    to = Math.min(YEAR_MAX, Math.max(isNaN(to) ? YEAR_MAX : to, YEAR_MIN));
    if (from > to) { var t = from; from = to; to = t; }
    state.from = from; state.to = to;
    $("kg-year-from").value = String(from); $("kg-year-to").value = String(to);
    return applyFilters();
  }
  function setMode(mode) {
    state.mode = mode;
    document.querySelectorAll("#kg-modes button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-mode") === mode ? "true" : "false");
    });
    document.querySelectorAll("[data-for-mode]").forEach(function (box) {
      box.hidden = box.getAttribute("data-for-mode") !== mode;
    });
    return applyFilters();
  }
  document.querySelectorAll("#kg-modes button").forEach(function (b) {
    b.addEventListener("click", function () { setMode(b.getAttribute("data-mode")); });
  });
  if (!INST.bodies) $("kg-mode-institutions").disabled = true;
  function resetFilters() {
    allOn();
    state.doc = ""; state.province = ""; state.isolated = false; state.from = YEAR_MIN; state.to = YEAR_MAX;
    $("kg-doc").value = ""; $("kg-province").value = ""; $("kg-isolated").checked = false;
    if (YEAR_MIN !== null) { $("kg-year-from").value = String(YEAR_MIN); $("kg-year-to").value = String(YEAR_MAX); }
    document.querySelectorAll("#kg-legend input, #kg-relations input, #kg-kinds input").forEach(function (b) {
      b.checked = true;
    });
    return applyFilters();
  }
  $("kg-reset").addEventListener("click", resetFilters);
  window.addEventListener("resize", function () { styledScale = 0; restyle(fitView()); });

  // ---- search
  function search(query) {
    var q = String(query).trim().toLowerCase(), exact = [], prefix = [], part = [];
    if (!q) return [];
    DATA.nodes.forEach(function (n) {
      if (!n.ent && !(state.mode === "institutions" && n.inst)) return;
      var names = [n.zh, n.en].concat(n.aliases).filter(Boolean).map(function (s) {
        return s.toLowerCase();
      });
      if (n.id.toLowerCase() === q || names.indexOf(q) >= 0) exact.push(n);
      else if (names.some(function (s) { return s.indexOf(q) === 0; })) prefix.push(n);
      else if (names.some(function (s) { return s.indexOf(q) >= 0; })) part.push(n);
    });
    function byDegree(a, b) { return b.deg - a.deg || (a.id < b.id ? -1 : 1); }
    return exact.sort(byDegree).concat(prefix.sort(byDegree), part.sort(byDegree));
  }
  function runSearch() {
    var found = search($("kg-search").value), list = $("kg-search-results");
    list.textContent = "";
    if (!$("kg-search").value.trim()) return null;
    if (!found.length) { list.appendChild(el("li", "No entity has that name.", "kg-empty")); return null; }
    found.slice(0, 25).forEach(function (n) {
      var li = el("li"), b = el("button", null);
      b.type = "button"; b.appendChild(glyph(n.cls));
      b.appendChild(el("span", nameOf(n) + (n.en && n.zh ? " · " + n.en : "")));
      b.addEventListener("click", function () { focusNode(n.id); });
      li.appendChild(b); list.appendChild(li);
    });
    if (found.length > 25) list.appendChild(el("li", "… " + (found.length - 25) + " more", "kg-empty"));
    focusNode(found[0].id);
    return found[0].id;
  }
  $("kg-search-go").addEventListener("click", runSearch);
  $("kg-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") runSearch(); });

  function focusNode(id) {
    var n = nodeInfo.get(id);
    if (!n) return;
    if (state.mode === "institutions" && !n.inst) setMode("entities");
    if (!nodesDS.get(id)) {
      resetFilters();
      if (!nodesDS.get(id)) { state.isolated = true; $("kg-isolated").checked = true; applyFilters(); }
    }
    network.selectNodes([id]);
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.1),
      animation: { duration: 250, easingFunction: "easeInOutQuad" }
    });
    showNode(id);
  }

  // ---- details
  function details() { var d = $("kg-details"); d.textContent = ""; d.scrollTop = 0; return d; }
  function fact(dl, term, value) {
    if (value === "" || value === null || value === undefined) return;
    dl.appendChild(el("dt", term));
    var dd = el("dd"); if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  function docLabel(i) { var d = DATA.docs[i]; return d ? d.title + " (" + d.id + ")" : "unknown document"; }
  function nodeLink(id) {
    var n = nodeInfo.get(id), b = el("button", null, "kg-link");
    b.type = "button"; b.appendChild(glyph(n.cls)); b.appendChild(el("span", nameOf(n)));
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function relName(e) {
    var r = el("span", e.rel, "kg-relname");
    var info = DATA.relations.filter(function (x) { return x.key === e.rel; })[0];
    r.style.background = info ? info.color : "#999";
    return r;
  }
  function evidence(parent, items, derived) {
    if (!items.length) {
      parent.appendChild(el("div", "No evidence sentence recorded.", "kg-empty"));
      return;
    }
    items.forEach(function (item) {
      var s = DATA.sentences[item[0]], conf = item[1];
      var q = el("blockquote", s[3], "kg-sentence"); q.setAttribute("data-sentence", "1");
      parent.appendChild(q);
      var cite = docLabel(s[0]) + (s[1] >= 0 ? " · characters " + s[1] + "–" + s[2] : "") +
        (conf ? " · confidence " + conf : "") + (derived ? " · from the holdsPost statement" : "");
      parent.appendChild(el("div", cite, "kg-cite"));
    });
  }
  function kindsText(e) {
    return Object.keys(e.kinds).map(function (k) { return k + " ×" + e.kinds[k]; }).join(", ");
  }
  function showNode(id) {
    var n = nodeInfo.get(id), d = details(), c = classInfo[n.cls];
    var h = el("h2"); h.appendChild(glyph(n.cls)); h.appendChild(el("span", nameOf(n))); d.appendChild(h);
    d.setAttribute("data-node", id);
    d.removeAttribute("data-edge");
    var dl = el("dl", null, "kg-facts");
    fact(dl, "中文名", n.zh); fact(dl, "English", n.en);
    fact(dl, "Aliases", n.aliases.join("、"));
    fact(dl, "Class", c ? c.name + " · " + c.zh : n.cls);
    if (n.inst && n.inst.com >= 0) fact(dl, "Community", String(n.inst.com + 1));
    fact(dl, "IRI", el("code", n.id));
    fact(dl, "Documents", n.docs.map(docLabel).join("; "));
    d.appendChild(dl);
    if (state.mode === "institutions") {
      var links = INST.edges.filter(function (e) { return e.from === id || e.to === id; });
      links.sort(function (a, b) { return b.count - a.count || (a.id < b.id ? -1 : 1); });
      d.appendChild(el("h3", "Links to other bodies (" + links.length + ")"));
      if (!links.length) d.appendChild(el("div", "None.", "kg-empty"));
      links.forEach(function (e) {
        var box = el("div", null, "kg-rel"), head = el("div", null, "kg-rel-head");
        box.setAttribute("data-edge", e.id);
        head.appendChild(nodeLink(e.from === id ? e.to : e.from));
        head.appendChild(el("span", " · " + kindsText(e)));
        box.appendChild(head); d.appendChild(box);
      });
      return;
    }
    var rels = DATA.edges.filter(function (e) { return e.from === id || e.to === id; }).sort(function (a, b) {
      return a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : (a.id < b.id ? -1 : 1);
    });
    d.appendChild(el("h3", "Relations (" + rels.length + ")"));
    if (!rels.length) d.appendChild(el("div", "None in this view.", "kg-empty"));
    rels.forEach(function (e) {
      var box = el("div", null, "kg-rel"), head = el("div", null, "kg-rel-head");
      box.setAttribute("data-edge", e.id);
      var out = e.from === id;
      head.appendChild(el("span", out ? "→ " : "← "));
      head.appendChild(relName(e)); head.appendChild(el("span", " "));
      head.appendChild(nodeLink(out ? e.to : e.from));
      box.appendChild(head);
      evidence(box, e.ev, e.derived);
      d.appendChild(box);
    });
    if (n.men.length) {
      d.appendChild(el("h3", "First mentions"));
      evidence(d, n.men.map(function (i) { return [i, ""]; }), false);
    }
  }
  function showEdge(id) {
    var d = details(), e = edgeInfo.get(id), dl = el("dl", null, "kg-facts");
    d.setAttribute("data-edge", id);
    d.removeAttribute("data-node");
    if (!e) {
      e = instEdgeInfo.get(id);
      d.appendChild(el("h2", e.count + " link" + (e.count > 1 ? "s" : "") + " between two bodies"));
      fact(dl, "Between", nodeLink(e.from)); fact(dl, "And", nodeLink(e.to));
      fact(dl, "Kinds", kindsText(e));
      fact(dl, "Through", e.via.join("、"));
      fact(dl, "Documents", e.docs.map(docLabel).join("; "));
      d.appendChild(dl);
      d.appendChild(el("h3", "Evidence"));
      evidence(d, e.ev, false);
      return;
    }
    var h = el("h2"); h.appendChild(relName(e)); d.appendChild(h);
    fact(dl, "From", nodeLink(e.from)); fact(dl, "To", nodeLink(e.to));
    fact(dl, "Predicate", el("code", e.pred));
    fact(dl, "Documents", e.docs.map(docLabel).join("; "));
    d.appendChild(dl);
    d.appendChild(el("h3", "Evidence"));
    evidence(d, e.ev, e.derived);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  var counts = setMode("entities");
  window.kgView = {
    applyFilters: applyFilters, resetFilters: resetFilters, setMode: setMode, setYears: setYears,
    search: function (q) { $("kg-search").value = q; return runSearch(); },
    focusNode: focusNode, showNode: showNode, showEdge: showEdge, counts: counts, data: DATA,
    state: state, relayout: relayout,
    visible: function () { return { nodes: nodesDS.length, edges: edgesDS.length }; }
  };
  network.once("afterDrawing", function () {
    window.kgReadyAt = performance.now();
    document.documentElement.setAttribute("data-kg-ready", "1");
  });
  network.redraw();
})();
