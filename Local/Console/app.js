// The Jobs console: calls the HTTP API only. Served at / by the local stack and from S3 behind
// CloudFront on AWS, where console/config.json names the API and the Cognito sign-in.
const terminal = new Set(["succeeded", "failed", "canceled"]);
const statuses = ["queued", "running", "succeeded", "failed", "canceled"];
// At most this many long polls at once: a browser opens six connections to a host, and the form,
// cancel and the list refresh need theirs. Jobs without a poll are updated by the refresh.
const maxWatches = 2;
const state = { api: "", token: null, models: [], jobs: new Map(), watching: new Map(), rows: new Map(), figures: new Map() };
const $ = (selector, root = document) => root.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function call(path, options = {}) {
  const headers = { ...(options.headers ?? {}) };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(state.api + path, { method: options.method ?? "GET", headers, signal: options.signal, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// ---- sign-in (Cognito's hosted UI, authorization code with PKCE), only when config names it
function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function signIn(cognito) {
  const redirect = location.origin + location.pathname;
  const code = new URLSearchParams(location.search).get("code");
  if (code) {
    const body = new URLSearchParams({ grant_type: "authorization_code", client_id: cognito.clientId, code, redirect_uri: redirect, code_verifier: sessionStorage.getItem("jobs.verifier") ?? "" });
    const answer = await fetch(`${cognito.domain}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    if (answer.ok) sessionStorage.setItem("jobs.token", (await answer.json()).id_token);
    history.replaceState(null, "", redirect);
  }
  state.token = sessionStorage.getItem("jobs.token");
  if (state.token) return;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem("jobs.verifier", verifier);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({ response_type: "code", client_id: cognito.clientId, redirect_uri: redirect, scope: "openid email", code_challenge_method: "S256", code_challenge: challenge });
  location.assign(`${cognito.domain}/oauth2/authorize?${query}`);
  await new Promise(() => {});
}

// ---- the form, generated from GET /models: only the fields the chosen model takes, with its limits
function field(name, label, control, note) {
  return element("div", { class: "field" },
    element("label", { for: name }, label), control, note ? element("p", { class: "note", id: `${name}-note` }, note) : null,
    element("p", { class: "error", "data-error-for": name, role: "alert" }));
}

function numberInput(name, min, max, step, placeholder) {
  return element("input", { id: name, name, type: "number", min, max, step, placeholder, inputmode: step === "1" ? "numeric" : "decimal" });
}

function choice(name, options, selected) {
  return element("select", { id: name, name }, options.map(o => element("option", { value: o, selected: o === selected }, o)));
}

function renderFields() {
  const model = state.models.find(m => m.id === $("#model").value);
  const rules = model.rules;
  const fields = [];
  $("#prompt").maxLength = rules.promptMaxLength;
  $("#model-note").textContent = `${model.status}${model.endOfLife ? `, end of life ${model.endOfLife}` : ""}` +
    (model.pricePerImageUsd ? ` · $${model.pricePerImageUsd.standard} an image` : "");
  fields.push(field("negativePrompt", "Negative prompt", element("input", { id: "negativePrompt", name: "negativePrompt", maxlength: rules.negativePromptMaxLength })));
  if (rules.aspectRatios) {
    fields.push(field("aspectRatio", "Aspect ratio", choice("aspectRatio", Object.keys(rules.aspectRatios), rules.defaultAspectRatio)));
  } else {
    const size = rules.defaultSize ?? { width: 1024, height: 1024 };
    const note = rules.sizes ? `One of ${rules.sizes.map(s => `${s.width}×${s.height}`).join(", ")}` : rules.freeSize ? `${rules.freeSize.minSide}–${rules.freeSize.maxSide} px, multiples of ${rules.freeSize.multiple}` : "";
    fields.push(field("width", "Width", numberInput("width", 1, 4096, "1", size.width), note));
    fields.push(field("height", "Height", numberInput("height", 1, 4096, "1", size.height)));
  }
  fields.push(field("seed", "Seed", numberInput("seed", 0, rules.seedMax, "1", "random"), `0–${rules.seedMax}; the same prompt and seed give the same image`));
  if (rules.maxCount > 1) fields.push(field("count", "Images", numberInput("count", 1, rules.maxCount, "1", 1), `1–${rules.maxCount}`));
  if (rules.qualities) fields.push(field("quality", "Quality", choice("quality", rules.qualities, rules.qualities[0])));
  if (rules.styles) fields.push(field("style", "Style", choice("style", ["", ...rules.styles], "")));
  if (rules.cfgScale) fields.push(field("cfgScale", "Prompt strength (cfgScale)", numberInput("cfgScale", rules.cfgScale.min, rules.cfgScale.max, "0.1", rules.cfgScale.default)));
  if (rules.steps) fields.push(field("steps", "Steps", numberInput("steps", rules.steps.min, rules.steps.max, "1", rules.steps.default)));
  $("#fields").replaceChildren(...fields);
}

function clearErrors() {
  for (const error of document.querySelectorAll("#submit-form .error")) error.textContent = "";
  for (const invalid of document.querySelectorAll("#submit-form [aria-invalid]")) invalid.removeAttribute("aria-invalid");
}

function showErrors(problem) {
  const errors = problem?.errors?.length ? problem.errors : [{ field: "", message: problem?.detail ?? "The request failed." }];
  for (const { field: name, message } of errors) {
    const slot = document.querySelector(`#submit-form [data-error-for="${CSS.escape(name)}"]`) ?? document.querySelector('#submit-form [data-error-for=""]');
    slot.textContent = slot.dataset.errorFor ? message : `${name} ${message}`.trim();
    document.getElementById(name)?.setAttribute("aria-invalid", "true");
  }
  const first = errors.map(e => document.getElementById(e.field)).find(Boolean);
  first?.focus();
}

async function submit(event) {
  event.preventDefault();
  clearErrors();
  const body = { model: $("#model").value, prompt: $("#prompt").value };
  for (const control of document.querySelectorAll("#fields input, #fields select")) {
    if (control.value === "") continue;
    body[control.name] = control.type === "number" ? Number(control.value) : control.value;
  }
  const button = $("#submit");
  button.disabled = true;
  try {
    const { status, body: answer } = await call("jobs", { method: "POST", body });
    if (status >= 400) { showErrors(answer); return; }
    upsert(answer);
    watch(answer.id, true);
  } finally {
    button.disabled = false;
  }
}

// ---- jobs: newest first, each running one followed with Prefer: wait until it is final
function seconds(ms) { return ms === undefined || ms === null ? "" : `${(ms / 1000).toFixed(1)} s`; }

function jobRow(job) {
  const metrics = job.metrics ?? {};
  const cancel = terminal.has(job.status) ? null : element("button", { class: "secondary cancel", type: "button", onclick: () => cancelJob(job.id), "aria-label": `Cancel job ${job.id}` }, "Cancel");
  return element("li", { class: "job", "data-job-id": job.id, "data-status": job.status },
    element("span", { class: "prompt" }, job.prompt || job.task || ""),
    element("span", { class: `status ${job.status}` }, job.status),
    element("span", { class: "meta" },
      `${job.model} · queued ${seconds(metrics.queuedMs)} · generating ${seconds(metrics.generateMs)}`,
      job.error ? element("span", { class: "job-error" }, ` · ${job.error.code}: ${job.error.message}`) : null),
    cancel);
}

function upsert(job) {
  state.jobs.set(job.id, job);
  render();
}

// Rows and figures are kept and moved, never rebuilt: an image already loaded stays loaded.
function render() {
  const jobs = [...state.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 50);
  $("#jobs").replaceChildren(...jobs.map(job => {
    const version = `${job.status}|${job.updatedAt}|${job.error?.code ?? ""}`;
    const kept = state.rows.get(job.id);
    if (kept?.version === version) return kept.row;
    const row = jobRow(job);
    state.rows.set(job.id, { version, row });
    return row;
  }));
  const images = jobs.filter(j => j.status === "succeeded").flatMap(j => (j.images ?? []).map((image, index) => ({ job: j, image, key: `${j.id}/${index}` })));
  $("#gallery").replaceChildren(...images.slice(0, 60).map(({ job, image, key }) => {
    if (!state.figures.has(key)) state.figures.set(key, figure(job, image));
    return state.figures.get(key);
  }));
}

function figure(job, image) {
  return element("figure", { class: "image", "data-job-id": job.id },
    element("a", { href: image.url, target: "_blank", rel: "noopener" },
      element("img", { src: image.url, alt: job.prompt || job.task, width: image.width, height: image.height })),
    element("figcaption", {},
      element("span", { class: "prompt" }, job.prompt || job.task),
      `${job.model} · seed ${image.seed} · ${image.width}×${image.height} `,
      element("button", { class: "secondary again", type: "button", onclick: () => again(job, image) }, "Again with this seed")));
}

function again(job, image) {
  $("#model").value = job.model;
  renderFields();
  $("#prompt").value = job.prompt;
  $("#seed").value = image.seed;
  $("#prompt").focus();
}

// A job this page submitted always gets a poll (the oldest background poll gives way); others only while one is free.
async function watch(id, mine = false) {
  if (state.watching.has(id)) return;
  if (state.watching.size >= maxWatches) {
    if (!mine) return;
    const [oldest, controller] = state.watching.entries().next().value;
    controller.abort();
    state.watching.delete(oldest);
  }
  const controller = new AbortController();
  state.watching.set(id, controller);
  try {
    for (;;) {
      const { status, body } = await call(`jobs/${encodeURIComponent(id)}`, { headers: { prefer: "wait=10" }, signal: controller.signal });
      if (status !== 200) return;
      upsert(body);
      if (terminal.has(body.status)) return;
    }
  } catch (error) {
    if (error.name !== "AbortError") throw error;
  } finally {
    if (state.watching.get(id) === controller) state.watching.delete(id);
  }
}

async function cancelJob(id) {
  const { status, body } = await call(`jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
  if (status < 300) upsert(body);
}

let refreshing = false;

// One list call at a time: the refresh must never take the connections the form and cancel need.
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    for (const s of statuses) {
      const page = await call(`jobs?status=${s}&limit=20`);
      for (const job of page.body?.items ?? []) {
        state.jobs.set(job.id, job);
        if (!terminal.has(job.status)) watch(job.id);
      }
    }
    await refreshBatches();
  } finally {
    refreshing = false;
  }
}

async function refreshBatches() {
  render();
  const batches = await call("batches?limit=10");
  $("#batches").replaceChildren(...(batches.body?.items ?? []).map(batch => {
    const counts = batch.counts ?? {};
    const done = (counts.succeeded ?? 0) + (counts.failed ?? 0) + (counts.canceled ?? 0);
    return element("li", { class: "batch", "data-batch-id": batch.id },
      element("span", {}, `${batch.id} · ${batch.status} · ${done} of ${batch.total ?? "?"}`),
      element("progress", { max: batch.total || 1, value: done, "aria-label": `Batch ${batch.id} progress` }),
      batch.resultsUrl ? element("a", { href: batch.resultsUrl }, "Results") : null);
  }));
}

async function start() {
  const config = await fetch("console/config.json").then(r => r.json());
  state.api = config.apiUrl ?? "";
  if (config.cognito) await signIn(config.cognito);
  const { body } = await call("models");
  state.models = body.items.filter(m => m.textToImage !== false);
  $("#model").replaceChildren(...state.models.map(m => element("option", { value: m.id, selected: m.id === body.defaultModel }, `${m.name} (${m.status})`)));
  $("#model").addEventListener("change", renderFields);
  $("#submit-form").addEventListener("submit", submit);
  renderFields();
  await refresh();
  setInterval(refresh, 5000);
}

start();
