/* A small neural network in C (C99, gcc, libm only), speaking wire protocol v1 of reference_nn
 * (docs/implement_any_language.md): one JSON object per line on stdin, one answer per line on stdout.
 *
 *     gcc -O2 -std=c99 -o nn nn.c -lm
 *     pytest tests/spec --impl "cmd:./nn"
 *
 * JSON: a small reader of its own (json_parse below, about 120 lines) rather than libcjson or libjansson.
 * The protocol needs only what a line of JSON can hold, a learner's machine then needs nothing beyond
 * gcc, and numbers go through strtod, which is correctly rounded: every float64 arrives exactly.  On the
 * way out a number is printed with the shortest of %.15g, %.16g, %.17g that strtod reads back to the same
 * double (%.17g always does), so every float64 leaves exactly too.
 *
 * Conventions (those of reference_nn/adapter.py): samples are rows, a layer's weights are (n_in, n_out)
 * and compute f(x W + b); an array is {"shape": [...], "data": [flat, row-major]}.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "nn.c"
#define VERSION "1.0.0"
#define EPS 1e-15      /* cross-entropies clip p to [EPS, 1 - EPS] before the logarithm */
#define EXP_SAFE -709. /* e^709 is still finite: 1 + e^-z cannot overflow for z >= -709 */

/* ---- errors: a call that cannot be answered jumps back to the loop as {"errored": true} ----------- */
#include <setjmp.h>
static jmp_buf call_failed;
static char error_message[256];
static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_message, sizeof error_message, fmt, ap);
    va_end(ap);
    longjmp(call_failed, 1);
}
static void *xmalloc(size_t n) {
    void *p = calloc(n ? n : 1, 1);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(2); }
    return p;
}

/* ---- JSON values --------------------------------------------------------------------------------- */
typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } Kind;
typedef struct Json {
    Kind kind;
    double num;      /* J_NUM, J_BOOL */
    char *str;       /* J_STR */
    int n;           /* J_ARR, J_OBJ: number of items */
    struct Json **items;
    char **keys;     /* J_OBJ */
} Json;

static const char *cur; /* the parser's position in the line */

static void skip_ws(void) { while (*cur == ' ' || *cur == '\t' || *cur == '\r' || *cur == '\n') cur++; }
static Json *new_json(Kind kind) { Json *j = xmalloc(sizeof *j); j->kind = kind; return j; }
static Json *parse_value(void);

static char *parse_string(void) { /* at the opening quote; \uXXXX becomes UTF-8 (no surrogate pairs needed here) */
    size_t cap = 16, len = 0;
    char *s = xmalloc(cap);
    cur++;
    while (*cur != '"') {
        unsigned c = (unsigned char)*cur++;
        if (!c) fail("unterminated string");
        if (c == '\\') {
            char e = *cur++;
            switch (e) {
            case 'n': c = '\n'; break; case 't': c = '\t'; break; case 'r': c = '\r'; break;
            case 'b': c = '\b'; break; case 'f': c = '\f'; break;
            case 'u': c = (unsigned)strtoul((char[]){cur[0], cur[1], cur[2], cur[3], 0}, NULL, 16); cur += 4; break;
            default: c = (unsigned char)e;
            }
        }
        if (len + 4 >= cap) s = realloc(s, cap *= 2);
        if (c < 0x80) s[len++] = (char)c;
        else if (c < 0x800) { s[len++] = (char)(0xC0 | c >> 6); s[len++] = (char)(0x80 | (c & 63)); }
        else { s[len++] = (char)(0xE0 | c >> 12); s[len++] = (char)(0x80 | (c >> 6 & 63)); s[len++] = (char)(0x80 | (c & 63)); }
    }
    cur++;
    s[len] = 0;
    return s;
}

static Json *parse_items(char close, int with_keys) {
    Json *j = new_json(with_keys ? J_OBJ : J_ARR);
    int cap = 4;
    j->items = xmalloc(cap * sizeof *j->items);
    if (with_keys) j->keys = xmalloc(cap * sizeof *j->keys);
    cur++;
    skip_ws();
    if (*cur == close) { cur++; return j; }
    for (;;) {
        if (j->n == cap) {
            cap *= 2;
            j->items = realloc(j->items, cap * sizeof *j->items);
            if (with_keys) j->keys = realloc(j->keys, cap * sizeof *j->keys);
        }
        if (with_keys) {
            skip_ws();
            if (*cur != '"') fail("expected a key");
            j->keys[j->n] = parse_string();
            skip_ws();
            if (*cur++ != ':') fail("expected ':'");
        }
        j->items[j->n++] = parse_value();
        skip_ws();
        if (*cur == ',') { cur++; continue; }
        if (*cur++ == close) return j;
        fail("expected ',' or '%c'", close);
    }
}

static Json *parse_value(void) {
    skip_ws();
    if (*cur == '{') return parse_items('}', 1);
    if (*cur == '[') return parse_items(']', 0);
    if (*cur == '"') { Json *j = new_json(J_STR); j->str = parse_string(); return j; }
    if (!strncmp(cur, "null", 4)) { cur += 4; return new_json(J_NULL); }
    if (!strncmp(cur, "true", 4)) { cur += 4; Json *j = new_json(J_BOOL); j->num = 1; return j; }
    if (!strncmp(cur, "false", 5)) { cur += 5; return new_json(J_BOOL); }
    char *end;
    double x = strtod(cur, &end); /* correctly rounded: the float64 that was written */
    if (end == cur) fail("not JSON at '%.20s'", cur);
    cur = end;
    Json *j = new_json(J_NUM);
    j->num = x;
    return j;
}

static void json_free(Json *j) {
    if (!j) return;
    for (int i = 0; i < j->n; i++) { json_free(j->items[i]); if (j->keys) free(j->keys[i]); }
    free(j->items); free(j->keys); free(j->str); free(j);
}

static Json *get(const Json *obj, const char *key) {
    if (obj && obj->kind == J_OBJ)
        for (int i = 0; i < obj->n; i++) if (!strcmp(obj->keys[i], key)) return obj->items[i];
    return NULL;
}

/* ---- arrays of float64 ----------------------------------------------------------------------------- */
typedef struct { int ndim; int shape[8]; int n; double *d; } T; /* n = product of the shape */

static T *tensor(int ndim, const int *shape) {
    T *t = xmalloc(sizeof *t);
    t->ndim = ndim; t->n = 1;
    for (int i = 0; i < ndim; i++) { t->shape[i] = shape[i]; t->n *= shape[i]; }
    t->d = xmalloc(t->n * sizeof(double));
    return t;
}
static T *matrix(int m, int n) { return tensor(2, (int[]){m, n}); }
static T *like(const T *a) { return tensor(a->ndim, a->shape); }
static T *copy(const T *a) { T *t = like(a); memcpy(t->d, a->d, a->n * sizeof(double)); return t; }
static void tfree(T *t) { if (t) { free(t->d); free(t); } }
static int rows(const T *a) { return a->ndim ? a->shape[0] : 1; }
static int cols(const T *a) { return a->ndim ? a->shape[a->ndim - 1] : 1; }

static T *to_tensor(const Json *j) { /* {"shape", "data"} (non-finite entries as "nan", "inf", "-inf"); null is NULL */
    if (!j || j->kind == J_NULL) return NULL;
    Json *shape = get(j, "shape"), *data = get(j, "data");
    if (!shape || !data || shape->kind != J_ARR || data->kind != J_ARR || shape->n > 8) fail("expected an array {shape, data}");
    int dims[8];
    for (int i = 0; i < shape->n; i++) dims[i] = (int)shape->items[i]->num;
    T *t = tensor(shape->n, dims);
    if (data->n != t->n) fail("data has %d entries, the shape %d", data->n, t->n);
    for (int i = 0; i < t->n; i++) {
        Json *x = data->items[i];
        t->d[i] = x->kind == J_NUM ? x->num : !strcmp(x->str, "nan") ? NAN : !strcmp(x->str, "inf") ? INFINITY : -INFINITY;
    }
    return t;
}

static T *matmul(const T *A, const T *B) { /* (m, n) @ (n, p) */
    int m = A->shape[0], n = A->shape[1], p = B->shape[1];
    if (B->shape[0] != n) fail("matmul: (%d, %d) @ (%d, %d)", m, n, B->shape[0], p);
    T *C = matrix(m, p);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += A->d[i * n + k] * B->d[k * p + j];
            C->d[i * p + j] = s;
        }
    return C;
}
static T *transpose(const T *A) {
    int m = A->shape[0], n = A->shape[1];
    T *t = matrix(n, m);
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) t->d[j * m + i] = A->d[i * n + j];
    return t;
}
static T *affine(const T *x, const T *W, const T *b) { /* x W + b; b may be NULL (no bias) */
    T *z = matmul(x, W);
    if (b) for (int i = 0; i < z->n; i++) z->d[i] += b->d[i % cols(z)];
    return z;
}
static T *column_sums(const T *A) {
    int m = A->shape[0], n = A->shape[1];
    T *s = tensor(1, (int[]){n});
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) s->d[j] += A->d[i * n + j];
    return s;
}

/* ---- activations ------------------------------------------------------------------------------------ */
typedef struct { double a, b, threshold; } Params; /* defaults: a = 1, b = 0.01, threshold = 0 */
static const Params DEFAULTS = {1.0, 0.01, 0.0};

static double sigmoid(double z) { return z >= EXP_SAFE ? 1.0 / (1.0 + exp(-z)) : exp(z); }
static double sigmoid_grad(double z) { /* e^-|z| / (1 + e^-|z|)^2: sigma (1 - sigma), accurate where sigma rounds to 1 */
    double e = exp(-fabs(z)), g = e / ((1.0 + e) * (1.0 + e));
    return g < 0.25 ? g : 0.25;
}

static T *softmax(const T *z) { /* over the last axis, the row maximum subtracted first */
    T *s = like(z);
    int k = cols(z);
    for (int r = 0; r < z->n / k; r++) {
        const double *row = z->d + r * k;
        double max = -INFINITY, sum = 0;
        for (int j = 0; j < k; j++) if (row[j] > max) max = row[j];
        for (int j = 0; j < k; j++) sum += (s->d[r * k + j] = exp(row[j] - max));
        for (int j = 0; j < k; j++) s->d[r * k + j] /= sum;
    }
    return s;
}

static T *activation(const char *name, const T *z, Params p) {
    if (!strcmp(name, "softmax")) return softmax(z);
    T *a = like(z);
    for (int i = 0; i < z->n; i++) {
        double v = z->d[i];
        if (!strcmp(name, "identity")) a->d[i] = v;
        else if (!strcmp(name, "linear")) a->d[i] = p.a * v;
        else if (!strcmp(name, "sigmoid")) a->d[i] = sigmoid(v);
        else if (!strcmp(name, "tanh")) a->d[i] = tanh(v);
        else if (!strcmp(name, "binary_step")) a->d[i] = v > p.threshold ? 1.0 : 0.0;
        else if (!strcmp(name, "relu")) a->d[i] = v > 0 ? p.a * v : 0.0;
        else if (!strcmp(name, "leaky_relu")) a->d[i] = v > 0 ? p.a * v : p.b * v;
        else { tfree(a); fail("unknown activation %s", name); }
    }
    return a;
}

static T *activation_grad(const char *name, const T *z, Params p) { /* at a kink, the left value */
    T *g = like(z);
    for (int i = 0; i < z->n; i++) {
        double v = z->d[i];
        if (!strcmp(name, "identity")) g->d[i] = 1.0;
        else if (!strcmp(name, "linear")) g->d[i] = p.a;
        else if (!strcmp(name, "sigmoid")) g->d[i] = sigmoid_grad(v);
        else if (!strcmp(name, "tanh")) { double t = tanh(v); g->d[i] = 1.0 - t * t; }
        else if (!strcmp(name, "binary_step")) g->d[i] = 0.0;
        else if (!strcmp(name, "relu")) g->d[i] = v > 0 ? p.a : 0.0;
        else if (!strcmp(name, "leaky_relu")) g->d[i] = v > 0 ? p.a : p.b;
        else { tfree(g); fail("activation_grad: %s has no element-wise derivative", name); }
    }
    return g;
}

static T *softmax_backward(const T *s, const T *g) { /* dz_r = J_r^T g_r = s_r * (g_r - <g_r, s_r>) */
    T *dz = like(s);
    int k = cols(s);
    for (int r = 0; r < s->n / k; r++) {
        double dot = 0;
        for (int j = 0; j < k; j++) dot += g->d[r * k + j] * s->d[r * k + j];
        for (int j = 0; j < k; j++) dz->d[r * k + j] = s->d[r * k + j] * (g->d[r * k + j] - dot);
    }
    return dz;
}

/* dL/dz from dL/da when a = f(z) is known too (training keeps it: s (1 - s) and 1 - a^2, as the tutorials write them) */
static T *backward_from_output(const char *name, const T *z, const T *a, const T *g) {
    if (!strcmp(name, "softmax")) return softmax_backward(a, g);
    T *dz;
    if (!strcmp(name, "sigmoid") || !strcmp(name, "tanh")) {
        dz = like(g);
        for (int i = 0; i < g->n; i++)
            dz->d[i] = g->d[i] * (name[0] == 's' ? a->d[i] * (1.0 - a->d[i]) : 1.0 - a->d[i] * a->d[i]);
        return dz;
    }
    dz = activation_grad(name, z, DEFAULTS);
    for (int i = 0; i < g->n; i++) dz->d[i] *= g->d[i];
    return dz;
}

static T *softmax_jacobian(const T *z) { /* (m, k) -> (m, k, k), J[r, i, j] = s_i (delta_ij - s_j) */
    T *s = softmax(z);
    int m = rows(z), k = cols(z);
    T *J = tensor(3, (int[]){m, k, k});
    for (int r = 0; r < m; r++)
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) J->d[(r * k + i) * k + j] = s->d[r * k + i] * ((i == j) - s->d[r * k + j]);
    tfree(s);
    return J;
}

/* ---- losses (m samples, k outputs; every sum over all m k entries) -------------------------------- */
static double clip(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

static double loss(const char *name, const T *p, const T *y) {
    double s = 0;
    int m = rows(p), mk = p->n;
    for (int i = 0; i < mk; i++) {
        double pv = p->d[i], yv = y->d[i], c;
        if (!strcmp(name, "sse") || !strcmp(name, "half_sse") || !strcmp(name, "mse")) s += (pv - yv) * (pv - yv);
        else if (!strcmp(name, "binary_cross_entropy")) { c = clip(pv, EPS, 1 - EPS); s += yv * log(c) + (1 - yv) * log1p(-c); }
        else if (!strcmp(name, "categorical_cross_entropy")) s += yv * log(clip(pv, EPS, 1 - EPS));
        else fail("unknown loss %s", name);
    }
    if (!strcmp(name, "half_sse")) return 0.5 * s;
    if (!strcmp(name, "mse")) return s / mk;
    if (strstr(name, "entropy")) return -s / m;
    return s;
}

static T *loss_grad(const char *name, const T *p, const T *y) { /* dL/dp; at a clipped p, the derivative there */
    T *g = like(p);
    int m = rows(p), mk = p->n;
    for (int i = 0; i < mk; i++) {
        double pv = p->d[i], yv = y->d[i], c;
        if (!strcmp(name, "sse")) g->d[i] = 2 * (pv - yv);
        else if (!strcmp(name, "half_sse")) g->d[i] = pv - yv;
        else if (!strcmp(name, "mse")) g->d[i] = 2 * (pv - yv) / mk;
        else if (!strcmp(name, "binary_cross_entropy")) { c = clip(pv, EPS, 1 - EPS); g->d[i] = (c - yv) / (c * (1 - c)) / m; }
        else if (!strcmp(name, "categorical_cross_entropy")) g->d[i] = -yv / clip(pv, EPS, 1 - EPS) / m;
        else { tfree(g); fail("unknown loss %s", name); }
    }
    return g;
}

/* ---- the dense layer and the network ---------------------------------------------------------------- */
static T *dense_forward(const T *x, const T *W, const T *b, const char *act) {
    T *z = affine(x, W, b), *a = activation(act, z, DEFAULTS);
    tfree(z);
    return a;
}

static void dense_backward(const T *x, const T *W, const T *b, const char *act, const T *g, T **dx, T **dW, T **db) {
    T *z = affine(x, W, b), *dz; /* no 1/m here: that belongs to the loss */
    if (!strcmp(act, "softmax")) { T *s = softmax(z); dz = softmax_backward(s, g); tfree(s); }
    else { dz = activation_grad(act, z, DEFAULTS); for (int i = 0; i < dz->n; i++) dz->d[i] *= g->d[i]; }
    T *WT = transpose(W), *xT = transpose(x);
    *dx = matmul(dz, WT); *dW = matmul(xT, dz); *db = b ? column_sums(dz) : NULL;
    tfree(WT); tfree(xT); tfree(z); tfree(dz);
}

static T *predict(const T *X, int L, T **Ws, T **bs, char **acts) {
    T *a = copy(X);
    for (int i = 0; i < L; i++) { T *next = dense_forward(a, Ws[i], bs[i], acts[i]); tfree(a); a = next; }
    return a;
}

/* dL/dz of the output layer: the fused forms of cross-entropy after sigmoid / softmax, else the chain rule */
static T *output_delta(const char *loss_name, const char *act, const T *z, const T *a, const T *Y) {
    int m = rows(a), k = cols(a);
    if (!strcmp(loss_name, "binary_cross_entropy") && !strcmp(act, "sigmoid")) {
        T *dz = like(a);
        for (int i = 0; i < a->n; i++) dz->d[i] = (a->d[i] - Y->d[i]) / m;
        return dz;
    }
    if (!strcmp(loss_name, "categorical_cross_entropy") && !strcmp(act, "softmax")) {
        T *dz = like(a);
        for (int r = 0; r < m; r++) {
            double ysum = 0;
            for (int j = 0; j < k; j++) ysum += Y->d[r * k + j];
            for (int j = 0; j < k; j++) dz->d[r * k + j] = (a->d[r * k + j] * ysum - Y->d[r * k + j]) / m;
        }
        return dz;
    }
    T *g = loss_grad(loss_name, a, Y), *dz = backward_from_output(act, z, a, g);
    tfree(g);
    return dz;
}

/* Full-batch gradient descent on Ws and bs in place; losses[it] is the loss before update it. */
static void train(const T *X, const T *Y, int L, T **Ws, T **bs, char **acts, const char *loss_name, double rate,
                  int iterations, double *losses) {
    T **inputs = xmalloc(L * sizeof *inputs), **zs = xmalloc(L * sizeof *zs);
    for (int it = 0; it < iterations; it++) {
        const T *a = X;
        for (int i = 0; i < L; i++) { inputs[i] = (T *)a; zs[i] = affine(a, Ws[i], bs[i]); a = activation(acts[i], zs[i], DEFAULTS); }
        losses[it] = loss(loss_name, a, Y);
        T *dz = output_delta(loss_name, acts[L - 1], zs[L - 1], a, Y);
        for (int i = L - 1; i >= 0; i--) {
            T *xT = transpose(inputs[i]), *dW = matmul(xT, dz), *dx = NULL;
            if (i > 0) { T *WT = transpose(Ws[i]); dx = matmul(dz, WT); tfree(WT); } /* with the weights before the update */
            for (int j = 0; j < dW->n; j++) Ws[i]->d[j] -= rate * dW->d[j];
            if (bs[i]) { T *db = column_sums(dz); for (int j = 0; j < db->n; j++) bs[i]->d[j] -= rate * db->d[j]; tfree(db); }
            tfree(xT); tfree(dW); tfree(dz);
            dz = NULL;
            if (i > 0) { dz = backward_from_output(acts[i - 1], zs[i - 1], inputs[i], dx); tfree(dx); }
        }
        for (int i = 0; i < L; i++) { if (i > 0) tfree(inputs[i]); tfree(zs[i]); }
        tfree((T *)a);
    }
    free(inputs); free(zs);
}

/* ---- writing answers --------------------------------------------------------------------------------- */
static void put_number(double x) { /* the shortest of %.15g, %.16g, %.17g that reads back exactly; a float keeps its '.' */
    char buf[40];
    if (isnan(x)) { fputs("\"nan\"", stdout); return; }
    if (isinf(x)) { fputs(x > 0 ? "\"inf\"" : "\"-inf\"", stdout); return; }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (strtod(buf, NULL) == x) break;
    }
    if (!strpbrk(buf, ".en")) strcat(buf, ".0");
    fputs(buf, stdout);
}
static void put_tensor(const T *t) {
    if (!t) { fputs("null", stdout); return; }
    fputs("{\"shape\":[", stdout);
    for (int i = 0; i < t->ndim; i++) printf(i ? ",%d" : "%d", t->shape[i]);
    fputs("],\"data\":[", stdout);
    for (int i = 0; i < t->n; i++) { if (i) putchar(','); put_number(t->d[i]); }
    fputs("]}", stdout);
}
static void put_list(int L, T **ts) {
    putchar('[');
    for (int i = 0; i < L; i++) { if (i) putchar(','); put_tensor(ts[i]); }
    putchar(']');
}
static void put_string(const char *s) { /* JSON-escaped */
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

/* ---- the calls ---------------------------------------------------------------------------------------- */
static const char *FUNCTIONS[] = {"activation", "activation_grad", "sigmoid_grad_from_output", "softmax_jacobian", "loss",
                                  "loss_grad", "dense_forward", "dense_backward", "predict", "train"};

static const char *str_arg(const Json *args, int i) {
    if (!args || i >= args->n || args->items[i]->kind != J_STR) fail("argument %d: expected a string", i);
    return args->items[i]->str;
}
static T *arg(const Json *args, int i) {
    if (!args || i >= args->n) fail("missing argument %d", i);
    return to_tensor(args->items[i]);
}
static int tensor_list(const Json *list, T ***out) {
    if (!list || list->kind != J_ARR) fail("expected a list of arrays");
    *out = xmalloc((list->n + 1) * sizeof **out);
    for (int i = 0; i < list->n; i++) (*out)[i] = to_tensor(list->items[i]);
    return list->n;
}
static char **names(const Json *list, int L) {
    if (!list || list->kind != J_ARR || list->n != L) fail("expected %d activation names", L);
    char **out = xmalloc(L * sizeof *out);
    for (int i = 0; i < L; i++) out[i] = list->items[i]->str;
    return out;
}

/* Writes the result of one call (after '"result":'); errors jump to call_failed. Tensors are leaked on an
 * error, which only the error path pays. */
static void run(const char *fn, const Json *args, const Json *kwargs) {
    if (!strcmp(fn, "activation") || !strcmp(fn, "activation_grad")) {
        Params p = DEFAULTS;
        Json *v;
        if ((v = get(kwargs, "a"))) p.a = v->num;
        if ((v = get(kwargs, "b"))) p.b = v->num;
        if ((v = get(kwargs, "threshold"))) p.threshold = v->num;
        T *z = arg(args, 1), *out = fn[10] ? activation_grad(str_arg(args, 0), z, p) : activation(str_arg(args, 0), z, p);
        put_tensor(out); tfree(z); tfree(out);
    } else if (!strcmp(fn, "sigmoid_grad_from_output")) {
        T *s = arg(args, 0), *g = like(s);
        for (int i = 0; i < s->n; i++) g->d[i] = s->d[i] * (1.0 - s->d[i]);
        put_tensor(g); tfree(s); tfree(g);
    } else if (!strcmp(fn, "softmax_jacobian")) {
        T *z = arg(args, 0);
        if (z->ndim != 2) fail("softmax_jacobian takes z of shape (m, k)");
        T *J = softmax_jacobian(z);
        put_tensor(J); tfree(z); tfree(J);
    } else if (!strcmp(fn, "loss") || !strcmp(fn, "loss_grad")) {
        T *p = arg(args, 1), *y = arg(args, 2);
        if (p->n != y->n) fail("y_pred and y_true differ in size");
        if (fn[4]) { T *g = loss_grad(str_arg(args, 0), p, y); put_tensor(g); tfree(g); }
        else put_number(loss(str_arg(args, 0), p, y));
        tfree(p); tfree(y);
    } else if (!strcmp(fn, "dense_forward")) {
        T *x = arg(args, 0), *W = arg(args, 1), *b = arg(args, 2), *a = dense_forward(x, W, b, str_arg(args, 3));
        put_tensor(a); tfree(x); tfree(W); tfree(b); tfree(a);
    } else if (!strcmp(fn, "dense_backward")) {
        T *x = arg(args, 0), *W = arg(args, 1), *b = arg(args, 2), *g = arg(args, 4), *grads[3];
        dense_backward(x, W, b, str_arg(args, 3), g, &grads[0], &grads[1], &grads[2]);
        put_list(3, grads);
        for (int i = 0; i < 3; i++) tfree(grads[i]);
        tfree(x); tfree(W); tfree(b); tfree(g);
    } else if (!strcmp(fn, "predict") || !strcmp(fn, "train")) {
        int training = fn[0] == 't', a0 = training ? 2 : 1;
        T *X = arg(args, 0), *Y = training ? arg(args, 1) : NULL, **Ws, **bs;
        int L = tensor_list(args->items[a0], &Ws);
        if (tensor_list(args->items[a0 + 1], &bs) != L) fail("%d weights but a different number of biases", L);
        char **acts = names(args->items[a0 + 2], L);
        if (!training) {
            T *out = predict(X, L, Ws, bs, acts);
            put_tensor(out); tfree(out);
        } else {
            int iterations = (int)args->items[7]->num;
            T *losses = tensor(1, (int[]){iterations});
            train(X, Y, L, Ws, bs, acts, str_arg(args, 5), args->items[6]->num, iterations, losses->d);
            fputs("{\"weights\":", stdout); put_list(L, Ws);
            fputs(",\"biases\":", stdout); put_list(L, bs);
            fputs(",\"losses\":", stdout); put_tensor(losses);
            putchar('}');
            tfree(losses);
        }
        for (int i = 0; i < L; i++) { tfree(Ws[i]); tfree(bs[i]); }
        free(Ws); free(bs); free(acts); tfree(X); tfree(Y);
    } else {
        fail("unknown function %s", fn);
    }
}

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    static char answer_buf[1 << 16]; /* full buffering: the answer leaves in one piece at fflush */
    setvbuf(stdout, answer_buf, _IOFBF, sizeof answer_buf);
    while (getline(&line, &cap, stdin) > 0) {
        Json *msg;
        cur = line;
        if (setjmp(call_failed)) { fprintf(stderr, "unreadable line: %s\n", error_message); return 1; }
        msg = parse_value();
        Json *cmd = get(msg, "cmd"), *seq = get(msg, "seq"), *fn = get(msg, "fn");
        const char *c = cmd && cmd->kind == J_STR ? cmd->str : "";
        if (!strcmp(c, "stop")) { json_free(msg); break; }
        if (!strcmp(c, "start")) {
            printf("{\"ready\":true,\"version\":1,\"implementation\":{\"name\":\"%s\",\"version\":\"%s\",\"language\":\"c\",\"functions\":[", NAME, VERSION);
            for (int i = 0; i < 10; i++) printf(i ? ",\"%s\"" : "\"%s\"", FUNCTIONS[i]);
            fputs("]}}\n", stdout);
        } else if (!strcmp(c, "call")) {
            volatile long s = seq ? (long)seq->num : 0;
            int known = 0;
            for (int i = 0; i < 10; i++) known |= fn && fn->kind == J_STR && !strcmp(fn->str, FUNCTIONS[i]);
            if (!known) printf("{\"seq\":%ld,\"not_implemented\":true}\n", s);
            else {
                /* the answer is built in a memory stream first, so that an error halfway leaves no half line */
                char *text = NULL;
                size_t len = 0;
                FILE *out = open_memstream(&text, &len), *real = stdout;
                stdout = out;
                if (!setjmp(call_failed)) {
                    run(fn->str, get(msg, "args"), get(msg, "kwargs"));
                    fclose(out);
                    stdout = real;
                    printf("{\"seq\":%ld,\"result\":%s}\n", s, text);
                } else {
                    fclose(out);
                    stdout = real;
                    printf("{\"seq\":%ld,\"errored\":true,\"message\":", s);
                    put_string(error_message);
                    fputs("}\n", stdout);
                }
                free(text);
            }
        }
        fflush(stdout);
        json_free(msg);
    }
    free(line);
    return 0;
}
