// The statechart viewer, in the browser. It works on any SVG that `renderSvg` draws (states
// carry data-state, arrows data-from/data-to), so the same viewer shows the lifecycle and any
// other machine.

/**
 * `DiagramView(container, { title })`: a toolbar (zoom out, zoom in, fit, 1:1) over a
 * viewport that pans by dragging and zooms with Ctrl + scroll (or a pinch); with focus, arrow
 * keys move and + / - / 0 zoom and fit. The view has `load(svgText)`, `highlight(state, from,
 * to)` (the current state, and the arrow a logged transition took), `setZoom(zoom)`, `fit()`
 * and `zoom()`. It opens at 100 %, where labels are drawn at their real size, centred on the
 * current state.
 */
export const DiagramView = (function () {
  var count = 0;
  var MIN_ZOOM = 0.2, MAX_ZOOM = 4, STEP = 1.25;

  function button(text, title, onClick) {
    var node = document.createElement("button");
    node.type = "button";
    node.textContent = text;
    node.title = title;
    node.addEventListener("click", onClick);
    return node;
  }

  return function DiagramView(container, options) {
    var id = ++count;
    var svg = null, width = 0, height = 0;
    var zoom = 1, cx = 0, cy = 0;   // the diagram point at the viewport's centre, kept there on resize
    var centred = false;

    container.classList.add("diagram");
    var toolbar = document.createElement("div");
    toolbar.className = "diagram-toolbar";
    var label = document.createElement("span");
    label.className = "zoom";
    var hint = document.createElement("span");
    hint.className = "muted";
    hint.textContent = "drag to move · Ctrl + scroll to zoom";
    var title = document.createElement("strong");
    title.textContent = (options && options.title) || "";
    toolbar.append(title, button("−", "Zoom out", function () { zoomBy(1 / STEP); }), label,
      button("+", "Zoom in", function () { zoomBy(STEP); }), button("fit", "Show the whole diagram", fit),
      button("1:1", "Labels at their real size (100%)", function () { setZoom(1); }), hint);
    var viewport = document.createElement("div");
    viewport.className = "diagram-viewport";
    container.replaceChildren(toolbar, viewport);

    function size() { return { w: viewport.clientWidth || 1, h: viewport.clientHeight || 1 }; }

    // What the viewport shows, in diagram units.
    function visible() {
      var s = size();
      return { x: cx - s.w / zoom / 2, y: cy - s.h / zoom / 2, w: s.w / zoom, h: s.h / zoom };
    }

    function apply() {
      if (!svg) return;
      var v = visible();
      svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
      label.textContent = Math.round(zoom * 100) + "%";
    }

    // Zoom keeping the diagram point under (px, py), in viewport pixels, where it is.
    function zoomAround(next, px, py) {
      next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
      var s = size(), dx = px - s.w / 2, dy = py - s.h / 2;
      cx += dx / zoom - dx / next;
      cy += dy / zoom - dy / next;
      zoom = next;
      apply();
    }
    function zoomBy(factor) { var s = size(); zoomAround(zoom * factor, s.w / 2, s.h / 2); }
    function setZoom(next) { var s = size(); zoomAround(next, s.w / 2, s.h / 2); }
    function centreOn(x, y) { cx = x; cy = y; apply(); }
    function fit() {
      var s = size();
      zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.min(s.w / width, s.h / height)));
      centreOn(width / 2, height / 2);
    }

    // A state's box in diagram units, from the rect the renderer drew.
    function boxOf(node) {
      var rect = node.querySelector("rect");
      if (!rect) return null;
      return { x: +rect.getAttribute("x"), y: +rect.getAttribute("y"), w: +rect.getAttribute("width"), h: +rect.getAttribute("height") };
    }

    // Bring a state into view: centred the first time, then only when it is out of sight.
    function reveal(node) {
      var box = boxOf(node);
      if (!box) return;
      var v = visible();
      var inside = box.x >= v.x && box.y >= v.y && box.x + box.w <= v.x + v.w && box.y + box.h <= v.y + v.h;
      if (!centred || !inside) centreOn(box.x + box.w / 2, box.y + box.h / 2);
      centred = true;
    }

    viewport.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      var bounds = viewport.getBoundingClientRect();
      zoomAround(zoom * Math.pow(STEP, -event.deltaY / 100), event.clientX - bounds.left, event.clientY - bounds.top);
    }, { passive: false });

    // From the keyboard, once the diagram has focus: arrows move, + and - zoom, 0 fits.
    viewport.tabIndex = 0;
    viewport.setAttribute("aria-label", "Statechart: arrow keys move, + and - zoom, 0 fits");
    viewport.addEventListener("keydown", function (event) {
      var step = 60 / zoom;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (moves[event.key]) { cx += moves[event.key][0]; cy += moves[event.key][1]; apply(); }
      else if (event.key === "+" || event.key === "=") zoomBy(STEP);
      else if (event.key === "-") zoomBy(1 / STEP);
      else if (event.key === "0") fit();
      else return;
      event.preventDefault();
    });

    var drag = null;
    viewport.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      drag = { px: event.clientX, py: event.clientY, cx: cx, cy: cy };
      viewport.setPointerCapture(event.pointerId);
      viewport.classList.add("panning");
    });
    viewport.addEventListener("pointermove", function (event) {
      if (!drag) return;
      cx = drag.cx - (event.clientX - drag.px) / zoom;
      cy = drag.cy - (event.clientY - drag.py) / zoom;
      apply();
    });
    function endDrag() { drag = null; viewport.classList.remove("panning"); }
    viewport.addEventListener("pointerup", endDrag);
    viewport.addEventListener("pointercancel", endDrag);
    if (window.ResizeObserver) new ResizeObserver(apply).observe(viewport);

    return {
      load: function (text) {
        viewport.innerHTML = text;
        svg = viewport.querySelector("svg");
        var box = (svg.getAttribute("viewBox") || "0 0 0 0").split(/\s+/).map(Number);
        width = box[2]; height = box[3];
        svg.removeAttribute("width");
        svg.removeAttribute("height");
        svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
        // Marker ids must be unique on the page when several diagrams share it.
        svg.querySelectorAll("marker[id]").forEach(function (marker) {
          var old = marker.id, fresh = old + "-" + id;
          marker.id = fresh;
          svg.querySelectorAll('[marker-end="url(#' + old + ')"]').forEach(function (line) { line.setAttribute("marker-end", "url(#" + fresh + ")"); });
        });
        centred = false;
        zoom = 1;
        centreOn(width / 2, height / 2);
      },
      highlight: function (state, from, to) {
        if (!svg) return;
        svg.querySelectorAll(".current").forEach(function (node) { node.classList.remove("current"); });
        svg.querySelectorAll("g.last").forEach(function (node) { node.classList.remove("last"); });
        var target = svg.querySelector('[data-state="' + CSS.escape(state) + '"]') || svg.querySelector('[data-state="' + CSS.escape(state.split(".")[0]) + '"]');
        if (target) { target.classList.add("current"); reveal(target); }
        if (!from || !to || from === to) return;
        // The arrow for a logged transition: its ends are those states or their parents.
        var best = null;
        svg.querySelectorAll("g[data-from]").forEach(function (edge) {
          var f = edge.getAttribute("data-from"), t = edge.getAttribute("data-to");
          var fits = (from === f || from.indexOf(f + ".") === 0) && (to === t || to.indexOf(t + ".") === 0);
          if (fits && (!best || f.length + t.length > best.getAttribute("data-from").length + best.getAttribute("data-to").length)) best = edge;
        });
        if (best) best.classList.add("last");
      },
      setZoom: setZoom,
      fit: fit,
      zoom: function () { return zoom; },
    };
  };
})();
