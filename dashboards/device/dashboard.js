// Evok.Orleans device dashboard: live device state over the WebSocket API, writes through the JSON API.
// The page only ever shows what the controller reported (events and reads), never what a click hoped for.
(() => {
  "use strict";

  const devices = new Map();      // "dev:circuit" -> device JSON as the controller last reported it
  const boards = new Map();       // board name -> row of GET /status
  const oneWireBuses = new Map(); // 1-Wire bus name -> row of GET /status
  const waiting = new Set();      // keys written and not yet confirmed by an event
  const arrivals = [];            // timestamps of change events, for events/s
  const changedAt = new Map();    // "dev:circuit" -> number of the event that last changed it
  let eventNumber = 0;
  const groups = [
    { title: "Relays and outputs", dev: "relay" },
    { title: "Analog outputs", dev: "ao" },
    { title: "Digital inputs", dev: "input" },
    { title: "Analog inputs", dev: "ai" },
    { title: "LEDs", dev: "led" },
    { title: "Watchdog", dev: "wd" },
  ];
  const oneWireDevs = new Set(["temp", "1wdevice"]);
  const $ = (selector, root = document) => root.querySelector(selector);

  // In a site of several controllers, ?node=plc3 shows another controller's devices through this one: its API
  // paths under /nodes/plc3/ (reads, writes, the WebSocket); without it, this controller's own.
  const node = new URLSearchParams(location.search).get("node");
  const onNode = (path) => (node ? `/nodes/${encodeURIComponent(node)}${path}` : path);

  // With apis.auth the API wants a token. It stays in this tab's sessionStorage, sent as a header (and as a WebSocket
  // subprotocol), never as a cookie another site's page could make the browser send.
  const tokenKey = "evok-orleans.token";
  const token = () => sessionStorage.getItem(tokenKey);
  class Unauthorized extends Error {}

  async function api(path, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    const response = await fetch(path, { ...options, headers });
    if (response.status === 401) throw new Unauthorized();
    return response;
  }
  const keyOf = (device) => `${device.dev}:${device.circuit}`;

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  function boardOf(device) {
    if (device.dev === "modbus_slave") return device.circuit;
    let best = null;
    for (const name of boards.keys()) {
      if (device.circuit.startsWith(`${name}_`) && (best === null || name.length > best.length)) best = name;
    }
    return best;
  }

  async function write(device, values) {
    const key = keyOf(device);
    waiting.add(key);
    refresh(key);
    try {
      const response = await api(onNode(`/json/${device.dev}/${encodeURIComponent(device.circuit)}`), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(values),
      });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        waiting.delete(key);
        refresh(key, Object.values(body.errors || {}).join("; ") || `HTTP ${response.status}`);
      }
    } catch (error) {
      waiting.delete(key);
      refresh(key, error instanceof Unauthorized ? "not sent: log in again" : "not sent: the controller is unreachable");
    }
  }

  function label(device) {
    const name = element("span", { class: "name", text: device.circuit });
    if (device.alias) name.append(element("span", { class: "alias", text: device.alias }));
    return name;
  }

  function control(device) {
    const key = keyOf(device);
    switch (device.dev) {
      case "relay":
      case "led":
        return element("button", {
          class: `switch${waiting.has(key) ? " waiting" : ""}`,
          role: "switch",
          "aria-checked": String(device.value === 1),
          "aria-label": `${device.dev} ${device.circuit}`,
          onclick: () => write(device, { value: device.value === 1 ? 0 : 1 }),
        });
      case "ao": {
        const [min, max] = device.range || (device.modes[device.mode] || {}).range || [0, 10];
        const slider = element("input", { type: "range", min, max, step: "0.01", value: device.value, "aria-label": `ao ${device.circuit}` });
        const number = element("input", { type: "number", min, max, step: "0.001", value: device.value, "aria-label": `ao ${device.circuit} value` });
        slider.addEventListener("input", () => { number.value = slider.value; });
        slider.addEventListener("change", () => write(device, { value: Number(slider.value) }));
        number.addEventListener("change", () => write(device, { value: Number(number.value) }));
        return element("span", { class: "analog" }, slider, number, element("span", { text: device.unit }));
      }
      case "input":
        return element("span", { class: "value" },
          element("span", { class: `dot${device.value === 1 ? " on" : ""}`, title: device.value === 1 ? "on" : "off" }),
          ` counter ${device.counter}`);
      case "ai":
        return element("span", { class: "value", text: `${device.value} ${device.unit} (${device.mode})` });
      case "wd":
        return element("span", { class: "value", text: `${device.value ? "enabled" : "disabled"}, ${device.timeout} ms` });
      case "temp":
        return element("span", { class: `value${device.lost ? " lost" : ""}`,
          text: `${device.value ?? "–"} °C · ${device.typ ?? device.type}${device.lost ? " · lost" : ""}` });
      case "1wdevice":
        return Array.isArray(device.value) ? switchChannels(device) : element("span", { class: `value${device.lost ? " lost" : ""}`,
          text: `${device.temp ?? "–"} °C · ${device.humidity ?? "–"} % RH · vdd ${device.vdd ?? "–"} V · vad ${device.vad ?? "–"} V${device.lost ? " · lost" : ""}` });
      default:
        return element("span", { class: "value", text: String(device.value) });
    }
  }

  // A 1-Wire switch: the level sensed on each channel; a click makes the channel conduct or releases it.
  function switchChannels(device) {
    const names = device.value.length === 2 ? ["A", "B"] : device.value.map((_, i) => String(i));
    return element("span", { class: `value${device.lost ? " lost" : ""}` }, ...device.value.map((level, i) => element("button", {
      class: `dot${level === 1 ? " on" : ""}`,
      title: `${names[i]}: ${level === 1 ? "high" : "low"}`,
      "aria-label": `${device.circuit} ${names[i]}`,
      onclick: () => write(device, { pio: names[i], value: level === 1 ? 1 : 0 }),
    })), ` ${device.typ ?? device.type}`);
  }

  // A circuit's history from the change journal (GET .../history), plotted over the last hour or day: a numeric
  // value as a line, an on/off circuit as a timeline; changes that arrive while it is shown are added live.
  const digital = new Set(["relay", "led", "input", "wd"]);
  const history = { key: null, device: null, span: 3600, points: [] };

  async function showHistory(device, span = history.span) {
    Object.assign(history, { key: keyOf(device), device, span, points: [] });
    for (const button of document.querySelectorAll("#history [data-span]")) button.setAttribute("aria-pressed", String(Number(button.dataset.span) === span));
    $("#history-title").textContent = `History of ${device.dev} ${device.circuit}${device.alias ? ` (${device.alias})` : ""}`;
    $("#history").hidden = false;
    const from = Math.floor(Date.now() / 1000) - span;
    const response = await api(onNode(`/rest/${device.dev}/${encodeURIComponent(device.circuit)}/history?from=${from}&limit=10000`));
    const body = await response.json();
    history.points = (body.history || []).filter((entry) => typeof entry.value === "number").map((entry) => ({ time: entry.time, value: entry.value }));
    drawHistory();
  }

  function addToHistory(device) {
    if (keyOf(device) !== history.key || typeof device.value !== "number") return;
    history.points.push({ time: Date.now() / 1000, value: device.value });
    drawHistory();
  }

  function drawHistory() {
    // Drawn at the plot's own width (one user unit a pixel), so the text keeps its size on a phone and a desktop.
    const plot = $("#history-plot");
    const [width, height, left, right, top, bottom] = [Math.max(plot.clientWidth, 320), 180, 44, 8, 8, 22];
    plot.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const now = Date.now() / 1000;
    const start = now - history.span;
    const points = history.points.filter((point) => point.time >= start);
    const onOff = digital.has(history.device.dev);
    let low = onOff ? 0 : Math.min(...points.map((point) => point.value));
    let high = onOff ? 1 : Math.max(...points.map((point) => point.value));
    if (!Number.isFinite(low)) [low, high] = [0, 1];
    if (high === low) [low, high] = [low - 1, high + 1];
    const x = (time) => left + ((time - start) / history.span) * (width - left - right);
    const y = (value) => top + (1 - (value - low) / (high - low)) * (height - top - bottom);
    // An on/off circuit holds its state until the next change: steps, drawn on to now.
    let path = "";
    points.forEach((point, i) => {
      if (i === 0) path = `M${x(point.time).toFixed(1)},${y(point.value).toFixed(1)}`;
      else path += onOff ? `H${x(point.time).toFixed(1)}V${y(point.value).toFixed(1)}` : `L${x(point.time).toFixed(1)},${y(point.value).toFixed(1)}`;
    });
    if (points.length > 0) path += `H${x(now).toFixed(1)}`;
    const svg = "http://www.w3.org/2000/svg";
    const shape = (tag, attributes, text) => {
      const node = document.createElementNS(svg, tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const format = (value) => (onOff ? (value ? "on" : "off") : String(Math.round(value * 1000) / 1000));
    const clock = (time) => new Date(time * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    plot.replaceChildren(
      shape("line", { class: "axis", x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }),
      shape("line", { class: "axis", x1: left, y1: top, x2: left, y2: height - bottom }),
      shape("text", { x: left - 4, y: y(high) + 4, "text-anchor": "end" }, format(high)),
      shape("text", { x: left - 4, y: y(low) + 4, "text-anchor": "end" }, format(low)),
      shape("text", { x: left, y: height - 6 }, clock(start)),
      shape("text", { x: width - right, y: height - 6, "text-anchor": "end" }, clock(now)),
      shape("path", { class: "trace", d: path, "data-points": points.length }));
    $("#history-caption").textContent = points.length === 0
      ? "No change in this span."
      : `${points.length} change${points.length === 1 ? "" : "s"}, the last ${format(points[points.length - 1].value)} at ${clock(points[points.length - 1].time)}`;
  }

  function row(device, problem) {
    const line = element("div", { class: "row", "data-key": keyOf(device) }, label(device),
      element("button", { class: "history-button", type: "button", text: "history", "aria-label": `history of ${device.dev} ${device.circuit}`, onclick: () => showHistory(device) }),
      control(device));
    if (problem) line.append(element("span", { class: "error", text: problem }));
    return line;
  }

  function refresh(key, problem) {
    const device = devices.get(key);
    const current = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!device) return;
    if (device.dev === "modbus_slave") return renderBoardHeader(device.circuit);
    if (device.dev === "owbus") return renderOneWireHeader();
    if (!current) return render();
    current.replaceWith(row(device, problem));
  }

  function renderBoardHeader(name) {
    const card = document.querySelector(`.board[data-board="${CSS.escape(name)}"]`);
    const status = boards.get(name) || {};
    const slave = devices.get(`modbus_slave:${name}`);
    const online = slave ? slave.online : status.online;
    if (!card) return render();
    card.classList.toggle("offline", online === false);
    $(".comm", card).textContent = online === false ? "offline" : "online";
    const lastComm = slave && !online ? slave.last_comm : status.lastComm;
    $(".meta", card).textContent =
      `model ${status.model ?? "?"} · ${status.bus ?? "TCP"} unit ${status.slaveId ?? "?"} · scan ${status.scanMs ?? "?"} ms · ${status.scansPerSecond ?? "?"}/${status.scanFrequency ?? "?"} scans/s · last answer ${lastComm >= 0 ? `${Number(lastComm).toFixed(1)} s ago` : "never"}`;
  }

  function renderOneWireHeader() {
    const card = document.querySelector(".board.onewire");
    if (!card) return render();
    const lines = [...oneWireBuses.values()].map((bus) => {
      const state = devices.get(`owbus:${bus.name}`);
      const online = state ? state.online : bus.online;
      return `${bus.name} (owserver ${bus.endpoint}) ${online ? "online" : "offline"} · ${bus.devices} devices, ${bus.lostDevices} lost · ${bus.readsPerSecond} reads/s · every ${state?.interval ?? "?"} s, search every ${state?.scan_interval ?? "?"} s`;
    });
    const offline = [...oneWireBuses.values()].some((bus) => (devices.get(`owbus:${bus.name}`)?.online ?? bus.online) === false);
    card.classList.toggle("offline", offline);
    $(".comm", card).textContent = offline ? "offline" : "online";
    $(".meta", card).textContent = lines.join(" | ");
  }

  function renderOneWire(main) {
    if (oneWireBuses.size === 0) return;
    const members = [...devices.values()].filter((d) => oneWireDevs.has(d.dev)).sort((a, b) => a.circuit.localeCompare(b.circuit));
    const card = element("section", { class: "board onewire", "data-board": "1-Wire" },
      element("h2", {}, "1-Wire sensors", element("span", { class: "comm", text: "online" })),
      element("div", { class: "meta" }));
    if (members.length > 0) card.append(element("div", { class: "group" }, element("h3", { text: "Sensors and switches" }), ...members.map((d) => row(d))));
    main.append(card);
    renderOneWireHeader();
  }

  function render() {
    const main = $("#boards");
    main.replaceChildren();
    for (const name of boards.keys()) {
      const card = element("section", { class: "board", "data-board": name },
        element("h2", {}, `Board ${name}`, element("span", { class: "comm", text: "online" })),
        element("div", { class: "meta" }));
      for (const group of groups) {
        const members = [...devices.values()].filter((d) => d.dev === group.dev && boardOf(d) === name);
        if (members.length === 0) continue;
        card.append(element("div", { class: "group" }, element("h3", { text: group.title }), ...members.map((d) => row(d))));
      }
      main.append(card);
      renderBoardHeader(name);
    }
    renderOneWire(main);
  }

  function renderFacts() {
    const now = Date.now();
    while (arrivals.length && arrivals[0] < now - 5000) arrivals.shift();
    $("#events-per-second").textContent = (arrivals.length / 5).toFixed(1);
  }

  function renderWebhooks(webhooks) {
    $("#webhooks").replaceChildren(...webhooks.map((w) => element("span", { class: "webhook", "data-webhook": w.name },
      element("span", { class: "label", text: `Webhook ${w.name}` }),
      ` queue ${w.pending}, last ${w.lastResult ?? "none yet"}`)));
  }

  async function loadStatus() {
    const status = await (await api(onNode("/status"))).json();
    const known = boards.size + oneWireBuses.size;
    for (const device of status.devices) boards.set(device.name, device);
    for (const bus of status.oneWireBuses || []) oneWireBuses.set(bus.name, bus);
    renderWebhooks(status.webhooks);
    if (boards.size + oneWireBuses.size !== known) render();
    else {
      for (const name of boards.keys()) renderBoardHeader(name);
      if (oneWireBuses.size > 0) renderOneWireHeader();
    }
  }

  async function loadDevices() {
    // An event that arrives while this read is on its way is newer than what the read returns: keep the event.
    const asked = eventNumber;
    const all = await (await api(onNode("/rest/all"))).json();
    for (const device of all) {
      if ((changedAt.get(keyOf(device)) ?? 0) <= asked) devices.set(keyOf(device), device);
    }
    render();
  }

  function connect(delay = 500) {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${onNode("/ws")}`;
    const socket = token() ? new WebSocket(url, ["evok", `bearer.${token()}`]) : new WebSocket(url);
    socket.onopen = async () => {
      delay = 500;
      $("#banner").hidden = true;
      // Whatever happened while the page was cut off (a silo restart, a missed event) is read afresh.
      try {
        await loadStatus();
        await loadDevices();
      } catch (error) {
        if (error instanceof Unauthorized) showLogin("The token is no longer accepted.");
      }
    };
    socket.onmessage = (message) => {
      const changed = JSON.parse(message.data);
      if (!Array.isArray(changed)) return;
      for (const device of changed) {
        const key = keyOf(device);
        arrivals.push(Date.now());
        changedAt.set(key, ++eventNumber);
        devices.set(key, device);
        waiting.delete(key);
        refresh(key);
        addToHistory(device);
      }
    };
    socket.onclose = () => {
      if (!$("#login").hidden) return;
      $("#banner").hidden = false;
      setTimeout(() => connect(Math.min(delay * 2, 5000)), delay);
    };
  }

  function showLogin(problem = "") {
    $("#login").hidden = false;
    $("#login-problem").textContent = problem;
    $("#token").focus();
  }

  async function logIn(event) {
    event.preventDefault();
    sessionStorage.setItem(tokenKey, $("#token").value.trim());
    try {
      await api("/status");
      // The Orleans dashboard's page cannot send the header: it gets a SameSite=Strict cookie for /orleans only.
      await api("/auth/dashboard", { method: "POST" });
    } catch (error) {
      sessionStorage.removeItem(tokenKey);
      showLogin(error instanceof Unauthorized ? "This token is not accepted." : "The controller is unreachable.");
      return;
    }
    $("#token").value = "";
    $("#login").hidden = true;
    $("#logout").hidden = false;
    showOrleansLink();
    connect();
  }

  async function start() {
    $("#login").addEventListener("submit", logIn);
    $("#history-close").addEventListener("click", () => { $("#history").hidden = true; history.key = null; });
    for (const button of document.querySelectorAll("#history [data-span]")) {
      button.addEventListener("click", () => showHistory(history.device, Number(button.dataset.span)));
    }
    $("#logout").addEventListener("click", () => {
      sessionStorage.removeItem(tokenKey);
      location.reload();
    });
    try {
      await api("/status");
    } catch (error) {
      if (error instanceof Unauthorized) {
        showLogin();
        return;
      }
    }
    $("#logout").hidden = !token();
    await showNodes();
    showOrleansLink();
    connect();
  }

  // The Orleans dashboard is there when apis.orleans_dashboard switches it on; its link only then.
  async function showOrleansLink() {
    const response = await api("/orleans/version").catch(() => null);
    $("#orleans-link").hidden = !(response && response.ok);
  }

  // A controller of a site lists the site's controllers (GET /nodes): a picker to show any of them.
  async function showNodes() {
    const response = await api("/nodes").catch(() => null);
    if (!response || !response.ok) return;
    const nodes = await response.json();
    const shown = node ?? nodes.find((entry) => entry.self)?.node;
    const picker = $("#node");
    for (const entry of nodes) {
      const text = entry.status === "active" ? entry.node : `${entry.node} (${entry.status})`;
      picker.append(element("option", { value: entry.self ? "" : entry.node, text }));
      if (entry.node === shown) picker.lastChild.selected = true;
    }
    picker.addEventListener("change", () => {
      location.search = picker.value ? `?node=${encodeURIComponent(picker.value)}` : "";
    });
    picker.hidden = false;
  }

  setInterval(renderFacts, 1000);
  setInterval(() => loadStatus().catch(() => {}), 2000);
  start();
})();
