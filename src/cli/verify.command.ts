import { Command, CommandRunner } from 'nest-commander';
import { LogChain } from '../event-store/log-chain.js';
import { verifyOutcome } from './verify-outcome.js';

@Command({
  name: 'verify',
  description: "Walk the event log's hash chain in position order; name the first altered or missing row",
})
export class VerifyCommand extends CommandRunner {
  constructor(private readonly chain: LogChain) {
    super();
  }

  async run(): Promise<void> {
    const started = Date.now();
    const report = await this.chain.verify((checked) => process.stderr.write(`\rverify: ${checked} events checked`));
    process.stderr.write('\n');
    const { lines, failure } = verifyOutcome(report, (Date.now() - started) / 1000);
    for (const line of lines) console.log(line);
    if (failure) throw failure;
  }
}
