import { Controller, Get } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
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
  // Documented here, not by terminus: its own schemas show a 503 body the error filter does not
  // send, and it adds them only where it can require() @nestjs/swagger (not under Jest), so the
  // tests' /docs-json differed from the server's.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiResponse({ status: 503, description: "A check failed: the problem holds the checks' status, info and details" })
  check(): Promise<HealthAnswer> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      async () => this.indicators.check('chain').up({ ...(await this.chain.head()) }),
    ]);
  }
}
