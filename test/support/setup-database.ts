import { stopEmbeddedTestServer } from './test-database.js';

// Runs in every e2e test file: the embedded server (if this file started one) stops with it.
afterAll(() => stopEmbeddedTestServer());
