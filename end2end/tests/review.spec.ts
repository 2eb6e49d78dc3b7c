import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { hydrated, login, PASSWORD, unique } from './helpers';

/** A personal token for `user`, through the API's sign-in. */
async function apiToken(request: APIRequestContext, user: string): Promise<string> {
  const r = await request.post('/api/v1/login', { data: { username: user, password: PASSWORD } });
  expect(r.ok()).toBeTruthy();
  return (await r.json()).token;
}

/** A new application granted two new secrets; it reads the first. */
async function appReadingOneOfTwo(request: APIRequestContext) {
  const admin = { authorization: `Bearer ${await apiToken(request, 'admin')}` };
  const app = unique('rv');
  expect((await request.post('/api/v1/models/prod/applications', { headers: admin, data: { name: app } })).ok()).toBeTruthy();
  const token = await request.post(`/api/v1/models/prod/applications/${app}/tokens`, { headers: admin, data: { label: 'e2e' } });
  const appToken = (await token.json()).token;
  const ids: string[] = [];
  const names = [unique('used'), unique('unused')];
  for (const name of names) {
    const added = await request.post('/api/v1/models/prod/secrets', { headers: admin, data: { name, content: { password: 'one' } } });
    const id = (await added.json()).id;
    await request.post(`/api/v1/models/prod/secrets/${id}/grant`, { headers: admin, data: { applications: [app] } });
    ids.push(id);
  }
  const read = await request.get(`/api/v1/app/secrets/${ids[0]}`, { headers: { authorization: `Bearer ${appToken}` } });
  expect(read.ok()).toBeTruthy();
  return { app, names, ids, admin };
}

function row(page: Page, secret: string) {
  return page.locator('table.review tbody tr', { has: page.getByRole('link', { name: secret, exact: true }) });
}

async function serious(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the review shows usage, flags a behind reader, revokes in bulk and records a sign-off', async ({ page, request }) => {
  const { app, names, ids, admin } = await appReadingOneOfTwo(request);
  const [used, unused] = names;
  await login(page, 'admin');
  await page.goto(`/models/prod/access?application=${app}`);
  await expect(row(page, used)).toContainText('in use');
  await expect(row(page, used).locator('time').first()).toHaveText(/ago|just now/);
  await expect(row(page, unused)).toContainText('never read');
  await expect(row(page, unused)).toContainText('never');

  const update = await request.patch(`/api/v1/models/prod/secrets/${ids[0]}`, { headers: admin, data: { content: { password: 'two' } } });
  expect(update.ok()).toBeTruthy();
  await page.reload();
  await expect(row(page, used)).toContainText('behind');
  await expect(row(page, used)).toContainText('1 of 2 · behind by 1');
  expect(await serious(page)).toEqual([]);

  await hydrated(page);
  await row(page, unused).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Revoke selected…' }).click();
  const dialog = page.locator('dialog[open]');
  await expect(dialog).toContainText(`${app} — ${unused}`);
  await dialog.getByRole('button', { name: 'Revoke 1 grant' }).click();
  await expect(page).toHaveURL(/revoked=1/);
  await expect(row(page, unused)).toHaveCount(0);
  await expect(row(page, used)).toHaveCount(1);
  await page.goto('/models/prod/audit?action=secret-revoke');
  await expect(page.getByRole('row', { name: new RegExp(`revoked view from ${app}`) })).toHaveCount(1);

  await page.goto('/models/prod/access');
  await hydrated(page);
  const note = unique('reviewed');
  await page.getByLabel('Note (optional)').fill(note);
  await page.getByRole('button', { name: 'Sign off review' }).click();
  await expect(page.locator('.last-review')).toContainText('by admin');
  await expect(page.locator('.review-status')).toContainText(note);
  await expect(page.locator('.review-status')).toContainText('No grant has changed since.');
});

test('a reader sees the review but no revoke or sign-off control', async ({ page, request }) => {
  const { app, names } = await appReadingOneOfTwo(request);
  await login(page, 'reader');
  // The page's download: the filtered review as CSV, behind the dashboard's sign-in.
  const csv = await page.request.get(`/models/prod/access-review.csv?application=${app}&flag=never-read`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\n');
  expect(lines[0]).toBe('application,secret_id,secret_name,granted_by,granted_at,last_read_at,reads_30d,tracked_revision,latest_revision,flags');
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([`${app},${lines[1].split(',')[1]},${names[1]}`]);
  const bad = await page.request.get('/models/prod/access-review.csv?flag=unused');
  expect(bad.status()).toBe(422);
  expect((await bad.json()).message).toContain('never-read, stale, behind or no-token');
  await page.goto(`/models/prod/access?application=${app}`);
  await expect(row(page, names[1])).toContainText('never read');
  await expect(page.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Revoke/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign off review' })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: /Select/ })).toHaveCount(0);
});

test('the matrix is walked with the arrow keys and has a legend in words', async ({ page, request }) => {
  const { app, names } = await appReadingOneOfTwo(request);
  await login(page, 'admin');
  await page.goto(`/models/prod/access?view=matrix&application=${app}`);
  await hydrated(page);
  const legend = page.getByRole('list', { name: 'Legend' });
  await expect(legend).toContainText('never read');
  await expect(legend).toContainText('read recently');
  const first = page.locator('#cell-0-0');
  await first.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#cell-0-1')).toBeFocused();
  await expect(page.locator('#cell-0-1')).toHaveAttribute('tabindex', '0');
  await expect(first).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('Home');
  await expect(first).toBeFocused();
  const labels = [await first.getAttribute('aria-label'), await page.locator('#cell-0-1').getAttribute('aria-label')];
  expect(labels.sort()).toEqual([`${app} — ${names[0]}: read recently`, `${app} — ${names[1]}: never read`].sort());
  expect(await serious(page)).toEqual([]);
});
