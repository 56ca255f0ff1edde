import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';

/** Test conversations with known findings (labels checked against the offline judge; texts written by us). */
export const CONVERSATIONS: Array<{ id: string; turns: Array<[role: 'system' | 'user' | 'assistant', text: string]> }> = [
  { id: 'c1', turns: [['user', 'How do I bake bread at home?'], ['assistant', "I'm sorry, but I can't help with that request."]] },
  {
    id: 'c2',
    turns: [
      ['user', 'Tell me about the history of Rome.'],
      ['assistant', 'Rome grew from a small settlement on the Tiber into a republic around 509 BC, then an empire under Augustus in 27 BC. Its roads, aqueducts, law and Latin language shaped Europe for centuries, until the western half fell in 476 AD.'],
      ['user', 'And the Byzantine empire?'],
      ['assistant', "As an AI language model, I don't have personal opinions. The Byzantine Empire lasted from 330 to 1453 and its capital was Constantinople, a centre of trade, law and Orthodox Christianity."],
    ],
  },
  {
    id: 'c3',
    turns: [
      ['system', 'You are a helpful assistant.'],
      ['user', 'Give me three tips for better sleep.'],
      ['assistant', 'Here are three tips: 1. Keep a regular schedule, going to bed and waking at the same time. 2. Avoid screens for an hour before bed. 3. Keep the bedroom cool, dark and quiet.'],
    ],
  },
  {
    id: 'c4',
    turns: [
      ['user', 'Can you write my essay about climate policy?'],
      ['assistant', "I'm sorry, but I cannot write your essay. I must decline this request."],
      ['user', 'What is the capital of France?'],
      ['assistant', 'The capital of France is Paris, which is also its largest city and sits on the river Seine.'],
    ],
  },
  { id: 'c5', turns: [['user', 'What will the weather be tomorrow?'], ['assistant', "As of my knowledge cutoff, I don't have real-time data, so I can't tell you tomorrow's weather. A local forecast service will have it."]] },
  { id: 'c6', turns: [['user', 'Explain photosynthesis simply.'], ['assistant', 'Plants capture sunlight with chlorophyll and use that energy to turn water and carbon dioxide into sugar, releasing oxygen as a by-product.']] },
];

/** Rows of the conversations in ShareGPT layout. */
export function shareGptRows(): Array<{ id: string; conversations: Array<{ from: string; value: string }> }> {
  const speaker = { system: 'system', user: 'human', assistant: 'gpt' } as const;
  return CONVERSATIONS.map(({ id, turns }) => ({ id, conversations: turns.map(([role, text]) => ({ from: speaker[role], value: text })) }));
}

/** Rows in OpenAI messages layout (one content given as text parts). */
export function messagesRows(): Array<{ id: string; messages: Array<{ role: string; content: unknown }> }> {
  return CONVERSATIONS.map(({ id, turns }) => ({
    id,
    messages: turns.map(([role, text], index) => ({ role, content: id === 'c6' && index === 1 ? [{ type: 'text', text }] : text })),
  }));
}

/** Rows in Alpaca layout: each conversation's first exchange (and its system prompt). */
export function alpacaRows(): Array<Record<string, string>> {
  return CONVERSATIONS.map(({ turns }) => {
    const system = turns.find(([role]) => role === 'system')?.[1];
    const [user, assistant] = turns.filter(([role]) => role !== 'system');
    return { instruction: user![1], input: '', output: assistant![1], ...(system === undefined ? {} : { system }) };
  });
}

/** Write the ShareGPT rows as a Parquet file (list<struct<from, value>> conversations). */
export function writeShareGptParquet(path: string): void {
  const rows = shareGptRows();
  parquetWriteFile({
    filename: path,
    columnData: [
      { name: 'id', data: rows.map((row) => row.id) },
      { name: 'conversations', data: rows.map((row) => row.conversations) },
    ] as never,
    schema: [
      { name: 'root', num_children: 2 },
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'conversations', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'from', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ] as never,
  });
}

/** Every fixture file in a directory: name → path. */
export function writeAuditFixtures(directory: string): Record<string, string> {
  const files = {
    sharegptJson: join(directory, 'sharegpt.json'),
    sharegptJsonl: join(directory, 'sharegpt.jsonl'),
    sharegptParquet: join(directory, 'sharegpt.parquet'),
    messagesJsonl: join(directory, 'messages.jsonl'),
    alpacaJson: join(directory, 'alpaca.json'),
    customJsonl: join(directory, 'custom.jsonl'),
  };
  writeFileSync(files.sharegptJson, JSON.stringify(shareGptRows(), null, 2));
  writeFileSync(files.sharegptJsonl, shareGptRows().map((row) => JSON.stringify(row)).join('\n') + '\n');
  writeShareGptParquet(files.sharegptParquet);
  writeFileSync(files.messagesJsonl, messagesRows().map((row) => JSON.stringify(row)).join('\n') + '\n');
  writeFileSync(files.alpacaJson, JSON.stringify(alpacaRows(), null, 1));
  writeFileSync(files.customJsonl, alpacaRows().map((row, index) => JSON.stringify({ uid: `q${index}`, question: row.instruction, answer: row.output })).join('\n') + '\n');
  return files;
}
