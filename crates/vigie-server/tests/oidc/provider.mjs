// A real OpenID Connect provider (oidc-provider) for vigie-server's login test.
//
// Listens on 127.0.0.1 on a random port and prints `listening <issuer>` once ready. One
// client (code flow, PKCE required, client_secret_basic) from CLIENT_ID, CLIENT_SECRET and
// REDIRECT_URI. Login and consent are approved at once, as the current user: the test sets
// it, with its groups, by POSTing JSON to /_test/user ({"sub", "name", "groups"}). POST
// /_test/tamper-nonce makes the next authorization request carry another nonce than the
// one vigie sent (an ID token vigie must refuse).
import http from 'node:http';
import Provider from 'oidc-provider';

const { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;
const users = new Map();
let current = null;
let tamperNonce = false;
let provider = null;

const body = (req) =>
  new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === 'login') {
    result = { login: { accountId: current } };
  } else {
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/_test/user') {
      const u = JSON.parse(await body(req));
      users.set(u.sub, u);
      current = u.sub;
      res.end('ok');
    } else if (req.method === 'POST' && url.pathname === '/_test/tamper-nonce') {
      tamperNonce = true;
      res.end('ok');
    } else if (/^\/interaction\/[^/]+$/.test(url.pathname)) {
      await interaction(req, res);
    } else {
      provider.callback()(req, res);
    }
  } catch (e) {
    console.error(e);
    res.statusCode = 500;
    res.end(String(e));
  }
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    cookies: { keys: ['vigie test provider cookie key'] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, i) => `/interaction/${i.uid}` },
    async findAccount(ctx, sub) {
      const u = users.get(sub);
      if (!u) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, preferred_username: u.name, groups: u.groups };
        },
      };
    },
  });
  provider.use(async (ctx, next) => {
    if (tamperNonce && ctx.path === '/auth' && ctx.query.nonce) {
      tamperNonce = false;
      ctx.query = { ...ctx.query, nonce: 'not-the-nonce-vigie-sent' };
    }
    await next();
  });
  console.log(`listening ${issuer}`);
});
