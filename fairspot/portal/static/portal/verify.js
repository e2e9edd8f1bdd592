/* Fairspot public draw verifier — re-computes a target draw (protocols fairspot-draw/1 and /2) in the
 * browser.
 *
 * Plain ES2020, no build step, no library. It fetches the draw's own bundle files from this site
 * (manifest.json, population.csv, sources.json, result.json, SHA256SUMS) and checks, in order:
 *   1. SHA256SUMS lists exactly these files and their SHA-256 (WebCrypto);
 *   2. every JSON document is canonical (RFC 8785 as restricted by the protocol: re-serialising with
 *      sorted keys gives the same bytes), protocol and kind are known, the manifest's SHA-256 equals the
 *      digest published at commit time;
 *   3. population.csv is a canonical population file whose SHA-256, columns, row count, strata
 *      (rows, excluded, N, allocation) and frame size are those of the manifest;
 *   4. sources.json names the manifest digest and every declared source in order, each value in its
 *      declared format; the seed is SHA-256 over the digest and the sources (§5.5);
 *   5. result.json is byte-identical to the draw recomputed here: randomized rounding of each stratum
 *      size with exact BigInt rationals (§5.6), selection by smallest keys and alternates (§5.7), or
 *      πps: under fairspot-draw/1 by Pareto ranking with exact cross-multiplication (§5.8.1); under
 *      fairspot-draw/2 by ordered systematic πps — exact inclusion probabilities π = clamp(c·w, φ, 1)
 *      solved with BigInt rationals, the floor φ = min_inclusion·n/E[n], units in key order and one
 *      start u = U/2^256 compared in integers (§5.8.2); ratios by a column's values (ratio_by, §5.1).
 * No floating-point number decides anything. See docs/draw-protocol.md and docs/portal.md.
 *
 * When the page says some files are not public (data-files="sources"), only step 4 is possible: the
 * seed is checked against the published manifest digest and seed.
 */
"use strict";
(() => {
  const PROTOCOL = "fairspot-draw/1"; // also the tag prefix of keys, seed and rounding in both versions
  const PROTOCOL_V2 = "fairspot-draw/2";
  const PROTOCOLS = [PROTOCOL, PROTOCOL_V2];
  const TWO_256 = 1n << 256n;
  const enc = new TextEncoder();
  const FILES = ["manifest.json", "population.csv", "result.json", "sources.json"];

  class Mismatch extends Error {}

  // --- bytes and hashes ----------------------------------------------------------------------------
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const fromHex = (text) => Uint8Array.from(text.match(/../g) || [], (h) => parseInt(h, 16));
  const bigFromHex = (text) => BigInt("0x" + (text || "0"));

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  function lp(bytes) {
    const out = new Uint8Array(8 + bytes.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(bytes.length));
    out.set(bytes, 8);
    return out;
  }

  const taggedHash = (tag, ...parts) => sha256(concat(lp(enc.encode(tag)), ...parts.map(lp)));

  /** key(id) = SHA-256(LP("fairspot-draw/1 target-key") ‖ seed ‖ id), hex. */
  async function targetKey(seed, id) {
    return hex(await sha256(concat(lp(enc.encode(PROTOCOL + " target-key")), seed, enc.encode(id))));
  }

  async function keysOf(seed, ids) {
    const prefix = concat(lp(enc.encode(PROTOCOL + " target-key")), seed);
    const out = new Array(ids.length);
    const CHUNK = 2048;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const digests = await Promise.all(part.map((id) => sha256(concat(prefix, enc.encode(id)))));
      digests.forEach((d, j) => (out[i + j] = hex(d)));
    }
    return out;
  }

  // --- canonical JSON (§3) -------------------------------------------------------------------------
  function canonical(value) {
    if (value === null || value === true || value === false) return String(value);
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw new Mismatch("不允许的数值（浮点数或超出 2^53）");
      return String(value);
    }
    if (typeof value === "string") return JSON.stringify(value);
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    const keys = Object.keys(value).sort(); // UTF-16 code-unit order, as JCS requires
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  }

  function parseCanonical(bytes, name) {
    let text, doc;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
      doc = JSON.parse(text);
    } catch (e) {
      throw new Mismatch(`${name}：不是合法的 UTF-8 JSON`);
    }
    if (canonical(doc) !== text) throw new Mismatch(`${name}：不是规范 JSON（重新序列化后字节不同）`);
    if (!PROTOCOLS.includes(doc.protocol)) throw new Mismatch(`${name}：未知协议 ${doc.protocol}`);
    return doc;
  }

  // --- exact rationals -----------------------------------------------------------------------------
  const gcd = (a, b) => {
    while (b) [a, b] = [b, a % b];
    return a < 0n ? -a : a;
  };
  function frac(p, q) {
    const g = gcd(p, q) || 1n;
    return { p: p / g, q: q / g };
  }
  const fracText = (f) => (f.q === 1n ? String(f.p) : `${f.p}/${f.q}`);
  function fracOf(text) { // "p/q" or "p" (a normalized fraction of the protocol)
    if (!/^[0-9]+(\/[0-9]+)?$/.test(text)) throw new Mismatch(`不是分数：${text}`);
    const [p, q = "1"] = text.split("/");
    return frac(BigInt(p), BigInt(q));
  }
  function decimal(text) {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) throw new Mismatch(`不是十进制小数：${text}`);
    const [whole, part = ""] = text.split(".");
    return frac(BigInt(whole + part), 10n ** BigInt(part.length));
  }

  // code-point order of stratum value lists (the manifest's order)
  function cmpCodePoints(a, b) {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }
  function cmpLists(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = cmpCodePoints(a[i], b[i]);
      if (d) return d;
    }
    return a.length - b.length;
  }
  const cmpBytes = (a, b) => (a < b ? -1 : a > b ? 1 : 0); // ids are ASCII: string order = byte order

  // --- population file (§5.2) ----------------------------------------------------------------------
  const csvField = (v) => (v.includes(",") || v.includes('"') ? '"' + v.replace(/"/g, '""') + '"' : v);

  function splitCsvLine(line) {
    const out = [];
    let i = 0;
    while (true) {
      if (line[i] === '"') {
        let value = "";
        i++;
        while (true) {
          const j = line.indexOf('"', i);
          if (j < 0) throw new Mismatch("population.csv：引号未闭合");
          value += line.slice(i, j);
          if (line[j + 1] === '"') {
            value += '"';
            i = j + 2;
          } else {
            i = j + 1;
            break;
          }
        }
        out.push(value);
      } else {
        const j = line.indexOf(",", i);
        out.push(line.slice(i, j < 0 ? line.length : j));
        i = j < 0 ? line.length : j;
      }
      if (i >= line.length) break;
      if (line[i] !== ",") throw new Mismatch("population.csv：字段格式错误");
      i++;
    }
    return out;
  }

  function parsePopulation(bytes, manifest) {
    const spec = manifest.spec;
    const columns = ["id", ...spec.stratify_by, ...(spec.weight_column ? [spec.weight_column] : [])];
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    if (!text.endsWith("\n") || text.includes("\r")) throw new Mismatch("population.csv：行尾不规范");
    const lines = text.slice(0, -1).split("\n");
    const header = splitCsvLine(lines[0]);
    if (canonical(header) !== canonical(columns)) throw new Mismatch("population.csv：列与 manifest 不符");
    const groups = new Map(); // JSON of stratum → {stratum, ids, weights}
    const all = new Map();
    let previous = null;
    for (let n = 1; n < lines.length; n++) {
      const fields = splitCsvLine(lines[n]);
      if (fields.length !== columns.length || fields.map(csvField).join(",") !== lines[n]) {
        throw new Mismatch(`population.csv 第 ${n + 1} 行：格式不规范`);
      }
      const id = fields[0];
      if (!/^[0-9A-Za-z_.:/-]{1,128}$/.test(id)) throw new Mismatch(`population.csv：标识不合法 ${id}`);
      if (previous !== null && cmpBytes(previous, id) >= 0) throw new Mismatch("population.csv：未按标识排序或有重复");
      previous = id;
      const stratum = fields.slice(1, 1 + spec.stratify_by.length);
      const key = JSON.stringify(stratum);
      if (!groups.has(key)) groups.set(key, { stratum, ids: [], weights: [] });
      const group = groups.get(key);
      group.ids.push(id);
      if (spec.weight_column) group.weights.push(fields[columns.length - 1]);
      all.set(id, key);
    }
    return { groups, all, rows: lines.length - 1 };
  }

  function checkManifest(manifest, pop) {
    const spec = manifest.spec;
    const excluded = new Map(spec.exclusions.map((e) => [e.id, e.reason]));
    if (manifest.population.rows !== pop.rows) throw new Mismatch("manifest.json：人口行数不符");
    for (const id of excluded.keys()) {
      if (!pop.all.has(id)) throw new Mismatch(`manifest.json：排除对象 ${id} 不在人口文件中`);
    }
    const overrides = new Map(spec.strata.map((o) => [JSON.stringify(o.stratum), o]));
    const v2 = manifest.protocol === PROTOCOL_V2;
    const ratioBy = v2 ? spec.ratio_by : undefined;
    const ratioAt = ratioBy ? spec.stratify_by.indexOf(ratioBy.column) : -1;
    const expected = [...pop.groups.values()]
      .sort((a, b) => cmpLists(a.stratum, b.stratum))
      .map((g) => {
        const out = g.ids.filter((id) => excluded.has(id)).length;
        const o = overrides.get(JSON.stringify(g.stratum));
        const alloc = {};
        const byValue = ratioBy && !o && ratioBy.ratios[g.stratum[ratioAt]];
        for (const k of ["ratio", "sample_size"]) {
          const source = o || spec;
          if (byValue) alloc.ratio = byValue;
          else if (k in source) alloc[k] = source[k];
        }
        const floor = v2 && spec.design === "pps" ? ((o && o.min_inclusion) || spec.min_inclusion) : undefined;
        if (floor !== undefined) alloc.min_inclusion = floor;
        return { stratum: g.stratum, rows: g.ids.length, excluded: out, N: g.ids.length - out, ...alloc };
      });
    const found = manifest.strata;
    const at = firstDifference(expected, found, ".strata");
    if (at) throw new Mismatch(`manifest.json：${at}`);
    const frame = expected.reduce((s, e) => s + e.N, 0);
    if (frame !== manifest.frame_size) throw new Mismatch("manifest.json：frame_size 不符");
    return excluded;
  }

  // --- sources and seed (§5.4, §5.5) ---------------------------------------------------------------
  async function checkSources(sources, declared, digestHex, protocol) {
    if (sources.kind !== "sources") throw new Mismatch("sources.json：kind 不是 sources");
    if (protocol && sources.protocol !== protocol) throw new Mismatch("sources.json：协议与 manifest 不符");
    if (sources.manifest_sha256 !== digestHex) throw new Mismatch("sources.json：manifest_sha256 与公布的摘要不符");
    if (declared) {
      const names = sources.sources.map((s) => s.name);
      const want = declared.map((d) => d.name);
      if (canonical(names) !== canonical(want)) throw new Mismatch("sources.json：来源名称或顺序与 manifest 不符");
      declared.forEach((d, i) => {
        const value = sources.sources[i].value;
        if (typeof value !== "string" || !value || !new RegExp("^(?:" + d.format + ")$", "u").test(value)) {
          throw new Mismatch(`sources.json：来源 ${d.name} 的值不符合声明的格式 ${d.format}`);
        }
      });
    }
    const parts = [fromHex(digestHex)];
    for (const s of sources.sources) parts.push(enc.encode(s.name), enc.encode(s.value));
    return taggedHash(PROTOCOL + " seed", ...parts);
  }

  // --- stratum sizes (§5.6) ------------------------------------------------------------------------
  function stratumSize(entry, u, minimum) {
    const N = BigInt(entry.N);
    if ("sample_size" in entry) {
      const k = BigInt(entry.sample_size);
      return { n: k, expected: String(entry.sample_size), expectedFrac: frac(k, 1n) };
    }
    const r = decimal(entry.ratio);
    const x = frac(r.p * N, r.q);
    const whole = x.p / x.q;
    const f = frac(x.p - whole * x.q, x.q);
    const min = BigInt(minimum);
    const clamp = (k) => {
      const m = k < min ? min : k;
      return m > N ? N : m;
    };
    const rr = whole + (u * f.q < f.p * TWO_256 ? 1n : 0n);
    const expected = frac((f.q - f.p) * clamp(whole) + f.p * clamp(whole + 1n), f.q);
    return { n: clamp(rr), expected: fracText(expected), expectedFrac: expected };
  }

  // --- selection (§5.7) and πps (§5.8) -------------------------------------------------------------
  function srs(rows, n, N, alternates) {
    rows.sort((a, b) => cmpBytes(a.key, b.key) || cmpBytes(a.id, b.id));
    const take = Math.min(N, n + alternates);
    const prob = N ? fracText(frac(BigInt(n), BigInt(N))) : "0";
    return {
      selected: rows.slice(0, n).map((r) => ({ id: r.id, key: r.key, inclusion_probability: prob })),
      alternates: rows.slice(n, take).map((r) => ({ id: r.id, key: r.key })),
    };
  }

  function pps(rows, n, alternates) {
    const digits = Math.max(0, ...rows.map((r) => (r.weight.includes(".") ? r.weight.split(".")[1].length : 0)));
    rows.forEach((r) => {
      const [whole, part = ""] = r.weight.split(".");
      r.w = BigInt(whole + part.padEnd(digits, "0"));
      r.k = bigFromHex(r.key);
    });
    const order = rows.map((_, i) => i).sort((a, b) => (rows[b].w > rows[a].w ? 1 : rows[b].w < rows[a].w ? -1 : a - b));
    let restN = BigInt(n);
    let restW = rows.reduce((s, r) => s + r.w, 0n);
    const certain = new Set();
    for (const i of order) {
      if (restN === 0n || restN * rows[i].w < restW) break;
      certain.add(i);
      restN -= 1n;
      restW -= rows[i].w;
    }
    const ranking = rows.filter((_, i) => !certain.has(i));
    ranking.forEach((r) => {
      r.num = r.k * (restW - restN * r.w);
      r.den = (TWO_256 - r.k) * r.w;
    });
    ranking.sort((a, b) => {
      const left = a.num * b.den, right = b.num * a.den;
      return left < right ? -1 : left > right ? 1 : cmpBytes(a.key, b.key) || cmpBytes(a.id, b.id);
    });
    const nRest = Number(restN);
    const sure = rows.filter((_, i) => certain.has(i)).sort((a, b) => cmpBytes(a.key, b.key));
    const row = (r) => ({ id: r.id, key: r.key, weight: r.weight });
    return {
      certainties: certain.size,
      selected: [
        ...sure.map((r) => ({ ...row(r), inclusion_probability: "1", certainty: true })),
        ...ranking.slice(0, nRest).map((r) => ({
          ...row(r),
          inclusion_probability: fracText(frac(restN * r.w, restW)),
        })),
      ],
      alternates: ranking.slice(nRest, nRest + alternates).map(row),
      restN,
      restW,
      ranking,
    };
  }

  // --- πps of fairspot-draw/2 (§5.8.2): exact inclusion probabilities, ordered systematic pick ------
  const fcmp = (a, b) => {
    const l = a.p * b.q, r = b.p * a.q;
    return l < r ? -1 : l > r ? 1 : 0;
  };
  const fadd = (a, b) => frac(a.p * b.q + b.p * a.q, a.q * b.q);
  const fmul = (a, b) => frac(a.p * b.p, a.q * b.q);

  /** {A, Q}: π_i = A[i]/Q, Σ A = n·Q, π_i = min(1, max(φ, c·w_i)) with the one c that makes Σ π = n. */
  function inclusionProbabilities(weights, n, phi) {
    const N = BigInt(weights.length);
    if (n === 0n) return { A: weights.map(() => 0n), Q: 1n };
    if (n === N) return { A: weights.map(() => 1n), Q: 1n };
    if (phi.p * N === n * phi.q) return { A: weights.map(() => phi.p), Q: phi.q };
    const ws = [...weights].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const prefix = [0n];
    for (const w of ws) prefix.push(prefix[prefix.length - 1] + w);
    const countBelow = (limit, strict) => { // number of ws < limit (strict) or ≤ limit
      let lo = 0, hi = ws.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (strict ? ws[mid] < limit : ws[mid] <= limit) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const state = (c) => { // [iL, iU]: ws[:iL] floored (c·w ≤ φ), ws[iU:] certain (c·w ≥ 1)
      if (c.p === 0n) return [ws.length, ws.length];
      const iU = countBelow((c.q + c.p - 1n) / c.p, true);
      const iL = phi.p ? countBelow((phi.p * c.q) / (c.p * phi.q), false) : 0;
      return [Math.min(iL, iU), iU];
    };
    const F = (c) => {
      const [iL, iU] = state(c);
      const fixed = fadd(frac(BigInt(ws.length - iU), 1n), fmul(phi, frac(BigInt(iL), 1n)));
      return fadd(fixed, fmul(c, frac(prefix[iU] - prefix[iL], 1n)));
    };
    const distinct = [...new Set(ws)];
    const points = distinct.map((v) => frac(1n, v));
    if (phi.p) distinct.forEach((v) => points.push(frac(phi.p, phi.q * v)));
    points.sort(fcmp);
    const target = frac(n, 1n);
    let lo = 0, hi = points.length; // F(points[:lo]) ≤ n < F(points[hi:])
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fcmp(F(points[mid]), target) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const low = lo ? points[lo - 1] : frac(0n, 1n);
    const high = lo < points.length ? points[lo] : null;
    let c;
    if (low.p && fcmp(F(low), target) === 0) c = low;
    else {
      const inside = high ? frac(low.p * high.q + high.p * low.q, 2n * low.q * high.q) : fadd(low, frac(1n, 1n));
      const [iL, iU] = state(inside);
      const rest = fadd(target, fmul(frac(-1n, 1n), fadd(frac(BigInt(ws.length - iU), 1n), fmul(phi, frac(BigInt(iL), 1n)))));
      c = frac(rest.p, rest.q * (prefix[iU] - prefix[iL]));
    }
    const big = (c.q * phi.q) / gcd(c.q, phi.q);
    const topW = (c.q + c.p - 1n) / c.p; // w ≥ topW ⇔ c·w ≥ 1
    const floorW = phi.p ? (phi.p * c.q) / (c.p * phi.q) : 0n; // w ≤ floorW ⇔ c·w ≤ φ
    const lowA = phi.p * (big / phi.q);
    const scale = c.p * (big / c.q);
    const A = weights.map((w) => (w >= topW ? big : phi.p && w <= floorW ? lowA : scale * w));
    if (A.reduce((x, y) => x + y, 0n) !== n * big) throw new Mismatch("πps：入样概率之和不等于 n");
    return { A, Q: big };
  }

  function ppsV2(rows, n, alternates, phi, start) {
    const digits = Math.max(0, ...rows.map((r) => (r.weight.includes(".") ? r.weight.split(".")[1].length : 0)));
    const weights = rows.map((r) => {
      const [whole, part = ""] = r.weight.split(".");
      return BigInt(whole + part.padEnd(digits, "0"));
    });
    const { A, Q } = inclusionProbabilities(weights, BigInt(n), phi);
    const order = rows.map((_, i) => i).sort((a, b) => cmpBytes(rows[a].key, rows[b].key) || cmpBytes(rows[a].id, rows[b].id));
    const step = Q << 256n;
    let point = start * Q;
    let threshold = point >> 256n;
    let total = 0n;
    const chosen = new Set();
    for (const j of order) {
      total += A[j];
      if (total > threshold) {
        chosen.add(j);
        point += step;
        threshold = point >> 256n;
      }
    }
    const row = (j) => {
      const out = { id: rows[j].id, key: rows[j].key, weight: rows[j].weight, inclusion_probability: fracText(frac(A[j], Q)) };
      if (A[j] === Q) out.certainty = true;
      return out;
    };
    const pi = (j) => frac(A[j], Q);
    return {
      certainties: A.filter((a) => a === Q).length,
      start_u: start.toString(16).padStart(64, "0"),
      selected: order.filter((j) => chosen.has(j)).map(row),
      alternates: order.filter((j) => !chosen.has(j)).slice(0, alternates).map(row),
      v2: true,
      pi: Object.fromEntries(rows.map((r, j) => [r.id, fracText(pi(j))])),
    };
  }

  async function recompute(manifest, pop, sourcesDoc, seed, digestHex, sourcesSha) {
    const spec = manifest.spec;
    const excluded = new Set(spec.exclusions.map((e) => e.id));
    const strata = [];
    const detail = [];
    for (const entry of manifest.strata) {
      const group = pop.groups.get(JSON.stringify(entry.stratum)) || { ids: [], weights: [] };
      const rows = [];
      group.ids.forEach((id, i) => {
        if (!excluded.has(id)) rows.push({ id, weight: group.weights[i] });
      });
      const keys = await keysOf(seed, rows.map((r) => r.id));
      rows.forEach((r, i) => (r.key = keys[i]));
      const u = await taggedHash(PROTOCOL + " stratum-rounding", seed, enc.encode(canonical(entry.stratum)));
      const { n, expected, expectedFrac } = stratumSize(entry, bigFromHex(hex(u)), spec.min_per_stratum);
      const out = {};
      for (const [k, v] of Object.entries(entry)) if (k !== "rows" && k !== "excluded") out[k] = v;
      out.rounding_u = "ratio" in entry ? hex(u) : null;
      out.expected_n = expected;
      out.n = Number(n);
      let picked;
      if (spec.design === "srs") picked = srs(rows, out.n, entry.N, spec.alternates);
      else if (manifest.protocol === PROTOCOL_V2) {
        const floor = entry.min_inclusion ? fracOf(entry.min_inclusion) : frac(0n, 1n);
        const phi = expectedFrac.p ? frac(floor.p * n * expectedFrac.q, floor.q * expectedFrac.p) : frac(0n, 1n);
        const start = await taggedHash(PROTOCOL_V2 + " systematic-start", seed, enc.encode(canonical(entry.stratum)));
        picked = ppsV2(rows, out.n, spec.alternates, phi, bigFromHex(hex(start)));
        out.start_u = picked.start_u;
      } else picked = pps(rows, out.n, spec.alternates);
      if (spec.design !== "srs") out.certainties = picked.certainties;
      out.selected = picked.selected;
      out.alternates = picked.alternates;
      strata.push(out);
      detail.push({ entry, picked });
    }
    const result = {
      protocol: manifest.protocol,
      kind: "targets",
      draw_id: spec.draw_id,
      design: spec.design,
      manifest_sha256: digestHex,
      sources_sha256: sourcesSha,
      seed: hex(seed),
      strata,
      selected_total: strata.reduce((s, x) => s + x.selected.length, 0),
      alternates_total: strata.reduce((s, x) => s + x.alternates.length, 0),
    };
    return { result, detail };
  }

  function firstDifference(expected, found, path) {
    if (canonical(expected) === canonical(found)) return null;
    if (expected && found && typeof expected === "object" && typeof found === "object") {
      if (Array.isArray(expected) !== Array.isArray(found)) return `${path}：类型不同`;
      const keys = Array.isArray(expected)
        ? [...Array(Math.max(expected.length, found.length)).keys()]
        : [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
      for (const k of keys) {
        const sub = Array.isArray(expected) ? `${path}[${k}]` : `${path}.${k}`;
        const at = firstDifference(expected[k], found[k], sub);
        if (at) return at;
      }
    }
    const show = (v) => (v === undefined ? "（缺失）" : JSON.stringify(v));
    return `${path}：应为 ${show(expected)}，实为 ${show(found)}`;
  }

  // --- the whole check -----------------------------------------------------------------------------
  async function fetchBytes(base, name) {
    const response = await fetch(base + name, { cache: "no-cache", credentials: "omit" });
    if (!response.ok) throw new Mismatch(`无法下载 ${name}（HTTP ${response.status}）`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** Verify a revealed draw. `log(text)` reports each step. Returns the state for lookups. */
  async function verifyDraw({ base, digest, seed, partial, log = () => {}, fetcher = fetchBytes }) {
    const files = {};
    for (const name of partial ? ["sources.json"] : [...FILES, "SHA256SUMS"]) files[name] = await fetcher(base, name);
    if (!partial) {
      const sums = new TextDecoder().decode(files.SHA256SUMS);
      let wanted = "";
      for (const name of FILES) wanted += `${hex(await sha256(files[name]))}  ${name}\n`;
      if (sums !== wanted) {
        const line = wanted.split("\n").find((l) => !sums.split("\n").includes(l));
        throw new Mismatch(`SHA256SUMS 与文件不符：${line || "多余的行"}`);
      }
      log("SHA256SUMS：4 个文件的 SHA-256 一致");
    }
    let manifest = null;
    let pop = null;
    let digestHex = digest;
    if (!partial) {
      manifest = parseCanonical(files["manifest.json"], "manifest.json");
      if (manifest.kind !== "targets") throw new Mismatch("manifest.json：不是目标抽取");
      digestHex = hex(await sha256(files["manifest.json"]));
      if (digest && digestHex !== digest) throw new Mismatch(`manifest.json 的 SHA-256 ${digestHex} 与提交时公布的 ${digest} 不符`);
      log(`manifest.json：规范 JSON，SHA-256 = 公布的摘要 ${digestHex}`);
      const popSha = hex(await sha256(files["population.csv"]));
      if (popSha !== manifest.population.sha256) throw new Mismatch("population.csv 的 SHA-256 与 manifest 不符");
      pop = parsePopulation(files["population.csv"], manifest);
      checkManifest(manifest, pop);
      log(`population.csv：SHA-256 一致，${pop.rows} 行，分层与 manifest 一致`);
    }
    const sourcesDoc = parseCanonical(files["sources.json"], "sources.json");
    const seedBytes = await checkSources(sourcesDoc, manifest && manifest.spec.sources, digestHex, manifest && manifest.protocol);
    if (seed && hex(seedBytes) !== seed) throw new Mismatch(`种子应为 ${hex(seedBytes)}，公布的是 ${seed}`);
    log(`种子 = SHA-256(摘要, 各来源值) = ${hex(seedBytes)}`);
    const state = { seed: seedBytes, manifest, pop, detail: null, partial };
    if (partial) return state;
    const resultBytes = files["result.json"];
    const found = parseCanonical(resultBytes, "result.json");
    const sourcesSha = hex(await sha256(files["sources.json"]));
    const { result, detail } = await recompute(manifest, pop, sourcesDoc, seedBytes, digestHex, sourcesSha);
    state.detail = detail;
    if (canonical(result) !== new TextDecoder().decode(resultBytes)) {
      throw new Mismatch("result.json" + (firstDifference(result, found, "") || "：字节不同"));
    }
    log(`result.json：逐字节复算一致（抽中 ${result.selected_total}，备选 ${result.alternates_total}）`);
    return state;
  }

  /** What happened to one identifier in a verified draw. */
  async function lookup(state, rawId) {
    const id = rawId.trim().toUpperCase();
    const key = await targetKey(state.seed, id);
    const out = { id, key, status: "unknown" };
    if (!state.manifest) return out;
    const exclusion = state.manifest.spec.exclusions.find((e) => e.id === id);
    const stratumKey = state.pop.all.get(id);
    if (stratumKey === undefined) return { ...out, status: "absent" };
    const { entry, picked } = state.detail.find((d) => JSON.stringify(d.entry.stratum) === stratumKey);
    Object.assign(out, { stratum: entry.stratum, n: picked.selected.length, N: entry.N });
    if (exclusion) return { ...out, status: "excluded", reason: exclusion.reason };
    const last = picked.selected[picked.selected.length - 1];
    out.threshold = last ? last.key : null;
    out.design = state.manifest.spec.design;
    const pos = picked.selected.findIndex((r) => r.id === id);
    const alt = picked.alternates.findIndex((r) => r.id === id);
    if (out.design === "pps" && picked.v2) {
      out.v2 = true;
      out.pi = picked.pi[id];
      out.certainty = pos >= 0 && !!picked.selected[pos].certainty;
    } else if (out.design === "pps") {
      const rank = picked.ranking.findIndex((r) => r.id === id);
      out.rank = rank + 1;
      out.restN = Number(picked.restN);
      out.certainty = pos >= 0 && !!picked.selected[pos].certainty;
    }
    if (pos >= 0) return { ...out, status: "selected", position: pos + 1 };
    if (alt >= 0) return { ...out, status: "alternate", position: alt + 1 };
    return { ...out, status: "not_selected" };
  }

  // --- the page ------------------------------------------------------------------------------------
  const REASONS = {
    deregistered: "已注销", revoked: "被吊销", withdrawn: "被撤销", moved_out: "已迁出",
    repeat_window: "重复检查间隔内已被抽中", annual_cap: "已达年度检查次数上限", open_case: "有在办案件",
  };

  function describe(info) {
    const lines = [`标识 ${info.id}`, `号码（key）：${info.key}`];
    if (info.status === "unknown") {
      lines.push("本次抽取的人口文件未公开，只能核对号码本身。");
      return lines;
    }
    if (info.status === "absent") {
      lines.push("不在本次抽取的人口文件中（不属于本次抽查范围）。");
      return lines;
    }
    lines.push(`所在层：${info.stratum.join(" / ") || "（不分层）"}；层内可抽数 N = ${info.N}，抽取数 n = ${info.n}`);
    if (info.status === "excluded") {
      lines.push(`结论：抽取前已排除，原因：${REASONS[info.reason] || info.reason}（${info.reason}）。`);
      return lines;
    }
    if (info.design === "pps" && info.v2) {
      lines.push(`πps（有序系统抽样）：本对象的入样概率 π = ${info.pi}，恰为其被抽中的概率；按号码排序后，从一个随机起点起每隔 1 取一个单位。`);
      if (info.certainty) lines.push("结论：入样概率为 1，必中，已抽中。");
      else if (info.status === "selected") lines.push(`结论：已抽中（层内第 ${info.position} 位）。`);
      else if (info.status === "alternate") lines.push(`结论：未抽中，为备选第 ${info.position} 位。`);
      else lines.push("结论：未抽中。");
      return lines;
    }
    if (info.design === "pps") {
      lines.push(`πps：非必中单位按 Q' = k(W'−n'w) / ((2^256−k)w) 升序取前 n' = ${info.restN} 个。`);
      if (info.certainty) lines.push("结论：权重大到入样概率为 1，必中，已抽中。");
      else if (info.status === "selected") lines.push(`结论：已抽中（Q' 排名第 ${info.rank}）。`);
      else if (info.status === "alternate") lines.push(`结论：备选第 ${info.position} 位（Q' 排名第 ${info.rank}）。`);
      else lines.push(`结论：未抽中（Q' 排名第 ${info.rank}，大于 n'）。`);
      return lines;
    }
    lines.push(`门槛（第 n 个抽中对象的号码）：${info.threshold || "（本层不抽取）"}`);
    if (info.status === "selected") lines.push(`结论：号码不大于门槛，已抽中（层内第 ${info.position} 位）。`);
    else if (info.status === "alternate") lines.push(`结论：号码大于门槛，为备选第 ${info.position} 位。`);
    else lines.push("结论：号码大于门槛，未抽中。");
    return lines;
  }

  function init(root) {
    const $ = (sel) => root.querySelector(sel);
    const steps = $("#verify-steps");
    const outcome = $("#verify-result");
    const opts = {
      base: root.dataset.base,
      digest: root.dataset.digest,
      seed: root.dataset.seed,
      partial: root.dataset.files !== "all",
      log: (text) => {
        const li = document.createElement("li");
        li.textContent = text;
        steps.append(li);
      },
    };
    let running = null;
    const run = () => {
      steps.textContent = "";
      outcome.className = "verdict";
      outcome.textContent = "复核中……";
      running = verifyDraw(opts).then(
        (state) => {
          outcome.className = "verdict ok";
          outcome.textContent = state.partial ? "种子复核一致（其余文件未公开，未能复核抽取结果）" : "全部复核一致";
          return state;
        },
        (error) => {
          outcome.className = "verdict bad";
          outcome.textContent = "发现不一致：" + (error instanceof Mismatch ? error.message : String(error));
          return null;
        }
      );
      return running;
    };
    $("#verify-run").addEventListener("click", run);
    $("#lookup").addEventListener("submit", async (event) => {
      event.preventDefault();
      const id = $("#lookup-id").value;
      const box = $("#lookup-result");
      if (!/^[0-9A-Za-z_.:/-]{1,128}$/.test(id.trim())) {
        box.textContent = "请输入 18 位统一社会信用代码（或其他标识）。";
        return;
      }
      const state = await (running || run());
      if (!state) {
        box.textContent = "复核未通过，不给出结论。";
        return;
      }
      const info = await lookup(state, id);
      box.textContent = "";
      describe(info).forEach((line, i) => {
        const p = document.createElement("p");
        p.textContent = line;
        if (i === 1) p.id = "lookup-key";
        box.append(p);
      });
      box.dataset.status = info.status;
      box.dataset.key = info.key;
    });
  }

  globalThis.FairspotVerify = { verifyDraw, lookup, targetKey, canonical, Mismatch };
  if (typeof document !== "undefined") {
    const root = document.getElementById("verify");
    if (root) init(root);
  }
})();
