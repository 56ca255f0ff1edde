import { z } from 'zod';

/** Who speaks a message in a chat conversation. */
export const RoleSchema = z.enum(['system', 'user', 'assistant']);
export type Role = z.infer<typeof RoleSchema>;

/** One chat message, as sent to an OpenAI-compatible chat-completions endpoint. */
export const MessageSchema = z.object({
  /** Speaker of the message. */
  role: RoleSchema,
  /** Plain-text content of the message. */
  content: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

/** An ordered list of messages; the last one is normally the user's turn. */
export const ConversationSchema = z.array(MessageSchema);
export type Conversation = Message[];

/**
 * The text of the last user message of a conversation ('' when there is none).
 *
 * @example
 * lastUserText([{ role: 'user', content: 'hi' }]) // 'hi'
 */
export function lastUserText(conversation: Conversation): string {
  for (let index = conversation.length - 1; index >= 0; index -= 1) {
    if (conversation[index].role === 'user') return conversation[index].content;
  }
  return '';
}

/**
 * A copy of the conversation with the last user message rewritten by `rewrite`.
 *
 * @example
 * rewriteLastUser([{ role: 'user', content: 'hi' }], (text) => text.toUpperCase())
 */
export function rewriteLastUser(conversation: Conversation, rewrite: (text: string) => string): Conversation {
  const copy = conversation.map((message) => ({ ...message }));
  for (let index = copy.length - 1; index >= 0; index -= 1) {
    if (copy[index].role === 'user') {
      copy[index].content = rewrite(copy[index].content);
      return copy;
    }
  }
  copy.push({ role: 'user', content: rewrite('') });
  return copy;
}
