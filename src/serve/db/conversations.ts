import { NotFoundError } from '../../spec/errors.js';
import { isoNow, type ServeDatabase } from './serve-database.js';

/** One message of a red-team conversation (untrusted text: the attacker's and the model's). */
export interface ChatMessage {
  id: number;
  position: number;
  role: 'user' | 'assistant';
  content: string;
  finishReason: string | null;
  /** True when the answer arrived in pieces from the target; false when the target could not stream. */
  streamed: boolean | null;
  latencyMs: number | null;
  createdAt: string;
}

/** A red-team conversation with one configured target, aimed at one hazard. */
export interface Conversation {
  id: number;
  accountId: number;
  username: string;
  targetName: string;
  targetLabel: string;
  hazard: string;
  createdAt: string;
}

interface ConversationRow {
  id: number;
  account_id: number;
  username: string;
  target_name: string;
  target_label: string;
  hazard: string;
  created_at: string;
}

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  accountId: row.account_id,
  username: row.username,
  targetName: row.target_name,
  targetLabel: row.target_label,
  hazard: row.hazard,
  createdAt: row.created_at,
});

const SELECT = 'SELECT c.*, a.username FROM serve_conversations c JOIN serve_accounts a ON a.id = c.account_id';

export function createConversation(db: ServeDatabase, input: { accountId: number; targetName: string; targetLabel: string; hazard: string }): Conversation {
  const created = isoNow();
  const result = db
    .prepare('INSERT INTO serve_conversations (account_id, target_name, target_label, hazard, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(input.accountId, input.targetName, input.targetLabel, input.hazard, created);
  return getConversation(db, Number(result.lastInsertRowid));
}

/** @throws NotFoundError for an unknown id. */
export function getConversation(db: ServeDatabase, id: number): Conversation {
  const row = db.prepare<[number], ConversationRow>(`${SELECT} WHERE c.id = ?`).get(id);
  if (row === undefined) throw new NotFoundError(`no conversation ${id}`);
  return toConversation(row);
}

/** Conversations of one account (or all, for `undefined`), newest first. */
export function listConversations(db: ServeDatabase, accountId?: number, limit = 50): Conversation[] {
  const rows = accountId === undefined
    ? db.prepare<[number], ConversationRow>(`${SELECT} ORDER BY c.id DESC LIMIT ?`).all(limit)
    : db.prepare<[number, number], ConversationRow>(`${SELECT} WHERE c.account_id = ? ORDER BY c.id DESC LIMIT ?`).all(accountId, limit);
  return rows.map(toConversation);
}

interface MessageRow {
  id: number;
  position: number;
  role: 'user' | 'assistant';
  content: string;
  finish_reason: string | null;
  streamed: number | null;
  latency_ms: number | null;
  created_at: string;
}

const toMessage = (row: MessageRow): ChatMessage => ({
  id: row.id,
  position: row.position,
  role: row.role,
  content: row.content,
  finishReason: row.finish_reason,
  streamed: row.streamed === null ? null : row.streamed === 1,
  latencyMs: row.latency_ms,
  createdAt: row.created_at,
});

export function listMessages(db: ServeDatabase, conversationId: number): ChatMessage[] {
  return db.prepare<[number], MessageRow>('SELECT * FROM serve_messages WHERE conversation_id = ? ORDER BY position').all(conversationId).map(toMessage);
}

/** Append a message at the end of a conversation. */
export function appendMessage(
  db: ServeDatabase,
  conversationId: number,
  message: { role: 'user' | 'assistant'; content: string; finishReason?: string; streamed?: boolean; latencyMs?: number },
): ChatMessage {
  return db.transaction(() => {
    const next = db.prepare<[number], { next: number }>('SELECT COALESCE(MAX(position) + 1, 0) AS next FROM serve_messages WHERE conversation_id = ?').get(conversationId)!.next;
    const result = db
      .prepare('INSERT INTO serve_messages (conversation_id, position, role, content, finish_reason, streamed, latency_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(conversationId, next, message.role, message.content, message.finishReason ?? null, message.streamed === undefined ? null : message.streamed ? 1 : 0, message.latencyMs ?? null, isoNow());
    return toMessage(db.prepare<[number], MessageRow>('SELECT * FROM serve_messages WHERE id = ?').get(Number(result.lastInsertRowid))!);
  }).immediate();
}
