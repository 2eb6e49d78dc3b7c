import { test, expect, type Page } from '@playwright/test';
import { hydrated, login, unique } from './helpers';

/** The page chunks (one per lazy route) the browser has fetched so far. */
function chunksFetched(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (r) => {
    const m = r.url().match(/\/split___(\w+?)_route_view_\d+\.wasm$/);
    if (m) fetched.push(m[1]);
  });
  return fetched;
}

test('the sign-in page and the secrets table fetch no admin page code, which comes when visited', async ({ page }) => {
  const chunks = chunksFetched(page);
  await page.goto('/login');
  await hydrated(page);
  expect(chunks).toEqual([]);

  await login(page, 'root');
  await page.goto('/models/prod/secrets');
  await hydrated(page);
  expect(chunks).toContain('secrets');
  expect(chunks).not.toContain('users');
  expect(chunks).not.toContain('applications');

  // A client-side navigation fetches the users page's chunk, and the page works.
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  expect(chunks).toContain('users');
  const name = unique('lazy');
  await page.getByLabel('User name', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill('password-123');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
});
