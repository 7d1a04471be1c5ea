import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';

interface TestEvents {
  hello: { name: string };
  bye: { at: number };
}

describe('event bus', () => {
  it('delivers typed payloads to subscribers in order and stops after unsubscribe', async () => {
    const bus = createEventBus<TestEvents>(pino({ level: 'silent' }));
    const seen: string[] = [];
    const off = bus.on('hello', ({ name }) => {
      seen.push(`a:${name}`);
    });
    bus.on('hello', async ({ name }) => {
      await Promise.resolve();
      seen.push(`b:${name}`);
    });
    await bus.emit('hello', { name: 'ada' });
    off();
    await bus.emit('hello', { name: 'bob' });
    await bus.emit('bye', { at: 1 });
    expect(seen).toEqual(['a:ada', 'b:ada', 'b:bob']);
  });

  it('logs a failing handler and still runs the others', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const bus = createEventBus<TestEvents>(logger);
    const seen: string[] = [];
    bus.on('hello', () => {
      throw new Error('boom');
    });
    bus.on('hello', ({ name }) => {
      seen.push(name);
    });
    await expect(bus.emit('hello', { name: 'ada' })).resolves.toBeUndefined();
    expect(seen).toEqual(['ada']);
    expect(lines.join('')).toContain('event handler failed');
  });
});
