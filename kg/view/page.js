
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var nodesDS = network.body.data.nodes;
  var edgesDS = network.body.data.edges;
  var classInfo = {}, nodeInfo = new Map(), edgeInfo = new Map(), incident = new Map();
  DATA.classes.forEach(function (c) { classInfo[c.key] = c; });
  DATA.nodes.forEach(function (n) { nodeInfo.set(n.id, n); incident.set(n.id, []); n.hidden = false; });
  DATA.edges.forEach(function (e) {
    edgeInfo.set(e.id, e); e.hidden = false;
    incident.get(e.from).push(e);
    if (e.to !== e.from) incident.get(e.to).push(e);
  });
  var state = { classes: new Set(), relations: new Set(), doc: "", province: "" };
  DATA.classes.forEach(function (c) { state.classes.add(c.key); });
  DATA.relations.forEach(function (r) { state.relations.add(r.key); });

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

  // ---- counts and the note on what was left out
  function updateCounts(visibleNodes, visibleEdges) {
    var v = DATA.view;
    var text = "Showing " + fmt(visibleNodes) + " entities and " + fmt(visibleEdges) + " relations";
    if (visibleNodes !== v.nodes || visibleEdges !== v.edges) {
      text += " (filters hide " + fmt(v.nodes - visibleNodes) + " and " + fmt(v.edges - visibleEdges) + ")";
    }
    text += "; the graph has " + fmt(v.nodes_total) + " and " + fmt(v.edges_total) + ".";
    $("kg-counts").textContent = text;
  }
  (function note() {
    var box = $("kg-note"), n = DATA.note;
    if (!n.text) return;
    box.appendChild(el("div", n.text));
    n.commands.forEach(function (c) { box.appendChild(el("code", c)); });
    if (n.left_out.length) {
      box.appendChild(el("div", "Most connected entities left out: " + n.left_out.join("、")));
    }
    box.hidden = false;
  })();

  // ---- filters
  function docFilter() {
    if (state.doc !== "") return new Set([Number(state.doc)]);
    if (state.province !== "") return new Set(DATA.provinces[Number(state.province)].docs);
    return null;
  }
  function inDocs(list, docs) {
    if (!docs) return true;
    for (var i = 0; i < list.length; i++) if (docs.has(list[i])) return true;
    return false;
  }
  function applyFilters() {
    var docs = docFilter(), nodeChanges = [], edgeChanges = [], vn = 0, ve = 0;
    DATA.nodes.forEach(function (n) {
      var hide = !state.classes.has(n.cls) || !inDocs(n.docs, docs);
      if (hide !== n.hidden) { n.hidden = hide; nodeChanges.push({ id: n.id, hidden: hide }); }
      if (!hide) vn++;
    });
    DATA.edges.forEach(function (e) {
      var hide = !state.relations.has(e.rel) || nodeInfo.get(e.from).hidden || nodeInfo.get(e.to).hidden ||
        !inDocs(e.docs, docs);
      if (hide !== e.hidden) { e.hidden = hide; edgeChanges.push({ id: e.id, hidden: hide }); }
      if (!hide) ve++;
    });
    if (nodeChanges.length) nodesDS.update(nodeChanges);
    if (edgeChanges.length) edgesDS.update(edgeChanges);
    updateCounts(vn, ve);
    return { nodes: vn, edges: ve };
  }
  function checkbox(list, key, set, label, count, mark) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = key; box.setAttribute("data-key", key);
    box.addEventListener("change", function () {
      if (box.checked) set.add(key); else set.delete(key);
      applyFilters();
    });
    lab.appendChild(box); lab.appendChild(mark); lab.appendChild(el("span", label));
    lab.appendChild(el("span", fmt(count), "kg-count"));
    li.appendChild(lab); list.appendChild(li);
  }
  DATA.classes.forEach(function (c) {
    var label = c.name + " " + c.zh + " (" + c.shape + ")";
    checkbox($("kg-legend"), c.key, state.classes, label, c.count, glyph(c.key));
  });
  DATA.relations.forEach(function (r) {
    var sw = el("span", null, "kg-swatch"); sw.style.background = r.color;
    checkbox($("kg-relations"), r.key, state.relations, r.key, r.count, sw);
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
  function resetFilters() {
    DATA.classes.forEach(function (c) { state.classes.add(c.key); });
    DATA.relations.forEach(function (r) { state.relations.add(r.key); });
    state.doc = ""; state.province = ""; $("kg-doc").value = ""; $("kg-province").value = "";
    document.querySelectorAll("#kg-legend input, #kg-relations input").forEach(function (b) {
      b.checked = true;
    });
    return applyFilters();
  }
  $("kg-reset").addEventListener("click", resetFilters);

  // ---- search
  function search(query) {
    var q = String(query).trim().toLowerCase(), exact = [], prefix = [], part = [];
    if (!q) return [];
    DATA.nodes.forEach(function (n) {
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
    if (n.hidden) resetFilters();
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
  function showNode(id) {
    var n = nodeInfo.get(id), d = details(), c = classInfo[n.cls];
    var h = el("h2"); h.appendChild(glyph(n.cls)); h.appendChild(el("span", nameOf(n))); d.appendChild(h);
    d.setAttribute("data-node", id);
    d.removeAttribute("data-edge");
    var dl = el("dl", null, "kg-facts");
    fact(dl, "中文名", n.zh); fact(dl, "English", n.en);
    fact(dl, "Aliases", n.aliases.join("、"));
    fact(dl, "Class", c ? c.name + " · " + c.zh : n.cls);
    fact(dl, "IRI", el("code", n.id));
    fact(dl, "Documents", n.docs.map(docLabel).join("; "));
    d.appendChild(dl);
    var rels = incident.get(id).slice().sort(function (a, b) {
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
    var e = edgeInfo.get(id), d = details();
    var h = el("h2"); h.appendChild(relName(e)); d.appendChild(h);
    d.setAttribute("data-edge", id);
    d.removeAttribute("data-node");
    var dl = el("dl", null, "kg-facts");
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

  var counts = applyFilters();
  window.kgView = {
    applyFilters: applyFilters, resetFilters: resetFilters, search: function (q) {
      $("kg-search").value = q; return runSearch();
    },
    focusNode: focusNode, showNode: showNode, showEdge: showEdge, counts: counts, data: DATA,
    visible: function () {
      return {
        nodes: nodesDS.get({ filter: function (n) { return !n.hidden; } }).length,
        edges: edgesDS.get({ filter: function (e) { return !e.hidden; } }).length
      };
    }
  };
  network.once("afterDrawing", function () {
    window.kgReadyAt = performance.now();
    document.documentElement.setAttribute("data-kg-ready", "1");
  });
  network.redraw();
})();
