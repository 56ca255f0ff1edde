import { defineCommand, writeLine, type CliIO } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import type { Behavior } from '../../spec/behavior.js';
import type { Conversation } from '../../spec/message.js';
import { applyChain, decodeChain, resolveAttackChains, type AttackChain } from '../../attacks/chain.js';
import { attackRegistry } from '../../attacks/registry.js';
import { hasCodec } from '../../attacks/encoding-attack.js';
import { suiteRegistry } from '../../corpus/registry.js';
import { judgeRegistry } from '../../judges/registry.js';
import { targetRegistry } from '../../targets/registry.js';
import { settingNames, targetSpecKeys } from '../../targets/target-settings.js';
import type { TargetKind } from '../../spec/target-config.js';

/** The benign request shown when none is given; labelled as an example wherever it is printed. */
export const EXAMPLE_REQUEST = 'Explain how to pick a lock';
/** The simulated answer used for decoding round trips; a placeholder, never real content. */
const EXAMPLE_ANSWER = 'Sure, here is an example answer: [REDACTED].\nThat is the whole answer.';

const USAGE = `Usage: redcard show attack ID[+ID…] [--request TEXT] [--sample N] [--json]
       redcard show suite|judge|target ID [--json]

Shows an attack vector (or a composed chain) and what it does to an example request
(default: the benign example "${EXAMPLE_REQUEST}"). For vectors that decode the answer,
also shows a decoding round trip on a simulated answer.

Options:
  --request TEXT  the example request to transform
  --sample N      sample index (vectors pick variants by sample; default 0)
  --json          print JSON instead of text`;

/** Control characters (other than newline and tab) made visible, so a request cannot drive the terminal. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function indent(text: string, prefix: string): string {
  return visible(text).split('\n').map((line) => (line === '' ? '' : `${prefix}${line}`)).join('\n');
}

interface RoundTrip {
  /** The simulated answer, as plain text. */
  answer: string;
  /** The answer as a model following the chain's instructions would send it. */
  sent: string;
  /** What the judge would see after the chain's decoding. */
  decoded: string;
  ok: boolean;
}

/** Encode the placeholder answer the way the chain asks the model to, then decode it as the engine would. */
async function roundTrip(chain: AttackChain): Promise<RoundTrip | undefined> {
  const codecs = chain.vectors.filter(hasCodec).map((vector) => vector.codec);
  if (codecs.length === 0) return undefined;
  const sent = codecs.reduce((text, codec) => codec.encode(text), EXAMPLE_ANSWER);
  const decoded = await decodeChain(chain, sent);
  return { answer: EXAMPLE_ANSWER, sent, decoded, ok: decoded === EXAMPLE_ANSWER };
}

async function showAttack(id: string, values: Record<string, unknown>, io: CliIO): Promise<number> {
  const request = typeof values.request === 'string' && values.request.trim() !== '' ? values.request : EXAMPLE_REQUEST;
  const sample = values.sample === undefined ? 0 : Number(values.sample);
  if (!Number.isInteger(sample) || sample < 0) throw new ConfigError(`--sample must be a whole number ≥ 0, got '${String(values.sample)}'`, { field: 'sample' });
  const vectors = id.split('+').map((part) => {
    const vectorId = part.trim();
    if (!attackRegistry.has(vectorId)) throw new ConfigError(`unknown attack vector '${vectorId}' (see 'redcard list attacks')`, { field: 'attack' });
    return attackRegistry.get(vectorId);
  });
  const { chains, skipped } = resolveAttackChains([id], { helperAvailable: false });
  const behavior: Behavior = { id: 'example', text: request, category: 'example', source: 'show', benign: true, tags: [] };
  let messages: Conversation | undefined;
  let trip: RoundTrip | undefined;
  if (chains.length > 0) {
    messages = await applyChain(chains[0], { behavior, sample });
    trip = await roundTrip(chains[0]);
  }
  const metadata = vectors.map(({ id: vectorId, family, description, reference, needsHelper, decodesResponse }) => ({
    id: vectorId, family, description, reference, needsHelper, decodesResponse,
  }));
  const skippedReason = skipped[0]?.reason;
  if (values.json === true) {
    const example = messages ? { request, requestIsExample: request === EXAMPLE_REQUEST, sample, messages } : null;
    writeLine(io.stdout, JSON.stringify({ chain: vectors.map((vector) => vector.id).join('+'), vectors: metadata, example, roundTrip: trip ?? null, skipped: skippedReason ?? null }, null, 2));
    return 0;
  }
  const lines: string[] = [];
  if (vectors.length > 1) lines.push(`Chain ${vectors.map((vector) => vector.id).join(' + ')}: applied left to right, answers decoded right to left.`, '');
  for (const vector of metadata) {
    lines.push(`${vector.id}  (family ${vector.family})`, `  ${vector.description}`, `  reference:        ${vector.reference}`);
    lines.push(`  needs helper:     ${vector.needsHelper ? 'yes (--helper TARGET-SPEC)' : 'no'}`, `  decodes response: ${vector.decodesResponse ? 'yes' : 'no'}`, '');
  }
  lines.push(`${request === EXAMPLE_REQUEST ? 'Example request (a benign example, not from a suite)' : 'Request'}:`, indent(request, '  '), '');
  if (messages === undefined) {
    lines.push(`Not built here: ${skippedReason ?? 'the chain cannot run without a helper model'}. 'show' runs no models.`);
  } else {
    lines.push(`Conversation sent (sample ${sample}):`);
    for (const message of messages) lines.push(`  [${message.role}]`, indent(message.content, '    '));
  }
  if (trip) {
    lines.push('', 'Decoding round trip on a simulated answer (placeholder text):', '  answer the model is asked to give, encoded:', indent(trip.sent, '    '));
    lines.push('  what the judge sees after decoding:', indent(trip.decoded, '    '), `  round trip: ${trip.ok ? 'ok' : 'MISMATCH'}`);
  }
  writeLine(io.stdout, lines.join('\n'));
  return 0;
}

function showPlugin(kind: string, id: string, values: Record<string, unknown>, io: CliIO): number {
  const item =
    kind === 'suite' ? { ...suiteRegistry.get(id) } : kind === 'judge' ? { ...judgeRegistry.get(id) } : targetMetadata(targetRegistry.get(id));
  const metadata = Object.fromEntries(Object.entries(item).filter(([, value]) => typeof value !== 'function'));
  if (values.json === true) writeLine(io.stdout, JSON.stringify(metadata, null, 2));
  else writeLine(io.stdout, Object.entries(metadata).map(([key, value]) => `${key}: ${visible(String(value))}`).join('\n'));
  return 0;
}

/** A target kind as data: its settings (common ones first) and spec keys, as lists. */
function targetMetadata(kind: TargetKind): Record<string, unknown> {
  return {
    kind: kind.kind,
    description: kind.description,
    settings: settingNames(kind).join(', '),
    specKeys: Object.keys(targetSpecKeys(kind)).join(', '),
    ...(kind.positionalField ? { positional: `${kind.kind}:VALUE sets ${kind.positionalField}` } : {}),
  };
}

/** `redcard show attack ID`: a vector's metadata and its effect on an example request. */
export const showCommand = defineCommand({
  name: 'show',
  summary: "Show one plugin in detail, e.g. 'show attack roleplay.grandma'",
  usage: USAGE,
  options: { request: { type: 'string' }, sample: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    const [kind, id, ...extra] = args.positionals;
    if (kind === undefined || id === undefined || extra.length > 0) throw new ConfigError(`expected 'show KIND ID'\n\n${USAGE}`);
    if (kind === 'attack') return showAttack(id, args.values, io);
    if (kind === 'suite' || kind === 'judge' || kind === 'target') return showPlugin(kind, id, args.values, io);
    throw new ConfigError(`cannot show '${kind}': expected attack, suite, judge or target\n\n${USAGE}`);
  },
});
