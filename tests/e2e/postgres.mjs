// A throwaway PostgreSQL cluster for the team-workspace tests, as
// crates/sync/tests/common/cluster.rs starts one: initdb (scram-sha-256, a
// superuser with a random password) in a temp folder, pg_ctl start on a free
// loopback port; stop() stops it and removes the folder.
//
// initdb refuses to run as root, so as root every server program runs as the
// `postgres` user (`runuser -u postgres --`) in a folder that user owns.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's PostgreSQL 15 puts its programs (override with CHIPWATCH_PG_BIN, as the Rust tests do). */
const BIN = process.env.CHIPWATCH_PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const SUPERUSER = 'chipwatch_e2e_admin';

export function randomPassword() {
  return randomBytes(12).toString('hex');
}

/** Starts a cluster and returns it; call `stop()` when done (also after a failure). */
export async function startCluster() {
  if (!existsSync(join(BIN, 'initdb'))) {
    throw new Error(`PostgreSQL is not installed (${BIN} has no initdb): run scripts/install-deps.sh`);
  }
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'chipwatch-e2e-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  const password = randomPassword();
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`);
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }

  const run = (program, args) => {
    const command = asPostgres ? 'runuser' : join(BIN, program);
    const argv = asPostgres ? ['-u', 'postgres', '--', join(BIN, program), ...args] : args;
    return spawnSync(command, argv, { cwd: dir, encoding: 'utf8' });
  };
  const shown = (out) => `${out.stdout ?? ''}${out.stderr ?? ''}${out.error ? String(out.error) : ''}`;

  const init = run('initdb', ['-D', data, '-U', SUPERUSER, '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions']);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${shown(init)}`);
  }

  let port = 0;
  let running = false;
  const launch = () => {
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=20 -c shared_buffers=16MB`;
    const out = run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
    if (out.status === 0) {
      running = true;
      return null;
    }
    return `${shown(out)}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`;
  };
  // A port free a moment ago may be taken by then: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const failure = launch();
    if (failure === null) break;
    if (attempt >= 5 || !failure.includes('could not bind')) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pg_ctl start failed: ${failure}`);
    }
  }

  const url = (user, secret = null, database = 'postgres') =>
    `postgresql://${user}${secret === null ? '' : `:${secret}`}@127.0.0.1:${port}/${database}`;

  return {
    get port() {
      return port;
    },
    /** A connection string for `user`, with the password in it when given. */
    url,
    superuserUrl: url(SUPERUSER, password),
    /** Runs SQL as the superuser (psql, stops at the first error); returns what psql printed. */
    psql(sql) {
      const out = spawnSync(join(BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-d', 'postgres', '-c', sql], {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: password },
      });
      if (out.status !== 0) throw new Error(`psql failed: ${shown(out)}`);
      return out.stdout;
    },
    /** Stops the server, keeping its files (a server that is down). */
    halt() {
      if (!running) return;
      const out = run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      if (out.status !== 0) console.error(`pg_ctl stop failed: ${shown(out)}`);
      running = false;
    },
    /** Stops the server and removes its folder. */
    stop() {
      this.halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}
