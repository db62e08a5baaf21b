// The live dashboard: one EventSource on /events, one snapshot per second, rendered without a
// framework. Thumbnails load from /thumbnail only when a camera's thumbnail sequence changes.
"use strict";
const COLORS = ["#2563eb", "#d97706", "#16a34a", "#9333ea", "#dc2626", "#0891b2"];
const state = { tiles: new Map(), lastEvent: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs = {}) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

// Seconds since the camera's last frame, as the server measured it (no browser clock skew).
function ago(seconds) {
  if (seconds === undefined) return "no frame yet";
  const s = Math.max(0, seconds);
  return s < 60 ? s.toFixed(1) + " s ago" : Math.round(s / 60) + " min ago";
}

function tileFor(camera) {
  let t = state.tiles.get(camera);
  if (t) return t;
  const root = el("article", { class: "tile", "data-camera": camera });
  const head = el("header", {}, el("h2", {}, camera), el("span", { class: "badge" }, "ALERT"));
  const img = el("img", { alt: "latest frame of " + camera });
  const labels = el("ol", { class: "labels" });
  const stats = el("div", { class: "stats" });
  const chart = svg("svg", { class: "chart", viewBox: "0 0 320 140", role: "img" });
  const legend = el("div", { class: "legend" });
  root.append(head, el("div", { class: "frame" }, img, labels), stats, chart, legend);
  $("cameras").append(root);
  t = { root, img, labels, stats, chart, legend, seq: -1 };
  state.tiles.set(camera, t);
  return t;
}

function renderTile(tile, counts) {
  const t = tileFor(tile.camera);
  t.root.classList.toggle("alerting", !!tile.alert_open);
  if (tile.thumbnail_seq !== t.seq && tile.thumbnail_seq > 0) {
    t.seq = tile.thumbnail_seq;
    t.img.src = "/thumbnail?camera=" + encodeURIComponent(tile.camera) +
      "&instance=" + encodeURIComponent(tile.instance) + "&seq=" + t.seq;
  }
  t.labels.replaceChildren(...tile.labels.map((l) =>
    el("li", {}, el("span", { class: "name" }, l.name), el("span", {}, (l.score * 100).toFixed(0) + "%"),
      el("span", { class: "bar" }, el("span", { style: "width:" + (l.score * 100).toFixed(1) + "%" })))));
  t.stats.replaceChildren(
    el("span", { title: "labeled frames per second of video, last 10 s" }, tile.fps.toFixed(1) + " frames/s"),
    el("span", { class: "age" }, ago(tile.seconds_since_frame)),
    el("span", {}, tile.frames + " labeled"),
    el("span", {}, "frame " + (tile.frame_index ?? "-")));
  t.root.dataset.frameIndex = tile.frame_index ?? "";
  renderChart(t, counts);
}

// Frames per label in the camera's recent windows, one polyline per label, time on the x axis.
function renderChart(t, data) {
  t.chart.replaceChildren();
  t.legend.replaceChildren();
  if (!data || data.windows.length === 0) {
    const text = svg("text", { x: 160, y: 70, "text-anchor": "middle" });
    text.textContent = "no windows counted yet";
    t.chart.append(text);
    return;
  }
  const W = 320, H = 140, L = 28, B = 20, T = 6, R = 8;
  const max = Math.max(1, ...data.series.flatMap((s) => s.frames));
  const n = data.windows.length;
  const x = (i) => L + (n === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  for (const v of [0, max]) {
    t.chart.append(svg("line", { class: "grid", x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    const label = svg("text", { x: L - 4, y: y(v) + 3, "text-anchor": "end" });
    label.textContent = v;
    t.chart.append(label);
  }
  const ticks = n <= 4 ? [...Array(n).keys()] : [0, Math.floor((n - 1) / 2), n - 1];
  for (const i of ticks) {
    const anchor = n > 1 && i === 0 ? "start" : n > 1 && i === n - 1 ? "end" : "middle";
    const label = svg("text", { x: x(i), y: H - 5, "text-anchor": anchor, class: "tick" });
    label.textContent = clock(data.windows[i]);
    t.chart.append(label);
  }
  data.series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const points = s.frames.map((v, i) => x(i).toFixed(1) + "," + y(v).toFixed(1)).join(" ");
    t.chart.append(svg("polyline", { points, fill: "none", stroke: color, "stroke-width": 2, class: "series" }));
    s.frames.forEach((v, i) => t.chart.append(svg("circle", { cx: x(i), cy: y(v), r: 2.5, fill: color, class: "point" })));
    t.legend.append(el("span", {}, el("i", { style: "background:" + color }), s.label));
  });
}

function renderAlerts(alerts) {
  const list = $("alerts");
  if (alerts.length === 0) {
    list.replaceChildren(el("li", { class: "muted" }, "none yet"));
    return;
  }
  list.replaceChildren(...alerts.map((a) =>
    el("li", { class: "alert", "data-camera": a.camera, "data-rule": a.rule },
      el("span", { class: "sev " + a.severity }, a.severity), " ",
      el("b", {}, a.rule), " on ", el("b", {}, a.camera), el("br"),
      el("span", { class: "muted" }, clock(a.first_seen) + " · " + a.label + " · " +
        a.frames + " frames · peak " + (a.peak_score * 100).toFixed(0) + "%"))));
}

function bars(target, entries, unit) {
  const max = Math.max(1, ...entries.map(([, v]) => v));
  target.replaceChildren(...(entries.length === 0 ? [el("span", { class: "muted" }, "none")] :
    entries.map(([k, v]) => el("div", {}, el("span", {}, k),
      el("span", { class: "b", style: "width:" + ((100 * v) / max).toFixed(1) + "%" }),
      el("span", {}, Math.round(v) + unit)))));
}

function renderPipeline(p, snapshot) {
  const ms = (v) => (v === undefined ? "-" : v.toFixed(1) + " ms");
  const rows = [
    ["state", p.state],
    ["labeled frames/s", p.frames_per_second.toFixed(1)],
    ["inference p50", ms(p.inference_ms.p50)],
    ["inference p95", ms(p.inference_ms.p95)],
    ["instances", snapshot.instances.map((i) => i.instance + " " + i.status).join(", ")],
  ];
  $("pipeline").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
  bars($("batches"), Object.entries(p.batch_sizes).map(([k, v]) => ["batch of " + k, v]), "");
  bars($("lag"), Object.entries(p.lag), "");
  const dead = Object.entries(p.dead_letters);
  $("dead").replaceChildren(...(dead.length === 0 ? [el("li", { class: "muted" }, "none")] :
    dead.map(([reason, n]) => el("li", {}, reason + ": " + n))));
}

function render(snapshot) {
  $("instance").textContent = "instance " + snapshot.instance + " · " + clock(snapshot.now);
  for (const tile of snapshot.tiles) renderTile(tile, snapshot.counts[tile.camera]);
  renderAlerts(snapshot.alerts);
  renderPipeline(snapshot.pipeline, snapshot);
}

function connect() {
  const status = $("connection");
  const events = new EventSource("/events");
  events.onopen = () => { status.className = "connection live"; status.textContent = "live"; };
  events.onmessage = (e) => { state.lastEvent = Date.now(); render(JSON.parse(e.data)); };
  // EventSource reconnects by itself (the server asks for a 2 s retry); say so meanwhile.
  events.onerror = () => { status.className = "connection lost"; status.textContent = "connection lost, reconnecting…"; };
}

connect();
