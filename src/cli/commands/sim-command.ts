import { resolve } from 'node:path';
import { defineCommand, writeLine, type CliIO, type ParsedArgs } from '../command.js';
import { answerBatchFile } from '../../batch/answer-batch-file.js';
import { ConfigError } from '../../spec/errors.js';
import { startSimServer } from '../../targets/sim-server.js';
import { ListenError } from '../../targets/http-listen.js';
import { MAX_TIMER_MS } from '../../util/timer-limit.js';

const USAGE = `Usage:
  redcard sim serve [--port N] [--host 127.0.0.1] [--seed N] [--latency-ms N] [--profile NAME|FILE]
  redcard sim run-batch -i REQUESTS.jsonl -o RESULTS.jsonl [--seed N] [--profile NAME|FILE] [--error-rate R] [--drop-rate R]

'serve' runs the simulated model as an OpenAI-compatible server (POST /v1/chat/completions, GET /v1/models) until
Ctrl-C. 'run-batch' answers an OpenAI Batch input file the way 'vllm run-batch' does (a local stand-in, for trying
'redcard batch export' and 'batch import' without a GPU). Its answers are SIMULATED: numbers measured on it mean
nothing about any real model.

Options:
  --port N            port to listen on (default 8089; 0 picks a free port)
  --host HOST         address to bind (default 127.0.0.1)
  --seed N            simulator seed (default 0)
  --latency-ms N      delay before each answer (default 0)
  --profile NAME|FILE safety profile: default, strict, weak, biased, or a JSON file (see docs/targets.md)
  -i, --input FILE    (run-batch) the Batch input file
  -o, --output FILE   (run-batch) where to write the Batch output file
  --error-rate R      (run-batch) share of requests answered with an error line, 0 to 1 (default 0)
  --drop-rate R       (run-batch) share of requests left out of the output, 0 to 1 (default 0)`;

function rateFlag(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !(number >= 0 && number <= 1)) {
    throw new ConfigError(`--${name} must be a number from 0 to 1, got '${String(value)}'`, { field: name });
  }
  return number;
}

function integerFlag(value: unknown, name: string, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(number) || number < minimum || number > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `≥ ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new ConfigError(`--${name} must be an integer ${range}, got '${String(value)}'`, { field: name });
  }
  return number;
}

export const simCommand = defineCommand({
  name: 'sim',
  summary: "Simulated model: 'sim serve' runs an OpenAI-compatible server",
  usage: USAGE,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    'latency-ms': { type: 'string' },
    profile: { type: 'string' },
    input: { type: 'string', short: 'i' },
    output: { type: 'string', short: 'o' },
    'error-rate': { type: 'string' },
    'drop-rate': { type: 'string' },
  },
  async run(args, io) {
    const [action, ...extra] = args.positionals;
    if (action === 'run-batch' && extra.length === 0) return runBatch(args.values, io);
    if (action !== 'serve' || extra.length > 0) {
      writeLine(io.stderr, `redcard sim: expected 'serve' or 'run-batch'${action === undefined ? '' : `, got '${args.positionals.join(' ')}'`}\n\n${USAGE}`);
      return 2;
    }
    const options = {
      host: typeof args.values.host === 'string' ? args.values.host : '127.0.0.1',
      port: integerFlag(args.values.port, 'port', 0, 65_535) ?? 8089,
      seed: integerFlag(args.values.seed, 'seed', Number.MIN_SAFE_INTEGER),
      latencyMs: integerFlag(args.values['latency-ms'], 'latency-ms', 0, MAX_TIMER_MS),
      profile: typeof args.values.profile === 'string' ? args.values.profile : undefined,
    };
    let server;
    try {
      server = await startSimServer(options);
    } catch (error) {
      if (error instanceof ListenError && error.errno === 'EADDRINUSE') {
        throw new ConfigError(`${error.message}; choose another with --port N, or --port 0 for any free port`, { field: '--port' });
      }
      throw error;
    }
    writeLine(io.stdout, `redcard sim: serving a SIMULATED model at ${server.url} (Ctrl-C to stop)`);
    writeLine(io.stdout, `try: redcard scan --target openai --base-url ${server.url} --model sim`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    writeLine(io.stdout, 'redcard sim: stopped');
    return 0;
  },
});

/** `sim run-batch`: answer a Batch input file like `vllm run-batch`. */
async function runBatch(values: ParsedArgs['values'], io: CliIO): Promise<number> {
  if (typeof values.input !== 'string' || typeof values.output !== 'string') {
    throw new ConfigError(`run-batch needs -i REQUESTS.jsonl and -o RESULTS.jsonl\n\n${USAGE}`, { field: typeof values.input !== 'string' ? 'input' : 'output' });
  }
  const input = resolve(io.cwd, values.input);
  const output = resolve(io.cwd, values.output);
  if (input === output) throw new ConfigError('-o must not be the input file', { field: 'output' });
  const result = await answerBatchFile(input, output, {
    seed: integerFlag(values.seed, 'seed', Number.MIN_SAFE_INTEGER),
    profile: typeof values.profile === 'string' ? values.profile : undefined,
    errorRate: rateFlag(values['error-rate'], 'error-rate'),
    dropRate: rateFlag(values['drop-rate'], 'drop-rate'),
  });
  writeLine(io.stderr, `redcard sim: answered ${result.answered} of ${result.requests} requests with a SIMULATED model (${result.errors} error lines, ${result.dropped} left out) into ${output}`);
  return 0;
}
