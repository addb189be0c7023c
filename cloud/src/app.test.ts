import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';

describe('cloud app', () => {
  const app = buildApp();
  afterAll(async () => app.close());

  it('answers /healthz with the success envelope', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, data: { status: 'ok' } });
  });

  it('answers an unknown route with 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
  });
});
