// A real OpenID provider for Strongbox's tests, offline: panva's certified `oidc-provider`
// with its development sign-in pages (any login name, any password), one confidential client,
// PKCE required. Prints `listening URL` on stdout once it answers.
//
// Environment:
//   OIDC_PORT           port on 127.0.0.1 (0: any free one)
//   OIDC_HOST           the host name in the issuer URL (127.0.0.1 unless set): `localhost`
//                       puts the provider's cookies apart from a Strongbox on 127.0.0.1, as a
//                       provider on a host of its own has them (cookies ignore the port)
//   OIDC_CLIENT_ID      the client Strongbox is, and OIDC_CLIENT_SECRET its secret
//   OIDC_REDIRECT_URIS  the redirect URIs registered for it, comma-separated
//   OIDC_ACCOUNTS       a JSON file {"login": {"groups": [...], ...claims}}, read at every
//                       sign-in, so a test can change a person's groups between sign-ins
//   OIDC_GROUPS_IN_ID_TOKEN  "1": claims also in the ID token; otherwise (the provider's
//                       default) scope claims such as groups come from userinfo only
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    console.error(`provider.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
};

const port = Number(env('OIDC_PORT', '0'));
const accountsFile = env('OIDC_ACCOUNTS', '');

function accountClaims(login) {
  let accounts = {};
  if (accountsFile) {
    accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
  }
  return { sub: login, preferred_username: login, ...(accounts[login] ?? {}) };
}

const configuration = {
  clients: [
    {
      client_id: env('OIDC_CLIENT_ID'),
      client_secret: env('OIDC_CLIENT_SECRET'),
      redirect_uris: env('OIDC_REDIRECT_URIS').split(','),
      post_logout_redirect_uris: env('OIDC_REDIRECT_URIS')
        .split(',')
        .map((u) => new URL('/login', u).href),
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'name'],
    email: ['email'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  conformIdTokenClaims: process.env.OIDC_GROUPS_IN_ID_TOKEN !== '1',
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return accountClaims(id);
      },
    };
  },
};

// The issuer must be known before listening: take a free port first when asked for any.
import { createServer } from 'node:net';
async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
}

const chosen = port || (await freePort());
const issuer = `http://${process.env.OIDC_HOST ?? '127.0.0.1'}:${chosen}`;
const provider = new Provider(issuer, configuration);
provider.on('server_error', (_ctx, err) => console.error('provider server_error', err));
provider.listen(chosen, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
