import { test, expect } from '@playwright/test';
import { login, serverFnPath, unique } from './helpers';

test('a read-only user sees secrets but no way to change them, and forged posts are refused', async ({ browser }) => {
  const writerContext = await browser.newContext();
  const writer = await writerContext.newPage();
  await login(writer, 'writer');
  await writer.goto('/models/prod/secrets?dialog=add');
  const addPath = await serverFnPath(writer, 'add_secret');
  const name = unique('visible');
  const created = await writer.request.post(addPath, {
    form: { model: 'prod', name, description: '', 'content[entries][0][key]': 'token', 'content[entries][0][value]': 'abc' },
  });
  expect(created.ok()).toBeTruthy();

  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await login(reader, 'reader');
  await reader.goto('/models/prod/secrets');
  await expect(reader.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await expect(reader.getByRole('button', { name: 'Add secret' })).toHaveCount(0);
  await reader.getByRole('link', { name }).first().click();
  await expect(reader.getByRole('heading', { name: 'Revisions' })).toBeVisible();
  await expect(reader.getByRole('button', { name: /Reveal|Update|Grant|Remove/ })).toHaveCount(0);

  const count = async () => (await reader.locator('table.secrets tbody tr').count());
  await reader.goto('/models/prod/secrets');
  const before = await count();
  const forged = await reader.request.post(addPath, {
    form: { model: 'prod', name: unique('forged'), description: '', 'content[entries][0][key]': 'token', 'content[entries][0][value]': 'x' },
  });
  expect(forged.status()).toBe(403);
  await reader.reload();
  expect(await count()).toBe(before);
  await writerContext.close();
  await readerContext.close();
});
