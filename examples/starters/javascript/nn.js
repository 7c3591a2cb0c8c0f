#!/usr/bin/env node
// A small neural network in plain JavaScript (node 20, no npm packages), speaking wire protocol v1
// of reference_nn (docs/implement_any_language.md): one JSON object per line on stdin, one answer
// per line on stdout.  Run it under the specification with
//     pytest tests/spec --impl "cmd:node examples/starters/javascript/nn.js"
//
// Conventions (those of reference_nn/adapter.py): samples are rows, a layer's weights are
// (n_in, n_out) and compute f(x W + b); an array is {shape, data} with data flat, row-major.
"use strict";

const NAME = "nn.js";
const VERSION = "1.0.0";
const EPS = 1e-15; // cross-entropies clip p to [EPS, 1 - EPS] before the logarithm
const EXP_SAFE = -709; // e^709 is still finite: 1 + e^-z cannot overflow for z >= -709

// ---- arrays ---------------------------------------------------------------------------------------

const array = (shape, data) => ({ shape, data: Float64Array.from(data) });
const zeros = (shape) => ({ shape, data: new Float64Array(shape.reduce((n, d) => n * d, 1)) });
const map = (z, f) => ({ shape: z.shape.slice(), data: z.data.map(f) });
const zip = (x, y, f) => ({ shape: x.shape.slice(), data: x.data.map((v, i) => f(v, y.data[i], i)) });
const rows = (a) => a.shape[0];
const cols = (a) => a.shape[a.shape.length - 1];

function matmul(A, B) { // (m, n) @ (n, p)
  const [m, n] = A.shape, p = B.shape[1], C = zeros([m, p]);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A.data[i * n + k] * B.data[k * p + j];
      C.data[i * p + j] = s;
    }
  return C;
}

function transpose(A) {
  const [m, n] = A.shape, T = zeros([n, m]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T.data[j * m + i] = A.data[i * n + j];
  return T;
}

function addRow(A, b) { // A + b on every row; b may be null (no bias)
  if (b === null) return A;
  const n = cols(A);
  return map(A, (v, i) => v + b.data[i % n]);
}

function columnSums(A) {
  const [m, n] = A.shape, s = zeros([n]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) s.data[j] += A.data[i * n + j];
  return s;
}

function rowSums(A) { // sums over the last axis, one per row
  const n = cols(A), out = new Float64Array(A.data.length / n);
  for (let r = 0; r < out.length; r++) for (let j = 0; j < n; j++) out[r] += A.data[r * n + j];
  return out;
}

const total = (a) => a.data.reduce((s, v) => s + v, 0);

// ---- activations ----------------------------------------------------------------------------------

function sigmoid(z) { // 1 / (1 + e^-z); below -709 that is e^z (1 + e^-z would overflow)
  return z >= EXP_SAFE ? 1 / (1 + Math.exp(-z)) : Math.exp(z);
}

function sigmoidGrad(z) { // sigma(z) (1 - sigma(z)) = e^-|z| / (1 + e^-|z|)^2, accurate where sigma rounds to 1
  const e = Math.exp(-Math.abs(z));
  return Math.min(e / ((1 + e) * (1 + e)), 0.25);
}

function softmax(z) { // over the last axis; the row maximum is subtracted first, so e^z cannot overflow
  const n = cols(z), out = zeros(z.shape.slice());
  for (let r = 0; r < z.data.length / n; r++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, z.data[r * n + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (out.data[r * n + j] = Math.exp(z.data[r * n + j] - max));
    for (let j = 0; j < n; j++) out.data[r * n + j] /= sum;
  }
  return out;
}

function params(p) {
  return { a: p.a ?? 1, b: p.b ?? 0.01, threshold: p.threshold ?? 0 };
}

function activation(name, z, kw = {}) {
  const { a, b, threshold } = params(kw);
  switch (name) {
    case "identity": return map(z, (v) => v);
    case "linear": return map(z, (v) => a * v);
    case "sigmoid": return map(z, sigmoid);
    case "tanh": return map(z, Math.tanh);
    case "binary_step": return map(z, (v) => (v > threshold ? 1 : 0));
    case "relu": return map(z, (v) => (v > 0 ? a * v : 0));
    case "leaky_relu": return map(z, (v) => (v > 0 ? a * v : b * v));
    case "softmax": return softmax(z);
  }
  throw new Error(`unknown activation ${name}`);
}

function activationGrad(name, z, kw = {}) { // at a kink, the left value
  const { a, b } = params(kw);
  switch (name) {
    case "identity": return map(z, () => 1);
    case "linear": return map(z, () => a);
    case "sigmoid": return map(z, sigmoidGrad);
    case "tanh": return map(z, (v) => 1 - Math.tanh(v) ** 2);
    case "binary_step": return map(z, () => 0);
    case "relu": return map(z, (v) => (v > 0 ? a : 0));
    case "leaky_relu": return map(z, (v) => (v > 0 ? a : b));
  }
  throw new Error(`activation_grad: ${name} has no element-wise derivative`);
}

function softmaxBackward(s, g) { // dz_r = J_r^T g_r = s_r * (g_r - <g_r, s_r>)
  const n = cols(s), dots = rowSums(zip(g, s, (u, v) => u * v));
  return zip(s, g, (sv, gv, i) => sv * (gv - dots[Math.floor(i / n)]));
}

// dL/dz from dL/da, knowing a = f(z) too (training keeps a: s (1 - s) and 1 - a^2 as the tutorials write them)
function backwardFromOutput(name, z, a, g) {
  if (name === "sigmoid") return zip(g, a, (gv, av) => gv * (av * (1 - av)));
  if (name === "tanh") return zip(g, a, (gv, av) => gv * (1 - av * av));
  if (name === "softmax") return softmaxBackward(a, g);
  return zip(g, activationGrad(name, z), (gv, d) => gv * d);
}

function softmaxJacobian(z) { // (m, k) -> (m, k, k), J[r, i, j] = s_i (delta_ij - s_j)
  const s = softmax(z), [m, k] = z.shape, J = zeros([m, k, k]);
  for (let r = 0; r < m; r++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) J.data[(r * k + i) * k + j] = s.data[r * k + i] * ((i === j ? 1 : 0) - s.data[r * k + j]);
  return J;
}

// ---- losses (m samples, k outputs; every sum over all m k entries) ----------------------------------

const clip = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

function loss(name, p, y) {
  const m = rows(p), mk = p.data.length;
  switch (name) {
    case "sse": return total(zip(p, y, (pv, yv) => (pv - yv) ** 2));
    case "half_sse": return 0.5 * total(zip(p, y, (pv, yv) => (pv - yv) ** 2));
    case "mse": return total(zip(p, y, (pv, yv) => (pv - yv) ** 2)) / mk;
    case "binary_cross_entropy":
      return -total(zip(p, y, (pv, yv) => {
        const c = clip(pv, EPS, 1 - EPS);
        return yv * Math.log(c) + (1 - yv) * Math.log1p(-c);
      })) / m;
    case "categorical_cross_entropy": return -total(zip(p, y, (pv, yv) => yv * Math.log(clip(pv, EPS, 1 - EPS)))) / m;
  }
  throw new Error(`unknown loss ${name}`);
}

function lossGrad(name, p, y) { // dL/dp; at a clipped p, the derivative there
  const m = rows(p), mk = p.data.length;
  switch (name) {
    case "sse": return zip(p, y, (pv, yv) => 2 * (pv - yv));
    case "half_sse": return zip(p, y, (pv, yv) => pv - yv);
    case "mse": return zip(p, y, (pv, yv) => (2 * (pv - yv)) / mk);
    case "binary_cross_entropy":
      return zip(p, y, (pv, yv) => {
        const c = clip(pv, EPS, 1 - EPS);
        return (c - yv) / (c * (1 - c)) / m;
      });
    case "categorical_cross_entropy": return zip(p, y, (pv, yv) => -yv / clip(pv, EPS, 1 - EPS) / m);
  }
  throw new Error(`unknown loss ${name}`);
}

// ---- the dense layer and the network ----------------------------------------------------------------

function denseForward(x, W, b, act) {
  return activation(act, addRow(matmul(x, W), b));
}

function denseBackward(x, W, b, act, g) { // no 1/m here: that belongs to the loss
  const z = addRow(matmul(x, W), b);
  const dz = act === "softmax" ? softmaxBackward(softmax(z), g) : zip(g, activationGrad(act, z), (gv, d) => gv * d);
  return [matmul(dz, transpose(W)), matmul(transpose(x), dz), b === null ? null : columnSums(dz)];
}

function predict(X, Ws, bs, acts) {
  let a = X;
  Ws.forEach((W, i) => { a = denseForward(a, W, bs[i], acts[i]); });
  return a;
}

// dL/dz of the output layer: the fused forms of cross-entropy after sigmoid / softmax, else the chain rule
function outputDelta(lossName, act, z, a, Y) {
  const m = rows(a);
  if (lossName === "binary_cross_entropy" && act === "sigmoid") return zip(a, Y, (av, yv) => (av - yv) / m);
  if (lossName === "categorical_cross_entropy" && act === "softmax") {
    const ySums = rowSums(Y), n = cols(a);
    return zip(a, Y, (av, yv, i) => (av * ySums[Math.floor(i / n)] - yv) / m);
  }
  return backwardFromOutput(act, z, a, lossGrad(lossName, a, Y));
}

function train(X, Y, weights, biases, acts, lossName, rate, iterations) {
  const Ws = weights.map((W) => array(W.shape, W.data));
  const bs = biases.map((b) => (b === null ? null : array(b.shape, b.data)));
  const losses = zeros([iterations]);
  for (let it = 0; it < iterations; it++) {
    const inputs = [], zs = [];
    let a = X;
    Ws.forEach((W, i) => {
      inputs.push(a);
      zs.push(addRow(matmul(a, W), bs[i]));
      a = activation(acts[i], zs[i]);
    });
    losses.data[it] = loss(lossName, a, Y); // the loss of the weights before this update
    let dz = outputDelta(lossName, acts[acts.length - 1], zs[zs.length - 1], a, Y);
    for (let i = Ws.length - 1; i >= 0; i--) {
      const dW = matmul(transpose(inputs[i]), dz);
      const dx = i > 0 ? matmul(dz, transpose(Ws[i])) : null; // with the weights before the update
      Ws[i] = zip(Ws[i], dW, (w, d) => w - rate * d);
      if (bs[i] !== null) bs[i] = zip(bs[i], columnSums(dz), (v, d) => v - rate * d);
      if (i > 0) dz = backwardFromOutput(acts[i - 1], zs[i - 1], inputs[i], dx);
    }
  }
  return { weights: Ws, biases: bs, losses };
}

// ---- wire protocol v1 -----------------------------------------------------------------------------

const FUNCTIONS = {
  activation: (name, z, kw) => activation(name, z, kw),
  activation_grad: (name, z, kw) => activationGrad(name, z, kw),
  sigmoid_grad_from_output: (s) => map(s, (v) => v * (1 - v)),
  softmax_jacobian: (z) => softmaxJacobian(z),
  loss: (name, p, y) => loss(name, p, y),
  loss_grad: (name, p, y) => lossGrad(name, p, y),
  dense_forward: (x, W, b, act) => denseForward(x, W, b, act),
  dense_backward: (x, W, b, act, g) => denseBackward(x, W, b, act, g),
  predict: (X, Ws, bs, acts) => predict(X, Ws, bs, acts),
  train: (...args) => train(...args),
};
const TAKES_KWARGS = new Set(["activation", "activation_grad"]);

const NONFINITE = { nan: NaN, inf: Infinity, "-inf": -Infinity };

function decode(v) { // wire value -> JS: {shape, data} becomes an array object
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    if ("shape" in v && "data" in v) // a float64 array; another dtype (its "dtype" key) becomes float64 too
      return array(v.shape, v.data.map((x) => (typeof x === "string" ? NONFINITE[x] : x)));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

function number(x) { // shortest round-trip form; "2.0", not "2", so that a float stays a float
  if (Number.isNaN(x)) return '"nan"';
  if (!Number.isFinite(x)) return x > 0 ? '"inf"' : '"-inf"';
  if (Object.is(x, -0)) return "-0.0";
  const s = JSON.stringify(x);
  return /[.e]/.test(s) ? s : s + ".0";
}

function encode(v) {
  if (typeof v === "number") return number(v);
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return `[${v.map(encode).join(",")}]`;
  if (v.data instanceof Float64Array) return `{"shape":${JSON.stringify(v.shape)},"data":[${Array.from(v.data, number).join(",")}]}`;
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${encode(x)}`).join(",")}}`;
  return JSON.stringify(v);
}

// The protocol's own fields (seq, version) are plain JSON; a result is encoded with its floats as floats.
function answer(msg) {
  if (msg.cmd === "start")
    return JSON.stringify({ ready: true, version: 1, implementation: { name: NAME, version: VERSION, language: "javascript", functions: Object.keys(FUNCTIONS) } });
  const fn = FUNCTIONS[msg.fn];
  if (!fn) return JSON.stringify({ seq: msg.seq, not_implemented: true });
  let result;
  try {
    const args = decode(msg.args || []);
    if (TAKES_KWARGS.has(msg.fn)) args.push(msg.kwargs || {});
    result = encode(fn(...args));
  } catch (err) {
    return JSON.stringify({ seq: msg.seq, errored: true, message: String(err && err.message) });
  }
  return `{"seq":${JSON.stringify(msg.seq)},"result":${result}}`;
}

if (require.main === module) {
  const lines = require("readline").createInterface({ input: process.stdin, terminal: false });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    if (msg.cmd === "stop") process.exit(0);
    process.stdout.write(answer(msg) + "\n");
  });
  lines.on("close", () => process.exit(0));
}

module.exports = { answer, decode, encode, FUNCTIONS };
