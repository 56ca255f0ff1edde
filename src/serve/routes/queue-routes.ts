import type { Context, Hono } from 'hono';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import { guard, refuse } from '../app/auth-middleware.js';
import type { ServeContext, ServeEnv } from '../app/serve-context.js';
import { taskAgreement, taskConsensus } from '../agreement/task-agreement.js';
import { adjudicate, currentLabels, LabelRefusedError, labelHistory, nextAssignment, submitLabel } from '../db/labels.js';
import { getItem, getTask, listTasks, readAttempt, type TaskItem } from '../db/tasks.js';
import { taskLabelsJsonl, type LabelsQuestion } from '../community/task-labels.js';
import { itemPage, queuePage, taskPage, disagreementsPage } from '../views/queue-pages.js';
import { labelInput } from './label-input.js';
import { problemStatus } from './problem-status.js';

const LABEL_ROLES = ['admin', 'annotator'] as const;

function found<T>(c: Context<ServeEnv>, read: () => T): T | Response {
  try {
    return read();
  } catch (error) {
    if (error instanceof NotFoundError) return refuse(c, 404, error.message);
    throw error;
  }
}

/** An item as an annotator gets it: the attempt to judge, never the other annotators' labels (labelling is blind). */
function itemView(context: ServeContext, item: TaskItem): Record<string, unknown> {
  const attempt = readAttempt(context.db, item.runId, item.attemptKey);
  const task = getTask(context.db, item.taskId);
  return {
    item,
    questions: task.questions,
    attempt: attempt === undefined ? null : { behavior: attempt.behavior, category: attempt.category, benign: attempt.benign, attack: attempt.attack, messages: attempt.messages, response: attempt.response?.decodedText ?? null },
  };
}

/** The annotation queue: tasks, atomic assignment, labels, agreement, disagreements, adjudication and export. */
export function queueRoutes(app: Hono<ServeEnv>, context: ServeContext): void {
  const labellers = guard(LABEL_ROLES);
  const admins = guard(['admin']);

  app.get('/api/tasks', guard(), (c) => c.json({ tasks: listTasks(context.db).map((task) => ({ ...task, agreement: taskAgreement(context.db, task.id) })) }));

  app.get('/api/tasks/:id/agreement', guard(), (c) => {
    const agreement = found(c, () => taskAgreement(context.db, Number(c.req.param('id'))));
    return agreement instanceof Response ? agreement : c.json(agreement);
  });

  app.post('/api/tasks/:id/next', labellers, (c) => {
    const item = found(c, () => nextAssignment(context.db, Number(c.req.param('id')), c.get('account')!.id));
    if (item instanceof Response) return item;
    if (item === undefined) return c.body(null, 204);
    return c.json(itemView(context, item));
  });

  app.post('/api/items/:id/labels', labellers, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    try {
      const label = submitLabel(context.db, { itemId: Number(c.req.param('id')), accountId: c.get('account')!.id, values: labelInput(body), note: typeof body.note === 'string' ? body.note : '' });
      return c.json({ label }, 201);
    } catch (error) {
      const refused = problemStatus(c, error);
      if (refused) return refused;
      throw error;
    }
  });

  app.get('/api/items/:id/labels', labellers, (c) => {
    const account = c.get('account')!;
    const history = found(c, () => {
      getItem(context.db, Number(c.req.param('id')));
      return labelHistory(context.db, Number(c.req.param('id')));
    });
    if (history instanceof Response) return history;
    return c.json({ labels: account.role === 'admin' ? history : history.filter((label) => label.accountId === account.id) });
  });

  app.get('/api/tasks/:id/labels.jsonl', guard(), async (c) => {
    const question = c.req.query('question');
    if (question !== undefined && question !== 'harmful' && question !== 'outcome') return refuse(c, 400, 'question is harmful or outcome');
    try {
      const exported = await taskLabelsJsonl(context.db, context.store, Number(c.req.param('id')), question as LabelsQuestion | undefined);
      return c.body(exported.text, 200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': `attachment; filename="task-${c.req.param('id')}-${exported.question}.jsonl"` });
    } catch (error) {
      const refused = problemStatus(c, error);
      if (refused) return refused;
      throw error;
    }
  });

  app.get('/api/tasks/:id/disagreements', admins, (c) => {
    const consensus = found(c, () => taskConsensus(context.db, Number(c.req.param('id'))));
    if (consensus instanceof Response) return consensus;
    return c.json({ items: consensus.items.filter((entry) => entry.disagreement) });
  });

  app.post('/api/items/:id/adjudication', admins, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    try {
      const adjudication = adjudicate(context.db, { itemId: Number(c.req.param('id')), accountId: c.get('account')!.id, values: labelInput(body), note: typeof body.note === 'string' ? body.note : '' });
      return c.json({ adjudication }, 201);
    } catch (error) {
      const refused = problemStatus(c, error);
      if (refused) return refused;
      throw error;
    }
  });

  // Pages.
  app.get('/queue', labellers, (c) => queuePage(c, context, c.req.query('done') !== undefined ? Number(c.req.query('done')) : undefined));

  app.post('/queue/:taskId/next', labellers, (c) => {
    const item = found(c, () => nextAssignment(context.db, Number(c.req.param('taskId')), c.get('account')!.id));
    if (item instanceof Response) return item;
    return c.redirect(item === undefined ? `/queue?done=${Number(c.req.param('taskId'))}` : `/queue/items/${item.id}`, 303);
  });

  app.get('/queue/items/:id', labellers, (c) => {
    const item = found(c, () => getItem(context.db, Number(c.req.param('id'))));
    if (item instanceof Response) return item;
    const account = c.get('account')!;
    const assigned = context.db.prepare('SELECT 1 FROM serve_assignments WHERE item_id = ? AND account_id = ?').get(item.id, account.id) !== undefined;
    if (!assigned && account.role !== 'admin') return refuse(c, 403, 'this item is not assigned to you; take the next item from the queue');
    const mine = (currentLabels(context.db, item.taskId).get(item.id) ?? []).find((label) => label.accountId === account.id);
    return itemPage(c, context, item, { mine, assigned, saved: c.req.query('saved') !== undefined });
  });

  app.post('/queue/items/:id', labellers, async (c) => {
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const itemId = Number(c.req.param('id'));
    try {
      const label = submitLabel(context.db, { itemId, accountId: c.get('account')!.id, values: labelInput(body), note: typeof body.note === 'string' ? body.note : '' });
      if (body.then === 'stay' || label.supersedes !== null) return c.redirect(`/queue/items/${itemId}?saved`, 303);
      const task = getItem(context.db, itemId).taskId;
      const next = nextAssignment(context.db, task, c.get('account')!.id);
      return c.redirect(next === undefined ? `/queue?done=${task}` : `/queue/items/${next.id}`, 303);
    } catch (error) {
      if (error instanceof NotFoundError) return refuse(c, 404, error.message);
      if (error instanceof LabelRefusedError) return refuse(c, 403, error.message);
      if (error instanceof ConfigError) {
        const item = getItem(context.db, itemId);
        return itemPage(c, context, item, { assigned: true, error: error.message }, 400);
      }
      throw error;
    }
  });

  app.get('/tasks/:id', labellers, (c) => {
    const task = found(c, () => getTask(context.db, Number(c.req.param('id'))));
    return task instanceof Response ? task : taskPage(c, context, task);
  });

  app.get('/tasks/:id/disagreements', admins, (c) => {
    const task = found(c, () => getTask(context.db, Number(c.req.param('id'))));
    return task instanceof Response ? task : disagreementsPage(c, context, task, c.req.query('adjudicated') !== undefined);
  });

  app.post('/tasks/:taskId/items/:id/adjudicate', admins, async (c) => {
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    try {
      adjudicate(context.db, { itemId: Number(c.req.param('id')), accountId: c.get('account')!.id, values: labelInput(body), note: typeof body.note === 'string' ? body.note : '' });
      return c.redirect(`/tasks/${Number(c.req.param('taskId'))}/disagreements?adjudicated`, 303);
    } catch (error) {
      const refused = problemStatus(c, error);
      if (refused) return refused;
      throw error;
    }
  });
}
