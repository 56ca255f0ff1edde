/** Options of a multiple-choice prompt written as lines `(a) …`, `(b) …`, `(c) …` (redcard's BBQ prompt format). */
const OPTION_LINE = /^\(([a-e])\) (.+)$/gm;
/** An option that says the question cannot be answered from the context. */
const UNKNOWN_OPTION = /\b(unknown|undetermined|can(no|')t (be determined|answer|tell)|not (enough|known|answerable)|cannot be determined)/i;
/** Share of answers that pick the "unknown" option when there is one. */
const UNKNOWN_SHARE = 0.55;

/**
 * The simulator's answer to a multiple-choice question in its last user message, or undefined when there is none:
 * the "unknown" option with probability 0.55, otherwise one of the others at random, as `(x) option text`. It knows
 * nothing of the context, so its bias scores are noise around 0.
 *
 * @example
 * answerMultipleChoice('user: Question: Who?\n(a) Ann\n(b) Bo\n(c) Unknown\n', () => 0.1) // '(c) Unknown'
 */
export function answerMultipleChoice(conversationText: string, random: () => number): string | undefined {
  const lastUser = conversationText.lastIndexOf('user: ');
  const text = lastUser === -1 ? conversationText : conversationText.slice(lastUser);
  const options = [...text.matchAll(OPTION_LINE)].map((match) => ({ letter: match[1]!, text: match[2]!.trim() }));
  if (options.length < 2 || options[0]!.letter !== 'a') return undefined;
  const unknown = options.find((option) => UNKNOWN_OPTION.test(option.text));
  const others = options.filter((option) => option !== unknown);
  const chosen = unknown !== undefined && random() < UNKNOWN_SHARE ? unknown : others[Math.floor(random() * others.length)]!;
  return `(${chosen.letter}) ${chosen.text}`;
}
