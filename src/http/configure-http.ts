import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { ErrorFilter } from './error.filter.js';
import { createValidationPipe } from './validation.js';

/** The HTTP edge shared by the server and the e2e tests, so tests exercise exactly what runs. */
export function configureHttp(app: INestApplication): void {
  // Express hashes every answer body for an ETag: ~1 ms for a party's positions at 1,000,000
  // events, for a header no client of this API revalidates with.
  (app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void }).set('etag', false);
  app.use(
    helmet({
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        directives: {
          // The timeline page and Swagger UI load only their own scripts and styles.
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // Served over plain http on localhost: upgrading would break every asset.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Stance API')
      .setDescription(
        'Diplomatic positions over time, rebuilt from immutable events. Reads are open; writes need a bearer token (API_TOKEN).',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
