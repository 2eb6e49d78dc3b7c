import { test, expect } from '@playwright/test';
import { login, hydrated } from './helpers';

test('an admin sets an application webhook, sees its secret once, and removes it', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/models/prod/applications');
  await hydrated(page);
  const app = `hook${Date.now().toString(36).replace(/[0-9]/g, '')}`;
  await page.getByLabel('Application name').fill(app);
  await page.getByRole('button', { name: 'Add application' }).click();
  await expect(page.getByRole('row', { name: new RegExp(app) })).toContainText('none');
  // The webhook is set on the application's own page.
  await page.getByRole('link', { name: app, exact: true }).click();
  await hydrated(page);
  const row = page.getByRole('row', { name: new RegExp(app) });
  await expect(row).toContainText('none');

  await row.getByLabel(`Webhook URL for ${app}`).fill('https://hooks.example/strongbox');
  await row.getByRole('button', { name: 'Set webhook' }).click();
  const shown = page.locator('section.token code.value');
  await expect(shown).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await expect(row).toContainText('https://hooks.example/strongbox');
  await expect(row).toContainText('nothing to deliver yet');

  await page.reload();
  await expect(page.locator('body')).not.toContainText('whsec_');

  await hydrated(page);
  await row.getByLabel(`Webhook URL for ${app}`).fill('http://127.0.0.1:9/');
  await row.getByRole('button', { name: 'Set webhook' }).click();
  await expect(page.getByRole('alert')).toContainText('loopback');
  await expect(row).toContainText('https://hooks.example/strongbox');

  await page.getByRole('button', { name: `Remove webhook of ${app}` }).click();
  await expect(row).not.toContainText('hooks.example');
  await expect(row).toContainText('none');
});

test('an admin enables a webhook that failed until it was disabled', async ({ page }) => {
  // relay's webhook is seeded disabled after 8 failures (start-server.sh).
  await login(page, 'admin');
  await page.goto('/models/prod/applications');
  await expect(page.getByRole('row', { name: /relay/ })).toContainText('disabled');
  await page.goto('/models/prod/applications/relay');
  await hydrated(page);
  const row = page.getByRole('row', { name: /relay/ });
  await expect(row).toContainText('disabled after 8 failures');
  await expect(row).toContainText('Last error: http 503');
  await page.getByRole('button', { name: 'Enable of relay' }).click();
  await expect(row).toContainText('nothing to deliver yet');
  await expect(row).not.toContainText('disabled');
  await expect(row).not.toContainText('Last error');
  await expect(page.getByRole('button', { name: 'Enable of relay' })).toHaveCount(0);

  await page.reload();
  await expect(row).toContainText('https://hooks.example/relay');
  await expect(row).not.toContainText('disabled');
});
