import { test, expect, type Page } from '@playwright/test';
import { hydrated, login, quickSecret, serverFnPath, unique } from './helpers';

async function grantsOnReviewPage(page: Page): Promise<string[]> {
  await page.goto('/models/prod/access');
  const rows = page.locator('table.review tbody tr');
  const count = await rows.count();
  const seen: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const cells = rows.nth(i).locator('td');
    seen.push(`${await cells.nth(0).innerText()} → ${await cells.nth(1).innerText()}`);
  }
  return seen.sort();
}

test('the grant review page shows exactly the grants that exist', async ({ page }) => {
  await login(page, 'writer');
  const first = unique('review-a');
  const second = unique('review-b');
  await quickSecret(page, first);
  await quickSecret(page, second);
  const before = await grantsOnReviewPage(page);

  for (const [name, apps] of [[first, ['mysql', 'redis']], [second, ['wordpress']]] as const) {
    await page.goto('/models/prod/secrets');
    await page.getByRole('link', { name }).first().click();
    await hydrated(page);
    await page.getByRole('button', { name: 'Grant access' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grant access' });
    for (const app of apps) await dialog.getByLabel(app).check();
    await dialog.getByRole('button', { name: 'Save access' }).click();
    await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Access' }) }).locator('tbody tr')).toHaveCount(apps.length);
  }
  const expected = [...before, `mysql → ${first}`, `redis → ${first}`, `wordpress → ${second}`].sort();
  expect(await grantsOnReviewPage(page)).toEqual(expected);

  await page.goto('/models/prod/access?application=redis');
  await expect(page.locator('table.review tbody tr')).toHaveCount(before.filter((g) => g.startsWith('redis')).length + 1);
});

test("a read-only user's forged grant and reveal get 403 and change nothing", async ({ browser }) => {
  const writerContext = await browser.newContext();
  const writer = await writerContext.newPage();
  await login(writer, 'writer');
  const name = unique('guarded');
  const id = await quickSecret(writer, name);
  await writer.goto(`/models/prod/secrets/${id}`);
  const grantPath = await serverFnPath(writer, 'set_grants');
  await writerContext.close();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, 'admin');
  await admin.goto(`/models/prod/secrets/${id}`);
  await hydrated(admin);
  const revealCall = admin.waitForRequest((r) => r.url().includes('/api/reveal_secret'));
  await admin.getByRole('button', { name: 'Reveal' }).click();
  await admin.getByRole('dialog', { name: 'Reveal values' }).getByRole('button', { name: 'Reveal' }).click();
  const revealPath = new URL((await revealCall).url()).pathname;
  await adminContext.close();

  const context = await browser.newContext();
  const reader = await context.newPage();
  await login(reader, 'reader');
  const grant = await reader.request.post(grantPath, {
    form: { model: 'prod', id, 'applications[0]': 'mysql' },
    headers: { accept: 'application/json' },
  });
  expect(grant.status()).toBe(403);
  const reveal = await reader.request.post(revealPath, {
    form: { model: 'prod', id },
    headers: { accept: 'application/json' },
  });
  expect(reveal.status()).toBe(403);
  expect(await reveal.text()).not.toContain('abc');

  await reader.goto(`/models/prod/secrets/${id}`);
  await expect(reader.getByText('No application has been granted this secret.')).toBeVisible();
  await reader.goto('/models/prod/audit?action=secret-reveal');
  await expect(reader.getByRole('row', { name: /reader/ })).toContainText('denied');
  await context.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('access can still be granted', async ({ page }) => {
    await login(page, 'writer');
    const name = unique('nojs-grant');
    await page.goto('/models/prod/secrets?dialog=add');
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Key 1', { exact: true }).fill('token');
    await dialog.getByLabel('Value 1', { exact: true }).fill('plain');
    await dialog.getByRole('button', { name: 'Add secret' }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Grant access' }).click();
    await expect(page).toHaveURL(/dialog=grant/);
    const grant = page.locator('dialog[open]');
    await grant.getByLabel('redis').check();
    await grant.getByRole('button', { name: 'Save access' }).click();
    const access = page.locator('section', { has: page.getByRole('heading', { name: 'Access' }) });
    await expect(access.locator('tbody tr')).toHaveCount(1);
    await expect(access).toContainText('redis');
  });
});
