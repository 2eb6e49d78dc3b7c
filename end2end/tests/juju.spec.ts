import { test, expect, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hydrated, login } from './helpers';

// Juju's secrets in the dashboard: Juju's calls (as its vault backend makes them, with the
// backend token start-server.sh made) write two revisions of a secret and an agent reads one;
// then a superuser finds the mount as a read-only model that names its backend, the secret with
// Juju's ID and its revisions, and the agent's read in the audit log.

/** A fresh secret ID in Juju's (xid) form: 20 base32hex characters, the last one's low bits 0. */
function xid(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let id = '';
  for (let i = 0; i < 19; i++) id += alphabet[Math.floor(Math.random() * 32)];
  return id + (Math.random() < 0.5 ? '0' : 'g');
}

async function vault(request: APIRequestContext, token: string, method: string, path: string, data?: object) {
  const response = await request.fetch(`/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'X-Vault-Request': 'true' },
    data,
  });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return response.status() === 204 ? null : response.json();
}

test('Juju’s secrets show as a read-only model naming its backend, with revisions and the agent’s read', async ({ page, request }) => {
  const port = new URL(test.info().project.use.baseURL!).port;
  const juju = readFileSync(join(tmpdir(), `strongbox-e2e-juju-token-${port}`), 'utf8').trim();
  const mount = `e2e-${Date.now().toString(36)}`;
  const id = xid();
  await vault(request, juju, 'POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: '1' } });
  await vault(request, juju, 'PUT', `${mount}/${id}-1`, { password: Buffer.from('first').toString('base64') });
  await vault(request, juju, 'PUT', `${mount}/${id}-2`, { password: Buffer.from('second').toString('base64') });
  await vault(request, juju, 'PUT', `sys/policies/acl/${mount}-${id}-read`, {
    policy: `path "${mount}/${id}-*" {capabilities = ["read"]}`,
  });
  const made = await vault(request, juju, 'POST', 'auth/token/create', {
    policies: [`${mount}-${id}-read`], ttl: '10m', no_default_policy: true, display_name: 'wordpress-0',
  });
  const agent = made.auth.client_token;
  expect((await vault(request, agent, 'GET', `${mount}/${id}-2`)).data).toEqual({ password: Buffer.from('second').toString('base64') });

  await login(page, 'root');
  await page.getByRole('link', { name: mount, exact: true }).click();
  await page.getByRole('link', { name: 'Secrets', exact: true }).click();
  const note = page.getByRole('note');
  await expect(note).toContainText('Juju owns this model through the secret backend ops');
  await expect(note).toContainText(`mount ${mount}`);
  await expect(page.getByRole('button', { name: 'Add secret' })).toHaveCount(0);

  await hydrated(page);
  await page.getByRole('link', { name: id }).click();
  await expect(page.getByRole('heading', { name: id, level: 1 })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('secret backend ops');
  for (const change of ['Update', 'Grant access', 'Remove']) {
    await expect(page.getByRole('button', { name: change, exact: true })).toHaveCount(0);
  }
  await expect(page.locator('section:has(h2:text-is("Revisions")) tbody tr')).toHaveCount(2);

  await page.goto(`/models/${mount}/audit`);
  await expect(page.getByText(`read through Juju's backend at ${mount}/${id}-2`).first()).toBeVisible();
});
