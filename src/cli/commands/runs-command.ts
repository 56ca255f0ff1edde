import { resolve } from 'node:path';
import { openStore, DEFAULT_DB_PATH } from '../../store/sqlite-store.js';
import { defineCommand, writeLine } from '../command.js';

const usage = `Usage: redcard runs [--db PATH] [--json]

Lists the runs in the store, newest first: id, status, attempts recorded/planned, errors, target (its display name when it has one; [SIM] when any model is simulated), judge, created.`;

export const runsCommand = defineCommand({
  name: 'runs',
  summary: 'List recorded runs',
  usage,
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const store = openStore(resolve(io.cwd, (values.db as string | undefined) ?? DEFAULT_DB_PATH));
    try {
      const rows = store.listRuns().map((run) => ({ run, counts: store.countAttempts(run.id) }));
      if (values.json) {
        writeLine(io.stdout, JSON.stringify(rows.map(({ run, counts }) => ({ ...run, recorded: counts.total, errors: counts.errors })), null, 2));
        return 0;
      }
      if (rows.length === 0) {
        writeLine(io.stdout, `no runs in ${store.path} yet: try 'redcard scan --target sim'`);
        return 0;
      }
      const table = [
        ['run', 'status', 'attempts', 'errors', 'target', 'judge', 'created'],
        ...rows.map(({ run, counts }) => [
          run.id,
          run.status,
          `${counts.total}/${run.planned}`,
          String(counts.errors),
          `${run.name ?? run.target.label}${run.target.simulated || (run.simulatedRoles?.length ?? 0) > 0 ? ' [SIM]' : ''}`,
          run.judge,
          run.createdAt.replace('T', ' ').slice(0, 19),
        ]),
      ];
      const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
      for (const row of table) writeLine(io.stdout, row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
      return 0;
    } finally {
      store.close();
    }
  },
});
