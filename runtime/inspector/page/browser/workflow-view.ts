// A workflow actor's own machine in the inspector, in the browser.

/**
 * `WorkflowView(ui)`, given the page's helpers `ui.el` and `ui.tree` and `ui.send(event)` (a
 * promise of the call's result). Its `render(workflow)` draws a snapshot's `workflow` (or
 * hides the view when there is none); picking a history entry shows the machine as that step
 * left it, until "back to now".
 */
export const WorkflowView = function (ui) {
  var $ = function (id: string): HTMLElement { return document.getElementById(id); };
  var field = function (id: string) { return document.getElementById(id) as HTMLTextAreaElement; };
  var el = ui.el;
  var data = null, fetchedAt = 0, picked = null;

  // The ids of the states a value is in: a string names a child, an object maps child
  // keys to their own values; a parallel state is in all its children.
  function activeIds(node, value, ids) {
    ids[node.id] = true;
    if (node.type === "parallel") {
      node.states.forEach(function (child) { activeIds(child, value && value[child.key], ids); });
    } else if (typeof value === "string") {
      node.states.forEach(function (child) { if (child.key === value) activeIds(child, undefined, ids); });
    } else if (value && typeof value === "object") {
      node.states.forEach(function (child) { if (Object.prototype.hasOwnProperty.call(value, child.key)) activeIds(child, value[child.key], ids); });
    }
    return ids;
  }

  function byId(node, map) {
    map[node.id] = node;
    node.states.forEach(function (child) { byId(child, map); });
    return map;
  }

  function chip(text, className, title) { return el("span", { className: "wf-chip" + (className ? " " + className : ""), text: text, title: title || "" }); }

  function transitionChip(t, nodes) {
    var targets = t.targets.map(function (id) { return nodes[id] ? nodes[id].key : id; }).join(", ");
    var node = chip("", "", t.event);
    node.append(t.label);
    if (t.guard) node.append(" ", el("span", { className: "guard", text: "[" + t.guard + "]" }));
    node.append(targets ? " → " + targets : " (stays)");
    return node;
  }

  function stateBox(node, parent, active, nodes) {
    var marks = [];
    if (parent && parent.initial === node.id) marks.push(el("span", { className: "wf-mark", text: "initial" }));
    if (node.type === "final") marks.push(el("span", { className: "wf-mark", text: "final" }));
    if (node.type === "parallel") marks.push(el("span", { className: "wf-mark", text: "parallel" }));
    if (node.type === "history") marks.push(el("span", { className: "wf-mark", text: "history" }));
    var chips = node.transitions.map(function (t) { return transitionChip(t, nodes); })
      .concat(node.invoke.map(function (i) { return chip("invokes " + i.src, "invoke", "id " + i.id); }));
    // The states the machine is in are marked; the innermost ones stand out.
    var innermost = active[node.id] && !node.states.some(function (child) { return active[child.id]; });
    return el("div", { className: "wf-state wf-" + node.type + (active[node.id] ? " active" : "") + (innermost ? " innermost" : ""), "data-state-id": node.id }, [
      el("div", { className: "wf-head" }, [el("span", { className: "wf-name", text: parent ? node.key : "#" + node.id })].concat(marks)),
      chips.length ? el("div", { className: "wf-chips" }, chips) : null,
      node.states.length ? el("div", { className: "wf-children" }, node.states.map(function (child) { return stateBox(child, node, active, nodes); })) : null,
    ]);
  }

  // Event types the active states take from a person (not XState's own done / after events).
  function acceptedEvents(graph, active) {
    var seen = {};
    (function walk(node) {
      if (!active[node.id]) return;
      node.transitions.forEach(function (t) { if (t.event && t.event !== "*" && t.event.indexOf("xstate.") !== 0) seen[t.event] = true; });
      node.states.forEach(walk);
    })(graph);
    return Object.keys(seen);
  }

  function duration(ms) {
    if (ms <= 0) return "due";
    var s = Math.ceil(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return "in " + (h ? h + " h " : "") + (h || m ? m + " min " : "") + (s % 60) + " s";
  }

  // The workflow's clock ticks on in the page from the 'now' it was read at.
  function tick() {
    if (!data) return;
    var now = data.now + (Date.now() - fetchedAt);
    document.querySelectorAll("#wf-timers .countdown").forEach(function (node) {
      node.textContent = duration(+node.getAttribute("data-due") - now);
    });
  }
  setInterval(tick, 250);

  function time(at) { return new Date(at).toLocaleTimeString(); }

  function viewText(view) {
    return JSON.stringify(view.value) + " · " + view.status + (view.status === "error" && view.error ? " (" + view.error.name + ": " + view.error.message + ")" : "") + " · version " + view.version;
  }

  function render() {
    var shown = !!data;
    $("workflow").hidden = !shown;
    $("wf-main").hidden = !shown;
    $("machines").classList.toggle("with-workflow", shown);
    if (!shown) return;
    var step = picked === null ? null : data.history.filter(function (h) { return h.seq === picked; })[0] || null;
    if (picked !== null && !step) picked = null;
    var view = step ? step.view : data.view;
    var active = view ? activeIds(data.machine, view.value, {}) : {};
    var nodes = byId(data.machine, {});
    $("wf-machine").replaceChildren(el("strong", { text: "Workflow machine" }), stateBox(data.machine, null, active, nodes));

    $("wf-now").hidden = !step;
    $("wf-moment").className = step ? "past" : "";
    $("wf-moment").textContent = step
      ? "viewing the past: step #" + step.seq + " at " + time(step.at) + ", after " + step.label + " → " + viewText(step.view)
      : view ? "now: " + viewText(view) : "not started";

    $("wf-context").replaceChildren(view ? ui.tree(view.context, "context", true) : el("div", { className: "empty", text: "none" }));
    if (view && view.status === "done") $("wf-context").append(ui.tree(view.output, "output", true));

    $("wf-history").replaceWith(el("ol", { id: "wf-history" }, data.history.length ? data.history.slice().reverse().map(function (h) {
      var item = el("li", { "data-seq": String(h.seq), title: "#" + h.seq + " · event " + h.event.type, className: h.seq === picked ? "picked" : "" }, [
        el("span", { className: "when", text: time(h.at) }),
        el("span", { className: "what", text: h.label + " → " + JSON.stringify(h.view.value) }),
      ]);
      item.addEventListener("click", function () { picked = h.seq; render(); });
      return item;
    }) : [el("li", { className: "empty", text: "no steps yet" })]));

    $("wf-timers").replaceChildren.apply($("wf-timers"), data.timers.length ? data.timers.map(function (t) {
      return el("li", { title: t.event }, [
        el("span", { text: t.label + ": " }),
        el("span", { className: "countdown", "data-due": String(t.dueAt) }),
      ]);
    }) : [el("li", { className: "empty", text: "none" })]);
    $("wf-work").replaceChildren.apply($("wf-work"), data.work.length ? data.work.map(function (w) {
      return el("li", { text: w.src + " (" + w.id + "), under way since " + time(w.startedAt), title: w.path ? "in " + w.path : "in the workflow's machine" });
    }) : [el("li", { className: "empty", text: "none" })]);
    tick();

    var events = data.view ? acceptedEvents(data.machine, activeIds(data.machine, data.view.value, {})) : [];
    $("wf-events").replaceChildren.apply($("wf-events"), events.length
      ? [el("span", { className: "muted", text: "accepted now:" })].concat(events.map(function (type) {
        var button = el("button", { type: "button", text: type, title: "Put this event type in the form" });
        button.addEventListener("click", function () { setType(type); });
        return button;
      }))
      : [el("span", { className: "muted", text: data.view ? "the current state takes no events" : "" })]);
  }

  // Keeps what else the form's event holds when a button changes its type.
  function setType(type) {
    var event;
    try { event = JSON.parse(field("wf-event").value); } catch (error) { event = null; }
    if (!event || typeof event !== "object" || Array.isArray(event)) event = {};
    var next = { type: type };
    Object.keys(event).forEach(function (k) { if (k !== "type") next[k] = event[k]; });
    field("wf-event").value = JSON.stringify(next);
    $("wf-event").focus();
  }

  function result(text, failed) { $("wf-result").textContent = text; $("wf-result").className = failed ? "error" : ""; }

  field("wf-event").value = '{"type": ""}';
  $("wf-now").addEventListener("click", function () { picked = null; render(); });
  $("wf-send").addEventListener("click", function () {
    var event;
    try { event = JSON.parse(field("wf-event").value); } catch (error) { result("the event must be JSON: " + error.message, true); return; }
    ui.send(event).then(function (reply) {
      if (reply.ok) result(JSON.stringify(reply.value, null, 2), false);
      else result(reply.error.group + "/" + reply.error.code + ": " + reply.error.message, true);
    });
  });

  return {
    render: function (workflow) {
      data = workflow || null;
      fetchedAt = Date.now();
      render();
    },
    forget: function () { picked = null; result("", false); },
  };
};
