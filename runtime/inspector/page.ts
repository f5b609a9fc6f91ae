// The inspector page: one self-contained document (no framework, no CDN, works offline).
// Its script reads the data endpoints under /__actorstate/api and highlights the statechart
// through the SVG's data-state / data-from / data-to attributes. The script avoids template
// literals so it can live in this string.

const style = String.raw`
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --accent: #b45309; --bad: #b91c1c; --good: #15803d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f8fafc; }
header { display: flex; gap: 12px; align-items: baseline; padding: 10px 16px; background: var(--ink); color: #fff; }
header h1 { font-size: 16px; margin: 0; }
header #status { color: #cbd5e1; font-size: 12px; }
main { display: grid; grid-template-columns: minmax(360px, 38%) 1fr; gap: 12px; padding: 12px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; min-width: 0; }
h2 { font-size: 15px; margin: 0 0 8px; } h3 { font-size: 13px; margin: 12px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin-bottom: 8px; }
input, select, textarea, button { font: inherit; padding: 4px 6px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; }
button { cursor: pointer; background: #f1f5f9; } button:hover { background: #e2e8f0; } button.danger { color: var(--bad); }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 220px; }
tbody tr { cursor: pointer; } tbody tr:hover { background: #f1f5f9; } tbody tr.selected { background: #fef3c7; }
.lc { font-weight: 600; } .lc-running { color: var(--good); } .lc-destroyed { color: var(--muted); } .lc-destroying { color: var(--accent); }
#list-scroll { max-height: 70vh; overflow: auto; }
#diagram svg { max-width: 100%; height: auto; max-height: 62vh; display: block; margin: 0 auto; }
#diagram g.last polyline { stroke: #dc2626; stroke-width: 3; }
#diagram g.last text { fill: #dc2626; font-weight: 700; }
#moment { margin: 8px 0; padding: 6px 8px; border-radius: 6px; background: #f1f5f9; font-size: 13px; }
#moment.past { background: #fef3c7; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
#log { list-style: none; margin: 0; padding: 0; max-height: 40vh; overflow: auto; font: 12px ui-monospace, monospace; }
#log li { padding: 2px 4px; border-bottom: 1px solid var(--line); cursor: pointer; }
#log li:hover { background: #f1f5f9; } #log li.picked { background: #fde68a; } #log li.error { color: var(--bad); }
.tree { font: 12px ui-monospace, monospace; } .tree ul { list-style: none; margin: 0; padding-left: 14px; } .tree summary { cursor: pointer; }
.k { color: #7c3aed; } .s { color: #15803d; } .n { color: #1d4ed8; } .b { color: #b45309; } .z { color: var(--muted); }
pre { background: #f1f5f9; padding: 6px; border-radius: 6px; overflow: auto; max-height: 160px; font-size: 12px; }
.muted { color: var(--muted); } .empty { color: var(--muted); font-style: italic; }
#token-form { display: none; } #token-form.shown { display: flex; }
`;

const script = String.raw`
(function () {
  var base = "/__actorstate";
  var $ = function (id) { return document.getElementById(id); };
  var token = sessionStorage.getItem("actorstate.inspector.token") || "";
  var registry = [];
  var current = null;     // { name, key?, id? }
  var snapshot = null;
  var picked = null;      // a transition picked in the log, or null for "now"
  var watch = null;
  var refreshTimer = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "className") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function status(text) { $("status").textContent = text; }

  function api(path) {
    var headers = token ? { Authorization: "Bearer " + token } : {};
    return fetch(base + path, { headers: headers }).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 403) { $("token-form").classList.add("shown"); throw new Error(body.error.message); }
        if (!response.ok) throw new Error(body.error ? body.error.group + "/" + body.error.code + ": " + body.error.message : String(response.status));
        return body;
      });
    });
  }

  // Calls go through the public protocol, exactly as a client's would.
  function call(request) {
    return fetch("/v1/call", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request) })
      .then(function (response) { return response.json(); });
  }

  function targetOf(actor) { return actor.id ? { name: actor.name, id: actor.id } : { name: actor.name, key: actor.key }; }
  function query(actor) {
    var q = "?name=" + encodeURIComponent(actor.name);
    return actor.id ? q + "&id=" + encodeURIComponent(actor.id) : q + "&key=" + encodeURIComponent(JSON.stringify(actor.key));
  }
  function keyText(key) { return key.length === 1 ? key[0] : JSON.stringify(key); }
  function time(at) { return new Date(at).toLocaleTimeString(); }

  // ---- the actor list ----
  function loadActors() {
    var params = "?limit=1000";
    if ($("filter-name").value) params += "&name=" + encodeURIComponent($("filter-name").value);
    if ($("filter-lifecycle").value) params += "&lifecycle=" + $("filter-lifecycle").value;
    return api("/api/actors" + params).then(function (page) {
      var filter = $("filter-key").value.toLowerCase();
      var rows = page.actors.filter(function (a) { return !filter || JSON.stringify(a.key).toLowerCase().indexOf(filter) >= 0; });
      var body = el("tbody", {}, rows.map(function (a) {
        var row = el("tr", { "data-actor": a.name + "/" + JSON.stringify(a.key) }, [
          el("td", { text: a.name }), el("td", { text: keyText(a.key), title: a.actorId }),
          el("td", { text: a.lifecycle, className: "lc lc-" + a.lifecycle }), el("td", { text: String(a.generation) }),
          el("td", { text: a.last.from + " → " + a.last.to + " (" + time(a.last.at) + ")", title: a.last.event }),
        ]);
        if (current && current.name === a.name && JSON.stringify(current.key) === JSON.stringify(a.key)) row.className = "selected";
        row.addEventListener("click", function () { select({ name: a.name, key: a.key }); });
        return row;
      }));
      $("actors").replaceChild(body, $("actors").tBodies[0]);
      $("count").textContent = rows.length + (page.cursor ? "+" : "") + " actors";
      status("updated " + new Date().toLocaleTimeString());
    }).catch(function (error) { status(String(error.message || error)); });
  }

  // ---- one actor ----
  function select(actor) {
    current = actor; picked = null;
    $("detail").hidden = false;
    $("title").textContent = actor.name + " " + keyText(actor.key || []);
    openWatch();
    refresh();
    loadActors();
  }

  function refresh() {
    if (!current) return Promise.resolve();
    return api("/api/actor" + query(current)).then(function (data) { snapshot = data; render(); })
      .catch(function (error) { snapshot = null; $("moment").textContent = String(error.message || error); });
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () { refresh(); loadActors(); }, 80);
  }

  function openWatch() {
    if (watch) watch.close();
    var url = location.origin.replace(/^http/, "ws") + base + "/api/watch" + query(current);
    var protocols = ["actorstate.inspector"];
    if (token) protocols.push("actorstate.inspector.token." + token);
    watch = new WebSocket(url, protocols);
    watch.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (message.t === "changed") scheduleRefresh();
      if (message.t === "stately") relayToStately(message.event);
    });
    watch.addEventListener("open", function () { $("live").textContent = "live"; });
    watch.addEventListener("close", function () { $("live").textContent = "not live"; });
  }

  function highlight(state, from, to) {
    var svg = $("diagram");
    svg.querySelectorAll(".current").forEach(function (node) { node.classList.remove("current"); });
    svg.querySelectorAll("g.last").forEach(function (node) { node.classList.remove("last"); });
    var target = svg.querySelector('[data-state="' + state + '"]') || svg.querySelector('[data-state="' + state.split(".")[0] + '"]');
    if (target) target.classList.add("current");
    if (!from || !to || from === to) return;
    // The arrow for a logged transition: its ends are those states or their parents.
    var best = null;
    svg.querySelectorAll("g[data-from]").forEach(function (edge) {
      var f = edge.getAttribute("data-from"), t = edge.getAttribute("data-to");
      var fits = (from === f || from.indexOf(f + ".") === 0) && (to === t || to.indexOf(t + ".") === 0);
      if (fits && (!best || f.length + t.length > best.getAttribute("data-from").length + best.getAttribute("data-to").length)) best = edge;
    });
    if (best) best.classList.add("last");
  }

  function render() {
    if (!snapshot) return;
    var s = snapshot;
    $("ids").textContent = s.actorId + " · generation " + s.generation + " · " + s.actionsInFlight + " in flight";
    var log = s.transitions;
    var last = log[log.length - 1];
    if (picked) {
      var p = picked;
      highlight(p.to, p.from, p.to);
      $("moment").className = "past";
      $("moment").textContent = "at #" + p.seq + " (" + time(p.at) + "): " + p.from + " → " + p.to + " on " + p.event + ", generation " + p.generation + ", " + (p.ok ? "ok" : "error: " + p.error);
    } else {
      highlight(s.machineState || s.lifecycle, last && last.from, last && last.to);
      $("moment").className = "";
      $("moment").textContent = "now: " + (s.machineState || s.lifecycle) + (last ? " · last " + last.from + " → " + last.to + " on " + last.event : "");
    }
    var list = el("ol", { id: "log" }, log.slice().reverse().map(function (t) {
      var item = el("li", { text: "#" + t.seq + " " + time(t.at) + "  " + t.from + " → " + t.to + "  " + t.event + (t.ok ? "" : "  ✗ " + t.error), "data-seq": String(t.seq) });
      if (!t.ok) item.className = "error";
      if (picked && picked.seq === t.seq) item.classList.add("picked");
      item.addEventListener("click", function () { picked = t; render(); });
      return item;
    }));
    $("log").replaceWith(list);
    $("state").replaceChildren(s.state === null ? el("div", { className: "empty", text: "no state (destroyed)" }) : tree(s.state, "state"));
    $("conns").replaceChildren.apply($("conns"), s.connections.length ? s.connections.map(function (c) {
      return el("li", { text: c.id.slice(0, 8) + " " + JSON.stringify(c.params) });
    }) : [el("li", { className: "empty", text: "none" })]);
    $("schedules").replaceChildren.apply($("schedules"), s.schedules.length ? s.schedules.map(function (x) {
      return el("li", { text: new Date(x.runAt).toLocaleString() + " " + x.action + "(" + JSON.stringify(x.args).slice(1, -1) + ")" });
    }) : [el("li", { className: "empty", text: "none" })]);
    var actions = (registry.filter(function (r) { return r.name === s.name; })[0] || { actions: [] }).actions;
    if ($("action").getAttribute("data-for") !== s.name) {
      $("action").replaceChildren.apply($("action"), actions.map(function (a) { return el("option", { text: a, value: a }); }));
      $("action").setAttribute("data-for", s.name);
    }
  }

  function tree(value, label) {
    if (value === null || typeof value !== "object") {
      var kind = typeof value === "string" ? "s" : typeof value === "number" ? "n" : typeof value === "boolean" ? "b" : "z";
      return el("div", { className: "tree" }, [el("span", { className: "k", text: label + ": " }), el("span", { className: kind, text: JSON.stringify(value) })]);
    }
    var entries = Array.isArray(value) ? value.map(function (v, i) { return [String(i), v]; }) : Object.keys(value).map(function (k) { return [k, value[k]]; });
    var details = el("details", { className: "tree", open: "" }, [
      el("summary", {}, [el("span", { className: "k", text: label }), el("span", { className: "z", text: Array.isArray(value) ? " [" + entries.length + "]" : " {" + entries.length + "}" })]),
      el("ul", {}, entries.map(function (e) { return el("li", {}, [tree(e[1], e[0])]); })),
    ]);
    return details;
  }

  // ---- controls ----
  function show(result) { $("result").textContent = JSON.stringify(result, null, 2); refresh(); loadActors(); }
  $("call").addEventListener("click", function () {
    var args;
    try { args = JSON.parse($("args").value || "[]"); if (!Array.isArray(args)) args = [args]; }
    catch (error) { $("result").textContent = "arguments must be JSON: " + error.message; return; }
    call({ op: "action", actor: targetOf(current), action: $("action").value, args: args }).then(show);
  });
  $("destroy").addEventListener("click", function () { call({ op: "destroy", actor: targetOf(current) }).then(show); });
  $("recreate").addEventListener("click", function () {
    var input = $("input").value ? JSON.parse($("input").value) : undefined;
    call({ op: "create", actor: { name: current.name, key: current.key }, mode: "create", input: input }).then(show);
  });
  $("now").addEventListener("click", function () { picked = null; render(); });
  $("create").addEventListener("click", function () {
    var key = $("new-key").value;
    var input = $("new-input").value ? JSON.parse($("new-input").value) : undefined;
    call({ op: "create", actor: { name: $("new-name").value, key: key ? [key] : [] }, mode: "getOrCreate", input: input }).then(function (result) {
      $("create-result").textContent = result.ok ? "created " + result.value : result.error.group + "/" + result.error.code + ": " + result.error.message;
      loadActors();
    });
  });
  ["filter-name", "filter-lifecycle", "filter-key"].forEach(function (id) { $(id).addEventListener("input", loadActors); });
  $("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    token = $("token").value;
    sessionStorage.setItem("actorstate.inspector.token", token);
    $("token-form").classList.remove("shown");
    start();
  });

  // ---- Stately Inspector (online only) ----
  var stately = null, statelyReady = false, statelyQueue = [];
  $("stately").addEventListener("click", function () {
    stately = window.open("https://stately.ai/inspect", "xstateinspector");
    statelyReady = false;
  });
  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "@statelyai.connected") {
      statelyReady = true;
      statelyQueue.splice(0).forEach(function (e) { stately.postMessage(e, "*"); });
    }
  });
  function relayToStately(event) {
    if (!stately) return;
    if (statelyReady) stately.postMessage(event, "*"); else statelyQueue.push(event);
  }

  function start() {
    api("/api/registry").then(function (data) {
      registry = data.actors;
      var names = registry.map(function (r) { return el("option", { text: r.name, value: r.name }); });
      $("filter-name").replaceChildren.apply($("filter-name"), [el("option", { text: "all types", value: "" })].concat(names));
      $("new-name").replaceChildren.apply($("new-name"), registry.map(function (r) { return el("option", { text: r.name, value: r.name }); }));
      loadActors();
    }).catch(function (error) { status(String(error.message || error)); });
  }

  fetch(base + "/lifecycle.svg").then(function (r) { return r.text(); }).then(function (svg) { $("diagram").innerHTML = svg; render(); });
  setInterval(loadActors, 2000);
  start();
})();
`;

/** The inspector page's HTML. */
export function inspectorPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>actorstate inspector</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
<header><h1>actorstate inspector</h1><span id="status">loading…</span>
<form id="token-form" class="row"><input id="token" type="password" placeholder="inspector token" autocomplete="off"><button>open</button></form></header>
<main>
<section id="list">
  <h2>Actors <span id="count" class="muted"></span></h2>
  <div class="row">
    <select id="filter-name"></select>
    <select id="filter-lifecycle"><option value="">any lifecycle</option><option>running</option><option>destroying</option><option>destroyed</option></select>
    <input id="filter-key" placeholder="key contains…">
  </div>
  <div id="list-scroll"><table id="actors"><thead><tr><th>name</th><th>key</th><th>lifecycle</th><th>gen</th><th>last transition</th></tr></thead><tbody></tbody></table></div>
  <h3>Create</h3>
  <div class="row"><select id="new-name"></select><input id="new-key" placeholder="key"><input id="new-input" placeholder="input (JSON)"><button id="create">getOrCreate</button></div>
  <div id="create-result" class="muted"></div>
</section>
<section id="detail" hidden>
  <h2 id="title"></h2>
  <div class="row muted"><span id="ids"></span> · <span id="live">not live</span> · <button id="stately" title="Needs the internet">open in Stately Inspector</button></div>
  <div id="diagram"></div>
  <div class="row"><div id="moment"></div><button id="now">back to now</button></div>
  <div class="cols">
    <div><h3>Transition log</h3><ol id="log"></ol></div>
    <div>
      <h3>State</h3><div id="state"></div>
      <h3>Connections</h3><ul id="conns"></ul>
      <h3>Schedules</h3><ul id="schedules"></ul>
    </div>
  </div>
  <h3>Controls</h3>
  <div class="row"><select id="action"></select><input id="args" placeholder="arguments (JSON array)" size="30"><button id="call">call</button>
  <button id="destroy" class="danger">destroy</button><input id="input" placeholder="input (JSON)"><button id="recreate">create again</button></div>
  <pre id="result"></pre>
</section>
</main>
<script>${script}</script>
</body>
</html>`;
}
