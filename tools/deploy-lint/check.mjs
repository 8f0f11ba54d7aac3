// Structural checks of compose.yaml, the Dockerfile, .dockerignore and deploy/nginx/nginx.conf
// that the generic linters cannot know about. Run by scripts/check-deploy.sh:
//
//   node tools/deploy-lint/check.mjs ROOT
//
// Prints one line per assertion, tab-separated: `PASS<TAB>what` or `FAIL<TAB>what<TAB>why`,
// then `PUBLISH<TAB>args` with the Dockerfile's `dotnet publish` arguments (for step d).
// Exit code is 0; the caller counts the lines.
//
//   node tools/deploy-lint/check.mjs ROOT --assemble DIR
//
// Instead of the checks: copies into DIR exactly what the build stage's COPY lines take from the
// build context (ROOT minus .dockerignore), as the image's WORKDIR would hold it, then prints
// `RUN<TAB>folder<TAB>command` for each RUN of that stage and `ARTIFACT<TAB>image path<TAB>path in
// DIR` (what the runtime stage copies from it), so scripts/check-deploy.sh can run the same commands in DIR.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import ignore from '@balena/dockerignore';

const root = path.resolve(process.argv[2] ?? '.');
const read = (rel) => readFileSync(path.join(root, rel), 'utf8');
const assembleInto = process.argv[3] === '--assemble' ? path.resolve(process.argv[4] ?? '') : null;

function check(what, fn) {
  if (assembleInto) return;
  try {
    const why = fn();
    if (why === true || why === undefined) {
      console.log(`PASS\t${what}`);
    } else {
      console.log(`FAIL\t${what}\t${why || 'assertion failed'}`);
    }
  } catch (err) {
    console.log(`FAIL\t${what}\t${String(err?.message ?? err).split('\n')[0]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// compose.yaml
// ---------------------------------------------------------------------------------------------
let compose = {};
check('compose.yaml parses as YAML (merge keys resolved)', () => {
  compose = parse(read('compose.yaml'), { merge: true }) ?? {};
  return typeof compose.services === 'object' || 'no services';
});
const services = compose.services ?? {};
const svc = (name) => services[name] ?? {};
const deps = (name) => svc(name).depends_on ?? {};
const testOf = (name) => {
  const t = svc(name).healthcheck?.test;
  return Array.isArray(t) ? t.join(' ') : String(t ?? '');
};
const profilesOf = (name) => svc(name).profiles ?? [];

for (const name of ['postgres', 'migrate', 'api']) {
  check(`compose: service ${name} exists and is in the default set (no profile)`, () =>
    !(name in services) ? 'missing' : profilesOf(name).length === 0 || `has profiles ${profilesOf(name)}`);
}

check('compose: api depends_on migrate: service_completed_successfully', () =>
  deps('api').migrate?.condition === 'service_completed_successfully' || JSON.stringify(deps('api').migrate));
check('compose: api depends_on postgres: service_healthy', () =>
  deps('api').postgres?.condition === 'service_healthy' || JSON.stringify(deps('api').postgres));
check('compose: migrate depends_on postgres: service_healthy', () =>
  deps('migrate').postgres?.condition === 'service_healthy' || JSON.stringify(deps('migrate').postgres));
check('compose: migrate runs `migrate up` once (restart "no") from the api image', () => {
  const m = svc('migrate');
  if (JSON.stringify(m.command) !== JSON.stringify(['migrate', 'up'])) return `command ${JSON.stringify(m.command)}`;
  if (m.restart !== 'no') return `restart ${m.restart}`;
  if (!m.image || m.image !== svc('api').image) return `image ${m.image} != api image ${svc('api').image}`;
  return true;
});
check('compose: postgres healthcheck uses pg_isready', () => /pg_isready/.test(testOf('postgres')) || testOf('postgres'));
check('compose: api healthcheck runs the `healthcheck` subcommand (exec form)', () => {
  const t = svc('api').healthcheck?.test;
  return (Array.isArray(t) && t[0] === 'CMD' && t[1] === '/app/Lobby.Api' && t.includes('healthcheck'))
    || JSON.stringify(t);
});
check('compose: postgres data is on a named volume declared under volumes:', () => {
  const named = (svc('postgres').volumes ?? [])
    .map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source))
    .filter((src) => src && !src.startsWith('.') && !src.startsWith('/') && !src.startsWith('~'));
  if (named.length === 0) return 'no named volume';
  const missing = named.filter((n) => !(compose.volumes && n in compose.volumes));
  return missing.length === 0 || `not declared: ${missing}`;
});
check('compose: POSTGRES_PASSWORD is required (${POSTGRES_PASSWORD:?...}), never defaulted', () => {
  const text = read('compose.yaml');
  const uses = [...text.matchAll(/\$\{POSTGRES_PASSWORD([^}]*)\}/g)].map((m) => m[1]);
  if (uses.length === 0) return 'not used';
  const bad = uses.filter((u) => !u.startsWith(':?'));
  return bad.length === 0 || `used with ${bad.join(', ')}`;
});
check('compose: the database password reaches containers only as a secret file, never in their environment', () => {
  const problems = [];
  if (compose.secrets?.postgres_password?.environment !== 'POSTGRES_PASSWORD') problems.push('no secret postgres_password from POSTGRES_PASSWORD');
  for (const [name, s] of Object.entries(services)) {
    const env = JSON.stringify(s.environment ?? {});
    if (/POSTGRES_PASSWORD"|Password=|:[^@/]*\$\{POSTGRES_PASSWORD/.test(env) || env.includes('${POSTGRES_PASSWORD')) problems.push(`${name} has it in its environment`);
  }
  const readers = Object.entries(services).filter(([, s]) => s.environment?.DATABASE_URL !== undefined || s.environment?.POSTGRES_PASSWORD_FILE !== undefined);
  for (const [name, s] of readers) {
    const file = s.environment.DATABASE_PASSWORD_FILE ?? s.environment.POSTGRES_PASSWORD_FILE;
    const mounted = (s.secrets ?? []).some((x) => (typeof x === 'string' ? x : x.source) === 'postgres_password');
    if (file !== '/run/secrets/postgres_password' || !mounted) problems.push(`${name}: file ${file}, secret mounted: ${mounted}`);
  }
  return problems.length === 0 || problems.join('; ');
});
check('compose: api runs read-only with a tmpfs on /tmp', () => {
  const a = svc('api');
  const tmpfs = [].concat(a.tmpfs ?? []).map(String);
  return (a.read_only === true && tmpfs.some((t) => t === '/tmp' || t.startsWith('/tmp:'))) || `read_only=${a.read_only} tmpfs=${tmpfs}`;
});
check('compose: api DATABASE_URL points at the postgres service', () =>
  /(Host=postgres[;:]|@postgres[:/])/.test(String(svc('api').environment?.DATABASE_URL ?? '')) || String(svc('api').environment?.DATABASE_URL));
check('compose: serving containers leave migrations to the migrate service (MIGRATE_ON_STARTUP=false)', () => {
  const bad = Object.entries(services)
    .filter(([, s]) => s.image && s.image === svc('api').image && s.command === undefined)
    .filter(([, s]) => String(s.environment?.MIGRATE_ON_STARTUP) !== 'false')
    .map(([n]) => n);
  return bad.length === 0 || `not false in ${bad}`;
});
for (const name of ['redis', 'nginx']) {
  check(`compose: ${name} exists, only in profile scale`, () =>
    !(name in services) ? 'missing' : JSON.stringify(profilesOf(name)) === '["scale"]' || JSON.stringify(profilesOf(name)));
}
check('compose: every scale-profile Lobby container gets REDIS_URL', () => {
  const lobby = Object.entries(services).filter(([, s]) => s.image === svc('api').image && (s.profiles ?? []).includes('scale'));
  if (lobby.length === 0) return 'no Lobby service in profile scale';
  const bad = lobby.filter(([, s]) => !s.environment?.REDIS_URL).map(([n]) => n);
  return bad.length === 0 || `missing in ${bad}`;
});
check('compose: redis and nginx have healthchecks', () => {
  const bad = ['redis', 'nginx'].filter((n) => !svc(n).healthcheck?.test);
  return bad.length === 0 || `missing: ${bad}`;
});

// Host ports: what each service publishes, with ${VAR:-default} resolved to its default.
const resolveVars = (s) => String(s).replace(/\$\{([A-Z0-9_]+)(?::?[-?]([^}]*))?\}/g, (_, _n, d) => d ?? '');
function published(name) {
  return (svc(name).ports ?? []).map((p) => {
    if (typeof p === 'object') return p.published === undefined ? null : resolveVars(p.published);
    const parts = resolveVars(p).split(':');
    return parts.length >= 2 ? parts[parts.length - 2] : null; // "host:container" or "ip:host:container"
  }).filter((p) => p !== null && p !== '');
}
const replicas = (name) => Number(resolveVars(svc(name).deploy?.replicas ?? 1));
check('compose: no replicated service publishes a fixed host port', () => {
  const bad = Object.keys(services).filter((n) => {
    const s = svc(n);
    const scaled = s.deploy?.replicas !== undefined && !(String(s.deploy.replicas) === '1');
    return scaled && published(n).length > 0;
  });
  return bad.length === 0 || `replicated and published: ${bad}`;
});
for (const active of [[], ['scale']]) {
  check(`compose: published host ports are distinct with profiles [${active}]`, () => {
    const running = Object.keys(services).filter((n) => profilesOf(n).length === 0 || profilesOf(n).some((p) => active.includes(p)));
    const seen = new Map();
    for (const n of running) {
      for (const port of published(n)) {
        if (seen.has(port)) return `host port ${port} used by ${seen.get(port)} and ${n}`;
        seen.set(port, n);
      }
    }
    return seen.size > 0 || 'nothing published';
  });
}
check('compose: replica count comes from ${LOBBY_REPLICAS:-N}', () =>
  Object.keys(services).some((n) => /\$\{LOBBY_REPLICAS:-\d+\}/.test(String(svc(n).deploy?.replicas ?? ''))) || 'no service uses it');

// The settings the app reads, from the source of its settings classes.
const appSettings = new Set();
const configDir = path.join(root, 'src/Lobby.Api/Config');
if (existsSync(configDir)) {
  for (const f of readdirSync(configDir).filter((n) => n.endsWith('.cs'))) {
    const text = readFileSync(path.join(configDir, f), 'utf8');
    for (const m of text.matchAll(/(?:configuration\[|\b(?:Int|Bool|Text|Origins|GetEnvironmentVariable)\()\s*"([A-Z][A-Z0-9_]+)"/g)) appSettings.add(m[1]);
  }
}
const composeText = read('compose.yaml').replace(/(^|\s)#.*$/gm, '$1'); // without comments
check('compose: every setting the app reads (src/Lobby.Api/Config) is passed to the api containers', () => {
  if (appSettings.size === 0) return 'found no settings in src/Lobby.Api/Config';
  const env = svc('api').environment ?? {};
  const missing = [...appSettings].filter((k) => !(k in env));
  return missing.length === 0 || `not in api's environment: ${missing.join(', ')} (add to x-lobby-serve-environment)`;
});
check('compose: every ${VAR} it reads is an app setting or documented in .env.example', () => {
  const documented = new Set();
  for (const f of ['.env.example']) {
    if (!existsSync(path.join(root, f))) continue;
    for (const m of read(f).matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)) documented.add(m[1]);
  }
  const used = new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
  const missing = [...used].filter((v) => !documented.has(v) && !appSettings.has(v) && !/^ASPNETCORE_|^DOTNET_/.test(v));
  return missing.length === 0 || `undocumented: ${missing.join(', ')}`;
});
check('compose: api mounts the folder JWT_SIGNING_KEYS points into', () => {
  const keys = resolveVars(svc('api').environment?.JWT_SIGNING_KEYS ?? '');
  if (!keys) return 'JWT_SIGNING_KEYS not set';
  const targets = (svc('api').volumes ?? []).map((v) => (typeof v === 'string' ? resolveVars(v).split(':')[1] : v.target)).filter(Boolean);
  const bad = keys.split(',').map((k) => k.trim()).filter((k) => !targets.some((t) => k.startsWith(`${t.replace(/\/$/, '')}/`)));
  return bad.length === 0 || `not under a mounted folder: ${bad}`;
});

// ---------------------------------------------------------------------------------------------
// nginx.conf (mounted by the nginx service)
// ---------------------------------------------------------------------------------------------
const nginxMount = (svc('nginx').volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source)).find((s) => /nginx\.conf$/.test(s ?? ''));
check('nginx: compose mounts a committed nginx.conf', () =>
  (nginxMount && existsSync(path.join(root, nginxMount))) || `mount ${nginxMount}`);
const nginxConf = nginxMount && existsSync(path.join(root, nginxMount)) ? readFileSync(path.join(root, nginxMount), 'utf8').replace(/#[^\n]*/g, '') : '';
check('nginx: upstream servers are compose services on the app port', () => {
  const servers = [...nginxConf.matchAll(/^\s*server\s+([a-z0-9-]+):(\d+)/gm)];
  if (servers.length === 0) return 'no upstream server';
  const bad = servers.filter(([, host, port]) => !(host in services) || port !== '8080').map((m) => `${m[1]}:${m[2]}`);
  return bad.length === 0 || `unknown: ${bad}`;
});
check('nginx: upstream names are re-resolved through Docker DNS (resolver 127.0.0.11 + resolve)', () =>
  (/resolver\s+127\.0\.0\.11/.test(nginxConf) && /server\s+[a-z0-9-]+:\d+[^;]*\bresolve\b/.test(nginxConf)) || 'missing');
// Split into location blocks (they do not nest in this file).
const locations = [...nginxConf.matchAll(/location\s+([^{]+)\{([^}]*)\}/g)].map((m) => ({ path: m[1].trim(), body: m[2] }));
check('nginx: /api/v1/realtime proxies WebSockets (Upgrade/Connection, long read timeout)', () => {
  const rt = locations.find((l) => l.path.includes('/api/v1/realtime'));
  if (!rt) return 'no location';
  if (!/proxy_set_header\s+Upgrade\s+\$http_upgrade/.test(rt.body)) return 'no Upgrade header';
  if (!/proxy_set_header\s+Connection\s+\$connection_upgrade/.test(rt.body)) return 'no Connection header';
  const m = rt.body.match(/proxy_read_timeout\s+(\d+)([smhd]?)/);
  const secs = m ? Number(m[1]) * ({ s: 1, '': 1, m: 60, h: 3600, d: 86400 })[m[2]] : 0;
  return secs >= 300 || `proxy_read_timeout ${m?.[0] ?? 'default 60s'}`;
});
check('nginx: every proxied location sets X-Request-ID and X-Forwarded-For/Proto (no inheritance gap)', () => {
  const proxied = locations.filter((l) => /proxy_pass/.test(l.body));
  if (proxied.length === 0) return 'no proxied location';
  const bad = proxied.filter((l) => !['X-Request-ID', 'X-Forwarded-For', 'X-Forwarded-Proto', 'Host']
    .every((h) => new RegExp(`proxy_set_header\\s+${h}\\s`).test(l.body))).map((l) => l.path);
  return bad.length === 0 || `missing in ${bad}`;
});
check('nginx: no upstream pins clients by address (hub connections spread over the replicas)', () =>
  !/\bhash\s+\$remote_addr/.test(nginxConf) || 'hash $remote_addr');
check('nginx: believes X-Forwarded-For only from front-proxies.conf, which compose mounts', () => {
  if (!/include\s+\/etc\/nginx\/front-proxies\.conf;/.test(nginxConf) || !/real_ip_header\s+X-Forwarded-For;/.test(nginxConf)) return 'no real_ip from front-proxies.conf';
  const mounted = (svc('nginx').volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`))
    .some((v) => /front-proxies\.conf:\/etc\/nginx\/front-proxies\.conf/.test(v));
  return (mounted && existsSync(path.join(root, 'deploy/nginx/front-proxies.conf'))) || 'front-proxies.conf not mounted';
});
check('compose: api-replica trusts nginx whatever TRUSTED_PROXIES says', () => {
  const trusted = String(svc('api-replica').environment?.TRUSTED_PROXIES ?? '');
  return (trusted.length > 0 && !trusted.includes('${')) || `TRUSTED_PROXIES: ${trusted}`;
});
check('nginx: client_max_body_size is set', () => /client_max_body_size\s+\S+;/.test(nginxConf) || 'missing');
check('nginx: listens on the port compose publishes', () => {
  const listen = nginxConf.match(/listen\s+(\d+)/)?.[1];
  const targets = (svc('nginx').ports ?? []).map((p) => String(typeof p === 'object' ? p.target : String(p).split(':').pop()));
  return (listen && targets.includes(listen)) || `listen ${listen}, compose targets ${targets}`;
});

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------
function instructions(text) {
  const out = [];
  let buf = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!buf && (/^\s*#/.test(line) || /^\s*$/.test(line))) continue;
    if (buf && /^\s*#/.test(line)) continue; // comment lines inside a continuation
    if (/\\\s*$/.test(line)) { buf += line.replace(/\\\s*$/, ' '); continue; }
    buf += line;
    const m = buf.trim().match(/^(\S+)\s*(.*)$/s);
    out.push({ op: m[1].toUpperCase(), args: m[2].trim() });
    buf = '';
  }
  return out;
}
const dockerfile = instructions(read('Dockerfile'));
const stages = [];
for (const ins of dockerfile) {
  if (ins.op === 'FROM') stages.push({ from: ins.args, body: [] });
  else if (stages.length) stages.at(-1).body.push(ins);
}
const final = stages.at(-1) ?? { from: '', body: [] };
const finalImage = final.from.split(/\s+/).find((w) => !w.startsWith('--')) ?? '';
const chiseled = /chiseled/.test(finalImage);
const inFinal = (op) => final.body.filter((i) => i.op === op);
const json = (s) => { try { return JSON.parse(s); } catch { return null; } };

check('Dockerfile: multi-stage, runtime on mcr.microsoft.com/dotnet/runtime-deps:10.0* (a native executable needs no .NET runtime)', () =>
  (stages.length >= 2 && /^mcr\.microsoft\.com\/dotnet\/runtime-deps:10\.0/.test(finalImage)) || `final FROM ${finalImage}`);
check('Dockerfile: runtime runs as a non-root USER (or on a chiseled, non-root base)', () => {
  const users = inFinal('USER');
  const last = users.at(-1)?.args.split(':')[0];
  if (last !== undefined) return !['root', '0'].includes(last) || `USER ${last}`;
  return chiseled || 'no USER in the final stage';
});
check('Dockerfile: HEALTHCHECK runs the `healthcheck` subcommand (exec form)', () => {
  const hc = inFinal('HEALTHCHECK').at(-1)?.args ?? '';
  const cmd = hc.match(/CMD\s+(\[.*\])\s*$/s)?.[1];
  const arr = cmd && json(cmd);
  if (!arr) return chiseled ? `not exec form (chiseled has no shell): ${hc}` : `no exec-form CMD: ${hc}`;
  return (arr[0] === '/app/Lobby.Api' && arr.includes('healthcheck')) || cmd;
});
check('Dockerfile: ENTRYPOINT is exec form ["/app/Lobby.Api"] so subcommands pass through', () => {
  const ep = json(inFinal('ENTRYPOINT').at(-1)?.args ?? '');
  return (Array.isArray(ep) && ep.length === 1 && ep[0] === '/app/Lobby.Api' && !inFinal('CMD').length) || JSON.stringify(ep);
});
check('Dockerfile: EXPOSE 8080 and ASPNETCORE_URLS on :8080', () => {
  const env = inFinal('ENV').map((i) => i.args).join(' ');
  return (inFinal('EXPOSE').some((i) => /\b8080\b/.test(i.args)) && /ASPNETCORE_URLS=\S*:8080/.test(env)) || 'missing';
});
check('Dockerfile: read-only friendly (DOTNET_EnableDiagnostics=0 or TMPDIR set)', () =>
  /DOTNET_EnableDiagnostics=0|TMPDIR=/.test(inFinal('ENV').map((i) => i.args).join(' ')) || 'missing');

const build = stages.find((s) => s.body.some((i) => i.op === 'RUN' && /dotnet publish/.test(i.args))) ?? { body: [] };
check('Dockerfile: restore runs in its own layer with only project/props files copied before it', () => {
  const idx = build.body.findIndex((i) => i.op === 'RUN' && /dotnet restore/.test(i.args));
  if (idx < 0) return 'no dotnet restore';
  const before = build.body.slice(0, idx).filter((i) => i.op === 'COPY');
  const bad = before.flatMap((c) => c.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1))
    .filter((src) => !/(\.csproj|\.props|global\.json|\.slnx?|nuget\.config)$/i.test(src));
  return bad.length === 0 || `copied before restore: ${bad}`;
});

let dockerignore = null;
check('.dockerignore: exists and leaves out .git, .env, bin/obj, node_modules, .data, artifacts', () => {
  dockerignore = ignore({ ignorecase: false }).add(read('.dockerignore'));
  const must = ['.git/HEAD', '.env', 'src/Lobby.Api/bin/x.dll', 'src/Lobby.Api/obj/project.assets.json',
    'web/node_modules/x/index.js', '.data/pg/PG_VERSION', 'artifacts/x'];
  const kept = must.filter((p) => !dockerignore.ignores(p));
  return kept.length === 0 || `not excluded: ${kept}`;
});
check('Dockerfile: every COPY source exists and is in the build context (not excluded by .dockerignore)', () => {
  if (!dockerignore) return '.dockerignore unreadable';
  const problems = [];
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (statSync(abs).isDirectory()) {
      for (const e of readdirSync(abs)) if (!['bin', 'obj'].includes(e)) walk(path.posix.join(rel, e));
    } else if (dockerignore.ignores(rel)) {
      problems.push(`${rel} excluded`);
    }
  };
  for (const stage of stages) {
    for (const c of stage.body.filter((i) => i.op === 'COPY' && !/--from=/.test(i.args))) {
      const srcs = c.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1);
      for (const src of srcs) {
        const rel = src.replace(/\/$/, '');
        if (!existsSync(path.join(root, rel))) problems.push(`${src} missing`);
        else walk(rel);
      }
    }
  }
  return problems.length === 0 || problems.slice(0, 5).join('; ');
});
check('Dockerfile: migrations/ is copied before publish (they are embedded)', () => {
  const idx = build.body.findIndex((i) => i.op === 'RUN' && /dotnet publish/.test(i.args));
  return build.body.slice(0, idx).some((i) => i.op === 'COPY' && /(^|\s)migrations\/?(\s|$)/.test(i.args)) || 'not copied';
});

const publish = build.body.find((i) => i.op === 'RUN' && /dotnet publish/.test(i.args))?.args;
check('Dockerfile: publishes src/Lobby.Api in Release', () =>
  (publish && /src\/Lobby\.Api/.test(publish) && /(-c|--configuration)\s+Release/.test(publish)) || publish);
check('Dockerfile: the runtime stage takes the publish output of the build stage', () =>
  final.body.some((i) => i.op === 'COPY' && /--from=build\b/.test(i.args) && /\/app\/publish/.test(i.args)) || 'no COPY --from=build /app/publish');
if (publish && !assembleInto) console.log(`PUBLISH\t${publish.replace(/^.*?dotnet publish\s+/, '')}`);

// ---------------------------------------------------------------------------------------------
// --assemble: the build stage's file system, without an engine
// ---------------------------------------------------------------------------------------------
if (assembleInto) {
  const context = ignore({ ignorecase: false }).add(read('.dockerignore'));
  let workdir = '/';
  // Docker's COPY: a directory source copies its contents into the destination, a file source
  // lands in the destination folder (trailing /) or becomes the destination. Relative
  // destinations are under WORKDIR. Files .dockerignore excludes are not in the context at all.
  const copyInto = (rel, dest) => {
    const abs = path.join(root, rel);
    if (statSync(abs).isDirectory()) {
      for (const e of readdirSync(abs)) {
        const child = rel === '.' ? e : path.posix.join(rel, e);
        if (!context.ignores(child) && !context.ignores(`${child}/`)) copyInto(child, path.join(dest, e));
      }
    } else if (!context.ignores(rel)) {
      mkdirSync(path.dirname(dest), { recursive: true });
      copyFileSync(abs, dest);
    }
  };
  for (const ins of build.body) {
    if (ins.op === 'WORKDIR') workdir = path.posix.resolve(workdir, ins.args);
    if (ins.op === 'RUN') console.log(`RUN\t${path.join(assembleInto, workdir)}\t${ins.args}`);
    if (ins.op !== 'COPY') continue;
    if (/--from=/.test(ins.args)) throw new Error(`build stage copies from another stage: ${ins.args}`);
    const words = ins.args.split(/\s+/).filter((a) => !a.startsWith('--'));
    const target = path.posix.resolve(workdir, words.at(-1));
    const intoFolder = words.at(-1).endsWith('/') || words.length > 2;
    for (const src of words.slice(0, -1)) {
      const rel = src.replace(/\/$/, '') || '.';
      const isDir = statSync(path.join(root, rel)).isDirectory();
      const dest = isDir || !intoFolder ? target : path.posix.join(target, path.posix.basename(rel));
      copyInto(rel, path.join(assembleInto, dest));
    }
  }
  const artifact = final.body.find((i) => i.op === 'COPY' && /--from=build\b/.test(i.args));
  const from = artifact?.args.split(/\s+/).filter((a) => !a.startsWith('--'))[0];
  if (from) console.log(`ARTIFACT\t${from}\t${path.join(assembleInto, from)}`);
}
