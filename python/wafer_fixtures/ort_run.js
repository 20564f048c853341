#!/usr/bin/env node
// Runs one ONNX model in ONNX Runtime (CPU) and writes every output as .npy.
// This is how gen.py makes the golden outputs: ORT is an independent
// reference, so fixture outputs do not depend on torch or on wafer.
//
//   node ort_run.js MODEL.onnx --input NAME=FILE.npy ... --output-dir DIR
//        [--runs N] [--threads T]
//
// Prints one JSON line on stdout: {"outputs": [...], "median_ms": ..., ...}.
// onnxruntime-node is installed at the repository root with
// `npm install --ignore-scripts onnxruntime-node` (see docs/fixtures.md).
'use strict';

const fs = require('fs');
const path = require('path');

let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  process.stderr.write(
      'ort_run.js: error: cannot load onnxruntime-node; run ' +
      '`npm install --ignore-scripts onnxruntime-node` at the repository ' +
      'root (' + e.message + ')\n');
  process.exit(2);
}

function fail(msg) {
  process.stderr.write('ort_run.js: error: ' + msg + '\n');
  process.exit(2);
}

// numpy descr <-> ORT tensor type and typed array.
const DTYPES = {
  '<f4': {ort: 'float32', array: Float32Array, size: 4},
  '<f8': {ort: 'float64', array: Float64Array, size: 8},
  '<i8': {ort: 'int64', array: BigInt64Array, size: 8},
  '<i4': {ort: 'int32', array: Int32Array, size: 4},
  '|i1': {ort: 'int8', array: Int8Array, size: 1},
  '|u1': {ort: 'uint8', array: Uint8Array, size: 1},
  '|b1': {ort: 'bool', array: Uint8Array, size: 1},
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    fail(`'${file}' is not a .npy file`);
  const major = buf[6];
  let headerLen, start;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    start = 10;
  } else {
    headerLen = buf.readUInt32LE(8);
    start = 12;
  }
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) fail(`'${file}': bad .npy header`);
  if (fortran[1] === 'True') fail(`'${file}': fortran_order arrays unsupported`);
  const dt = DTYPES[descr[1]];
  if (!dt) fail(`'${file}': unsupported dtype '${descr[1]}'`);
  const dims = shape[1].split(',').map(s => s.trim()).filter(s => s.length)
                   .map(s => parseInt(s, 10));
  const count = dims.reduce((a, b) => a * b, 1);
  const off = start + headerLen;
  if (buf.length - off !== count * dt.size)
    fail(`'${file}': expected ${count * dt.size} data bytes, got ${
        buf.length - off}`);
  // Copy into a fresh, aligned buffer (the file's data offset may not be).
  const data = new dt.array(count);
  Buffer.from(data.buffer).set(buf.subarray(off));
  return new ort.Tensor(dt.ort, data, dims);
}

function writeNpy(file, tensor) {
  const entry = Object.entries(DTYPES).find(([, v]) => v.ort === tensor.type);
  if (!entry) fail(`cannot write output of type '${tensor.type}'`);
  const [descr, dt] = entry;
  const shapeStr = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` :
                                              `(${tensor.dims.join(', ')})`;
  let header =
      `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad so that magic + len + header + '\n' is a multiple of 64 (numpy does).
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  let data = tensor.data;
  if (tensor.type === 'bool' && !(data instanceof Uint8Array))
    data = Uint8Array.from(data, v => (v ? 1 : 0));
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file,
                   Buffer.concat([head, Buffer.from(header, 'latin1'), bytes]));
}

function parseArgs(argv) {
  const args = {inputs: [], runs: 1, threads: 1, model: null, outDir: null};
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) fail(`missing value after ${a}`);
      return argv[++i];
    };
    if (a === '--input') {
      const v = next();
      const eq = v.indexOf('=');
      if (eq <= 0) fail(`--input expects NAME=FILE.npy, got '${v}'`);
      args.inputs.push([v.slice(0, eq), v.slice(eq + 1).replace(/^@/, '')]);
    } else if (a === '--output-dir') {
      args.outDir = next();
    } else if (a === '--runs') {
      args.runs = parseInt(next(), 10);
    } else if (a === '--threads') {
      args.threads = parseInt(next(), 10);
    } else if (a.startsWith('--')) {
      fail(`unknown option '${a}'`);
    } else if (args.model === null) {
      args.model = a;
    } else {
      fail(`unexpected argument '${a}'`);
    }
  }
  if (!args.model) fail('no model given');
  if (!args.outDir) fail('--output-dir is required');
  if (!(args.runs >= 1)) fail('--runs must be >= 1');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const session = await ort.InferenceSession.create(args.model, {
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = {};
  for (const [name, file] of args.inputs) {
    if (!session.inputNames.includes(name))
      fail(`model '${args.model}' has no input '${name}' (inputs: ${
          session.inputNames.join(', ')})`);
    feeds[name] = readNpy(file);
  }
  for (const name of session.inputNames)
    if (!(name in feeds)) fail(`no value given for input '${name}'`);

  // One untimed warm-up run, then the timed runs; the median is robust to
  // the occasional descheduling on a shared machine.
  let results = await session.run(feeds);
  const times = [];
  for (let r = 0; r < args.runs; ++r) {
    const t0 = process.hrtime.bigint();
    results = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] :
                                    (times[mid - 1] + times[mid]) / 2;

  fs.mkdirSync(args.outDir, {recursive: true});
  for (const name of session.outputNames)
    writeNpy(path.join(args.outDir, name + '.npy'), results[name]);
  process.stdout.write(JSON.stringify({
    outputs: session.outputNames,
    median_ms: median,
    min_ms: times[0],
    runs: args.runs,
    intra_op_threads: args.threads,
    ort_version: require('onnxruntime-node/package.json').version,
  }) + '\n');
}

main().catch(e => fail(e.message));
