import type { Logger } from '../../logger.js';

/** Handler of one event. May be async; its failure is logged and never fails the operation. */
export type EventHandler<T> = (payload: T) => void | Promise<void>;

/**
 * A small typed emitter. `Events` maps an event name to its payload type; emitting an unknown name
 * or a wrong payload is a type error. Handlers run after the operation's writes are committed, one
 * after the other, and a throwing handler is logged, not rethrown: a subscriber (welcome mail,
 * analytics, audit) must not undo or fail the request that triggered it.
 */
export interface EventBus<Events extends object> {
  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, handler: EventHandler<Events[K]>): () => void;
  /** Runs every handler of `event`; resolves once all have settled. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): Promise<void>;
}

export function createEventBus<Events extends object>(logger: Logger): EventBus<Events> {
  const handlers = new Map<keyof Events, Set<EventHandler<never>>>();
  return {
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      set.add(handler as EventHandler<never>);
      handlers.set(event, set);
      return () => {
        set.delete(handler as EventHandler<never>);
      };
    },
    async emit(event, payload) {
      // Copy: a handler may unsubscribe itself while we iterate.
      for (const handler of [...(handlers.get(event) ?? [])]) {
        try {
          await (handler as EventHandler<typeof payload>)(payload);
        } catch (err) {
          logger.error({ event: String(event), err }, 'event handler failed');
        }
      }
    },
  };
}
