import type { FingerprintReader } from '@gymstack/native-bridge';
import type { Context } from '../context.js';
import { openTemplate, wantedTemplates } from './fingerprints.js';
import type { GymKeys } from './gym-keys.js';

export interface LoadReport {
  loaded: number;
  removed: number;
  /** The module was emptied and every template loaded again. */
  reloaded: boolean;
}

/**
 * Makes this desk's reader hold exactly the gym's live templates (DESIGN 7): templates that arrived
 * from sync are loaded (DownChar, Store) at free pages, and pages of removed or erased fingerprints are
 * deleted. `full` empties the module first: a reader plugged back in may be another module altogether.
 */
export async function loadTemplates(ctx: Context, reader: FingerprintReader, keys: GymKeys, options: { full: boolean }): Promise<LoadReport> {
  const { store } = ctx;
  const wanted = new Map(wantedTemplates(ctx).map((t) => [t.id, t]));
  const report: LoadReport = { loaded: 0, removed: 0, reloaded: false };
  let pages = store.all(store.db.selectFrom('finger_pages').selectAll());
  const onModule = new Set(await reader.usedPages());
  // A module holding other pages than ours, or missing some, was replaced or wiped: start it afresh.
  const mismatch = pages.some((p) => !onModule.has(p.page)) || onModule.size !== pages.length;
  if (options.full || mismatch) {
    await reader.empty();
    store.run(store.db.deleteFrom('finger_pages'));
    pages = [];
    onModule.clear();
    report.reloaded = true;
  }
  for (const p of pages) {
    if (wanted.has(p.credential_id)) continue;
    await reader.deleteTemplate(p.page);
    store.run(store.db.deleteFrom('finger_pages').where('page', '=', p.page));
    onModule.delete(p.page);
    report.removed++;
  }
  const placed = new Set(pages.map((p) => p.credential_id));
  const capacity = reader.info?.capacity ?? 0;
  let next = 0;
  for (const template of wanted.values()) {
    if (placed.has(template.id)) continue;
    while (onModule.has(next)) next++;
    if (next >= capacity) break; // full: the Devices screen shows pages used of capacity
    await reader.loadTemplate(next, openTemplate(keys, template));
    store.run(store.db.insertInto('finger_pages').values({ page: next, credential_id: template.id, loaded_at: ctx.clock().toISOString() }));
    onModule.add(next);
    report.loaded++;
  }
  return report;
}

/** The first page neither this desk's map nor the module itself uses; null when the library is full. */
export async function freePage(ctx: Context, reader: FingerprintReader): Promise<number | null> {
  const used = new Set([...(await reader.usedPages()), ...ctx.store.all(ctx.store.db.selectFrom('finger_pages').select('page')).map((p) => p.page)]);
  const capacity = reader.info?.capacity ?? 0;
  for (let page = 0; page < capacity; page++) if (!used.has(page)) return page;
  return null;
}
