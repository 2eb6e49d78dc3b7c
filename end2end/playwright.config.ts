import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 18090);

// One project per database, as the server runs on either: SQLite always, PostgreSQL when
// E2E_POSTGRES_URL names a server to make a fresh database on (scripts/test.sh does).
const databases = [
  { name: 'sqlite', port, env: {} },
  ...(process.env.E2E_POSTGRES_URL ? [{ name: 'postgres', port: port + 1, env: { E2E_DATABASE: 'postgres' } }] : []),
];

export default defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  projects: databases.map((d) => ({ name: d.name, use: { baseURL: `http://127.0.0.1:${d.port}` } })),
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: databases.map((d) => ({
    command: `bash ./start-server.sh ${d.port}`,
    url: `http://127.0.0.1:${d.port}/healthz`,
    env: { ...(process.env as Record<string, string>), ...d.env },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
  })),
});
