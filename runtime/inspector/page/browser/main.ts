// The inspector page's script, in the browser: reads the data endpoints under /__actorstate/api
// and drives the lifecycle's diagram viewer and a workflow actor's view. Bundled (minified)
// into the page by `npm run inspector-page`.
import { DiagramView } from "./diagram-view.ts";
import { WorkflowView } from "./workflow-view.ts";

var base = "/__actorstate";
var $ = function (id: string): HTMLElement { return document.getElementById(id); };
/** An input, select or textarea of the page, by id. */
var field = function (id: string) { return document.getElementById(id) as HTMLInputElement; };
var table = function (id: string) { return document.getElementById(id) as HTMLTableElement; };
var token = sessionStorage.getItem("actorstate.inspector.token") || "";
var registry = [];
var current = null;     // { name, key?, id? }
var snapshot = null;
var picked = null;      // a log entry picked, or null for "now"
var kvPages = [""];     // the cursor of each KV page visited; the last is the one shown
var watch = null;
var refreshTimer = null;
var lifecycle = DiagramView($("diagram"), { title: "Lifecycle" });

function el(tag: string, attrs?: Record<string, string>, children?: Array<Node | null | false | undefined>) {
  var node = document.createElement(tag);
  for (var name in attrs || {}) {
    if (name === "text") node.textContent = attrs[name];
    else if (name === "className") node.className = attrs[name];
    else node.setAttribute(name, attrs[name]);
  }
  (children || []).forEach(function (child) { if (child) node.appendChild(child); });
  return node;
}

var workflow = WorkflowView({
  el: el,
  tree: tree,
  send: function (event) {
    return call({ op: "action", actor: targetOf(current), action: "send", args: [event] })
      .then(function (reply) { refresh(); loadActors(); return reply; });
  },
});

function status(text) { $("status").textContent = text; }

// A refusal is said where it cannot be missed, in the Worker's words (which name the token's
// variable): a missing token, a wrong one and none configured each need something else done.
var ACCESS_HINTS = {
  missing: "Type the token in the field at the top.",
  refused: "Check the value of that secret and type it in the field at the top.",
  unset: "Then reload this page.",
};
function refused(error) {
  var why = error.metadata && error.metadata.token;
  $("access").textContent = [error.message, ACCESS_HINTS[why]].filter(Boolean).join(" ");
  $("access").hidden = false;
  // A token typed here helps only if the Worker has one.
  $("token-form").classList.toggle("shown", why !== "unset");
}

function api(path) {
  var headers = token ? { Authorization: "Bearer " + token } : {};
  return fetch(base + path, { headers: headers }).then(function (response) {
    return response.json().then(function (body) {
      if (response.status === 403) { refused(body.error); throw new Error("no access to the inspector's data"); }
      if (!response.ok) throw new Error(body.error ? body.error.group + "/" + body.error.code + ": " + body.error.message : String(response.status));
      $("access").hidden = true;
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
function transitionText(t) { return t.from === t.to ? t.from : t.from + " → " + t.to; }

// ---- the actor list ----
// One list request at a time: a slow directory must not pile up polls. A call while one is
// under way asks for one more pass after it.
var listing = null, listAgain = false;
function loadActors() {
  if (listing) { listAgain = true; return listing; }
  listing = fetchActors().finally(function () {
    listing = null;
    if (listAgain) { listAgain = false; loadActors(); }
  });
  return listing;
}

function fetchActors() {
  var params = "?limit=1000";
  if (field("filter-name").value) params += "&name=" + encodeURIComponent(field("filter-name").value);
  if (field("filter-lifecycle").value) params += "&lifecycle=" + field("filter-lifecycle").value;
  return api("/api/actors" + params).then(function (page) {
    var filter = field("filter-key").value.toLowerCase();
    var rows = page.actors.filter(function (a) { return !filter || JSON.stringify(a.key).toLowerCase().indexOf(filter) >= 0; });
    var body = el("tbody", {}, rows.map(function (a) {
      var row = el("tr", { "data-actor": a.name + "/" + JSON.stringify(a.key), title: "Open " + a.name + " " + keyText(a.key) }, [
        el("td", { text: a.name }), el("td", { text: keyText(a.key), title: a.actorId }),
        el("td", { className: "lc lc-" + a.lifecycle }, [
          el("span", { text: a.lifecycle }),
          // A workflow's own status: a finished workflow's actor is still running.
          a.workflow ? el("span", { className: "wf-status wf-" + a.workflow.status, text: " · " + a.workflow.status, title: "the workflow's status" }) : null,
        ]),
        el("td", { text: String(a.generation) }),
        el("td", { className: "last" }, [
          el("span", { text: transitionText(a.last) }),
          el("span", { className: "event", text: a.last.label + " · " + time(a.last.at), title: a.last.event }),
        ]),
      ]);
      if (current && current.name === a.name && JSON.stringify(current.key) === JSON.stringify(a.key)) row.className = "selected";
      row.addEventListener("click", function () { select({ name: a.name, key: a.key }); });
      return row;
    }));
    $("actors").replaceChild(body, table("actors").tBodies[0]);
    $("count").textContent = rows.length + (page.cursor ? "+" : "") + " actors";
    status("updated " + new Date().toLocaleTimeString());
  }).catch(function (error) { status(String(error.message || error)); });
}

// ---- one actor ----
function select(actor) {
  current = actor; picked = null; kvPages = [""];
  workflow.forget();
  $("detail").hidden = false;
  $("title").textContent = actor.name + " " + keyText(actor.key || []);
  openWatch();
  refresh();
  loadActors();
}

function refresh() {
  if (!current) return Promise.resolve();
  var kvAfter = kvPages[kvPages.length - 1];
  return Promise.all([
    api("/api/actor" + query(current)),
    api("/api/kv" + query(current) + (kvAfter ? "&after=" + kvAfter : "")),
  ]).then(function (data) { snapshot = data[0]; renderKv(data[1]); render(); workflow.render(snapshot.workflow); })
    .catch(function (error) { snapshot = null; workflow.render(null); $("moment").textContent = String(error.message || error); });
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

// The log: transitions and action calls, newest first. A call is placed where it ended:
// the transitions it caused (a create, a destroy) come before its reply.
function logEntries(s) {
  var entries = s.transitions.map(function (t) { return { kind: "transition", at: t.at, order: 0, t: t }; })
    .concat(s.calls.map(function (c) { return { kind: "call", at: c.at + c.ms, order: 1, c: c }; }));
  return entries.sort(function (a, b) { return b.at - a.at || b.order - a.order || (b.t && a.t ? b.t.seq - a.t.seq : 0); });
}

// The transition in force at a moment: the last one logged at or before it.
function transitionAt(at) {
  var found = null;
  snapshot.transitions.forEach(function (t) { if (t.at <= at) found = t; });
  return found;
}

function outcomeText(c) { return (c.ok ? "ok" : "✗ failed") + " · " + c.ms + " ms · by " + c.via; }
function callText(c) { return c.action + " " + outcomeText(c); }

function logItem(entry) {
  var item;
  if (entry.kind === "transition") {
    var t = entry.t;
    item = el("li", { className: "transition" + (t.ok ? "" : " error"), "data-seq": String(t.seq), title: "#" + t.seq + " · event " + t.event }, [
      el("span", { className: "when", text: time(t.at) }),
      el("span", { className: "what" }, [el("strong", { text: t.label }), el("span", { text: " " + transitionText(t) + (t.ok ? "" : " ✗ refused") })]),
      t.ok ? null : el("span", { className: "detail", text: t.error }),
    ]);
  } else {
    var c = entry.c;
    item = el("li", { className: "call" + (c.ok ? "" : " error"), title: "generation " + c.generation }, [
      el("span", { className: "when", text: time(c.at) }),
      el("span", { className: "what" }, [el("strong", { text: c.action }), el("span", { text: " " + outcomeText(c) })]),
      c.ok ? null : el("span", { className: "detail", text: c.error }),
    ]);
  }
  if (picked && picked.entry === entry.kind && (entry.t ? picked.t === entry.t.seq : picked.c === entry.c.at + ":" + entry.c.action)) item.classList.add("picked");
  item.addEventListener("click", function () {
    picked = entry.t ? { entry: "transition", t: entry.t.seq, data: entry.t } : { entry: "call", c: entry.c.at + ":" + entry.c.action, data: entry.c };
    render();
  });
  return item;
}

function render() {
  if (!snapshot) return;
  var s = snapshot;
  $("ids").textContent = s.actorId + " · generation " + s.generation + " · " + s.actionsInFlight + " in flight";
  var log = s.transitions;
  var last = log[log.length - 1];
  if (picked && picked.entry === "transition") {
    var p = picked.data;
    lifecycle.highlight(p.to, p.from, p.to);
    $("moment").className = "past";
    $("moment").textContent = "at " + time(p.at) + " (#" + p.seq + "): " + transitionText(p) + " on " + p.label + ", generation " + p.generation + ", " + (p.ok ? "ok" : "refused: " + p.error);
  } else if (picked) {
    var c = picked.data, before = transitionAt(c.at + c.ms);
    if (before) lifecycle.highlight(before.to, before.from, before.to);
    $("moment").className = "past";
    $("moment").textContent = "at " + time(c.at) + ": call " + callText(c) + (c.ok ? "" : " — " + c.error) + ", generation " + c.generation;
  } else {
    lifecycle.highlight(s.machineState || s.lifecycle, last && last.from, last && last.to);
    $("moment").className = "";
    $("moment").textContent = "now: " + (s.machineState || s.lifecycle) + (last ? " · last " + transitionText(last) + " on " + last.label : "");
  }
  $("log").replaceWith(el("ol", { id: "log" }, logEntries(s).map(logItem)));
  // Calls live in the object's memory; the transition log is stored.
  $("calls-note").textContent = s.machineState === null
    ? "The actor is asleep: action calls are kept in memory while it is awake, so the log shows transitions only."
    : "Action calls are those since the actor last woke (the last 100).";
  $("state").replaceChildren(s.state === null ? el("div", { className: "empty", text: "no state (destroyed)" }) : tree(s.state, "state", true));
  $("conns").replaceChildren.apply($("conns"), s.connections.length ? s.connections.map(function (c) {
    // Param values are never sent to the page, only their names (they carry tokens).
    var params = c.paramKeys.length ? c.paramKeys.join(", ") : "none";
    return el("li", { text: c.id.slice(0, 8) + " · params: " + params + ("auth" in c ? " · auth: " + JSON.stringify(c.auth) : ""), title: c.id });
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

// ---- KV, read-only and paged ----
function renderKv(page) {
  var rows = page.entries.map(function (e) {
    return el("tr", {}, [
      el("td", { text: e.binary ? "0x" + e.key : e.key, title: e.binary ? "binary key (hex)" : "" }),
      el("td", {}, ["value" in e ? tree(e.value, "", false) : el("span", { className: "empty", text: "too large to show" })]),
      el("td", { className: "size", text: e.size + " B" }),
    ]);
  });
  $("kv").replaceChild(el("tbody", {}, rows.length ? rows : [el("tr", {}, [el("td", { className: "empty", text: kvPages.length > 1 ? "no more entries" : "empty", colspan: "3" })])]), table("kv").tBodies[0]);
  $("kv-page").textContent = "page " + kvPages.length;
  field("kv-prev").disabled = kvPages.length === 1;
  field("kv-next").disabled = !page.cursor;
  $("kv-next").onclick = function () { kvPages.push(page.cursor); refresh(); };
}
$("kv-prev").addEventListener("click", function () { if (kvPages.length > 1) { kvPages.pop(); refresh(); } });

// A value as a tree; JSON's stand-ins for bytes and dates shown as what they are.
function leaf(label, kind, text) {
  return el("div", { className: "tree" }, [label ? el("span", { className: "k", text: label + ": " }) : null, el("span", { className: kind, text: text })]);
}
function tree(value, label, open) {
  if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1) {
    if (typeof value.$bytes === "string") return leaf(label, "z", "bytes(" + Math.floor(value.$bytes.length * 3 / 4) + ") " + value.$bytes.slice(0, 40));
    if (typeof value.$date === "string") return leaf(label, "n", value.$date);
  }
  if (value === null || typeof value !== "object") {
    var kind = typeof value === "string" ? "s" : typeof value === "number" ? "n" : typeof value === "boolean" ? "b" : "z";
    return leaf(label, kind, value === undefined ? "undefined" : JSON.stringify(value));
  }
  var entries = Array.isArray(value) ? value.map(function (v, i) { return [String(i), v]; }) : Object.keys(value).map(function (k) { return [k, value[k]]; });
  var attrs: Record<string, string> = { className: "tree" };
  if (open) attrs.open = "";
  return el("details", attrs, [
    el("summary", {}, [el("span", { className: "k", text: label }), el("span", { className: "z", text: Array.isArray(value) ? " [" + entries.length + "]" : " {" + entries.length + "}" })]),
    el("ul", {}, entries.map(function (e) { return el("li", {}, [tree(e[1], e[0], open)]); })),
  ]);
}

// ---- controls ----
function show(result) { $("result").textContent = JSON.stringify(result, null, 2); refresh(); loadActors(); }
$("call").addEventListener("click", function () {
  var args;
  try { args = JSON.parse(field("args").value || "[]"); if (!Array.isArray(args)) args = [args]; }
  catch (error) { $("result").textContent = "arguments must be JSON: " + error.message; return; }
  call({ op: "action", actor: targetOf(current), action: field("action").value, args: args }).then(show);
});
$("destroy").addEventListener("click", function () { call({ op: "destroy", actor: targetOf(current) }).then(show); });
$("recreate").addEventListener("click", function () {
  var input = field("input").value ? JSON.parse(field("input").value) : undefined;
  call({ op: "create", actor: { name: current.name, key: current.key }, mode: "create", input: input }).then(show);
});
$("now").addEventListener("click", function () { picked = null; render(); });
$("create").addEventListener("click", function () {
  var key = field("new-key").value;
  var input = field("new-input").value ? JSON.parse(field("new-input").value) : undefined;
  call({ op: "create", actor: { name: field("new-name").value, key: key ? [key] : [] }, mode: "getOrCreate", input: input }).then(function (result) {
    $("create-result").textContent = result.ok ? "created " + result.value : result.error.group + "/" + result.error.code + ": " + result.error.message;
    loadActors();
  });
});
["filter-name", "filter-lifecycle", "filter-key"].forEach(function (id) { $(id).addEventListener("input", loadActors); });
$("token-form").addEventListener("submit", function (event) {
  event.preventDefault();
  token = field("token").value;
  sessionStorage.setItem("actorstate.inspector.token", token);
  $("token-form").classList.remove("shown");
  start();
});

// ---- Stately Inspector (online only; shown when the Worker has the bridge) ----
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
    $("stately").hidden = !data.stately;
    var names = registry.map(function (r) { return el("option", { text: r.name, value: r.name }); });
    $("filter-name").replaceChildren.apply($("filter-name"), [el("option", { text: "all types", value: "" })].concat(names));
    $("new-name").replaceChildren.apply($("new-name"), registry.map(function (r) { return el("option", { text: r.name, value: r.name }); }));
    loadActors();
  }).catch(function (error) { status(String(error.message || error)); });
}

fetch(base + "/lifecycle.svg").then(function (r) { return r.text(); }).then(function (svg) { lifecycle.load(svg); render(); });
setInterval(loadActors, 2000);
start();
