import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const COMMANDS = ['sms send', 'sms test', 'sms balance', 'sms preview', 'vouchers generate', 'db migrate'];

describe('hotspot-kit help and usage errors', () => {
  it('lists every command with --help and exits 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const name of COMMANDS) expect(stdout).toContain(name);
    expect(stdout).toMatch(/Exit codes: 0 ok, 1 .*2 bad usage/);
  });

  it.each(COMMANDS)('%s --help shows its usage and options, exit 0', async (name) => {
    const { code, stdout, stderr } = await cli([...name.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Usage: hotspot-kit ${name} [options]`);
    expect(stdout).toContain('-h, --help');
    expect(stdout).toContain('Examples:');
  });

  it('-h works like --help, also after other options', async () => {
    const { code, stdout } = await cli(['sms', 'send', '--to', '+14155552671', '-h']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: hotspot-kit sms send');
  });

  it('no arguments: help on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: hotspot-kit <command>');
  });

  it('a group without a command lists the group, exit 2; with --help exit 0', async () => {
    const bare = await cli(['sms']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('sms preview');
    expect(bare.stderr).not.toContain('vouchers generate');
    const help = await cli(['sms', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('sms balance');
  });

  it('unknown commands are usage errors naming the command', async () => {
    const a = await cli(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("unknown command 'frobnicate'");
    const b = await cli(['sms', 'sned']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("unknown command 'sms sned'");
  });

  it('unknown options, missing values and stray arguments are usage errors', async () => {
    const unknown = await cli(['sms', 'send', '--config', 'x.json', '--too', '+1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--too'");
    expect(unknown.stderr).toContain("Run 'hotspot-kit sms send --help' for usage.");
    const missingValue = await cli(['sms', 'send', '--config']);
    expect(missingValue.code).toBe(2);
    expect(missingValue.stderr).toMatch(/--config/);
    const stray = await cli(['db', 'migrate', 'extra']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("unexpected argument 'extra'");
  });

  it('required options are named when missing', async () => {
    const { code, stderr } = await cli(['sms', 'send', '--to', '+14155552671', '--text', 'hi']);
    expect(code).toBe(2);
    expect(stderr).toContain('--config is required');
  });

  it('help <command> is --help', async () => {
    const { code, stdout } = await cli(['help', 'vouchers', 'generate']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: hotspot-kit vouchers generate');
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
