import type { Hono } from 'hono';
import { guard } from '../app/auth-middleware.js';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { attackerLeaderboard } from '../agreement/finding-status.js';
import { communityFindings, communitySuiteJsonl } from '../community/community-findings.js';
import { issueApiToken, revokeApiToken } from '../db/accounts.js';
import { accountPage, communityPage, homePage, leaderboardPage } from '../views/community-pages.js';

/** Findings, the community suite export, the attacker leaderboard, the account page and the home page. */
export function communityRoutes(app: Hono<ServeEnv>, context: ServeContext): void {
  app.get('/api/community', guard(), (c) =>
    c.json({ findings: communityFindings(context.db).map(({ flag, status, behavior, conversation }) => ({ flag, status, behavior, conversation })) }),
  );
  app.get('/api/community/suite.jsonl', guard(), (c) =>
    c.body(communitySuiteJsonl(context.db), 200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': 'attachment; filename="community-suite.jsonl"' }),
  );
  app.get('/api/leaderboard', guard(), (c) => c.json(attackerLeaderboard(context.db)));
  app.get('/api/me', guard(), (c) => c.json({ account: c.get('account') }));

  app.get('/', guard(), (c) => homePage(c, context));
  app.get('/community', guard(), (c) => communityPage(c, context));
  app.get('/leaderboard', guard(), (c) => leaderboardPage(c, context));
  app.get('/account', guard(), (c) => accountPage(c, {}));
  app.post('/account/token', guard(), async (c) => {
    const body = await c.req.parseBody();
    const account = c.get('account')!;
    if (body.action === 'revoke') {
      revokeApiToken(context.db, account.id);
      return accountPage(c, { revoked: true, hasToken: false });
    }
    return accountPage(c, { token: issueApiToken(context.db, account.id), hasToken: true });
  });
}
