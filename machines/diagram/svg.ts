import type { MachineLayout, PlacedEdge, PlacedState } from "./layout.ts";
import { FONT_SIZE, LINE_HEIGHT } from "./metrics.ts";

/** Options for {@link renderSvg}. */
export interface SvgOptions {
  /** A state path (`running`, `destroying.draining`) to draw as the current state. */
  highlight?: string;
}

const STYLE = `
.state rect { fill: #f8fafc; stroke: #475569; stroke-width: 1.5; }
.state.compound > rect { fill: #f1f5f9; stroke-dasharray: 4 3; }
.state.current > rect { fill: #fde68a; stroke: #b45309; stroke-width: 2.5; }
.state.compound.current > rect { fill: #fef3c7; }
.state text { font-weight: 600; fill: #0f172a; }
.initial { fill: #0f172a; }
.edge { fill: none; stroke: #64748b; stroke-width: 1.3; }
.edge-label { fill: #334155; }
text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: ${FONT_SIZE}px; }
`;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function renderState(state: PlacedState, highlight: string | undefined): string {
  if (state.kind === "initial") {
    const r = state.width / 2;
    return `<circle class="initial" cx="${round(state.x + r)}" cy="${round(state.y + r)}" r="${round(r)}"/>`;
  }
  const current = state.id === highlight ? " current" : "";
  const textX = state.kind === "compound" ? state.x + 10 : state.x + state.width / 2;
  const textY = state.kind === "compound" ? state.y + 18 : state.y + state.height / 2 + FONT_SIZE / 3;
  const anchor = state.kind === "compound" ? "start" : "middle";
  return [
    `<g class="state ${state.kind}${current}" data-state="${escape(state.id)}">`,
    `<rect x="${round(state.x)}" y="${round(state.y)}" width="${round(state.width)}" height="${round(state.height)}" rx="8"/>`,
    `<text x="${round(textX)}" y="${round(textY)}" text-anchor="${anchor}">${escape(state.name)}</text>`,
    `</g>`,
  ].join("");
}

function renderEdge(edge: PlacedEdge): string {
  const points = edge.points.map(({ x, y }) => `${round(x)},${round(y)}`).join(" ");
  const line = `<polyline class="edge" points="${points}" marker-end="url(#arrow)"/>`;
  const label = edge.label
    ? `<text class="edge-label" x="${round(edge.label.x)}" y="${round(edge.label.y)}">` +
      edge.labels
        .map((text, i) => `<tspan x="${round(edge.label!.x)}" dy="${i === 0 ? FONT_SIZE : LINE_HEIGHT}">${escape(text)}</tspan>`)
        .join("") +
      `</text>`
    : "";
  return `<g data-from="${escape(edge.source)}" data-to="${escape(edge.target)}">${line}${label}</g>`;
}

/**
 * Render a laid-out machine as a standalone SVG document: no scripts, no external fonts or
 * images, so it displays offline and in a README. States carry `data-state` and arrows
 * `data-from`/`data-to`, so a page can re-highlight without re-rendering.
 *
 * @example
 * ```ts
 * const svg = renderSvg(layout, { highlight: "destroying.draining" });
 * ```
 */
export function renderSvg(layout: MachineLayout, options: SvgOptions = {}): string {
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  // Compound states first, so their children and arrows draw on top.
  const states = [...layout.states].sort((a, b) => Number(b.kind === "compound") - Number(a.kind === "compound"));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(layout.id)} statechart">`,
    `<title>${escape(layout.id)} statechart</title>`,
    `<style>${STYLE}</style>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...states.map((state) => renderState(state, options.highlight)),
    ...layout.edges.map(renderEdge),
    `</svg>`,
    "",
  ].join("\n");
}
