/**
 * The header that carries a global log position: where a write landed (POST /events), or where an
 * export stops (GET /export/*, to pass back as `upTo`). One name for one thing, exposed to the
 * pages of allowed origins (CORS).
 */
export const LOG_POSITION_HEADER = 'Log-Position';
