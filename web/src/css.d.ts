// esbuild bundles imported stylesheets into app.css; to TypeScript they are plain side effects.
declare module '*.css';
