import { errors, isAppError, issuesFromZod } from '@gymstack/shared';
import type { z } from 'zod';
import { authorize } from './access.js';
import { startBackups } from './backup.js';
import { Context } from './context.js';
import { type DeskEvent, type DeskReply, type HandlerArgs, type HandlerName, type HandlerResult, deskApi, isHandlerName } from './contract.js';
import { loadDesk } from './desk.js';
import { NameVocabulary } from './domain/vocabulary.js';
import { Events } from './events.js';
import { handlers } from './handlers/index.js';
import type { Handler } from './handlers/types.js';
import { type CoreOptions, openStore } from './init.js';

export interface Core {
  /** For transports: never throws; every failure comes back as `{ ok: false, error: { code, message } }`. */
  dispatch(name: string, args: unknown): Promise<DeskReply>;
  /** Typed, for in-process callers; throws AppError. */
  call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<HandlerResult<N>>;
  /** 'checkin' after every check-in, 'changed' after writes, 'session' on login and logout. */
  onEvent(listener: (e: DeskEvent) => void): () => void;
  close(): Promise<void>;
}

type Schemas = { input: z.ZodType; output: z.ZodType };

class DeskCore implements Core {
  constructor(
    private readonly ctx: Context,
    private readonly backups: { stop(): Promise<void> },
  ) {}

  async dispatch(name: string, args: unknown): Promise<DeskReply> {
    try {
      return { ok: true, data: await this.#execute(name, args) };
    } catch (error) {
      if (isAppError(error)) return { ok: false, error: error.toPayload() };
      // The stack stays here; the caller learns only that nothing was saved.
      console.error(`desk handler ${name} failed`, error);
      return { ok: false, error: errors.internal().toPayload() };
    }
  }

  call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<HandlerResult<N>> {
    return this.#execute(name, args) as Promise<HandlerResult<N>>;
  }

  onEvent(listener: (e: DeskEvent) => void): () => void {
    return this.ctx.events.on(listener);
  }

  async close(): Promise<void> {
    await this.backups.stop();
    await this.ctx.store.close();
  }

  /** Session and role first, then the arguments, the handler, and its result against the contract. */
  async #execute(name: string, args: unknown): Promise<unknown> {
    if (!isHandlerName(name)) throw errors.unknownHandler(name);
    const schemas: Schemas = deskApi[name];
    const handler = handlers[name] as Handler<HandlerName>;
    authorize(this.ctx, handler.access);
    const input = schemas.input.safeParse(args ?? {});
    if (!input.success) throw errors.validation(issuesFromZod(input.error.issues));
    const result = await handler.run(this.ctx, input.data as never);
    const output = schemas.output.safeParse(result);
    if (!output.success) throw new Error(`${name} returned a result outside its contract: ${output.error.message}`);
    return output.data;
  }
}

/** Opens a set-up desk (see `initDesk`): migrates the database, caches the desk state, starts daily backups. */
export async function openCore({ dataDir, now = () => new Date(), sqliteBinding }: CoreOptions): Promise<Core> {
  const store = await openStore(dataDir, sqliteBinding);
  const desk = loadDesk(store);
  if (!desk) {
    await store.close();
    throw errors.conflict(`The desk in ${dataDir} is not set up yet`);
  }
  const vocabulary = new NameVocabulary(() =>
    store.all(store.db.selectFrom('members').select('full_name').where('deleted_at', 'is', null)).map((r) => r.full_name),
  );
  const ctx = new Context(store, now, new Events(), vocabulary, desk);
  return new DeskCore(ctx, startBackups(store.sqlite, dataDir, () => ctx.today()));
}
