// The inspector page: one self-contained document (no framework, no CDN, works offline),
// its styles and script (bundled and minified from page/browser/ by `npm run inspector-page`) inline. The statechart comes from /__actorstate/lifecycle.svg; a
// workflow actor's own machine from its snapshot.
import { pageScript, pageStyle } from "./page/assets.generated.ts";

/** The inspector page's HTML. */
export function inspectorPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>actorstate inspector</title>
<link rel="icon" href="data:,">
<style>${pageStyle}</style>
</head>
<body>
<header><h1>actorstate inspector</h1><span id="status">loading…</span>
<form id="token-form" class="row"><input id="token" type="password" placeholder="inspector token" autocomplete="off"><button>open</button></form></header>
<p id="access" role="alert" hidden></p>
<main>
<section id="list">
  <h2>Actors <span id="count" class="muted"></span></h2>
  <div class="row">
    <select id="filter-name"></select>
    <select id="filter-lifecycle"><option value="">any lifecycle</option><option>running</option><option>destroying</option><option>destroyed</option></select>
    <input id="filter-key" placeholder="key contains…">
  </div>
  <p class="hint" id="list-hint">Click an actor to open its statechart, log, state and KV.</p>
  <div id="list-scroll"><table id="actors" class="clickable"><thead><tr><th>name</th><th>key</th><th>lifecycle</th><th>gen</th><th>last transition</th></tr></thead><tbody></tbody></table></div>
  <h3>Create</h3>
  <div class="row"><select id="new-name"></select><input id="new-key" placeholder="key"><input id="new-input" placeholder="input (JSON)"><button id="create">getOrCreate</button></div>
  <div id="create-result" class="muted"></div>
</section>
<section id="detail" hidden>
  <h2 id="title"></h2>
  <div class="row muted"><span id="ids"></span> · <span id="live">not live</span><button id="stately" title="Needs the internet" hidden>open in Stately Inspector</button></div>
  <div id="machines">
    <div id="wf-main" hidden><div id="wf-machine"></div><div class="row"><div id="wf-moment"></div><button id="wf-now" hidden>back to now</button></div></div>
    <div id="diagram"></div>
  </div>
  <div class="row"><div id="moment"></div><button id="now">back to now</button></div>
  <div id="workflow" hidden>
    <div class="cols">
      <div>
        <h3>Workflow history</h3>
        <p class="hint">Events the machine took, newest first (the last 200). Click one to see the machine as that step left it.</p>
        <ol id="wf-history"></ol>
      </div>
      <div>
        <h3>Context</h3><div id="wf-context"></div>
        <h3>Timers</h3><ul id="wf-timers"></ul>
        <h3>Promise work</h3><ul id="wf-work"></ul>
      </div>
    </div>
    <h3>Send an event</h3>
    <div class="row" id="wf-events"></div>
    <div class="row"><textarea id="wf-event" rows="3" spellcheck="false" aria-label="event (JSON)"></textarea></div>
    <div class="row"><button id="wf-send">send</button></div>
    <pre id="wf-result"></pre>
  </div>
  <div class="cols">
    <div>
      <h3>Log</h3>
      <p class="hint" id="log-hint">Transitions and action calls, newest first. Click an entry to see the statechart at that moment.</p>
      <p class="hint" id="calls-note"></p>
      <ol id="log"></ol>
    </div>
    <div>
      <h3>State</h3><div id="state"></div>
      <h3>KV</h3>
      <table id="kv"><thead><tr><th>key</th><th>value</th><th>size</th></tr></thead><tbody></tbody></table>
      <div class="row"><button id="kv-prev">← previous</button><span id="kv-page" class="muted"></span><button id="kv-next">next →</button></div>
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
<script>${pageScript}</script>
</body>
</html>`;
}
