import { resolve } from 'node:path';
import { DatasetError } from '../../spec/errors.js';
import { defineSuite } from '../../spec/suite.js';
import { DEFAULT_DB_PATH } from '../../store/sqlite-store.js';
import { communityFindings } from '../../serve/community/community-findings.js';
import { openServeTablesReadonly } from '../../serve/db/serve-database.js';
import { selectBehaviors } from '../suite-selector.js';

/**
 * `community`: the opening requests of the conversations people flagged as harmful in `redcard serve`, read from the
 * store (`--db`). Selectors: `community:confirmed` (findings k annotators confirmed), `community:HAZARD`, joined with
 * `+` (`community:confirmed+vcr` is confirmed findings and all of vcr, like the built-in suites' union).
 *
 * @example
 * await communitySuite.load('confirmed', { dbPath: '.redcard/redcard.db' })
 */
export const communitySuite = defineSuite({
  id: 'community',
  description: 'Requests people broke a model with in `redcard serve` (flagged findings, read from the store); community:confirmed for confirmed ones',
  reference: 'docs/serve.md',
  needsFile: false,
  readsStore: true,
  async load(argument, options) {
    const path = resolve(options.dbPath ?? DEFAULT_DB_PATH);
    const db = openServeTablesReadonly(path);
    if (db === undefined) throw new DatasetError('no community findings: this store has never been used by `redcard serve` (or does not exist)', path);
    try {
      const findings = communityFindings(db);
      if (findings.length === 0) throw new DatasetError('no community findings yet: flag a harmful answer in `redcard serve` first', path);
      const terms = (argument ?? '').split('+').map((term) => term.trim()).filter(Boolean);
      const confirmedOnly = terms.includes('confirmed');
      const rest = terms.filter((term) => term !== 'confirmed');
      const pool = findings.map((finding) => finding.behavior);
      const confirmed = findings.filter((finding) => finding.status === 'confirmed').map((finding) => finding.behavior);
      const selected = rest.length > 0 ? selectBehaviors('community', pool, rest.join('+')) : confirmedOnly ? [] : pool;
      const ids = new Set([...(confirmedOnly ? confirmed : []), ...selected].map((behavior) => behavior.id));
      return { behaviors: pool.filter((behavior) => ids.has(behavior.id)), skipped: [], unmapped: {} };
    } finally {
      db.close();
    }
  },
});
