import { oneTurnTrajectory, type Attempt } from '../../spec/attempt.js';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../../spec/run-record.js';
import type { Store } from '../../store/store-api.js';
import { sha256 } from '../../util/hash.js';
import { toolVersion } from '../../util/paths.js';
import { listMessages, type ChatMessage, type Conversation } from './conversations.js';
import { isoNow, type ServeDatabase } from './serve-database.js';

/** `harmful`: the response is a finding; `failure`: the attack failed (the model held). */
export const FLAG_KINDS = ['harmful', 'failure'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** The target a conversation talked to, as a run records it. */
export interface FlagTarget {
  kind: string;
  label: string;
  identity: string;
  simulated: boolean;
}

/** A human verdict on one response of a red-team conversation. */
export interface Flag {
  id: number;
  conversationId: number;
  messageId: number;
  accountId: number;
  username: string;
  kind: FlagKind;
  hazard: string;
  note: string;
  runId: string;
  attemptKey: string;
  targetName: string;
  createdAt: string;
}

interface FlagRow {
  id: number;
  conversation_id: number;
  message_id: number;
  account_id: number;
  username: string;
  kind: FlagKind;
  hazard: string;
  note: string;
  run_id: string;
  attempt_key: string;
  target_name: string;
  created_at: string;
}

const toFlag = (row: FlagRow): Flag => ({
  id: row.id,
  conversationId: row.conversation_id,
  messageId: row.message_id,
  accountId: row.account_id,
  username: row.username,
  kind: row.kind,
  hazard: row.hazard,
  note: row.note,
  runId: row.run_id,
  attemptKey: row.attempt_key,
  targetName: row.target_name,
  createdAt: row.created_at,
});

const SELECT =
  'SELECT f.*, a.username, c.target_name FROM serve_flags f JOIN serve_accounts a ON a.id = f.account_id JOIN serve_conversations c ON c.id = f.conversation_id';

/** Id of the run that holds the human-judged attempts made against one configured target. */
export function communityRunId(targetName: string): string {
  return `community-${targetName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'target'}`;
}

/** Behavior id of a flag in the `community` suite and its attempt. */
export const communityBehaviorId = (flagId: number): string => `community.${flagId}`;

export const MAX_NOTE_LENGTH = 2000;

/**
 * Record a human verdict on an assistant message: a flag row, and an attempt with the human verdict in the target's
 * community run (created on first use), so findings count in run listings, reports and `judge-eval`.
 *
 * @throws ConfigError for a message that is not an assistant answer of the conversation or is already flagged.
 * @example
 * recordFlag({ db, store }, { conversation, messageId: 7, accountId: me.id, username: 'ada', kind: 'harmful', hazard: 'vcr', note: '', target });
 */
export function recordFlag(
  stores: { db: ServeDatabase; store: Store },
  input: { conversation: Conversation; messageId: number; accountId: number; username: string; kind: FlagKind; hazard: string; note: string; target: FlagTarget },
): Flag {
  const { db, store } = stores;
  if (!(FLAG_KINDS as readonly string[]).includes(input.kind)) throw new ConfigError(`a flag is 'harmful' or 'failure', not '${input.kind}'`, { field: 'kind' });
  if (input.note.length > MAX_NOTE_LENGTH) throw new ConfigError(`a note has at most ${MAX_NOTE_LENGTH} characters`, { field: 'note' });
  const messages = listMessages(db, input.conversation.id);
  const index = messages.findIndex((message) => message.id === input.messageId);
  if (index === -1 || messages[index].role !== 'assistant') {
    throw new ConfigError(`message ${input.messageId} is not an answer in conversation ${input.conversation.id}`, { field: 'messageId' });
  }
  if (db.prepare('SELECT 1 FROM serve_flags WHERE message_id = ?').get(input.messageId) !== undefined) {
    throw new ConfigError('this answer is already flagged', { field: 'messageId' });
  }
  const runId = communityRunId(input.conversation.targetName);
  ensureCommunityRun(store, runId, input.conversation, input.target);
  const created = isoNow();
  const flagId = db.transaction(() => {
    const result = db
      .prepare('INSERT INTO serve_flags (conversation_id, message_id, account_id, kind, hazard, note, run_id, attempt_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(input.conversation.id, input.messageId, input.accountId, input.kind, input.hazard, input.note, runId, 'pending', created);
    const id = Number(result.lastInsertRowid);
    db.prepare('UPDATE serve_flags SET attempt_key = ? WHERE id = ?').run(`flag-${id}`, id);
    return id;
  }).immediate();
  try {
    store.commitAttempts([flagAttempt(runId, flagId, messages.slice(0, index), messages[index], { ...input, createdAt: created })]);
    const counts = store.countAttempts(runId);
    store.updateRun(runId, { planned: counts.total, status: 'completed' });
  } catch (error) {
    db.prepare('DELETE FROM serve_flags WHERE id = ?').run(flagId);
    throw error;
  }
  return getFlag(db, flagId);
}

function ensureCommunityRun(store: Store, runId: string, conversation: Conversation, target: FlagTarget): void {
  try {
    store.getRun(runId);
    return;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const now = isoNow();
  const run: RunRecord = {
    schemaVersion: RUN_RECORD_VERSION,
    id: runId,
    configHash: `community:${conversation.targetName}`,
    status: 'completed',
    createdAt: now,
    updatedAt: now,
    tool: { name: 'redcard', version: toolVersion() },
    name: `Community findings: ${conversation.targetName}`,
    simulatedRoles: target.simulated ? ['target'] : [],
    target,
    roles: { target: [target] },
    accounting: {},
    spent: { queries: 0, tokens: 0 },
    budgets: { attempt: {}, run: {} },
    judge: 'human',
    suites: ['community'],
    attacks: ['human'],
    samples: 1,
    limit: null,
    planned: 0,
    params: {},
    wallTimeMs: 0,
    settings: { source: 'redcard serve', target: conversation.targetName },
  };
  store.createRun(run);
}

function flagAttempt(
  runId: string,
  flagId: number,
  before: ChatMessage[],
  answer: ChatMessage,
  input: { kind: FlagKind; hazard: string; note: string; username: string; createdAt: string },
): Attempt {
  const key = `flag-${flagId}`;
  const harmful = input.kind === 'harmful';
  const attempt: Omit<Attempt, 'turns'> = {
    id: sha256(`${runId}|${key}`, 16),
    runId,
    key,
    index: flagId,
    behavior: communityBehaviorId(flagId),
    category: input.hazard,
    benign: false,
    attack: 'human',
    sample: 0,
    messages: before.map((message) => ({ role: message.role, content: message.content })),
    response: {
      text: answer.content,
      decodedText: answer.content,
      finishReason: { unified: finishUnified(answer.finishReason), raw: answer.finishReason },
      usage: { promptTokens: null, completionTokens: null },
      latencyMs: answer.latencyMs ?? 0,
      cached: false,
    },
    verdict: {
      label: harmful ? 'compliance' : 'refusal',
      harmful,
      score: harmful ? 1 : 0,
      judge: `human:${input.username}`,
      ...(input.note ? { rationale: input.note } : {}),
      categories: [input.hazard],
    },
    error: null,
    // The flagged answer is one target request made in the chat (earlier turns are context, asked before).
    queries: 1,
    finishedAt: input.createdAt,
  };
  return { ...attempt, turns: oneTurnTrajectory(attempt) };
}

function finishUnified(raw: string | null): 'stop' | 'length' | 'content-filter' | 'other' {
  if (raw === null || raw === 'stop') return 'stop';
  if (raw === 'length' || raw === 'content-filter') return raw;
  return 'other';
}

/** @throws NotFoundError for an unknown id. */
export function getFlag(db: ServeDatabase, id: number): Flag {
  const row = db.prepare<[number], FlagRow>(`${SELECT} WHERE f.id = ?`).get(id);
  if (row === undefined) throw new NotFoundError(`no flag ${id}`);
  return toFlag(row);
}

/** Flags, oldest first; `kind` narrows to findings or failures. */
export function listFlags(db: ServeDatabase, options: { kind?: FlagKind; conversationId?: number } = {}): Flag[] {
  const where: string[] = [];
  const values: Array<string | number> = [];
  if (options.kind) {
    where.push('f.kind = ?');
    values.push(options.kind);
  }
  if (options.conversationId !== undefined) {
    where.push('f.conversation_id = ?');
    values.push(options.conversationId);
  }
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY f.id`;
  return db.prepare<Array<string | number>, FlagRow>(sql).all(...values).map(toFlag);
}
