import type { HealthCheckStatus, HealthIndicatorStatus } from '@nestjs/terminus';
import type { ChainHead } from '../event-store/log-chain.js';

type Indicator = { readonly status: HealthIndicatorStatus; readonly message?: string; readonly responseTime?: number };
/** The state of each thing /health checks. */
interface HealthIndicators {
  readonly database?: Indicator;
  /** The head of the log's hash chain. */
  readonly chain?: Indicator & Partial<ChainHead>;
}

/** GET /health: "ok" with what was checked (a failed check answers 503 with a problem). */
export interface HealthAnswer {
  readonly status: HealthCheckStatus;
  readonly info?: HealthIndicators;
  readonly error?: HealthIndicators;
  readonly details: HealthIndicators;
}
