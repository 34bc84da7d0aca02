// The `faultline` command line: parses the command word and hands over to the command's module.
// Exit status follows Landslide's convention: 0 no bug, 1 bug found, 2 bad usage or configuration.
import pkg from '../../package.json' with { type: 'json' };
import { bootCommand } from './boot.ts';
import { explore } from './explore.ts';
import { replay } from './replay.ts';

export const USAGE = `faultline ${pkg.version}: find and explain concurrency bugs in 15-410 Pebbles kernels

usage: faultline <command> [options]

commands:
  boot <kernel|bootfd.img>   boot headless; print screen, log and how it stopped (faultline boot --help)
  explore <kernel> --test NAME [--mode dpor|dfs] [--preemption-bound K] [--time 10m]
          [--max-branches N] [--within F ...] [--without F ...] [--json FILE] [--html FILE]
                             explore the test's interleavings; exit 0 no bug, 1 bug, 2 bad usage
  replay <kernel> --test NAME --schedule S [--trace]
                             re-run one schedule from a bug report
  help                       show this text
  version                    print the version

options:
  -h, --help                 show this text
  -V, --version              print the version
`;

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit status. */
export async function main(args: string[], out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const [command] = args;
  switch (command) {
    case 'help': case '-h': case '--help':
      out(USAGE);
      return 0;
    case 'version': case '-V': case '--version':
      out(`${pkg.version}\n`);
      return 0;
    case 'boot':
      return bootCommand(args.slice(1), out, err);
    case 'explore':
      return explore(args.slice(1), out, err);
    case 'replay':
      return replay(args.slice(1), out, err);
    case undefined:
      err(USAGE);
      return 2;
    default:
      err(`faultline: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
