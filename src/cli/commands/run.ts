// `tinydeploy run MODEL.tflite`: the whole flow headless (package, load,
// validate against TFLite in headless Chromium, profile, report) and the
// files it leaves in --out. Exit 0: validation passed; 1: it failed, or the
// run regressed against --baseline; 2: the run could not finish (stderr
// names the stage); 64: bad command line; 130: interrupted (Ctrl-C).
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { InputFileError, inputTargets, parseInputFile } from '../../core/flow/inputs/index.ts';
import { resolveInputKey } from '../../core/flow/plan-inputs.ts';
import {
  DEFAULT_INPUT_SETS,
  DEFAULT_SEED,
  type FlowErrorCode,
  type FlowResult,
  type FlowStage,
  type FlowThresholds,
  type FlowUserInputs,
} from '../../core/flow/types.ts';
import { sourceLabel } from '../../core/profile/source.ts';
import { compareReports, comparisonText } from '../../core/report/compare.ts';
import { parseReport, reportJson } from '../../core/report/parse-report.ts';
import type { Report } from '../../core/report/types.ts';
import { readModel } from '../../core/tflite/read.ts';
import type { ReferenceSession } from '../../node/reference-chromium.ts';
import { DEFAULT_BAUD } from '../../node/transport-serial.ts';
import {
  boardIdOf,
  isRunBoard,
  RUN_BOARDS,
  runFlowNode,
  runOutputFiles,
  type OpenFlowBoardOptions,
  type RunBoard,
  type SerialBoard,
} from '../../node/run-flow.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT, type Io } from '../io.ts';

export const RUN_EXIT = {
  pass: 0,
  fail: 1,
  error: 2,
  interrupted: 130,
  usage: EXIT.usage,
} as const;

const USAGE =
  `run MODEL.tflite [--board ${RUN_BOARDS.join('|')} | --port PATH [--baud N]] [--inputs N] [--seed S] ` +
  '[--out DIR] [--json] [--baseline report.json] [--input NAME=FILE ...] ' +
  '[--steps N] [--float-rel X] [--min-top1 X] [--no-localize] [--quiet]';

const VALUE_FLAGS = [
  'board',
  'port',
  'baud',
  'inputs',
  'seed',
  'out',
  'baseline',
  'input',
  'steps',
  'float-rel',
  'min-top1',
] as const;
const BARE_FLAGS = ['json', 'no-localize', 'quiet'] as const;

export interface RunArgs {
  model: string;
  /** A named board, or a board on a serial port (--port, --baud). */
  board: RunBoard | SerialBoard;
  inputSets: number;
  seed: number;
  out: string;
  json: boolean;
  baseline: string | null;
  /** [tensor name or index, or '' for the only input; file path]. */
  inputs: [string, string][];
  thresholds: FlowThresholds;
  localize: boolean;
  quiet: boolean;
}

/** Parses the command line in order (repeated --input, `--flag value` and `--flag=value`). */
export function parseRunArgv(
  argv: readonly string[],
): { ok: true; value: RunArgs } | { ok: false; error: string } {
  const values = new Map<string, string[]>();
  const bare = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if ((VALUE_FLAGS as readonly string[]).includes(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) return { ok: false, error: `--${name} needs a value` };
      values.set(name, [...(values.get(name) ?? []), v]);
    } else if ((BARE_FLAGS as readonly string[]).includes(name) && eq < 0) {
      bare.add(name);
    } else {
      return { ok: false, error: `unknown option ${a}` };
    }
  }
  if (positional.length !== 1) {
    return {
      ok: false,
      error:
        positional.length === 0 ? 'no model given' : `one model only (got ${positional.join(' ')})`,
    };
  }
  const one = (name: string): string | undefined => {
    const v = values.get(name);
    return v?.[v.length - 1];
  };
  const port = one('port');
  if (port !== undefined && one('board') !== undefined)
    return { ok: false, error: 'give --board or --port, not both' };
  if (port === undefined && one('baud') !== undefined)
    return { ok: false, error: '--baud goes with --port' };
  const board = one('board') ?? 'virtual-apollo4p';
  if (port === undefined && !isRunBoard(board)) {
    return { ok: false, error: `unknown board '${board}' (boards: ${RUN_BOARDS.join(', ')})` };
  }
  const integer = (name: string, fallback: number, min: number, max: number): number | string => {
    const v = one(name);
    if (v === undefined) return fallback;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max
      ? n
      : `--${name} must be an integer in ${min}..${max}, got '${v}'`;
  };
  const real = (name: string, min: number, max: number): number | undefined | string => {
    const v = one(name);
    if (v === undefined) return undefined;
    const x = Number(v);
    return v.trim() !== '' && x >= min && x <= max
      ? x
      : `--${name} must be a number in ${min}..${max}, got '${v}'`;
  };
  const baud = integer('baud', DEFAULT_BAUD, 1, 0xffffffff);
  if (typeof baud === 'string') return { ok: false, error: baud };
  const inputSets = integer('inputs', DEFAULT_INPUT_SETS, 1, 100_000);
  const seed = integer('seed', DEFAULT_SEED, 0, 0xffffffff);
  const steps = integer('steps', -1, 0, 1 << 30);
  const floatRel = real('float-rel', 0, Infinity);
  const minTop1 = real('min-top1', 0, 1);
  for (const v of [inputSets, seed, steps, floatRel, minTop1]) {
    if (typeof v === 'string') return { ok: false, error: v };
  }
  const thresholds: FlowThresholds = {};
  if ((steps as number) >= 0) thresholds.steps = steps as number;
  if (floatRel !== undefined) thresholds.floatRel = floatRel as number;
  if (minTop1 !== undefined) thresholds.minTop1 = minTop1 as number;
  const inputs: [string, string][] = [];
  for (const spec of values.get('input') ?? []) {
    const eq = spec.indexOf('=');
    inputs.push(eq < 0 ? ['', spec] : [spec.slice(0, eq), spec.slice(eq + 1)]);
  }
  return {
    ok: true,
    value: {
      model: positional[0] as string,
      board: port !== undefined ? { port, baudRate: baud } : (board as RunBoard),
      inputSets: inputSets as number,
      seed: seed as number,
      out: one('out') ?? 'tinydeploy-run',
      json: bare.has('json'),
      baseline: one('baseline') ?? null,
      inputs,
      thresholds,
      localize: !bare.has('no-localize'),
      quiet: bare.has('quiet'),
    },
  };
}

/** Rebuilds an argv from parsed Args (for callers that do not hand the raw words). */
function argvOf(args: Args): string[] {
  return [
    ...args.positional,
    ...[...args.flags].map(([k, v]) => (v === true ? `--${k}` : `--${k}=${v}`)),
  ];
}

async function userInputs(
  modelBytes: Uint8Array,
  specs: readonly [string, string][],
): Promise<{ ok: true; value: FlowUserInputs } | { ok: false; error: string }> {
  if (specs.length === 0) return { ok: true, value: {} };
  const read = readModel(modelBytes);
  if (!read.ok) return { ok: true, value: {} }; // the flow reports the bad model
  const model = read.value;
  const targets = inputTargets(model);
  const out: FlowUserInputs = {};
  for (const [key, file] of specs) {
    let index: number | null;
    if (key === '') {
      if (targets.length !== 1) {
        const names = targets.map((t, i) => t?.name ?? String(i)).join(', ');
        return {
          ok: false,
          error: `--input ${file}: the model has ${targets.length} inputs (${names}); write --input NAME=FILE`,
        };
      }
      index = 0;
    } else {
      index = resolveInputKey(model, key);
    }
    const target = index === null ? null : targets[index];
    if (index === null || !target) {
      const names = targets.map((t) => t?.name).join(', ');
      return {
        ok: false,
        error: `--input ${key}=${file}: no numeric input '${key}' (inputs: ${names})`,
      };
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (e) {
      return { ok: false, error: `cannot read input file ${file}: ${(e as Error).message}` };
    }
    try {
      out[target.name] = parseInputFile(basename(file), bytes, target);
    } catch (e) {
      if (e instanceof InputFileError)
        return { ok: false, error: `input '${target.name}' from ${file}: ${e.message}` };
      throw e;
    }
  }
  return { ok: true, value: out };
}

function summaryLine(r: Report): string {
  const lines = [`verdict: ${r.verdict.toUpperCase()}: ${r.verdictReason}`];
  for (const o of r.outputs)
    lines.push(`  output ${o.index} (${o.name}): ${o.pass ? 'pass' : 'FAIL'}: ${o.reason}`);
  if (r.divergence) lines.push(`  first divergence: ${r.divergence.message}`);
  const s = r.summary;
  lines.push(
    `profile: ${s.inferenceMs.toFixed(3)} ms, ${s.totalCycles} cycles over ${s.layers} layer(s), ` +
      `figures ${sourceLabel(s.source, r.provenance.board.name)}`,
  );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** One line on stderr naming the stage and the failure code; the exit code for it. */
function stageError(io: Io, stage: FlowStage, code: FlowErrorCode, message: string): number {
  io.err(`tinydeploy run: failed at stage '${stage}' (${code}): ${message}`);
  return RUN_EXIT.error;
}

export interface RunCommandHooks {
  /** A running reference session to reuse (tests). */
  reference?: ReferenceSession;
  boardOptions?: OpenFlowBoardOptions;
}

export async function runCommandWith(
  argv: readonly string[],
  io: Io,
  hooks: RunCommandHooks = {},
): Promise<number> {
  const parsed = parseRunArgv(argv);
  if (!parsed.ok) {
    io.err(`tinydeploy run: ${parsed.error}`);
    io.err(`usage: tinydeploy ${USAGE}`);
    return RUN_EXIT.usage;
  }
  const a = parsed.value;
  let modelBytes: Uint8Array;
  try {
    modelBytes = new Uint8Array(await readFile(a.model));
  } catch (e) {
    return stageError(
      io,
      'package',
      'BAD_MODEL',
      `cannot read ${a.model}: ${(e as Error).message}`,
    );
  }
  let baseline: Report | null = null;
  if (a.baseline !== null) {
    let text: string;
    try {
      text = await readFile(a.baseline, 'utf8');
    } catch (e) {
      io.err(`tinydeploy run: cannot read baseline ${a.baseline}: ${(e as Error).message}`);
      return RUN_EXIT.error;
    }
    const r = parseReport(text);
    if (!r.ok) {
      io.err(`tinydeploy run: baseline ${a.baseline}: ${r.error.message}`);
      return RUN_EXIT.error;
    }
    baseline = r.value;
  }
  const given = await userInputs(modelBytes, a.inputs);
  if (!given.ok) {
    return stageError(io, 'validate', 'BAD_INPUT', given.error);
  }
  const modelName = basename(a.model);
  let lastStage = '';
  // Ctrl-C cancels the run (and closes the board); an exception thrown
  // outside the flow's promise chain (an emulator bug in a timer callback)
  // cancels it too and is reported, instead of killing the process with a
  // stack trace and an exit code that could read as "validation failed".
  const controller = new AbortController();
  let crash: unknown = null;
  const onCrash = (e: unknown): void => {
    crash ??= e;
    controller.abort();
  };
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    controller.abort();
  };
  process.on('uncaughtException', onCrash);
  process.on('SIGINT', onSigint);
  let result: FlowResult;
  try {
    result = await runFlowNode(modelBytes, {
      board: a.board,
      modelName,
      seed: a.seed,
      inputSets: a.inputSets,
      thresholds: a.thresholds,
      localize: a.localize,
      ...(Object.keys(given.value).length > 0 ? { userInputs: given.value } : {}),
      toolVersion: toolVersion(),
      ...(hooks.reference ? { reference: hooks.reference } : {}),
      ...(hooks.boardOptions ? { boardOptions: hooks.boardOptions } : {}),
      onProgress: (p) => {
        if (a.quiet || p.stage === lastStage) return;
        lastStage = p.stage;
        io.err(`[${p.stage}] ${p.message}`);
      },
      signal: controller.signal,
    });
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('SIGINT', onSigint);
  }
  if (crash !== null && !result.ok) {
    const why = crash instanceof Error ? `${crash.name}: ${crash.message}` : String(crash);
    result = {
      ...result,
      failure: {
        ...result.failure,
        code: 'INTERNAL',
        message: `${result.failure.stage}: crashed: ${why}`,
        cause: crash,
      },
    };
  }
  const out = resolve(a.out);
  const { files, notes } = await runOutputFiles(result, modelBytes, modelName, boardIdOf(a.board));
  if (Object.keys(files).length > 0) {
    await mkdir(out, { recursive: true });
    for (const [name, data] of Object.entries(files)) await writeFile(join(out, name), data);
  }
  if (!a.quiet) for (const n of notes) io.err(`note: ${n}`);
  if (!result.ok) {
    const f = result.failure;
    const code = stageError(io, f.stage, f.code, f.message);
    return interrupted ? RUN_EXIT.interrupted : code;
  }
  const report = result.artifacts.report;
  if (a.json) io.out(reportJson(report));
  else {
    io.out(summaryLine(report));
    io.out(`files: ${Object.keys(files).sort().join(', ')} in ${out}`);
  }
  let code: number = report.verdict === 'pass' ? RUN_EXIT.pass : RUN_EXIT.fail;
  if (baseline) {
    const c = compareReports(baseline, report);
    (a.json ? io.err : io.out)(comparisonText(c));
    if (!c.pass) {
      io.err(
        `tinydeploy run: regression against ${a.baseline}: ${c.regressions.map((r) => r.message).join('; ')}`,
      );
      code = RUN_EXIT.fail;
    }
  }
  return code;
}

let cachedVersion: string | null = null;
function toolVersion(): string {
  if (cachedVersion === null) {
    let v = 'unknown';
    try {
      const pkg = JSON.parse(
        readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
      ) as {
        version?: string;
      };
      v = pkg.version ?? v;
    } catch {
      // A packaged CLI without package.json still runs.
    }
    cachedVersion = `tinydeploy ${v}`;
  }
  return cachedVersion;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'package, load, validate against TFLite, profile and report a model on a board',
  usage: USAGE,
  run(args, io) {
    const raw = (args as Args & { argv?: readonly string[] }).argv;
    return runCommandWith(raw ?? argvOf(args), io);
  },
};
