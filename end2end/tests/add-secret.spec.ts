import { test, expect } from '@playwright/test';
import { hydrated, login, unique } from './helpers';

test('a writer adds a secret with a plain, a base64 and a file value', async ({ page }) => {
  await login(page, 'writer');
  await page.goto('/models/prod/secrets');
  await hydrated(page);
  await page.getByRole('button', { name: 'Add secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add secret' });
  await expect(dialog).toBeVisible();
  const name = unique('db');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Description').fill('primary database');
  await dialog.getByLabel('Key 1', { exact: true }).fill('password');
  await dialog.getByLabel('Value 1', { exact: true }).fill('s3cret');
  await dialog.getByLabel('Key 2', { exact: true }).fill('token');
  await dialog.getByLabel('Value 2', { exact: true }).fill('aGVsbG8=');
  await dialog.getByLabel('Value 2 is base64').check();
  await dialog.getByLabel('Key 3', { exact: true }).fill('cert');
  await dialog.getByLabel('Value 3 from a file').setInputFiles({
    name: 'cert.pem',
    mimeType: 'text/plain',
    buffer: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'),
  });
  await expect(dialog.getByLabel('Value 3', { exact: true })).toHaveValue(/^LS0tLS1CRUdJTi/);
  await dialog.getByRole('button', { name: 'Add secret' }).click();

  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByText('primary database')).toBeVisible();
  await expect(page.locator('table.audit')).toContainText('keys: cert, password, token');
  await page.goto('/models/prod/secrets');
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('primary database');
});

test('bad input gets the server message next to the field', async ({ page }) => {
  await login(page, 'writer');
  await page.goto('/models/prod/secrets');
  await hydrated(page);
  const existing = unique('taken');
  const open = async () => {
    await page.getByRole('button', { name: 'Add secret' }).click();
    return page.getByRole('dialog', { name: 'Add secret' });
  };
  const submit = async (dialog: ReturnType<typeof page.getByRole>) => {
    await dialog.getByRole('button', { name: 'Add secret' }).click();
  };

  let dialog = await open();
  await dialog.getByLabel('Name').fill(existing);
  await dialog.getByLabel('Key 1', { exact: true }).fill('token');
  await dialog.getByLabel('Value 1', { exact: true }).fill('x');
  await submit(dialog);
  await expect(page.getByRole('heading', { name: existing })).toBeVisible();

  await page.goto('/models/prod/secrets');
  await hydrated(page);
  dialog = await open();
  await dialog.getByLabel('Name').fill(unique('bad-key'));
  await dialog.getByLabel('Key 1', { exact: true }).fill('Bad_Key');
  await dialog.getByLabel('Value 1', { exact: true }).fill('x');
  await submit(dialog);
  await expect(dialog.locator('.field-error')).toHaveText('key "Bad_Key" not valid');

  await dialog.getByLabel('Key 1', { exact: true }).fill('token');
  await dialog.getByLabel('Name').fill(existing);
  await submit(dialog);
  await expect(dialog.locator('.field-error')).toHaveText(`secret with name "${existing}" already exists`);

  await dialog.getByLabel('Name').fill(unique('b64'));
  await dialog.getByLabel('Value 1', { exact: true }).fill('not base64!');
  await dialog.getByLabel('Value 1 is base64').check();
  await submit(dialog);
  await expect(dialog.locator('.field-error')).toHaveText('value for key "token" is not valid base64');

  await dialog.getByLabel('Value 1 is base64').uncheck();
  await dialog.getByLabel('Value 1', { exact: true }).fill('x'.repeat(750_001));
  await submit(dialog);
  await expect(dialog.locator('.field-error')).toHaveText(
    'base64 encoded secret content for key "token" too large: 1000004 bytes',
  );
});
