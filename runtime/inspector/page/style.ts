/** The inspector page's styles (the diagram viewer brings its own). */
export const pageStyle = String.raw`
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --accent: #b45309; --bad: #b91c1c; --good: #15803d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f8fafc; }
header { display: flex; gap: 12px; align-items: baseline; padding: 10px 16px; background: var(--ink); color: #fff; }
header h1 { font-size: 16px; margin: 0; }
header #status { color: #cbd5e1; font-size: 12px; }
main { display: grid; grid-template-columns: minmax(380px, 34%) 1fr; gap: 12px; padding: 12px; align-items: start; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; min-width: 0; }
h2 { font-size: 15px; margin: 0 0 8px; } h3 { font-size: 13px; margin: 14px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.hint { font-size: 12px; color: var(--muted); margin: 0 0 6px; }
.row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin-bottom: 8px; }
input, select, textarea, button { font: inherit; padding: 4px 6px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; }
button { cursor: pointer; background: #f1f5f9; } button:hover { background: #e2e8f0; } button.danger { color: var(--bad); }
button[hidden] { display: none; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 5px 6px; border-bottom: 1px solid var(--line); }
#actors td { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 160px; }
#actors td.last { white-space: normal; max-width: none; min-width: 150px; }
td.last .event { display: block; color: var(--muted); font-size: 12px; }
.clickable tbody tr { cursor: pointer; } .clickable tbody tr:hover { background: #f1f5f9; } tbody tr.selected { background: #fef3c7; }
.lc { font-weight: 600; } .lc-running { color: var(--good); } .lc-destroyed { color: var(--muted); } .lc-destroying { color: var(--accent); }
.wf-status { font-weight: 400; color: var(--muted); } .wf-status.wf-error { color: var(--bad); }
#list-scroll { max-height: 70vh; overflow: auto; }
#moment { flex: 1; margin: 8px 0; padding: 6px 8px; border-radius: 6px; background: #f1f5f9; font-size: 13px; }
#moment.past { background: #fef3c7; }
.cols { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 16px; }
#log { list-style: none; margin: 0; padding: 0; max-height: 48vh; overflow: auto; font-size: 13px; }
#log li { display: grid; grid-template-columns: 5.5em 1fr; gap: 2px 8px; padding: 4px 6px; border-bottom: 1px solid var(--line); cursor: pointer; }
#log li:hover { background: #f1f5f9; } #log li.picked { background: #fde68a; } #log li.error .what { color: var(--bad); }
#log .when { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 12px; }
#log .what { font-family: ui-monospace, monospace; font-size: 12px; } #log .what span { color: #334155; }
#log li.call .what::before { content: "call "; color: #7c3aed; }
#log .detail { grid-column: 2; color: var(--muted); font-size: 12px; }
.tree { font: 12px ui-monospace, monospace; } .tree ul { list-style: none; margin: 0; padding-left: 14px; } .tree summary { cursor: pointer; }
.k { color: #7c3aed; } .s { color: #15803d; } .n { color: #1d4ed8; } .b { color: #b45309; } .z { color: var(--muted); }
#kv td { font: 12px ui-monospace, monospace; } #kv td.size { color: var(--muted); text-align: right; white-space: nowrap; }
pre { background: #f1f5f9; padding: 6px; border-radius: 6px; overflow: auto; max-height: 160px; font-size: 12px; }
.muted { color: var(--muted); } .empty { color: var(--muted); font-style: italic; }
#token-form { display: none; } #token-form.shown { display: flex; }
#access { margin: 12px 12px 0; padding: 8px 12px; border: 1px solid #fecaca; border-radius: 8px; background: #fef2f2; color: var(--bad); }
`;

/** Styles the diagram viewer needs; the page includes them once however many viewers it has. */
export const diagramViewStyle = String.raw`
.diagram { border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.diagram-toolbar { display: flex; gap: 6px; align-items: center; padding: 6px 8px; border-bottom: 1px solid var(--line); font-size: 13px; }
.diagram-toolbar button { min-width: 34px; }
.diagram-toolbar .zoom { min-width: 48px; text-align: right; font-variant-numeric: tabular-nums; }
.diagram-viewport { height: 56vh; min-height: 320px; overflow: hidden; cursor: grab; touch-action: none; user-select: none; }
.diagram-viewport.panning { cursor: grabbing; } .diagram-viewport:focus-visible { outline: 2px solid #2563eb; outline-offset: -2px; }
.diagram-viewport svg { display: block; width: 100%; height: 100%; }
.diagram g.last polyline { stroke: #dc2626; stroke-width: 3; }
.diagram g.last text { fill: #dc2626; font-weight: 700; }
`;

/** Styles of the workflow view. */
export const workflowViewStyle = String.raw`
/* The user's own machine is what a workflow's page is for: it comes first, the lifecycle below it, smaller. */
#machines.with-workflow .diagram-viewport { height: 28vh; min-height: 200px; }
#wf-machine { border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: 8px; overflow: auto; max-height: calc(56vh + 40px); }
#wf-machine > strong { display: block; font-size: 13px; margin-bottom: 6px; }
.wf-state { border: 1px solid #cbd5e1; border-radius: 8px; padding: 6px 8px; margin: 4px 0; background: #fff; }
.wf-state.active { border-color: var(--accent); }
.wf-state.innermost { border: 2px solid var(--accent); background: #fef3c7; }
.wf-state.wf-final { border-style: double; border-width: 3px; }
.wf-name { font-weight: 600; font-size: 13px; }
.wf-state.innermost > .wf-head > .wf-name { color: var(--accent); }
.wf-mark { font-size: 11px; color: var(--muted); margin-left: 6px; border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
.wf-chips { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.wf-chip { font: 11px ui-monospace, monospace; background: #f1f5f9; border-radius: 10px; padding: 1px 7px; }
.wf-chip.invoke { background: #ede9fe; color: #5b21b6; }
.wf-chip .guard { color: #7c3aed; }
.wf-children { display: flex; flex-wrap: wrap; gap: 6px; align-items: flex-start; margin-top: 4px; }
.wf-children > .wf-state { flex: 1 1 180px; }
.wf-parallel > .wf-children > .wf-state { border-style: dashed; }
#wf-moment { flex: 1; margin: 8px 0; padding: 6px 8px; border-radius: 6px; background: #f1f5f9; font-size: 13px; }
#wf-moment.past { background: #fef3c7; }
#wf-history { list-style: none; margin: 0; padding: 0; max-height: 40vh; overflow: auto; font-size: 13px; }
#wf-history li { display: grid; grid-template-columns: 5.5em 1fr; gap: 2px 8px; padding: 4px 6px; border-bottom: 1px solid var(--line); cursor: pointer; }
#wf-history li:hover { background: #f1f5f9; } #wf-history li.picked { background: #fde68a; }
#wf-history .when { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
#wf-history .what { font: 12px ui-monospace, monospace; }
.countdown { font-variant-numeric: tabular-nums; font-weight: 600; }
#wf-event { font: 12px ui-monospace, monospace; width: 100%; min-height: 4em; }
#wf-events button { font: 12px ui-monospace, monospace; }
#wf-result.error { color: var(--bad); }
`;
