//! A small neural network in Rust (std only), speaking wire protocol v1 of reference_nn
//! (docs/implement_any_language.md): one JSON object per line on stdin, one answer per line on stdout.
//!
//!     cargo build --release
//!     pytest tests/spec --impl "cmd:examples/starters/rust/target/release/nn"
//!
//! JSON: a small reader of its own (std has none); numbers go through `str::parse::<f64>`, which is
//! correctly rounded, and leave through `{:?}`, the shortest text that reads back as the same f64, so
//! every float64 crosses exactly both ways.
//!
//! Conventions (those of reference_nn/adapter.py): samples are rows, a layer's weights are
//! (n_in, n_out) and compute f(x W + b); an array is {"shape": [...], "data": [flat, row-major]}.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

const NAME: &str = "nn.rs";
const VERSION: &str = "1.0.0";
const EPS: f64 = 1e-15; // cross-entropies clip p to [EPS, 1 - EPS] before the logarithm
const EXP_SAFE: f64 = -709.0; // e^709 is still finite: 1 + e^-z cannot overflow for z >= -709
const FUNCTIONS: [&str; 10] = [
    "activation", "activation_grad", "sigmoid_grad_from_output", "softmax_jacobian", "loss",
    "loss_grad", "dense_forward", "dense_backward", "predict", "train",
];

// ---- JSON ------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
#[allow(dead_code)] // a boolean is read whole, though no call of the protocol needs its value
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && b" \t\r\n".contains(&self.s[self.i]) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at {}", c as char, self.i))
        }
    }
    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Obj(m));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.eat(b':')?;
                    m.insert(k, self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => { self.i += 1; return Ok(Json::Obj(m)); }
                        _ => return Err("expected ',' or '}'".into()),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Arr(v));
                }
                loop {
                    v.push(self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => { self.i += 1; return Ok(Json::Arr(v)); }
                        _ => return Err("expected ',' or ']'".into()),
                    }
                }
            }
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') if self.s[self.i..].starts_with(b"true") => { self.i += 4; Ok(Json::Bool(true)) }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => { self.i += 5; Ok(Json::Bool(false)) }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => { self.i += 4; Ok(Json::Null) }
            _ => {
                let start = self.i;
                while self.i < self.s.len() && b"+-0123456789.eE".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).unwrap();
                text.parse::<f64>().map(Json::Num).map_err(|_| format!("not JSON at {}", start))
            }
        }
    }
    fn string(&mut self) -> Result<String, String> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err("expected a string".into());
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let c = *self.s.get(self.i).ok_or("unterminated string")?;
            self.i += 1;
            match c {
                b'"' => return Ok(out),
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("unterminated string")?;
                    self.i += 1;
                    match e {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => {
                            let hex = std::str::from_utf8(&self.s[self.i..self.i + 4]).map_err(|e| e.to_string())?;
                            out.push(char::from_u32(u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?).unwrap_or('?'));
                            self.i += 4;
                        }
                        other => out.push(other as char),
                    }
                }
                _ => {
                    // copy one UTF-8 character whole
                    let start = self.i - 1;
                    let len = match c { 0..=0x7f => 1, 0xc0..=0xdf => 2, 0xe0..=0xef => 3, _ => 4 };
                    self.i = start + len;
                    out.push_str(std::str::from_utf8(&self.s[start..self.i]).map_err(|e| e.to_string())?);
                }
            }
        }
    }
}

fn number(x: f64) -> String {
    if x.is_nan() {
        "\"nan\"".into()
    } else if x.is_infinite() {
        if x > 0.0 { "\"inf\"".into() } else { "\"-inf\"".into() }
    } else {
        format!("{:?}", x) // shortest round-trip, and "2.0" rather than "2"
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---- arrays of float64 --------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct T {
    shape: Vec<usize>,
    d: Vec<f64>,
}

impl T {
    fn zeros(shape: Vec<usize>) -> T {
        let n = shape.iter().product();
        T { shape, d: vec![0.0; n] }
    }
    fn rows(&self) -> usize { if self.shape.is_empty() { 1 } else { self.shape[0] } }
    fn cols(&self) -> usize { *self.shape.last().unwrap_or(&1) }
    fn map(&self, f: impl Fn(f64) -> f64) -> T { T { shape: self.shape.clone(), d: self.d.iter().map(|&v| f(v)).collect() } }
    fn zip(&self, o: &T, f: impl Fn(f64, f64) -> f64) -> T {
        T { shape: self.shape.clone(), d: self.d.iter().zip(&o.d).map(|(&a, &b)| f(a, b)).collect() }
    }
    fn to_json(&self) -> String {
        let dims: Vec<String> = self.shape.iter().map(|d| d.to_string()).collect();
        let data: Vec<String> = self.d.iter().map(|&x| number(x)).collect();
        format!("{{\"shape\":[{}],\"data\":[{}]}}", dims.join(","), data.join(","))
    }
}

fn to_tensor(j: &Json) -> Result<Option<T>, String> {
    match j {
        Json::Null => Ok(None),
        Json::Obj(m) => match (m.get("shape"), m.get("data")) {
            (Some(Json::Arr(shape)), Some(Json::Arr(data))) => {
                let shape: Vec<usize> = shape.iter().map(|x| if let Json::Num(n) = x { *n as usize } else { 0 }).collect();
                let d = data
                    .iter()
                    .map(|x| match x {
                        Json::Num(n) => *n,
                        Json::Str(s) if s == "inf" => f64::INFINITY,
                        Json::Str(s) if s == "-inf" => f64::NEG_INFINITY,
                        _ => f64::NAN,
                    })
                    .collect();
                Ok(Some(T { shape, d }))
            }
            _ => Err("expected an array {shape, data}".into()),
        },
        _ => Err("expected an array {shape, data}".into()),
    }
}

fn matmul(a: &T, b: &T) -> T {
    let (m, n, p) = (a.shape[0], a.shape[1], b.shape[1]);
    let mut c = T::zeros(vec![m, p]);
    for i in 0..m {
        for j in 0..p {
            let mut s = 0.0;
            for k in 0..n {
                s += a.d[i * n + k] * b.d[k * p + j];
            }
            c.d[i * p + j] = s;
        }
    }
    c
}

fn transpose(a: &T) -> T {
    let (m, n) = (a.shape[0], a.shape[1]);
    let mut t = T::zeros(vec![n, m]);
    for i in 0..m {
        for j in 0..n {
            t.d[j * m + i] = a.d[i * n + j];
        }
    }
    t
}

fn affine(x: &T, w: &T, b: &Option<T>) -> T {
    let mut z = matmul(x, w);
    if let Some(b) = b {
        let n = z.cols();
        for (i, v) in z.d.iter_mut().enumerate() {
            *v += b.d[i % n];
        }
    }
    z
}

fn column_sums(a: &T) -> T {
    let (m, n) = (a.shape[0], a.shape[1]);
    let mut s = T::zeros(vec![n]);
    for i in 0..m {
        for j in 0..n {
            s.d[j] += a.d[i * n + j];
        }
    }
    s
}

// ---- activations ---------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Params { a: f64, b: f64, threshold: f64 } // defaults: a = 1, b = 0.01, threshold = 0
const DEFAULTS: Params = Params { a: 1.0, b: 0.01, threshold: 0.0 };

fn sigmoid(z: f64) -> f64 { if z >= EXP_SAFE { 1.0 / (1.0 + (-z).exp()) } else { z.exp() } }

fn sigmoid_grad(z: f64) -> f64 {
    // e^-|z| / (1 + e^-|z|)^2 = sigma (1 - sigma), accurate where sigma rounds to 1
    let e = (-z.abs()).exp();
    (e / ((1.0 + e) * (1.0 + e))).min(0.25)
}

fn softmax(z: &T) -> T {
    // over the last axis, the row maximum subtracted first, so e^z cannot overflow
    let k = z.cols();
    let mut s = z.clone();
    for r in 0..z.d.len() / k {
        let row = &z.d[r * k..(r + 1) * k];
        let max = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for j in 0..k {
            s.d[r * k + j] = (row[j] - max).exp();
            sum += s.d[r * k + j];
        }
        for j in 0..k {
            s.d[r * k + j] /= sum;
        }
    }
    s
}

fn activation(name: &str, z: &T, p: Params) -> Result<T, String> {
    Ok(match name {
        "identity" => z.clone(),
        "linear" => z.map(|v| p.a * v),
        "sigmoid" => z.map(sigmoid),
        "tanh" => z.map(f64::tanh),
        "binary_step" => z.map(|v| if v > p.threshold { 1.0 } else { 0.0 }),
        "relu" => z.map(|v| if v > 0.0 { p.a * v } else { 0.0 }),
        "leaky_relu" => z.map(|v| if v > 0.0 { p.a * v } else { p.b * v }),
        "softmax" => softmax(z),
        _ => return Err(format!("unknown activation {}", name)),
    })
}

fn activation_grad(name: &str, z: &T, p: Params) -> Result<T, String> {
    // at a kink, the left value
    Ok(match name {
        "identity" => z.map(|_| 1.0),
        "linear" => z.map(|_| p.a),
        "sigmoid" => z.map(sigmoid_grad),
        "tanh" => z.map(|v| 1.0 - v.tanh().powi(2)),
        "binary_step" => z.map(|_| 0.0),
        "relu" => z.map(|v| if v > 0.0 { p.a } else { 0.0 }),
        "leaky_relu" => z.map(|v| if v > 0.0 { p.a } else { p.b }),
        _ => return Err(format!("activation_grad: {} has no element-wise derivative", name)),
    })
}

fn softmax_backward(s: &T, g: &T) -> T {
    // dz_r = J_r^T g_r = s_r * (g_r - <g_r, s_r>)
    let k = s.cols();
    let mut dz = s.clone();
    for r in 0..s.d.len() / k {
        let dot: f64 = (0..k).map(|j| g.d[r * k + j] * s.d[r * k + j]).sum();
        for j in 0..k {
            dz.d[r * k + j] = s.d[r * k + j] * (g.d[r * k + j] - dot);
        }
    }
    dz
}

/// dL/dz from dL/da when a = f(z) is known too (training keeps it: s (1 - s) and 1 - a^2, as the tutorials write them)
fn backward_from_output(name: &str, z: &T, a: &T, g: &T) -> Result<T, String> {
    Ok(match name {
        "sigmoid" => g.zip(a, |gv, av| gv * (av * (1.0 - av))),
        "tanh" => g.zip(a, |gv, av| gv * (1.0 - av * av)),
        "softmax" => softmax_backward(a, g),
        _ => g.zip(&activation_grad(name, z, DEFAULTS)?, |gv, d| gv * d),
    })
}

fn softmax_jacobian(z: &T) -> T {
    // (m, k) -> (m, k, k), J[r, i, j] = s_i (delta_ij - s_j)
    let s = softmax(z);
    let (m, k) = (z.rows(), z.cols());
    let mut jac = T::zeros(vec![m, k, k]);
    for r in 0..m {
        for i in 0..k {
            for j in 0..k {
                let delta = if i == j { 1.0 } else { 0.0 };
                jac.d[(r * k + i) * k + j] = s.d[r * k + i] * (delta - s.d[r * k + j]);
            }
        }
    }
    jac
}

// ---- losses (m samples, k outputs; every sum over all m k entries) ------------------------------------

fn clip(v: f64, lo: f64, hi: f64) -> f64 { v.max(lo).min(hi) }

fn loss(name: &str, p: &T, y: &T) -> Result<f64, String> {
    let (m, mk) = (p.rows() as f64, p.d.len() as f64);
    let sq: f64 = p.d.iter().zip(&y.d).map(|(&pv, &yv)| (pv - yv) * (pv - yv)).sum();
    Ok(match name {
        "sse" => sq,
        "half_sse" => 0.5 * sq,
        "mse" => sq / mk,
        "binary_cross_entropy" => {
            -p.d.iter().zip(&y.d).map(|(&pv, &yv)| {
                let c = clip(pv, EPS, 1.0 - EPS);
                yv * c.ln() + (1.0 - yv) * (-c).ln_1p()
            }).sum::<f64>() / m
        }
        "categorical_cross_entropy" => -p.d.iter().zip(&y.d).map(|(&pv, &yv)| yv * clip(pv, EPS, 1.0 - EPS).ln()).sum::<f64>() / m,
        _ => return Err(format!("unknown loss {}", name)),
    })
}

fn loss_grad(name: &str, p: &T, y: &T) -> Result<T, String> {
    // dL/dp; at a clipped p, the derivative there
    let (m, mk) = (p.rows() as f64, p.d.len() as f64);
    Ok(match name {
        "sse" => p.zip(y, |pv, yv| 2.0 * (pv - yv)),
        "half_sse" => p.zip(y, |pv, yv| pv - yv),
        "mse" => p.zip(y, |pv, yv| 2.0 * (pv - yv) / mk),
        "binary_cross_entropy" => p.zip(y, |pv, yv| {
            let c = clip(pv, EPS, 1.0 - EPS);
            (c - yv) / (c * (1.0 - c)) / m
        }),
        "categorical_cross_entropy" => p.zip(y, |pv, yv| -yv / clip(pv, EPS, 1.0 - EPS) / m),
        _ => return Err(format!("unknown loss {}", name)),
    })
}

// ---- the dense layer and the network -----------------------------------------------------------------

fn dense_forward(x: &T, w: &T, b: &Option<T>, act: &str) -> Result<T, String> {
    activation(act, &affine(x, w, b), DEFAULTS)
}

fn dense_backward(x: &T, w: &T, b: &Option<T>, act: &str, g: &T) -> Result<(T, T, Option<T>), String> {
    // no 1/m here: that belongs to the loss
    let z = affine(x, w, b);
    let dz = if act == "softmax" { softmax_backward(&softmax(&z), g) } else { g.zip(&activation_grad(act, &z, DEFAULTS)?, |gv, d| gv * d) };
    Ok((matmul(&dz, &transpose(w)), matmul(&transpose(x), &dz), b.as_ref().map(|_| column_sums(&dz))))
}

fn predict(x: &T, ws: &[T], bs: &[Option<T>], acts: &[String]) -> Result<T, String> {
    let mut a = x.clone();
    for i in 0..ws.len() {
        a = dense_forward(&a, &ws[i], &bs[i], &acts[i])?;
    }
    Ok(a)
}

/// dL/dz of the output layer: the fused forms of cross-entropy after sigmoid / softmax, else the chain rule
fn output_delta(loss_name: &str, act: &str, z: &T, a: &T, y: &T) -> Result<T, String> {
    let m = a.rows() as f64;
    if loss_name == "binary_cross_entropy" && act == "sigmoid" {
        return Ok(a.zip(y, |av, yv| (av - yv) / m));
    }
    if loss_name == "categorical_cross_entropy" && act == "softmax" {
        let k = a.cols();
        let mut dz = a.clone();
        for r in 0..a.rows() {
            let ysum: f64 = y.d[r * k..(r + 1) * k].iter().sum();
            for j in 0..k {
                dz.d[r * k + j] = (a.d[r * k + j] * ysum - y.d[r * k + j]) / m;
            }
        }
        return Ok(dz);
    }
    backward_from_output(act, z, a, &loss_grad(loss_name, a, y)?)
}

/// Full-batch gradient descent; losses[it] is the loss of the weights before update it.
fn train(x: &T, y: &T, mut ws: Vec<T>, mut bs: Vec<Option<T>>, acts: &[String], loss_name: &str, rate: f64, iterations: usize)
    -> Result<(Vec<T>, Vec<Option<T>>, T), String> {
    let mut losses = T::zeros(vec![iterations]);
    for it in 0..iterations {
        let mut inputs = vec![x.clone()];
        let mut zs = Vec::new();
        for i in 0..ws.len() {
            zs.push(affine(&inputs[i], &ws[i], &bs[i]));
            inputs.push(activation(&acts[i], &zs[i], DEFAULTS)?);
        }
        let a = inputs.pop().unwrap(); // the output; inputs[i] is layer i's input
        losses.d[it] = loss(loss_name, &a, y)?;
        let last = ws.len() - 1;
        let mut dz = output_delta(loss_name, &acts[last], &zs[last], &a, y)?;
        for i in (0..ws.len()).rev() {
            let dw = matmul(&transpose(&inputs[i]), &dz);
            let dx = if i > 0 { Some(matmul(&dz, &transpose(&ws[i]))) } else { None }; // the weights before the update
            ws[i] = ws[i].zip(&dw, |w, d| w - rate * d);
            if let Some(b) = &bs[i] {
                bs[i] = Some(b.zip(&column_sums(&dz), |v, d| v - rate * d));
            }
            if let Some(dx) = dx {
                dz = backward_from_output(&acts[i - 1], &zs[i - 1], &inputs[i], &dx)?;
            }
        }
    }
    Ok((ws, bs, losses))
}

// ---- the calls ---------------------------------------------------------------------------------------

fn list_json(ts: &[Option<T>]) -> String {
    let items: Vec<String> = ts.iter().map(|t| t.as_ref().map_or("null".into(), |t| t.to_json())).collect();
    format!("[{}]", items.join(","))
}

fn run(fn_name: &str, args: &[Json], kwargs: &BTreeMap<String, Json>) -> Result<String, String> {
    let s = |i: usize| match args.get(i) { Some(Json::Str(s)) => Ok(s.clone()), _ => Err(format!("argument {}: expected a string", i)) };
    let arr = |i: usize| to_tensor(args.get(i).unwrap_or(&Json::Null));
    let need = |i: usize| arr(i)?.ok_or(format!("argument {}: expected an array", i));
    let list = |i: usize| match args.get(i) {
        Some(Json::Arr(v)) => v.iter().map(to_tensor).collect::<Result<Vec<_>, _>>(),
        _ => Err(format!("argument {}: expected a list", i)),
    };
    let names = |i: usize| match args.get(i) {
        Some(Json::Arr(v)) => Ok(v.iter().map(|x| if let Json::Str(s) = x { s.clone() } else { String::new() }).collect::<Vec<_>>()),
        _ => Err(format!("argument {}: expected a list of names", i)),
    };
    let num = |i: usize| match args.get(i) { Some(Json::Num(n)) => Ok(*n), _ => Err(format!("argument {}: expected a number", i)) };
    Ok(match fn_name {
        "activation" | "activation_grad" => {
            let mut p = DEFAULTS;
            if let Some(Json::Num(v)) = kwargs.get("a") { p.a = *v; }
            if let Some(Json::Num(v)) = kwargs.get("b") { p.b = *v; }
            if let Some(Json::Num(v)) = kwargs.get("threshold") { p.threshold = *v; }
            let z = need(1)?;
            if fn_name == "activation" { activation(&s(0)?, &z, p)? } else { activation_grad(&s(0)?, &z, p)? }.to_json()
        }
        "sigmoid_grad_from_output" => need(0)?.map(|v| v * (1.0 - v)).to_json(),
        "softmax_jacobian" => softmax_jacobian(&need(0)?).to_json(),
        "loss" => number(loss(&s(0)?, &need(1)?, &need(2)?)?),
        "loss_grad" => loss_grad(&s(0)?, &need(1)?, &need(2)?)?.to_json(),
        "dense_forward" => dense_forward(&need(0)?, &need(1)?, &arr(2)?, &s(3)?)?.to_json(),
        "dense_backward" => {
            let (dx, dw, db) = dense_backward(&need(0)?, &need(1)?, &arr(2)?, &s(3)?, &need(4)?)?;
            list_json(&[Some(dx), Some(dw), db])
        }
        "predict" => {
            let ws: Vec<T> = list(1)?.into_iter().map(|w| w.ok_or("a weight is null")).collect::<Result<_, _>>()?;
            predict(&need(0)?, &ws, &list(2)?, &names(3)?)?.to_json()
        }
        "train" => {
            let ws: Vec<T> = list(2)?.into_iter().map(|w| w.ok_or("a weight is null")).collect::<Result<_, _>>()?;
            let (ws, bs, losses) = train(&need(0)?, &need(1)?, ws, list(3)?, &names(4)?, &s(5)?, num(6)?, num(7)? as usize)?;
            let ws: Vec<Option<T>> = ws.into_iter().map(Some).collect();
            format!("{{\"weights\":{},\"biases\":{},\"losses\":{}}}", list_json(&ws), list_json(&bs), losses.to_json())
        }
        other => return Err(format!("unknown function {}", other)),
    })
}

fn answer(line: &str) -> Option<String> {
    let msg = match (Parser { s: line.as_bytes(), i: 0 }).value() {
        Ok(Json::Obj(m)) => m,
        _ => return Some("{\"error\":\"unreadable line\"}".into()),
    };
    let cmd = match msg.get("cmd") { Some(Json::Str(c)) => c.as_str(), _ => "" };
    match cmd {
        "start" => {
            let fns: Vec<String> = FUNCTIONS.iter().map(|f| quote(f)).collect();
            Some(format!(
                "{{\"ready\":true,\"version\":1,\"implementation\":{{\"name\":{},\"version\":{},\"language\":\"rust\",\"functions\":[{}]}}}}",
                quote(NAME), quote(VERSION), fns.join(",")
            ))
        }
        "call" => {
            let seq = match msg.get("seq") { Some(Json::Num(n)) => *n as i64, _ => 0 };
            let fn_name = match msg.get("fn") { Some(Json::Str(f)) => f.as_str(), _ => "" };
            if !FUNCTIONS.contains(&fn_name) {
                return Some(format!("{{\"seq\":{},\"not_implemented\":true}}", seq));
            }
            let empty = BTreeMap::new();
            let args = match msg.get("args") { Some(Json::Arr(a)) => a.as_slice(), _ => &[] };
            let kwargs = match msg.get("kwargs") { Some(Json::Obj(k)) => k, _ => &empty };
            Some(match run(fn_name, args, kwargs) {
                Ok(result) => format!("{{\"seq\":{},\"result\":{}}}", seq, result),
                Err(message) => format!("{{\"seq\":{},\"errored\":true,\"message\":{}}}", seq, quote(&message)),
            })
        }
        _ => None,
    }
}

fn main() {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = match line { Ok(l) => l, Err(_) => break };
        if line.trim().is_empty() {
            continue;
        }
        if line.contains("\"stop\"") && matches!((Parser { s: line.as_bytes(), i: 0 }).value(), Ok(Json::Obj(ref m)) if matches!(m.get("cmd"), Some(Json::Str(c)) if c == "stop")) {
            break;
        }
        if let Some(reply) = answer(&line) {
            writeln!(out, "{}", reply).unwrap();
            out.flush().unwrap();
        }
    }
}
