// A real single-node Slurm for the tests: munged, slurmctld -D and slurmd -D started as root on
// this machine with a slurm.conf in a temporary folder (free ports, no accounting), stopped after.
// Needs Debian's slurmctld, slurmd, munge and slurm-client; `slurmSkipReason()` says why not.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { logPath } from '../../src/exec/job.js';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const TOOLS = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/squeue', '/usr/bin/scancel'];

/** Why the Slurm tests cannot run here, or undefined when they can. */
export function slurmSkipReason(): string | undefined {
  const missing = TOOLS.filter((t) => !existsSync(t));
  if (missing.length) return `Slurm not installed (${missing.join(', ')} missing): apt-get install -y slurmctld slurmd munge slurm-client`;
  if (process.getuid?.() !== 0) return 'the test Slurm runs its daemons as root; run the tests as root';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestSlurm {
  /** the slurm.conf; set as SLURM_CONF for sbatch, squeue, scancel */
  conf: string;
  stop(): Promise<void>;
}

export async function startSlurm(cpus = 2): Promise<TestSlurm> {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-slurm-'));
  chmodSync(dir, 0o755); // munged wants to reach its socket through every folder on the way
  for (const d of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, d));
  chmodSync(join(dir, 'munge'), 0o700);
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const sock = join(dir, 'munge', 'socket');
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const host = hostname();
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=fomlabtest', `SlurmctldHost=${host}(127.0.0.1)`, `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
    'AuthType=auth/munge', `AuthInfo=socket=${sock}`, 'CredType=cred/munge', 'SlurmUser=root', 'SlurmdUser=root',
    `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'SwitchType=switch/none', 'MpiDefault=none',
    'SchedulerType=sched/backfill', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core', 'ReturnToService=2',
    'JobAcctGatherType=jobacct_gather/none', 'AccountingStorageType=accounting_storage/none', 'JobCompType=jobcomp/none',
    'SlurmdParameters=config_overrides', 'MinJobAge=30',
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=4000 State=UNKNOWN`,
    `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`, '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const start = (cmd: string, args: string[]): void => {
    daemons.push(spawn(cmd, args, { env, stdio: 'ignore' }));
  };
  start('/usr/sbin/munged', ['-F', '--force', `--socket=${sock}`, `--key-file=${key}`, `--pid-file=${join(dir, 'munge', 'pid')}`, `--log-file=${join(dir, 'log', 'munged.log')}`, `--seed-file=${join(dir, 'munge', 'seed')}`]);
  for (let i = 0; i < 50 && !existsSync(sock); i++) await sleep(100);
  start('/usr/sbin/slurmctld', ['-D', '-f', conf]);
  await sleep(500);
  start('/usr/sbin/slurmd', ['-D', '-f', conf]);
  // a crash of the test process must not leave the daemons running
  const killAll = (): void => daemons.forEach((d) => d.exitCode === null && d.kill('SIGKILL'));
  process.once('exit', killAll);
  const stop = async (): Promise<void> => {
    process.off('exit', killAll);
    for (const d of daemons.reverse()) {
      if (d.exitCode !== null) continue;
      const gone = new Promise((r) => d.once('exit', r));
      d.kill('SIGTERM');
      await Promise.race([gone, sleep(5000)]);
      if (d.exitCode === null) d.kill('SIGKILL');
    }
  };
  // the node is ready when sinfo says idle
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' });
    if (r.status === 0 && /idle/.test(r.stdout)) return { conf, stop };
    await sleep(200);
  }
  await stop();
  throw new Error(`the test Slurm did not come up; logs in ${join(dir, 'log')}`);
}

/** pid of the `fomlab train` process of the job whose derived config is `config` (from /proc). */
export function trainPid(config: string): number | undefined {
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const argv = cmd.split('\0');
    if (argv.includes('train') && argv.includes(config) && argv.some((a) => a.endsWith('fomlab.mjs'))) return Number(p);
  }
  return undefined;
}

/** Waits until the job's log shows its training under way (the events line), then runs `act`. */
export async function whenTraining(dir: string, id: string, act: () => Promise<void> | void, waitSeconds = 600): Promise<void> {
  for (let i = 0; i < waitSeconds * 20; i++) {
    let log = '';
    try {
      log = readFileSync(logPath(dir, id), 'utf8');
    } catch { /* not started */ }
    if (/events: \d+ train/.test(log)) return act();
    await sleep(50);
  }
  throw new Error(`${id} never started training`);
}

/** SIGKILLs the `fomlab train` of job `id` of the sweep in `dir` (a worker dying mid-way); false if not found. */
export function killTrainingOf(dir: string, id: string): boolean {
  const pid = trainPid(join(dir, 'configs', `${id}.yaml`));
  if (pid) process.kill(pid, 'SIGKILL');
  return pid !== undefined;
}
