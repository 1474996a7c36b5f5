import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiAnswer } from '../http/api-answer.decorator.js';
import { LogChain } from '../event-store/log-chain.js';
import type { HealthAnswer } from './health.view.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly chain: LogChain,
  ) {}

  /**
   * The database, and the head of the log's hash chain (its last position and hash, one index
   * step): kept outside, it lets `npm run verify` results be checked against a known head.
   */
  @Get()
  @ApiAnswer('HealthAnswer')
  @HealthCheck()
  check(): Promise<HealthAnswer> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      async () => this.indicators.check('chain').up({ ...(await this.chain.head()) }),
    ]);
  }
}
