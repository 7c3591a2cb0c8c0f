// The specification's vectors (python -m nnspec.vectors --out DIR), one node:test test per vector:
//     VECTORS=DIR node --test examples/starters/javascript/vectors.test.js
// $NN_JS names the implementation to judge (default: nn.js beside this file). Each vector is sent to
// the implementation as the wire call it is ({"cmd": "call", "fn", "args", "kwargs"}) and its answer is
// compared with "expected" as "compare" says (see nnspec/vectors.py): allclose, exact, shape, finite.
// A vector that decides a rule fails its test on a difference; one that only informs a claim runs as a
// "todo" test (its failure is shown but does not fail the run).
"use strict";
const { test } = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.VECTORS;
if (!dir) throw new Error("set VECTORS to the folder python -m nnspec.vectors --out wrote");
const nn = require(path.resolve(process.env.NN_JS || path.join(__dirname, "nn.js")));

const NONFINITE = { nan: NaN, inf: Infinity, "-inf": -Infinity };
const num = (x) => (typeof x === "string" ? NONFINITE[x] : x);
const isArray = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && "shape" in v && "data" in v;

function numbersMatch(a, e, cmp) {
  a = num(a); e = num(e);
  if (typeof a !== "number") return false;
  switch (cmp.kind) {
    case "shape": return true;
    case "finite": return Number.isFinite(a);
    case "exact": return a === e; // 0 and -0 are equal
    case "allclose": return a === e || Math.abs(a - e) <= cmp.atol + cmp.rtol * Math.abs(e); // NaN never close
  }
  throw new Error(`unknown comparison ${cmp.kind}`);
}

// The first difference between an answer and the expected value, as a sentence; "" when they match.
function difference(actual, expected, cmp, where = "result") {
  if (isArray(actual) && actual.shape.length === 0 && !isArray(expected)) actual = actual.data[0]; // 0-d array = number
  if (expected === null) return actual === null ? "" : `${where} is ${JSON.stringify(actual)}, expected null`;
  if (isArray(expected)) {
    if (!isArray(actual)) return `${where} is not an array {shape, data}`;
    if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape))
      return `${where} has shape [${actual.shape}], expected [${expected.shape}]`;
    for (let i = 0; i < expected.data.length; i++)
      if (!numbersMatch(actual.data[i], expected.data[i], cmp))
        return `${where}.data[${i}] = ${actual.data[i]}, expected ${expected.data[i]} (${cmp.kind} ${cmp.rtol ?? ""} ${cmp.atol ?? ""})`;
    return "";
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${where} is not a list of ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], cmp, `${where}[${i}]`);
      if (d) return d;
    }
    return "";
  }
  if (typeof expected === "object") {
    if (actual === null || typeof actual !== "object") return `${where} is not an object`;
    for (const key of Object.keys(expected)) {
      const d = difference(actual[key], expected[key], cmp, `${where}.${key}`);
      if (d) return d;
    }
    return "";
  }
  return numbersMatch(actual, expected, cmp) ? "" : `${where} = ${actual}, expected ${expected} (${cmp.kind})`;
}

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
  for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
    if (!line) continue;
    const v = JSON.parse(line);
    // a vector that decides nothing informs a claim: a difference from the reference is reported, not failed
    const todo = v.decides.rules.length + v.decides.claims.length ? false : "informs a claim; decides nothing";
    test(v.id, { todo }, () => {
      const answer = JSON.parse(nn.answer({ cmd: "call", seq: 1, fn: v.fn, args: v.args, kwargs: v.kwargs }));
      assert.ok(!answer.not_implemented, `${v.fn} is not implemented`);
      assert.ok(!answer.errored, `${v.fn} errored: ${answer.message}`);
      const d = difference(answer.result, v.expected, v.compare);
      assert.strictEqual(d, "", d);
    });
  }
}
