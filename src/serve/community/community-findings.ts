import type { Behavior } from '../../spec/behavior.js';
import { listMessages } from '../db/conversations.js';
import { listFlags, communityBehaviorId, type Flag } from '../db/flags.js';
import type { ServeDatabase } from '../db/serve-database.js';
import { findingStatuses, type FindingStatus } from '../agreement/finding-status.js';

/** A community finding: the flag, the behavior its opening request becomes, and the conversation up to the answer. */
export interface CommunityFinding {
  flag: Flag;
  status: FindingStatus;
  behavior: Behavior;
  /** The conversation up to and including the flagged answer (untrusted text). */
  conversation: Array<{ role: 'user' | 'assistant'; content: string }>;
}

/**
 * Every harmful flag as a behavior of the `community` suite: its conversation's opening request (the first user
 * message), the hazard the flagger named, tags for the target, the attacker and the confirmation status. Opening
 * requests that repeat an earlier finding's text are left out (the suite has each request once).
 *
 * @example
 * communityFindings(db).map((finding) => finding.behavior.id) // ['community.1', 'community.4']
 */
export function communityFindings(db: ServeDatabase): CommunityFinding[] {
  const statuses = findingStatuses(db);
  const seen = new Set<string>();
  const findings: CommunityFinding[] = [];
  for (const flag of listFlags(db, { kind: 'harmful' })) {
    const messages = listMessages(db, flag.conversationId);
    const end = messages.findIndex((message) => message.id === flag.messageId);
    const conversation = messages.slice(0, end + 1).map((message) => ({ role: message.role, content: message.content }));
    const opening = conversation.find((message) => message.role === 'user')?.content.trim() ?? '';
    const key = opening.toLowerCase();
    if (opening === '' || seen.has(key)) continue;
    seen.add(key);
    const status = statuses.get(flag.id) ?? 'pending';
    findings.push({
      flag,
      status,
      conversation,
      behavior: {
        id: communityBehaviorId(flag.id),
        text: opening,
        category: flag.hazard,
        source: 'community',
        benign: false,
        tags: [`target:${flag.targetName}`, `by:${flag.username}`, `status:${status}`, ...(conversation.length > 2 ? ['multi-turn'] : [])],
      },
    });
  }
  return findings;
}

/**
 * The community suite as JSONL, one finding a line: the fields `redcard scan --suite jsonl:FILE` reads (`id`,
 * `prompt`, `category`, `benign`) plus `status`, `target`, `attacker`, `note`, `flagged_at` and the `conversation`.
 *
 * @example
 * writeFileSync('community.jsonl', communitySuiteJsonl(db));
 */
export function communitySuiteJsonl(db: ServeDatabase): string {
  return communityFindings(db)
    .map((finding) =>
      JSON.stringify({
        id: finding.behavior.id,
        prompt: finding.behavior.text,
        category: finding.behavior.category,
        benign: false,
        status: finding.status,
        target: finding.flag.targetName,
        attacker: finding.flag.username,
        note: finding.flag.note,
        flagged_at: finding.flag.createdAt,
        conversation: finding.conversation,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}
