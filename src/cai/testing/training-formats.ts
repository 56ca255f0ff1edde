/**
 * Schema checks of the training files, written from the formats' documentation (not from our writers), for tests:
 *
 * - TRL "Dataset formats and types" (https://huggingface.co/docs/trl/dataset_formats): a conversational dataset holds
 *   lists of messages `{"role", "content"}` with roles system/user/assistant; the language-modeling type (what
 *   SFTTrainer takes) has a `messages` column; the preference type with an explicit prompt has `prompt`, `chosen` and
 *   `rejected`, where `prompt` is the conversation so far and `chosen`/`rejected` are the assistant's continuations.
 * - HuggingFaceH4/cai-conversation-harmless (the dataset alignment-handbook's constitutional-ai recipe trains on): the
 *   columns init_prompt, init_response, critic_prompt, critic_response, revision_prompt, revision_response (strings,
 *   as huggingface/llm-swarm examples/constitutional-ai/generate_dataset.py writes them), prompt (the request),
 *   messages and chosen (request + revision), rejected (request + initial answer); splits train_sft, test_sft,
 *   train_prefs, test_prefs; the recipe reads `messages` for SFT and `chosen`/`rejected` for DPO.
 *
 * Each check returns the problems found (empty when the row conforms).
 */

const ROLES = new Set(['system', 'user', 'assistant']);
const H4_COLUMN_ORDER = ['init_prompt', 'init_response', 'critic_prompt', 'critic_response', 'revision_prompt', 'revision_response', 'prompt', 'messages', 'chosen', 'rejected'];

function messageProblems(value: unknown, column: string): string[] {
  if (!Array.isArray(value)) return [`${column} must be a list of messages`];
  if (value.length === 0) return [`${column} must not be empty`];
  const problems: string[] = [];
  value.forEach((message, index) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      problems.push(`${column}[${index}] must be a {role, content} object`);
      return;
    }
    const keys = Object.keys(message).sort();
    if (keys.join(',') !== 'content,role') problems.push(`${column}[${index}] has keys ${keys.join(', ')}; expected exactly role and content`);
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !ROLES.has(role)) problems.push(`${column}[${index}].role must be system, user or assistant`);
    if (typeof content !== 'string') problems.push(`${column}[${index}].content must be a string`);
  });
  return problems;
}

const roles = (value: unknown): string[] => (Array.isArray(value) ? value.map((message) => (message as { role?: string }).role ?? '') : []);

/** Problems of a TRL conversational language-modeling (SFT) row. */
export function trlSftProblems(row: Record<string, unknown>): string[] {
  const problems = messageProblems(row.messages, 'messages');
  if (problems.length > 0) return problems;
  const order = roles(row.messages);
  if (order.at(-1) !== 'assistant') problems.push('messages must end with the assistant turn that is trained on');
  if (!order.includes('user')) problems.push('messages must hold a user turn');
  return problems;
}

/** Problems of a TRL conversational preference row with an explicit prompt. */
export function trlPreferenceProblems(row: Record<string, unknown>): string[] {
  const problems = [...messageProblems(row.prompt, 'prompt'), ...messageProblems(row.chosen, 'chosen'), ...messageProblems(row.rejected, 'rejected')];
  if (problems.length > 0) return problems;
  if (roles(row.prompt).at(-1) !== 'user') problems.push('prompt must end with the user turn being answered');
  for (const column of ['chosen', 'rejected']) if (!roles(row[column]).every((role) => role === 'assistant')) problems.push(`${column} must hold assistant turns only`);
  for (const column of ['score_chosen', 'score_rejected']) {
    if (column in row && (typeof row[column] !== 'number' || !Number.isFinite(row[column]))) problems.push(`${column} must be a number`);
  }
  return problems;
}

/** Problems of a row in the H4 CAI layout. */
export function h4Problems(row: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(row);
  if (keys.join(',') !== H4_COLUMN_ORDER.join(',')) problems.push(`columns are ${keys.join(', ')}; expected ${H4_COLUMN_ORDER.join(', ')}`);
  for (const column of H4_COLUMN_ORDER.slice(0, 7)) if (typeof row[column] !== 'string') problems.push(`${column} must be a string`);
  for (const column of ['messages', 'chosen', 'rejected']) problems.push(...messageProblems(row[column], column));
  if (problems.length > 0) return problems;
  const turn = (column: string, index: number): { role: string; content: string } => (row[column] as Array<{ role: string; content: string }>)[index]!;
  if (row.prompt !== row.init_prompt) problems.push('prompt must be the request (init_prompt)');
  for (const column of ['messages', 'chosen', 'rejected']) {
    if (roles(row[column]).join(',') !== 'user,assistant') problems.push(`${column} must be [user, assistant]`);
    else if (turn(column, 0).content !== row.init_prompt) problems.push(`${column}[0] must be the request`);
  }
  if (problems.length > 0) return problems;
  if (turn('messages', 1).content !== row.revision_response) problems.push('messages must end with the revision');
  if (turn('chosen', 1).content !== row.revision_response) problems.push('chosen must end with the revision');
  if (turn('rejected', 1).content !== row.init_response) problems.push('rejected must end with the initial answer');
  return problems;
}
