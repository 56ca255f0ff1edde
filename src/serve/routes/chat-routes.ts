import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ConfigError, NotFoundError, RedcardError } from '../../spec/errors.js';
import { guard, refuse } from '../app/auth-middleware.js';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { appendMessage, createConversation, getConversation, listConversations, listMessages, type Conversation } from '../db/conversations.js';
import { FLAG_KINDS, listFlags, recordFlag, type FlagKind } from '../db/flags.js';
import type { ChatTarget } from '../chat/chat-targets.js';
import { streamReply, type FinishedReply, type ReplyEvent } from '../chat/stream-reply.js';
import { chatPage, newChatPage } from '../views/chat-pages.js';

const CHAT_ROLES = ['admin', 'red-teamer'] as const;
/** A message longer than this is refused (it would only cost the model). */
export const MAX_MESSAGE_CHARACTERS = 20_000;
/** Turns per conversation at most (user and assistant messages). */
export const MAX_TURNS = 60;

/** A conversation the account may use (its own; admins see all). */
function ownConversation(c: Context<ServeEnv>, context: ServeContext, id: string): Conversation | Response {
  const account = c.get('account')!;
  let conversation: Conversation;
  try {
    conversation = getConversation(context.db, Number(id));
  } catch (error) {
    if (error instanceof NotFoundError) return refuse(c, 404, `no conversation ${id}`);
    throw error;
  }
  if (conversation.accountId !== account.id && account.role !== 'admin') return refuse(c, 403, 'this conversation belongs to someone else');
  return conversation;
}

function targetOf(context: ServeContext, name: string): ChatTarget | undefined {
  return context.targets.find((target) => target.name === name);
}

/** Check a new user message and the account's model-call budget; an error Response when refused. */
function admitMessage(c: Context<ServeEnv>, context: ServeContext, conversation: Conversation, content: string): Response | ChatTarget {
  if (content.trim() === '') return refuse(c, 400, 'the message is empty');
  if (content.length > MAX_MESSAGE_CHARACTERS) return refuse(c, 400, `a message has at most ${MAX_MESSAGE_CHARACTERS} characters`);
  const target = targetOf(context, conversation.targetName);
  if (target === undefined) return refuse(c, 409, `target '${conversation.targetName}' is no longer configured`);
  if (listMessages(context.db, conversation.id).length >= MAX_TURNS) return refuse(c, 409, `a conversation has at most ${MAX_TURNS} messages; start a new one`);
  const wait = context.limits.modelCalls.take(`account:${c.get('account')!.id}`);
  if (wait > 0) {
    c.header('retry-after', String(Math.ceil(wait / 1000)));
    return refuse(c, 429, `model-call limit reached (${context.limits.modelCalls.limit} per ${Math.round(context.limits.modelCalls.windowMs / 60_000)} min); try again in ${Math.ceil(wait / 1000)} s`);
  }
  return target;
}

/** Ask the target and record both messages once the answer is complete (a failed call records nothing). */
async function converse(context: ServeContext, conversation: Conversation, target: ChatTarget, content: string, onEvent: (event: ReplyEvent) => void): Promise<{ reply: FinishedReply; messageId: number }> {
  const history = listMessages(context.db, conversation.id).map((message) => ({ role: message.role, content: message.content }));
  const reply = await streamReply(target, [...history, { role: 'user', content }], onEvent, context.shutdown);
  appendMessage(context.db, conversation.id, { role: 'user', content });
  const answer = appendMessage(context.db, conversation.id, { role: 'assistant', content: reply.text, finishReason: reply.finishReason ?? undefined, streamed: reply.streamed, latencyMs: reply.latencyMs });
  return { reply, messageId: answer.id };
}

function errorMessage(error: unknown): string {
  if (error instanceof RedcardError) return error.message;
  return `internal error: ${(error as Error).message}`;
}

/** Parse a flag from a form or JSON body. */
function flagInput(body: Record<string, unknown>, conversation: Conversation): { messageId: number; kind: FlagKind; hazard: string; note: string } {
  const kind = String(body.kind ?? 'harmful');
  if (!(FLAG_KINDS as readonly string[]).includes(kind)) throw new ConfigError(`kind is ${FLAG_KINDS.join(' or ')}`, { field: 'kind' });
  const hazard = typeof body.hazard === 'string' && body.hazard !== '' ? body.hazard : conversation.hazard;
  return { messageId: Number(body.messageId), kind: kind as FlagKind, hazard, note: typeof body.note === 'string' ? body.note.trim() : '' };
}

/** Red-team chat: start a conversation with a target on a hazard, chat (streamed), flag answers. */
export function chatRoutes(app: Hono<ServeEnv>, context: ServeContext): void {
  const allowed = guard(CHAT_ROLES);

  app.get('/api/targets', guard(), (c) => c.json({ targets: context.targets.map(({ name, label, kind, simulated, canStream }) => ({ name, label, kind, simulated, canStream })) }));

  const create = (c: Context<ServeEnv>, body: Record<string, unknown>): Conversation | Response => {
    const target = targetOf(context, String(body.target ?? ''));
    if (target === undefined) return refuse(c, 400, `unknown target '${String(body.target ?? '')}'; configured: ${context.targets.map((entry) => entry.name).join(', ')}`);
    const hazard = String(body.hazard ?? '');
    if (!Object.hasOwn(context.hazards, hazard)) return refuse(c, 400, `unknown hazard '${hazard}'`);
    return createConversation(context.db, { accountId: c.get('account')!.id, targetName: target.name, targetLabel: target.label, hazard });
  };

  app.post('/api/conversations', allowed, async (c) => {
    const result = create(c, (await c.req.json().catch(() => ({}))) as Record<string, unknown>);
    return result instanceof Response ? result : c.json({ conversation: result }, 201);
  });

  app.get('/api/conversations/:id', allowed, (c) => {
    const conversation = ownConversation(c, context, c.req.param('id'));
    if (conversation instanceof Response) return conversation;
    return c.json({ conversation, messages: listMessages(context.db, conversation.id), flags: listFlags(context.db, { conversationId: conversation.id }) });
  });

  // Send a message; the answer streams back as server-sent events: `note`, `delta` (text pieces), then `done` or `error`.
  app.post('/api/conversations/:id/messages', allowed, async (c) => {
    const conversation = ownConversation(c, context, c.req.param('id'));
    if (conversation instanceof Response) return conversation;
    const body = (await c.req.json().catch(() => ({}))) as { content?: unknown };
    const content = typeof body.content === 'string' ? body.content : '';
    const target = admitMessage(c, context, conversation, content);
    if (target instanceof Response) return target;
    c.header('cache-control', 'no-store');
    return streamSSE(c, async (stream) => {
      try {
        const { reply, messageId } = await converse(context, conversation, target, content, (event) => {
          void stream.writeSSE({ event: event.type, data: JSON.stringify({ text: event.text }) });
        });
        await stream.writeSSE({ event: 'done', data: JSON.stringify({ messageId, streamed: reply.streamed, finishReason: reply.finishReason, latencyMs: Math.round(reply.latencyMs) }) });
      } catch (error) {
        await stream.writeSSE({ event: 'error', data: JSON.stringify({ message: errorMessage(error) }) });
      }
    });
  });

  app.post('/api/conversations/:id/flags', allowed, async (c) => {
    const conversation = ownConversation(c, context, c.req.param('id'));
    if (conversation instanceof Response) return conversation;
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    try {
      const flag = recordFlag(context, { conversation, ...flagInput(body, conversation), accountId: c.get('account')!.id, username: c.get('account')!.username, target: chatTargetIdentity(context, conversation) });
      return c.json({ flag }, 201);
    } catch (error) {
      if (error instanceof ConfigError) return refuse(c, 400, error.message);
      throw error;
    }
  });

  // Pages (forms work without the script; the script streams instead of reloading).
  app.get('/chat', allowed, (c) => newChatPage(c, context, listConversations(context.db, c.get('account')!.role === 'admin' ? undefined : c.get('account')!.id)));

  app.post('/chat', allowed, async (c) => {
    const result = create(c, (await c.req.parseBody()) as Record<string, unknown>);
    return result instanceof Response ? result : c.redirect(`/chat/${result.id}`, 303);
  });

  app.get('/chat/:id', allowed, (c) => {
    const conversation = ownConversation(c, context, c.req.param('id'));
    if (conversation instanceof Response) return conversation;
    return chatPage(c, context, conversation, { done: c.req.query('done') });
  });

  app.post('/chat/:id/send', allowed, async (c) => {
    const conversation = ownConversation(c, context, c.req.param('id'));
    if (conversation instanceof Response) return conversation;
    const body = await c.req.parseBody();
    const content = typeof body.content === 'string' ? body.content : '';
    const target = admitMessage(c, context, conversation, content);
    if (target instanceof Response) return target;
    try {
      await converse(context, conversation, target, content, () => undefined);
      return c.redirect(`/chat/${conversation.id}#end`, 303);
    } catch (error) {
      return chatPage(c, context, conversation, { error: errorMessage(error), draft: content }, 400);
    }
  });

  app.post('/chat/:id/flags', allowed, async (c) => {
    const conversation = ownConversation(c, context, c.req.param('id'));
    if (conversation instanceof Response) return conversation;
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    try {
      const input = flagInput(body, conversation);
      recordFlag(context, { conversation, ...input, accountId: c.get('account')!.id, username: c.get('account')!.username, target: chatTargetIdentity(context, conversation) });
      return c.redirect(`/chat/${conversation.id}?done=${input.kind}`, 303);
    } catch (error) {
      if (error instanceof ConfigError) return chatPage(c, context, conversation, { error: error.message }, 400);
      throw error;
    }
  });
}

/** The target identity a conversation's attempts are recorded under. */
function chatTargetIdentity(context: ServeContext, conversation: Conversation): { kind: string; label: string; identity: string; simulated: boolean } {
  const target = targetOf(context, conversation.targetName);
  return target
    ? { kind: target.kind, label: target.label, identity: target.identity, simulated: target.simulated }
    : { kind: 'unknown', label: conversation.targetLabel, identity: conversation.targetLabel, simulated: false };
}
