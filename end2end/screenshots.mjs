// Takes the README's screenshots against a running, seeded server:
//   (cd end2end && bash start-server.sh 18099 &) ; node screenshots.mjs http://127.0.0.1:18099
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:18099';
const out = '../docs/screenshots';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ baseURL: base, viewport: { width: 1280, height: 760 } });
await page.goto('/login');
await page.getByLabel('User name').fill('writer');
await page.getByLabel('Password').fill('password-123');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL('**/models');

const add = async (name, description, values) => {
  await page.goto('/models/prod/secrets?dialog=add');
  const path = await page.locator('form[action^="/api/add_secret"]').first().getAttribute('action');
  const form = { model: 'prod', name, description };
  Object.entries(values).forEach(([k, v], i) => {
    form[`content[entries][${i}][key]`] = k;
    form[`content[entries][${i}][value]`] = v;
  });
  const r = await page.request.post(path, { form, headers: { accept: 'application/json' } });
  return JSON.parse(await r.text());
};
const grant = async (id, apps) => {
  await page.goto(`/models/prod/secrets/${id}`);
  const path = await page.locator('form[action^="/api/set_grants"]').first().getAttribute('action');
  const form = { model: 'prod', id };
  apps.forEach((a, i) => { form[`applications[${i}]`] = a; });
  await page.request.post(path, { form, headers: { accept: 'application/json' } });
};
const db = await add('billing-db', 'Primary PostgreSQL for billing', { username: 'billing', password: 'x' });
await add('stripe-api-key', 'Live key for payments', { 'api-key': 'sk_live' });
await add('smtp-relay', 'Outgoing mail', { host: 'smtp', password: 'y' });
const tls = await add('wildcard-tls', 'TLS certificate for *.example.com', { cert: 'pem', key: 'pem' });
await grant(db, ['mysql', 'wordpress']);
await grant(tls, ['redis', 'mysql']);
// Applications read some of what they hold, so the access review has usage to show.
const api = async (method, path, token, data) =>
  page.request.fetch(path, { method, data, headers: token ? { authorization: `Bearer ${token}` } : {} });
const adminToken = (await (await api('POST', '/api/v1/login', null, { username: 'admin', password: 'password-123' })).json()).token;
const appToken = async (app) =>
  (await (await api('POST', `/api/v1/models/prod/applications/${app}/tokens`, adminToken, { label: 'demo' })).json()).token;
const mysql = await appToken('mysql');
const wordpress = await appToken('wordpress');
for (const [token, id] of [[mysql, db], [wordpress, db], [mysql, tls], [wordpress, db]]) {
  await api('GET', `/api/v1/app/secrets/${id}`, token);
}
await page.goto(`/models/prod/secrets/${db}`);
const updatePath = await page.locator('form[action^="/api/update_secret"]').first().getAttribute('action');
await page.request.post(updatePath, {
  form: { model: 'prod', id: db, name: 'billing-db', description: 'Primary PostgreSQL for billing', 'content[entries][0][key]': 'password', 'content[entries][0][value]': 'rotated' },
  headers: { accept: 'application/json' },
});

await page.goto('/models/prod/secrets');
await page.screenshot({ path: `${out}/secrets-table.png`, fullPage: true });
await page.goto(`/models/prod/secrets/${db}?from=1&to=2`);
await page.screenshot({ path: `${out}/secret-page.png`, fullPage: true });
await api('POST', '/api/v1/models/prod/access-review/sign-off', adminToken, { note: 'Quarterly review: all grants still needed.' });
await grant(tls, ['redis', 'mysql', 'wordpress']);

const admin = await browser.newPage({ baseURL: base, viewport: { width: 1280, height: 760 } });
await admin.goto('/login');
await admin.getByLabel('User name').fill('admin');
await admin.getByLabel('Password').fill('password-123');
await admin.getByRole('button', { name: 'Sign in' }).click();
await admin.waitForURL('**/models');
await admin.goto('/models/prod/access');
await admin.screenshot({ path: `${out}/access-review.png`, fullPage: true });
await admin.goto('/models/prod/access?view=matrix');
await admin.screenshot({ path: `${out}/access-matrix.png`, fullPage: true });
await admin.goto('/models/prod');
await admin.screenshot({ path: `${out}/model-overview.png`, fullPage: true });
await browser.close();
